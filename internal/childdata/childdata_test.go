package childdata_test

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ofsted/focusedvisits/internal/childdata"
	"github.com/ofsted/focusedvisits/internal/workday"
	"github.com/xuri/excelize/v2"
)

var (
	today = workday.NewDate(2025, time.October, 20)
	cover = childdata.DateRange{From: workday.NewDate(2025, time.October, 6), To: workday.NewDate(2025, time.October, 17)}
)

// header is a full Annex A header in a shuffled order with assorted spellings.
const header = "Case ref,Child ID,Case name,Gender,Ethnicity,Disability (Y/N),DOB,Lead application,Law type,Case type,Practitioner,Team,Service area,Local authority,Court,File location,Case start date,Case end date,Child seen (Y/N),Section 7 filed,Audit (Y/N)"

// good is a row that raises nothing.
const good = "C1,K1,Re A,F,White British,N,01/02/2015,C100,Public,s31,Sam Smith,Team 1,South East,Kent,Medway,,2025-01-06,10/10/2025,Y,N,N"

func csvOf(rows ...string) string {
	return strings.Join(append([]string{header}, rows...), "\n") + "\n"
}

func check(t *testing.T, csv string) *childdata.Result {
	t.Helper()
	res, err := childdata.Check(childdata.NewCSV(strings.NewReader(csv)), cover, childdata.Options{Today: today})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// with replaces the value of one column (by header) in the good row.
func with(col, value string) string {
	hs := strings.Split(header, ",")
	vs := strings.Split(good, ",")
	i := slices.Index(hs, col)
	if i < 0 {
		panic(col)
	}
	vs[i] = value
	return strings.Join(vs, ",")
}

func codes(is []childdata.Issue) []string {
	var cs []string
	for _, i := range is {
		cs = append(cs, fmt.Sprintf("%d %s %s", i.Row, i.Column, i.Code))
	}
	return cs
}

func TestCheck_GoodRow(t *testing.T) {
	t.Parallel()
	var rows []childdata.Row
	res, err := childdata.Check(childdata.NewCSV(strings.NewReader(csvOf(good))), cover, childdata.Options{Today: today,
		Accept: func(r *childdata.Row) error { rows = append(rows, *r); return nil }})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Accepted() || res.Rows != 1 || res.AcceptedRows != 1 || len(res.Queries) != 0 {
		t.Fatalf("result %+v", res)
	}
	no, yes := false, true
	want := childdata.Row{Number: 2, CaseID: "C1", CaseName: "Re A", Gender: "F", Ethnicity: "White British", Disability: &no,
		DateOfBirth: workday.NewDate(2015, 2, 1), LeadApplication: "C100", LawType: "public", CaseType: "s31",
		Practitioner: "Sam Smith", Team: "Team 1", ServiceArea: "South East", LocalAuthority: "Kent", Court: "Medway",
		ChildID: "K1", CaseStart: workday.NewDate(2025, 1, 6), CaseEnd: workday.NewDate(2025, 10, 10),
		ChildSeen: &yes, Section7Filed: &no, Audit: &no}
	if diff := cmp.Diff([]childdata.Row{want}, rows, cmp.Comparer(func(a, b workday.Date) bool { return a == b })); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
	if len(res.Columns) != 21 {
		t.Errorf("matched %d columns, want 21", len(res.Columns))
	}
}

func TestCheck_Rules(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		row    string
		errors []string
		query  []string
	}{
		{"missing required value", with("Team", ""), []string{"2 L required"}, nil},
		{"missing case ID", with("Case ref", " "), []string{"2 A required"}, nil},
		{"blank optional value is fine", with("Gender", ""), nil, nil},
		{"unreadable date", with("DOB", "31/02/2015"), []string{"2 G date"}, nil},
		{"two-digit year", with("DOB", "01/02/15"), []string{"2 G date"}, nil},
		{"American date with month over 12", with("Case start date", "01/13/2025"), []string{"2 Q date"}, nil},
		{"text date", with("DOB", "soon"), []string{"2 G date"}, nil},
		{"d/m/yyyy date", with("DOB", "1/2/2015"), nil, nil},
		{"dotted date", with("DOB", "01.02.2015"), nil, nil},
		{"ISO date-time", with("DOB", "2015-02-01T00:00:00"), nil, nil},
		{"serial in a CSV is not a date", with("DOB", "42036"), []string{"2 G date"}, nil},
		{"Y/N not Y/N", with("Child seen (Y/N)", "maybe"), []string{"2 S yes_no"}, nil},
		{"Yes and no accepted", with("Child seen (Y/N)", "yes"), nil, nil},
		{"law type not public or private", with("Law type", "civil"), []string{"2 I law_type"}, nil},
		{"law type spelled out", with("Law type", "Public law"), nil, nil},
		{"case type unknown", with("Case type", "s99"), []string{"2 J case_type"}, nil},
		{"case type alias", with("Case type", "Section 31"), nil, nil},
		{"date of birth in the future", with("DOB", "01/01/2026"), []string{"2 G dob_future"}, nil},
		{"case start in the future", with("Case start date", "2025-11-01"), []string{"2 Q start_future", "2 R end_before_start"}, nil},
		{"case end in the future", strings.Replace(with("Case end date", "2025-12-01"), "", "", 0), []string{"2 R end_future"}, []string{"2 R end_outside_cover"}},
		{"case end before start", with("Case end date", "2025-01-05"), []string{"2 R end_before_start"}, []string{"2 R end_outside_cover"}},
		{"too long", with("Case name", strings.Repeat("x", 501)), []string{"2 C too_long"}, nil},
		{"over 18 at start", with("DOB", "06/01/2007"), nil, []string{"2 G over_18"}},
		{"just under 18 at start", with("DOB", "07/01/2007"), nil, nil},
		{"born after start", with("DOB", "2025-02-01"), nil, []string{"2 G born_after_start"}},
		{"public law without local authority", with("Local authority", ""), nil, []string{"2 N public_no_la"}},
		{"private law without local authority", strings.Replace(strings.Replace(with("Local authority", ""), "Public,s31", "Private,s7", 1), "", "", 0), nil, nil},
		{"case end outside cover", with("Case end date", "2025-10-03"), nil, []string{"2 R end_outside_cover"}},
		{"case type in the other law", with("Case type", "s7"), nil, []string{"2 J law_case_mismatch"}},
		{"section 7 filed in public law", with("Section 7 filed", "Y"), nil, []string{"2 T s7_public"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := check(t, csvOf(tt.row))
			if diff := cmp.Diff(tt.errors, codes(res.Errors)); diff != "" {
				t.Errorf("errors (-want +got):\n%s\n%v", diff, res.Errors)
			}
			if diff := cmp.Diff(tt.query, codes(res.Queries)); diff != "" {
				t.Errorf("queries (-want +got):\n%s\n%v", diff, res.Queries)
			}
			if res.Accepted() != (len(tt.errors) == 0) {
				t.Errorf("Accepted() = %v with %d errors", res.Accepted(), res.ErrorCount)
			}
		})
	}
}

func TestCheck_Duplicates(t *testing.T) {
	t.Parallel()
	other := strings.Replace(good, "K1", "K2", 1)
	res := check(t, csvOf(good, other, good))
	if diff := cmp.Diff([]string{"4 A duplicate"}, codes(res.Queries)); diff != "" {
		t.Errorf("queries (-want +got):\n%s", diff)
	}
	if !strings.Contains(res.Queries[0].Message, "Row 2") {
		t.Errorf("message %q does not name the first row", res.Queries[0].Message)
	}
}

func TestCheck_RowsWithErrorsAreNotAccepted(t *testing.T) {
	t.Parallel()
	var got []int
	res, err := childdata.Check(childdata.NewCSV(strings.NewReader(csvOf(good, with("DOB", "x"), with("Local authority", "")))), cover,
		childdata.Options{Today: today, Accept: func(r *childdata.Row) error { got = append(got, r.Number); return nil }})
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, []int{2, 4}) || res.Rows != 3 || res.AcceptedRows != 2 || res.Accepted() {
		t.Errorf("accepted rows %v, result %+v", got, res)
	}
}

func TestCheck_FileLevel(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, csv string
		errors    []string
		queries   []string
	}{
		{"empty file", "", []string{"0  empty_file"}, nil},
		{"header only", header + "\n", []string{"0  no_rows"}, nil},
		{"blank rows skipped", csvOf(",,,", good, ""), nil, nil},
		{"missing required column", strings.Replace(header, "Team,", "", 1) + "\n" + good, []string{"1  missing_column"}, nil},
		{"duplicate column", header + ",D.O.B.\n" + good + ",01/02/2015", []string{"1 V duplicate_column"}, nil},
		{"unknown column", header + ",Notes\n" + good + ",x", nil, []string{"1 V unknown_column"}},
		{"no local authority column", strings.Replace(header, "Local authority,", "", 1) + "\n" + strings.Replace(good, "Kent,", "", 1),
			nil, []string{"1  no_la_column"}},
		{"bad quotes", header + "\n" + `C1,"K1,x` + "\n", []string{"2  unreadable"}, nil},
		{"short row", header + "\nC1,K1\n", []string{"2 C required", "2 G required", "2 I required", "2 J required", "2 K required", "2 L required", "2 M required", "2 Q required", "2 R required", "2 S required"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			res := check(t, tt.csv)
			if diff := cmp.Diff(tt.errors, codes(res.Errors)); diff != "" {
				t.Errorf("errors (-want +got):\n%s\n%v", diff, res.Errors)
			}
			if diff := cmp.Diff(tt.queries, codes(res.Queries)); diff != "" {
				t.Errorf("queries (-want +got):\n%s\n%v", diff, res.Queries)
			}
		})
	}
}

func TestCheck_BoundedIssues(t *testing.T) {
	t.Parallel()
	var b strings.Builder
	b.WriteString(header + "\n")
	for range 50 {
		b.WriteString(with("DOB", "x") + "\n")
	}
	res, err := childdata.Check(childdata.NewCSV(strings.NewReader(b.String())), cover, childdata.Options{Today: today, MaxIssues: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Errors) != 10 || res.ErrorCount != 50 || res.QueryCount != 49 || len(res.Queries) != 10 {
		t.Errorf("kept %d of %d errors, %d of %d queries", len(res.Errors), res.ErrorCount, len(res.Queries), res.QueryCount)
	}
}

func TestCheck_BadRange(t *testing.T) {
	t.Parallel()
	for _, r := range []childdata.DateRange{{}, {From: cover.To, To: cover.From}, {From: cover.From}} {
		if _, err := childdata.Check(childdata.NewCSV(strings.NewReader(csvOf(good))), r, childdata.Options{Today: today}); err != childdata.ErrBadRange {
			t.Errorf("range %v: err %v", r, err)
		}
	}
	same := childdata.DateRange{From: cover.To, To: cover.To}
	if _, err := childdata.Check(childdata.NewCSV(strings.NewReader(csvOf(good))), same, childdata.Options{Today: today}); err != nil {
		t.Errorf("one-day range: %v", err)
	}
}

func TestCheck_AcceptErrorStops(t *testing.T) {
	t.Parallel()
	boom := fmt.Errorf("boom")
	_, err := childdata.Check(childdata.NewCSV(strings.NewReader(csvOf(good, good))), cover,
		childdata.Options{Today: today, Accept: func(*childdata.Row) error { return boom }})
	if err != boom {
		t.Errorf("err = %v", err)
	}
}

func TestCheck_DecemberSchema(t *testing.T) {
	t.Parallel()
	h := "Case ID,Case name,DOB,Law type,Case type,Practitioner,Team,Service area,Local authority\n"
	res, err := childdata.Check(childdata.NewCSV(strings.NewReader(h+"C1,Re A,01/02/2015,private,s7,Sam,T,SE,\n")), cover,
		childdata.Options{Today: today, Schema: childdata.AnnexA2024()})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Accepted() {
		t.Errorf("December 2024 list rejected: %v", res.Errors)
	}
}

func TestNewCSV_BOMAndWindows1252(t *testing.T) {
	t.Parallel()
	data := append([]byte("\xEF\xBB\xBF"), []byte(csvOf(strings.Replace(good, "Re A", "Re Z\xE9", 1)))...)
	var name string
	res, err := childdata.Check(childdata.NewCSV(bytes.NewReader(data)), cover, childdata.Options{Today: today,
		Accept: func(r *childdata.Row) error { name = r.CaseName; return nil }})
	if err != nil {
		t.Fatal(err)
	}
	if !res.Accepted() || res.Columns[0].Header != "Case ref" {
		t.Errorf("result %+v", res)
	}
	if name != "Re Zé" {
		t.Errorf("case name %q, want Re Zé", name)
	}
}

func TestNormalise(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"Child seen (Y/N)":           "childseen",
		"child_seen_in_person":       "childseeninperson",
		"  CASE   ref ":              "caseref",
		"D.O.B.":                     "dob",
		"Disability Y/N":             "disability",
		"Audit yes/no":               "audit",
		"Y/N":                        "yn",
		"r16.4":                      "r164",
		"Date of birth [dd/mm/yyyy]": "dateofbirth",
		"(unclosed":                  "unclosed",
		"\uFEFFCase ID":              "caseid",
	} {
		if got := childdata.Normalise(in); got != want {
			t.Errorf("Normalise(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestMatchHeader(t *testing.T) {
	t.Parallel()
	s := childdata.AnnexA2025()
	tests := []struct {
		header string
		field  string
	}{
		{"Case ref", childdata.CaseID}, {"Case number", childdata.CaseID}, {"case_id", childdata.CaseID},
		{"DOB", childdata.DateOfBirth}, {"Date Of Birth", childdata.DateOfBirth},
		{"Child seen (Y/N)", childdata.ChildSeen}, {"Child seen in person (Y/N)", childdata.ChildSeen},
		{"Public/private", childdata.LawType}, {"S7 filed", childdata.Section7Filed}, {"LA", childdata.LocalAuthority},
		{"Closure date", childdata.CaseEnd}, {"Start Date", childdata.CaseStart}, {"Audit (Y/N)", childdata.Audit},
	}
	for _, tt := range tests {
		h, _ := s.MatchHeader([]string{"x", tt.header})
		if h.Column(tt.field) != 1 {
			t.Errorf("%q did not match %s", tt.header, tt.field)
		}
	}
}

// TestSchema_AliasesUnique: no spelling may name two fields or two case
// types, or one would silently win.
func TestSchema_AliasesUnique(t *testing.T) {
	t.Parallel()
	s := childdata.AnnexA2025()
	seen := map[string]string{}
	for _, f := range s.Fields {
		for _, n := range append([]string{f.Key, f.Label}, f.Aliases...) {
			k := childdata.Normalise(n)
			if o, ok := seen[k]; ok && o != f.Key {
				t.Errorf("%q names both %s and %s", n, o, f.Key)
			}
			seen[k] = f.Key
		}
	}
	if len(s.Fields) != 21 {
		t.Errorf("%d fields, want 21", len(s.Fields))
	}
	seen = map[string]string{}
	for _, ct := range s.CaseTypes {
		for _, n := range append([]string{ct.Code, ct.Label}, ct.Aliases...) {
			k := childdata.Normalise(n)
			if o, ok := seen[k]; ok && o != ct.Code {
				t.Errorf("%q names both %s and %s", n, o, ct.Code)
			}
			seen[k] = ct.Code
		}
	}
	for _, want := range []string{"safeguarding letter only", "s7", "r16.4", "s25", "s31"} {
		if _, ok := s.ParseCaseType(want); !ok {
			t.Errorf("case type %q not known", want)
		}
	}
}

func TestParseDate(t *testing.T) {
	t.Parallel()
	d := workday.NewDate(2024, time.December, 25)
	for _, tt := range []struct {
		in     string
		serial bool
		want   workday.Date
	}{
		{"2024-12-25", false, d}, {"25/12/2024", false, d}, {"25-12-2024", false, d}, {"5/1/2024", false, workday.NewDate(2024, 1, 5)},
		{"45651", true, d}, {"45651.5", true, d}, {"45651", false, workday.Date{}},
		{"29/02/2024", false, workday.NewDate(2024, 2, 29)}, {"29/02/2025", false, workday.Date{}},
		{"25/12/24", false, workday.Date{}}, {"2024/12", false, workday.Date{}}, {"1899-12-31", false, workday.Date{}},
		{"", true, workday.Date{}}, {"2024-12-25 13:00:00", false, d},
	} {
		got, ok := childdata.ParseDate(tt.in, tt.serial)
		if got != tt.want || ok != !tt.want.IsZero() {
			t.Errorf("ParseDate(%q, %v) = %v, %v; want %v", tt.in, tt.serial, got, ok, tt.want)
		}
	}
}

func TestColumnName(t *testing.T) {
	t.Parallel()
	for i, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 27: "AB", 701: "ZZ", 702: "AAA", -1: ""} {
		if got := childdata.ColumnName(i); got != want {
			t.Errorf("ColumnName(%d) = %q, want %q", i, got, want)
		}
	}
}

// xlsxOf builds an .xlsx workbook of the rows, dates as real Excel dates.
func xlsxOf(t testing.TB, rows [][]any) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	style, _ := f.NewStyle(&excelize.Style{NumFmt: 14})
	for i, r := range rows {
		cells := make([]any, len(r))
		for j, v := range r {
			if tm, ok := v.(time.Time); ok {
				cells[j] = excelize.Cell{Value: tm, StyleID: style}
			} else {
				cells[j] = v
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := sw.SetRow(cell, cells); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestNewXLSX(t *testing.T) {
	t.Parallel()
	var hdr []any
	for _, h := range strings.Split(header, ",") {
		hdr = append(hdr, h)
	}
	var row []any
	for _, v := range strings.Split(good, ",") {
		row = append(row, v)
	}
	row[6] = time.Date(2015, 2, 1, 0, 0, 0, 0, time.UTC)  // DOB as an Excel date
	row[16] = time.Date(2025, 1, 6, 0, 0, 0, 0, time.UTC) // case start
	row[17] = 45940                                       // case end as a bare serial: 10/10/2025
	bad := slices.Clone(row)
	bad[8] = "civil"
	data := xlsxOf(t, [][]any{hdr, row, {}, bad})

	r, err := childdata.NewXLSX(bytes.NewReader(data), childdata.XLSXOptions{TmpDir: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var got []childdata.Row
	res, err := childdata.Check(r, cover, childdata.Options{Today: today, Accept: func(r *childdata.Row) error { got = append(got, *r); return nil }})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"4 I law_type"}, codes(res.Errors)); diff != "" {
		t.Errorf("errors (-want +got):\n%s", diff)
	}
	if len(got) != 1 || got[0].DateOfBirth != workday.NewDate(2015, 2, 1) || got[0].CaseEnd != workday.NewDate(2025, 10, 10) || got[0].CaseStart != workday.NewDate(2025, 1, 6) {
		t.Errorf("rows %+v", got)
	}
}

func TestNewXLSX_NotAWorkbook(t *testing.T) {
	t.Parallel()
	_, err := childdata.NewXLSX(strings.NewReader("not a zip"), childdata.XLSXOptions{TmpDir: t.TempDir()})
	var fe *childdata.FormatError
	if err == nil || !errorsAs(err, &fe) {
		t.Errorf("err = %v, want a FormatError", err)
	}
}

func errorsAs(err error, target **childdata.FormatError) bool {
	fe, ok := err.(*childdata.FormatError)
	*target = fe
	return ok
}

var _ = io.EOF

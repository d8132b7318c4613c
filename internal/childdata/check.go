package childdata

import (
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"strconv"
	"strings"

	"github.com/ofsted/focusedvisits/internal/workday"
)

// IssueKind says whether an issue must be fixed or may be explained.
type IssueKind string

const (
	// Error: the list cannot be accepted until it is fixed.
	Error IssueKind = "error"
	// Query: may be right; Cafcass can explain it instead of changing it.
	Query IssueKind = "query"
)

// Issue is one problem found in a list, by row and column.
type Issue struct {
	// Row is the spreadsheet row number: the header is row 1; 0 means the
	// whole file.
	Row int
	// Column is the spreadsheet column letter ("C"), if known.
	Column string
	// Header is the column's header as given in the file (or the field's
	// label when the column is missing).
	Header string
	// Field is the Annex A field key, if the issue concerns one.
	Field   string
	Kind    IssueKind
	Code    string
	Message string
}

// DateRange is the period a list says it covers, inclusive.
type DateRange struct {
	From, To workday.Date
}

// ErrBadRange is returned for a date range without both ends or with From
// after To.
var ErrBadRange = errors.New("childdata: the date range needs a from date on or before its to date")

// Valid reports whether the range has both ends, in order.
func (d DateRange) Valid() bool {
	return !d.From.IsZero() && !d.To.IsZero() && !d.From.After(d.To)
}

// Contains reports whether d is within the range.
func (d DateRange) Contains(x workday.Date) bool {
	return !x.Before(d.From) && !x.After(d.To)
}

// Row is one accepted row: every value read and checked. Zero dates and nil
// Y/N values are blanks in optional columns.
type Row struct {
	// Number is the spreadsheet row number.
	Number int

	CaseID, CaseName, Gender, Ethnicity string
	Disability                          *bool
	DateOfBirth                         workday.Date
	LeadApplication                     string
	LawType                             string // Public or Private
	CaseType                            string // a CaseTypeDef.Code
	Practitioner, Team, ServiceArea     string
	LocalAuthority, Court, FileLocation string
	ChildID                             string
	CaseStart, CaseEnd                  workday.Date
	ChildSeen, Section7Filed, Audit     *bool
}

// Options tune Check.
type Options struct {
	// Schema defines the list; nil means AnnexA2025.
	Schema *Schema
	// Today is the date in London: dates of birth and case dates after it
	// are errors. Required.
	Today workday.Date
	// MaxIssues bounds the errors, and separately the queries, kept in the
	// result (the counts are always complete); 0 means 1,000.
	MaxIssues int
	// MaxRows bounds the data rows read; 0 means 1,000,000.
	MaxRows int
	// Accept, if set, receives each row with no errors as it is read (rows
	// with queries are accepted). The Row is reused by the next call: copy
	// what you keep. An error from Accept stops Check and is returned.
	// Whether the list as a whole is accepted is known only at the end
	// (Result.Accepted): a caller storing rows as they come must be able to
	// undo them.
	Accept func(*Row) error
}

// Result is what Check found.
type Result struct {
	// Rows is the number of data rows read (blank rows are skipped).
	Rows int
	// AcceptedRows is the number of rows passed to Accept.
	AcceptedRows int
	// Errors and Queries are the first MaxIssues of each kind, in file
	// order; ErrorCount and QueryCount count them all.
	Errors, Queries        []Issue
	ErrorCount, QueryCount int
	// Columns says which column holds each field found.
	Columns []ColumnMatch
	// First and Last are the earliest case start and latest case end.
	First, Last workday.Date
}

// Accepted reports whether the list can be accepted: rows and no errors.
func (r *Result) Accepted() bool { return r.ErrorCount == 0 && r.Rows > 0 }

// Check reads every row of the list, checks it against the schema and the
// date range the list says it covers, and reports the errors and queries.
// It returns an error only if reading fails for a reason other than the
// file's content (a *FormatError is reported as an issue instead), or if
// Accept fails.
func Check(r Reader, cover DateRange, o Options) (*Result, error) {
	if !cover.Valid() {
		return nil, ErrBadRange
	}
	if o.Today.IsZero() {
		return nil, errors.New("childdata: Options.Today is required")
	}
	c := newChecker(cover, o)
	c.serial = r.Serial()
	res := c.res

	header, err := r.Read()
	if err == io.EOF {
		c.add(Issue{Kind: Error, Code: "empty_file", Message: "The file is empty: it needs a header row and a row for each child"})
		return res, nil
	}
	if err != nil {
		return c.readFailed(err)
	}
	h, issues := c.schema.MatchHeader(header)
	c.h = h
	for _, is := range issues {
		c.add(is)
	}
	res.Columns = h.Matches()
	missingRequired := false
	for _, is := range issues {
		if is.Code == "missing_column" || is.Code == "duplicate_column" {
			missingRequired = true
		}
	}
	if missingRequired {
		// Rows cannot be read against a header that is wrong: fix it first.
		return res, nil
	}
	if !h.Has(LocalAuthority) {
		c.noLAColumn = true
	}

	for line := 2; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return c.readFailed(err)
		}
		if blank(rec) {
			continue
		}
		if res.Rows >= c.maxRows {
			c.add(Issue{Row: line, Kind: Error, Code: "too_many_rows",
				Message: fmt.Sprintf("The list has more than %s rows, the limit: split it into smaller lists", thousands(c.maxRows))})
			break
		}
		res.Rows++
		if c.row(line, rec) && o.Accept != nil {
			if err := o.Accept(&c.cur); err != nil {
				return res, err
			}
			res.AcceptedRows++
		}
	}
	if res.Rows == 0 {
		c.add(Issue{Kind: Error, Code: "no_rows", Message: "The file has a header row but no rows of data"})
	}
	if c.noLAColumn && c.publicRows > 0 {
		c.add(Issue{Row: 1, Field: LocalAuthority, Header: "Local authority", Kind: Query, Code: "no_la_column",
			Message: fmt.Sprintf("There is no Local authority column, but %d rows are public law cases, which usually name one", c.publicRows)})
	}
	return res, nil
}

// readFailed turns a *FormatError into an issue (the list is rejected) and
// passes other errors up.
func (c *checker) readFailed(err error) (*Result, error) {
	var fe *FormatError
	if errors.As(err, &fe) {
		c.add(FormatIssue(fe))
		return c.res, nil
	}
	return c.res, err
}

// FormatIssue is the issue that rejects a file that cannot be read: code
// "too_large" when it is over one of the Limits (the message names it),
// "unreadable" otherwise.
func FormatIssue(fe *FormatError) Issue {
	if errors.Is(fe.Err, ErrTooLarge) {
		msg := fe.Err.Error()
		if fe.Row > 0 && !strings.HasPrefix(msg, "row ") {
			msg = fmt.Sprintf("%s (reading row %d)", msg, fe.Row)
		}
		return Issue{Row: fe.Row, Kind: Error, Code: "too_large", Message: strings.ToUpper(msg[:1]) + msg[1:]}
	}
	return Issue{Row: fe.Row, Kind: Error, Code: "unreadable", Message: "The file cannot be read: " + fe.Err.Error()}
}

// thousands writes n with commas: 300,000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

func blank(rec []string) bool {
	for _, v := range rec {
		if strings.TrimSpace(v) != "" {
			return false
		}
	}
	return true
}

// checker holds the state of one Check.
type checker struct {
	schema     *Schema
	cover      DateRange
	today      workday.Date
	maxIssues  int
	maxRows    int
	serial     bool
	h          *Header
	caseTypes  map[string]int
	res        *Result
	cur        Row
	seed       maphash.Seed
	seen       map[uint64]int // case+child hash → first row
	noLAColumn bool
	publicRows int
	rowErrs    int // errors in the row being checked
	cells      []cell
	keyIdx     map[string]int
}

func newChecker(cover DateRange, o Options) *checker {
	s := o.Schema
	if s == nil {
		s = AnnexA2025()
	}
	c := &checker{
		schema: s, cover: cover, today: o.Today,
		maxIssues: o.MaxIssues, maxRows: o.MaxRows,
		caseTypes: s.caseTypeIndex(),
		res:       &Result{},
		seed:      maphash.MakeSeed(),
		seen:      map[uint64]int{},
		cells:     make([]cell, len(s.Fields)),
		keyIdx:    map[string]int{},
	}
	for i, f := range s.Fields {
		c.keyIdx[f.Key] = i
	}
	if c.maxIssues <= 0 {
		c.maxIssues = 1000
	}
	if c.maxRows <= 0 {
		c.maxRows = 1_000_000
	}
	return c
}

// add records an issue, keeping only the first maxIssues of each kind.
func (c *checker) add(is Issue) {
	if is.Kind == Error {
		c.rowErrs++
		c.res.ErrorCount++
		if len(c.res.Errors) < c.maxIssues {
			c.res.Errors = append(c.res.Errors, is)
		}
		return
	}
	c.res.QueryCount++
	if len(c.res.Queries) < c.maxIssues {
		c.res.Queries = append(c.res.Queries, is)
	}
}

// cell is one value of the row being checked.
type cell struct {
	f     Field
	col   int
	value string
}

// cellOf returns the row's cell for a field; a field the schema lacks has
// no column.
func (c *checker) cellOf(key string) cell {
	if i, ok := c.keyIdx[key]; ok {
		return c.cells[i]
	}
	return cell{f: Field{Key: key, Label: key}, col: -1}
}

// issue records an issue about a cell of the row.
func (c *checker) issue(line int, cl cell, kind IssueKind, code, msg string) {
	header := cl.f.Label
	if cl.col >= 0 && cl.col < len(c.h.names) && c.h.names[cl.col] != "" {
		header = c.h.names[cl.col]
	}
	c.add(Issue{Row: line, Column: ColumnName(cl.col), Header: header, Field: cl.f.Key, Kind: kind, Code: code, Message: msg})
}

// row checks one data row, filling c.cur; it reports whether the row has
// no errors.
func (c *checker) row(line int, rec []string) bool {
	c.rowErrs = 0
	c.cur = Row{Number: line}
	for i, f := range c.schema.Fields {
		col := c.h.col[i]
		v := ""
		if col >= 0 && col < len(rec) {
			v = cleanText(rec[col])
		}
		cl := cell{f: f, col: col, value: v}
		c.cells[i] = cl
		if v == "" {
			if f.Required {
				c.issue(line, cl, Error, "required", fmt.Sprintf("Enter the %s", lowerLabel(f.Label)))
			}
			continue
		}
		if len(v) > maxValueLen*4 || countRunes(v) > maxValueLen {
			c.issue(line, cl, Error, "too_long", fmt.Sprintf("%s must be %d characters or fewer", f.Label, maxValueLen))
			continue
		}
		c.value(line, cl)
	}
	c.rules(line)
	return c.rowErrs == 0
}

func countRunes(s string) int { return len([]rune(s)) }

func lowerLabel(s string) string {
	if strings.HasSuffix(s, "ID") {
		return strings.ToLower(s[:len(s)-2]) + "ID"
	}
	return strings.ToLower(s)
}

// show quotes a value in a message, shortened.
func show(v string) string {
	if r := []rune(v); len(r) > 40 {
		v = string(r[:40]) + "…"
	}
	return fmt.Sprintf("%q", v)
}

// value parses one non-blank value into c.cur.
func (c *checker) value(line int, cl cell) {
	f, v := cl.f, cl.value
	switch f.Kind {
	case Date:
		d, ok := ParseDate(v, c.serial)
		if !ok {
			c.issue(line, cl, Error, "date", fmt.Sprintf("%s must be a real date, like 25/12/2024 (not %s)", f.Label, show(v)))
			return
		}
		c.setDate(f.Key, d)
	case YesNo:
		b, ok := ParseYesNo(v)
		if !ok {
			c.issue(line, cl, Error, "yes_no", fmt.Sprintf("%s must be Y or N (not %s)", f.Label, show(v)))
			return
		}
		c.setBool(f.Key, b)
	case Law:
		l, ok := ParseLawType(v)
		if !ok {
			c.issue(line, cl, Error, "law_type", fmt.Sprintf("%s must be public or private (not %s)", f.Label, show(v)))
			return
		}
		c.cur.LawType = l
	case Case:
		i, ok := c.caseTypes[Normalise(v)]
		if !ok {
			c.issue(line, cl, Error, "case_type", fmt.Sprintf("%s %s is not a case type we recognise (such as s31, s7, r16.4 or safeguarding letter only)", f.Label, show(v)))
			return
		}
		c.cur.CaseType = c.schema.CaseTypes[i].Code
	default:
		c.setText(f.Key, v)
	}
}

func (c *checker) setText(key, v string) {
	r := &c.cur
	switch key {
	case CaseID:
		r.CaseID = v
	case CaseName:
		r.CaseName = v
	case Gender:
		r.Gender = v
	case Ethnicity:
		r.Ethnicity = v
	case LeadApplication:
		r.LeadApplication = v
	case Practitioner:
		r.Practitioner = v
	case Team:
		r.Team = v
	case ServiceArea:
		r.ServiceArea = v
	case LocalAuthority:
		r.LocalAuthority = v
	case Court:
		r.Court = v
	case FileLocation:
		r.FileLocation = v
	case ChildID:
		r.ChildID = v
	}
}

func (c *checker) setDate(key string, d workday.Date) {
	switch key {
	case DateOfBirth:
		c.cur.DateOfBirth = d
	case CaseStart:
		c.cur.CaseStart = d
	case CaseEnd:
		c.cur.CaseEnd = d
	}
}

func (c *checker) setBool(key string, b bool) {
	p := &b
	switch key {
	case Disability:
		c.cur.Disability = p
	case ChildSeen:
		c.cur.ChildSeen = p
	case Section7Filed:
		c.cur.Section7Filed = p
	case Audit:
		c.cur.Audit = p
	}
}

// rules are the checks across a row's values, run on what parsed.
func (c *checker) rules(line int) {
	r := &c.cur
	cells := c.cellOf
	dob, start, end := r.DateOfBirth, r.CaseStart, r.CaseEnd
	if !dob.IsZero() && dob.After(c.today) {
		c.issue(line, cells(DateOfBirth), Error, "dob_future", "Date of birth must be today or in the past")
	}
	if !start.IsZero() && start.After(c.today) {
		c.issue(line, cells(CaseStart), Error, "start_future", "Case start date must be today or in the past")
	}
	if !end.IsZero() && end.After(c.today) {
		c.issue(line, cells(CaseEnd), Error, "end_future", "Case end date must be today or in the past: the list is of closed cases")
	}
	if !start.IsZero() && !end.IsZero() && end.Before(start) {
		c.issue(line, cells(CaseEnd), Error, "end_before_start",
			fmt.Sprintf("Case end date must be the same as or after the case start date (%s)", start.Format("2/1/2006")))
	}
	if !dob.IsZero() && !start.IsZero() {
		if !workday.NewDate(dob.Year()+18, dob.Month(), dob.Day()).After(start) {
			c.issue(line, cells(DateOfBirth), Query, "over_18",
				fmt.Sprintf("The child was 18 or over when the case started (%s): check the date of birth", start.Format("2/1/2006")))
		}
		if dob.After(start) && !dob.After(c.today) {
			c.issue(line, cells(DateOfBirth), Query, "born_after_start",
				"The child was born after the case started: check the dates (a pre-birth case can be explained)")
		}
	}
	if !end.IsZero() && !c.cover.Contains(end) {
		c.issue(line, cells(CaseEnd), Query, "end_outside_cover",
			fmt.Sprintf("Case end date is outside the dates the list covers (%s to %s)", c.cover.From.Format("2/1/2006"), c.cover.To.Format("2/1/2006")))
	}
	if !end.IsZero() && end.After(c.res.Last) {
		c.res.Last = end
	}
	if !start.IsZero() && (c.res.First.IsZero() || start.Before(c.res.First)) {
		c.res.First = start
	}
	if r.LawType == Public {
		c.publicRows++
		if r.LocalAuthority == "" && !c.noLAColumn {
			c.issue(line, cells(LocalAuthority), Query, "public_no_la", "Public law cases usually name the local authority")
		}
		if r.Section7Filed != nil && *r.Section7Filed {
			c.issue(line, cells(Section7Filed), Query, "s7_public", "Section 7 reports are filed in private law cases, but this is a public law case")
		}
	}
	if r.LawType != "" && r.CaseType != "" {
		if ct, ok := c.schema.caseTypeByCode(r.CaseType); ok && ct.Law != "" && ct.Law != r.LawType {
			c.issue(line, cells(CaseType), Query, "law_case_mismatch",
				fmt.Sprintf("%s is usually %s law, but the law type is %s", ct.Label, ct.Law, r.LawType))
		}
	}
	if r.CaseID != "" {
		var hsh maphash.Hash
		hsh.SetSeed(c.seed)
		hsh.WriteString(r.CaseID)
		hsh.WriteByte(0)
		hsh.WriteString(r.ChildID)
		k := hsh.Sum64()
		if first, dup := c.seen[k]; dup {
			what := "case ID and child ID"
			if !c.h.Has(ChildID) {
				what = "case ID"
			}
			c.issue(line, cells(CaseID), Query, "duplicate",
				fmt.Sprintf("Row %d has the same %s: check this is not the same child twice", first, what))
		} else {
			c.seen[k] = line
		}
	}
}

func (s *Schema) caseTypeByCode(code string) (CaseTypeDef, bool) {
	for _, ct := range s.CaseTypes {
		if ct.Code == code {
			return ct, true
		}
	}
	return CaseTypeDef{}, false
}

package server_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/ofsted/focusedvisits/internal/htmltest"
	"github.com/ofsted/focusedvisits/internal/publicid"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/xuri/excelize/v2"
)

// The request fixture's clock is Mon 14 Apr 2025: lists cover the two
// weeks before.
const cdListHeader = "Case ref,Child ID,Case name,DOB,Law type,Case type,Practitioner,Team,Service area,Local authority,Case start date,Case end date,Child seen (Y/N)"

func cdListRow(i int, law, typ, team, area string) string {
	la := ""
	if law == "Public" {
		la = "Kent"
	}
	return fmt.Sprintf("C%04d,K1,Re %d,01/02/2015,%s,%s,Sam Smith,%s,%s,%s,2024-06-01,%02d/04/2025,Y", i, i, law, typ, team, area, la, 1+i%11)
}

func goodList() string {
	rows := []string{cdListHeader}
	for i := range 6 {
		law, typ := "Private", "s7"
		if i%3 == 0 {
			law, typ = "Public", "s31"
		}
		rows = append(rows, cdListRow(i, law, typ, fmt.Sprintf("Team %d", i%2), "South East"))
	}
	return strings.Join(rows, "\n") + "\n"
}

type listUpload struct {
	from, to [3]string // day, month, year
	name     string
	content  []byte
}

func coverApril(name string, content []byte) listUpload {
	return listUpload{from: [3]string{"31", "3", "2025"}, to: [3]string{"11", "4", "2025"}, name: name, content: content}
}

// postList posts the upload form as a browser does: the dates first, then
// the file.
func (f *requestFixture) postList(t *testing.T, c *http.Client, path string, u listUpload) *http.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for i, part := range []string{"day", "month", "year"} {
		_ = mw.WriteField("covers-from-"+part, u.from[i])
		_ = mw.WriteField("covers-to-"+part, u.to[i])
	}
	fw, err := mw.CreateFormFile("file", u.name)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = fw.Write(u.content)
	_ = mw.Close()
	req, err := http.NewRequest(http.MethodPost, f.ts.URL+path, &body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return res
}

// stored counts the visit's child rows (in any list), the CL.1 item's
// files, and whether it has any list.
func (f *requestFixture) stored(t *testing.T) (rows, files int, lists bool) {
	t.Helper()
	ctx := context.Background()
	rows, err := f.ts.Store.ChildRowCount(ctx, f.visit.ID)
	if err != nil {
		t.Fatal(err)
	}
	it := f.items(t)["CL.1"]
	if files, err = f.ts.Store.CountItemFiles(ctx, it.ID); err != nil {
		t.Fatal(err)
	}
	_, err = f.ts.Store.LatestChildList(ctx, f.visit.ID, it.ID)
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		t.Fatal(err)
	default:
		lists = true
	}
	return rows, files, lists
}

func newChildListFixture(t *testing.T) (*requestFixture, string) {
	t.Helper()
	f := newRequestFixture(t)
	f.setRequest(t)
	f.recordNotice(t)
	return f, f.itemPath(t, "CL.1") + "/child-list"
}

func TestChildList_RejectedThenCorrected(t *testing.T) {
	t.Parallel()
	f, path := newChildListFixture(t)
	bad := goodList() +
		cdListRow(6, "Civil", "s7", "Team 1", "South East") + "\n" + // law type: error
		strings.Replace(cdListRow(7, "Private", "s99", "Team 1", "South East"), "01/02/2015", "31/02/2015", 1) + "\n" + // two errors
		cdListRow(8, "Public", "s31", "Team 1", "South East") + "\n" // a query (case end outside the range)
	bad = strings.Replace(bad, "C0008,K1,Re 8,01/02/2015,Public,s31,Sam Smith,Team 1,South East,Kent,2024-06-01,09/04/2025",
		"C0008,K1,Re 8,01/02/2015,Public,s31,Sam Smith,Team 1,South East,Kent,2024-06-01,20/03/2025", 1)

	res := f.postList(t, f.ceoC, path, coverApril("list.csv", []byte(bad)))
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("bad list: status %d", res.StatusCode)
	}
	doc := parse(t, res)
	wantErrors(t, doc, "#list-errors")
	var rows []string
	doc.Find("#list-errors tbody tr").Each(func(_ int, s *goquery.Selection) {
		rows = append(rows, htmltest.Text(s.Find("td").First())+" "+htmltest.Text(s.Find("td").Eq(1)))
	})
	if want := []string{"8 E (Law type)", "9 D (DOB)", "9 F (Case type)"}; strings.Join(rows, "|") != strings.Join(want, "|") {
		t.Errorf("error rows %q, want %q", rows, want)
	}
	if q := htmltest.Text(doc.Find("#list-queries tbody tr td").First()); q != "10" {
		t.Errorf("first query row %q, want 10", q)
	}
	if rows, files, lists := f.stored(t); rows != 0 || files != 0 || !lists {
		t.Errorf("rejected list: %d rows and %d files stored, list recorded %v", rows, files, lists)
	}

	// The page shows the rejected list again later.
	doc = parse(t, f.ts.get(f.ceoC, path))
	if doc.Find("#list-errors tbody tr").Length() != 3 {
		t.Errorf("the stored issues are not shown again")
	}

	res = f.postList(t, f.ceoC, path, coverApril("list.csv", []byte(goodList())))
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != path+"#result" {
		t.Fatalf("good list: status %d to %q: %s", res.StatusCode, res.Header.Get("Location"), htmltest.Text(parse(t, res).Find(".govuk-error-summary")))
	}
	doc = parse(t, f.ts.get(f.ceoC, path))
	if got := htmltest.Text(doc.Find("[data-testid=accepted]")); got != "The list was accepted with 6 rows." {
		t.Errorf("accepted text %q", got)
	}
	if rows, files, _ := f.stored(t); rows != 6 || files != 1 {
		t.Errorf("accepted list: %d rows and %d files stored, want 6 and 1", rows, files)
	}
	it := f.items(t)["CL.1"]
	if it.CoversFrom.String() != "2025-03-31" || it.CoversTo.String() != "2025-04-11" || it.Status != "in_progress" {
		t.Errorf("item %+v", it)
	}
}

func TestChildList_XLSXAccepted(t *testing.T) {
	t.Parallel()
	f, path := newChildListFixture(t)
	x := excelize.NewFile()
	defer x.Close()
	style, _ := x.NewStyle(&excelize.Style{NumFmt: 14})
	for r, line := range strings.Split(strings.TrimSpace(goodList()), "\n") {
		for c, v := range strings.Split(line, ",") {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			if r > 0 && (c == 3 || c == 11) { // dates as real Excel dates
				d, _ := time.Parse("02/01/2006", v)
				_ = x.SetCellValue("Sheet1", cell, d)
				_ = x.SetCellStyle("Sheet1", cell, cell, style)
				continue
			}
			_ = x.SetCellValue("Sheet1", cell, v)
		}
	}
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		t.Fatal(err)
	}
	res := f.postList(t, f.ceoC, path, coverApril("CL.1 children.xlsx", buf.Bytes()))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("xlsx: status %d: %s", res.StatusCode, htmltest.Text(parse(t, res).Find("#result")))
	}
	page, err := f.ts.Store.ListChildRows(context.Background(), f.visit.ID, store.ChildRowFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != 6 || page.Rows[0].DateOfBirth.String() != "2015-02-01" || page.Rows[0].CaseEnd.String() != "2025-04-01" {
		t.Errorf("%d rows, first %+v", page.Total, page.Rows[0].Row)
	}
}

func TestChildList_DateRangeAndFileErrors(t *testing.T) {
	t.Parallel()
	f, path := newChildListFixture(t)
	tests := []struct {
		name  string
		u     listUpload
		links []string
	}{
		{"missing date range", listUpload{name: "list.csv", content: []byte(goodList())}, []string{"#covers-from-day", "#covers-to-day"}},
		{"from after to", listUpload{from: [3]string{"12", "4", "2025"}, to: [3]string{"11", "4", "2025"}, name: "list.csv", content: []byte(goodList())}, []string{"#covers-to-day"}},
		{"not a date", listUpload{from: [3]string{"31", "2", "2025"}, to: [3]string{"11", "4", "2025"}, name: "list.csv", content: []byte(goodList())}, []string{"#covers-from-day"}},
		{"no file", listUpload{from: [3]string{"31", "3", "2025"}, to: [3]string{"11", "4", "2025"}}, []string{"#file"}},
		{"wrong type", coverApril("list.pdf", []byte("%PDF-1.4\n")), []string{"#file"}},
		{"CSV named xlsx", coverApril("list.xlsx", []byte(goodList())), []string{"#file"}},
		{"empty file", coverApril("list.csv", nil), []string{"#file"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := f.postList(t, f.ceoC, path, tt.u)
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d", res.StatusCode)
			}
			wantErrors(t, parse(t, res), tt.links...)
		})
	}
	if rows, files, lists := f.stored(t); rows != 0 || files != 0 || lists {
		t.Errorf("%d rows and %d files stored, a list recorded: %v", rows, files, lists)
	}
}

func TestChildData_CafcassBeforeNoticeGetsNotFound(t *testing.T) {
	t.Parallel()
	f := newRequestFixture(t)
	f.setRequest(t)
	item := f.itemPath(t, "CL.1")
	madeVisit := "/visits/" + publicid.New() // well formed, but no visit has it
	made := madeVisit + "/request/items/" + publicid.New()
	for _, p := range []struct{ method, real, fake string }{
		{"GET", item + "/child-list", made + "/child-list"},
		{"POST", item + "/child-list", made + "/child-list"},
		{"GET", f.base + "/case-sample", madeVisit + "/case-sample"},
		{"GET", f.base + "/child-data", madeVisit + "/child-data"},
		{"POST", f.base + "/child-data/sample/release", madeVisit + "/child-data/sample/release"},
	} {
		status := func(path string) int {
			if p.method == "GET" {
				return f.ts.get(f.ceoC, path).StatusCode
			}
			return f.postList(t, f.ceoC, path, coverApril("list.csv", []byte(goodList()))).StatusCode
		}
		real, fake := status(p.real), status(p.fake)
		if real != fake || (real != http.StatusNotFound && real != http.StatusForbidden) {
			t.Errorf("%s %s: %d, a made-up id %d", p.method, p.real, real, fake)
		}
	}
	if rows, files, lists := f.stored(t); rows != 0 || files != 0 || lists {
		t.Errorf("%d rows and %d files stored, a list recorded: %v", rows, files, lists)
	}
}

func TestChildData_SummaryAndSample(t *testing.T) {
	t.Parallel()
	f, path := newChildListFixture(t)
	if res := f.postList(t, f.ceoC, path, coverApril("list.csv", []byte(goodList()))); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d", res.StatusCode)
	}
	doc := parse(t, f.ts.get(f.saoC, f.base+"/child-data"))
	if got := htmltest.Text(doc.Find("[data-testid=row-count]")); got != "6" {
		t.Errorf("row count %q", got)
	}
	var counts []string
	doc.Find("[data-testid=summary] tbody tr").Each(func(_ int, s *goquery.Selection) {
		counts = append(counts, htmltest.Text(s.Find("th"))+" "+htmltest.Text(s.Find("td")))
	})
	summary := strings.Join(counts, "|")
	for _, want := range []string{"Private 4", "Public 2", "Section 7 report 4", "Section 31 (care and supervision) 2", "South East 6", "Team 0 (South East) 3", "Team 1 (South East) 3"} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary %q lacks %q", summary, want)
		}
	}
	doc = parse(t, f.ts.get(f.saoC, f.base+"/child-data?law=public&sort=case&desc=1"))
	var cases []string
	doc.Find("[data-testid=child-rows] tbody tr").Each(func(_ int, s *goquery.Selection) {
		cases = append(cases, htmltest.Text(s.Find("[data-testid=case-id]")))
	})
	if strings.Join(cases, " ") != "C0003 C0000" {
		t.Errorf("public law rows, newest case first: %v", cases)
	}
	if f.ts.get(f.teamC, f.base+"/child-data/sample/new?case=C0003&child=K1").StatusCode != http.StatusForbidden {
		t.Errorf("a team inspector may choose the sample")
	}

	const reason = "Long-running public law case with three changes of practitioner"
	add := url.Values{"case": {"C0003"}, "child": {"K1"}, "inspector": {fmt.Sprint(f.team.ID)}, "reason": {reason}}
	if res := f.ts.post(f.saoC, f.base+"/child-data/sample/new", url.Values{"case": {"C0003"}, "child": {"K1"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("no reason or inspector: %d", res.StatusCode)
	} else {
		wantErrors(t, parse(t, res), "#inspector", "#reason")
	}
	if res := f.ts.post(f.saoC, f.base+"/child-data/sample/new", add); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add to sample: %d", res.StatusCode)
	}
	if body := readAll(t, f.ts.get(f.leadC, f.base+"/child-data").Body); !strings.Contains(body, reason) {
		t.Errorf("Ofsted does not see the reason")
	}

	// Not released: Cafcass sees that there is nothing yet.
	body := readAll(t, f.ts.get(f.ceoC, f.base+"/case-sample").Body)
	if strings.Contains(body, "C0003") || !strings.Contains(body, "not shared the case sample yet") {
		t.Errorf("Cafcass sees the sample before release")
	}
	if res := f.ts.post(f.leadC, f.base+"/child-data/sample/release", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("release: %d", res.StatusCode)
	}
	res := f.ts.get(f.ceoC, f.base+"/case-sample")
	doc = parse(t, res)
	row := htmltest.Text(doc.Find("[data-testid=case-sample] tbody tr"))
	if !strings.Contains(row, "C0003") || !strings.Contains(row, f.team.Name) {
		t.Errorf("Cafcass sees %q", row)
	}
	if html, _ := doc.Html(); strings.Contains(html, "three changes") || strings.Contains(html, "Reason") {
		t.Errorf("Cafcass sees the internal reason")
	}
	if f.ts.get(f.ceoC, f.base+"/child-data").StatusCode != http.StatusNotFound {
		t.Errorf("Cafcass may open the analysts' page")
	}
}

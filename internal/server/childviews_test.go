package server_test

import (
	"context"
	"fmt"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/go-chi/chi/v5"
	"github.com/ofsted/focusedvisits/internal/htmltest"
	"github.com/ofsted/focusedvisits/internal/publicid"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/upload"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
)

// childWorld is the world with the ids of its children's data: visit A's
// CL.1 list file (sent by Cafcass) and its AL.1 item.
type childWorld struct {
	*world
	visitID  int64
	base     string
	items    map[string]store.RequestItem
	listFile string // the public id of CL.1's file
}

func newChildWorld(t *testing.T) *childWorld {
	t.Helper()
	w := newWorld(t, nil)
	cw := &childWorld{world: w, items: map[string]store.RequestItem{}}
	cw.visitID = w.visitIDOf(t, w.params["visitID"])
	cw.base = "/visits/" + w.params["visitID"]
	ctx := context.Background()
	items, err := w.ts.Store.ListItems(ctx, cw.visitID)
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		cw.items[it.Number] = it
	}
	docs, err := w.ts.Store.ListItemFiles(ctx, cw.items["CL.1"].ID)
	if err != nil || len(docs) != 1 {
		t.Fatalf("CL.1 files: %v, %v", docs, err)
	}
	cw.listFile = docs[0].Current.PublicID
	return cw
}

func (cw *childWorld) itemPath(number string) string {
	return cw.base + "/request/items/" + cw.items[number].PublicID
}

func (cw *childWorld) fileHref(id string) string { return cw.base + "/files/" + id }

// views returns the record of who viewed visit A's children's data, newest
// first.
func (cw *childWorld) views(t *testing.T) []store.ChildDataView {
	t.Helper()
	p, err := cw.ts.Store.ListChildDataViews(context.Background(), store.ChildDataViewFilter{VisitID: cw.visitID})
	if err != nil {
		t.Fatal(err)
	}
	return p.Views
}

// childRoutes are every route that serves or changes children's data, with
// real ids of visit A: the routes under /child-data, /case-sample and
// /child-list, and the download and removal of its child-level list file.
func (cw *childWorld) childRoutes(t *testing.T) [][2]string {
	t.Helper()
	var out [][2]string
	err := chi.Walk(cw.ts.App.Router(), func(method, pattern string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if !strings.Contains(pattern, "/child-data") && !strings.Contains(pattern, "/case-sample") && !strings.Contains(pattern, "/child-list") {
			return nil
		}
		p := cw.path(t, pattern)
		if strings.HasSuffix(pattern, "/sample/new") && method == http.MethodGet {
			p += "?case=C0000&child=K1"
		}
		out = append(out, [2]string{method, p})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(out) < 8 {
		t.Fatalf("found only %d child-data routes: %v", len(out), out)
	}
	file := cw.fileHref(cw.listFile)
	return append(out, [2]string{http.MethodGet, file}, [2]string{http.MethodGet, file + "/remove"}, [2]string{http.MethodPost, file + "/remove"})
}

// TestChildData_NeedToKnow (DOMAIN decision 17): the QAM and an
// administrator get, on every route of a visit's children's data, the
// answer a visit that does not exist gets (404), and no page they can see
// links to it; the lead, team inspectors and SAOs see it.
func TestChildData_NeedToKnow(t *testing.T) {
	t.Parallel()
	cw := newChildWorld(t)
	ts := cw.ts
	missing := htmltest.Text(parse(t, ts.get(cw.clients[user.QAM], "/visits/987654")).Find("h1"))
	rows, files := childCounts(t, cw)
	for _, role := range []user.Role{user.QAM, user.Admin} {
		c := cw.clients[role]
		for _, rt := range cw.childRoutes(t) {
			res := ts.do(c, rt[0], rt[1])
			if res.StatusCode != http.StatusNotFound {
				t.Errorf("%s: %s %s answered %d, want 404", role, rt[0], rt[1], res.StatusCode)
				continue
			}
			if h1 := htmltest.Text(parse(t, res).Find("h1")); h1 != missing {
				t.Errorf("%s: %s %s shows %q, not what a missing visit shows (%q)", role, rt[0], rt[1], h1, missing)
			}
		}
		// A document that holds no children's data is still theirs to read.
		if res := ts.get(c, cw.fileHref(cw.params["fileID"])); res.StatusCode != http.StatusOK {
			t.Errorf("%s: the document answered %d", role, res.StatusCode)
		}
	}
	if r, f := childCounts(t, cw); r != rows || f != files {
		t.Errorf("refused requests changed children's data: rows %d→%d, files %d→%d", rows, r, files, f)
	}
	if v := cw.views(t); len(v) != 0 {
		t.Errorf("refused requests recorded %d views", len(v))
	}

	// No page they can see links to it.
	childLink := func(href string) bool {
		return strings.Contains(href, "/child-data") || strings.Contains(href, "/case-sample") || strings.Contains(href, "/child-list") ||
			strings.HasPrefix(href, cw.fileHref(cw.listFile))
	}
	pages := []string{"/", "/calendar?month=2025-04", cw.base, cw.base + "/request", cw.itemPath("CL.1"), cw.itemPath("AL.1"),
		cw.base + "/history", cw.base + "/letter"}
	for _, role := range []user.Role{user.QAM, user.Admin} {
		for _, p := range pages {
			res := ts.get(cw.clients[role], p)
			if res.StatusCode != http.StatusOK {
				t.Errorf("%s: %s answered %d", role, p, res.StatusCode)
				continue
			}
			doc := parse(t, res)
			doc.Find("a[href], form[action]").Each(func(_ int, s *goquery.Selection) {
				href, _ := s.Attr("href")
				if action, ok := s.Attr("action"); ok {
					href = action
				}
				if childLink(href) {
					t.Errorf("%s: %s links to %s", role, p, href)
				}
			})
			if role == user.QAM && p == cw.itemPath("CL.1") && doc.Find("[data-testid=child-files-hidden]").Length() != 1 {
				t.Errorf("the QAM is not told why CL.1's files are not listed")
			}
		}
	}
	// The history says a case was chosen, not which, to those who may not
	// see children's data; the lead reads which.
	for _, role := range []user.Role{user.QAM, user.Admin} {
		h := htmltest.Text(parse(t, ts.get(cw.clients[role], cw.base+"/history")).Find("main"))
		if !strings.Contains(h, "Case added to the sample") || strings.Contains(h, "C0000") {
			t.Errorf("%s: the history names the sampled case, or lost the line: %q", role, h)
		}
	}
	if csv := readAll(t, ts.get(cw.clients[user.Admin], cw.base+"/history.csv").Body); strings.Contains(csv, "C0000") {
		t.Error("the history export names the sampled case to an administrator")
	}
	if h := htmltest.Text(parse(t, ts.get(cw.clients[user.LeadInspector], cw.base+"/history")).Find("main")); !strings.Contains(h, "Case C0000, child K1") {
		t.Errorf("the lead's history does not name the sampled case: %q", h)
	}

	// The same pages do link to it for the lead (so the check above can fail).
	doc := parse(t, ts.get(cw.clients[user.LeadInspector], cw.base))
	if doc.Find(`a[href="`+cw.base+`/child-data"]`).Length() != 1 {
		t.Error("the lead's visit page has no link to the child-level data")
	}
	doc = parse(t, ts.get(cw.clients[user.LeadInspector], cw.itemPath("CL.1")))
	if doc.Find(`a[href="`+cw.fileHref(cw.listFile)+`"]`).Length() != 1 {
		t.Error("the lead's CL.1 page does not list the list's file")
	}

	// The need-to-know team sees it.
	for _, role := range []user.Role{user.LeadInspector, user.TeamInspector, user.SAO} {
		c := cw.clients[role]
		for _, p := range []string{cw.base + "/child-data", cw.base + "/case-sample", cw.itemPath("CL.1") + "/child-list", cw.fileHref(cw.listFile)} {
			if res := ts.get(c, p); res.StatusCode != http.StatusOK {
				t.Errorf("%s: %s answered %d", role, p, res.StatusCode)
			}
		}
		want := http.StatusOK
		if role == user.TeamInspector {
			want = http.StatusForbidden // sees the rows, does not choose the sample
		}
		if res := ts.get(c, cw.base+"/child-data/sample/new?case=C0000&child=K1"); res.StatusCode != want {
			t.Errorf("%s: sample form answered %d, want %d", role, res.StatusCode, want)
		}
	}
}

func mustID(t *testing.T, s string) int64 {
	t.Helper()
	var id int64
	if _, err := fmt.Sscan(s, &id); err != nil {
		t.Fatal(err)
	}
	return id
}

// childCounts counts visit A's child rows and files, in the database.
func childCounts(t *testing.T, cw *childWorld) (rows, files int) {
	t.Helper()
	ctx := context.Background()
	if err := cw.ts.Pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM child_rows r JOIN child_lists l ON l.id = r.list_id WHERE l.visit_id = $1),
		(SELECT count(*) FROM files WHERE visit_id = $1 AND removed_at IS NULL)`, cw.visitID).Scan(&rows, &files); err != nil {
		t.Fatal(err)
	}
	return rows, files
}

// TestChildDataViews_Recorded: every view and download of children's data
// is recorded once, with who, when, which visit and which kind of record,
// never the data; administrators see the record, newest first, for all
// visits and for one, and are linked to it from the users and visit pages.
func TestChildDataViews_Recorded(t *testing.T) {
	t.Parallel()
	cw := newChildWorld(t)
	ts := cw.ts
	lead, sao, ceo := cw.users[user.LeadInspector], cw.users[user.SAO], cw.users[user.CafcassCEO]
	clock := time.Date(2025, 4, 14, 10, 0, 0, 0, londonTZ)

	type want struct {
		by     user.User
		record visit.ChildRecord
	}
	var wants []want
	view := func(c *http.Client, by user.User, p string, rec visit.ChildRecord) {
		t.Helper()
		if res := ts.get(c, p); res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", p, res.StatusCode)
		}
		wants = append(wants, want{by, rec})
	}
	view(cw.clients[user.LeadInspector], lead, cw.base+"/child-data", visit.ChildRowsPage)
	if n := len(cw.views(t)); n != 1 {
		t.Fatalf("after one view of the rows page, %d records", n)
	}
	view(cw.clients[user.LeadInspector], lead, cw.base+"/child-data?law=public&sort=case", visit.ChildRowsPage)
	view(cw.clients[user.SAO], sao, cw.base+"/child-data/sample/new?case=C0000&child=K1", visit.ChildRowForSample)
	view(cw.clients[user.LeadInspector], lead, cw.itemPath("CL.1")+"/child-list", visit.ChildListCheck)
	view(cw.clients[user.CafcassCEO], ceo, cw.fileHref(cw.listFile), visit.ChildFile)
	if res := ts.post(cw.clients[user.LeadInspector], cw.base+"/child-data/sample/release", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("release: %d", res.StatusCode)
	}
	view(cw.clients[user.CafcassCEO], ceo, cw.base+"/case-sample", visit.CaseSample)
	// Pages about children's data that show none are not views of it: the
	// upload form before any list, and a document download.
	if res := ts.get(cw.clients[user.LeadInspector], cw.fileHref(cw.params["fileID"])); res.StatusCode != http.StatusOK {
		t.Fatalf("document: %d", res.StatusCode)
	}

	got := cw.views(t)
	if len(got) != len(wants) {
		t.Fatalf("%d views recorded, want %d: %+v", len(got), len(wants), got)
	}
	for i, w := range wants {
		g := got[len(got)-1-i] // newest first
		if g.UserID != w.by.ID || g.UserName != w.by.Name || g.Role != w.by.Role || g.VisitID != cw.visitID || g.Record != w.record {
			t.Errorf("view %d: %+v, want %s by %s", i, g, w.record, w.by.Name)
		}
		if d := g.At.Sub(clock); d < 0 || d > time.Hour {
			t.Errorf("view %d at %s, want the service's clock (%s)", i, g.At, clock)
		}
	}
	// The record holds no data: its table has no column that could.
	var cols []string
	rows, err := ts.Pool.Query(context.Background(), `SELECT column_name FROM information_schema.columns WHERE table_name = 'child_data_views' ORDER BY ordinal_position`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var c string
		_ = rows.Scan(&c)
		cols = append(cols, c)
	}
	rows.Close()
	if got := strings.Join(cols, " "); got != "id viewed_at visit_id user_id user_role record" {
		t.Errorf("child_data_views columns: %s", got)
	}

	// Administrators see it: all visits, and one visit.
	admin := cw.clients[user.Admin]
	users := parse(t, ts.get(admin, "/users"))
	if users.Find(`a[href="/admin/children-data-views"]`).Length() != 1 {
		t.Error("the users page does not link to the record of views")
	}
	visitPage := parse(t, ts.get(admin, cw.base))
	if visitPage.Find(`a[href="`+cw.base+`/children-data-views"]`).Length() != 1 {
		t.Error("the visit page does not link an administrator to the visit's record of views")
	}
	if parse(t, ts.get(cw.clients[user.LeadInspector], cw.base)).Find(`a[href$="children-data-views"]`).Length() != 0 {
		t.Error("the lead is linked to the record of views")
	}
	for _, p := range []string{"/admin/children-data-views", cw.base + "/children-data-views"} {
		doc := parse(t, ts.get(admin, p))
		htmltest.CheckPage(t, doc)
		var lines []string
		doc.Find("[data-testid=child-data-views] tbody tr").Each(func(_ int, s *goquery.Selection) {
			lines = append(lines, htmltest.Text(s))
		})
		if len(lines) != len(wants) {
			t.Fatalf("%s lists %d views, want %d: %q", p, len(lines), len(wants), lines)
		}
		first, last := lines[0], lines[len(lines)-1]
		if !strings.Contains(first, ceo.Name) || !strings.Contains(first, "Case sample") || !strings.Contains(first, "14 Apr 2025") {
			t.Errorf("%s: newest view %q", p, first)
		}
		if !strings.Contains(last, lead.Name) || !strings.Contains(last, "Lead inspector") || !strings.Contains(last, "Child-level rows page") {
			t.Errorf("%s: oldest view %q", p, last)
		}
		if p == "/admin/children-data-views" && !strings.Contains(first, "FV-") {
			t.Errorf("the record of every visit does not name the visit: %q", first)
		}
		if body := htmltest.Text(doc.Find("main")); strings.Contains(body, "C0000") || strings.Contains(body, "Re 0") || strings.Contains(body, "list.csv") {
			t.Errorf("%s shows children's data", p)
		}
	}
	// Another visit's record is not in visit A's.
	if err := ts.Store.RecordChildDataView(context.Background(), store.NewChildDataView{VisitID: cw.visitIDOf(t, cw.visitB), UserID: lead.ID, Role: lead.Role, Record: visit.ChildRowsPage, At: clock}); err != nil {
		t.Fatal(err)
	}
	if n := parse(t, ts.get(admin, cw.base+"/children-data-views")).Find("[data-testid=child-data-views] tbody tr").Length(); n != len(wants) {
		t.Errorf("visit A's record lists %d views, want %d", n, len(wants))
	}
	if n := parse(t, ts.get(admin, "/admin/children-data-views")).Find("[data-testid=child-data-views] tbody tr").Length(); n != len(wants)+1 {
		t.Errorf("the record of every visit lists %d views, want %d", n, len(wants)+1)
	}
}

// TestChildDataViews_Paginated: the record is shown a page at a time,
// newest first, with previous and next links.
func TestChildDataViews_Paginated(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	ctx := context.Background()
	lead := ts.addUser(user.LeadInspector, "lead@example.gov.uk")
	ts.addUser(user.Admin, "admin@example.gov.uk")
	admin := ts.signIn("admin@example.gov.uk")
	d := ts.createTestVisit(lead, "notice", date("2025-04-14"), visit.Member{UserID: lead.ID, Role: visit.RoleLead})
	n := store.ChildDataViewsPerPage + 7
	start := time.Date(2025, 4, 14, 9, 0, 0, 0, londonTZ)
	for i := range n {
		if err := ts.Store.RecordChildDataView(ctx, store.NewChildDataView{VisitID: d.ID, UserID: lead.ID, Role: lead.Role,
			Record: visit.ChildRecords[i%len(visit.ChildRecords)], At: start.Add(time.Duration(i) * time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	base := "/visits/" + d.PublicID + "/children-data-views"
	whens := func(doc *goquery.Document) []string {
		var out []string
		doc.Find("[data-testid=child-data-views] tbody tr td:first-child").Each(func(_ int, s *goquery.Selection) { out = append(out, htmltest.Text(s)) })
		return out
	}
	for _, p := range []string{"/admin/children-data-views", base} {
		doc := parse(t, ts.get(admin, p))
		first := whens(doc)
		if len(first) != store.ChildDataViewsPerPage {
			t.Fatalf("%s page 1: %d rows", p, len(first))
		}
		last := timeline.FormatTime(start.Add(time.Duration(n-1) * time.Minute))
		if first[0] != last {
			t.Errorf("%s: first row %q, want the newest, %q", p, first[0], last)
		}
		next, ok := doc.Find(".govuk-pagination__next a").Attr("href")
		if !ok || doc.Find(".govuk-pagination__prev").Length() != 0 {
			t.Fatalf("%s page 1: next %q, a previous link: %v", p, next, doc.Find(".govuk-pagination__prev").Length() != 0)
		}
		doc = parse(t, ts.get(admin, next))
		second := whens(doc)
		if len(second) != 7 || second[6] != timeline.FormatTime(start) {
			t.Errorf("%s page 2: %q", p, second)
		}
		if doc.Find(".govuk-pagination__prev a").Length() != 1 || doc.Find(".govuk-pagination__next").Length() != 0 {
			t.Errorf("%s page 2: wrong pagination links", p)
		}
		// A page past the end, or not a number, is the nearest page.
		for _, q := range []string{"?page=99", "?page=abc", "?page=-1"} {
			if res := ts.get(admin, p+q); res.StatusCode != http.StatusOK {
				t.Errorf("%s%s: %d", p, q, res.StatusCode)
			}
		}
	}
	if res := ts.get(admin, "/visits/987654/children-data-views"); res.StatusCode != http.StatusNotFound {
		t.Errorf("a visit that does not exist: %d", res.StatusCode)
	}
}

// TestChildData_CafcassSeesOnlyWhatItSent: Cafcass sees the child-level
// files and list checks Cafcass sent, and the case sample once released,
// never what Ofsted uploaded, nor the analysts' pages.
func TestChildData_CafcassSeesOnlyWhatItSent(t *testing.T) {
	t.Parallel()
	cw := newChildWorld(t)
	ts := cw.ts
	ctx := context.Background()
	ceoC, leadC := cw.clients[user.CafcassCEO], cw.clients[user.LeadInspector]
	ceo, lead := cw.users[user.CafcassCEO], cw.users[user.LeadInspector]
	al := cw.items["AL.1"]
	save := func(name string, by user.User) upload.File {
		t.Helper()
		f, err := ts.Store.SaveFile(ctx, store.NewFile{VisitID: cw.visitID, ItemID: al.ID, Name: "AL.1 " + name, OriginalName: name, ContentType: "text/csv"},
			strings.NewReader("Case ref\nC0001\n"), by)
		if err != nil {
			t.Fatal(err)
		}
		return f
	}
	theirs := save("audited by Cafcass.csv", ceo)
	ours := save("audited cases noted by Ofsted.csv", lead)

	// The item page lists Cafcass's file only; Ofsted's answers as a file
	// that does not exist.
	doc := parse(t, ts.get(ceoC, cw.itemPath("AL.1")))
	var names []string
	doc.Find("[data-testid=file-link]").Each(func(_ int, s *goquery.Selection) { names = append(names, htmltest.Text(s)) })
	if strings.Join(names, "|") != "AL.1 audited by Cafcass.csv" {
		t.Errorf("Cafcass sees the files %q", names)
	}
	if res := ts.get(ceoC, cw.fileHref(theirs.PublicID)); res.StatusCode != http.StatusOK {
		t.Errorf("Cafcass's own file: %d", res.StatusCode)
	}
	made := ts.get(ceoC, cw.fileHref(publicid.New()))
	res := ts.get(ceoC, cw.fileHref(ours.PublicID))
	if res.StatusCode != http.StatusNotFound || made.StatusCode != http.StatusNotFound {
		t.Errorf("Ofsted's child-level file answers Cafcass %d, a made-up one %d", res.StatusCode, made.StatusCode)
	}
	doc = parse(t, ts.get(leadC, cw.itemPath("AL.1")))
	if n := doc.Find("[data-testid=file-link]").Length(); n != 2 {
		t.Errorf("the lead sees %d of AL.1's files, want 2", n)
	}

	// A list the lead checked is not shown to Cafcass; Cafcass's own is.
	list := cw.itemPath("CL.1") + "/child-list"
	if doc := parse(t, ts.get(ceoC, list)); doc.Find("[data-testid=accepted]").Length() != 1 {
		t.Error("Cafcass does not see how its own list was checked")
	}
	f := &requestFixture{ts: ts}
	if res := f.postList(t, leadC, list, coverApril("list from Ofsted.csv", []byte(goodList()))); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the lead's list: %d", res.StatusCode)
	}
	if doc := parse(t, ts.get(leadC, list)); !strings.Contains(htmltest.Text(doc.Find("#result")), "list from Ofsted.csv") {
		t.Error("the lead does not see the list they uploaded")
	}
	body := readAll(t, ts.get(ceoC, list).Body)
	if strings.Contains(body, "list from Ofsted.csv") || strings.Contains(body, "data-testid=\"accepted\"") {
		t.Error("Cafcass sees the check of a list Ofsted uploaded")
	}
	docs, err := ts.Store.ListItemFiles(ctx, cw.items["CL.1"].ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		if d.Current.UploadedBy == lead.ID {
			if res := ts.get(ceoC, cw.fileHref(d.Current.PublicID)); res.StatusCode != http.StatusNotFound {
				t.Errorf("Cafcass downloads the lead's list: %d", res.StatusCode)
			}
		}
	}

	// The analysts' pages are not Cafcass's, sample released or not.
	for _, p := range []string{cw.base + "/child-data", cw.base + "/child-data/sample/new?case=C0000&child=K1"} {
		if res := ts.get(ceoC, p); res.StatusCode != http.StatusNotFound {
			t.Errorf("Cafcass %s: %d", p, res.StatusCode)
		}
	}
	if res := ts.post(leadC, cw.base+"/child-data/sample/release", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("release: %d", res.StatusCode)
	}
	doc = parse(t, ts.get(ceoC, cw.base+"/case-sample"))
	if row := htmltest.Text(doc.Find("[data-testid=case-sample] tbody tr")); !strings.Contains(row, "C0000") {
		t.Errorf("Cafcass does not see the released sample: %q", row)
	}
	if strings.Contains(htmltest.Text(doc.Find("main")), "First case") {
		t.Error("Cafcass sees Ofsted's reason for the sample")
	}
}

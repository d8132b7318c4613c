package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/ofsted/focusedvisits/internal/annexa"
	"github.com/ofsted/focusedvisits/internal/htmltest"
	"github.com/ofsted/focusedvisits/internal/publicid"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
)

type requestFixture struct {
	ts                       *testServer
	lead, sao, team, ceo     user.User
	leadC, saoC, teamC, ceoC *http.Client
	visit                    visit.Details
	base                     string
}

var londonTZ = func() *time.Location {
	l, err := time.LoadLocation("Europe/London")
	if err != nil {
		panic(err)
	}
	return l
}()

// setClock moves the test server's clock to t (to within the seconds the
// test takes).
func (ts *testServer) setClock(t time.Time) {
	ts.offset.Store(int64(time.Until(t).Seconds()))
}

// newRequestFixture is the B.4 visit (notice Mon 14 Apr 2025, so day 3 is
// Wed 16 Apr and day 5 Tue 22 Apr after Easter), with its lead, an SAO, a
// team inspector and the Cafcass chief executive, and the clock on Mon 14
// Apr 2025 at 10:00.
func newRequestFixture(t *testing.T) *requestFixture {
	ts := newTestServer(t, nil)
	ts.setClock(time.Date(2025, 4, 14, 10, 0, 0, 0, londonTZ))
	f := &requestFixture{ts: ts}
	f.lead = ts.addUser(user.LeadInspector, "lead@example.gov.uk")
	f.sao = ts.addUser(user.SAO, "sao@example.gov.uk")
	f.team = ts.addUser(user.TeamInspector, "team@example.gov.uk")
	f.ceo = ts.addUser(user.CafcassCEO, "ceo@example.gov.uk")
	f.visit = ts.createTestVisit(f.lead, "notice", date("2025-04-14"),
		visit.Member{UserID: f.lead.ID, Role: visit.RoleLead},
		visit.Member{UserID: f.team.ID, Role: visit.RoleTeam},
		visit.Member{UserID: f.sao.ID, Role: visit.RoleSAO},
		visit.Member{UserID: f.ceo.ID, Role: visit.RoleCafcass})
	f.base = "/visits/" + f.visit.PublicID
	f.leadC, f.saoC, f.teamC, f.ceoC = ts.signIn(f.lead.Email), ts.signIn(f.sao.Email), ts.signIn(f.team.Email), ts.signIn(f.ceo.Email)
	return f
}

// defaultRequest is the whole catalogue at its default due days.
func defaultRequest() url.Values {
	form := url.Values{}
	for _, it := range annexa.Latest().Items {
		form.Add("item", it.Number)
		form.Set("due-"+it.Number, fmt.Sprint(it.DueDay))
	}
	return form
}

func (f *requestFixture) setRequest(t *testing.T) {
	t.Helper()
	res := f.ts.post(f.leadC, f.base+"/request/edit", defaultRequest())
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != f.base+"/request" {
		t.Fatalf("set request: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
}

func (f *requestFixture) recordNotice(t *testing.T) {
	t.Helper()
	res := f.ts.post(f.leadC, f.base+"/milestones/notice/record", url.Values{
		"date-day": {"14"}, "date-month": {"4"}, "date-year": {"2025"}, "time": {"9:05"}, "version": {"0"}, "confirm": {"yes"},
	})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("record notice: %d", res.StatusCode)
	}
}

// items maps the visit's items by number.
func (f *requestFixture) items(t *testing.T) map[string]store.RequestItem {
	t.Helper()
	list, err := f.ts.Store.ListItems(context.Background(), f.visit.ID)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]store.RequestItem{}
	for _, it := range list {
		m[it.Number] = it
	}
	return m
}

func (f *requestFixture) itemPath(t *testing.T, number string) string {
	t.Helper()
	it, ok := f.items(t)[number]
	if !ok {
		t.Fatalf("no item %s", number)
	}
	return f.base + "/request/items/" + it.PublicID
}

// act posts an action on an item's page and checks the status answered.
func (f *requestFixture) act(t *testing.T, c *http.Client, number, action string, want int, extra url.Values) *goquery.Document {
	t.Helper()
	form := url.Values{}
	for k, vs := range extra {
		form[k] = vs
	}
	path := f.itemPath(t, number)
	// Each action has its own route (annexa.Action): an answer names its
	// question in the URL.
	route := map[string]string{"ask": "questions"}[action]
	if route == "" {
		route = action
	}
	if action == "answer" {
		route = "questions/" + form.Get("question-id") + "/answer"
		form.Del("question-id")
	}
	res := f.ts.post(c, path+"/"+route, form)
	if res.StatusCode != want {
		doc := parse(t, res)
		t.Fatalf("%s on %s: status %d, want %d: %s", action, number, res.StatusCode, want, htmltest.Text(doc.Find(".govuk-error-summary")))
	}
	if want == http.StatusSeeOther {
		if loc := res.Header.Get("Location"); loc != path {
			t.Fatalf("%s on %s: redirected to %q", action, number, loc)
		}
		return nil
	}
	return parse(t, res)
}

// errorLinks are the targets of the error summary's links.
func errorLinks(doc *goquery.Document) []string {
	var hrefs []string
	doc.Find(".govuk-error-summary__list a").Each(func(_ int, s *goquery.Selection) {
		h, _ := s.Attr("href")
		hrefs = append(hrefs, h)
	})
	return hrefs
}

func wantErrors(t *testing.T, doc *goquery.Document, want ...string) {
	t.Helper()
	got := errorLinks(doc)
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("error summary links %v, want %v", got, want)
	}
	if !strings.HasPrefix(doc.Find("title").Text(), "Error: ") {
		t.Errorf("title %q does not begin with Error:", doc.Find("title").Text())
	}
	if n := doc.Find("h1").Length(); n != 1 {
		t.Errorf("%d h1s", n)
	}
}

// taskStatuses maps each item number on the request page to its status.
func taskStatuses(doc *goquery.Document) map[string]string {
	m := map[string]string{}
	doc.Find(".govuk-task-list__item").Each(func(_ int, s *goquery.Selection) {
		title := htmltest.Text(s.Find(".govuk-task-list__link"))
		number, _, _ := strings.Cut(title, " ")
		m[number] = htmltest.Text(s.Find(".govuk-task-list__status"))
	})
	return m
}

func (f *requestFixture) addFile(t *testing.T, number string) {
	t.Helper()
	it := f.items(t)[number]
	_, err := f.ts.Store.SaveFile(context.Background(), store.NewFile{
		VisitID: f.visit.ID, ItemID: it.ID, Name: number + " file.txt", OriginalName: number + " file.txt", ContentType: "text/plain",
	}, strings.NewReader("some evidence\n"), f.ceo)
	if err != nil {
		t.Fatal(err)
	}
}

func TestRequest_CafcassBeforeNoticeGetsNotFound(t *testing.T) {
	t.Parallel()
	f := newRequestFixture(t)
	f.setRequest(t)
	itemID := f.items(t)["1.01"].PublicID
	nonce := regexp.MustCompile(`nonce="[^"]*"`)
	answer := func(method, path string) (int, string) {
		res := f.ts.do(f.ceoC, method, path)
		return res.StatusCode, nonce.ReplaceAllString(readAll(t, res.Body), "")
	}
	madeUp := "/visits/" + publicid.New() // well formed, but no visit has it
	suffixes := []string{"/request", "/request/edit", "/request/items/new", "/request/items/" + itemID, "/deferrals/request"}
	for _, sfx := range suffixes {
		for _, method := range []string{http.MethodGet, http.MethodPost} {
			s1, b1 := answer(method, f.base+sfx)
			s2, b2 := answer(method, madeUp+sfx)
			// POST on a page with no form is 405 for both alike.
			if s1 != http.StatusNotFound && s1 != http.StatusMethodNotAllowed || s1 != s2 || b1 != b2 {
				t.Errorf("%s %s: Cafcass before notice got %d, made-up id %d (bodies equal: %v)", method, sfx, s1, s2, b1 == b2)
			}
		}
	}

	// After notice, an item of another visit is not found through this one.
	f.recordNotice(t)
	other := f.ts.createTestVisit(f.lead, "notice", date("2025-05-12"), visit.Member{UserID: f.lead.ID, Role: visit.RoleLead})
	if _, err := f.ts.Store.SetRequest(context.Background(), other.ID, annexa.Current, []store.Pick{{Number: "1.01", DueDay: 5}}, f.lead); err != nil {
		t.Fatal(err)
	}
	list, _ := f.ts.Store.ListItems(context.Background(), other.ID)
	if res := f.ts.get(f.ceoC, f.base+"/request/items/"+list[0].PublicID); res.StatusCode != http.StatusNotFound {
		t.Errorf("another visit's item through this one: %d", res.StatusCode)
	}
	if res := f.ts.get(f.ceoC, "/visits/"+other.PublicID+"/request"); res.StatusCode != http.StatusNotFound {
		t.Errorf("another visit's request: %d", res.StatusCode)
	}
	// Cafcass cannot change the request; a team inspector neither.
	if res := f.ts.get(f.ceoC, f.base+"/request/edit"); res.StatusCode != http.StatusForbidden {
		t.Errorf("Cafcass request form after notice: %d, want 403", res.StatusCode)
	}
	if res := f.ts.get(f.teamC, f.base+"/request/items/new"); res.StatusCode != http.StatusForbidden {
		t.Errorf("team inspector's new item: %d, want 403", res.StatusCode)
	}
}

func TestRequest_LeadSetsTheRequest(t *testing.T) {
	t.Parallel()
	f := newRequestFixture(t)

	// The first time, every catalogue item is ticked, at its default day.
	doc := parse(t, f.ts.get(f.leadC, f.base+"/request/edit"))
	if n, want := doc.Find(`input[name=item][checked]`).Length(), len(annexa.Latest().Items); n != want {
		t.Errorf("%d items ticked, want %d", n, want)
	}
	if got := htmltest.Text(doc.Find(`select[name="due-CL.1"] option[selected]`)); got != "Day 3, Wed 16 Apr 2025" {
		t.Errorf("CL.1 due %q", got)
	}
	if got := htmltest.Text(doc.Find(`select[name="due-1.03"] option[selected]`)); got != "Day 5, Tue 22 Apr 2025" {
		t.Errorf("1.03 due %q", got)
	}

	// Nothing ticked: an error, with the form as typed.
	form := defaultRequest()
	form.Del("item")
	form.Set("due-1.03", "4")
	res := f.ts.post(f.leadC, f.base+"/request/edit", form)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("nothing ticked: %d", res.StatusCode)
	}
	doc = parse(t, res)
	wantErrors(t, doc, "#item")
	if got := doc.Find(`select[name="due-1.03"] option[selected]`).AttrOr("value", ""); got != "4" {
		t.Errorf("typed due day not kept: %q", got)
	}

	// Every item but 1.15, with 1.03 due on day 4.
	form = defaultRequest()
	form.Del("item")
	for _, it := range annexa.Latest().Items {
		if it.Number != "1.15" {
			form.Add("item", it.Number)
		}
	}
	form.Set("due-1.03", "4")
	if res := f.ts.post(f.leadC, f.base+"/request/edit", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save request: %d", res.StatusCode)
	}
	items := f.items(t)
	if len(items) != 7 || items["1.03"].DueDay != 4 || items["CL.1"].Kind != annexa.ChildList {
		t.Errorf("request saved as %+v", items)
	}

	// An item of the lead's own: errors first, then saved.
	res = f.ts.post(f.leadC, f.base+"/request/items/new", url.Values{"number": {"1 06"}, "title": {""}, "due-day": {"5"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("blank own item: %d", res.StatusCode)
	}
	doc = parse(t, res)
	wantErrors(t, doc, "#number", "#title", "#kind")
	if v := doc.Find(`#number`).AttrOr("value", ""); v != "1 06" {
		t.Errorf("typed number not kept: %q", v)
	}
	res = f.ts.post(f.leadC, f.base+"/request/items/new", url.Values{"number": {"1.01"}, "title": {"Again"}, "kind": {"custom"}, "due-day": {"5"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("duplicate number: %d", res.StatusCode)
	}
	wantErrors(t, parse(t, res), "#number")
	res = f.ts.post(f.leadC, f.base+"/request/items/new", url.Values{
		"number": {"1.06"}, "title": {"Quality assurance framework"}, "description": {"The framework and the latest audit summary."},
		"kind": {"custom"}, "due-day": {"5"},
	})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("own item: %d", res.StatusCode)
	}
	if it := f.items(t)["1.06"]; it.Kind != annexa.Custom || it.DueDay != 5 || it.Title != "Quality assurance framework" {
		t.Errorf("own item saved as %+v", it)
	}

	// Unticking an item Cafcass has started on keeps it.
	f.recordNotice(t)
	f.act(t, f.ceoC, "1.02", "not-held", http.StatusSeeOther, url.Values{"not-held-reason": {"Allocation is in the case management system only"}})
	form = url.Values{"item": {"CL.1"}, "due-CL.1": {"3"}, "due-AL.1": {"3"}, "due-1.01": {"5"}, "due-1.02": {"5"}, "due-1.03": {"5"},
		"due-1.04": {"5"}, "due-1.05": {"5"}, "due-1.15": {"5"}, "due-1.06": {"5"}}
	if res := f.ts.post(f.leadC, f.base+"/request/edit", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("shrink request: %d", res.StatusCode)
	}
	items = f.items(t)
	if len(items) != 2 || items["1.02"].Status != annexa.NotHeld {
		t.Errorf("after unticking all but CL.1: %v", items)
	}
	if doc := parse(t, f.ts.get(f.leadC, f.base+"/history")); !strings.Contains(doc.Text(), "Information request set") || !strings.Contains(doc.Text(), "Kept, as Cafcass has started on them: 1.02") {
		t.Error("history does not record the request")
	}
}

func TestRequest_CafcassAndOfstedWorkThroughTheItems(t *testing.T) {
	t.Parallel()
	f := newRequestFixture(t)
	f.setRequest(t)
	f.recordNotice(t)

	// Cafcass sees the task list with the due dates (DOMAIN B.4).
	doc := parse(t, f.ts.get(f.ceoC, f.base+"/request"))
	var headings []string
	doc.Find(`[data-testid=due-heading]`).Each(func(_ int, s *goquery.Selection) { headings = append(headings, htmltest.Text(s)) })
	want := []string{"Due by the end of day 3, Wed 16 Apr 2025, 23:59", "Due by the end of day 5, Tue 22 Apr 2025, 23:59"}
	if strings.Join(headings, "|") != strings.Join(want, "|") {
		t.Errorf("headings %q, want %q", headings, want)
	}
	if n := doc.Find(".govuk-task-list__item").Length(); n != 8 {
		t.Errorf("%d items on the task list", n)
	}
	if got := taskStatuses(doc)["1.01"]; got != "Not started" {
		t.Errorf("1.01 %q", got)
	}
	if doc.Find("h1").Length() != 1 || doc.Find(`a[aria-current=page][href$="/request"]`).Length() != 1 {
		t.Error("request tab not current, or not one h1")
	}

	// Submitting needs a file, and a child-level list its dates.
	wantErrors(t, f.act(t, f.ceoC, "1.01", "submit", http.StatusUnprocessableEntity, nil), "#files")
	f.addFile(t, "1.01")
	f.act(t, f.ceoC, "1.01", "submit", http.StatusSeeOther, nil)
	f.addFile(t, "CL.1")
	wantErrors(t, f.act(t, f.ceoC, "CL.1", "submit", http.StatusUnprocessableEntity, nil), "#covers-from-day")
	doc = f.act(t, f.ceoC, "CL.1", "coverage", http.StatusUnprocessableEntity, url.Values{
		"covers-from-day": {"11"}, "covers-from-month": {"4"}, "covers-from-year": {"2025"},
		"covers-to-day": {"31"}, "covers-to-month": {"3"}, "covers-to-year": {"2025"},
	})
	wantErrors(t, doc, "#covers-to-day")
	if v := doc.Find("#covers-from-day").AttrOr("value", ""); v != "11" {
		t.Errorf("typed date not kept: %q", v)
	}
	f.act(t, f.ceoC, "CL.1", "coverage", http.StatusSeeOther, url.Values{
		"covers-from-day": {"31"}, "covers-from-month": {"3"}, "covers-from-year": {"2025"},
		"covers-to-day": {"11"}, "covers-to-month": {"4"}, "covers-to-year": {"2025"},
	})
	f.act(t, f.ceoC, "CL.1", "submit", http.StatusSeeOther, nil)

	// Not held needs an explanation.
	wantErrors(t, f.act(t, f.ceoC, "1.02", "not-held", http.StatusUnprocessableEntity, nil), "#not-held-reason")
	f.act(t, f.ceoC, "1.02", "not-held", http.StatusSeeOther, url.Values{"not-held-reason": {"We hold no separate transfer policy"}})

	// Forbidden moves are refused with the error summary.
	wantErrors(t, f.act(t, f.ceoC, "1.01", "accept", http.StatusUnprocessableEntity, nil), "#status")
	wantErrors(t, f.act(t, f.leadC, "1.03", "accept", http.StatusUnprocessableEntity, nil), "#status")
	f.act(t, f.teamC, "1.01", "accept", http.StatusForbidden, nil)

	// Ofsted accepts and returns, with a reason.
	f.act(t, f.leadC, "1.01", "accept", http.StatusSeeOther, nil)
	wantErrors(t, f.act(t, f.saoC, "CL.1", "return", http.StatusUnprocessableEntity, nil), "#return-reason")
	f.act(t, f.saoC, "CL.1", "return", http.StatusSeeOther, url.Values{"return-reason": {"The law type column is missing"}})

	items := f.items(t)
	for n, st := range map[string]annexa.Status{"1.01": annexa.Accepted, "CL.1": annexa.Returned, "1.02": annexa.NotHeld, "1.03": annexa.NotStarted} {
		if items[n].Status != st {
			t.Errorf("%s is %s, want %s", n, items[n].Status, st)
		}
	}
	doc = parse(t, f.ts.get(f.ceoC, f.itemPath(t, "CL.1")))
	if got := htmltest.Text(doc.Find("[data-testid=item-reason]")); !strings.Contains(got, "The law type column is missing") {
		t.Errorf("Cafcass does not see why CL.1 was returned: %q", got)
	}
	if doc.Find(`form[action="`+f.itemPath(t, "CL.1")+`/submit"]`).Length() != 1 {
		t.Error("Cafcass cannot resubmit a returned item")
	}
	doc = parse(t, f.ts.get(f.leadC, f.itemPath(t, "1.02")))
	if got := htmltest.Text(doc.Find("[data-testid=item-reason]")); !strings.Contains(got, "We hold no separate transfer policy") {
		t.Errorf("the lead does not see the explanation: %q", got)
	}
	if doc := parse(t, f.ts.get(f.leadC, f.base+"/history")); !strings.Contains(doc.Text(), "Item 1.01 submitted") || !strings.Contains(doc.Text(), "Item CL.1 returned") {
		t.Error("history does not record the items' moves")
	}

	// Questions, asked and answered, shown on both sides.
	doc = f.act(t, f.ceoC, "1.03", "ask", http.StatusUnprocessableEntity, nil)
	wantErrors(t, doc, "#addressed-to", "#question")
	f.act(t, f.ceoC, "1.03", "ask", http.StatusSeeOther, url.Values{"addressed-to": {fmt.Sprint(f.sao.ID)}, "question": {"Do you want the regional reports too?"}})
	doc = parse(t, f.ts.get(f.saoC, f.itemPath(t, "1.03")))
	if got := htmltest.Text(doc.Find("[data-testid=question-text]")); got != "Do you want the regional reports too?" {
		t.Errorf("SAO sees question %q", got)
	}
	qs, err := f.ts.Store.ListQuestions(context.Background(), f.items(t)["1.03"].ID)
	if err != nil || len(qs) != 1 {
		t.Fatalf("questions: %v %v", qs, err)
	}
	f.act(t, f.ceoC, "1.03", "answer", http.StatusForbidden, url.Values{"question-id": {qs[0].PublicID}, "answer": {"Yes"}})
	wantErrors(t, f.act(t, f.saoC, "1.03", "answer", http.StatusUnprocessableEntity, url.Values{"question-id": {qs[0].PublicID}}), "#answer-"+qs[0].PublicID)
	f.act(t, f.saoC, "1.03", "answer", http.StatusSeeOther, url.Values{"question-id": {qs[0].PublicID}, "answer": {"Yes, the latest quarter for each region."}})
	for _, c := range []*http.Client{f.ceoC, f.leadC} {
		doc = parse(t, f.ts.get(c, f.itemPath(t, "1.03")))
		if got := htmltest.Text(doc.Find("[data-testid=answer-text]")); !strings.HasPrefix(got, "Yes, the latest quarter for each region.") {
			t.Errorf("answer shown as %q", got)
		}
	}
}

func TestRequest_OverdueOnBothSides(t *testing.T) {
	t.Parallel()
	f := newRequestFixture(t)
	f.setRequest(t)
	f.recordNotice(t)
	f.addFile(t, "1.01")
	f.act(t, f.ceoC, "1.01", "submit", http.StatusSeeOther, nil)
	f.act(t, f.ceoC, "AL.1", "not-held", http.StatusSeeOther, url.Values{"not-held-reason": {"No audits in the period"}})

	check := func(when string, want map[string]string) {
		t.Helper()
		for _, c := range []*http.Client{f.ceoC, f.leadC} {
			got := taskStatuses(parse(t, f.ts.get(c, f.base+"/request")))
			for n, w := range want {
				if got[n] != w {
					t.Errorf("%s: %s is %q, want %q", when, n, got[n], w)
				}
			}
		}
	}
	// The last moment of day 3: nothing is overdue yet.
	f.ts.setClock(time.Date(2025, 4, 16, 23, 59, 0, 0, londonTZ))
	check("end of day 3", map[string]string{"CL.1": "Not started", "AL.1": "Not held", "1.01": "Submitted", "1.03": "Not started"})
	// The next morning the child-level list is overdue; day 5's items not.
	f.ts.setClock(time.Date(2025, 4, 17, 10, 0, 0, 0, londonTZ))
	check("day 4", map[string]string{"CL.1": "Overdue", "AL.1": "Not held", "1.01": "Submitted", "1.03": "Not started"})
	if doc := parse(t, f.ts.get(f.leadC, f.itemPath(t, "CL.1"))); !strings.Contains(htmltest.Text(doc.Find("[data-testid=item-status]")), "Overdue") {
		t.Error("the item page does not say overdue")
	}
	// Good Friday to Easter Monday do not count: day 5 is Tue 22 Apr.
	f.ts.setClock(time.Date(2025, 4, 22, 12, 0, 0, 0, londonTZ))
	check("day 5", map[string]string{"1.03": "Not started"})
	f.ts.setClock(time.Date(2025, 4, 23, 0, 0, 30, 0, londonTZ))
	check("day 6", map[string]string{"1.03": "Overdue", "1.01": "Submitted"})
}

func TestRequest_CafcassAsksForADeferral(t *testing.T) {
	t.Parallel()
	f := newRequestFixture(t)
	f.recordNotice(t)
	if res := f.ts.get(f.leadC, f.base+"/deferrals/request"); res.StatusCode != http.StatusForbidden {
		t.Errorf("lead on Cafcass's deferral form: %d, want 403", res.StatusCode)
	}
	doc := parse(t, f.ts.get(f.ceoC, f.base+"/request"))
	if doc.Find(`a[href$="/deferrals/request"]`).Length() != 1 {
		t.Error("no link to ask for a deferral")
	}
	res := f.ts.post(f.ceoC, f.base+"/deferrals/request", url.Values{"reason": {"  "}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("blank reason: %d", res.StatusCode)
	}
	wantErrors(t, parse(t, res), "#reason")
	res = f.ts.post(f.ceoC, f.base+"/deferrals/request", url.Values{"reason": {"A cyber incident has taken our case management system offline"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("ask: %d", res.StatusCode)
	}
	doc = parse(t, f.ts.get(f.leadC, f.base))
	text := htmltest.Text(doc.Find("#deferrals").Parent())
	if !strings.Contains(doc.Text(), "A cyber incident has taken our case management system offline") ||
		!strings.Contains(doc.Text(), f.ceo.Name+", Cafcass chief executive") || !strings.Contains(doc.Text(), "Mon 14 Apr 2025") {
		t.Errorf("the lead's visit page does not show the request: %q", text)
	}
	dfs, err := f.ts.Store.ListDeferrals(context.Background(), f.visit.ID)
	if err != nil || len(dfs) != 1 || dfs[0].Status != store.DeferralRequested {
		t.Fatalf("deferrals: %v %v", dfs, err)
	}
	doc = parse(t, f.ts.get(f.ceoC, f.base+"/deferrals/request"))
	if got := htmltest.Text(doc.Find("[data-testid=deferral-requests]")); !strings.Contains(got, "Awaiting decision") {
		t.Errorf("Cafcass sees its requests as %q", got)
	}
}

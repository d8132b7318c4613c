package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/ofsted/focusedvisits/internal/history"
	"github.com/ofsted/focusedvisits/internal/htmltest"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
)

type deferralFixture struct {
	ts                 *testServer
	lead, team, ceo    user.User
	leadC, teamC, ceoC *http.Client
	visit              visit.Details
	base               string // "/visits/{public id}"
}

// newDeferralFixture is a visit noticed for Mon 12 May 2025 (fieldwork Tue
// 20 and Wed 21 May), not yet notified, with a lead, a team inspector and
// the Cafcass chief executive.
func newDeferralFixture(t *testing.T) *deferralFixture {
	ts := newTestServer(t, nil)
	ts.setClock(time.Date(2025, 5, 2, 10, 0, 0, 0, londonTZ)) // before the notice day
	f := &deferralFixture{ts: ts}
	f.lead = ts.addUser(user.LeadInspector, "lead@example.gov.uk")
	f.team = ts.addUser(user.TeamInspector, "team@example.gov.uk")
	f.ceo = ts.addUser(user.CafcassCEO, "ceo@example.gov.uk")
	f.visit = ts.createTestVisit(f.lead, "notice", date("2025-05-12"),
		visit.Member{UserID: f.lead.ID, Role: visit.RoleLead},
		visit.Member{UserID: f.team.ID, Role: visit.RoleTeam},
		visit.Member{UserID: f.ceo.ID, Role: visit.RoleCafcass})
	f.base = "/visits/" + f.visit.PublicID
	f.leadC, f.teamC, f.ceoC = ts.signIn(f.lead.Email), ts.signIn(f.team.Email), ts.signIn(f.ceo.Email)
	return f
}

// request records a deferral request as the lead inspector and returns it.
func (f *deferralFixture) request(t *testing.T) store.Deferral {
	t.Helper()
	res := f.ts.post(f.leadC, f.base+"/deferrals/new", dateForm("requested-on", date("2025-05-02"), url.Values{
		"requested-by": {"Chris Chief, Cafcass chief executive"},
		"reason":       {"The senior leadership team is at a national conference that week"},
	}))
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != f.base+"#deferrals" {
		t.Fatalf("record request: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	dfs, err := f.ts.Store.ListDeferrals(context.Background(), f.visit.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(dfs) == 0 {
		t.Fatal("no deferral recorded")
	}
	return dfs[0]
}

// hiddenFields are the hidden inputs of a page's forms, to post back.
func hiddenFields(doc *goquery.Document) url.Values {
	v := url.Values{}
	doc.Find(`form input[type=hidden]`).Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		value, _ := s.Attr("value")
		v.Add(name, value)
	})
	return v
}

// dateRows reads the check page's table: milestone → old and new dates.
func dateRows(doc *goquery.Document) map[string][2]string {
	rows := map[string][2]string{}
	doc.Find("#dates tbody tr").Each(func(_ int, s *goquery.Selection) {
		cells := s.Find("td")
		rows[htmltest.Text(s.Find("th"))] = [2]string{htmltest.Text(cells.Eq(0)), htmltest.Text(cells.Eq(1))}
	})
	return rows
}

func TestDeferralGrantedMovesTheVisitAfterShowingOldAndNewDates(t *testing.T) {
	t.Parallel()
	f := newDeferralFixture(t)
	ts, ctx := f.ts, context.Background()
	_, before := ts.planNow(f.visit.ID)

	doc := parse(t, ts.get(f.leadC, f.base+"/deferrals/new"))
	htmltest.CheckPage(t, doc)
	df := f.request(t)
	if df.Status != store.DeferralRequested || df.RequestedBy != "Chris Chief, Cafcass chief executive" || df.RequestedOn != date("2025-05-02") || df.RecordedBy != f.lead.Name {
		t.Fatalf("recorded %+v", df)
	}
	decide := f.base + "/deferrals/" + df.PublicID + "/decide"

	res := ts.get(f.leadC, decide)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("decide page: %d", res.StatusCode)
	}
	doc = parse(t, res)
	htmltest.CheckPage(t, doc)
	if !strings.Contains(htmltest.Text(doc.Find("main")), "The senior leadership team is at a national conference") {
		t.Error("decide page does not show why")
	}

	// Choose the new first fieldwork day: the check page shows old and new.
	form := dateForm("new-date", date("2025-06-17"), hiddenFields(doc))
	form.Set("decision", "grant")
	form.Set("anchor", "fieldwork")
	form.Set("decision-reason", "The conference is a fair reason")
	res = ts.post(f.leadC, decide, form)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("check page: %d", res.StatusCode)
	}
	doc = parse(t, res)
	htmltest.CheckPage(t, doc)
	rows := dateRows(doc)
	fw := labelOf(t, before, timeline.CodeFieldwork)
	if got, want := rows[fw], [2]string{"Tue 20 to Wed 21 May 2025", "Tue 17 to Wed 18 Jun 2025"}; got != want {
		t.Errorf("fieldwork row %q, want %q", got, want)
	}
	notice := labelOf(t, before, timeline.CodeNotice)
	if got, want := rows[notice], [2]string{"Mon 12 May 2025", "Mon 9 Jun 2025"}; got != want {
		t.Errorf("notice row %q, want %q", got, want)
	}
	if len(rows) != len(before.Milestones) {
		t.Errorf("%d rows, want one per milestone (%d)", len(rows), len(before.Milestones))
	}
	if doc.Find(".govuk-warning-text").Length() != 0 {
		t.Error("warnings shown for dates that break no rule")
	}
	// Nothing is saved before confirming.
	if d, _ := ts.planNow(f.visit.ID); d.AnchorDate != date("2025-05-12") {
		t.Fatal("the visit moved before the dates were confirmed")
	}

	confirm := hiddenFields(doc)
	confirm.Set("step", "confirm")
	res = ts.post(f.leadC, decide, confirm)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != f.base {
		t.Fatalf("confirm: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	d, after := ts.planNow(f.visit.ID)
	if d.AnchorCode != "fieldwork" || d.AnchorDate != date("2025-06-17") {
		t.Errorf("visit now planned from %s %s", d.AnchorCode, d.AnchorDate)
	}
	if got := datesOf(t, after, timeline.CodeFieldwork); got != "Tue 17 to Wed 18 Jun 2025" {
		t.Errorf("fieldwork now %s", got)
	}
	df, err := ts.Store.GetDeferral(ctx, f.visit.ID, df.ID)
	if err != nil {
		t.Fatal(err)
	}
	if df.Status != store.DeferralGranted || df.DecidedBy != f.lead.Name || df.DecisionReason != "The conference is a fair reason" ||
		df.OldAnchorCode != "notice" || df.OldAnchorDate != date("2025-05-12") || df.NewAnchorCode != "fieldwork" || df.NewAnchorDate != date("2025-06-17") {
		t.Errorf("deferral after grant: %+v", df)
	}

	// The history keeps both the old and the new dates.
	events, err := ts.Store.ListEvents(ctx, f.visit.ID)
	if err != nil {
		t.Fatal(err)
	}
	byField := map[string]history.Line{}
	var actions []string
	for _, e := range events {
		w := e.Words()
		actions = append(actions, w.Action)
		if w.Action == "Deferral granted" {
			byField[w.Field] = w
		}
	}
	if !slices.Contains(actions, "Deferral requested") {
		t.Errorf("no request in the history: %q", actions)
	}
	if e := byField["Planned from"]; e.Old != "the notice day, Mon 12 May 2025" || e.New != "the first fieldwork day, Tue 17 Jun 2025" ||
		!strings.Contains(e.Detail, "Fieldwork moved from Tue 20 to Wed 21 May 2025 to Tue 17 to Wed 18 Jun 2025.") ||
		!strings.Contains(e.Detail, "Requested by Chris Chief, Cafcass chief executive on Fri 2 May 2025.") {
		t.Errorf("anchor event %+v", e)
	}
	if e := byField[fw]; e.Old != "Tue 20 to Wed 21 May 2025" || e.New != "Tue 17 to Wed 18 Jun 2025" {
		t.Errorf("fieldwork event %+v", e)
	}

	// A decided request cannot be decided again.
	res = ts.post(f.leadC, decide, confirm)
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("deciding again: %d, want 303 back to the visit", res.StatusCode)
	}
	if d2, _ := ts.planNow(f.visit.ID); d2.Version != d.Version {
		t.Error("deciding again changed the visit")
	}
}

func TestDeferralWithScheduleWarningsNeedsAReason(t *testing.T) {
	t.Parallel()
	f := newDeferralFixture(t)
	ts := f.ts
	df := f.request(t)
	decide := f.base + "/deferrals/" + df.PublicID + "/decide"
	// Fieldwork starting on a Monday breaks a scheduling rule.
	form := dateForm("new-date", date("2025-06-16"), url.Values{"version": {fmt.Sprint(f.visit.Version)}, "decision": {"grant"}, "anchor": {"fieldwork"}})
	doc := parse(t, ts.post(f.leadC, decide, form))
	if doc.Find(".govuk-warning-text").Length() == 0 {
		t.Fatal("no warning for fieldwork on a Monday")
	}
	confirm := hiddenFields(doc)
	confirm.Set("step", "confirm")
	res := ts.post(f.leadC, decide, confirm)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("confirm without a reason: %d, want 422", res.StatusCode)
	}
	doc = parse(t, res)
	htmltest.CheckPage(t, doc)
	if links := htmltest.ErrorSummaryLinks(doc); !slices.Equal(links, []string{"#accept-reason"}) {
		t.Errorf("error links %v", links)
	}
	confirm.Set("accept-reason", "Cafcass asked for Monday")
	if res := ts.post(f.leadC, decide, confirm); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirm with a reason: %d, want 303", res.StatusCode)
	}
	d, _ := ts.planNow(f.visit.ID)
	if i := slices.IndexFunc(d.Acceptances, func(a visit.Acceptance) bool { return a.Code == string(timeline.WarnFieldworkStartDay) }); i < 0 || d.Acceptances[i].Reason != "Cafcass asked for Monday" {
		t.Errorf("acceptances %+v", d.Acceptances)
	}
}

func TestDeferralRefused(t *testing.T) {
	t.Parallel()
	f := newDeferralFixture(t)
	ts, ctx := f.ts, context.Background()
	df := f.request(t)
	decide := f.base + "/deferrals/" + df.PublicID + "/decide"

	res := ts.post(f.leadC, decide, url.Values{"version": {fmt.Sprint(f.visit.Version)}, "decision": {"refuse"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("refuse without a reason: %d, want 422", res.StatusCode)
	}
	doc := parse(t, res)
	htmltest.CheckPage(t, doc)
	if links := htmltest.ErrorSummaryLinks(doc); !slices.Equal(links, []string{"#decision-reason"}) {
		t.Errorf("error links %v", links)
	}
	if c, _ := doc.Find(`input[name=decision][value=refuse]`).Attr("checked"); c != "checked" && !doc.Find(`input[name=decision][value=refuse]`).Is("[checked]") {
		t.Error("the choice made is not kept")
	}
	res = ts.post(f.leadC, decide, url.Values{"version": {fmt.Sprint(f.visit.Version)}, "decision": {"refuse"}, "decision-reason": {"The visit can go ahead remotely"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("refuse: %d, want 303", res.StatusCode)
	}
	df, err := ts.Store.GetDeferral(ctx, f.visit.ID, df.ID)
	if err != nil {
		t.Fatal(err)
	}
	if df.Status != store.DeferralRefused || df.DecisionReason != "The visit can go ahead remotely" {
		t.Errorf("after refusal: %+v", df)
	}
	d, _ := ts.planNow(f.visit.ID)
	if d.AnchorDate != date("2025-05-12") || d.Version != f.visit.Version {
		t.Errorf("refusing moved the visit: %s, version %d", d.AnchorDate, d.Version)
	}
	events, err := ts.Store.ListEvents(ctx, f.visit.ID)
	if err != nil {
		t.Fatal(err)
	}
	if e := events[0].Words(); e.Action != "Deferral refused" || !strings.Contains(e.Detail, "The visit can go ahead remotely") {
		t.Errorf("latest event %+v", e)
	}
}

func TestDeferralValidationAndAccess(t *testing.T) {
	t.Parallel()
	f := newDeferralFixture(t)
	ts := f.ts

	res := ts.post(f.leadC, f.base+"/deferrals/new", url.Values{"requested-on-day": {""}, "requested-on-month": {""}, "requested-on-year": {""}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("empty request: %d, want 422", res.StatusCode)
	}
	doc := parse(t, res)
	htmltest.CheckPage(t, doc)
	if got, want := errorSummary(doc), []string{"Enter who asked for the deferral", "Enter the date they asked", "Enter why they want the visit deferred"}; !slices.Equal(got, want) {
		t.Errorf("errors %q, want %q", got, want)
	}
	res = ts.post(f.leadC, f.base+"/deferrals/new", dateForm("requested-on", date("2099-01-05"), url.Values{"requested-by": {"Chris Chief"}, "reason": {"Leave"}}))
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("future request date: %d, want 422", res.StatusCode)
	}
	doc = parse(t, res)
	if got := errorSummary(doc); !slices.Equal(got, []string{"The date they asked must be today or in the past"}) {
		t.Errorf("errors %q", got)
	}
	if v, _ := doc.Find("#requested-by").Attr("value"); v != "Chris Chief" {
		t.Errorf("typed name not kept: %q", v)
	}

	df := f.request(t)
	decide := f.base + "/deferrals/" + df.PublicID + "/decide"
	if res := ts.post(f.leadC, decide, url.Values{}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("decide with nothing chosen: %d, want 422", res.StatusCode)
	}

	// A team inspector on the visit may see it but not record or decide.
	for _, c := range []struct{ method, path string }{
		{http.MethodGet, f.base + "/deferrals/new"}, {http.MethodPost, f.base + "/deferrals/new"},
		{http.MethodGet, decide}, {http.MethodPost, decide},
	} {
		if res := ts.do(f.teamC, c.method, c.path); res.StatusCode != http.StatusForbidden {
			t.Errorf("team inspector %s %s: %d, want 403", c.method, c.path, res.StatusCode)
		}
		// Before notice, Cafcass gets what a visit that does not exist gets.
		if res := ts.do(f.ceoC, c.method, c.path); res.StatusCode != http.StatusNotFound {
			t.Errorf("Cafcass before notice %s %s: %d, want 404", c.method, c.path, res.StatusCode)
		}
	}
	// A deferral of another visit is not found through this one.
	other := ts.createTestVisit(f.lead, "notice", date("2025-09-01"), visit.Member{UserID: f.lead.ID, Role: visit.RoleLead})
	if res := ts.get(f.leadC, "/visits/"+other.PublicID+"/deferrals/"+df.PublicID+"/decide"); res.StatusCode != http.StatusNotFound {
		t.Errorf("deferral through another visit: %d, want 404", res.StatusCode)
	}
	if dfs, _ := ts.Store.ListDeferrals(context.Background(), f.visit.ID); len(dfs) != 1 || dfs[0].Status != store.DeferralRequested {
		t.Errorf("deferrals after forbidden requests: %+v", dfs)
	}
}

// TestDeferralAfterNoticeMovesWhatIsNotDone: DOMAIN decision 11. Granted
// after the notice call, a deferral keeps the recorded notice and recounts
// every milestone not done from the new first fieldwork day: the
// notice-week deadlines as if notice were 6 working days before it. A date
// set by hand moves unless the lead keeps it.
func TestDeferralAfterNoticeMovesWhatIsNotDone(t *testing.T) {
	t.Parallel()
	f := newDeferralFixture(t)
	ts := f.ts
	ctx := context.Background()
	ts.setClock(time.Date(2025, 5, 12, 10, 0, 0, 0, londonTZ))
	if err := ts.Store.RecordActual(ctx, f.visit.ID, 0, visit.Actual{Code: timeline.CodeNotice, Date: date("2025-05-12"), Time: "09:00"}, "Notice call", f.lead); err != nil {
		t.Fatal(err)
	}
	for code, day := range map[string]string{timeline.CodeManagementInfo: "2025-05-19", timeline.CodeDraftLetter: "2025-06-06"} {
		if err := ts.Store.SetOverride(ctx, f.visit.ID, 0, visit.Override{Code: code, Date: date(day), Reason: "Agreed with Cafcass"}, code, history.Span{}, f.lead); err != nil {
			t.Fatal(err)
		}
	}
	df := f.request(t)
	decide := f.base + "/deferrals/" + df.PublicID + "/decide"
	doc := parse(t, ts.get(f.leadC, decide))
	form := dateForm("new-date", date("2025-06-04"), hiddenFields(doc))
	form.Set("decision", "grant")
	form.Set("anchor", "fieldwork")
	res := ts.post(f.leadC, decide, form)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("check page: %d", res.StatusCode)
	}
	doc = parse(t, res)
	htmltest.CheckPage(t, doc)
	_, before := ts.planNow(f.visit.ID)
	rows := dateRows(doc)
	for code, want := range map[string][2]string{
		timeline.CodeNotice:         {"Mon 12 May 2025", "Mon 12 May 2025"},
		timeline.CodeChildData:      {"Wed 14 May 2025", "Thu 29 May 2025"},
		timeline.CodeManagementInfo: {"Mon 19 May 2025", "Mon 2 Jun 2025"}, // set by hand: moves unless kept
		timeline.CodeFieldwork:      {"Tue 20 to Wed 21 May 2025", "Wed 4 to Thu 5 Jun 2025"},
		timeline.CodeDraftLetter:    {"Fri 6 Jun 2025", "Thu 19 Jun 2025"},
	} {
		if got := rows[labelOf(t, before, code)]; got[0] != want[0] || !strings.HasPrefix(got[1], want[1]) {
			t.Errorf("%s: %q, want %q", code, got, want)
		}
	}
	if n := doc.Find(`input[name=keep]`).Length(); n != 2 {
		t.Errorf("%d keep choices, want one per date set by hand (2)", n)
	}
	// Keep the draft letter's date set by hand; the rest moves. After
	// notice the chief executive must be told in writing (decision 14):
	// granting asks for that record first.
	confirm := hiddenFields(doc)
	confirm.Set("keep", timeline.CodeDraftLetter)
	confirm.Set("step", "confirm")
	res = ts.post(f.leadC, decide, confirm)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("confirm without telling the chief executive: %d, want 422", res.StatusCode)
	}
	if got := parse(t, res).Find(`.govuk-error-summary__list a[href="#ceo-told-method"]`).Length(); got != 1 {
		t.Error("no error asking how the chief executive was told")
	}
	confirm.Set("ceo-told-method", "email")
	for k, v := range map[string]string{"ceo-told-day": "12", "ceo-told-month": "5", "ceo-told-year": "2025"} {
		confirm.Set(k, v)
	}
	confirm.Set("ceo-told-note", "Fieldwork now Wed 4 and Thu 5 June")
	res = ts.post(f.leadC, decide, confirm)
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirm: %d", res.StatusCode)
	}
	events, err := ts.Store.ListEvents(ctx, f.visit.ID)
	if err != nil {
		t.Fatal(err)
	}
	told := false
	for _, e := range events {
		w := e.Words()
		told = told || (w.Action == "Chief executive told of the change" && strings.Contains(w.Detail, "by email on Mon 12 May 2025: Fieldwork now Wed 4 and Thu 5 June"))
	}
	if !told {
		t.Error("the history does not record that the chief executive was told")
	}
	d, after := ts.planNow(f.visit.ID)
	for code, want := range map[string]string{
		timeline.CodeNotice:         "Mon 12 May 2025",
		timeline.CodeChildData:      "Thu 29 May 2025",
		timeline.CodeManagementInfo: "Mon 2 Jun 2025",
		timeline.CodeFieldwork:      "Wed 4 to Thu 5 Jun 2025",
		timeline.CodeDraftLetter:    "Fri 6 Jun 2025",
	} {
		if got := datesOf(t, after, code); got != want {
			t.Errorf("after grant %s = %s, want %s", code, got, want)
		}
	}
	if _, ok := d.Override(timeline.CodeManagementInfo); ok {
		t.Error("the management information date set by hand did not move")
	}
	if _, ok := d.Actual(timeline.CodeNotice); !ok {
		t.Error("the recorded notice was lost")
	}
	// Every page follows: the lead's visit page and Cafcass's; the planned
	// column keeps the original plan.
	for _, c := range []*http.Client{f.leadC, f.ceoC} {
		doc := parse(t, ts.get(c, f.base))
		if planned := htmltest.Text(doc.Find(`tr[data-code=fieldwork] [data-testid=planned]`)); planned != "Tue 20 to Wed 21 May 2025" {
			t.Errorf("planned fieldwork %q, want the original Tue 20 to Wed 21 May 2025", planned)
		}
		got := currentDates(doc)
		if got[timeline.CodeFieldwork] != "Wed 4 to Thu 5 Jun 2025" || got[timeline.CodeChildData] != "Thu 29 May 2025" {
			t.Errorf("visit page shows fieldwork %q, child data %q", got[timeline.CodeFieldwork], got[timeline.CodeChildData])
		}
	}
}

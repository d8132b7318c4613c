package server_test

import (
	"context"
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
	"github.com/ofsted/focusedvisits/internal/workday"
)

var testLondon = func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		panic(err)
	}
	return loc
}()

// createTestVisit stores a focused visit planned from anchor (the notice day
// or, with code "fieldwork", the first fieldwork day), led by lead, with
// the other members given.
func (ts *testServer) createTestVisit(by user.User, code string, anchor workday.Date, members ...visit.Member) visit.Details {
	ts.t.Helper()
	ctx := context.Background()
	id, err := ts.Store.CreateVisit(ctx, store.NewVisit{
		TemplateID: timeline.FocusedVisit, TemplateVersion: "2021-03-17",
		AnchorCode: code, AnchorDate: anchor, Members: members,
	}, by)
	if err != nil {
		ts.t.Fatal(err)
	}
	d, err := ts.Store.GetVisit(ctx, id)
	if err != nil {
		ts.t.Fatal(err)
	}
	return d
}

// planNow computes a visit's plan as the service would now: from the
// stored visit and the stored closure days.
func (ts *testServer) planNow(id int64) (visit.Details, timeline.Plan) {
	ts.t.Helper()
	ctx := context.Background()
	d, err := ts.Store.GetVisit(ctx, id)
	if err != nil {
		ts.t.Fatal(err)
	}
	cs, err := ts.Store.Closures(ctx)
	if err != nil {
		ts.t.Fatal(err)
	}
	p, err := d.Plan(workday.EnglandAndWales().WithClosures(cs), testLondon, nil)
	if err != nil {
		ts.t.Fatal(err)
	}
	return d, p
}

func datesOf(t *testing.T, p timeline.Plan, code string) string {
	t.Helper()
	m, ok := p.Milestone(code)
	if !ok {
		t.Fatalf("plan has no %s", code)
	}
	return timeline.FormatDates(m.First(), m.Last())
}

func labelOf(t *testing.T, p timeline.Plan, code string) string {
	t.Helper()
	m, ok := p.Milestone(code)
	if !ok {
		t.Fatalf("plan has no %s", code)
	}
	return m.Label
}

func date(s string) workday.Date {
	d, err := workday.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

func dateForm(name string, d workday.Date, extra url.Values) url.Values {
	v := url.Values{
		name + "-day":   {d.Format("2")},
		name + "-month": {d.Format("1")},
		name + "-year":  {d.Format("2006")},
	}
	for k, vs := range extra {
		v[k] = vs
	}
	return v
}

func TestClosureDayMovesOpenVisitsButNotDatesSetByHand(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	admin := ts.addUser(user.Admin, "admin@example.gov.uk")
	lead := ts.addUser(user.LeadInspector, "lead@example.gov.uk")
	ctx := context.Background()

	// Notice Mon 12 May 2025: fieldwork Tue 20 and Wed 21 May; the draft
	// letter is 10 working days after (over the Spring bank holiday) on
	// Thu 5 Jun, the final letter 22 working days after, on Mon 23 Jun.
	d := ts.createTestVisit(lead, "notice", date("2025-05-12"), visit.Member{UserID: lead.ID, Role: visit.RoleLead})
	other := ts.createTestVisit(lead, "notice", date("2025-09-01"), visit.Member{UserID: lead.ID, Role: visit.RoleLead})
	_, before := ts.planNow(d.ID)
	if got := datesOf(t, before, timeline.CodeDraftLetter); got != "Thu 5 Jun 2025" {
		t.Fatalf("draft letter before: %s", got)
	}
	if got := datesOf(t, before, timeline.CodeFinalLetter); got != "Mon 23 Jun 2025" {
		t.Fatalf("final letter before: %s", got)
	}
	// The final letter is set by hand, on the day it was planned anyway.
	if err := ts.Store.SetOverride(ctx, d.ID, 0, visit.Override{Code: timeline.CodeFinalLetter, Date: date("2025-06-23"), Reason: "Agreed with the QAM"},
		"Final letter", history.Day(date("2025-06-23")), lead); err != nil {
		t.Fatal(err)
	}
	_, otherBefore := ts.planNow(other.ID)

	c := ts.signIn(admin.Email)
	res := ts.post(c, "/closure-days/new", dateForm("date", date("2025-05-30"), url.Values{"reason": {"Office move"}, "step": {"confirm"}}))
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/closure-days" {
		t.Fatalf("add: status %d location %q, want 303 to /closure-days", res.StatusCode, res.Header.Get("Location"))
	}

	_, after := ts.planNow(d.ID)
	for code, want := range map[string]string{
		timeline.CodeFieldwork:   "Tue 20 to Wed 21 May 2025", // before the closure: stays
		timeline.CodeDraftLetter: "Fri 6 Jun 2025",            // one working day later
		timeline.CodeComments:    "Mon 9 to Fri 13 Jun 2025",  // one working day later
		timeline.CodeFinalLetter: "Mon 23 Jun 2025",           // set by hand: stays
	} {
		if got := datesOf(t, after, code); got != want {
			t.Errorf("%s after the closure: %s, want %s", code, got, want)
		}
	}
	if _, otherAfter := ts.planNow(other.ID); !slices.EqualFunc(otherBefore.Milestones, otherAfter.Milestones, func(a, b timeline.Milestone) bool {
		return a.First() == b.First() && a.Last() == b.Last()
	}) {
		t.Error("a visit with no date over the closure day moved")
	}

	// The history says which dates moved, and why; nothing for the other visit.
	events, err := ts.Store.ListEvents(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	moved := map[string]store.Event{}
	for _, e := range events {
		if w := e.Words(); w.Action == "Dates moved by a closure day" {
			moved[w.Field] = e
		}
	}
	draft := moved[labelOf(t, after, timeline.CodeDraftLetter)]
	if w := draft.Words(); w.Old != "Thu 5 Jun 2025" || w.New != "Fri 6 Jun 2025" || w.Detail != "Closure day added: Fri 30 May 2025 (Office move)" || draft.UserID != admin.ID {
		t.Errorf("draft letter event: %+v", w)
	}
	if _, ok := moved[labelOf(t, after, timeline.CodeFinalLetter)]; ok {
		t.Error("history says the final letter, set by hand, moved")
	}
	if _, ok := moved[labelOf(t, after, timeline.CodeFieldwork)]; ok {
		t.Error("history says fieldwork moved")
	}
	otherEvents, err := ts.Store.ListEvents(ctx, other.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range otherEvents {
		if e.Words().Action == "Dates moved by a closure day" {
			t.Errorf("other visit has a moved-date event: %+v", e)
		}
	}

	// The list shows the day, who added it, and the flash.
	res = ts.get(c, "/closure-days")
	doc := parse(t, res)
	htmltest.CheckPage(t, doc)
	if !strings.Contains(htmltest.Text(doc.Find("main")), "Closure day added for Fri 30 May 2025. 1 visit's dates moved.") {
		t.Error("no flash saying the day was added and how many visits moved")
	}
	row := htmltest.Text(doc.Find("#closures tbody tr").First())
	for _, want := range []string{"Fri 30 May 2025", "Office move", admin.Name} {
		if !strings.Contains(row, want) {
			t.Errorf("closure row %q lacks %q", row, want)
		}
	}

	// Removing it asks why, then moves the dates back and says so.
	res = ts.get(c, "/closure-days/2025-05-30/remove")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("remove page: %d", res.StatusCode)
	}
	doc = parse(t, res)
	htmltest.CheckPage(t, doc)
	if got := htmltest.Text(doc.Find("h1")); got != "Remove the closure day on Fri 30 May 2025?" {
		t.Errorf("remove h1 %q", got)
	}
	res = ts.post(c, "/closure-days/2025-05-30/remove", url.Values{"why": {""}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("remove without why: %d, want 422", res.StatusCode)
	}
	doc = parse(t, res)
	htmltest.CheckPage(t, doc)
	if links := htmltest.ErrorSummaryLinks(doc); !slices.Equal(links, []string{"#why"}) {
		t.Errorf("error summary links %v", links)
	}
	res = ts.post(c, "/closure-days/2025-05-30/remove", url.Values{"why": {"The move was postponed"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("remove: %d, want 303", res.StatusCode)
	}
	if _, p := ts.planNow(d.ID); datesOf(t, p, timeline.CodeDraftLetter) != "Thu 5 Jun 2025" {
		t.Errorf("draft letter after removal: %s", datesOf(t, p, timeline.CodeDraftLetter))
	}
	events, err = ts.Store.ListEvents(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	if e := events[0].Words(); e.Action != "Dates moved by a closure day" || !strings.HasPrefix(e.Detail, "Closure day removed: Fri 30 May 2025 (Office move). Why: The move was postponed") {
		t.Errorf("latest event after removal: %+v", e)
	}
	doc = parse(t, ts.get(c, "/closure-days"))
	if doc.Find("#no-closures").Length() != 1 {
		t.Error("no empty state after removing the only closure day")
	}
	changes := htmltest.Text(doc.Find("#closure-changes tbody"))
	for _, want := range []string{"Removed Fri 30 May 2025 (Office move)", "Why: The move was postponed", "Added Fri 30 May 2025"} {
		if !strings.Contains(changes, want) {
			t.Errorf("changes %q lack %q", changes, want)
		}
	}
	if res := ts.get(c, "/closure-days/2025-05-30/remove"); res.StatusCode != http.StatusNotFound {
		t.Errorf("remove page of a day no longer closed: %d, want 404", res.StatusCode)
	}
}

// errorSummary returns the messages of the error summary, in order.
func errorSummary(doc *goquery.Document) []string {
	var msgs []string
	doc.Find(".govuk-error-summary__list a").Each(func(_ int, s *goquery.Selection) {
		msgs = append(msgs, htmltest.Text(s))
	})
	return msgs
}

func TestClosureDayValidation(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	admin := ts.addUser(user.Admin, "admin@example.gov.uk")
	if err := ts.Store.AddClosureDay(context.Background(), date("2025-05-09"), "Office move", admin.ID); err != nil {
		t.Fatal(err)
	}
	c := ts.signIn(admin.Email)
	for _, tc := range []struct {
		name             string
		day, month, year string
		reason           string
		want             []string // messages in summary order
	}{
		{"empty", "", "", "", "", []string{"Enter the date", "Enter the reason for the closure day"}},
		{"no month", "9", "", "2025", "Move", []string{"The date must include a month"}},
		{"not real", "31", "2", "2025", "Move", []string{"The date must be a real date"}},
		{"not a number", "x", "5", "2025", "Move", []string{"The date must be a real date"}},
		{"out of range", "1", "1", "1989", "Move", []string{"The date must be between"}},
		{"saturday", "3", "5", "2025", "Move", []string{"Sat 3 May 2025 is already not a working day (Saturday)"}},
		{"bank holiday", "5", "5", "2025", "Move", []string{"Mon 5 May 2025 is already not a working day (Early May bank holiday)"}},
		{"already closed", "9", "5", "2025", "Move", []string{"Fri 9 May 2025 is already a closure day (Office move)"}},
		{"reason too long", "12", "5", "2025", strings.Repeat("x", 101), []string{"Reason must be 100 characters or fewer"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := ts.post(c, "/closure-days/new", url.Values{
				"date-day": {tc.day}, "date-month": {tc.month}, "date-year": {tc.year}, "reason": {tc.reason},
			})
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", res.StatusCode)
			}
			doc := parse(t, res)
			htmltest.CheckPage(t, doc)
			if !strings.HasPrefix(doc.Find("title").Text(), "Error: ") {
				t.Errorf("title %q lacks Error:", doc.Find("title").Text())
			}
			got := errorSummary(doc)
			if len(got) != len(tc.want) {
				t.Fatalf("errors %q, want %q", got, tc.want)
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tc.want[i]) {
					t.Errorf("error %d: %q, want %q", i, got[i], tc.want[i])
				}
			}
			// What was typed is kept.
			if v, _ := doc.Find("#date-day").Attr("value"); v != tc.day {
				t.Errorf("day shown %q, want %q", v, tc.day)
			}
			if v, _ := doc.Find("#reason").Attr("value"); v != tc.reason {
				t.Errorf("reason shown %q, want %q", v, tc.reason)
			}
		})
	}
	days, err := ts.Store.ListClosureDays(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(days) != 1 {
		t.Errorf("%d closure days after only bad forms, want 1", len(days))
	}
}

func TestClosureDaysAreForAdministratorsOnly(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	for _, role := range []user.Role{user.LeadInspector, user.TeamInspector, user.CafcassCEO} {
		u := ts.addUser(role, string(role)+"@example.gov.uk")
		c := ts.signIn(u.Email)
		for _, path := range []string{"/closure-days", "/closure-days/new", "/closure-days/2025-05-09/remove"} {
			if res := ts.get(c, path); res.StatusCode != http.StatusForbidden {
				t.Errorf("%s GET %s: %d, want 403", role, path, res.StatusCode)
			}
		}
		res := ts.post(c, "/closure-days/new", dateForm("date", date("2025-05-12"), url.Values{"reason": {"Move"}}))
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("%s POST: %d, want 403", role, res.StatusCode)
		}
	}
	days, err := ts.Store.ListClosureDays(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(days) != 0 {
		t.Errorf("non-administrators added %d closure days", len(days))
	}
}

// TestClosureAfterNotice_AsksTheLeadToRecordTellingTheChiefExecutive: a
// closure day that moves a visit's dates after notice asks its lead to
// record telling the chief executive in writing (DOMAIN decision 14), on
// the visit page until it is recorded; Cafcass is never shown it.
func TestClosureAfterNotice_AsksTheLeadToRecordTellingTheChiefExecutive(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	ts.setClock(time.Date(2025, 4, 14, 10, 0, 0, 0, londonTZ))
	lead := ts.addUser(user.LeadInspector, "lead@example.gov.uk")
	ceo := ts.addUser(user.CafcassCEO, "ceo@example.gov.uk")
	admin := ts.addUser(user.Admin, "admin@example.gov.uk")
	d := ts.createTestVisit(lead, "notice", date("2025-04-14"),
		visit.Member{UserID: lead.ID, Role: visit.RoleLead}, visit.Member{UserID: ceo.ID, Role: visit.RoleCafcass})
	other := ts.createTestVisit(lead, "notice", date("2025-04-28"), visit.Member{UserID: lead.ID, Role: visit.RoleLead})
	if err := ts.Store.RecordActual(context.Background(), d.ID, 0, visit.Actual{Code: timeline.CodeNotice, Date: date("2025-04-14")}, "Notice call", lead); err != nil {
		t.Fatal(err)
	}
	adminC, leadC, ceoC := ts.signIn(admin.Email), ts.signIn(lead.Email), ts.signIn(ceo.Email)
	res := ts.post(adminC, "/closure-days/new", url.Values{"date-day": {"16"}, "date-month": {"4"}, "date-year": {"2025"}, "reason": {"Office move"}, "step": {"confirm"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add closure: %d", res.StatusCode)
	}
	path := "/visits/" + d.PublicID
	banner := func(c *http.Client, p string) int {
		return parse(t, ts.get(c, p)).Find(`[data-testid=ceo-to-tell] a[href="` + p + `/ceo-told"]`).Length()
	}
	if banner(leadC, path) != 1 {
		t.Fatal("the lead is not asked to record telling the chief executive")
	}
	if banner(ceoC, path) != 0 {
		t.Error("Cafcass sees the reminder")
	}
	if banner(leadC, "/visits/"+other.PublicID) != 0 {
		t.Error("a visit without notice asks to tell the chief executive")
	}
	if res := ts.post(ceoC, path+"/ceo-told", url.Values{}); res.StatusCode != http.StatusForbidden {
		t.Errorf("Cafcass posting the record: %d, want 403", res.StatusCode)
	}
	res = ts.post(leadC, path+"/ceo-told", url.Values{"ceo-told-method": {"email"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("without a date: %d", res.StatusCode)
	}
	res = ts.post(leadC, path+"/ceo-told", url.Values{"ceo-told-method": {"email"}, "ceo-told-day": {"14"}, "ceo-told-month": {"4"}, "ceo-told-year": {"2025"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("record: %d", res.StatusCode)
	}
	if banner(leadC, path) != 0 {
		t.Error("the reminder stays after the record")
	}
	hist := htmltest.Text(parse(t, ts.get(leadC, path+"/history")).Find("[data-testid=history]"))
	if !strings.Contains(hist, "Chief executive told in writing by email on Mon 14 Apr 2025") {
		t.Errorf("history lacks the record: %.300q", hist)
	}
}

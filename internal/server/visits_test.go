package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/ofsted/focusedvisits/internal/htmltest"
	"github.com/ofsted/focusedvisits/internal/publicid"
	"github.com/ofsted/focusedvisits/internal/user"
)

// team is a set of users who can fill every place on a visit.
type team struct {
	lead, inspector, qam, sao, ceo, otherLead, otherCEO user.User
}

func newTeam(ts *testServer) team {
	return team{
		lead:      ts.addUser(user.LeadInspector, "lead@example.gov.uk"),
		inspector: ts.addUser(user.TeamInspector, "team@example.gov.uk"),
		qam:       ts.addUser(user.QAM, "qam@example.gov.uk"),
		sao:       ts.addUser(user.SAO, "sao@example.gov.uk"),
		ceo:       ts.addUser(user.CafcassCEO, "ceo@example.gov.uk"),
		otherLead: ts.addUser(user.LeadInspector, "other-lead@example.gov.uk"),
		otherCEO:  ts.addUser(user.CafcassDeputy, "deputy@example.gov.uk"),
	}
}

func (tm team) form(plan, day, month, year string) url.Values {
	return url.Values{
		"plan": {plan}, "date-day": {day}, "date-month": {month}, "date-year": {year},
		"team": {fmt.Sprint(tm.inspector.ID)}, "qam": {fmt.Sprint(tm.qam.ID)},
		"sao": {fmt.Sprint(tm.sao.ID)}, "cafcass": {fmt.Sprint(tm.ceo.ID)},
	}
}

var visitPath = regexp.MustCompile(`^/visits/([0-9a-z]{20})$`)

// schedule creates a visit as the lead through the form and returns its path.
func schedule(t *testing.T, ts *testServer, c *http.Client, form url.Values) string {
	t.Helper()
	res := ts.post(c, "/visits/new", form)
	if res.StatusCode != http.StatusSeeOther {
		doc := parse(t, res)
		t.Fatalf("schedule: status %d: %s", res.StatusCode, htmltest.Text(doc.Find(".govuk-error-summary, h1, [data-testid=warnings]")))
	}
	loc := res.Header.Get("Location")
	if !visitPath.MatchString(loc) {
		t.Fatalf("redirected to %q", loc)
	}
	return loc
}

// currentDates maps each milestone code to its current date text.
func currentDates(doc *goquery.Document) map[string]string {
	m := map[string]string{}
	doc.Find(`[data-testid=timeline] tbody tr`).Each(func(_ int, s *goquery.Selection) {
		code, _ := s.Attr("data-code")
		m[code] = htmltest.Text(s.Find(`[data-testid=current]`))
	})
	return m
}

func TestVisitSchedule_B4Example(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	ts.setClock(time.Date(2025, 4, 1, 10, 0, 0, 0, londonTZ)) // before the notice day
	tm := newTeam(ts)
	lead := ts.signIn(tm.lead.Email)

	doc := parse(t, ts.get(lead, "/visits/new"))
	htmltest.CheckPage(t, doc)

	path := schedule(t, ts, lead, tm.form("fieldwork", "24", "4", "2025"))
	doc = parse(t, ts.get(lead, path))
	htmltest.CheckPage(t, doc)
	got := currentDates(doc)
	for code, want := range map[string]string{
		"notice":                 "Mon 14 Apr 2025",
		"child-level-data":       "Wed 16 Apr 2025",
		"management-information": "Tue 22 Apr 2025",
		"draft-letter":           "Mon 12 May 2025",
		"final-letter":           "Thu 29 May 2025",
		"publication":            "Tue 10 Jun 2025",
	} {
		if got[code] != want {
			t.Errorf("%s: %q, want %q", code, got[code], want)
		}
	}
	if ex := htmltest.Text(doc.Find(`tr[data-code=draft-letter] [data-testid=explanation]`)); !strings.Contains(ex, "Mon 5 May: Early May bank holiday") {
		t.Errorf("draft explanation %q", ex)
	}
	if got := htmltest.Text(doc.Find(".govuk-notification-banner")); !strings.Contains(got, "Visit scheduled") {
		t.Errorf("no confirmation: %q", got)
	}
	hist := parse(t, ts.get(lead, path+"/history"))
	htmltest.CheckPage(t, hist)
	if !strings.Contains(htmltest.Text(hist.Find("[data-testid=history]")), "Visit created") {
		t.Error("history has no creation")
	}
}

func TestVisitSchedule_Validation(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	tm := newTeam(ts)
	lead := ts.signIn(tm.lead.Email)
	res := ts.post(lead, "/visits/new", url.Values{"date-day": {"31"}, "date-month": {"2"}, "date-year": {"2025"}, "team": {"<script>"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("status %d, want 422", res.StatusCode)
	}
	doc := parse(t, res)
	htmltest.CheckPage(t, doc)
	want := []string{"#plan", "#date-day", "#qam", "#sao", "#cafcass"}
	if got := htmltest.ErrorSummaryLinks(doc); !slices.Equal(got, want) {
		t.Errorf("error summary %v, want %v", got, want)
	}
	if v, _ := doc.Find("#date-day").Attr("value"); v != "31" {
		t.Errorf("typed day not kept: %q", v)
	}
	if got := htmltest.Text(doc.Find("#date-error")); !strings.Contains(got, "must be a real date") {
		t.Errorf("date error %q", got)
	}
}

func TestVisitSchedule_WarningsNeedAReason(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	tm := newTeam(ts)
	lead := ts.signIn(tm.lead.Email)
	form := tm.form("fieldwork", "3", "3", "2025") // a Monday
	res := ts.post(lead, "/visits/new", form)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d, want the warnings page", res.StatusCode)
	}
	doc := parse(t, res)
	htmltest.CheckPage(t, doc)
	if w := htmltest.Text(doc.Find("[data-testid=warnings]")); !strings.Contains(w, "Monday") {
		t.Errorf("warnings %q", w)
	}
	// Going ahead without a reason is refused, and nothing is lost.
	form.Set("step", "confirm")
	res = ts.post(lead, "/visits/new", form)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("confirm without reason: %d", res.StatusCode)
	}
	if got := htmltest.ErrorSummaryLinks(parse(t, res)); !slices.Equal(got, []string{"#reason"}) {
		t.Errorf("error summary %v", got)
	}
	// Going back keeps what was typed.
	form.Set("step", "change")
	doc = parse(t, ts.post(lead, "/visits/new", form))
	if v, _ := doc.Find("#date-day").Attr("value"); v != "3" {
		t.Errorf("going back lost the date: %q", v)
	}
	// With a reason the visit is saved, and the reason shown.
	form.Set("step", "confirm")
	form.Set("reason", "Cafcass asked for a Monday start")
	path := schedule(t, ts, lead, form)
	doc = parse(t, ts.get(lead, path))
	if !strings.Contains(htmltest.Text(doc.Find(".govuk-inset-text")), "Cafcass asked for a Monday start") {
		t.Error("accepted reason not shown")
	}
}

func TestVisitAccess_CafcassSeesNothingBeforeNotice(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	ts.setClock(time.Date(2025, 4, 1, 10, 0, 0, 0, londonTZ)) // before the notice day
	tm := newTeam(ts)
	lead := ts.signIn(tm.lead.Email)
	path := schedule(t, ts, lead, tm.form("notice", "14", "4", "2025"))
	ceo := ts.signIn(tm.ceo.Email)

	nonce := regexp.MustCompile(`nonce="[^"]*"`)
	answer := func(c *http.Client, p string) (int, string) {
		res := ts.get(c, p)
		return res.StatusCode, nonce.ReplaceAllString(readAll(t, res.Body), "")
	}
	madeUp := "/visits/" + publicid.New() // well formed, but no visit has it
	for _, suffix := range []string{"", "/calendar.ics"} {
		s1, b1 := answer(ceo, path+suffix)
		s2, b2 := answer(ceo, madeUp+suffix)
		if s1 != http.StatusNotFound || s1 != s2 || b1 != b2 {
			t.Errorf("%s: Cafcass before notice got %d, made-up id got %d (bodies equal: %v)", suffix, s1, s2, b1 == b2)
		}
	}
	if doc := parse(t, ts.get(ceo, "/")); strings.Contains(doc.Text(), "FV-2025") {
		t.Error("the start page names the visit before notice")
	}
	// Another lead inspector, not on the visit, gets the same 404.
	other := ts.signIn(tm.otherLead.Email)
	if res := ts.get(other, path); res.StatusCode != http.StatusNotFound {
		t.Errorf("other lead: %d", res.StatusCode)
	}
	// A team inspector on the visit sees it but cannot change it.
	inspector := ts.signIn(tm.inspector.Email)
	if res := ts.get(inspector, path); res.StatusCode != http.StatusOK {
		t.Errorf("team inspector: %d", res.StatusCode)
	}
	if res := ts.get(inspector, path+"/edit"); res.StatusCode != http.StatusForbidden {
		t.Errorf("team inspector edit: %d", res.StatusCode)
	}

	// Once the notice call is recorded, the Cafcass member sees the visit;
	// the Cafcass user not on it still does not.
	ts.setClock(time.Date(2025, 4, 14, 10, 0, 0, 0, londonTZ))
	res := ts.post(lead, path+"/milestones/notice/record", url.Values{
		"date-day": {"14"}, "date-month": {"4"}, "date-year": {"2025"}, "time": {"9:05"}, "version": {"0"}, "confirm": {"yes"},
	})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("record notice: %d", res.StatusCode)
	}
	if res := ts.get(ceo, path); res.StatusCode != http.StatusOK {
		t.Errorf("Cafcass after notice: %d", res.StatusCode)
	}
	if res := ts.get(ts.signIn(tm.otherCEO.Email), path); res.StatusCode != http.StatusNotFound {
		t.Errorf("Cafcass user not on the visit: %d", res.StatusCode)
	}
	if res := ts.get(ceo, path+"/history"); res.StatusCode != http.StatusForbidden {
		t.Errorf("Cafcass history: %d, want 403 (Ofsted only)", res.StatusCode)
	}
}

func TestVisitRecordAndOverride(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	ts.setClock(time.Date(2025, 4, 1, 10, 0, 0, 0, londonTZ)) // before the notice day
	tm := newTeam(ts)
	lead := ts.signIn(tm.lead.Email)
	path := schedule(t, ts, lead, tm.form("fieldwork", "24", "4", "2025"))

	// Override the final letter date, then record fieldwork as having run a
	// day longer: the letter dates counted from its last day follow; the
	// overridden final letter stays.
	res := ts.post(lead, path+"/milestones/final-letter/override", url.Values{
		"date-day": {"3"}, "date-month": {"6"}, "date-year": {"2025"}, "reason": {"Moderation of a priority action"},
	})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("override: %d", res.StatusCode)
	}
	ts.setClock(time.Date(2025, 5, 1, 10, 0, 0, 0, londonTZ))
	res = ts.post(lead, path+"/milestones/fieldwork/record", url.Values{
		"date-day": {"24"}, "date-month": {"4"}, "date-year": {"2025"},
		"to-day": {"28"}, "to-month": {"4"}, "to-year": {"2025"},
	})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("record: %d", res.StatusCode)
	}
	doc := parse(t, ts.get(lead, path))
	got := currentDates(doc)
	if got["draft-letter"] != "Tue 13 May 2025" || got["final-letter"] != "Tue 3 Jun 2025" {
		t.Errorf("draft %q final %q", got["draft-letter"], got["final-letter"])
	}
	if got["comments"] != "Wed 14 to Tue 20 May 2025" {
		t.Errorf("comments %q, want Wed 14 to Tue 20 May 2025", got["comments"])
	}
	if planned := htmltest.Text(doc.Find(`tr[data-code=draft-letter] [data-testid=planned]`)); planned != "Mon 12 May 2025" {
		t.Errorf("planned draft %q", planned)
	}
	// The letter's steps are recorded only through the letter (DOMAIN
	// decision 14): no record link, and the record form is not there.
	for _, code := range []string{"draft-letter", "comments", "final-letter", "complaint", "publication"} {
		if n := doc.Find(`tr[data-code="` + code + `"] a[href$="/record"]`).Length(); n != 0 {
			t.Errorf("%s offers to record it on the timeline", code)
		}
		if res := ts.get(lead, path+"/milestones/"+code+"/record"); res.StatusCode != http.StatusNotFound {
			t.Errorf("GET record %s: %d, want 404", code, res.StatusCode)
		}
		res := ts.post(lead, path+"/milestones/"+code+"/record", url.Values{"date-day": {"14"}, "date-month": {"5"}, "date-year": {"2025"}})
		if res.StatusCode != http.StatusNotFound {
			t.Errorf("POST record %s: %d, want 404", code, res.StatusCode)
		}
	}
	// Overrides need a reason.
	res = ts.post(lead, path+"/milestones/publication/override", url.Values{"date-day": {"1"}, "date-month": {"7"}, "date-year": {"2025"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("override without reason: %d", res.StatusCode)
	}
	hist := htmltest.Text(parse(t, ts.get(lead, path+"/history")).Find("[data-testid=history]"))
	for _, want := range []string{"Date set by hand", "Moderation of a priority action", "Recorded as done", "Mon 28 Apr 2025"} {
		if !strings.Contains(hist, want) {
			t.Errorf("history lacks %q", want)
		}
	}
	// A stale version is refused with a conflict, not applied.
	res = ts.post(lead, path+"/milestones/publication/override", url.Values{
		"date-day": {"1"}, "date-month": {"7"}, "date-year": {"2025"}, "reason": {"x"}, "version": {"1"},
	})
	if res.StatusCode != http.StatusConflict {
		t.Errorf("stale version: %d, want 409", res.StatusCode)
	}
}

func TestVisitStartPage(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	ts.setClock(time.Date(2025, 4, 1, 10, 0, 0, 0, londonTZ)) // before the notice day
	tm := newTeam(ts)
	lead := ts.signIn(tm.lead.Email)
	path := schedule(t, ts, lead, tm.form("notice", "14", "4", "2025"))
	doc := parse(t, ts.get(lead, "/"))
	htmltest.CheckPage(t, doc)
	if !strings.Contains(htmltest.Text(doc.Find("[data-testid=visits]")), "FV-2025") {
		t.Error("start page does not list the visit")
	}
	if href, _ := doc.Find("[data-testid=visits] a").Attr("href"); href != path {
		t.Errorf("visit link %q, want %q", href, path)
	}
}

// TestVisitRecord_OnlyWhatHappened: DOMAIN decision 10. An actual date is
// today or earlier; recording the notice asks the lead to confirm that it
// shows the visit to Cafcass, and the visit stays hidden until it is.
func TestVisitRecord_OnlyWhatHappened(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	ts.setClock(time.Date(2026, 12, 1, 10, 0, 0, 0, time.UTC))
	tm := newTeam(ts)
	lead := ts.signIn(tm.lead.Email)
	ceo := ts.signIn(tm.ceo.Email)
	path := schedule(t, ts, lead, tm.form("notice", "17", "12", "2026"))

	// The form does not offer the planned (future) date as what happened.
	doc := parse(t, ts.get(lead, path+"/milestones/notice/record"))
	if v, _ := doc.Find("#date-day").Attr("value"); v != "" {
		t.Errorf("record form pre-fills the future planned day %q", v)
	}
	if doc.Find(`input[name=confirm]`).Length() != 1 || !strings.Contains(htmltest.Text(doc.Find(".govuk-warning-text")), "shows the visit to Cafcass now") {
		t.Error("the notice form does not warn and ask to confirm")
	}
	cases := []struct {
		name   string
		form   url.Values
		errors []string
	}{
		{"a future date", url.Values{"date-day": {"17"}, "date-month": {"12"}, "date-year": {"2026"}, "confirm": {"yes"}}, []string{"#date-day"}},
		{"tomorrow", url.Values{"date-day": {"2"}, "date-month": {"12"}, "date-year": {"2026"}, "confirm": {"yes"}}, []string{"#date-day"}},
		{"not confirmed", url.Values{"date-day": {"1"}, "date-month": {"12"}, "date-year": {"2026"}}, []string{"#confirm"}},
	}
	for _, c := range cases {
		c.form.Set("version", "0")
		res := ts.post(lead, path+"/milestones/notice/record", c.form)
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d, want 422", c.name, res.StatusCode)
			continue
		}
		doc := parse(t, res)
		var got []string
		doc.Find(".govuk-error-summary__list a").Each(func(_ int, a *goquery.Selection) {
			h, _ := a.Attr("href")
			got = append(got, h)
		})
		if !slices.Equal(got, c.errors) {
			t.Errorf("%s: errors %v, want %v", c.name, got, c.errors)
		}
		if res := ts.get(ceo, path); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: Cafcass sees the visit: %d", c.name, res.StatusCode)
		}
	}
	// A future last day of fieldwork is refused too.
	res := ts.post(lead, path+"/milestones/fieldwork/record", url.Values{
		"date-day": {"1"}, "date-month": {"12"}, "date-year": {"2026"}, "to-day": {"2"}, "to-month": {"12"}, "to-year": {"2026"}, "version": {"0"},
	})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("future last fieldwork day: %d", res.StatusCode)
	}
	// Today, confirmed: recorded, and Cafcass sees the visit.
	res = ts.post(lead, path+"/milestones/notice/record", url.Values{
		"date-day": {"1"}, "date-month": {"12"}, "date-year": {"2026"}, "confirm": {"yes"}, "version": {"0"},
	})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("record today: %d", res.StatusCode)
	}
	if res := ts.get(ceo, path); res.StatusCode != http.StatusOK {
		t.Errorf("Cafcass after notice: %d", res.StatusCode)
	}
}

// TestNoticeUndo: an administrator can undo a notice call recorded in error
// on the day it was recorded, with a reason; Cafcass no longer sees the
// visit; the history keeps both (issue 12, item 1). Nobody else can, and
// not the next day.
func TestNoticeUndo(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	ts.setClock(time.Date(2026, 12, 1, 9, 30, 0, 0, londonTZ))
	tm := newTeam(ts)
	lead, ceo := ts.signIn(tm.lead.Email), ts.signIn(tm.ceo.Email)
	admin := ts.signIn(ts.addUser(user.Admin, "admin@example.gov.uk").Email)
	path := schedule(t, ts, lead, tm.form("notice", "1", "12", "2026"))
	res := ts.post(lead, path+"/milestones/notice/record", url.Values{
		"date-day": {"1"}, "date-month": {"12"}, "date-year": {"2026"}, "confirm": {"yes"}, "version": {"0"},
	})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("record notice: %d", res.StatusCode)
	}
	if res := ts.get(ceo, path); res.StatusCode != http.StatusOK {
		t.Fatalf("Cafcass after notice: %d", res.StatusCode)
	}
	if n := parse(t, ts.get(lead, path)).Find(`a[href$="/notice/undo"]`).Length(); n != 0 {
		t.Error("the lead is offered the undo")
	}
	if res := ts.get(lead, path+"/notice/undo"); res.StatusCode != http.StatusForbidden {
		t.Errorf("lead GET undo: %d", res.StatusCode)
	}
	doc := parse(t, ts.get(admin, path))
	if doc.Find(`a[href="`+path+`/notice/undo"]`).Length() != 1 {
		t.Fatal("the administrator is not offered the undo")
	}
	version, _ := parse(t, ts.get(admin, path+"/notice/undo")).Find(`input[name=version]`).Attr("value")
	res = ts.post(admin, path+"/notice/undo", url.Values{"reason": {""}, "version": {version}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("undo without a reason: %d", res.StatusCode)
	}
	res = ts.post(admin, path+"/notice/undo", url.Values{"reason": {"Recorded on the wrong visit"}, "version": {version}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("undo: %d", res.StatusCode)
	}
	if res := ts.get(ceo, path); res.StatusCode != http.StatusNotFound {
		t.Errorf("Cafcass after the undo: %d, want 404", res.StatusCode)
	}
	hist := htmltest.Text(parse(t, ts.get(admin, path+"/history")).Find("[data-testid=history]"))
	for _, want := range []string{"Recorded as done", "Notice call record undone (recorded in error)", "Recorded on the wrong visit"} {
		if !strings.Contains(hist, want) {
			t.Errorf("history lacks %q", want)
		}
	}
	// Recorded again, then the next working day: too late to undo.
	res = ts.post(lead, path+"/milestones/notice/record", url.Values{
		"date-day": {"1"}, "date-month": {"12"}, "date-year": {"2026"}, "confirm": {"yes"}, "version": {"0"},
	})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("record notice again: %d", res.StatusCode)
	}
	// The record is stamped by the database's clock, which is the real one:
	// the next day is after both the day entered and the real day.
	next := time.Date(2026, 12, 2, 9, 30, 0, 0, londonTZ)
	if real := time.Now().In(londonTZ).AddDate(0, 0, 1); real.After(next) {
		next = real
	}
	ts.setClock(next)
	if res := ts.get(admin, path+"/notice/undo"); res.StatusCode != http.StatusForbidden {
		t.Errorf("undo the next day: %d, want 403", res.StatusCode)
	}
}

// TestVisitSchedule_ClashIsOneLineWithNames: scheduling a visit whose
// fieldwork meets another's, for the lead and a team inspector, warns once
// per clash naming both people, and no id is shown (issues 12 and 15).
func TestVisitSchedule_ClashIsOneLineWithNames(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	ts.setClock(time.Date(2025, 4, 1, 10, 0, 0, 0, londonTZ))
	tm := newTeam(ts)
	lead := ts.signIn(tm.lead.Email)
	schedule(t, ts, lead, tm.form("notice", "14", "4", "2025"))
	res := ts.post(lead, "/visits/new", tm.form("notice", "14", "4", "2025"))
	if res.StatusCode != http.StatusOK {
		t.Fatalf("second visit: %d, want the warnings page", res.StatusCode)
	}
	doc := parse(t, res)
	var lines []string
	doc.Find("[data-testid=warnings] li").Each(func(_ int, s *goquery.Selection) { lines = append(lines, htmltest.Text(s)) })
	if len(lines) != 1 || !strings.Contains(lines[0], tm.lead.Name+" and "+tm.inspector.Name+" are on fieldwork for FV-") {
		t.Errorf("warnings %q, want one line naming both people", lines)
	}
	if regexp.MustCompile(`#[0-9]`).MatchString(htmltest.Text(doc.Find("main"))) {
		t.Errorf("the warnings page shows an id: %q", htmltest.Text(doc.Find("main")))
	}
}

// TestOverrideAfterNotice_RecordsTheChiefExecutiveWasTold: after notice,
// setting a date by hand asks when and how the chief executive was told in
// writing (DOMAIN decision 14), and the history keeps it; before notice it
// does not ask.
func TestOverrideAfterNotice_RecordsTheChiefExecutiveWasTold(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	ts.setClock(time.Date(2025, 4, 1, 10, 0, 0, 0, londonTZ))
	tm := newTeam(ts)
	lead := ts.signIn(tm.lead.Email)
	path := schedule(t, ts, lead, tm.form("notice", "14", "4", "2025"))
	if n := parse(t, ts.get(lead, path+"/milestones/management-information/override")).Find(`input[name=ceo-told-method]`).Length(); n != 0 {
		t.Error("asked about the chief executive before notice")
	}
	ts.setClock(time.Date(2025, 4, 14, 10, 0, 0, 0, londonTZ))
	res := ts.post(lead, path+"/milestones/notice/record", url.Values{
		"date-day": {"14"}, "date-month": {"4"}, "date-year": {"2025"}, "confirm": {"yes"}, "version": {"0"},
	})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("record notice: %d", res.StatusCode)
	}
	form := url.Values{"date-day": {"23"}, "date-month": {"4"}, "date-year": {"2025"}, "reason": {"Cafcass asked for a day more"}}
	res = ts.post(lead, path+"/milestones/management-information/override", form)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("override after notice without the record: %d, want 422", res.StatusCode)
	}
	doc := parse(t, res)
	for _, href := range []string{"#ceo-told-method", "#ceo-told-day"} {
		if doc.Find(`.govuk-error-summary__list a[href="`+href+`"]`).Length() != 1 {
			t.Errorf("no error linking to %s", href)
		}
	}
	form.Set("ceo-told-method", "letter")
	form.Set("ceo-told-day", "15")
	form.Set("ceo-told-month", "4")
	form.Set("ceo-told-year", "2025") // tomorrow: refused
	if res := ts.post(lead, path+"/milestones/management-information/override", form); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("told tomorrow: %d, want 422", res.StatusCode)
	}
	form.Set("ceo-told-day", "14")
	if res := ts.post(lead, path+"/milestones/management-information/override", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("override with the record: %d", res.StatusCode)
	}
	hist := htmltest.Text(parse(t, ts.get(lead, path+"/history")).Find("[data-testid=history]"))
	if !strings.Contains(hist, "Chief executive told in writing by letter on Mon 14 Apr 2025") {
		t.Errorf("history lacks the record: %.400q", hist)
	}
}

// TestVisitShow_AcceptedWarningsOnce: going ahead again with the same clash
// (saving the visit a second time) does not repeat it on the visit's page,
// and the clash names the other visit by its reference (issue 15.4).
func TestVisitShow_AcceptedWarningsOnce(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	ts.setClock(time.Date(2025, 4, 1, 10, 0, 0, 0, londonTZ))
	tm := newTeam(ts)
	lead := ts.signIn(tm.lead.Email)
	first := schedule(t, ts, lead, tm.form("notice", "14", "4", "2025"))
	firstRef := htmltest.Text(parse(t, ts.get(lead, first)).Find(".govuk-caption-l").First())
	form := tm.form("notice", "14", "4", "2025")
	form.Set("step", "confirm")
	form.Set("reason", "The other visit moves")
	second := schedule(t, ts, lead, form)
	// Saved again unchanged, going ahead with the same clash.
	version, _ := parse(t, ts.get(lead, second+"/edit")).Find("input[name=version]").Attr("value")
	form.Set("version", version)
	if res := ts.post(lead, second+"/edit", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save again: %d: %s", res.StatusCode, htmltest.Text(parse(t, res).Find(".govuk-error-summary, [data-testid=warnings]")))
	}
	doc := parse(t, ts.get(lead, second))
	var lines []string
	doc.Find("[data-testid=accepted] li").Each(func(_ int, s *goquery.Selection) { lines = append(lines, htmltest.Text(s)) })
	want := tm.lead.Name + " and " + tm.inspector.Name + " are on fieldwork for " + firstRef + " "
	if len(lines) != 1 || !strings.HasPrefix(lines[0], want) {
		t.Errorf("accepted warnings %q, want one line beginning %q", lines, want)
	}
}

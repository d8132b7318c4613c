package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	ics "github.com/arran4/golang-ical"
	"github.com/ofsted/focusedvisits/internal/history"
	"github.com/ofsted/focusedvisits/internal/htmltest"
	"github.com/ofsted/focusedvisits/internal/publicid"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

var calLondon = func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		panic(err)
	}
	return loc
}()

// calPeople are the users of the calendar tests.
type calPeople struct {
	lead, ceo, otherCEO user.User
}

func newCalPeople(ts *testServer) calPeople {
	return calPeople{
		lead:     ts.addUser(user.LeadInspector, "cal-lead@example.gov.uk"),
		ceo:      ts.addUser(user.CafcassCEO, "cal-ceo@example.gov.uk"),
		otherCEO: ts.addUser(user.CafcassDeputy, "cal-deputy@example.gov.uk"),
	}
}

// calVisit creates a visit planned back from its first fieldwork day, with
// the lead and the CEO on it.
func calVisit(t *testing.T, ts *testServer, p calPeople, fieldwork workday.Date) int64 {
	t.Helper()
	tpl, err := timeline.Lookup(timeline.FocusedVisit, "")
	if err != nil {
		t.Fatal(err)
	}
	id, err := ts.Store.CreateVisit(context.Background(), store.NewVisit{
		TemplateID: tpl.ID, TemplateVersion: tpl.Version,
		AnchorCode: timeline.CodeFieldwork, AnchorDate: fieldwork,
		Members: []visit.Member{{UserID: p.lead.ID, Role: visit.RoleLead}, {UserID: p.ceo.ID, Role: visit.RoleCafcass}},
	}, p.lead)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// calPlan is the visit's plan as stored now, on the England and Wales
// calendar: what the .ics must carry.
func calPlan(t *testing.T, ts *testServer, id int64) (visit.Details, timeline.Plan) {
	t.Helper()
	d, err := ts.Store.GetVisit(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	p, err := d.Plan(workday.EnglandAndWales(), calLondon, nil)
	if err != nil {
		t.Fatal(err)
	}
	return d, p
}

func calUID(id int64, code string) string {
	return fmt.Sprintf("%d-%s@focused-visits.ofsted.gov.uk", id, code)
}

// parseICS parses a response with the iCalendar library, by UID.
func parseICS(t *testing.T, res *http.Response) map[string]*ics.VEvent {
	t.Helper()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d, want 200", res.StatusCode)
	}
	if ct := res.Header.Get("Content-Type"); ct != "text/calendar; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	c, err := ics.ParseCalendar(res.Body)
	if err != nil {
		t.Fatalf("parse iCalendar: %v", err)
	}
	events := map[string]*ics.VEvent{}
	for _, e := range c.Events() {
		if _, dup := events[e.Id()]; dup {
			t.Errorf("UID %s appears twice", e.Id())
		}
		events[e.Id()] = e
	}
	return events
}

func prop(e *ics.VEvent, p ics.ComponentProperty) string {
	if v := e.GetProperty(p); v != nil {
		return ics.FromText(v.Value)
	}
	return ""
}

func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatalf("not a number: %q", s)
	}
	return n
}

func civil(t time.Time) workday.Date { return workday.NewDate(t.Year(), t.Month(), t.Day()) }

// checkEvents checks that the events carry the plan's dates, one per
// milestone, under stable UIDs.
func checkEvents(t *testing.T, events map[string]*ics.VEvent, d visit.Details, p timeline.Plan) {
	t.Helper()
	if len(events) != len(p.Milestones) {
		t.Errorf("%d events, want one for each of the %d milestones", len(events), len(p.Milestones))
	}
	for _, m := range p.Milestones {
		e, ok := events[calUID(d.ID, m.Code)]
		if !ok {
			t.Errorf("no event with UID %s", calUID(d.ID, m.Code))
			continue
		}
		if got, want := prop(e, ics.ComponentPropertySummary), d.Reference+": "+m.Label; !strings.HasSuffix(got, want) {
			t.Errorf("%s: SUMMARY %q, want %q", m.Code, got, want)
		}
		if m.Explanation != "" && !strings.Contains(prop(e, ics.ComponentPropertyDescription), m.Explanation) {
			t.Errorf("%s: DESCRIPTION %q lacks the explanation %q", m.Code, prop(e, ics.ComponentPropertyDescription), m.Explanation)
		}
		if prop(e, ics.ComponentPropertySequence) == "" || prop(e, ics.ComponentPropertyDtstamp) == "" || prop(e, ics.ComponentPropertyLastModified) == "" {
			t.Errorf("%s: no SEQUENCE, DTSTAMP or LAST-MODIFIED", m.Code)
		}
		if m.Code == timeline.CodeNotice {
			start, err := e.GetStartAt()
			if err != nil {
				t.Errorf("notice: DTSTART: %v", err)
				continue
			}
			if want := m.First().At(9, 0, 0, 0, calLondon); !start.Equal(want) {
				t.Errorf("notice starts %v, want %v (09:00 in London)", start, want)
			}
			continue
		}
		dtstart := e.GetProperty(ics.ComponentPropertyDtStart)
		if v := dtstart.ICalParameters["VALUE"]; len(v) != 1 || v[0] != "DATE" {
			t.Errorf("%s: DTSTART is not an all-day date: %v", m.Code, dtstart.ICalParameters)
		}
		start, err := e.GetAllDayStartAt()
		if err != nil {
			t.Fatalf("%s: DTSTART: %v", m.Code, err)
		}
		end, err := e.GetAllDayEndAt()
		if err != nil {
			t.Fatalf("%s: DTEND: %v", m.Code, err)
		}
		if civil(start) != m.First() || civil(end) != m.Last().AddDays(1) {
			t.Errorf("%s: %s to %s (DTEND exclusive), want %s to %s", m.Code, civil(start), civil(end), m.First(), m.Last().AddDays(1))
		}
	}
}

func TestCalendarICS_VisitDatesAndStableUIDs(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	people := newCalPeople(ts)
	id := calVisit(t, ts, people, workday.NewDate(2025, time.April, 24))
	lead := ts.signIn(people.lead.Email)
	path := ts.visitPath(id) + "/calendar.ics"

	res := ts.get(lead, path)
	d, p := calPlan(t, ts, id)
	if cd := res.Header.Get("Content-Disposition"); cd != `attachment; filename="`+d.Reference+`.ics"` {
		t.Errorf("Content-Disposition %q", cd)
	}
	events := parseICS(t, res)
	checkEvents(t, events, d, p)
	notice, _ := p.Milestone(timeline.CodeNotice)
	if notice.First() != workday.NewDate(2025, time.April, 14) {
		t.Fatalf("notice %s, want Mon 14 Apr 2025 (DOMAIN B.4)", notice.First())
	}
	draft := events[calUID(id, timeline.CodeDraftLetter)]
	if got, want := prop(draft, ics.ComponentPropertySummary), d.Reference+": Draft letter sent to Cafcass for comments"; got != want {
		t.Errorf("SUMMARY %q, want %q", got, want)
	}
	seq := prop(draft, ics.ComponentPropertySequence)

	// The draft letter goes two days late: the same UIDs, new dates.
	planned, _ := p.Milestone(timeline.CodeDraftLetter)
	late := planned.Date.AddDays(2)
	if err := ts.Store.RecordActual(context.Background(), id, 0, visit.Actual{Code: timeline.CodeDraftLetter, Date: late}, "Draft letter", people.lead); err != nil {
		t.Fatal(err)
	}
	d2, p2 := calPlan(t, ts, id)
	events2 := parseICS(t, ts.get(lead, path))
	checkEvents(t, events2, d2, p2)
	for uid := range events {
		if events2[uid] == nil {
			t.Errorf("UID %s gone after the date moved", uid)
		}
	}
	start, _ := events2[calUID(id, timeline.CodeDraftLetter)].GetAllDayStartAt()
	if civil(start) != late {
		t.Errorf("draft letter now %s, want %s", civil(start), late)
	}
	before, _ := p.Milestone(timeline.CodeComments)
	after, _ := p2.Milestone(timeline.CodeComments)
	if before.From == after.From {
		t.Errorf("comments window did not move with the late draft: %s", after.From)
	}
	seq2 := prop(events2[calUID(id, timeline.CodeDraftLetter)], ics.ComponentPropertySequence)
	if a, b := atoi(t, seq), atoi(t, seq2); b <= a {
		t.Errorf("SEQUENCE %d after the change, was %d", b, a)
	}

	// A date set by hand moves too, under the same UID.
	pub, _ := p2.Milestone(timeline.CodePublication)
	moved := pub.Date.AddDays(7)
	if err := ts.Store.SetOverride(context.Background(), id, 0, visit.Override{Code: timeline.CodePublication, Date: moved, Reason: "Pre-election period"}, "Publication", history.Span{}, people.lead); err != nil {
		t.Fatal(err)
	}
	events3 := parseICS(t, ts.get(lead, path))
	if start, _ := events3[calUID(id, timeline.CodePublication)].GetAllDayStartAt(); civil(start) != moved {
		t.Errorf("publication %s, want %s", civil(start), moved)
	}

	// A closure day moves the final letter without changing the visit: the
	// same UID, the new date, a higher SEQUENCE.
	seq3 := atoi(t, prop(events3[calUID(id, timeline.CodeFinalLetter)], ics.ComponentPropertySequence))
	fw, _ := p2.Milestone(timeline.CodeFieldwork)
	closed := fw.To.AddDays(1)
	for closed.Weekday() == time.Saturday || closed.Weekday() == time.Sunday {
		closed = closed.AddDays(1)
	}
	if err := ts.Store.CloseDay(context.Background(), closed, "Office move", people.lead, nil, 1); err != nil {
		t.Fatal(err)
	}
	d4, err := ts.Store.GetVisit(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	p4, err := d4.Plan(workday.EnglandAndWales().WithClosures([]workday.Closure{{Date: closed, Reason: "Office move"}}), calLondon, nil)
	if err != nil {
		t.Fatal(err)
	}
	final3, _ := p2.Milestone(timeline.CodeFinalLetter)
	final4, _ := p4.Milestone(timeline.CodeFinalLetter)
	if final3.Date == final4.Date {
		t.Fatalf("closing %s did not move the final letter", closed)
	}
	events4 := parseICS(t, ts.get(lead, path))
	e4 := events4[calUID(id, timeline.CodeFinalLetter)]
	if start, _ := e4.GetAllDayStartAt(); civil(start) != final4.Date {
		t.Errorf("final letter after the closure day: %s, want %s", civil(start), final4.Date)
	}
	if seq4 := atoi(t, prop(e4, ics.ComponentPropertySequence)); seq4 <= seq3 {
		t.Errorf("SEQUENCE %d after a closure day, was %d", seq4, seq3)
	}

	// A cancelled visit's events stay, marked cancelled.
	if err := ts.Store.CancelVisit(context.Background(), id, 0, visit.Cancellation{Reason: "Test"}, people.lead); err != nil {
		t.Fatal(err)
	}
	for uid, e := range parseICS(t, ts.get(lead, path)) {
		if prop(e, ics.ComponentPropertyStatus) != "CANCELLED" || !strings.HasPrefix(prop(e, ics.ComponentPropertySummary), "Cancelled: ") {
			t.Errorf("%s of a cancelled visit: STATUS %q SUMMARY %q", uid, prop(e, ics.ComponentPropertyStatus), prop(e, ics.ComponentPropertySummary))
		}
	}
}

func TestCalendarICS_CafcassBeforeNotice(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	people := newCalPeople(ts)
	id := calVisit(t, ts, people, workday.NewDate(2025, time.April, 24))
	ceo := ts.signIn(people.ceo.Email)

	nonce := regexp.MustCompile(`nonce="[^"]*"`)
	answer := func(p string) (int, string, string) {
		res := ts.get(ceo, p)
		return res.StatusCode, res.Header.Get("Content-Type"), nonce.ReplaceAllString(readAll(t, res.Body), "")
	}
	s1, ct1, b1 := answer(ts.visitPath(id) + "/calendar.ics")
	s2, ct2, b2 := answer("/visits/" + publicid.New() + "/calendar.ics")
	if s1 != http.StatusNotFound || s1 != s2 || ct1 != ct2 || b1 != b2 {
		t.Errorf("before notice: %d %q, made-up id: %d %q, bodies equal: %v", s1, ct1, s2, ct2, b1 == b2)
	}
	if strings.Contains(b1, "FV-") {
		t.Error("the 404 names a visit")
	}

	// The notice call is recorded: now the CEO gets the dates.
	_, p := calPlan(t, ts, id)
	notice, _ := p.Milestone(timeline.CodeNotice)
	if err := ts.Store.RecordActual(context.Background(), id, 0, visit.Actual{Code: timeline.CodeNotice, Date: notice.Date, Time: "09:10"}, "Notice call", people.lead); err != nil {
		t.Fatal(err)
	}
	d, p := calPlan(t, ts, id)
	events := parseICS(t, ts.get(ceo, ts.visitPath(id)+"/calendar.ics"))
	if len(events) != len(p.Milestones) {
		t.Errorf("%d events after notice, want %d", len(events), len(p.Milestones))
	}
	start, err := events[calUID(d.ID, timeline.CodeNotice)].GetStartAt()
	if want := notice.Date.At(9, 10, 0, 0, calLondon); err != nil || !start.Equal(want) {
		t.Errorf("notice call at %v (%v), want the recorded time %v", start, err, want)
	}

	// A date set by hand: Cafcass reads that Ofsted changed it, not why.
	pub, _ := p.Milestone(timeline.CodePublication)
	const reason = "Lead inspector on leave"
	if err := ts.Store.SetOverride(context.Background(), id, 0, visit.Override{Code: timeline.CodePublication, Date: pub.Date.AddDays(7), Reason: reason}, "Publication", history.Span{}, people.lead); err != nil {
		t.Fatal(err)
	}
	desc := func(c *http.Client) string {
		return prop(parseICS(t, ts.get(c, ts.visitPath(id)+"/calendar.ics"))[calUID(id, timeline.CodePublication)], ics.ComponentPropertyDescription)
	}
	if got := desc(ceo); strings.Contains(got, reason) || !strings.Contains(got, "Ofsted changed this date.") {
		t.Errorf("Cafcass DESCRIPTION of an override: %q", got)
	}
	if got := desc(ts.signIn(people.lead.Email)); !strings.Contains(got, reason) {
		t.Errorf("lead's DESCRIPTION lacks the reason: %q", got)
	}
	// Each instance keeps a visit's file as sent: never Ofsted's for Cafcass.
	if got := desc(ceo); strings.Contains(got, reason) {
		t.Errorf("Cafcass DESCRIPTION of an override after the lead's fetch: %q", got)
	}

	// A Cafcass user who is not on the visit still gets the 404.
	other := ts.signIn(people.otherCEO.Email)
	if res := ts.get(other, ts.visitPath(id)+"/calendar.ics"); res.StatusCode != http.StatusNotFound {
		t.Errorf("Cafcass user not on the visit: %d", res.StatusCode)
	}
}

var feedPath = regexp.MustCompile(`/calendar/feed/[A-Za-z0-9_-]{43}\.ics$`)

// calLink makes (or resets) the user's private link and returns its path.
func calLink(t *testing.T, ts *testServer, c *http.Client) string {
	t.Helper()
	res := ts.post(c, "/account/calendar/reset", url.Values{})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/account/calendar" {
		t.Fatalf("reset: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	doc := parse(t, ts.get(c, "/account/calendar"))
	htmltest.CheckPage(t, doc)
	link, _ := doc.Find("input#calendar-link").Attr("value")
	if !strings.HasPrefix(link, ts.Cfg.BaseURL.String()) {
		t.Fatalf("link %q is not under BASE_URL %s", link, ts.Cfg.BaseURL)
	}
	m := feedPath.FindString(link)
	if m == "" {
		t.Fatalf("link %q is not a feed link", link)
	}
	// Shown once only: the page no longer has it.
	doc = parse(t, ts.get(c, "/account/calendar"))
	if doc.Find("input#calendar-link").Length() != 0 || doc.Find("[data-testid=link-exists]").Length() != 1 {
		t.Error("the link is shown again, or the page does not say there is one")
	}
	if strings.Contains(doc.Text(), m) {
		t.Error("the page shows the link again")
	}
	return m
}

func TestCalendarFeed_PrivateLink(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	people := newCalPeople(ts)
	notified := calVisit(t, ts, people, workday.NewDate(2025, time.April, 24))
	secret := calVisit(t, ts, people, workday.NewDate(2025, time.June, 11))
	_, p := calPlan(t, ts, notified)
	notice, _ := p.Milestone(timeline.CodeNotice)
	if err := ts.Store.RecordActual(context.Background(), notified, 0, visit.Actual{Code: timeline.CodeNotice, Date: notice.Date}, "Notice call", people.lead); err != nil {
		t.Fatal(err)
	}

	ceo := ts.signIn(people.ceo.Email)
	doc := parse(t, ts.get(ceo, "/account/calendar"))
	htmltest.CheckPage(t, doc)
	if doc.Find("[data-testid=no-link]").Length() != 1 {
		t.Error("a user without a link is not told so")
	}
	for _, want := range []string{"Outlook", "Google Calendar"} {
		if !strings.Contains(doc.Text(), want) {
			t.Errorf("no instructions for %s", want)
		}
	}

	old := calLink(t, ts, ceo)
	// The feed needs no session: the token is the credential.
	anon := ts.client()
	res := ts.get(anon, old)
	if cd := res.Header.Get("Content-Disposition"); strings.HasPrefix(cd, "attachment") {
		t.Errorf("feed Content-Disposition %q", cd)
	}
	events := parseICS(t, res)
	d, p := calPlan(t, ts, notified)
	checkEvents(t, events, d, p) // the notified visit only: the CEO may not know of the other
	for uid := range events {
		if strings.HasPrefix(uid, fmt.Sprintf("%d-", secret)) {
			t.Errorf("the feed has %s, of a visit without notice", uid)
		}
	}

	// The lead sees both visits.
	leadClient := ts.signIn(people.lead.Email)
	leadEvents := parseICS(t, ts.get(anon, calLink(t, ts, leadClient)))
	if _, ok := leadEvents[calUID(secret, timeline.CodeFieldwork)]; !ok {
		t.Error("the lead's feed lacks their visit without notice")
	}

	// A reset link replaces the old one, which stops working.
	fresh := calLink(t, ts, ceo)
	if fresh == old {
		t.Fatal("reset gave the same link")
	}
	if res := ts.get(anon, old); res.StatusCode != http.StatusNotFound {
		t.Errorf("old link after reset: %d, want 404", res.StatusCode)
	}
	if len(parseICS(t, ts.get(anon, fresh))) != len(p.Milestones) {
		t.Error("the new link does not give the calendar")
	}
	for _, bad := range []string{"/calendar/feed/" + strings.Repeat("A", 43) + ".ics", "/calendar/feed/short.ics", "/calendar/feed/!!!.ics"} {
		if res := ts.get(anon, bad); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d, want 404", bad, res.StatusCode)
		}
	}
}

// dayCell is the month grid's cell for the day of the month.
func dayCell(doc *goquery.Document, day int) *goquery.Selection {
	return doc.Find("td.app-calendar__day").FilterFunction(func(_ int, s *goquery.Selection) bool {
		return strings.TrimSpace(s.Find(".app-calendar__number").Text()) == fmt.Sprint(day)
	})
}

func TestCalendarMonth_April2025(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	people := newCalPeople(ts)
	id := calVisit(t, ts, people, workday.NewDate(2025, time.April, 24))
	if err := ts.Store.AddClosureDay(context.Background(), workday.NewDate(2025, time.April, 29), "Staff training day", people.lead.ID); err != nil {
		t.Fatal(err)
	}
	d, _ := calPlan(t, ts, id)
	lead := ts.signIn(people.lead.Email)

	res := ts.get(lead, "/calendar?month=2025-04")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	doc := parse(t, res)
	htmltest.CheckPage(t, doc)
	if got := htmltest.Text(doc.Find("table caption")); got != "April 2025" {
		t.Errorf("caption %q", got)
	}
	var heads []string
	doc.Find(`thead th[scope="col"]`).Each(func(_ int, s *goquery.Selection) { heads = append(heads, htmltest.Text(s)) })
	if strings.Join(heads, " ") != "Monday Tuesday Wednesday Thursday Friday Saturday Sunday" {
		t.Errorf("column headers %v", heads)
	}
	if n := doc.Find("tbody tr").Length(); n != 5 {
		t.Errorf("%d weeks, want 5 (31 Mar to 4 May)", n)
	}
	// 1 April 2025 is a Tuesday: the Monday before is blank.
	if first := doc.Find("tbody tr").First().Find("td"); first.Length() != 7 || strings.TrimSpace(first.First().Text()) != "" {
		t.Errorf("first week starts %q", first.First().Text())
	}

	notice := dayCell(doc, 14)
	link := notice.Find(`a[href="` + ts.visitPath(id) + `"]`)
	if !strings.Contains(htmltest.Text(link), d.Reference+": Notice call") {
		t.Errorf("Mon 14 Apr 2025 shows %q, want the notice call", htmltest.Text(notice))
	}
	if !strings.Contains(htmltest.Text(notice), "Mon 14 Apr 2025") {
		t.Errorf("the cell does not give its full date: %q", htmltest.Text(notice))
	}
	if !strings.Contains(htmltest.Text(dayCell(doc, 24)), d.Reference+": Fieldwork (first day)") {
		t.Errorf("Thu 24 Apr: %q", htmltest.Text(dayCell(doc, 24)))
	}
	friday := dayCell(doc, 18)
	if txt := htmltest.Text(friday); !strings.Contains(txt, "Good Friday") || !strings.Contains(txt, "Bank holiday") || !friday.HasClass("app-calendar__day--non-working") {
		t.Errorf("Good Friday cell: %q", txt)
	}
	if txt := htmltest.Text(dayCell(doc, 21)); !strings.Contains(txt, "Easter Monday") {
		t.Errorf("Easter Monday cell: %q", txt)
	}
	if txt := htmltest.Text(dayCell(doc, 29)); !strings.Contains(txt, "Office closed: Staff training day") {
		t.Errorf("closure day cell: %q", txt)
	}
	saturday := dayCell(doc, 19)
	if !strings.Contains(htmltest.Text(saturday), "Weekend") || !saturday.HasClass("app-calendar__day--non-working") {
		t.Errorf("Saturday cell: %q", htmltest.Text(saturday))
	}
	if txt := htmltest.Text(dayCell(doc, 15)); strings.Contains(txt, "Weekend") || strings.Contains(txt, "Bank holiday") {
		t.Errorf("a working day is marked: %q", txt)
	}
	prev := doc.Find(`a[rel="prev"]`)
	next := doc.Find(`a[rel="next"]`)
	if h, _ := prev.Attr("href"); h != "/calendar?month=2025-03" || htmltest.Text(prev) != "Previous month : March 2025" && htmltest.Text(prev) != "Previous month: March 2025" {
		t.Errorf("previous link %q to %q", htmltest.Text(prev), h)
	}
	if h, _ := next.Attr("href"); h != "/calendar?month=2025-05" || !strings.Contains(htmltest.Text(next), "May 2025") {
		t.Errorf("next link %q to %q", htmltest.Text(next), h)
	}

	// A Cafcass user on the visit sees nothing of it before notice.
	ceo := ts.signIn(people.ceo.Email)
	doc = parse(t, ts.get(ceo, "/calendar?month=2025-04"))
	if strings.Contains(doc.Text(), d.Reference) {
		t.Error("the Cafcass calendar shows the visit before notice")
	}
	if !strings.Contains(htmltest.Text(dayCell(doc, 18)), "Good Friday") {
		t.Error("the Cafcass calendar lacks Good Friday")
	}
}

func TestCalendarMonth_TodayAndBadMonth(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	people := newCalPeople(ts)
	lead := ts.signIn(people.lead.Email)

	doc := parse(t, ts.get(lead, "/calendar"))
	htmltest.CheckPage(t, doc)
	today := workday.DateOf(time.Now().In(calLondon))
	if got := htmltest.Text(doc.Find("table caption")); got != today.Format("January 2006") {
		t.Errorf("caption %q, want the current month", got)
	}
	cur := doc.Find(`td[aria-current="date"]`)
	if cur.Length() != 1 || strings.TrimSpace(cur.Find(".app-calendar__number").Text()) != fmt.Sprint(today.Day()) || !strings.Contains(cur.Text(), "Today") {
		t.Errorf("today's cell: %d cells, %q", cur.Length(), htmltest.Text(cur))
	}

	for _, bad := range []string{"2025-13", "April", "2025-4", "1900-01", "2025-04-01"} {
		res := ts.get(lead, "/calendar?month="+url.QueryEscape(bad))
		if res.StatusCode != http.StatusBadRequest {
			t.Errorf("month=%s: status %d, want 400", bad, res.StatusCode)
		}
	}
}

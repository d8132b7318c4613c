package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/ofsted/focusedvisits/internal/dbtest"
	"github.com/ofsted/focusedvisits/internal/htmltest"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// TestPlansKeptAcrossInstances (issue 16.1): two servers over one database,
// each with its own pool and kept plans, as two instances behind a load
// balancer. A visit page viewed again works out no plan; a closure day
// added through one instance, a date set by hand through it, and another
// visit's fieldwork moved through it are all seen by the next request to
// the other.
func TestPlansKeptAcrossInstances(t *testing.T) {
	t.Parallel()
	dbURL := dbtest.URL(t)
	pool := func() *pgxpool.Pool {
		p, err := pgxpool.New(context.Background(), dbURL)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(p.Close)
		return p
	}
	one, two := newTestServerOn(t, nil, pool()), newTestServerOn(t, nil, pool())
	for _, ts := range []*testServer{one, two} {
		ts.setClock(time.Date(2025, 5, 1, 10, 0, 0, 0, londonTZ))
	}
	admin := one.addUser(user.Admin, "admin@example.gov.uk")
	lead := one.addUser(user.LeadInspector, "lead@example.gov.uk")
	inspector := one.addUser(user.TeamInspector, "inspector@example.gov.uk")
	// Notice Mon 12 May 2025: fieldwork Tue 20 and Wed 21 May, the draft
	// letter on Thu 5 Jun (10 working days on, over the Spring bank holiday).
	d := one.createTestVisit(lead, "notice", date("2025-05-12"),
		visit.Member{UserID: lead.ID, Role: visit.RoleLead}, visit.Member{UserID: inspector.ID, Role: visit.RoleTeam})
	// Another visit of theirs, its fieldwork a fortnight later.
	other := one.createTestVisit(lead, "notice", date("2025-05-27"),
		visit.Member{UserID: lead.ID, Role: visit.RoleLead}, visit.Member{UserID: inspector.ID, Role: visit.RoleTeam})
	path := "/visits/" + d.PublicID

	viewer := two.signIn(lead.Email)
	page := func() (map[string]string, string) {
		t.Helper()
		res := two.get(viewer, path)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("visit page on the second instance: %d", res.StatusCode)
		}
		doc := parse(t, res)
		return currentDates(doc), htmltest.Text(doc.Find("main"))
	}
	got, _ := page()
	if got[timeline.CodeDraftLetter] != "Thu 5 Jun 2025" {
		t.Fatalf("draft letter %q, want Thu 5 Jun 2025", got[timeline.CodeDraftLetter])
	}

	// Seen again, nothing changed: no plan is worked out.
	computed, reused := two.App.PlanCounts()
	for range 3 {
		page()
	}
	if c, r := two.App.PlanCounts(); c != computed || r <= reused {
		t.Errorf("three views of an unchanged visit worked out %d plans (%d found kept), want 0", c-computed, r-reused)
	}
	// So does its calendar file, fetched again.
	draftEvent := func() (workday.Date, int) {
		t.Helper()
		e := parseICS(t, two.get(viewer, path+"/calendar.ics"))[calUID(d.ID, timeline.CodeDraftLetter)]
		if e == nil {
			t.Fatal("no draft letter in the calendar file")
		}
		start, err := e.GetAllDayStartAt()
		if err != nil {
			t.Fatal(err)
		}
		return civil(start), atoi(t, prop(e, ics.ComponentPropertySequence))
	}
	draftEvent()
	computed, _ = two.App.PlanCounts()
	made, kept := two.App.CalendarFileCounts()
	_, seq := draftEvent()
	if c, _ := two.App.PlanCounts(); c != computed {
		t.Errorf("an unchanged visit's calendar file fetched again worked out %d plans, want 0", c-computed)
	}
	if m, k := two.App.CalendarFileCounts(); m != made || k != kept+1 {
		t.Errorf("an unchanged visit's calendar file fetched again: %d made, %d found kept; want 0 and 1", m-made, k-kept)
	}

	// A closure day added through the first instance.
	admins := one.signIn(admin.Email)
	res := one.post(admins, "/closure-days/new", dateForm("date", date("2025-05-30"), url.Values{"reason": {"Office move"}, "step": {"confirm"}}))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add a closure day: %d", res.StatusCode)
	}
	if got, _ = page(); got[timeline.CodeDraftLetter] != "Fri 6 Jun 2025" {
		t.Errorf("after a closure day added on the other instance, draft letter %q, want Fri 6 Jun 2025", got[timeline.CodeDraftLetter])
	}
	// The calendar file moves the event, under a higher SEQUENCE, so that
	// calendar apps replace the entry they have.
	if day, seq2 := draftEvent(); day != date("2025-06-06") || seq2 <= seq {
		t.Errorf("calendar file after a closure day added on the other instance: draft letter %s, SEQUENCE %d (was %d); want Fri 6 Jun 2025, higher", day, seq2, seq)
	}

	// A date set by hand through the first instance.
	leads := one.signIn(lead.Email)
	res = one.post(leads, path+"/milestones/draft-letter/override", url.Values{
		"date-day": {"10"}, "date-month": {"6"}, "date-year": {"2025"}, "reason": {"Agreed with the QAM"},
	})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("set the draft letter by hand: %d", res.StatusCode)
	}
	if got, _ = page(); got[timeline.CodeDraftLetter] != "Tue 10 Jun 2025" {
		t.Errorf("after a date set by hand on the other instance, draft letter %q, want Tue 10 Jun 2025", got[timeline.CodeDraftLetter])
	}

	// The other visit's fieldwork moved onto this one's: the clash check
	// sees it, though this visit did not change.
	_, text := page()
	if strings.Contains(text, "on fieldwork for "+other.Reference) {
		t.Fatal("a clash before the other visit moved")
	}
	res = one.post(leads, "/visits/"+other.PublicID+"/milestones/fieldwork/override", url.Values{
		"date-day": {"20"}, "date-month": {"5"}, "date-year": {"2025"},
		"to-day": {"21"}, "to-month": {"5"}, "to-year": {"2025"}, "reason": {"Brought forward"},
	})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("move the other visit's fieldwork: %d", res.StatusCode)
	}
	if _, text = page(); !strings.Contains(text, "on fieldwork for "+other.Reference+" from") {
		t.Errorf("no clash warning after the other visit's fieldwork moved onto this one's: %q", text)
	}
}

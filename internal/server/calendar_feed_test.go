package server_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"
	"github.com/ofsted/focusedvisits/internal/history"
	"github.com/ofsted/focusedvisits/internal/htmltest"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// TestCalendarFeed_RevokedByPasswordChange: changing the password stops the
// private calendar link working, as it ends every other session; the
// account page then says there is no link.
func TestCalendarFeed_RevokedByPasswordChange(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	people := newCalPeople(ts)
	calVisit(t, ts, people, workday.NewDate(2025, time.April, 24))
	lead := ts.signIn(people.lead.Email)
	link := calLink(t, ts, lead)
	anon := ts.client()
	if res := ts.get(anon, link); res.StatusCode != http.StatusOK {
		t.Fatalf("feed before the change: %d", res.StatusCode)
	}
	res := ts.post(lead, "/account/password", passwordChange(testPassword, newTestPassword, newTestPassword))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("change password: %d", res.StatusCode)
	}
	if res := ts.get(anon, link); res.StatusCode != http.StatusNotFound {
		t.Errorf("feed after a password change: %d, want 404", res.StatusCode)
	}
	doc := parse(t, ts.get(lead, "/"))
	if got := htmltest.Text(doc.Find(".govuk-notification-banner")); !strings.Contains(got, "calendar link") {
		t.Errorf("the confirmation does not say the calendar link stopped: %q", got)
	}
	if doc := parse(t, ts.get(lead, "/account/calendar")); doc.Find("[data-testid=no-link]").Length() != 1 {
		t.Error("the calendar page still says there is a link")
	}
	// A new link works.
	fresh := calLink(t, ts, lead)
	if res := ts.get(anon, fresh); res.StatusCode != http.StatusOK {
		t.Errorf("new link after the change: %d", res.StatusCode)
	}
	// A deactivated user's link stops too. The service has no page or
	// command for it yet (an administrator sets users.active in the
	// database), so the test does the same.
	if _, err := ts.Pool.Exec(context.Background(), `UPDATE users SET active = false WHERE id = $1`, people.lead.ID); err != nil {
		t.Fatal(err)
	}
	if res := ts.get(anon, fresh); res.StatusCode != http.StatusNotFound {
		t.Errorf("feed of a deactivated user: %d, want 404", res.StatusCode)
	}
}

// TestCalendarFeed_NoInternalReasons: the subscription feed lives in a
// calendar outside the service, so it never carries why a date was set by
// hand, for any subscriber; a Cafcass subscriber gets only what Cafcass
// pages show, of visits after notice.
func TestCalendarFeed_NoInternalReasons(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	people := newCalPeople(ts)
	noticed := calVisit(t, ts, people, workday.NewDate(2025, time.April, 24))
	hidden := calVisit(t, ts, people, workday.NewDate(2025, time.June, 11))
	ctx := context.Background()
	_, p := calPlan(t, ts, noticed)
	notice, _ := p.Milestone(timeline.CodeNotice)
	if err := ts.Store.RecordActual(ctx, noticed, 0, visit.Actual{Code: timeline.CodeNotice, Date: notice.Date}, "Notice call", people.lead); err != nil {
		t.Fatal(err)
	}
	const reason = "Inspector signed off sick: internal"
	for _, id := range []int64{noticed, hidden} {
		_, p := calPlan(t, ts, id)
		pub, _ := p.Milestone(timeline.CodePublication)
		if err := ts.Store.SetOverride(ctx, id, 0, visit.Override{Code: timeline.CodePublication, Date: pub.Date.AddDays(7), Reason: reason}, "Publication", history.Span{}, people.lead); err != nil {
			t.Fatal(err)
		}
	}
	anon := ts.client()
	for _, who := range []struct {
		name   string
		email  string
		visits []int64
	}{
		{"lead", people.lead.Email, []int64{noticed, hidden}},
		{"Cafcass", people.ceo.Email, []int64{noticed}},
	} {
		res := ts.get(anon, calLink(t, ts, ts.signIn(who.email)))
		events := parseICS(t, res)
		seen := map[int64]bool{}
		for uid, e := range events {
			var id int64
			fmt.Sscanf(uid, "%d-", &id)
			seen[id] = true
			for _, p := range []ics.ComponentProperty{ics.ComponentPropertyDescription, ics.ComponentPropertySummary} {
				if v := prop(e, p); strings.Contains(v, reason) || strings.Contains(v, "Set by hand:") {
					t.Errorf("%s: %s %s carries the internal reason: %q", who.name, uid, p, v)
				}
			}
		}
		if len(seen) != len(who.visits) {
			t.Errorf("%s: feed has visits %v, want %v", who.name, seen, who.visits)
		}
		for _, id := range who.visits {
			if !seen[id] {
				t.Errorf("%s: feed lacks visit %d", who.name, id)
			}
			e := events[calUID(id, timeline.CodePublication)]
			if e == nil || !strings.Contains(prop(e, ics.ComponentPropertyDescription), "changed") {
				t.Errorf("%s: visit %d: the publication date set by hand is not marked as changed", who.name, id)
			}
		}
	}
}

package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ofsted/focusedvisits/internal/htmltest"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
)

// TestClosureAdd_ShowsWhatMovesFirst: adding a closure day first shows the
// visits and the dates that will move, and commits only when confirmed;
// removing one shows them too (issue 15.6).
func TestClosureAdd_ShowsWhatMovesFirst(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	admin := ts.addUser(user.Admin, "admin@example.gov.uk")
	lead := ts.addUser(user.LeadInspector, "lead@example.gov.uk")
	// Notice Mon 12 May 2025: the draft letter is Thu 5 Jun, which a
	// closure on Fri 30 May moves to Fri 6 Jun.
	d := ts.createTestVisit(lead, "notice", date("2025-05-12"), visit.Member{UserID: lead.ID, Role: visit.RoleLead})
	c := ts.signIn(admin.Email)
	form := dateForm("date", date("2025-05-30"), url.Values{"reason": {"Office move"}})

	res := ts.post(c, "/closure-days/new", form)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("add: status %d, want 200 and the check page", res.StatusCode)
	}
	doc := parse(t, res)
	htmltest.CheckPage(t, doc)
	moves := htmltest.Text(doc.Find("[data-testid=dates-that-move]"))
	for _, want := range []string{d.Reference, "Draft letter", "Thu 5 Jun 2025", "Fri 6 Jun 2025"} {
		if !strings.Contains(moves, want) {
			t.Errorf("the check page lacks %q: %q", want, moves)
		}
	}
	if doc.Find(`a[href="/visits/`+d.PublicID+`"]`).Length() == 0 {
		t.Error("the check page does not link to the visit")
	}
	if days, err := ts.Store.ListClosureDays(context.Background()); err != nil || len(days) != 0 {
		t.Fatalf("the check page added %d closure days (%v)", len(days), err)
	}
	// Going back keeps what was typed.
	back := url.Values{}
	for k, v := range form {
		back[k] = v
	}
	back.Set("step", "change")
	doc = parse(t, ts.post(c, "/closure-days/new", back))
	if v, _ := doc.Find("#reason").Attr("value"); v != "Office move" {
		t.Errorf("changing: reason %q", v)
	}
	// Confirmed, it is added.
	form.Set("step", "confirm")
	res = ts.post(c, "/closure-days/new", form)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/closure-days" {
		t.Fatalf("confirm: %d to %q", res.StatusCode, res.Header.Get("Location"))
	}
	if days, err := ts.Store.ListClosureDays(context.Background()); err != nil || len(days) != 1 {
		t.Fatalf("%d closure days after confirming (%v)", len(days), err)
	}

	// Removing it shows the same visit and the dates moving back.
	doc = parse(t, ts.get(c, "/closure-days/2025-05-30/remove"))
	moves = htmltest.Text(doc.Find("[data-testid=dates-that-move]"))
	for _, want := range []string{d.Reference, "Draft letter", "Fri 6 Jun 2025", "Thu 5 Jun 2025"} {
		if !strings.Contains(moves, want) {
			t.Errorf("the removal page lacks %q: %q", want, moves)
		}
	}
}

package server_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/htmltest"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
)

// TestClashCheckKeepsFieldwork (issue 16.5): the clash check keeps the
// fieldwork days of the inspectors' other visits apart from the plans, so
// that however many neighbours a visit has, a visit page viewed again works
// out no plan, even with room for only two plans (PLAN_CACHE_SIZE); and it
// still finds the clash.
func TestClashCheckKeepsFieldwork(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, map[string]string{"PLAN_CACHE_SIZE": "2"})
	ts.setClock(time.Date(2025, 5, 1, 10, 0, 0, 0, londonTZ))
	lead := ts.addUser(user.LeadInspector, "lead@example.gov.uk")
	inspector := ts.addUser(user.TeamInspector, "inspector@example.gov.uk")
	team := []visit.Member{{UserID: lead.ID, Role: visit.RoleLead}, {UserID: inspector.ID, Role: visit.RoleTeam}}
	d := ts.createTestVisit(lead, "notice", date("2025-05-12"), team...)
	// Six other visits of the same inspectors, one with the same fieldwork.
	for _, day := range []string{"2025-05-12", "2025-04-14", "2025-04-28", "2025-05-27", "2025-06-09", "2025-06-23"} {
		ts.createTestVisit(lead, "notice", date(day), team...)
	}
	c := ts.signIn(lead.Email)
	view := func() string {
		t.Helper()
		res := ts.get(c, "/visits/"+d.PublicID)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("visit page: %d", res.StatusCode)
		}
		return htmltest.Text(parse(t, res).Find("main"))
	}
	view()
	view()
	computed, _ := ts.App.PlanCounts()
	page := view()
	if c, _ := ts.App.PlanCounts(); c != computed {
		t.Errorf("a visit page seen again worked out %d plans, want 0", c-computed)
	}
	if !strings.Contains(page, "FV-") || !strings.Contains(strings.ToLower(page), "fieldwork") {
		t.Fatal("not the visit page")
	}
	if !strings.Contains(page, "are on fieldwork for FV-2025-0002 from Tue 20 to Wed 21 May 2025") {
		t.Errorf("the clash with the visit of the same fieldwork days is not shown:\n%s", page)
	}
}

package server_test

import (
	"context"
	"encoding/csv"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
)

func TestVisitHistoryCSV(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	admin := ts.addUser(user.Admin, "admin@example.gov.uk")
	lead := ts.addUser(user.LeadInspector, "lead@example.gov.uk")
	d := ts.createTestVisit(admin, "notice", date("2025-05-12"), visit.Member{UserID: lead.ID, Role: visit.RoleLead})
	hostile := `=HYPERLINK("http://evil.example","click"),"quoted"` + "\nsecond line"
	if err := ts.Store.CancelVisit(context.Background(), d.ID, 0, visit.Cancellation{Reason: hostile}, lead); err != nil {
		t.Fatal(err)
	}
	adminC, leadC := ts.signIn(admin.Email), ts.signIn(lead.Email)
	path := "/visits/" + d.PublicID + "/history.csv"

	res := ts.get(adminC, path)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("admin: status %d", res.StatusCode)
	}
	if ct := res.Header.Get("Content-Type"); ct != "text/csv; charset=utf-8" {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := res.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment; filename=") || !strings.HasSuffix(cd, `-history.csv"`) {
		t.Errorf("Content-Disposition %q", cd)
	}
	records, err := csv.NewReader(res.Body).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(records[0], ","); got != "when,who,action,field,old,new,detail" {
		t.Errorf("header %q", got)
	}
	if len(records) < 3 {
		t.Fatalf("%d records, want the header, the creation and the cancellation", len(records))
	}
	cancel := records[1] // newest first
	if cancel[1] != lead.Name || cancel[2] != "Visit cancelled" || cancel[4] != "Active" || cancel[5] != "Cancelled" {
		t.Errorf("cancellation row %q", cancel)
	}
	// "Reason shown to Cafcass: =HYPERLINK…" starts with R: kept as it is,
	// quotes and line break intact.
	if cancel[6] != "Reason shown to Cafcass: "+hostile {
		t.Errorf("detail %q", cancel[6])
	}
	for _, rec := range records {
		for _, cell := range rec {
			if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
				t.Errorf("cell %q would be read as a formula", cell)
			}
		}
	}

	// Non-administrators get 403, and the page shows the link to admins only.
	if res := ts.get(leadC, path); res.StatusCode != http.StatusForbidden {
		t.Errorf("lead: status %d, want 403", res.StatusCode)
	}
	link := fmt.Sprintf(`a[href="%s"]`, path)
	if n := parse(t, ts.get(adminC, "/visits/"+d.PublicID+"/history")).Find(link).Length(); n != 1 {
		t.Errorf("admin history page: %d links to the CSV, want 1", n)
	}
	if n := parse(t, ts.get(leadC, "/visits/"+d.PublicID+"/history")).Find(link).Length(); n != 0 {
		t.Errorf("lead history page: %d links to the CSV, want 0", n)
	}
}

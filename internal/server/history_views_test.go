package server_test

import (
	"context"
	"encoding/csv"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/ofsted/focusedvisits/internal/htmltest"
	"github.com/ofsted/focusedvisits/internal/letter"
	"github.com/ofsted/focusedvisits/internal/user"
)

// historyLines is the visit's history page as c reads it, newest first:
// each line as "what: detail".
func historyLines(t *testing.T, ts *testServer, c *http.Client, visitPublicID string) []string {
	t.Helper()
	res := ts.get(c, "/visits/"+visitPublicID+"/history")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("history: status %d", res.StatusCode)
	}
	var out []string
	parse(t, res).Find(`[data-testid=history] tbody tr`).Each(func(_ int, tr *goquery.Selection) {
		cell := tr.Find("td").Eq(2)
		what := strings.TrimSpace(cell.Contents().First().Text())
		out = append(out, what+": "+htmltest.Text(cell.Find(".govuk-body-s")))
	})
	return out
}

// index is the position of the first line that begins with prefix, or -1.
func index(lines []string, prefix string) int {
	return slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, prefix) })
}

// TestHistory_LetterViewsOutsideTheHistoryTable: Cafcass reading the draft
// and the final letter is recorded in material_views, not visit_events (a
// GET never writes domain data, DOMAIN decision 16), and the history page
// and its export still show each view, in the order it happened among the
// other lines. Ofsted reading the letter records nothing.
func TestHistory_LetterViewsOutsideTheHistoryTable(t *testing.T) {
	t.Parallel()
	f := newCafcassLetterFixture(t, false)
	ts := f.ts
	admin := ts.addUser(user.Admin, "admin@example.gov.uk")
	adminC := ts.signIn(admin.Email)
	f.sendDraft(t)
	f.at("2025-06-05", 10)
	f.wantStatus(t, ts.get(f.ceoC, f.base+"/draft"), http.StatusOK)
	f.wantStatus(t, ts.get(f.leadC, f.base+"/draft"), http.StatusOK)
	f.sendFinal(t)
	f.at("2025-06-19", 10)
	f.wantStatus(t, ts.get(f.ceoC, f.base+"/final"), http.StatusOK)

	for _, e := range f.events(t) {
		if strings.Contains(e, "viewed") {
			t.Errorf("a view is a line of visit_events: %q", e)
		}
	}
	views, err := ts.Store.ListMaterialViews(context.Background(), f.visit.ID)
	if err != nil || len(views) != 2 {
		t.Fatalf("recorded views %+v, %v (want Cafcass's two, not the lead's)", views, err)
	}

	lines := historyLines(t, ts, f.leadC, f.visit.PublicID)
	readBy := "Version 1, read by " + f.ceo.Name + " (Cafcass chief executive)"
	finalRead, finalSent := index(lines, "Final letter viewed by Cafcass: "+readBy), index(lines, letter.SendFinal.Label()+":")
	draftRead, draftSent := index(lines, "Draft letter viewed by Cafcass: "+readBy), index(lines, letter.SendDraft.Label()+":")
	if finalRead < 0 || draftRead < 0 || finalSent < 0 || draftSent < 0 || !(finalRead < finalSent && finalSent < draftRead && draftRead < draftSent) {
		t.Errorf("history, newest first: final read %d, final sent %d, draft read %d, draft sent %d:\n%s",
			finalRead, finalSent, draftRead, draftSent, strings.Join(lines, "\n"))
	}

	res := ts.get(adminC, "/visits/"+f.visit.PublicID+"/history.csv")
	f.wantStatus(t, res, http.StatusOK)
	records, err := csv.NewReader(res.Body).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var read []string
	for _, rec := range records[1:] {
		if strings.HasSuffix(rec[2], "viewed by Cafcass") {
			read = append(read, rec[1]+" / "+rec[2]+" / "+rec[6])
		}
	}
	want := []string{
		f.ceo.Name + " / Final letter viewed by Cafcass / " + readBy,
		f.ceo.Name + " / Draft letter viewed by Cafcass / " + readBy,
	}
	if !slices.Equal(read, want) {
		t.Errorf("export's views:\n%s\nwant\n%s", strings.Join(read, "\n"), strings.Join(want, "\n"))
	}
}

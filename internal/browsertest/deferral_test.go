package browsertest_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/browsertest"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// TestDeferralAfterNotice (issue 12): on the Easter 2025 visit, notice
// given on Mon 14 Apr, Cafcass asks for a deferral; the lead grants it with
// a new first fieldwork day of Wed 4 Jun 2025. The check page shows old and
// new dates side by side, granting moves every milestone not done (the
// notice stays as recorded; day 3 is Thu 29 May, day 5 Mon 2 Jun), and the
// lead's and the chief executive's pages show the same new dates. axe runs
// on every page.
func TestDeferralAfterNotice(t *testing.T) {
	t.Parallel()
	notice := workday.NewDate(2025, time.April, 14)
	now := tenAM(workday.NewDate(2025, time.April, 15))
	var path string
	app := startDemoApp(t, notice, func() time.Time { return now }, func(a *demoApp) {
		d := a.newVisit(t, notice)
		lead := a.User(t, user.LeadInspector)
		if err := a.Store.RecordActual(context.Background(), d.ID, 0, visit.Actual{Code: timeline.CodeNotice, Date: notice, Time: "09:00"}, "Notice call", lead); err != nil {
			t.Fatal(err)
		}
		path = "/visits/" + d.PublicID
	})
	lead, ceo := app.ByRole[user.LeadInspector], app.ByRole[user.CafcassCEO]

	b := browsertest.New(t, app.URL)
	signInAs(t, b, lead)
	b.Visit(path)
	if got := b.Text(`tr[data-code="fieldwork"] [data-testid="current"]`); got != "Thu 24 to Fri 25 Apr 2025" {
		t.Fatalf("fieldwork before the deferral %q", got)
	}
	b.Follow(`a[href="` + path + `/deferrals/new"]`)
	b.Fill("#requested-by", "Chris Chief, Cafcass chief executive")
	b.Type("#reason", "An inspection of another service that week")
	b.Submit(mainSubmit)
	b.Follow(`#deferrals a[href*="/decide"]`)
	tick(t, b, "decision", "Yes, grant it and move the visit")
	tick(t, b, "anchor", "Backwards from a new first fieldwork day")
	fillDate(b, "new-date", "4", "6", "2025")
	b.Type("#decision-reason", "A fair reason")
	b.Submit(mainSubmit)

	if got := b.Text("h1"); got != "Check the new dates before granting the deferral" {
		t.Fatalf("at %q", got)
	}
	b.Screenshot("deferral-after-notice-check")
	rows := b.Text("#dates tbody")
	for _, want := range []string{"Thu 24 to Fri 25 Apr 2025", "Wed 4 to Thu 5 Jun 2025", "Wed 16 Apr 2025", "Thu 29 May 2025", "Tue 22 Apr 2025", "Mon 2 Jun 2025"} {
		if !strings.Contains(rows, want) {
			t.Errorf("check page lacks %q: %s", want, rows)
		}
	}
	if !strings.Contains(b.Text("main"), "recorded as done on Mon 14 Apr 2025 and stays so") {
		t.Error("the check page does not say the notice stays")
	}
	// After notice, the chief executive is told in writing (decision 14).
	tick(t, b, "ceo-told-method", "Email")
	fillDate(b, "ceo-told", "15", "4", "2025")
	b.Type("#ceo-told-note", "Fieldwork moves to Wed 4 and Thu 5 June")
	b.Submit(`main form button[value="confirm"]`)
	if got := flash(b); !strings.HasPrefix(got, "Deferral granted") {
		t.Errorf("flash %q", got)
	}

	want := map[string]string{
		"notice":                 "Mon 14 Apr 2025",
		"child-level-data":       "Thu 29 May 2025",
		"management-information": "Mon 2 Jun 2025",
		"fieldwork":              "Wed 4 to Thu 5 Jun 2025",
	}
	seen := func(who string) {
		t.Helper()
		for code, w := range want {
			if got := b.Text(`tr[data-code="` + code + `"] [data-testid="current"]`); got != w {
				t.Errorf("%s sees %s on %q, want %q", who, code, got, w)
			}
		}
	}
	seen("the lead")
	b.Screenshot("deferral-after-notice-lead")
	signOut(t, b)
	signInAs(t, b, ceo)
	b.Visit(path)
	seen("the chief executive")
	b.Screenshot("deferral-after-notice-ceo")
}

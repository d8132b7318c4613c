package browsertest_test

import (
	"context"
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/browsertest"
	"github.com/ofsted/focusedvisits/internal/demo"
	"github.com/ofsted/focusedvisits/internal/jobs"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// The letter journey (issue 6) follows DOMAIN B.4's Easter 2025 example: notice
// on Mon 14 Apr 2025, fieldwork Thu 24 – Fri 25 Apr, the draft sent on Mon 12
// May (comments due by Mon 19 May), the final on Thu 29 May, publication on
// Tue 10 Jun 2025.
var (
	letterStart       = workday.NewDate(2025, time.May, 8)
	letterDraftDay    = workday.NewDate(2025, time.May, 12)
	letterCommentDay  = workday.NewDate(2025, time.May, 13)
	letterResponseDay = workday.NewDate(2025, time.May, 14)
	letterFinalDay    = workday.NewDate(2025, time.May, 29)
	letterEmbargoDay  = workday.NewDate(2025, time.May, 30)
	letterPublishDay  = workday.NewDate(2025, time.June, 10)
)

// letterApp is the app of the letter journey, with a clock the test moves.
type letterApp struct {
	url    string
	byRole map[user.Role]demo.Credential
	visit  int64
	path   string // the visit's page, /visits/{public id}
	ref    string
	london *time.Location
	now    atomic.Int64 // the server's clock, in Unix nanoseconds
	store  *store.Store
}

// runJobs runs the scheduled jobs due at the server's clock, as the
// service's job runner does on the hour: publication is theirs, never a
// page's.
func (a *letterApp) runJobs(t *testing.T) {
	t.Helper()
	now := func() time.Time { return time.Unix(0, a.now.Load()).In(a.london) }
	if _, err := jobs.RunDue(context.Background(), jobs.Config{Store: a.store, Now: now}); err != nil {
		t.Fatal(err)
	}
}

// at sets the server's clock to 10:00 in London on day.
func (a *letterApp) at(day workday.Date) {
	a.now.Store(time.Date(day.Year(), day.Month(), day.Day(), 10, 0, 0, 0, a.london).UnixNano())
}

// startLetterApp serves the app over a fresh database holding the demo data
// loaded for letterStart, and a visit from the Easter 2025 notice day, led
// by the demo lead inspector with the demo QAM, SAO and Cafcass chief
// executive, its notice and fieldwork recorded as planned. The server's
// clock reads a.now.
func startLetterApp(t *testing.T) *letterApp {
	t.Helper()
	ctx := context.Background()
	a := &letterApp{london: london}
	a.at(letterStart)
	app := startDemoApp(t, letterStart, func() time.Time { return time.Unix(0, a.now.Load()).In(a.london) }, func(app *demoApp) {
		st, lead := app.Store, app.User(t, user.LeadInspector)
		a.store = st
		d := app.newVisit(t, workday.NewDate(2025, time.April, 14))
		a.visit, a.path, a.ref = d.ID, "/visits/"+d.PublicID, d.Reference
		plan, err := d.Plan(workday.EnglandAndWales(), time.UTC, nil)
		if err != nil {
			t.Fatal(err)
		}
		for _, code := range []string{timeline.CodeNotice, timeline.CodeFieldwork} {
			m, _ := plan.Milestone(code)
			act := visit.Actual{Code: code, Date: m.First()}
			if m.Kind == timeline.KindWindow {
				act.To = m.To
			}
			if err := st.RecordActual(ctx, a.visit, 0, act, m.Label, lead); err != nil {
				t.Fatal(err)
			}
		}
	})
	a.url, a.byRole = app.URL, app.ByRole
	return a
}

// letterAction is the button of the letter page's form for action
// (submit, send-draft, send-final).
func letterAction(action string) string {
	return `main form:has(input[name="action"][value="` + action + `"]) button[type="submit"]`
}

// wantFlash fails the test unless the success banner contains want.
func wantFlash(t *testing.T, b *browsertest.Browser, want string) {
	t.Helper()
	if got := flash(b); !strings.Contains(got, want) {
		t.Fatalf("on %s: banner %q, want it to contain %q", b.Path(), got, want)
	}
}

// wantText fails the test unless the element's text contains want.
func wantText(t *testing.T, b *browsertest.Browser, selector, want string) {
	t.Helper()
	if got := b.Text(selector); !strings.Contains(got, want) {
		t.Fatalf("on %s: %s reads %q, want it to contain %q", b.Path(), selector, got, want)
	}
}

// TestLetterJourney is issue 6's must-show: the whole path of a letter of
// findings in real Chromium, with axe-core on every page: drafted, returned
// by the QAM, revised, approved, sent, commented on by the Cafcass chief
// executive, answered and finalised, embargoed, then published on its date
// and read signed out.
func TestLetterJourney(t *testing.T) {
	a := startLetterApp(t)
	b := browsertest.New(t, a.url)
	lead, qam, ceo := a.byRole[user.LeadInspector], a.byRole[user.QAM], a.byRole[user.CafcassCEO]
	base := a.path + "/letter"

	// Thu 8 May: the lead inspector drafts the letter.
	signInAs(t, b, lead)
	b.Visit(base)
	wantText(t, b, `[data-testid="letter-state"]`, "Not started")
	b.Follow(`main a[href="` + base + `/edit"]`)
	b.Type("#section-introduction", "Ofsted carried out a focused visit of Cafcass. Inspectors looked at private and public law practice.")
	b.Type("#section-strengths", "Practitioners know the children they work with well.")
	b.Type("#section-improvement", "Leaders know where practice must improve.")
	b.Type("#section-next_steps", "Cafcass should update its existing action plan and send it with its next self-evaluation.")
	b.SelectOption("#finding-kind-1", "Area of strength")
	b.SelectOption("#finding-area-1", "Private family law")
	b.Type("#finding-text-1", "Work before first hearings is timely and considers children's safety early.")
	b.Submit(`button[name="action"][value="add-finding"]`)
	b.SelectOption("#finding-kind-2", "Area for improvement")
	b.SelectOption("#finding-area-2", "Public family law")
	b.Type("#finding-text-2", "Recording of why and where children are seen is not always clear.")
	b.Submit(`button[name="action"][value="save"]`)
	if got := b.Path(); got != base {
		t.Fatalf("after saving, at %s, want %s", got, base)
	}
	if n := b.Count(`[data-testid="finding"]`); n != 2 {
		t.Errorf("%d findings on the letter page, want 2", n)
	}
	b.Submit(letterAction("submit"))
	wantFlash(t, b, "Version 1 submitted for QA")
	signOut(t, b)

	// The QAM returns it with a comment on the introduction.
	signInAs(t, b, qam)
	b.Visit(base)
	b.Follow(`main a[href="` + base + `/qa"]`)
	b.Type("#comment-introduction", "Say when the visit took place, how inspectors worked and which service areas they looked at.")
	b.Submit(`button[name="action"][value="return"]`)
	wantFlash(t, b, "returned to the lead inspector with 1 comment")
	signOut(t, b)

	// The lead inspector revises it and submits it again.
	signInAs(t, b, lead)
	b.Visit(base)
	wantText(t, b, `[data-testid="letter-state"]`, "Returned by QA")
	wantText(t, b, `[data-testid="qa-comment"]`, "Say when the visit took place")
	b.Follow(`main a[href="` + base + `/edit"]`)
	b.Fill("#section-introduction", "Ofsted carried out a focused visit of Cafcass on 24 and 25 April 2025, on site in the Midlands and South East service areas. Inspectors looked at private and public law practice and at the impact of leaders.")
	b.Submit(`button[name="action"][value="save"]`)
	b.Submit(letterAction("submit"))
	wantFlash(t, b, "Version 2 submitted for QA")
	b.Follow(`main a[href="` + base + `/versions"]`)
	b.Follow(`main a[href="` + base + `/compare?a=1&b=2"]`)
	if b.Count(`main ins[data-testid="added"]`) == 0 {
		t.Errorf("the comparison of versions 1 and 2 marks no insertion")
	}
	if got := b.Text(`main ins[data-testid="added"]`); strings.HasPrefix(got, " ") || !strings.Contains(got, "on 24 and 25 April 2025") {
		t.Errorf("first insertion reads %q", got)
	}
	b.Screenshot("compare")
	signOut(t, b)

	// The QAM approves version 2.
	signInAs(t, b, qam)
	b.Visit(base + "/qa")
	b.Submit(`button[name="action"][value="approve"]`)
	wantFlash(t, b, "Version 2 approved")
	signOut(t, b)

	// Mon 12 May: the lead inspector sends the draft.
	a.at(letterDraftDay)
	signInAs(t, b, lead)
	b.Visit(base)
	b.Submit(letterAction("send-draft"))
	wantFlash(t, b, "Version 2 sent to Cafcass as the draft letter")
	b.Screenshot("letter")
	signOut(t, b)

	// Tue 13 May: the chief executive reads the draft, comments on a
	// section, checks the answers and submits.
	a.at(letterCommentDay)
	signInAs(t, b, ceo)
	b.Visit(base + "/cafcass")
	wantText(t, b, "main .govuk-summary-list", "Mon 12 May 2025 (done)")
	b.Follow(`main a[href="` + base + `/draft"]`)
	wantText(t, b, "main", "Comments are due by the end of Mon 19 May 2025")
	if n := b.Count(`[data-testid="qa-comment"]`); n != 0 {
		t.Errorf("Cafcass sees %d QA comments on the draft", n)
	}
	b.Follow(`main a[href="` + base + `/draft/comments/new?section=strengths"]`)
	tick(t, b, "about", "The findings")
	b.Type("#body", "Work before first hearings is timely in every service area, not only in the two visited.")
	b.Submit(mainSubmit)
	wantFlash(t, b, "Comment saved")
	b.Follow(`main a[href="` + base + `/draft/comments/check"]`)
	wantText(t, b, "main .govuk-summary-list", "Work before first hearings is timely in every service area")
	b.Submit(mainSubmit)
	wantFlash(t, b, "1 comment sent to Ofsted")
	signOut(t, b)

	// Wed 14 May: the lead inspector responds; the final cannot go yet.
	a.at(letterResponseDay)
	signInAs(t, b, lead)
	b.Visit(base)
	if n := b.Count(letterAction("send-final")); n != 0 {
		t.Errorf("the final can be sent before the comment window ends")
	}
	wantText(t, b, `[data-testid="letter-blocked"]`, "Mon 19 May 2025")
	b.Follow(`[data-testid="letter-comments-link"]`)
	b.Type(`main textarea[name="response"]`, "Inspectors saw the two service areas visited only; the final letter says so.")
	b.Submit(`main form:has(textarea[name="response"]) button[type="submit"]`)
	wantFlash(t, b, "Response saved")
	signOut(t, b)

	// Thu 29 May, after the comment window: the final goes.
	a.at(letterFinalDay)
	signInAs(t, b, lead)
	b.Visit(base)
	b.Submit(letterAction("send-final"))
	wantFlash(t, b, "sent to Cafcass as the final letter, under embargo")
	// The summary for children and young people, required to publish.
	b.Follow(`main a[href="` + base + `/children-summary"]`)
	b.CheckAccessibility()
	b.Fill("#children-summary", "Ofsted inspectors visited Cafcass. They found that workers listen to children.")
	b.Submit(`main form button`)
	wantFlash(t, b, "Summary for children and young people saved")
	signOut(t, b)

	// Fri 30 May: the chief executive reads the final under embargo, with
	// Ofsted's response; the public cannot.
	a.at(letterEmbargoDay)
	signInAs(t, b, ceo)
	b.Visit(base + "/cafcass")
	b.Follow(`main a[href="` + base + `/final"]`)
	wantText(t, b, `[data-testid="embargo"]`, "Embargoed until Tue 10 Jun 2025")
	wantText(t, b, `[data-testid="response"]`, "Inspectors saw the two service areas visited only")
	b.Screenshot("embargoed-final")
	signOut(t, b)
	slug := "/letters/focused-visit-" + strings.ToLower(a.ref)
	b.Visit(slug)
	if b.Status() != http.StatusNotFound {
		t.Errorf("%s under embargo answered %d, want 404", slug, b.Status())
	}
	b.Visit("/letters")
	if n := b.Count(`main a[href="` + slug + `"]`); n != 0 {
		t.Errorf("the embargoed letter is listed on /letters")
	}

	// Tue 10 Jun: published by the scheduled jobs; signed out, the list
	// has it and it reads.
	a.at(letterPublishDay)
	a.runJobs(t)
	b.Visit("/")
	b.Follow(`footer a[href="/letters"]`)
	if n := b.Count(`main a[href="` + slug + `"]`); n != 1 {
		t.Fatalf("%d links to %s on /letters, want 1", n, slug)
	}
	b.Follow(`main a[href="` + slug + `"]`)
	wantText(t, b, "main", "Focused visit to Cafcass, April 2025")
	wantText(t, b, "main", "on 24 and 25 April 2025")
	wantText(t, b, "main", "Tue 10 Jun 2025")
	if n := b.Count(`[data-testid="embargo"]`); n != 0 {
		t.Errorf("the published letter still shows an embargo banner")
	}
	wantText(t, b, "#summary-for-children", "They found that workers listen to children.")
	b.CheckAccessibility()
	// Printed, it is only the letter: no header, footer or links.
	for _, sel := range []string{"header", "footer", ".govuk-back-link", `main p:has(a[href$=".pdf"])`} {
		if d := b.PrintStyle(sel, "display"); d != "none" {
			t.Errorf("printed, %s is displayed (%q)", sel, d)
		}
	}
	b.Screenshot("public-letter")
}

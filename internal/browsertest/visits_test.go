package browsertest_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/browsertest"
	"github.com/ofsted/focusedvisits/internal/demo"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// visitsToday is the server's fixed "today" for the visit journeys: Monday
// 3 March 2025, so that the dates the pages show are known. Easter 2025
// (Good Friday 18 April, Easter Monday 21 April) and the early May bank
// holiday (5 May) fall in the timelines below.
var visitsToday = workday.NewDate(2025, time.March, 3)

// startAppAt serves the real app over a fresh database holding the demo
// users and visits placed around today, with the server's clock fixed at
// 10:00 in London on today.
func startAppAt(t *testing.T, today workday.Date) (string, map[user.Role]demo.Credential) {
	t.Helper()
	now := tenAM(today)
	a := startDemoApp(t, today, func() time.Time { return now }, nil)
	return a.URL, a.ByRole
}

// signInAs signs in from the sign-in page and lands on the start page.
func signInAs(t *testing.T, b *browsertest.Browser, c demo.Credential) {
	t.Helper()
	b.Visit("/sign-in")
	b.Fill("#email", c.Email)
	b.Fill("#password", c.Password)
	b.Submit(signInButton)
	if got := b.Path(); got != "/" {
		t.Fatalf("signing in as %s: at %s, want /", c.Email, got)
	}
}

// signOut presses the header's sign-out button.
func signOut(t *testing.T, b *browsertest.Browser) {
	t.Helper()
	b.Submit(`form[action="/sign-out"] button[type="submit"]`)
	if got := b.Path(); got != "/sign-in" {
		t.Fatalf("after signing out, at %s, want /sign-in", got)
	}
}

// mainSubmit is the submit button of the page's form (the header's sign-out
// form has one too).
const mainSubmit = `main form button[type="submit"]`

// tick clicks the label of the checkbox or radio of the group name whose
// label reads text, as a user does.
func tick(t *testing.T, b *browsertest.Browser, name, text string) {
	t.Helper()
	var id string
	b.Eval(`(() => {
		for (const i of document.querySelectorAll('input[name=`+fmt.Sprintf("%q", name)+`]')) {
			const l = document.querySelector('label[for="' + i.id + '"]');
			if (l && l.textContent.trim() === `+fmt.Sprintf("%q", text)+`) return i.id;
		}
		return '';
	})()`, &id)
	if id == "" {
		t.Fatalf("no %s option labelled %q on %s", name, text, b.Path())
	}
	b.Click(`label[for="` + id + `"]`)
	var checked bool
	b.Eval(`document.getElementById(`+fmt.Sprintf("%q", id)+`).checked`, &checked)
	if !checked {
		t.Fatalf("clicking the label of %s %q did not check #%s", name, text, id)
	}
}

// flash is the success banner's text, or "" when there is none.
func flash(b *browsertest.Browser) string {
	if b.Count(".govuk-notification-banner--success") == 0 {
		return ""
	}
	return b.Text(".govuk-notification-banner--success .govuk-notification-banner__heading")
}

// fillDate types a GOV.UK date input's three fields.
func fillDate(b *browsertest.Browser, id, day, month, year string) {
	b.Fill("#"+id+"-day", day)
	b.Fill("#"+id+"-month", month)
	b.Fill("#"+id+"-year", year)
}

// scheduleForm fills the schedule form as the lead inspector: backwards
// from the first fieldwork day, one team inspector, the QAM, the SAO and
// the Cafcass chief executive.
func scheduleForm(t *testing.T, b *browsertest.Browser, day, month, year string) {
	t.Helper()
	tick(t, b, "plan", "Backwards from the first fieldwork day")
	fillDate(b, "date", day, month, year)
	tick(t, b, "team", "Tom Team")
	b.SelectOption("#qam", "Quentin Quality")
	tick(t, b, "sao", "Sana Analyst")
	tick(t, b, "cafcass", "Chris Chief")
}

// visitID is the id in a visit page's path, /visits/{id}.
func visitID(t *testing.T, b *browsertest.Browser) string {
	t.Helper()
	p := b.Path()
	id, ok := strings.CutPrefix(p, "/visits/")
	if !ok || id == "" || strings.Contains(id, "/") {
		t.Fatalf("at %s, want a visit's page /visits/{id}", p)
	}
	return id
}

// TestVisits runs the visit journeys in real Chromium, with axe-core on
// every page, against one app whose clock is fixed on Mon 3 Mar 2025. The
// subtests run in parallel and touch dates that cannot interfere: the
// visits they schedule have fieldwork weeks apart from each other and from
// the demo visits (so no inspector clash), and the closure day the admin
// adds is in December 2026, after every visit's last date.
func TestVisits(t *testing.T) {
	t.Parallel()
	base, creds := startAppAt(t, visitsToday)
	lead, admin := creds[user.LeadInspector], creds[user.Admin]

	// Issue 4's "must show": the lead schedules a visit backwards from the
	// first fieldwork day over Easter, reads its timeline, records the
	// notice call; then the Cafcass chief executive sees it.
	t.Run("schedule, record notice, Cafcass sees it", func(t *testing.T) {
		t.Parallel()
		// Its own app, on the notice day: a notice is recorded only on
		// or after the day it was given (DOMAIN decision 10).
		base, creds := startAppAt(t, workday.NewDate(2025, time.April, 14))
		lead, ceo := creds[user.LeadInspector], creds[user.CafcassCEO]
		b := browsertest.New(t, base)
		signInAs(t, b, lead)

		b.Follow(`main a[href="/visits/new"]`)
		if got, want := b.Text("h1"), "Schedule a focused visit"; got != want {
			t.Errorf("h1 = %q, want %q", got, want)
		}
		scheduleForm(t, b, "24", "4", "2025")
		b.Screenshot("schedule-form-filled")
		b.Submit(mainSubmit)

		id := visitID(t, b)
		if got := flash(b); got != "Visit scheduled" {
			t.Errorf("flash = %q, want %q", got, "Visit scheduled")
		}
		ref := b.Text("main .govuk-caption-l")
		if ref == "" {
			t.Errorf("the visit page has no reference caption")
		}
		for code, want := range map[string]string{
			"notice":       "Mon 14 Apr 2025",
			"draft-letter": "Mon 12 May 2025",
			"publication":  "Tue 10 Jun 2025",
		} {
			sel := `tr[data-code="` + code + `"] [data-testid="current"]`
			if n := b.Count(sel); n != 1 {
				t.Errorf("%d %s on the timeline, want 1", n, sel)
				continue
			}
			if got := b.Text(sel); got != want {
				t.Errorf("timeline %s current = %q, want %q", code, got, want)
			}
		}
		if got := b.Text(`tr[data-code="fieldwork"] [data-testid="current"]`); !strings.Contains(got, "24") || !strings.Contains(got, "25 Apr 2025") {
			t.Errorf("fieldwork current = %q, want Thu 24 to Fri 25 Apr 2025", got)
		}
		if n := b.Count(".govuk-warning-text"); n != 0 {
			t.Errorf("%d warnings on a visit with the usual dates: %s", n, b.Text(".govuk-warning-text"))
		}
		b.Screenshot("visit-timeline")

		// "How this date was worked out" opens on a click and explains
		// the notice day, counted back over Easter.
		details := `tr[data-code="notice"] details`
		if n := b.Count(details + "[open]"); n != 0 {
			t.Errorf("the notice explanation is open before a click")
		}
		b.Click(details + " summary")
		if n := b.Count(details + "[open]"); n != 1 {
			t.Errorf("clicking the summary did not open the notice explanation")
		}
		b.CheckAccessibility()
		expl := b.Text(`tr[data-code="notice"] [data-testid="explanation"]`)
		t.Logf("notice explanation: %s", expl)
		if expl == "" || !strings.Contains(expl, "working day") {
			t.Errorf("notice explanation = %q, want it to say how the date was counted in working days", expl)
		}
		b.Screenshot("visit-explanation-open")

		b.Follow(`nav.app-sub-navigation a[href="/visits/` + id + `/history"]`)
		if n := b.Count(`nav.app-sub-navigation a[aria-current="page"][href$="/history"]`); n != 1 {
			t.Errorf("the History tab is not marked current")
		}
		if got := b.Text(`[data-testid="history"] tbody`); !strings.Contains(got, "Visit created") || !strings.Contains(got, lead.Name) {
			t.Errorf("history = %q, want a \"Visit created\" line by %s", got, lead.Name)
		}
		b.Screenshot("visit-history")

		// Record the notice call.
		b.Follow(`nav.app-sub-navigation a[href="/visits/` + id + `"]`)
		b.Follow(`tr[data-code="notice"] a[href="/visits/` + id + `/milestones/notice/record"]`)
		if got, want := b.Text("h1"), "Record what happened"; got != want {
			t.Errorf("record page h1 = %q, want %q", got, want)
		}
		fillDate(b, "date", "14", "4", "2025")
		b.Fill("#time", "09:05")
		b.Click("#confirm")
		b.Screenshot("record-notice")
		b.Submit(`main form button[value="save"]`)
		if got := b.Path(); got != "/visits/"+id {
			t.Fatalf("after recording the notice call, at %s (h1 %q), want /visits/%s", got, b.Text("h1"), id)
		}
		if got, want := flash(b), "Notice call recorded. Cafcass can now see the visit"; got != want {
			t.Errorf("flash = %q, want %q", got, want)
		}
		if got := b.Text(`tr[data-code="notice"] td:nth-of-type(2)`); !strings.Contains(got, "Recorded as done at 09:05") {
			t.Errorf("notice cell = %q, want it to say Recorded as done at 09:05", got)
		}
		signOut(t, b)

		// The Cafcass chief executive now sees the visit, without its
		// history.
		signInAs(t, b, ceo)
		link := `table[data-testid="visits"] a[href="/visits/` + id + `"]`
		if n := b.Count(link); n != 1 {
			t.Fatalf("the Cafcass start page lists the visit %d times, want once (visits: %q)", n, b.Text("main"))
		}
		if got := b.Text(link); got != ref {
			t.Errorf("start page link text = %q, want the reference %q", got, ref)
		}
		b.Screenshot("cafcass-home")
		b.Follow(link)
		if got := b.Text(`tr[data-code="notice"] [data-testid="current"]`); got != "Mon 14 Apr 2025" {
			t.Errorf("Cafcass sees the notice day as %q, want Mon 14 Apr 2025", got)
		}
		if got := b.Text(`tr[data-code="publication"] [data-testid="current"]`); got != "Tue 10 Jun 2025" {
			t.Errorf("Cafcass sees publication as %q, want Tue 10 Jun 2025", got)
		}
		if n := b.Count(`a[href$="/history"]`); n != 0 {
			t.Errorf("Cafcass sees %d links to the history, want none", n)
		}
		if n := b.Count(`a[href*="/milestones/"], a[href$="/edit"], a[href$="/cancel"]`); n != 0 {
			t.Errorf("Cafcass sees %d links to change the visit, want none", n)
		}
		b.Screenshot("cafcass-visit")
	})

	// A blank schedule form shows the GOV.UK error summary, focused.
	t.Run("schedule form errors", func(t *testing.T) {
		t.Parallel()
		b := browsertest.New(t, base)
		signInAs(t, b, lead)
		b.Visit("/visits/new")
		b.Submit(mainSubmit)
		if got, want := b.Status(), http.StatusUnprocessableEntity; got != want {
			t.Errorf("blank schedule form answered %d, want %d", got, want)
		}
		if got := b.Text(".govuk-error-summary__title"); got != "There is a problem" {
			t.Errorf("error summary title = %q", got)
		}
		if !b.HasFocus(".govuk-error-summary") {
			t.Errorf("the error summary does not have focus")
		}
		var title string
		b.Eval(`document.title`, &title)
		if !strings.HasPrefix(title, "Error: ") {
			t.Errorf("page title %q does not start with \"Error: \"", title)
		}
		for _, field := range []string{"date", "qam", "sao", "cafcass"} {
			link := field
			if field == "date" {
				link = "date-day" // a date input's error links to its first field
			}
			if n := b.Count(`.govuk-error-summary__list a[href="#` + link + `"]`); n != 1 {
				t.Errorf("error summary has %d links to #%s, want 1", n, field)
			}
			if n := b.Count("#" + field + "-error"); n != 1 {
				t.Errorf("%d #%s-error messages, want 1", n, field)
			}
		}
		b.Screenshot("schedule-errors")

		// Each link in the summary puts the focus on a field.
		for _, c := range []struct{ link, field string }{
			{"qam", "#qam"}, {"sao", "#sao"}, {"cafcass", "#cafcass"}, {"date-day", "#date-day"},
		} {
			b.Click(`.govuk-error-summary__list a[href="#` + c.link + `"]`)
			if !b.HasFocus(c.field) {
				var focused string
				b.Eval(`document.activeElement ? document.activeElement.outerHTML.slice(0, 80) : ''`, &focused)
				t.Errorf("the error summary's link to #%s did not focus %s; the focus is on %q", c.link, c.field, focused)
			}
		}
	})

	// Fieldwork starting on a Monday breaks the usual rules: the lead sees
	// the warning page, must give a reason, goes ahead, and the visit
	// shows the warning accepted with the reason.
	t.Run("scheduling warnings", func(t *testing.T) {
		t.Parallel()
		b := browsertest.New(t, base)
		signInAs(t, b, lead)
		b.Visit("/visits/new")
		scheduleForm(t, b, "12", "5", "2025") // Mon 12 May 2025
		b.Submit(mainSubmit)
		if got, want := b.Text("h1"), "Check the dates before you save"; got != want {
			t.Fatalf("h1 = %q, want %q", got, want)
		}
		warnings := b.Text(`[data-testid="warnings"]`)
		if !strings.Contains(warnings, "Fieldwork starts on a Monday") {
			t.Errorf("warnings = %q, want fieldwork starting on a Monday", warnings)
		}
		b.Screenshot("warnings")

		// Going ahead needs a reason.
		b.Submit(`main button[name="step"][value="confirm"]`)
		if got, want := b.Status(), http.StatusUnprocessableEntity; got != want {
			t.Errorf("going ahead without a reason answered %d, want %d", got, want)
		}
		if n := b.Count(`.govuk-error-summary__list a[href="#reason"]`); n != 1 {
			t.Errorf("error summary has %d links to #reason, want 1", n)
		}
		if !b.HasFocus(".govuk-error-summary") {
			t.Errorf("the error summary does not have focus")
		}
		b.Screenshot("warnings-no-reason")

		const reason = "Cafcass asked for a Monday start because of staff training"
		b.Type("#reason", reason)
		b.Submit(`main button[name="step"][value="confirm"]`)
		visitID(t, b)
		if got := flash(b); got != "Visit scheduled" {
			t.Errorf("flash = %q, want %q", got, "Visit scheduled")
		}
		accepted := b.Text(`main .govuk-inset-text`)
		if !strings.Contains(accepted, "Scheduling warnings accepted") || !strings.Contains(accepted, "Fieldwork starts on a Monday") || !strings.Contains(accepted, reason) {
			t.Errorf("accepted warnings = %q, want the Monday warning with the reason", accepted)
		}
		if n := b.Count(`main .govuk-warning-text`); n != 0 {
			t.Errorf("an accepted warning still shows as a warning: %q", b.Text("main .govuk-warning-text"))
		}
		b.Screenshot("visit-warning-accepted")
	})

	// The lead's other pages: calendars, a deferral request and its
	// decision, the edit and cancel pages.
	t.Run("lead's pages", func(t *testing.T) {
		t.Parallel()
		b := browsertest.New(t, base)
		signInAs(t, b, lead)

		b.Follow(`.govuk-service-navigation a[href="/calendar"]`)
		if got := b.Text("caption"); got != "March 2025" {
			t.Errorf("calendar caption = %q, want March 2025", got)
		}
		if got := b.Text(`td[aria-current="date"] .app-calendar__date`); got != "Mon 3 Mar 2025" {
			t.Errorf("today's cell = %q, want Mon 3 Mar 2025", got)
		}
		if n := b.Count(`.app-calendar__entry--visit a`); n == 0 {
			t.Errorf("the lead's March calendar shows no visit dates")
		}
		b.Screenshot("calendar-march")
		b.Follow(`a[rel="next"]`)
		if got := b.Text("caption"); got != "April 2025" {
			t.Errorf("next month caption = %q, want April 2025", got)
		}
		if got := b.Text("main"); !strings.Contains(got, "Good Friday") || !strings.Contains(got, "Easter Monday") {
			t.Errorf("April 2025 does not show Good Friday and Easter Monday")
		}
		b.Screenshot("calendar-april")

		b.Visit("/account/calendar")
		if n := b.Count(`[data-testid="no-link"]`); n != 1 {
			t.Errorf("a new user's calendar page does not say there is no link yet")
		}
		b.Screenshot("account-calendar-none")
		b.Submit(`form[action="/account/calendar/reset"] button`)
		if got := flash(b); got != "Your private calendar link has been created" {
			t.Errorf("flash = %q", got)
		}
		var first string
		b.Eval(`document.getElementById('calendar-link').value`, &first)
		if !strings.Contains(first, "/calendar/feed/") || !strings.HasSuffix(first, ".ics") {
			t.Errorf("calendar link = %q, want a /calendar/feed/….ics link", first)
		}
		b.Screenshot("account-calendar-created")
		b.Submit(`form[action="/account/calendar/reset"] button`)
		if got := flash(b); !strings.Contains(got, "has been reset") {
			t.Errorf("flash = %q, want the link reset", got)
		}
		var second string
		b.Eval(`document.getElementById('calendar-link').value`, &second)
		if second == "" || second == first {
			t.Errorf("after a reset the link is %q, want a new one (was %q)", second, first)
		}
		b.Visit("/account/calendar")
		if n := b.Count("#calendar-link"); n != 0 {
			t.Errorf("the link shows again on a later visit to the page")
		}
		if n := b.Count(`[data-testid="link-exists"]`); n != 1 {
			t.Errorf("the page does not say a link exists")
		}
		b.Screenshot("account-calendar-exists")

		// The first visit on the lead's start page (a demo visit she leads):
		// a refused deferral and unsaved edit and cancel forms leave its
		// dates as they are.
		b.Visit("/")
		b.Follow(`table[data-testid="visits"] tbody tr:first-child a`)
		id := visitID(t, b)

		b.Follow(`a[href="/visits/` + id + `/deferrals/new"]`)
		if got, want := b.Text("h1"), "Record a deferral request"; got != want {
			t.Errorf("h1 = %q, want %q", got, want)
		}
		b.Fill("#requested-by", "Chris Chief, Cafcass chief executive")
		b.Type("#reason", "The chief executive is on leave that week")
		b.Screenshot("deferral-new")
		b.Submit(mainSubmit)
		if got := flash(b); !strings.HasPrefix(got, "Deferral request recorded") {
			t.Errorf("flash = %q", got)
		}
		b.Follow(`#deferrals a[href*="/decide"]`)
		if got, want := b.Text("h1"), "Decide on the deferral request"; got != want {
			t.Errorf("h1 = %q, want %q", got, want)
		}
		b.Screenshot("deferral-decide")
		b.Submit(mainSubmit)
		if got, want := b.Status(), http.StatusUnprocessableEntity; got != want {
			t.Errorf("a blank decision answered %d, want %d", got, want)
		}
		b.Screenshot("deferral-decide-errors")
		tick(t, b, "decision", "No, refuse it")
		b.Type("#decision-reason", "Another senior leader can take the notice call")
		b.Submit(mainSubmit)
		if got, want := flash(b), "Deferral refused. The visit goes ahead as planned."; got != want {
			t.Errorf("flash = %q, want %q", got, want)
		}
		if got := b.Text("#deferrals"); !strings.Contains(got, "Refused") {
			t.Errorf("deferrals = %q, want the request refused", got)
		}
		b.Screenshot("visit-deferral-refused")

		b.Follow(`main a[href="/visits/` + id + `/edit"]`)
		if got := b.Text("h1"); !strings.HasPrefix(got, "Edit ") {
			t.Errorf("edit h1 = %q", got)
		}
		if n := b.Count(`#priority`); n != 1 {
			t.Errorf("the edit form has no priority action checkbox")
		}
		b.Screenshot("visit-edit")

		b.Visit("/visits/" + id + "/cancel")
		if got, want := b.Text("h1"), "Cancel the visit"; got != want {
			t.Errorf("h1 = %q, want %q", got, want)
		}
		b.Screenshot("visit-cancel")
		b.Submit(mainSubmit) // no reason: the visit stays
		if got, want := b.Status(), http.StatusUnprocessableEntity; got != want {
			t.Errorf("cancelling without a reason answered %d, want %d", got, want)
		}
		if n := b.Count(`.govuk-error-summary__list a[href="#reason"]`); n != 1 {
			t.Errorf("error summary has %d links to #reason, want 1", n)
		}
		b.Screenshot("visit-cancel-errors")
	})

	// The administrator's pages: users and closure days.
	t.Run("admin's pages", func(t *testing.T) {
		t.Parallel()
		b := browsertest.New(t, base)
		signInAs(t, b, admin)

		b.Follow(`.govuk-service-navigation a[href="/users"]`)
		if got := b.Text("caption"); !strings.HasSuffix(got, " users") {
			t.Errorf("users caption = %q", got)
		}
		b.Screenshot("users")

		b.Follow(`.govuk-service-navigation a[href="/closure-days"]`)
		if n := b.Count("#no-closures"); n != 1 {
			t.Errorf("a new service lists closure days")
		}
		b.Screenshot("closure-days-none")
		b.Follow(`main a[href="/closure-days/new"]`)
		b.Screenshot("closure-new")
		b.Submit(mainSubmit)
		if got, want := b.Status(), http.StatusUnprocessableEntity; got != want {
			t.Errorf("a blank closure day answered %d, want %d", got, want)
		}
		b.Screenshot("closure-new-errors")
		fillDate(b, "date", "2", "12", "2026") // after every visit's dates
		b.Fill("#reason", "Office move")
		b.Submit(mainSubmit)
		// First the dates it would move (issue 15.6), then add it.
		if got := b.Text("h1"); got != "Check the closure day before you add it" {
			t.Errorf("after the form, h1 = %q", got)
		}
		b.Screenshot("closure-check")
		b.Submit(`main form button[value="confirm"]`)
		if got := b.Path(); got != "/closure-days" {
			t.Fatalf("after adding a closure day, at %s", got)
		}
		if got := flash(b); !strings.HasPrefix(got, "Closure day added for Wed 2 Dec 2026.") {
			t.Errorf("flash = %q", got)
		}
		if got := b.Text("#closures tbody"); !strings.Contains(got, "Wed 2 Dec 2026") || !strings.Contains(got, "Office move") {
			t.Errorf("closure days = %q, want Wed 2 Dec 2026, Office move", got)
		}
		b.Screenshot("closure-days-one")
	})
}

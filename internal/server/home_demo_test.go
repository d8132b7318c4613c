package server_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/google/go-cmp/cmp"
	"github.com/riverqueue/river/rivertype"

	"github.com/ofsted/focusedvisits/internal/demo"
	"github.com/ofsted/focusedvisits/internal/htmltest"
	"github.com/ofsted/focusedvisits/internal/jobs"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// demoToday is the fixed day the start pages are read on: Mon 23 Nov 2026,
// with the demo data placed around it (internal/demo): a visit planned, one
// in its notice week (today is day 3), one in fieldwork, one awaiting its
// letter, one whose draft went with an area for priority action since
// reworded, one whose final is held by a complaint, and the published
// Easter 2025 visit.
var demoToday = workday.NewDate(2026, time.November, 23)

// demoServer is a test server holding the demo data for demoToday, its
// clock at 10:00 that day, and a signed-in client per demo user.
func demoServer(t *testing.T) (*testServer, map[string]*http.Client) {
	t.Helper()
	ts := newTestServer(t, nil)
	creds, err := demo.LoadAt(context.Background(), ts.Store, demoToday)
	if err != nil {
		t.Fatal(err)
	}
	ts.setClock(time.Date(2026, 11, 23, 10, 0, 0, 0, londonTZ))
	clients := map[string]*http.Client{}
	for _, c := range creds {
		cl := ts.client()
		if res := ts.post(cl, "/sign-in", url.Values{"email": {c.Email}, "password": {c.Password}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign in as %s: status %d", c.Email, res.StatusCode)
		}
		clients[c.Email] = cl
	}
	return ts, clients
}

// taskLines are the rows of the start page's tasks: kind, what, visit,
// deadline and status, and the links to where each is done.
func taskLines(doc *goquery.Document) (lines, hrefs []string) {
	doc.Find(`[data-testid=tasks] tbody tr`).Each(func(_ int, s *goquery.Selection) {
		cells := []string{s.AttrOr("data-kind", "")}
		s.Find("td").Each(func(_ int, td *goquery.Selection) { cells = append(cells, htmltest.Text(td)) })
		lines = append(lines, strings.Join(cells, " | "))
		hrefs = append(hrefs, s.Find("td").First().Find("a").AttrOr("href", ""))
	})
	return lines, hrefs
}

// TestStartPage_DemoTasks (issue 13.1): on the demo's day, each person's
// start page leads with exactly their tasks, overdue first and then by
// deadline, each linking straight to a page they may use; optional windows
// are never overdue and Cafcass sees nothing of the visit before notice.
func TestStartPage_DemoTasks(t *testing.T) {
	t.Parallel()
	ts, clients := demoServer(t)
	const (
		list = "CL.1 Child-level data: cases closed in the 2 weeks before the visit"
	)
	cafcass := []string{
		"send-item | Send AL.1 List of recently audited cases | FV-2026-0002 | Fri 20 Nov 2026 | Overdue",
		"send-item | Send " + list + " again: Ofsted returned it | FV-2026-0002 | Mon 23 Nov 2026 | Due today",
		"send-item | Send 1.04 Feedback, complaints and serious incidents | FV-2026-0002 | Wed 25 Nov 2026 | To do",
		"send-item | Send 1.15 Case-holding social workers | FV-2026-0002 | Wed 25 Nov 2026 | To do",
		"read-answer | Read Ofsted’s answer to your question about 1.04 Feedback, complaints and serious incidents | FV-2026-0002 | Wed 25 Nov 2026 | To do",
		"comment-on-draft | Comment on the draft letter, if you wish to | FV-2026-0005 | Fri 20 to Thu 26 Nov 2026 | Optional",
	}
	want := map[string][]string{
		"admin@ofsted.example": nil,
		"lead@ofsted.example": {
			"resolve-complaint | Record the outcome of Cafcass’s complaint about the final letter | FV-2026-0006 | Thu 19 Nov 2026 | Overdue",
			"review-item | Check " + list + ": accept it or return it to Cafcass | FV-2026-0003 | Fri 20 Nov 2026 | Overdue",
			"answer-question | Answer Cafcass’s question about 1.15 Case-holding social workers | FV-2026-0002 | Wed 25 Nov 2026 | To do",
			"review-item | Review 1.03 Management information and performance reports: accept it or return it to Cafcass | FV-2026-0002 | Thu 26 Nov 2026 | To do",
			"review-item | Review 1.05 Self-evaluations of practice: accept it or return it to Cafcass | FV-2026-0002 | Thu 26 Nov 2026 | To do",
			"write-letter | Write the letter of findings and submit it for quality assurance | FV-2026-0003 | Tue 8 Dec 2026 | To do",
		},
		"inspector@ofsted.example": {
			"fieldwork | Fieldwork | FV-2026-0003 | Mon 23 to Tue 24 Nov 2026 | In progress",
			"fieldwork | Fieldwork | FV-2026-0002 | Fri 27 to Mon 30 Nov 2026 | Coming up",
		},
		"qam@ofsted.example": {
			"quality-assure | Quality assure the letter of findings: approve it or return it | FV-2026-0004 | Thu 26 Nov 2026 | To do",
		},
		"moderator@ofsted.example": {
			"moderate | Moderate the letter’s area for priority action | FV-2026-0005 | Mon 7 Dec 2026 | To do",
		},
		"sao@ofsted.example": {
			"review-item | Check " + list + ": accept it or return it to Cafcass | FV-2026-0003 | Fri 20 Nov 2026 | Overdue",
			"choose-sample | Choose the case sample and release it to Cafcass | FV-2026-0003 | Fri 20 Nov 2026 | Overdue",
			"answer-question | Answer Cafcass’s question about " + list + " | FV-2026-0002 | Mon 23 Nov 2026 | Due today",
		},
		"ceo@cafcass.example":    cafcass,
		"deputy@cafcass.example": cafcass,
	}
	for email, c := range clients {
		t.Run(email, func(t *testing.T) {
			res := ts.get(c, "/")
			if res.StatusCode != http.StatusOK {
				t.Fatalf("start page: status %d", res.StatusCode)
			}
			doc := parse(t, res)
			htmltest.CheckPage(t, doc)
			// The tasks lead the page, before the visits.
			if first := htmltest.Text(doc.Find("main h2").First()); first != "Your tasks" {
				t.Errorf("first heading %q, want Your tasks", first)
			}
			got, hrefs := taskLines(doc)
			if diff := cmp.Diff(want[email], got); diff != "" {
				t.Errorf("tasks (-want +got):\n%s", diff)
			}
			if len(want[email]) == 0 && htmltest.Text(doc.Find(`[data-testid=no-tasks]`)) != "You have no tasks." {
				t.Error("no tasks, and the page does not say so")
			}
			// Each link goes straight to a page the person may use.
			for _, h := range hrefs {
				if res := ts.get(c, h); res.StatusCode != http.StatusOK {
					t.Errorf("task link %s: status %d", h, res.StatusCode)
				}
			}
			// Each visit's row gives the notice and fieldwork days its page
			// gives (a published visit's are read from what was recorded,
			// the others' from the plan).
			if email == "lead@ofsted.example" {
				doc.Find(`[data-testid=visits] tbody tr`).Each(func(_ int, row *goquery.Selection) {
					href := row.Find("td a").AttrOr("href", "")
					dates := currentDates(parse(t, ts.get(c, href)))
					cells := row.Find("td")
					if got := htmltest.Text(cells.Eq(1)) + " / " + htmltest.Text(cells.Eq(2)); got != dates["notice"]+" / "+dates["fieldwork"] {
						t.Errorf("%s: start page %q, visit page %q", href, got, dates["notice"]+" / "+dates["fieldwork"])
					}
				})
			}
			// Cafcass sees nothing of the visit not yet noticed, not even
			// on its start page (DOMAIN decision 9).
			if strings.HasSuffix(email, "cafcass.example") && strings.Contains(doc.Text(), "FV-2026-0001") {
				t.Error("Cafcass's start page names the visit not yet noticed")
			}
		})
	}
}

// visitRefs are the references the administrators' list shows.
func visitRefs(doc *goquery.Document) []string {
	var refs []string
	doc.Find(`[data-testid=visits] tbody tr`).Each(func(_ int, s *goquery.Selection) {
		refs = append(refs, htmltest.Text(s.Find("td a").First()))
	})
	return refs
}

// TestStartPage_AdminSearch (issue 13.1): an administrator's start page
// lists every visit, 25 a page, latest first, and searches them by
// reference, stage, year of notice and lead inspector, in a GET form.
func TestStartPage_AdminSearch(t *testing.T) {
	t.Parallel()
	ts, clients := demoServer(t)
	admin := clients["admin@ofsted.example"]
	ctx := context.Background()
	lead, _, err := ts.Store.GetUserForSignIn(ctx, "lead@ofsted.example")
	if err != nil {
		t.Fatal(err)
	}
	other := ts.addUser(user.LeadInspector, "other-lead@example.gov.uk")
	// 30 more visits planned in 2027, one of them led by another lead
	// inspector: 37 in all.
	for i := range 30 {
		by := lead
		if i == 0 {
			by = other
		}
		ts.createTestVisit(by, timeline.CodeNotice, workday.NewDate(2027, time.January, 11).AddDays(7*i), visit.Member{UserID: by.ID, Role: visit.RoleLead})
	}

	doc := parse(t, ts.get(admin, "/"))
	htmltest.CheckPage(t, doc)
	if got := htmltest.Text(doc.Find(`[data-testid=no-tasks]`)); got != "You have no tasks." {
		t.Errorf("tasks: %q, want none", got)
	}
	form := doc.Find(`form[data-testid=visit-search]`)
	if form.AttrOr("method", "") != "get" || form.Find(`input[name=reference], select[name=stage], input[name=year], select[name=lead]`).Length() != 4 {
		t.Fatal("no GET form searching by reference, stage, year and lead")
	}
	if n := len(visitRefs(doc)); n != 25 {
		t.Errorf("%d visits on the first page, want 25", n)
	}
	if got := htmltest.Text(doc.Find(`[data-testid=showing]`)); got != "Showing visits 1 to 25 of 37." {
		t.Errorf("showing %q", got)
	}
	next := doc.Find(`.govuk-pagination a[rel=next]`).AttrOr("href", "")
	if next != "/?page=2" {
		t.Fatalf("next page %q", next)
	}
	doc = parse(t, ts.get(admin, next))
	if refs := visitRefs(doc); len(refs) != 12 || refs[len(refs)-1] != "FV-2025-0007" {
		t.Errorf("second page %v, want 12 ending with the Easter 2025 visit", refs)
	}
	if doc.Find(`.govuk-pagination a[rel=prev]`).AttrOr("href", "") != "/" || doc.Find(`.govuk-pagination a[rel=next]`).Length() != 0 {
		t.Error("the second page does not link back to the first, or links past the last")
	}

	for _, c := range []struct {
		query string
		want  []string
	}{
		{"reference=fv-2026-000", []string{"FV-2026-0001", "FV-2026-0002", "FV-2026-0003", "FV-2026-0004", "FV-2026-0005", "FV-2026-0006"}},
		{"stage=" + url.QueryEscape(visit.StageFieldwork), []string{"FV-2026-0003"}},
		{"stage=" + url.QueryEscape(visit.StagePublished), []string{"FV-2025-0007"}},
		{"stage=" + url.QueryEscape(visit.StageAwaitingLetter), []string{"FV-2026-0004"}},
		{"year=2025", []string{"FV-2025-0007"}},
		{"year=2026&stage=" + url.QueryEscape(visit.StagePlanned), []string{"FV-2026-0001"}},
		{"lead=" + strconv.FormatInt(other.ID, 10), []string{"FV-2027-0008"}},
		{"reference=nothing-like-it", nil},
	} {
		res := ts.get(admin, "/?"+c.query)
		if res.StatusCode != http.StatusOK {
			t.Errorf("%s: status %d", c.query, res.StatusCode)
			continue
		}
		doc := parse(t, res)
		if got := visitRefs(doc); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.query, got, c.want)
		}
	}
	// A year typed wrong says so, and is not used.
	doc = parse(t, ts.get(admin, "/?year=twenty"))
	if got := htmltest.Text(doc.Find(`#year-error`)); !strings.Contains(got, "Enter a year from") {
		t.Errorf("year error %q", got)
	}
	if n := len(visitRefs(doc)); n != 25 {
		t.Errorf("%d visits listed after a year typed wrong, want the first 25", n)
	}
	// Hostile values: never a 5xx, never echoed unescaped.
	for _, h := range hostileURL {
		if h.unclean {
			continue
		}
		for _, key := range []string{"reference", "stage", "year", "lead", "page"} {
			res := ts.get(admin, "/?"+key+"="+h.escaped)
			if body := readAll(t, res.Body); res.StatusCode != http.StatusOK || strings.Contains(body, scriptMarkup) {
				t.Errorf("%s=%s: status %d", key, h.name, res.StatusCode)
			}
		}
	}
}

// TestStartPage_AdminServiceTasks (issue 13.1): an administrator's tasks are
// the service's own: scheduled jobs that failed, and accounts locked after
// too many wrong passwords, listed on the page.
func TestStartPage_AdminServiceTasks(t *testing.T) {
	t.Parallel()
	ts, clients := demoServer(t)
	ctx := context.Background()
	_, err := jobs.RunDue(ctx, jobs.Config{Store: ts.Store, Now: ts.now,
		Hooks: []rivertype.Hook{&failFirst{kind: "publication_sweep", attempts: 2}}}) // waits as failed (see TestJobList)
	if err != nil {
		t.Fatal(err)
	}
	for range ts.Cfg.SignInMaxFailures {
		if _, err := ts.Store.ReserveSignIn(ctx, "ines@ofsted.example", "203.0.113.7", ts.now(), ts.Cfg.SignInLockout, ts.Cfg.SignInMaxFailures); err != nil {
			t.Fatal(err)
		}
	}
	// An email the mail server never took (after every attempt).
	if _, err := ts.Pool.Exec(ctx, `INSERT INTO outbox_messages (template, kind, to_address, subject, body, status, attempts, last_error)
		VALUES ('visit.notice_given', 'action', 'ceo@cafcass.example', 'Notice given', 'Body', 'failed', 10, '421 try later')`); err != nil {
		t.Fatal(err)
	}
	doc := parse(t, ts.get(clients["admin@ofsted.example"], "/"))
	got, hrefs := taskLines(doc)
	want := []string{
		"failed-jobs | 1 scheduled job has failed: see what went wrong |  |  | To do",
		"failed-messages | 1 email was not delivered: retry from the Messages page |  |  | To do",
		"locked-accounts | 1 account is locked after too many wrong passwords |  |  | To do",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("tasks (-want +got):\n%s", diff)
	}
	if !slices.Equal(hrefs, []string{"/admin/jobs", "/admin/messages?status=failed", "#locked-accounts"}) || doc.Find("#locked-accounts").Length() != 1 {
		t.Errorf("task links %v, or no list of locked accounts", hrefs)
	}
	locked := htmltest.Text(doc.Find(`[data-testid=locked-accounts] tbody tr`))
	if !strings.Contains(locked, "Ines Inspector") || !strings.Contains(locked, "ines@ofsted.example") {
		t.Errorf("locked accounts %q", locked)
	}
	// Nobody else is given the service's tasks.
	if got, _ := taskLines(parse(t, ts.get(clients["lead@ofsted.example"], "/"))); slices.ContainsFunc(got, func(l string) bool {
		return strings.HasPrefix(l, "failed-jobs") || strings.HasPrefix(l, "failed-messages") || strings.HasPrefix(l, "locked-accounts")
	}) {
		t.Error("the lead inspector is given the service's tasks")
	}
}

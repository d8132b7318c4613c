package browsertest_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"

	"github.com/ofsted/focusedvisits/internal/browsertest"
	"github.com/ofsted/focusedvisits/internal/letter"
	"github.com/ofsted/focusedvisits/internal/publicid"
	"github.com/ofsted/focusedvisits/internal/server"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// signedOut stands for someone not signed in, beside the roles.
const signedOut user.Role = "signed_out"

// widths are the screens every page is looked at on: a laptop's window and
// a phone's (an iPhone 12 to 15 is 390 CSS pixels wide).
var widths = []struct{ Width, Height int64 }{{1280, 900}, {390, 844}}

// notShown are GET routes that the demo world cannot show as a page, each
// with why; every other GET route must answer some role with 200.
var notShown = map[string]string{
	"/sign-in/sso":                  "single sign-on is not configured in tests (404)",
	"/sign-in/sso/callback":         "single sign-on is not configured in tests (404)",
	"/sign-in/two-factor":           "needs a password step just passed by an account with two-factor; TestSignInTwoFactor covers it",
	"/sign-in/two-factor/set-up":    "needs a password step just passed by an account setting up two-factor; covered by the sign-in tests",
	"/calendar/feed/{token}.ics":    "a calendar feed, not a page",
	"/reset-password/{token}":       "needs a link token sent by email",
	"/invitations/{token}":          "needs a link token sent by email",
	"/account/recovery-codes":       "shows codes just made, once, after setting up two-factor",
	"/visits/{visitID}/notice/undo": "only on the day the notice was recorded",
}

// TestEveryPageFits opens every page of the service, as every role that may
// open it (and as someone signed out, for public pages), at 1280 and at 390
// px wide: the document is no wider than the screen, every link, button and
// form control of <main> lies within it and every one outside <main> within
// the screen, and axe-core finds no violation (issue 15). It walks the
// router, so a page added later is covered: a route whose parameters the
// demo world cannot fill, or that answers no role with a page, fails the
// test. With SCREENSHOT_DIR set it saves each page as
// role_width_pattern.png.
//
// Each role has one tab: a page is loaded once, at 1280 px, then the
// viewport is changed by emulation to 390 px, which relays the same
// document out as a phone would (media queries and GOV.UK Frontend's
// matchMedia listeners follow the viewport) without loading it again.
// axe-core runs at both widths: the DOM is the same, but colour contrast
// (GOV.UK's type is smaller on a phone) and target size (WCAG 2.5.8) depend
// on the layout, so one run would not vouch for the other width.
func TestEveryPageFits(t *testing.T) {
	t.Parallel()
	began := time.Now()
	today := workday.NewDate(2025, time.April, 15)
	now := tenAM(today)
	// The demo has no closure day, no deferral waiting for a decision and
	// no comment on a draft letter not yet submitted: one of each, so that
	// their pages can be shown.
	a := startDemoApp(t, today, func() time.Time { return now }, func(a *demoApp) {
		ctx := context.Background()
		if err := a.Store.AddClosureDay(ctx, workday.NewDate(2025, time.December, 29), "Office closed", a.User(t, user.Admin).ID); err != nil {
			t.Fatal(err)
		}
		var planned int64
		if err := a.Pool.QueryRow(ctx, `SELECT id FROM visits ORDER BY anchor_date DESC LIMIT 1`).Scan(&planned); err != nil {
			t.Fatal(err)
		}
		var draftSent int64
		if err := a.Pool.QueryRow(ctx, `SELECT id FROM visits ORDER BY anchor_date OFFSET $1 LIMIT 1`, demoDraftSent).Scan(&draftSent); err != nil {
			t.Fatal(err)
		}
		l, err := a.Store.GetLetter(ctx, draftSent)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := a.Store.AddLetterComment(ctx, l.ID, l.SentDraftVersion, letter.NewComment{Section: letter.Introduction, About: letter.AboutLetter, Body: "Please say which months the visit looked at."}, a.User(t, user.CafcassCEO)); err != nil {
			t.Fatal(err)
		}
		if _, err := a.Store.CreateDeferral(ctx, store.NewDeferral{VisitID: planned, RequestedBy: "Cafcass", RequestedOn: today, Reason: "The chief executive is away that week"}, a.User(t, user.LeadInspector)); err != nil {
			t.Fatal(err)
		}
	})
	pw := newPageWorld(t, a)

	var patterns []string
	err := chi.Walk(a.App.Router(), func(method, pattern string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if method == http.MethodGet && !server.Unguarded(method, pattern) {
			patterns = append(patterns, pattern)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range patterns {
		if _, ok := notShown[p]; ok {
			continue
		}
		for _, name := range routeParams(p) {
			if !pw.has(name) {
				t.Errorf("GET %s: the page world has no value for {%s}: give newPageWorld one, so that the page is looked at", p, name)
			}
		}
	}
	if t.Failed() {
		t.FailNow()
	}

	ax := &axeSeen{seen: map[string]bool{}}
	var mu sync.Mutex
	shown := map[string]int{} // pattern → roles it answered 200
	pages := 0
	roles := append([]user.Role{signedOut}, user.Roles...)
	t.Run("role", func(t *testing.T) {
		for _, role := range roles {
			t.Run(string(role), func(t *testing.T) {
				t.Parallel()
				b := browsertest.New(t, a.URL)
				if role == signedOut {
					b.VisitWithoutAxe("/sign-in")
				} else {
					signInAs(t, b, a.ByRole[role])
				}
				for _, pattern := range patterns {
					access, _ := a.App.AccessFor(http.MethodGet, pattern)
					if role == signedOut && !access.Public || role != signedOut && !access.Allows(role) {
						continue
					}
					if _, ok := notShown[pattern]; ok {
						continue
					}
					path, html, ok := pw.find(t, b, pattern)
					if !ok {
						continue
					}
					mu.Lock()
					shown[pattern]++
					mu.Unlock()
					if !html {
						continue
					}
					checkFits(t, b, ax, role, pattern, path)
					mu.Lock()
					pages++
					mu.Unlock()
				}
			})
		}
	})
	for _, p := range patterns {
		if _, ok := notShown[p]; !ok && shown[p] == 0 {
			t.Errorf("GET %s answered no role with a page: give the page world what it needs to show it (or, if it cannot, list it in notShown with why)", p)
		}
	}
	t.Logf("%d pages looked at, each at %d widths, in %v", pages, len(widths), time.Since(began).Round(time.Second))
}

// checkFits looks at the page at path at each width.
func checkFits(t *testing.T, b *browsertest.Browser, ax *axeSeen, role user.Role, pattern, path string) {
	t.Helper()
	began := time.Now()
	defer func() { t.Logf("%s %s in %v", role, path, time.Since(began).Round(time.Millisecond)) }()
	b.VisitWithoutAxe(path)
	for _, w := range widths {
		b.Resize(w.Width, w.Height)
		// Let matchMedia listeners and the next layout run.
		b.Eval(`new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))`, nil)
		o := b.Overflow()
		if o.Document > o.Viewport {
			t.Errorf("%s at %d px: the page is %d px wide", path, w.Width, o.Document)
		}
		for _, e := range o.Outside {
			t.Errorf("%s at %d px: %s", path, w.Width, e)
		}
		if ax.first(pageKey(b), w.Width) {
			b.CheckAccessibility()
		}
		name := strings.ReplaceAll(strings.Trim(pattern, "/"), "/", "-")
		if name == "" {
			name = "start"
		}
		b.SaveScreenshot(fmt.Sprintf("%s_%d_%s", role, w.Width, name))
	}
}

// axeSeen records the pages axe-core has checked, at each width, so that
// a page two roles see alike is checked once. axe takes two thirds of the
// test's time, and many pages (the visit's timeline, the letter, the
// request) differ from role to role only in a button or two, if at all.
type axeSeen struct {
	mu   sync.Mutex
	seen map[string]bool
}

// first reports whether the page with the key has not been checked at the
// width, and notes that it now is.
func (a *axeSeen) first(key string, width int64) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	k := fmt.Sprint(width, key)
	if a.seen[k] {
		return false
	}
	a.seen[k] = true
	return true
}

// pageKey identifies what a page shows: a hash of its <main> (the page's
// own markup) and of the names in its header's navigation (which differ by
// role), with the hidden inputs' values (anti-forgery tokens) left out.
func pageKey(b *browsertest.Browser) string {
	var s string
	b.Eval(`(() => {
		const m = document.querySelector('main').cloneNode(true);
		for (const i of m.querySelectorAll('input[type=hidden]')) i.removeAttribute('value');
		const nav = [...document.querySelectorAll('header a, header button')].map(e => e.getAttribute('href') || e.textContent.trim()).join('|');
		return nav + '\n' + m.outerHTML;
	})()`, &s)
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}

// routeParams are the names of a chi pattern's parameters.
func routeParams(pattern string) []string {
	var names []string
	for {
		i := strings.IndexByte(pattern, '{')
		if i < 0 {
			return names
		}
		j := strings.IndexByte(pattern[i:], '}')
		names = append(names, pattern[i+1:i+j])
		pattern = pattern[i+j+1:]
	}
}

// pageWorld fills route parameters from the demo data: each demo visit
// gives one set of values (the visit, an item with a document, its
// child-level list item, a document, a deferral, a sampled case, a comment
// on its letter, a complaint), and some values serve every visit.
type pageWorld struct {
	visits []map[string]string // by notice day, earliest first
	common map[string]string
}

func (pw *pageWorld) has(name string) bool {
	if _, ok := pw.common[name]; ok {
		return true
	}
	for _, v := range pw.visits {
		if _, ok := v[name]; ok {
			return true
		}
	}
	return false
}

func newPageWorld(t *testing.T, a *demoApp) *pageWorld {
	t.Helper()
	ctx := context.Background()
	pw := &pageWorld{common: map[string]string{
		"code":      "notice",
		"date":      "2025-12-29",
		"sessionID": publicid.New(),
		"token":     "no-such-token",
	}}
	q := func(sql string, args ...any) string {
		t.Helper()
		var s *string
		if err := a.Pool.QueryRow(ctx, sql, args...).Scan(&s); errors.Is(err, pgx.ErrNoRows) {
			return ""
		} else if err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		if s == nil {
			return ""
		}
		return *s
	}
	pw.common["messageID"] = q(`SELECT max(public_id) FROM outbox_messages`)
	pw.common["slug"] = q(`SELECT max(slug) FROM publications`)
	pw.common["userID"] = q(`SELECT public_id FROM users WHERE email = $1`, a.ByRole[user.TeamInspector].Email)
	rows, err := a.Pool.Query(ctx, `SELECT id, public_id FROM visits ORDER BY anchor_date`)
	if err != nil {
		t.Fatal(err)
	}
	type v struct {
		id     int64
		public string
	}
	var vs []v
	for rows.Next() {
		var x v
		if err := rows.Scan(&x.id, &x.public); err != nil {
			t.Fatal(err)
		}
		vs = append(vs, x)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	for _, x := range vs {
		m := map[string]string{"visitID": x.public}
		set := func(name, sql string) {
			if s := q(sql, x.id); s != "" {
				m[name] = s
			}
		}
		set("itemID", `SELECT min(i.public_id) FROM request_items i WHERE i.visit_id = $1
			AND i.id = (SELECT min(f.item_id) FROM files f WHERE f.visit_id = $1 AND f.removed_at IS NULL AND f.item_id NOT IN (SELECT item_id FROM child_lists))`)
		set("childListItemID", `SELECT min(i.public_id) FROM request_items i WHERE i.visit_id = $1 AND i.id IN (SELECT item_id FROM child_lists)`)
		set("fileID", `SELECT min(public_id) FROM files WHERE visit_id = $1 AND removed_at IS NULL`)
		set("deferralID", `SELECT min(public_id) FROM visit_deferrals WHERE visit_id = $1 AND status = 'requested'`)
		set("sampleID", `SELECT min(public_id) FROM case_samples WHERE visit_id = $1`)
		// A comment not yet submitted, which its writer may change.
		set("commentID", `SELECT c.public_id FROM letter_comments c JOIN letters l ON l.id = c.letter_id WHERE l.visit_id = $1
			ORDER BY c.submitted_at IS NULL DESC, c.public_id LIMIT 1`)
		// A case of the child-level lists not yet in the sample.
		set("sampleNewQuery", `SELECT '?case=' || r.case_id || '&child=' || r.child_id FROM child_rows r JOIN child_lists l ON l.id = r.list_id
			WHERE l.visit_id = $1 AND r.case_id NOT IN (SELECT case_id FROM case_samples WHERE visit_id = $1) ORDER BY r.case_id LIMIT 1`)
		set("complaintID", `SELECT min(c.public_id) FROM complaints c JOIN letters l ON l.id = c.letter_id WHERE l.visit_id = $1 AND c.resolved_at IS NULL`)
		// A finding of the letter's current version, whose evidence the lead links.
		set("findingID", `SELECT min(f.public_id) FROM letter_findings f JOIN letter_versions v ON v.id = f.version_id
			JOIN letters l ON l.id = v.letter_id WHERE l.visit_id = $1 AND v.number = l.current_version`)
		if _, ok := m["itemID"]; !ok {
			set("itemID", `SELECT min(public_id) FROM request_items WHERE visit_id = $1`)
		}
		pw.visits = append(pw.visits, m)
	}
	if len(vs) != demoVisits {
		t.Fatalf("the demo made %d visits, want %d: update the demo* stages to internal/demo's", len(vs), demoVisits)
	}
	return pw
}

// The demo's visits by notice day, earliest first (internal/demo's stages).
const (
	demoPublished = iota
	demoComplaint
	demoDraftSent
	demoAwaitingLetter
	demoFieldwork
	demoNoticeWeek
	demoPlanned
	demoVisits
)

// queries are the queries of pages that show nothing without one, from a
// visit's values.
var queries = map[string]func(vals map[string]string) string{
	"/visits/{visitID}/letter/compare":        func(map[string]string) string { return "?a=1&b=2" },
	"/visits/{visitID}/child-data/sample/new": func(vals map[string]string) string { return vals["sampleNewQuery"] },
}

// candidates are the paths that may show the pattern, best first: the
// pattern filled with each demo visit's values, the letter's pages trying
// the visits whose letter is furthest on first, the others the visits in
// the notice week and in fieldwork, where most has been added.
func (pw *pageWorld) candidates(pattern string) []string {
	order := []int{demoNoticeWeek, demoFieldwork, demoDraftSent, demoComplaint, demoPublished, demoAwaitingLetter, demoPlanned}
	if strings.Contains(pattern, "/letter") {
		order = []int{demoDraftSent, demoComplaint, demoPublished, demoAwaitingLetter, demoFieldwork, demoNoticeWeek, demoPlanned}
	}
	var out []string
	seen := map[string]bool{}
	for _, i := range order {
		p, ok := pw.fill(pattern, pw.visits[i])
		if q, ok := queries[pattern]; ok {
			p += q(pw.visits[i])
		}
		if ok && !seen[p] {
			seen[p] = true
			out = append(out, p)
		}
	}
	return out
}

// fill fills pattern with vals and the common values.
func (pw *pageWorld) fill(pattern string, vals map[string]string) (string, bool) {
	p := pattern
	for _, name := range routeParams(pattern) {
		key := name
		if name == "itemID" && strings.Contains(pattern, "/child-list") {
			key = "childListItemID"
		}
		v, ok := vals[key]
		if !ok {
			v, ok = pw.common[key]
		}
		if !ok {
			return "", false
		}
		p = strings.Replace(p, "{"+name+"}", v, 1)
	}
	return p, true
}

// find asks for each candidate path of the pattern, with the tab's session,
// and returns the first that answers 200 without a redirect, and whether it
// is an HTML page (not a download, feed or file).
func (pw *pageWorld) find(t *testing.T, b *browsertest.Browser, pattern string) (path string, html, ok bool) {
	t.Helper()
	for _, p := range pw.candidates(pattern) {
		status, typ, redirect := b.Probe(p)
		if status == http.StatusOK && !redirect {
			return p, strings.HasPrefix(typ, "text/html"), true
		}
	}
	return "", false, false
}

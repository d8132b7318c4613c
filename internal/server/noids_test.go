package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/go-chi/chi/v5"

	"github.com/ofsted/focusedvisits/internal/server"
	"github.com/ofsted/focusedvisits/internal/user"
)

// shownID is what a database id looks like when a page shows one: "#"
// followed by digits ("Leila Lead (#2)"), or "id: 12".
var shownID = regexp.MustCompile(`#\s?[0-9]|\b(?i:id)\s*[:=#]\s*[0-9]`)

// TestNoPageShowsAnID walks every GET route as every role that may use it,
// over the world's visits and a third visit whose fieldwork clashes with
// visit A's (gone ahead with, so the warning is stored and shown): no page
// shows anyone a database id or "#" followed by digits, in its text or its
// title, and no link names a row by its integer id (issue 15.4).
func TestNoPageShowsAnID(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	ts := w.ts
	team := w.users[user.TeamInspector]
	// Visit C: the same lead and team inspector, the same fieldwork as A.
	form := url.Values{
		"plan": {"notice"}, "date-day": {"14"}, "date-month": {"4"}, "date-year": {"2025"},
		"team": {fmt.Sprint(team.ID)}, "qam": {fmt.Sprint(w.users[user.QAM].ID)}, "sao": {fmt.Sprint(w.users[user.SAO].ID)},
		"cafcass": {fmt.Sprint(w.users[user.CafcassCEO].ID)}, "step": {"confirm"}, "reason": {"Agreed with the team"},
	}
	c := schedule(t, ts, w.clients[user.LeadInspector], form)
	if got := readAll(t, ts.get(w.clients[user.LeadInspector], c).Body); !strings.Contains(got, " are on fieldwork for ") {
		t.Fatalf("visit C shows no clash: the test would prove nothing")
	}

	var paths []string
	err := chi.Walk(ts.App.Router(), func(method, pattern string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if method == http.MethodGet && !server.Unguarded(method, pattern) {
			paths = append(paths, pattern)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	pages := 0
	for _, role := range user.Roles {
		for _, pattern := range paths {
			access, _ := ts.App.AccessFor(http.MethodGet, pattern)
			if !access.Allows(role) || pattern == "/calendar/feed/{token}.ics" {
				continue
			}
			pages += checkNoID(t, ts, w.clients[role], role, w.path(t, pattern))
		}
		for _, p := range []string{c, c + "/history", c + "/request"} {
			pages += checkNoID(t, ts, w.clients[role], role, p)
		}
	}
	if pages < 100 {
		t.Errorf("only %d pages were read", pages)
	}
	t.Logf("%d pages read", pages)
}

// checkNoID gets p as c and checks an HTML page shows no id; it returns 1
// when it read a page.
func checkNoID(t *testing.T, ts *testServer, c *http.Client, role user.Role, p string) int {
	t.Helper()
	res := ts.get(c, p)
	if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
		return 0
	}
	doc := parse(t, res)
	doc.Find("script, style").Remove()
	text := strings.Join(strings.Fields(doc.Text()), " ")
	if m := shownID.FindStringIndex(text); m != nil {
		from, to := max(0, m[0]-60), min(len(text), m[1]+60)
		t.Errorf("%s %s shows an id: …%s…", role, p, text[from:to])
	}
	doc.Find("[title], [aria-label]").Each(func(_ int, s *goquery.Selection) {
		for _, a := range []string{"title", "aria-label"} {
			if v, ok := s.Attr(a); ok && shownID.MatchString(v) {
				t.Errorf("%s %s: %s %q shows an id", role, p, a, v)
			}
		}
	})
	if html, _ := doc.Html(); integerIDPath.MatchString(html) {
		t.Errorf("%s %s: a link names a row by its integer id: %q", role, p, integerIDPath.FindString(html))
	}
	return 1
}

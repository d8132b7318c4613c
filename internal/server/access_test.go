package server_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/ofsted/focusedvisits/internal/server"
	"github.com/ofsted/focusedvisits/internal/user"
)

// TestAccessRules walks the router: every route declares who may use it,
// and every route answers each role (and a signed-out visitor) as declared.
func TestAccessRules(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	clients := map[user.Role]*http.Client{}
	for _, r := range user.Roles {
		email := string(r) + "@example.gov.uk"
		ts.addUser(r, email)
		clients[r] = ts.signIn(email)
	}

	type route struct{ method, pattern string }
	var routes []route
	err := chi.Walk(ts.App.Router(), func(method, pattern string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		routes = append(routes, route{method, pattern})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(routes) < 5 {
		t.Fatalf("walked only %d routes", len(routes))
	}
	// The routes of children's data, and the roles they are for (DOMAIN
	// decision 17): the QAM and administrators are never among them.
	childData := map[string][]user.Role{}
	childTeam := []user.Role{user.LeadInspector, user.TeamInspector, user.SAO}
	withCafcass := append(slices.Clone(childTeam), user.CafcassCEO, user.CafcassDeputy)
	for _, p := range []string{"/visits/{visitID}/child-data", "/visits/{visitID}/child-data/sample/new", "/visits/{visitID}/child-data/sample/{sampleID}/remove",
		"/visits/{visitID}/child-data/sample/release"} {
		childData[p] = childTeam
	}
	childData["/visits/{visitID}/case-sample"] = withCafcass
	childData["/visits/{visitID}/letter/findings/{findingID}/evidence"] = childTeam
	childData["/visits/{visitID}/letter/evidence"] = append(slices.Clone(childTeam), user.QAM)
	childData["/visits/{visitID}/request/items/{itemID}/child-list"] = withCafcass
	for _, rt := range routes {
		name := rt.method + " " + rt.pattern
		if roles, ok := childData[rt.pattern]; ok {
			a, _ := ts.App.AccessFor(rt.method, rt.pattern)
			if !a.NotFound || !slices.Equal(a.Roles, roles) {
				t.Errorf("%s: access %+v, want roles %v answered 404 otherwise", name, a, roles)
			}
		}
		if server.Unguarded(rt.method, rt.pattern) {
			continue
		}
		access, ok := ts.App.AccessFor(rt.method, rt.pattern)
		if !ok {
			t.Errorf("%s declares no access rule: register it with s.route", name)
			continue
		}
		path := samplePath(rt.pattern)
		t.Run(name, func(t *testing.T) {
			// Signed out.
			res := ts.do(ts.client(), rt.method, path)
			redirectedToSignIn := res.StatusCode == http.StatusSeeOther && strings.HasPrefix(res.Header.Get("Location"), "/sign-in")
			if access.Public && res.StatusCode == http.StatusForbidden {
				t.Errorf("signed out: public route answered 403")
			}
			if !access.Public && !redirectedToSignIn {
				t.Errorf("signed out: status %d location %q, want 303 to /sign-in", res.StatusCode, res.Header.Get("Location"))
			}
			for _, role := range user.Roles {
				if rt.pattern == "/sign-out" {
					continue // would end the shared client's session
				}
				res := ts.do(clients[role], rt.method, path)
				// A route of children's data answers the roles it is not
				// for as if nothing were there (DOMAIN decision 17).
				refused := http.StatusForbidden
				if access.NotFound {
					refused = http.StatusNotFound
				}
				switch {
				case access.Allows(role) && (res.StatusCode == http.StatusForbidden || res.StatusCode >= 500):
					t.Errorf("%s: status %d, want the route's answer", role, res.StatusCode)
				case !access.Allows(role) && res.StatusCode != refused:
					t.Errorf("%s: status %d, want %d", role, res.StatusCode, refused)
				}
			}
		})
	}
}

// samplePath fills a chi pattern's parameters with values that exist in no
// database, which is enough to test access: the guard runs before lookup.
func samplePath(pattern string) string {
	var b strings.Builder
	for part := range strings.SplitSeq(pattern, "/") {
		if part == "" {
			continue
		}
		b.WriteByte('/')
		if strings.HasPrefix(part, "{") {
			b.WriteString("999999")
		} else {
			b.WriteString(strings.TrimSuffix(part, "*"))
		}
	}
	if b.Len() == 0 {
		return "/"
	}
	return b.String()
}

func (ts *testServer) do(c *http.Client, method, path string) *http.Response {
	ts.t.Helper()
	if method == http.MethodPost {
		return ts.post(c, path, url.Values{})
	}
	req, err := http.NewRequest(method, ts.URL+path, nil)
	if err != nil {
		ts.t.Fatal(err)
	}
	res, err := c.Do(req)
	if err != nil {
		ts.t.Fatal(err)
	}
	ts.t.Cleanup(func() { res.Body.Close() })
	return res
}

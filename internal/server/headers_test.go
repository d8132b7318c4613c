package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/ofsted/focusedvisits/internal/user"
)

// TestHeadersOnEveryPage GETs every GET route, as a role allowed to use it,
// with real ids, and checks the security headers and cookie flags on each
// answer, over http and over https.
func TestHeadersOnEveryPage(t *testing.T) {
	t.Parallel()
	for _, base := range []string{"http://localhost:8080", "https://focused-visits.example.gov.uk"} {
		t.Run(base, func(t *testing.T) {
			t.Parallel()
			w := newWorld(t, map[string]string{"BASE_URL": base})
			secure := strings.HasPrefix(base, "https:")
			order := []user.Role{user.LeadInspector, user.Admin, user.CafcassCEO, user.QAM, user.TeamInspector, user.SAO, user.CafcassDeputy}
			n := 0
			err := chi.Walk(w.ts.App.Router(), func(method, pattern string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
				if method != http.MethodGet {
					return nil
				}
				n++
				p := w.path(t, pattern)
				if pattern == "/assets/*" {
					p = "/assets/govuk-frontend.min.css"
				}
				c := w.ts.client()
				if access, ok := w.ts.App.AccessFor(method, pattern); ok && !access.Public {
					for _, r := range order {
						if access.Allows(r) {
							c = w.clients[r]
							break
						}
					}
				}
				res := w.ts.get(c, p)
				if res.StatusCode >= 500 {
					t.Errorf("%s: status %d", p, res.StatusCode)
				}
				h := res.Header
				csp := h.Get("Content-Security-Policy")
				if csp == "" || strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") || !strings.Contains(csp, "frame-ancestors 'none'") {
					t.Errorf("%s: Content-Security-Policy %q", p, csp)
				}
				if h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Referrer-Policy") == "" {
					t.Errorf("%s: X-Content-Type-Options %q, Referrer-Policy %q", p, h.Get("X-Content-Type-Options"), h.Get("Referrer-Policy"))
				}
				if secure != (h.Get("Strict-Transport-Security") != "") {
					t.Errorf("%s: Strict-Transport-Security %q over %s", p, h.Get("Strict-Transport-Security"), base)
				}
				for _, ck := range res.Cookies() {
					if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Secure != secure {
						t.Errorf("%s: cookie %s HttpOnly=%v SameSite=%v Secure=%v", p, ck.Name, ck.HttpOnly, ck.SameSite, ck.Secure)
					}
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if n < 30 {
				t.Errorf("walked only %d GET routes", n)
			}
		})
	}
}

// TestSignOut_EveryRole: for every role, a session ends on sign-out and its
// old cookie no longer works.
func TestSignOut_EveryRole(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	u, _ := url.Parse(ts.URL)
	for _, r := range user.Roles {
		ts.addUser(r, string(r)+"@example.gov.uk")
		c := ts.signIn(string(r) + "@example.gov.uk")
		old := c.Jar.Cookies(u)
		if res := ts.post(c, "/sign-out", nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: sign out %d", r, res.StatusCode)
		}
		stale := ts.client()
		stale.Jar.SetCookies(u, old)
		if res := ts.get(stale, "/"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/sign-in") {
			t.Errorf("%s: old session after sign-out: %d %q", r, res.StatusCode, res.Header.Get("Location"))
		}
	}
}

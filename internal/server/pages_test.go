package server_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/ofsted/focusedvisits/internal/htmltest"
	"github.com/ofsted/focusedvisits/internal/user"
)

// TestPages is the route smoke table: every GET page, as a role that may see
// it, answers with its status and h1 and the GOV.UK template's essentials.
func TestPages(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	ts.addUser(user.Admin, "admin@example.gov.uk")
	ts.addUser(user.CafcassCEO, "ceo@example.gov.uk")
	admin := ts.signIn("admin@example.gov.uk")
	ceo := ts.signIn("ceo@example.gov.uk")
	for _, tc := range []struct {
		client *http.Client
		path   string
		status int
		h1     string
	}{
		{ts.client(), "/sign-in", 200, "Sign in to Focused visits"},
		{ts.client(), "/accessibility", 200, "Accessibility statement for Focused visits"},
		{admin, "/", 200, "Test admin"},
		{admin, "/users", 200, "Users"},
		{admin, "/admin/children-data-views", 200, "Who viewed children's data"},
		{admin, "/admin/jobs", 200, "Scheduled jobs"},
		{ceo, "/admin/jobs", 403, "You do not have permission to see this page"},
		{admin, "/accessibility", 200, "Accessibility statement for Focused visits"},
		{ceo, "/", 200, "Test cafcass_ceo"},
		{ceo, "/users", 403, "You do not have permission to see this page"},
		{ceo, "/admin/children-data-views", 403, "You do not have permission to see this page"},
		{admin, "/users/invite", 200, "Invite a person"},
		{admin, "/users/changes", 200, "Record of changes to people"},
		{admin, "/account", 200, "Your account"},
		{ceo, "/account", 200, "Your account"},
		{ceo, "/account/recovery-codes", 200, "Your recovery codes"},
		{ts.client(), "/forgot-password", 200, "Reset your password"},
		{ts.client(), "/invitations/no-such-token", 404, "This link does not work"},
		{ts.client(), "/reset-password/no-such-token", 404, "This link does not work"},
		{admin, "/no-such-page", 404, "Page not found"},
		{ts.client(), "/no-such-page", 404, "Page not found"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			res := ts.get(tc.client, tc.path)
			if res.StatusCode != tc.status {
				t.Fatalf("status %d, want %d", res.StatusCode, tc.status)
			}
			doc := parse(t, res)
			htmltest.CheckPage(t, doc)
			if got := htmltest.Text(doc.Find("h1")); got != tc.h1 {
				t.Errorf("h1 %q, want %q", got, tc.h1)
			}
		})
	}
}

func TestSignedOutRequestsGoToSignIn(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	for path, want := range map[string]string{"/": "/sign-in", "/users": "/sign-in?next=%2Fusers"} {
		res := ts.get(ts.client(), path)
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != want {
			t.Errorf("%s: %d %q, want 303 %q", path, res.StatusCode, res.Header.Get("Location"), want)
		}
	}
	for _, path := range []string{"/healthz", "/readyz", "/assets/govuk-frontend.min.css", "/sign-in"} {
		if res := ts.get(ts.client(), path); res.StatusCode == http.StatusSeeOther {
			t.Errorf("%s redirected a signed-out visitor", path)
		}
	}
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	res := ts.get(ts.client(), "/sign-in")
	csp := res.Header.Get("Content-Security-Policy")
	if csp == "" || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("Content-Security-Policy %q", csp)
	}
	m := regexp.MustCompile(`'nonce-([^']+)'`).FindStringSubmatch(csp)
	if m == nil {
		t.Fatalf("no nonce in %q", csp)
	}
	doc := parse(t, res)
	doc.Find("script").Each(func(_ int, s *goquery.Selection) {
		src, hasSrc := s.Attr("src")
		nonce, _ := s.Attr("nonce")
		if !hasSrc && nonce != m[1] {
			t.Errorf("inline script without the response's nonce: %q", s.Text())
		}
		if hasSrc && !strings.HasPrefix(src, "/assets/") {
			t.Errorf("script from %q", src)
		}
	})
	for h, want := range map[string]string{
		"X-Content-Type-Options": "nosniff",
		"Referrer-Policy":        "same-origin",
		"X-Frame-Options":        "DENY",
	} {
		if got := res.Header.Get(h); got != want {
			t.Errorf("%s: %q, want %q", h, got, want)
		}
	}
	if res.Header.Get("Strict-Transport-Security") != "" {
		t.Error("HSTS sent over http")
	}
	if res.Header.Get("X-Request-Id") == "" {
		t.Error("no request id")
	}
}

func TestSessionCookie(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		baseURL    string
		wantSecure bool
	}{{"http://localhost:8080", false}, {"https://focused-visits.example.gov.uk", true}} {
		ts := newTestServer(t, map[string]string{"BASE_URL": tc.baseURL})
		ts.addUser(user.SAO, "sao@example.gov.uk")
		res := ts.post(ts.client(), "/sign-in", url.Values{"email": {"sao@example.gov.uk"}, "password": {testPassword}})
		var found bool
		for _, c := range res.Cookies() {
			found = true
			if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure != tc.wantSecure {
				t.Errorf("%s: cookie %s HttpOnly=%v SameSite=%v Secure=%v", tc.baseURL, c.Name, c.HttpOnly, c.SameSite, c.Secure)
			}
		}
		if !found {
			t.Errorf("%s: no session cookie", tc.baseURL)
		}
		if tc.wantSecure && res.Header.Get("Strict-Transport-Security") == "" {
			t.Errorf("%s: no HSTS", tc.baseURL)
		}
	}
}

func TestCrossOriginPostsAreRefused(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	ts.addUser(user.Admin, "admin@example.gov.uk")
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/sign-in", strings.NewReader(url.Values{"email": {"admin@example.gov.uk"}, "password": {testPassword}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	res, err := ts.client().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site POST: status %d, want 403", res.StatusCode)
	}
}

func TestAssetsAreCachedByHash(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	doc := parse(t, ts.get(ts.client(), "/sign-in"))
	href, _ := doc.Find(`link[rel="stylesheet"]`).First().Attr("href")
	if !strings.Contains(href, "?v=") {
		t.Fatalf("assets not built (stylesheet href %q): run make assets, or make test, which builds them", href)
	}
	res := ts.get(ts.client(), href)
	if res.StatusCode != 200 || !strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
		t.Errorf("%s: %d %q", href, res.StatusCode, res.Header.Get("Cache-Control"))
	}
	res = ts.get(ts.client(), "/assets/govuk-frontend.min.css?v=stale")
	if strings.Contains(res.Header.Get("Cache-Control"), "immutable") {
		t.Error("a stale hash was cached for a year")
	}
	if res := ts.get(ts.client(), "/assets/fonts/"); res.StatusCode != 404 {
		t.Errorf("directory listing: %d", res.StatusCode)
	}
}

func TestHealth(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	for _, p := range []string{"/healthz", "/readyz"} {
		if res := ts.get(ts.client(), p); res.StatusCode != 200 {
			t.Errorf("%s: %d", p, res.StatusCode)
		}
	}
}

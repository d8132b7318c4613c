package server_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/ofsted/focusedvisits/internal/htmltest"
	"github.com/ofsted/focusedvisits/internal/user"
)

func TestSignIn(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	ts.addUser(user.LeadInspector, "lead@example.gov.uk")

	t.Run("blank form shows the error summary and keeps what was typed", func(t *testing.T) {
		res := ts.post(ts.client(), "/sign-in", url.Values{"email": {""}, "password": {""}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", res.StatusCode)
		}
		doc := parse(t, res)
		htmltest.CheckPage(t, doc)
		if got, want := htmltest.ErrorSummaryLinks(doc), []string{"#email", "#password"}; !slices.Equal(got, want) {
			t.Errorf("error summary links %v, want %v", got, want)
		}
		if !strings.HasPrefix(doc.Find("title").Text(), "Error: ") {
			t.Errorf("title %q does not start with Error:", doc.Find("title").Text())
		}
	})

	t.Run("wrong password is refused without saying which part was wrong", func(t *testing.T) {
		res := ts.post(ts.client(), "/sign-in", url.Values{"email": {"lead@example.gov.uk"}, "password": {"not the password"}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("status %d, want 422", res.StatusCode)
		}
		doc := parse(t, res)
		if got := htmltest.Text(doc.Find(".govuk-error-summary__list")); got != "Enter a correct email address and password" {
			t.Errorf("error %q", got)
		}
		if v, _ := doc.Find("#email").Attr("value"); v != "lead@example.gov.uk" {
			t.Errorf("email field kept %q", v)
		}
		if v, _ := doc.Find("#password").Attr("value"); v != "" {
			t.Errorf("password field echoed %q", v)
		}
	})

	t.Run("right password signs in, whatever the case of the email", func(t *testing.T) {
		c := ts.client()
		res := ts.post(c, "/sign-in", url.Values{"email": {"LEAD@Example.gov.uk"}, "password": {testPassword}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
			t.Fatalf("status %d location %q, want 303 /", res.StatusCode, res.Header.Get("Location"))
		}
		doc := parse(t, ts.get(c, "/"))
		if got := htmltest.Text(doc.Find(`[data-testid="signed-in-user"]`)); got != "Test lead_inspector" {
			t.Errorf("header shows user %q", got)
		}
	})

	t.Run("returns to the page asked for, but never off the site", func(t *testing.T) {
		for next, want := range map[string]string{"/users": "/users", "//evil.example/": "/", "https://evil.example/": "/", "/\\evil": "/"} {
			res := ts.post(ts.client(), "/sign-in", url.Values{"email": {"lead@example.gov.uk"}, "password": {testPassword}, "next": {next}})
			if got := res.Header.Get("Location"); got != want {
				t.Errorf("next=%q: redirected to %q, want %q", next, got, want)
			}
		}
	})
}

func TestSignIn_LockOut(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, map[string]string{"SIGN_IN_MAX_FAILURES": "5", "SIGN_IN_LOCKOUT": "15m"})
	ts.addUser(user.QAM, "qam@example.gov.uk")
	for i := range 5 {
		res := ts.post(ts.client(), "/sign-in", url.Values{"email": {"qam@example.gov.uk"}, "password": {"wrong"}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("attempt %d: status %d, want 422", i+1, res.StatusCode)
		}
	}
	res := ts.post(ts.client(), "/sign-in", url.Values{"email": {"qam@example.gov.uk"}, "password": {testPassword}})
	if res.StatusCode != http.StatusTooManyRequests {
		t.Fatalf("right password after 5 failures: status %d, want 429", res.StatusCode)
	}
	if res.Header.Get("Retry-After") == "" {
		t.Error("no Retry-After header")
	}
	doc := parse(t, res)
	if got := htmltest.Text(doc.Find(".govuk-error-summary__list")); !strings.Contains(got, "wrong password too many times") || !strings.Contains(got, "15 minutes") {
		t.Errorf("lock-out message %q", got)
	}

	// Another account from elsewhere is unaffected.
	ts.addUser(user.SAO, "sao@example.gov.uk")
	if res := ts.post(ts.client(), "/sign-in", url.Values{"email": {"sao@example.gov.uk"}, "password": {testPassword}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("other account: status %d, want 303", res.StatusCode)
	}

	// Once the lock-out has passed, the right password works again.
	ts.advance(16 * 60)
	if res := ts.post(ts.client(), "/sign-in", url.Values{"email": {"qam@example.gov.uk"}, "password": {testPassword}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("after the lock-out: status %d, want 303", res.StatusCode)
	}
}

func TestSignOut_EndsTheSession(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	ts.addUser(user.TeamInspector, "team@example.gov.uk")
	c := ts.signIn("team@example.gov.uk")
	u, _ := url.Parse(ts.URL)
	old := c.Jar.Cookies(u)

	res := ts.post(c, "/sign-out", nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/sign-in" {
		t.Fatalf("sign out: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	doc := parse(t, ts.get(c, "/sign-in"))
	if got := htmltest.Text(doc.Find(".govuk-notification-banner")); !strings.Contains(got, "You have signed out") {
		t.Errorf("no sign-out confirmation: %q", got)
	}
	// The old session cookie no longer works.
	stale := ts.client()
	stale.Jar.SetCookies(u, old)
	if res := ts.get(stale, "/"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("old session after sign-out: status %d, want 303 to sign-in", res.StatusCode)
	}
}

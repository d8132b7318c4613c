package server_test

import (
	"context"
	"net/http"
	"net/url"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/ofsted/focusedvisits/internal/user"
)

// TestSignedOut_StoresNoSession: requests from someone who is not signed in
// never create a stored session, whatever public route they use, with or
// without a made-up session cookie; signing out of nothing stores nothing
// either, and the sign-out confirmation still shows.
func TestSignedOut_StoresNoSession(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	ts.addUser(user.LeadInspector, "lead@example.gov.uk")
	sessions := func() int {
		t.Helper()
		var n int
		if err := ts.Pool.QueryRow(context.Background(), `SELECT count(*) FROM sessions`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}

	type route struct{ method, pattern string }
	var public []route
	err := chi.Walk(ts.App.Router(), func(method, pattern string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if a, ok := ts.App.AccessFor(method, pattern); ok && a.Public {
			public = append(public, route{method, pattern})
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(public) < 5 {
		t.Fatalf("only %d public routes", len(public))
	}
	u, _ := url.Parse(ts.URL)
	for _, rt := range public {
		for i := range 100 {
			c := ts.client()
			if i%2 == 1 {
				c.Jar.SetCookies(u, []*http.Cookie{{Name: "focusedvisits_session", Value: "made-up-token-" + rt.pattern}})
			}
			ts.do(c, rt.method, samplePath(rt.pattern))
		}
	}
	// A wrong password, and a page that needs signing in, signed out.
	ts.post(ts.client(), "/sign-in", url.Values{"email": {"lead@example.gov.uk"}, "password": {"not the password"}})
	ts.get(ts.client(), "/visits/1")
	if n := sessions(); n != 0 {
		t.Fatalf("%d stored sessions after signed-out requests to %d public routes, want 0", n, len(public))
	}

	// Signing out of nothing still says so, and stores nothing.
	c := ts.client()
	res := ts.post(c, "/sign-out", nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/sign-in" {
		t.Fatalf("sign out: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	if got := parse(t, ts.get(c, "/sign-in")).Find(".govuk-notification-banner").Text(); got == "" {
		t.Error("no sign-out confirmation")
	}
	if n := sessions(); n != 0 {
		t.Errorf("%d stored sessions after signing out of nothing, want 0", n)
	}

	// Signing in stores one; signing out removes it and stores none.
	c = ts.signIn("lead@example.gov.uk")
	if n := sessions(); n != 1 {
		t.Errorf("%d stored sessions after signing in, want 1", n)
	}
	ts.post(c, "/sign-out", nil)
	if n := sessions(); n != 0 {
		t.Errorf("%d stored sessions after signing out, want 0", n)
	}
}

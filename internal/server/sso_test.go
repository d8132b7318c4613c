package server_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/zitadel/oidc/v3/example/server/exampleop"
	"github.com/zitadel/oidc/v3/example/server/storage"
	"github.com/zitadel/oidc/v3/pkg/op"
)

// providerUsers are the people the test's OpenID provider knows.
type providerUsers map[string]*storage.User

func (u providerUsers) GetUserByID(id string) *storage.User { return u[id] }
func (u providerUsers) GetUserByUsername(name string) *storage.User {
	for _, p := range u {
		if p.Username == name {
			return p
		}
	}
	return nil
}
func (u providerUsers) ExampleClientID() string { return "service" }

// trickStorage is zitadel's example storage, which can be told to issue the
// next ID tokens for another audience or with another nonce.
type trickStorage struct {
	*storage.Storage
	mu              sync.Mutex
	audience, nonce string
}

func (s *trickStorage) trick(audience, nonce string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.audience, s.nonce = audience, nonce
}

func (s *trickStorage) AuthRequestByCode(ctx context.Context, code string) (op.AuthRequest, error) {
	ar, err := s.Storage.AuthRequestByCode(ctx, code)
	if err != nil {
		return ar, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return &trickRequest{AuthRequest: ar, audience: s.audience, nonce: s.nonce}, nil
}

// trickRequest is an authorisation request as the provider reads it back
// for the token: with the audience trick, the code is checked as the
// service's (the first question of its client), then the ID token is made
// for another client alone, as a provider that mixed up its clients would.
type trickRequest struct {
	op.AuthRequest
	audience, nonce string
	asked           int
}

func (r *trickRequest) GetClientID() string {
	r.asked++
	if r.audience != "" && r.asked > 1 {
		return r.audience
	}
	return r.AuthRequest.GetClientID()
}

func (r *trickRequest) GetAudience() []string {
	if r.audience != "" {
		return []string{r.audience}
	}
	return r.AuthRequest.GetAudience()
}

func (r *trickRequest) GetNonce() string {
	if r.nonce != "" {
		return r.nonce
	}
	return r.AuthRequest.GetNonce()
}

// startProvider runs a real OpenID Connect provider (zitadel/oidc's op, with
// its example login page) that knows one client, the service.
func startProvider(t *testing.T) (string, *trickStorage) {
	t.Helper()
	var h http.Handler
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { h.ServeHTTP(w, r) }))
	t.Cleanup(srv.Close)
	people := providerUsers{}
	for _, p := range []struct{ id, email string }{
		{"lead", "lead@ofsted.example"}, {"outsider", "someone@elsewhere.example"},
		{"nobody", "nobody@ofsted.example"}, {"deputy", "deputy@ofsted.example"},
	} {
		people[p.id] = &storage.User{ID: p.id, Username: p.id, Password: "verysecure", FirstName: p.id, Email: p.email, EmailVerified: true}
	}
	st := &trickStorage{Storage: storage.NewStorageWithClients(people, map[string]*storage.Client{
		"focusedvisits": storage.WebClient("focusedvisits", "client secret", "http://localhost:8080/sign-in/sso/callback"),
	})}
	h = exampleop.SetupServer(srv.URL, st, slog.New(slog.DiscardHandler), false)
	return srv.URL, st
}

// ssoSignIn signs in at the provider as username, from the service's
// "Sign in with your Ofsted account", and returns the service's answer to
// the provider's redirect back.
func ssoSignIn(t *testing.T, ts *testServer, issuer, username string) (*http.Client, *http.Response) {
	t.Helper()
	c := ts.client()
	res := ts.get(c, "/sign-in/sso?next=%2Fcalendar")
	auth := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(auth, issuer) {
		t.Fatalf("start: %d %s", res.StatusCode, auth)
	}
	q, _ := url.Parse(auth)
	if q.Query().Get("code_challenge_method") != "S256" || q.Query().Get("state") == "" || q.Query().Get("nonce") == "" {
		t.Fatalf("authorisation request without PKCE, state or nonce: %s", auth)
	}
	jar, _ := cookiejar.New(nil)
	at := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	follow := func(res *http.Response, err error) *url.URL {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		loc, err := res.Request.URL.Parse(res.Header.Get("Location"))
		if err != nil || res.StatusCode/100 != 3 {
			t.Fatalf("provider: %d %v", res.StatusCode, err)
		}
		return loc
	}
	login := follow(at.Get(auth))
	back := follow(at.PostForm(issuer+"/login/username", url.Values{"id": {login.Query().Get("authRequestID")}, "username": {username}, "password": {"verysecure"}}))
	callback := follow(at.Get(back.String()))
	if callback.Path != "/sign-in/sso/callback" {
		t.Fatalf("the provider sent the browser to %s", callback)
	}
	return c, ts.get(c, callback.RequestURI())
}

// TestSingleSignOn: Ofsted staff sign in through a real OpenID Connect
// provider (authorisation code with PKCE, state and nonce); an ID token for
// another audience or with another nonce, an email outside the allowed
// domain, someone never invited, a Cafcass account and a callback in another
// browser are each refused.
func TestSingleSignOn(t *testing.T) {
	t.Parallel()
	issuer, provider := startProvider(t)
	ts := newTestServer(t, map[string]string{"OIDC_ISSUER": issuer, "OIDC_CLIENT_ID": "focusedvisits",
		"OIDC_CLIENT_SECRET": "client secret", "OIDC_ALLOWED_DOMAIN": "ofsted.example", "REQUIRE_TWO_FACTOR": "true"})
	ts.addUser(user.LeadInspector, "lead@ofsted.example")
	ts.addUser(user.CafcassDeputy, "deputy@ofsted.example")
	if !strings.Contains(readAll(t, ts.get(ts.client(), "/sign-in").Body), "Sign in with your Ofsted account") {
		t.Error("the sign-in page does not offer single sign-on")
	}

	c, res := ssoSignIn(t, ts, issuer, "lead")
	wantStatus(t, res, http.StatusSeeOther, "single sign-on")
	if loc := res.Header.Get("Location"); loc != "/calendar" {
		t.Errorf("after single sign-on: %s, want /calendar", loc)
	}
	if got := strings.TrimSpace(parse(t, ts.get(c, "/")).Find("h1").Text()); got != "Test lead_inspector" {
		t.Errorf("start page h1 %q", got)
	}

	for _, tc := range []struct {
		name, username, audience, nonce, want string
	}{
		{"an ID token for another audience", "lead", "someone-else", "", "Single sign-on did not work"},
		{"an ID token with another nonce", "lead", "", "not-the-nonce", "Single sign-on did not work"},
		{"an email outside the allowed domain", "outsider", "", "", "for ofsted.example accounts"},
		{"someone never invited", "nobody", "", "", "ask your service administrator to invite you"},
		{"a Cafcass account", "deputy", "", "", "Cafcass accounts sign in with their email address"},
	} {
		provider.trick(tc.audience, tc.nonce)
		c, res := ssoSignIn(t, ts, issuer, tc.username)
		if b := wantStatus(t, res, http.StatusForbidden, tc.name); !strings.Contains(b, tc.want) {
			t.Errorf("%s: %s", tc.name, summaryOf(b))
		}
		if res := ts.get(c, "/"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("%s: signed in anyway", tc.name)
		}
	}
	provider.trick("", "")

	// The provider's answer taken to another browser: no state there.
	_, replay := ssoSignIn(t, ts, issuer, "lead")
	wantStatus(t, ts.get(ts.client(), "/sign-in/sso/callback?"+replay.Request.URL.RawQuery), http.StatusBadRequest, "the callback in another browser")
}

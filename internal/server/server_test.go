package server_test

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/ofsted/focusedvisits/internal/config"
	"github.com/ofsted/focusedvisits/internal/dbtest"
	"github.com/ofsted/focusedvisits/internal/htmltest"
	"github.com/ofsted/focusedvisits/internal/jobs"
	"github.com/ofsted/focusedvisits/internal/mailer"
	"github.com/ofsted/focusedvisits/internal/server"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/user"
)

// testServer is the real handler over a fresh database, behind httptest.
type testServer struct {
	*httptest.Server
	t     *testing.T
	Store *store.Store
	App   *server.Server
	Cfg   config.Config
	// Pool is the test database, for tests that check every table.
	Pool *pgxpool.Pool
	// offset moves the server's clock forward, in seconds.
	offset atomic.Int64
}

// now is the server's clock.
func (ts *testServer) now() time.Time {
	return time.Now().Add(time.Duration(ts.offset.Load()) * time.Second)
}

// runJobs runs the scheduled jobs due at the server's clock, as the
// service's job runner does on the hour (internal/jobs), and returns what
// they did.
func (ts *testServer) runJobs() []jobs.Worked {
	ts.t.Helper()
	worked, err := jobs.RunDue(context.Background(), ts.jobsConfig())
	if err != nil {
		ts.t.Fatalf("jobs: %v", err)
	}
	return worked
}

// jobsConfig is the jobs as the service runs them, on the server's clock,
// with its mail server when one is set.
func (ts *testServer) jobsConfig() jobs.Config {
	ts.t.Helper()
	cfg := jobs.Config{Store: ts.Store, Now: ts.now, Retention: ts.Cfg.ChildDataRetention,
		MailAttempts: ts.Cfg.SMTP.MaxAttempts, ReminderWorkingDays: ts.Cfg.ReminderWorkingDays}
	if ts.Cfg.SMTP.Enabled() {
		m, err := mailer.New(ts.Cfg.SMTP, ts.Cfg.BaseURL.Hostname())
		if err != nil {
			ts.t.Fatal(err)
		}
		cfg.Mailer = m
	}
	return cfg
}

// advance moves the server's clock forward.
func (ts *testServer) advance(seconds int64) { ts.offset.Add(seconds) }

// testPassword is every seeded user's password.
const testPassword = "correct horse battery staple"

func newTestServer(t *testing.T, env map[string]string) *testServer {
	t.Helper()
	return newTestServerOn(t, env, dbtest.New(t))
}

// newTestServerOn is newTestServer over a pool the test made (with a
// tracer, say) on a fresh test database.
func newTestServerOn(t *testing.T, env map[string]string, pool *pgxpool.Pool) *testServer {
	t.Helper()
	cfg, err := config.Load(func(k string) string {
		if v, ok := env[k]; ok {
			return v
		}
		switch k {
		// Two-factor is off in the test server unless a test turns it on
		// (two_factor_test.go), so that signIn's password alone signs in.
		case "REQUIRE_TWO_FACTOR":
			return "false"
		// Tests move the server's clock by days and months: a session
		// ends by the idle timeout only in a test that sets one.
		case "SESSION_IDLE_TIMEOUT", "SESSION_LIFETIME":
			return "876000h"
		}
		return ""
	})
	if err != nil {
		t.Fatal(err)
	}
	sm := server.NewSessionManager(cfg, pool)
	tsrv := &testServer{t: t, Cfg: cfg, Pool: pool}
	st := store.New(pool).WithOutbox(store.Outbox{BaseURL: cfg.BaseURL.String(), Now: tsrv.now})
	tsrv.Store = st
	tsrv.App = server.New(server.Deps{Config: cfg, Store: st, Sessions: sm, Now: tsrv.now})
	tsrv.Server = httptest.NewServer(tsrv.App)
	t.Cleanup(tsrv.Server.Close)
	return tsrv
}

// addUser creates a user with testPassword.
func (ts *testServer) addUser(role user.Role, email string) user.User {
	ts.t.Helper()
	hash, err := user.HashPassword(testPassword)
	if err != nil {
		ts.t.Fatal(err)
	}
	u, err := ts.Store.CreateUser(context.Background(), user.New{Email: email, Name: "Test " + string(role), Role: role}, hash)
	if err != nil {
		ts.t.Fatal(err)
	}
	return u
}

// visitPath is the path of the visit's page: /visits/ and its public id.
func (ts *testServer) visitPath(id int64) string {
	ts.t.Helper()
	d, err := ts.Store.GetVisit(context.Background(), id)
	if err != nil {
		ts.t.Fatal(err)
	}
	return "/visits/" + d.PublicID
}

// client is a browser-like client with its own cookies that does not follow
// redirects, so tests can check them.
func (ts *testServer) client() *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{
		Jar: jar,
		// Long enough for a busy CI machine to check a list while others
		// wait for a place (IMPORT_QUEUE_WAIT, 30 s): a test never waits on
		// a hung server past it.
		Timeout:       90 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}
}

// signIn returns a client signed in as the user with the given email.
func (ts *testServer) signIn(email string) *http.Client {
	ts.t.Helper()
	c := ts.client()
	res := ts.post(c, "/sign-in", url.Values{"email": {email}, "password": {testPassword}})
	if res.StatusCode != http.StatusSeeOther {
		ts.t.Fatalf("sign in as %s: status %d, want 303", email, res.StatusCode)
	}
	return c
}

func (ts *testServer) get(c *http.Client, path string) *http.Response {
	ts.t.Helper()
	res, err := c.Get(ts.URL + path)
	if err != nil {
		ts.t.Fatal(err)
	}
	ts.t.Cleanup(func() { res.Body.Close() })
	return res
}

func (ts *testServer) post(c *http.Client, path string, form url.Values) *http.Response {
	ts.t.Helper()
	req, err := http.NewRequest(http.MethodPost, ts.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		ts.t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := c.Do(req)
	if err != nil {
		ts.t.Fatal(err)
	}
	ts.t.Cleanup(func() { res.Body.Close() })
	return res
}

func parse(t *testing.T, res *http.Response) *goquery.Document {
	t.Helper()
	return htmltest.Parse(t, res.Body)
}

func readAll(t *testing.T, r io.Reader) string {
	t.Helper()
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

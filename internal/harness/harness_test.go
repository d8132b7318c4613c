package harness_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/dbtest"

	"github.com/jackc/pgx/v5"

	"github.com/ofsted/focusedvisits/internal/harness"
)

// TestMain lets the test binary stand in for the service: run with
// HARNESS_FAKE set, it serves a few routes on $ADDR, the way the real one
// would, until SIGTERM, and exits 0 (or at once with status 3 when
// HARNESS_FAKE=die).
func TestMain(m *testing.M) {
	switch os.Getenv("HARNESS_FAKE") {
	case "":
		os.Exit(m.Run())
	case "die":
		os.Exit(3)
	}
	fakeService()
}

func fakeService() {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /readyz", func(w http.ResponseWriter, r *http.Request) {})
	mux.HandleFunc("POST /sign-in", func(w http.ResponseWriter, r *http.Request) {
		if r.FormValue("password") != "right" {
			w.WriteHeader(http.StatusUnprocessableEntity)
			return
		}
		http.SetCookie(w, &http.Cookie{Name: "session", Value: r.FormValue("email")})
		http.Redirect(w, r, "/", http.StatusSeeOther)
	})
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		c, err := r.Cookie("session")
		if err != nil {
			http.Redirect(w, r, "/sign-in", http.StatusSeeOther)
			return
		}
		fmt.Fprintf(w, "signed in as %s", c.Value)
	})
	mux.HandleFunc("GET /env/{key}", func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, os.Getenv(r.PathValue("key")))
	})
	srv := &http.Server{Addr: os.Getenv("ADDR"), Handler: mux}
	term := make(chan os.Signal, 1)
	signal.Notify(term, syscall.SIGTERM)
	go func() {
		<-term
		_ = srv.Shutdown(context.Background())
	}()
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Exit(0)
}

// TestService starts the stand-in, checks the environment it was given,
// signs two users in with their own cookies, reads its memory and stops it
// with SIGTERM.
func TestService(t *testing.T) {
	ctx := context.Background()
	svc, err := harness.Start(ctx, harness.ServiceOptions{
		Bin: os.Args[0], DatabaseURL: "postgres:///nowhere",
		Env: []string{"HARNESS_FAKE=serve", "LOG_LEVEL=debug"},
	})
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Kill()
	if !strings.HasPrefix(svc.Base, "http://127.0.0.1:") || svc.Base != "http://"+svc.Addr {
		t.Errorf("base %q, addr %q: want a loopback address", svc.Base, svc.Addr)
	}
	c := harness.NewClient(nil, 5*time.Second)
	for key, want := range map[string]string{"DATABASE_URL": "postgres:///nowhere", "ADDR": svc.Addr, "BASE_URL": svc.Base,
		"MIGRATE_ON_START": "false", "DEMO_DATA": "false", "LOG_LEVEL": "debug", "APP_ENV": "development"} {
		b, status, err := harness.Get(ctx, c, svc.Base+"/env/"+key)
		if err != nil || status != http.StatusOK || string(b) != want {
			t.Errorf("%s = %q (status %d, %v), want %q", key, b, status, err, want)
		}
	}

	a, b := harness.NewClient(nil, 5*time.Second), harness.NewClient(nil, 5*time.Second)
	if err := harness.SignIn(ctx, a, svc.Base, "a@example", "right"); err != nil {
		t.Fatal(err)
	}
	if err := harness.SignIn(ctx, b, svc.Base, "b@example", "right"); err != nil {
		t.Fatal(err)
	}
	if err := harness.SignIn(ctx, harness.NewClient(nil, 0), svc.Base, "c@example", "wrong"); err == nil || !strings.Contains(err.Error(), "status 422") {
		t.Errorf("a wrong password: %v, want status 422 named", err)
	}
	for c, want := range map[*http.Client]string{a: "signed in as a@example", b: "signed in as b@example"} {
		body, status, err := harness.Get(ctx, c, svc.Base+"/")
		if err != nil || status != http.StatusOK || string(body) != want {
			t.Errorf("GET /: %d %q %v, want %q", status, body, err, want)
		}
	}
	if status, err := harness.Status(ctx, harness.NewClient(nil, 0), svc.Base+"/"); err != nil || status != http.StatusSeeOther {
		t.Errorf("GET / without a session: %d %v, want 303 (redirects not followed)", status, err)
	}

	rss, err := harness.RSS(svc.PID())
	if err != nil {
		t.Fatal(err)
	}
	peak, err := harness.PeakRSS(svc.PID())
	if err != nil {
		t.Fatal(err)
	}
	if rss <= 0 || peak < rss {
		t.Errorf("RSS %d, peak %d: want a positive RSS at most the peak", rss, peak)
	}

	if err := svc.Err(); err == nil {
		t.Error("Err while running: nil, want an error")
	}
	if err := svc.Stop(10 * time.Second); err != nil {
		t.Errorf("Stop: %v, want exit status 0", err)
	}
	select {
	case <-svc.Exited():
	default:
		t.Error("Exited not closed after Stop")
	}
	if err := svc.Stop(time.Second); err != nil {
		t.Errorf("Stop again: %v", err)
	}
}

// TestServiceExitsEarly checks Start fails, naming the exit, when the
// process ends before it is ready, and when there is no binary.
func TestServiceExitsEarly(t *testing.T) {
	ctx := context.Background()
	_, err := harness.Start(ctx, harness.ServiceOptions{Bin: os.Args[0], Env: []string{"HARNESS_FAKE=die"}, LogFile: t.TempDir() + "/service.log"})
	if err == nil || !strings.Contains(err.Error(), "exited before it was ready") || !strings.Contains(err.Error(), "exit status 3") {
		t.Errorf("Start of a process that exits: %v", err)
	}
	if _, err := harness.Start(ctx, harness.ServiceOptions{Bin: t.TempDir() + "/none"}); err == nil || !strings.Contains(err.Error(), "no service binary") {
		t.Errorf("Start without a binary: %v", err)
	}
}

func TestServerURL(t *testing.T) {
	env := func(v string) func(string) string {
		return func(k string) string {
			if k == "TEST_DATABASE_URL" {
				return v
			}
			return ""
		}
	}
	ctx := context.Background()
	if got, err := harness.ServerURL(ctx, "postgres://flag/x", env("postgres://env/y"), nil); err != nil || got != "postgres://flag/x" {
		t.Errorf("with a flag: %q %v", got, err)
	}
	if got, err := harness.ServerURL(ctx, "", env("postgres://env/y"), nil); err != nil || got != "postgres://env/y" {
		t.Errorf("with TEST_DATABASE_URL: %q %v", got, err)
	}
}

// TestDatabase creates a throwaway database on the test server, checks it
// is migrated, and drops it.
func TestDatabase(t *testing.T) {
	serverURL := dbtest.ServerURL(t)
	ctx := context.Background()
	if _, err := harness.CreateDatabase(ctx, serverURL, "bad-name; DROP"); err == nil {
		t.Error("a prefix that is not an identifier: no error")
	}
	if _, err := harness.CreateDatabase(ctx, "mysql://x", "focusedvisits_harness"); err == nil {
		t.Error("a URL that is not postgres://: no error")
	}
	db, err := harness.CreateDatabase(ctx, serverURL, "focusedvisits_harness")
	if err != nil {
		t.Fatal(err)
	}
	dropped := false
	defer func() {
		if !dropped {
			_ = db.Drop(ctx)
		}
	}()
	if !strings.HasPrefix(db.Name, "focusedvisits_harness_") || len(db.Name) != len("focusedvisits_harness_")+8 {
		t.Errorf("name %q", db.Name)
	}
	c, err := pgx.Connect(ctx, db.URL)
	if err != nil {
		t.Fatal(err)
	}
	var name string
	var users int
	err = c.QueryRow(ctx, `SELECT current_database(), (SELECT count(*) FROM users)`).Scan(&name, &users)
	c.Close(ctx)
	if err != nil || name != db.Name || users != 0 {
		t.Fatalf("in %s: database %q, %d users, %v: want the new, migrated, empty database", db.URL, name, users, err)
	}
	if err := db.Drop(ctx); err != nil {
		t.Fatal(err)
	}
	dropped = true
	admin, err := pgx.Connect(ctx, serverURL)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close(ctx)
	var n int
	if err := admin.QueryRow(ctx, `SELECT count(*) FROM pg_database WHERE datname = $1`, db.Name).Scan(&n); err != nil || n != 0 {
		t.Errorf("after Drop: %d databases named %s (%v)", n, db.Name, err)
	}
}

func TestIsLoopback(t *testing.T) {
	for host, want := range map[string]bool{"localhost": true, "127.0.0.1": true, "::1": true, "10.0.0.1": false, "example.com": false} {
		if got := harness.IsLoopback(host); got != want {
			t.Errorf("IsLoopback(%q) = %v", host, got)
		}
	}
}

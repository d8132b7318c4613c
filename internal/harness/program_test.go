package harness_test

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/dbtest"
	"github.com/ofsted/focusedvisits/internal/harness"
	"github.com/ofsted/focusedvisits/internal/store"
)

// TestFlags: the programs' -bin and -database-url flags, their defaults and
// what they say.
func TestFlags(t *testing.T) {
	fs := flag.NewFlagSet("p", flag.ContinueOnError)
	var bin, db string
	harness.BinFlag(fs, &bin, "when -base is empty")
	harness.DatabaseURLFlag(fs, &db)
	if err := fs.Parse(nil); err != nil || bin != harness.DefaultBin || db != "" {
		t.Errorf("defaults: -bin %q, -database-url %q, %v", bin, db, err)
	}
	if u := fs.Lookup("bin").Usage; u != "the service binary to start when -base is empty (make build)" {
		t.Errorf("-bin says %q", u)
	}
	if err := fs.Parse([]string{"-bin", "x/fv", "-database-url", "postgres:///s"}); err != nil || bin != "x/fv" || db != "postgres:///s" {
		t.Errorf("set: -bin %q, -database-url %q, %v", bin, db, err)
	}
	plain := flag.NewFlagSet("q", flag.ContinueOnError)
	harness.BinFlag(plain, &bin, "")
	if u := plain.Lookup("bin").Usage; u != "the service binary (make build)" {
		t.Errorf("-bin says %q", u)
	}
	if err := harness.CheckBin(os.Args[0]); err != nil {
		t.Errorf("CheckBin of the test binary: %v", err)
	}
	if err := harness.CheckBin(t.TempDir() + "/none"); err == nil || !strings.Contains(err.Error(), "run make build") {
		t.Errorf("CheckBin of nothing: %v", err)
	}
	var b bytes.Buffer
	harness.Logf(&b, "loadtest")("%d users", 3)
	if b.String() != "loadtest: 3 users\n" {
		t.Errorf("log line %q", b.String())
	}
}

// TestSignInAll signs every login in, never more than four at once, and
// names each one refused.
func TestSignInAll(t *testing.T) {
	var mu sync.Mutex
	now, most, total := 0, 0, 0
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		now++
		total++
		most = max(most, now)
		full := now == 4
		mu.Unlock()
		if full {
			// Four are in: let them all through (a fifth at once would
			// raise most above four).
			select {
			case release <- struct{}{}:
			default:
			}
		}
		select {
		case <-release:
		case <-time.After(50 * time.Millisecond):
		}
		mu.Lock()
		now--
		mu.Unlock()
		if r.FormValue("password") != "right" || strings.HasPrefix(r.FormValue("email"), "bad") {
			w.WriteHeader(http.StatusUnprocessableEntity)
			return
		}
		http.Redirect(w, r, "/", http.StatusSeeOther)
	}))
	defer srv.Close()
	var logins []harness.Login
	for i := range 12 {
		email := fmt.Sprintf("user%d@example", i)
		if i == 5 {
			email = "bad5@example"
		}
		logins = append(logins, harness.Login{Client: harness.NewClient(nil, 5*time.Second), Email: email})
	}
	err := harness.SignInAll(context.Background(), srv.URL, "right", logins)
	if err == nil || !strings.Contains(err.Error(), "bad5@example") || strings.Contains(err.Error(), "user4@") {
		t.Errorf("one refused: %v", err)
	}
	if total != 12 || most > 4 {
		t.Errorf("%d sign-ins, at most %d at once: want 12, at most 4", total, most)
	}
	if err := harness.SignInAll(context.Background(), srv.URL, "right", logins[:3]); err != nil {
		t.Errorf("all accepted: %v", err)
	}
}

// TestNewDatabase creates a throwaway database on the server named,
// reaches it through the store, and Close drops it, saying so.
func TestNewDatabase(t *testing.T) {
	ctx := context.Background()
	var log bytes.Buffer
	logf := harness.Logf(&log, "test")
	db, err := harness.NewDatabase(ctx, dbtest.ServerURL(t), nil, "focusedvisits_harness", logf)
	if err != nil {
		t.Fatal(err)
	}
	closed := false
	defer func() {
		if !closed {
			db.Close(logf)
		}
	}()
	var users []int
	err = harness.WithStore(ctx, db.URL, func(st *store.Store) error {
		us, err := st.ListUsers(ctx)
		users = append(users, len(us))
		return err
	})
	if err != nil || len(users) != 1 || users[0] != 0 {
		t.Errorf("through the store: %v users, %v", users, err)
	}
	db.Close(logf)
	closed = true
	if want := "test: dropped the database " + db.Name + "\n"; log.String() != want {
		t.Errorf("log %q, want %q", log.String(), want)
	}
	if err := harness.WithStore(ctx, db.URL, func(st *store.Store) error { _, err := st.ListUsers(ctx); return err }); err == nil {
		t.Error("the database is still there after Close")
	}
}

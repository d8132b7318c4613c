package devdb_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ofsted/focusedvisits/internal/devdb"
)

// clusterDir returns a fresh directory for a throw-away cluster under the
// repository's .data/. Not t.TempDir: when the tests run as root, the cluster
// runs as another user, who cannot enter a 0700 temporary directory; and a
// short path keeps the Unix socket path within its limit.
func clusterDir(t *testing.T, suffix string) string {
	t.Helper()
	root, err := filepath.Abs("../../.data")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(root, 0o755); err != nil {
		t.Fatal(err)
	}
	dir, err := os.MkdirTemp(root, "devdb-test-")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	dir = filepath.Join(dir, suffix)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := devdb.Stop(ctx, dir, t.Logf); err != nil {
			t.Errorf("Stop: %v", err)
		}
		if !t.Failed() {
			os.RemoveAll(filepath.Dir(dir))
		}
	})
	return dir
}

// query connects to databaseURL and returns the result of a one-value query.
func query(t *testing.T, databaseURL, sql string) string {
	t.Helper()
	conn, err := pgx.Connect(t.Context(), databaseURL)
	if err != nil {
		t.Fatalf("connect %s: %v", databaseURL, err)
	}
	defer conn.Close(context.Background())
	var s string
	if err := conn.QueryRow(t.Context(), sql).Scan(&s); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
	return s
}

func TestEnsure(t *testing.T) {
	tests := []struct {
		name     string
		suffix   string // under the cluster directory; a long one forces TCP
		wantHost string // prefix of inet_server_addr() or "" for a socket
	}{
		{name: "unix socket", suffix: "data"},
		{name: "loopback when the socket path is too long", suffix: strings.Repeat("long-", 20), wantHost: "127.0.0.1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			dir := clusterDir(t, tt.suffix)

			begin := time.Now()
			url, err := devdb.Ensure(t.Context(), dir, t.Logf)
			if err != nil {
				t.Fatalf("Ensure: %v", err)
			}
			t.Logf("cold start: %s, URL %s", time.Since(begin), url)
			if got := query(t, url, `SELECT current_database()`); got != devdb.Database {
				t.Errorf("current_database() = %q, want %q", got, devdb.Database)
			}
			if got := query(t, url, `SELECT coalesce(host(inet_server_addr()), '')`); got != tt.wantHost {
				t.Errorf("server address = %q, want %q", got, tt.wantHost)
			}
			pid := query(t, url, `SELECT pg_postmaster_start_time()::text`)

			begin = time.Now()
			again, err := devdb.Ensure(t.Context(), dir, t.Logf)
			if err != nil {
				t.Fatalf("second Ensure: %v", err)
			}
			t.Logf("reuse: %s", time.Since(begin))
			if again != url {
				t.Errorf("second Ensure URL = %q, want %q", again, url)
			}
			if got := query(t, again, `SELECT pg_postmaster_start_time()::text`); got != pid {
				t.Errorf("second Ensure restarted the server (start time %s, was %s)", got, pid)
			}

			if err := devdb.Stop(t.Context(), dir, t.Logf); err != nil {
				t.Fatalf("Stop: %v", err)
			}
			if _, err := pgx.Connect(t.Context(), url); err == nil {
				t.Errorf("connected after Stop")
			}

			// A stopped cluster starts again with its data.
			restarted, err := devdb.Ensure(t.Context(), dir, t.Logf)
			if err != nil {
				t.Fatalf("Ensure after Stop: %v", err)
			}
			if got := query(t, restarted, `SELECT current_database()`); got != devdb.Database {
				t.Errorf("after restart current_database() = %q", got)
			}
		})
	}
}

// TestEnsureConcurrent checks that concurrent callers share one cluster.
func TestEnsureConcurrent(t *testing.T) {
	t.Parallel()
	dir := clusterDir(t, "data")
	const n = 4
	urls := make(chan string, n)
	errs := make(chan error, n)
	for range n {
		go func() {
			url, err := devdb.Ensure(t.Context(), dir, t.Logf)
			urls <- url
			errs <- err
		}()
	}
	var first string
	for range n {
		if err := <-errs; err != nil {
			t.Fatalf("Ensure: %v", err)
		}
		url := <-urls
		if first == "" {
			first = url
		}
		if url != first {
			t.Errorf("URLs differ: %q and %q", first, url)
		}
	}
	query(t, first, `SELECT 'ok'`)
}

package dbtest_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5"
	"github.com/peterldowns/pgtestdb"

	"github.com/ofsted/focusedvisits/internal/dbtest"
)

// TestNew checks that parallel tests each get their own migrated database:
// each writes the same user, which would break the unique e-mail index (or
// show up in the count) if they shared one.
func TestNew(t *testing.T) {
	var (
		mu    sync.Mutex
		names = map[string]bool{}
	)
	t.Run("group", func(t *testing.T) {
		for i := range 4 {
			t.Run(fmt.Sprint(i), func(t *testing.T) {
				t.Parallel()
				begin := time.Now()
				pool := dbtest.New(t)
				t.Logf("database ready in %s", time.Since(begin))
				ctx := t.Context()

				var name string
				if err := pool.QueryRow(ctx, `SELECT current_database()`).Scan(&name); err != nil {
					t.Fatal(err)
				}
				mu.Lock()
				names[name] = true
				mu.Unlock()

				if _, err := pool.Exec(ctx, `INSERT INTO users (email, name, role, password_hash)
					VALUES ('lead@example.gov.uk', 'Lead', 'lead_inspector', 'x')`); err != nil {
					t.Fatalf("insert into the migrated users table: %v", err)
				}
				var n int
				if err := pool.QueryRow(ctx, `SELECT count(*) FROM users`).Scan(&n); err != nil {
					t.Fatal(err)
				}
				if n != 1 {
					t.Errorf("users holds %d rows, want 1 (another test's rows are visible)", n)
				}
			})
		}
	})
	if !t.Failed() && len(names) != 4 {
		t.Errorf("4 tests used %d distinct databases: %v", len(names), names)
	}
}

// TestURL checks that URL names a migrated database that pgx can open.
func TestURL(t *testing.T) {
	t.Parallel()
	url := dbtest.URL(t)
	conn, err := pgx.Connect(t.Context(), url)
	if err != nil {
		t.Fatalf("connect %s: %v", url, err)
	}
	defer conn.Close(context.Background())
	var version int64
	if err := conn.QueryRow(t.Context(), `SELECT max(version_id) FROM goose_db_version`).Scan(&version); err != nil {
		t.Fatal(err)
	}
	if version < 1 {
		t.Errorf("goose version = %d, want migrations applied", version)
	}
}

func TestConfig(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   string
		want pgtestdb.Config
	}{
		{
			name: "private cluster on a Unix socket",
			in:   "postgres:///focusedvisits?host=/work/main/.data/pg-socket&port=5432&user=focusedvisits&sslmode=disable",
			want: pgtestdb.Config{DriverName: "pgx", Host: "localhost", Port: "5432", User: "focusedvisits", Database: "focusedvisits",
				Options: "host=/work/main/.data/pg-socket&sslmode=disable"},
		},
		{
			name: "TCP with a password that needs escaping",
			in:   "postgres://app:p%40ss%3Aw%2Frd@db.example:6543/postgres?sslmode=require&application_name=t",
			want: pgtestdb.Config{DriverName: "pgx", Host: "db.example", Port: "6543", User: "app", Password: "p%40ss%3Aw%2Frd", Database: "postgres",
				Options: "application_name=t&sslmode=require"},
		},
		{
			name: "key=value form",
			in:   "host=127.0.0.1 port=5433 user=postgres password=secret dbname=postgres sslmode=disable",
			want: pgtestdb.Config{DriverName: "pgx", Host: "127.0.0.1", Port: "5433", User: "postgres", Password: "secret", Database: "postgres",
				Options: "sslmode=disable"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := dbtest.Config(tt.in)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("Config(%q) mismatch (-want +got):\n%s", tt.in, diff)
			}
		})
	}
}

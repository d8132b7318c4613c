// Package dbtest gives each test a fresh, fully migrated PostgreSQL database.
//
// It uses pgtestdb: the embedded goose migrations are applied once to a
// template database per schema (advisory-locked, so shared across packages
// and runs), and each test gets a clone of it, dropped when the test passes
// and kept, with its URL logged, when it fails.
//
// The server is the one named by TEST_DATABASE_URL (only the server matters;
// its database is used to connect and create the test databases, so the user
// must be allowed to create roles and databases). When it is unset, dbtest
// starts or reuses the project's private cluster under the repository's
// .data/ (internal/devdb), so a plain `go test ./...` works. A test that asks
// for a database never skips: without one it fails, saying how to get one.
package dbtest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver pgtestdb uses
	"github.com/peterldowns/pgtestdb"
	"github.com/peterldowns/pgtestdb/migrators/goosemigrator"

	"github.com/ofsted/focusedvisits/internal/devdb"
	"github.com/ofsted/focusedvisits/migrations"
)

// howTo ends every "no database" failure.
const howTo = "Tests need PostgreSQL. Run them with `make test`, which starts the project's " +
	"private cluster under .data/ (`go run ./cmd/focusedvisits db`), or set TEST_DATABASE_URL " +
	"to a PostgreSQL server, e.g. TEST_DATABASE_URL=postgres://postgres:secret@localhost:5432/postgres"

// server finds the test server once per test binary: its pgtestdb
// configuration, or why there is none. It is the package's only state, a
// memo of the environment, as pgtestdb itself keeps one of its templates.
var server = sync.OnceValues(func() (pgtestdb.Config, error) {
	serverURL, err := serverAddress()
	if err != nil {
		return pgtestdb.Config{}, err
	}
	return Config(serverURL)
})

// serverAddress is the test server's URL: TEST_DATABASE_URL, or the private
// cluster under .data/, started if need be.
var serverAddress = sync.OnceValues(func() (string, error) {
	serverURL := os.Getenv("TEST_DATABASE_URL")
	if serverURL == "" {
		root, err := repoRoot()
		if err != nil {
			return "", err
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
		defer cancel()
		logf := func(format string, args ...any) {
			fmt.Fprintf(os.Stderr, "dbtest: "+format+"\n", args...)
		}
		if serverURL, err = devdb.Ensure(ctx, filepath.Join(root, ".data"), logf); err != nil {
			return "", fmt.Errorf("TEST_DATABASE_URL is unset and the private cluster under %s/.data did not start: %w", root, err)
		}
	}
	return serverURL, nil
})

// ServerURL is the URL of the test server itself (TEST_DATABASE_URL, or the
// private cluster), for a test that makes and drops databases of its own.
func ServerURL(t testing.TB) string {
	t.Helper()
	u, err := serverAddress()
	if err != nil {
		t.Fatalf("dbtest: %v\n%s", err, howTo)
	}
	return u
}

// New returns a pool connected to a new database, migrated to the current
// schema, for this test alone. The pool is closed and the database dropped
// when the test ends (the database is kept if the test failed).
func New(t testing.TB) *pgxpool.Pool {
	t.Helper()
	pool, err := pgxpool.New(context.Background(), URL(t))
	if err != nil {
		t.Fatalf("dbtest: %v", err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// URL creates a new database, migrated to the current schema, for this test
// alone and returns its connection URL, for tests that need a URL rather than
// a pool (a smoke test through the program's run function, say). Close every
// connection to it before the test ends: it is then dropped.
func URL(t testing.TB) string {
	t.Helper()
	conf, err := server()
	if err != nil {
		t.Fatalf("dbtest: %v\n%s", err, howTo)
	}
	migrator := namedMigrator{goosemigrator.New(".", goosemigrator.WithFS(migrations.FS))}
	return pgtestdb.Custom(t, conf, migrator).URL()
}

// namedMigrator is goose's migrator with the migrations' file names in the
// template's hash as well as their contents: goose records versions by
// number, so a migration renumbered without a change of content must give
// a new template, not one that recorded the old number.
type namedMigrator struct{ *goosemigrator.GooseMigrator }

func (m namedMigrator) Hash() (string, error) {
	h, err := m.GooseMigrator.Hash()
	if err != nil {
		return "", err
	}
	names, err := fs.Glob(migrations.FS, "*.sql")
	if err != nil {
		return "", err
	}
	sum := sha256.Sum256([]byte(strings.Join(names, "\n")))
	return h + "-" + hex.EncodeToString(sum[:8]), nil
}

// Config maps a PostgreSQL connection string (a postgres:// URL or
// key=value pairs, as pgx accepts) to pgtestdb's configuration. pgtestdb
// builds URLs of the form postgres://user:password@host:port/database?options,
// so a Unix socket directory travels as the host option, and user and
// password are escaped here.
func Config(connString string) (pgtestdb.Config, error) {
	pc, err := pgconn.ParseConfig(connString)
	if err != nil {
		return pgtestdb.Config{}, fmt.Errorf("parse TEST_DATABASE_URL: %w", err)
	}
	opts := url.Values{}
	if u, err := url.Parse(connString); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		for k, v := range u.Query() {
			switch k {
			case "host", "hostaddr", "port", "user", "password", "dbname":
			default:
				opts[k] = v
			}
		}
	}
	if !opts.Has("sslmode") {
		switch {
		case pc.TLSConfig == nil:
			opts.Set("sslmode", "disable")
		case len(pc.Fallbacks) == 0:
			opts.Set("sslmode", "require")
		}
	}
	host := pc.Host
	if strings.HasPrefix(host, "/") {
		opts.Set("host", host) // a socket directory: the URL's netloc cannot hold it
		host = "localhost"
	}
	userinfo := url.UserPassword(pc.User, pc.Password).String()
	user, password, _ := strings.Cut(userinfo, ":")
	return pgtestdb.Config{
		DriverName: "pgx",
		Host:       host,
		Port:       strconv.Itoa(int(pc.Port)),
		User:       user,
		Password:   password,
		Database:   pc.Database,
		Options:    strings.ReplaceAll(opts.Encode(), "%2F", "/"),
	}, nil
}

// repoRoot finds the module root (the directory holding go.mod) from the
// test's working directory, its package directory.
func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("TEST_DATABASE_URL is unset and no go.mod was found above the working directory, so there is no .data/ for the private cluster")
		}
		dir = parent
	}
}

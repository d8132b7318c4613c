// Package harness is what the programs that test the built service from
// outside (cmd/loadtest, cmd/faulttest, cmd/memcheck) share: how they start
// and fail (Main, Logf) and their -bin and -database-url flags; a throwaway
// database on a PostgreSQL server; the service binary started on a loopback
// port with a given environment and stopped with SIGTERM; signed-in HTTP
// clients with their own cookies (SignIn, SignInAll); and the process's
// memory as the kernel counts it.
//
// It seeds nothing: the data comes from internal/demo (SeedTeam, SeedVisits,
// SeedLeads, SeedChildListVisit), through the store (WithStore).
package harness

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/url"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/ofsted/focusedvisits/internal/devdb"
	"github.com/ofsted/focusedvisits/migrations"
)

// ServerURL is the PostgreSQL server to create throwaway databases on: url
// when it is set (a program's -database-url), else $TEST_DATABASE_URL (the
// server the tests use), else the private cluster under .data/, started if
// need be.
func ServerURL(ctx context.Context, url string, getenv func(string) string, logf func(string, ...any)) (string, error) {
	if url != "" {
		return url, nil
	}
	if u := getenv("TEST_DATABASE_URL"); u != "" {
		return u, nil
	}
	return devdb.Ensure(ctx, ".data", logf)
}

// Database is a throwaway database, migrated to the current schema.
type Database struct {
	Name string
	URL  string // to connect to it, on the server it was created on

	serverURL string
}

// validPrefix is what a database name may begin with: it is written into
// SQL unquoted.
var validPrefix = regexp.MustCompile(`^[a-z][a-z0-9_]{0,40}$`)

// CreateDatabase makes a fresh database <prefix>_<8 random hex digits> on the
// server serverURL names and migrates it. The caller drops it with Drop.
func CreateDatabase(ctx context.Context, serverURL, prefix string) (*Database, error) {
	u, err := url.Parse(serverURL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return nil, fmt.Errorf("database URL must be a postgres:// URL, not %q", serverURL)
	}
	if !validPrefix.MatchString(prefix) {
		return nil, fmt.Errorf("harness: database prefix %q: want lower-case letters, digits and _", prefix)
	}
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	d := &Database{Name: prefix + "_" + hex.EncodeToString(b), serverURL: serverURL}

	admin, err := pgx.Connect(ctx, serverURL)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", u.Redacted(), err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+d.Name); err != nil {
		return nil, fmt.Errorf("create database %s: %w", d.Name, err)
	}
	u.Path = "/" + d.Name
	// A socket URL names its database in the query too (dbname=…): drop
	// it, so the path is what counts.
	if q := u.Query(); q.Has("dbname") || q.Has("database") {
		q.Del("dbname")
		q.Del("database")
		u.RawQuery = q.Encode()
	}
	d.URL = u.String()
	if err := migrations.Up(ctx, d.URL); err != nil {
		_ = d.Drop(ctx)
		return nil, fmt.Errorf("migrate %s: %w", d.Name, err)
	}
	return d, nil
}

// Drop drops the database, ending any session still connected to it.
func (d *Database) Drop(ctx context.Context) error {
	c, err := pgx.Connect(ctx, d.serverURL)
	if err != nil {
		return err
	}
	defer c.Close(ctx)
	_, err = c.Exec(ctx, "DROP DATABASE IF EXISTS "+d.Name+" WITH (FORCE)")
	return err
}

// IsLoopback reports whether host is this machine: localhost or a loopback
// address.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

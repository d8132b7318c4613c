package harness

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/ofsted/focusedvisits/internal/store"
)

// What every program that runs the built service shares: how it starts and
// fails, its -bin and -database-url flags, its log lines, its throwaway
// database and signing its virtual users in.

// Main runs a program: run gets a context cancelled by SIGINT or SIGTERM,
// and an error it returns is printed as "name: error" with exit status 1.
func Main(name string, run func(ctx context.Context) error) {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx)
	stop()
	if err != nil {
		fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
		os.Exit(1)
	}
}

// Logf is a program's log: one line to w per call, after its name.
func Logf(w io.Writer, name string) func(format string, args ...any) {
	return func(format string, args ...any) { fmt.Fprintf(w, name+": "+format+"\n", args...) }
}

// DefaultBin is where make build puts the service binary.
const DefaultBin = "bin/focusedvisits"

// BinFlag adds -bin to fs: the service binary to run, bin/focusedvisits by
// default; when is added to its usage ("when -base is empty").
func BinFlag(fs *flag.FlagSet, p *string, when string) {
	usage := "the service binary (make build)"
	if when != "" {
		usage = "the service binary to start " + when + " (make build)"
	}
	fs.StringVar(p, "bin", DefaultBin, usage)
}

// DatabaseURLFlag adds -database-url to fs: the server NewDatabase creates
// the throwaway database on.
func DatabaseURLFlag(fs *flag.FlagSet, p *string) {
	fs.StringVar(p, "database-url", "", "PostgreSQL server to create the fresh database on (default: $TEST_DATABASE_URL, else the private cluster under .data/)")
}

// CheckBin fails, saying how to get one, unless bin is a file: a program
// checks it before it builds anything to run it on.
func CheckBin(bin string) error {
	if _, err := os.Stat(bin); err != nil {
		return fmt.Errorf("no service binary at %s (run make build, or pass -bin): %w", bin, err)
	}
	return nil
}

// NewDatabase creates a fresh, migrated database <prefix>_<random> on the
// server url names, else the one ServerURL finds. The caller closes it with
// Close.
func NewDatabase(ctx context.Context, url string, getenv func(string) string, prefix string, logf func(string, ...any)) (*Database, error) {
	serverURL, err := ServerURL(ctx, url, getenv, logf)
	if err != nil {
		return nil, err
	}
	return CreateDatabase(ctx, serverURL, prefix)
}

// Close drops the database, even once the program's context is cancelled
// (within a minute), and logs what happened.
func (d *Database) Close(logf func(string, ...any)) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := d.Drop(ctx); err != nil {
		logf("could not drop the database %s: %v", d.Name, err)
		return
	}
	logf("dropped the database %s", d.Name)
}

// Login is a virtual user: a browser of its own and who it signs in as.
type Login struct {
	Client *http.Client
	Email  string
}

// SignInAll signs every login in with password, four at a time (each
// sign-in checks an argon2id hash, and the service refuses more than its
// CPUs can check at once), and returns every failure.
func SignInAll(ctx context.Context, base, password string, logins []Login) error {
	errs := make([]error, len(logins))
	sem := make(chan struct{}, 4)
	var wg sync.WaitGroup
	for i, l := range logins {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			errs[i] = SignIn(ctx, l.Client, base, l.Email, password)
		})
	}
	wg.Wait()
	return errors.Join(errs...)
}

// WithStore runs fn with the store over the database dbURL names, on a pool
// of its own that it closes after: how a program seeds or checks its data.
func WithStore(ctx context.Context, dbURL string, fn func(*store.Store) error) error {
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		return err
	}
	defer pool.Close()
	return fn(store.New(pool))
}

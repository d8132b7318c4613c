// Package store is the service's only door to PostgreSQL: hand-written SQL
// over pgx, returning domain types. It owns transactions.
package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
)

// ErrNotFound means the thing asked for does not exist (or may not be seen).
var ErrNotFound = errors.New("store: not found")

// ErrConflict means a write would break a uniqueness rule, e.g. a second user
// with the same email address.
var ErrConflict = errors.New("store: conflict")

// DBTX is what both a pool and a transaction can do.
type DBTX interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
}

// Store runs the service's queries against a pool, or inside a transaction.
type Store struct {
	db   DBTX
	pool *pgxpool.Pool
	// out is how messages are worded (outbox.go); changingDates marks a
	// transaction already telling the chief executive of a date change.
	out           Outbox
	changingDates bool
	// visits are the visits read in full, kept (visitcache.go); shared
	// with the store's transactions.
	visits *visitCache
}

// New returns a store over pool.
func New(pool *pgxpool.Pool) *Store {
	return &Store{db: pool, pool: pool, visits: newVisitCache(DefaultVisitCacheSize)}
}

// Pool is the pool the store runs on (nil for a store inside a
// transaction), for the job queue's driver (internal/jobs), which needs
// the pool itself; every query of the service's own stays in this package.
func (s *Store) Pool() *pgxpool.Pool { return s.pool }

// Ping checks that the database answers.
func (s *Store) Ping(ctx context.Context) error {
	var one int
	return s.db.QueryRow(ctx, "SELECT 1").Scan(&one)
}

// WithTx runs fn inside one transaction: committed if fn returns nil, rolled
// back otherwise. Inside a transaction it joins the outer one.
func (s *Store) WithTx(ctx context.Context, fn func(tx *Store) error) error {
	if s.pool == nil {
		return fn(s)
	}
	return pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		return fn(&Store{db: tx, out: s.out, visits: s.visits})
	})
}

// isUniqueViolation reports whether err is PostgreSQL's unique_violation.
func isUniqueViolation(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "23505"
}

// isLockNotAvailable reports whether err is PostgreSQL's lock_not_available:
// a lock was not granted within lock_timeout (or NOWAIT).
func isLockNotAvailable(err error) bool {
	var pgErr *pgconn.PgError
	return errors.As(err, &pgErr) && pgErr.Code == "55P03"
}

// notFound maps pgx.ErrNoRows to ErrNotFound and wraps other errors.
func notFound(err error, format string, args ...any) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return ErrNotFound
	}
	return fmt.Errorf("store: "+format+": %w", append(args, err)...)
}

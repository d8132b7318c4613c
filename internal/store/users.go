package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/ofsted/focusedvisits/internal/user"
)

const userColumns = `id, email, name, role, active, created_at`

// CreateUser stores a new user with an already hashed password. A second
// user with the same email address (ignoring case) gives ErrConflict.
func (s *Store) CreateUser(ctx context.Context, n user.New, passwordHash string) (user.User, error) {
	rows, _ := s.db.Query(ctx, `
		INSERT INTO users (email, name, role, password_hash)
		VALUES ($1, $2, $3, $4)
		RETURNING `+userColumns, n.Email, n.Name, n.Role, passwordHash)
	u, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[user.User])
	if isUniqueViolation(err) {
		return user.User{}, ErrConflict
	}
	if err != nil {
		return user.User{}, fmt.Errorf("store: create user %s: %w", n.Email, err)
	}
	return u, nil
}

// GetUser returns the user with the given id.
func (s *Store) GetUser(ctx context.Context, id int64) (user.User, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+userColumns+` FROM users WHERE id = $1`, id)
	u, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[user.User])
	if err != nil {
		return user.User{}, notFound(err, "get user %d", id)
	}
	return u, nil
}

// GetUserForSignIn returns the active user with the email address (ignoring
// case) and their password hash.
func (s *Store) GetUserForSignIn(ctx context.Context, email string) (user.User, string, error) {
	var u user.User
	var hash string
	err := s.db.QueryRow(ctx, `
		SELECT id, email, name, role, active, created_at, password_hash
		FROM users WHERE lower(email) = lower($1) AND active`, email).
		Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.Active, &u.CreatedAt, &hash)
	if err != nil {
		return user.User{}, "", notFound(err, "get user for sign-in")
	}
	return u, hash, nil
}

// ListUsers returns every user, by role then name.
func (s *Store) ListUsers(ctx context.Context) ([]user.User, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+userColumns+` FROM users ORDER BY role, name, id`)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[user.User])
	if err != nil {
		return nil, fmt.Errorf("store: list users: %w", err)
	}
	return list, nil
}

// CountUsers returns how many users there are.
func (s *Store) CountUsers(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM users`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count users: %w", err)
	}
	return n, nil
}

// RecordSignInFailure notes a failed sign-in for the email address (as
// typed, lower-cased) from the client address, and prunes rows older than a day.
func (s *Store) RecordSignInFailure(ctx context.Context, email, address string) error {
	return s.WithTx(ctx, func(tx *Store) error {
		if _, err := tx.db.Exec(ctx, `INSERT INTO sign_in_failures (email, address) VALUES (lower($1), $2)`, email, address); err != nil {
			return fmt.Errorf("store: record sign-in failure: %w", err)
		}
		if _, err := tx.db.Exec(ctx, `DELETE FROM sign_in_failures WHERE created_at < now() - interval '1 day'`); err != nil {
			return fmt.Errorf("store: prune sign-in failures: %w", err)
		}
		return nil
	})
}

// SignInFailures counts the failed sign-ins since the given time for the
// email address and for the client address, and says when the oldest of the
// last `limit` failures for the email happened (zero if fewer).
func (s *Store) SignInFailures(ctx context.Context, email, address string, since time.Time, limit int) (byEmail, byAddress int, nthOldest time.Time, err error) {
	err = s.db.QueryRow(ctx, `
		SELECT
			(SELECT count(*) FROM sign_in_failures WHERE email = lower($1) AND created_at >= $3),
			(SELECT count(*) FROM sign_in_failures WHERE address = $2 AND created_at >= $3),
			COALESCE((SELECT min(created_at) FROM (
				SELECT created_at FROM sign_in_failures WHERE email = lower($1) AND created_at >= $3
				ORDER BY created_at DESC LIMIT $4) last), 'epoch'::timestamptz)`,
		email, address, since, limit).Scan(&byEmail, &byAddress, &nthOldest)
	if err != nil {
		return 0, 0, time.Time{}, fmt.Errorf("store: count sign-in failures: %w", err)
	}
	return byEmail, byAddress, nthOldest, nil
}

// ClearSignInFailures forgets the failures for the email address, after a
// successful sign-in.
func (s *Store) ClearSignInFailures(ctx context.Context, email string) error {
	if _, err := s.db.Exec(ctx, `DELETE FROM sign_in_failures WHERE email = lower($1)`, email); err != nil {
		return fmt.Errorf("store: clear sign-in failures: %w", err)
	}
	return nil
}

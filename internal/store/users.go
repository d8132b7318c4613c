package store

import (
	"context"
	"fmt"

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

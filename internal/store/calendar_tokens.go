package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/ofsted/focusedvisits/internal/user"
)

// Private calendar subscription links: one per user, kept only as the
// SHA-256 of the token in the link, so the link itself cannot be read back
// from the database. The caller makes the token and hashes it.

// SetCalendarToken gives the user a new calendar token (by its hash),
// replacing any earlier one, which stops working at once. It returns when
// the new token was made.
func (s *Store) SetCalendarToken(ctx context.Context, userID int64, hash []byte) (time.Time, error) {
	var at time.Time
	err := s.db.QueryRow(ctx, `
		INSERT INTO calendar_tokens (user_id, token_hash) VALUES ($1, $2)
		ON CONFLICT (user_id) DO UPDATE SET token_hash = EXCLUDED.token_hash, created_at = now()
		RETURNING created_at`, userID, hash).Scan(&at)
	if err != nil {
		return time.Time{}, fmt.Errorf("store: set calendar token of user %d: %w", userID, err)
	}
	return at, nil
}

// CalendarTokenCreated returns when the user's calendar token was made, or
// ErrNotFound when they have none.
func (s *Store) CalendarTokenCreated(ctx context.Context, userID int64) (time.Time, error) {
	var at time.Time
	err := s.db.QueryRow(ctx, `SELECT created_at FROM calendar_tokens WHERE user_id = $1`, userID).Scan(&at)
	if err != nil {
		return time.Time{}, notFound(err, "get calendar token of user %d", userID)
	}
	return at, nil
}

// UserByCalendarToken returns the active user whose calendar token has the
// hash, or ErrNotFound.
func (s *Store) UserByCalendarToken(ctx context.Context, hash []byte) (user.User, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT u.id, u.email, u.name, u.role, u.active, u.created_at
		FROM calendar_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.token_hash = $1 AND u.active`, hash)
	u, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[user.User])
	if err != nil {
		return user.User{}, notFound(err, "get user by calendar token")
	}
	return u, nil
}

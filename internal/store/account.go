package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/ofsted/focusedvisits/internal/user"
)

// GetUserSession returns the user with the given id and their session
// epoch, which counts password changes: a session signed in under another
// epoch is no longer valid.
func (s *Store) GetUserSession(ctx context.Context, id int64) (user.User, int, error) {
	var u user.User
	var epoch int
	err := s.db.QueryRow(ctx, `SELECT `+userColumns+`, session_epoch FROM users WHERE id = $1`, id).
		Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.Active, &u.CreatedAt, &epoch)
	if err != nil {
		return user.User{}, 0, notFound(err, "get user %d", id)
	}
	return u, epoch, nil
}

// GetPasswordHash returns the active user's password hash.
func (s *Store) GetPasswordHash(ctx context.Context, id int64) (string, error) {
	var hash string
	err := s.db.QueryRow(ctx, `SELECT password_hash FROM users WHERE id = $1 AND active`, id).Scan(&hash)
	if err != nil {
		return "", notFound(err, "get password hash of user %d", id)
	}
	return hash, nil
}

// ChangePassword stores a new password hash for the user and moves their
// session epoch on, which ends every session signed in before, and revokes
// their private calendar link (a credential too). It returns the new epoch,
// for the session that made the change, and whether a calendar link was
// revoked. If oldHash is not the stored hash any more (a concurrent change),
// it returns ErrConflict.
func (s *Store) ChangePassword(ctx context.Context, id int64, oldHash, newHash string) (epoch int, revokedCalendar bool, err error) {
	err = s.db.QueryRow(ctx, `
		WITH changed AS (
			UPDATE users SET password_hash = $3, session_epoch = session_epoch + 1, updated_at = now()
			WHERE id = $1 AND password_hash = $2 AND active
			RETURNING id, session_epoch
		), revoked AS (
			DELETE FROM calendar_tokens WHERE user_id IN (SELECT id FROM changed) RETURNING user_id
		), recorded AS (
			INSERT INTO user_changes (user_id, changed_by, action) SELECT id, id, 'change_password' FROM changed
		)
		SELECT session_epoch, EXISTS (SELECT 1 FROM revoked) FROM changed`, id, oldHash, newHash).Scan(&epoch, &revokedCalendar)
	if err == pgx.ErrNoRows {
		return 0, false, ErrConflict
	}
	if err != nil {
		return 0, false, fmt.Errorf("store: change password of user %d: %w", id, err)
	}
	return epoch, revokedCalendar, nil
}

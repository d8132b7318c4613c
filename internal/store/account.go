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
// session epoch on, which ends every session signed in before. It returns
// the new epoch, for the session that made the change. If oldHash is not
// the stored hash any more (a concurrent change), it returns ErrConflict.
func (s *Store) ChangePassword(ctx context.Context, id int64, oldHash, newHash string) (int, error) {
	var epoch int
	err := s.db.QueryRow(ctx, `
		UPDATE users SET password_hash = $3, session_epoch = session_epoch + 1, updated_at = now()
		WHERE id = $1 AND password_hash = $2 AND active
		RETURNING session_epoch`, id, oldHash, newHash).Scan(&epoch)
	if err == pgx.ErrNoRows {
		return 0, ErrConflict
	}
	if err != nil {
		return 0, fmt.Errorf("store: change password of user %d: %w", id, err)
	}
	return epoch, nil
}

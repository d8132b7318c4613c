package store

import (
	"context"
	"fmt"

	"github.com/ofsted/focusedvisits/internal/user"
)

// TwoFactor is a person's authenticator key and the time step of the last
// code accepted ("" when none is set up).
type TwoFactor struct {
	Secret   string
	LastStep int64
}

// GetTwoFactor returns the user's second factor.
func (s *Store) GetTwoFactor(ctx context.Context, userID int64) (TwoFactor, error) {
	var tf TwoFactor
	err := s.db.QueryRow(ctx, `SELECT totp_secret, totp_last_step FROM users WHERE id = $1 AND totp_enabled_at IS NOT NULL`, userID).
		Scan(&tf.Secret, &tf.LastStep)
	if err != nil {
		return TwoFactor{}, notFound(err, "get second factor of user %d", userID)
	}
	return tf, nil
}

// EnableTwoFactor stores the user's authenticator key, the step of the code
// that confirmed it and the hashes of their recovery codes, and records it,
// in one transaction. A user who has one already gives ErrConflict.
func (s *Store) EnableTwoFactor(ctx context.Context, userID int64, secret string, step int64, codeHashes [][]byte) error {
	return s.WithTx(ctx, func(tx *Store) error {
		tag, err := tx.db.Exec(ctx, `
			UPDATE users SET totp_secret = $2, totp_last_step = $3, totp_enabled_at = now(), updated_at = now()
			WHERE id = $1 AND totp_enabled_at IS NULL AND active`, userID, secret, step)
		if err != nil {
			return fmt.Errorf("store: set up second factor of user %d: %w", userID, err)
		}
		if tag.RowsAffected() != 1 {
			return ErrConflict
		}
		if _, err := tx.db.Exec(ctx, `
			WITH gone AS (DELETE FROM user_recovery_codes WHERE user_id = $1)
			INSERT INTO user_recovery_codes (user_id, code_hash) SELECT $1, unnest($2::bytea[])`, userID, codeHashes); err != nil {
			return fmt.Errorf("store: recovery codes of user %d: %w", userID, err)
		}
		return tx.recordChange(ctx, userID, nil, user.SetUpTwoFactor, "", "")
	})
}

// AcceptTOTPStep records that the user's code of the time step was
// accepted, and reports false when a code of that step or a later one
// already was (a code is good once).
func (s *Store) AcceptTOTPStep(ctx context.Context, userID, step int64) (bool, error) {
	tag, err := s.db.Exec(ctx, `UPDATE users SET totp_last_step = $2 WHERE id = $1 AND totp_last_step < $2`, userID, step)
	if err != nil {
		return false, fmt.Errorf("store: accept code of user %d: %w", userID, err)
	}
	return tag.RowsAffected() == 1, nil
}

// UseRecoveryCode spends one of the user's recovery codes (by its hash),
// records it, and reports whether there was such a code unused, and how
// many are left.
func (s *Store) UseRecoveryCode(ctx context.Context, userID int64, hash []byte) (ok bool, left int, err error) {
	err = s.WithTx(ctx, func(tx *Store) error {
		tag, err := tx.db.Exec(ctx, `
			UPDATE user_recovery_codes SET used_at = now()
			WHERE id = (SELECT id FROM user_recovery_codes WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL LIMIT 1 FOR UPDATE)`,
			userID, hash)
		if err != nil {
			return fmt.Errorf("store: use recovery code of user %d: %w", userID, err)
		}
		if ok = tag.RowsAffected() == 1; !ok {
			return nil
		}
		if err := tx.db.QueryRow(ctx, `SELECT count(*) FROM user_recovery_codes WHERE user_id = $1 AND used_at IS NULL`, userID).Scan(&left); err != nil {
			return fmt.Errorf("store: count recovery codes of user %d: %w", userID, err)
		}
		return tx.recordChange(ctx, userID, nil, user.UseRecoveryCode, "", fmt.Sprintf("%d left", left))
	})
	return ok, left, err
}

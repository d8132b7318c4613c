package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/ofsted/focusedvisits/internal/user"
)

// maxAddressFailures caps an address's count, which only needs to be large.
const maxAddressFailures = 1_000_000

// ReserveSignIn counts a sign-in attempt for the account (the email address
// as typed, lower-cased) and the client address before its password is
// checked, in one statement, so that attempts made in parallel are counted
// one after another (user.SignInRules says what the counts mean).
//
// The account's run of failures goes up by one, unless it already holds
// maxFailures within window (then it reads maxFailures+1 and neither the
// account nor the address counts the attempt, which is to be refused), or
// its last failure is window or more before now (then it starts again at 1).
// The address's count goes up by one, starting again after window of quiet.
func (s *Store) ReserveSignIn(ctx context.Context, email, address string, now time.Time, window time.Duration, maxFailures int) (user.Attempt, error) {
	var a user.Attempt
	err := s.db.QueryRow(ctx, `
		WITH account AS (
			INSERT INTO sign_in_throttle AS t (kind, key, failures, last_at) VALUES ('account', lower($1), 1, $3)
			ON CONFLICT (kind, key) DO UPDATE SET
				failures = CASE WHEN t.last_at <= $4 THEN 1 ELSE least(t.failures + 1, $5 + 1) END,
				last_at = CASE WHEN t.last_at <= $4 OR t.failures < $5 THEN $3 ELSE t.last_at END
			RETURNING failures, last_at
		), address AS (
			INSERT INTO sign_in_throttle AS t (kind, key, failures, last_at)
			SELECT 'address', $2, 1, $3 FROM account WHERE account.failures <= $5
			ON CONFLICT (kind, key) DO UPDATE SET
				failures = CASE WHEN t.last_at <= $4 THEN 1 ELSE least(t.failures + 1, $6) END,
				last_at = $3
			RETURNING failures
		)
		SELECT account.failures, account.last_at, coalesce((SELECT failures FROM address), 0) FROM account`,
		email, address, now, now.Add(-window), maxFailures, maxAddressFailures).Scan(&a.Failures, &a.LastFailure, &a.AddressFailures)
	if err != nil {
		return user.Attempt{}, fmt.Errorf("store: reserve sign-in attempt: %w", err)
	}
	return a, nil
}

// SignInSucceeded ends the account's run of failures and gives the client
// address back the attempt it was counted.
func (s *Store) SignInSucceeded(ctx context.Context, email, address string) error {
	_, err := s.db.Exec(ctx, `
		WITH account AS (DELETE FROM sign_in_throttle WHERE kind = 'account' AND key = lower($1))
		UPDATE sign_in_throttle SET failures = greatest(failures - 1, 0) WHERE kind = 'address' AND key = $2`,
		email, address)
	if err != nil {
		return fmt.Errorf("store: record sign-in success: %w", err)
	}
	return nil
}

// ReleaseSignIn gives back an attempt reserved but never checked (the
// service was too busy, or the client went away), to the account and the
// address alike.
func (s *Store) ReleaseSignIn(ctx context.Context, email, address string) error {
	_, err := s.db.Exec(ctx, `
		UPDATE sign_in_throttle SET failures = greatest(failures - 1, 0)
		WHERE (kind = 'account' AND key = lower($1)) OR (kind = 'address' AND key = $2)`,
		email, address)
	if err != nil {
		return fmt.Errorf("store: release sign-in attempt: %w", err)
	}
	return nil
}

// PruneSignInThrottle deletes the counts last touched before the time: they
// no longer limit anything.
func (s *Store) PruneSignInThrottle(ctx context.Context, before time.Time) error {
	if _, err := s.db.Exec(ctx, `DELETE FROM sign_in_throttle WHERE last_at < $1`, before); err != nil {
		return fmt.Errorf("store: prune sign-in counts: %w", err)
	}
	return nil
}

// LockedAccount is a user's account refused sign-in after too many wrong
// passwords in a row, until Until.
type LockedAccount struct {
	UserID int64
	Name   string
	Email  string
	Until  time.Time
}

// ListLockedAccounts lists the users' accounts whose run of failures holds
// maxFailures or more, the last after since (user.SignInRules.LockedAfter),
// so that they are locked until lockout has passed since it; latest first.
// A run of an email address that is no user's is not listed.
func (s *Store) ListLockedAccounts(ctx context.Context, maxFailures int, since time.Time, lockout time.Duration) ([]LockedAccount, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT u.id, u.name, u.email, t.last_at + $3::interval
		FROM sign_in_throttle t JOIN users u ON lower(u.email) = t.key
		WHERE t.kind = 'account' AND t.failures >= $1 AND t.last_at > $2
		ORDER BY t.last_at DESC, u.id`, maxFailures, since, lockout)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[LockedAccount])
	if err != nil {
		return nil, fmt.Errorf("store: locked accounts: %w", err)
	}
	return list, nil
}

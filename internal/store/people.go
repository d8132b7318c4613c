package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/ofsted/focusedvisits/internal/notify"
	"github.com/ofsted/focusedvisits/internal/user"
)

// People managed by administrators (issue 14): accounts with their status,
// invitations, the changes administrators make (each checked by user.Check
// inside the transaction that makes it, and recorded in user_changes).

const accountSelect = `
	SELECT u.id, u.email, u.name, u.role, u.active, u.created_at, u.public_id,
		u.password_set_at IS NOT NULL, u.totp_enabled_at IS NOT NULL,
		coalesce(t.failures, 0), coalesce(t.last_at, 'epoch'::timestamptz),
		coalesce(inv.expires_at, 'epoch'::timestamptz)
	FROM users u
	LEFT JOIN sign_in_throttle t ON t.kind = 'account' AND t.key = lower(u.email)
	LEFT JOIN LATERAL (
		SELECT max(expires_at) AS expires_at FROM user_tokens
		WHERE user_id = u.id AND purpose = 'invitation' AND used_at IS NULL
	) inv ON true`

func scanAccount(row pgx.Row) (user.Account, error) {
	var a user.Account
	var inv time.Time
	err := row.Scan(&a.ID, &a.Email, &a.Name, &a.Role, &a.Active, &a.CreatedAt, &a.PublicID,
		&a.PasswordSet, &a.TwoFactor, &a.Failures, &a.LastFailure, &inv)
	if inv.After(time.Unix(0, 0)) {
		a.InvitationExpires = inv
	}
	return a, err
}

// ListAccounts returns every person, by organisation, role and name.
func (s *Store) ListAccounts(ctx context.Context) ([]user.Account, error) {
	rows, err := s.db.Query(ctx, accountSelect+` ORDER BY u.role IN ('cafcass_ceo', 'cafcass_deputy'), u.name, u.id`)
	if err != nil {
		return nil, fmt.Errorf("store: list accounts: %w", err)
	}
	defer rows.Close()
	var out []user.Account
	for rows.Next() {
		a, err := scanAccount(rows)
		if err != nil {
			return nil, fmt.Errorf("store: list accounts: %w", err)
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: list accounts: %w", err)
	}
	return out, nil
}

// GetAccount returns the person with the public id.
func (s *Store) GetAccount(ctx context.Context, publicID string) (user.Account, error) {
	a, err := scanAccount(s.db.QueryRow(ctx, accountSelect+` WHERE u.public_id = $1`, publicID))
	if err != nil {
		return user.Account{}, notFound(err, "get account")
	}
	return a, nil
}

// CountActiveAdmins counts the active administrators.
func (s *Store) CountActiveAdmins(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM users WHERE role = 'admin' AND active`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count administrators: %w", err)
	}
	return n, nil
}

// recordChange appends one change to the record.
func (s *Store) recordChange(ctx context.Context, userID int64, by *user.User, a user.Action, old, new string) error {
	var byID any
	if by != nil {
		byID = by.ID
	}
	_, err := s.db.Exec(ctx, `INSERT INTO user_changes (user_id, changed_by, action, old_value, new_value) VALUES ($1, $2, $3, $4, $5)`,
		userID, byID, string(a), old, new)
	if err != nil {
		return fmt.Errorf("store: record change to user %d: %w", userID, err)
	}
	return nil
}

// ListUserChanges returns the record of changes, newest first: every
// person's when publicID is "", else that person's. At most limit rows.
func (s *Store) ListUserChanges(ctx context.Context, publicID string, limit int) ([]user.Change, error) {
	rows, err := s.db.Query(ctx, `
		SELECT c.changed_at, p.name, p.public_id, coalesce(b.name, ''), c.action, c.old_value, c.new_value
		FROM user_changes c JOIN users p ON p.id = c.user_id LEFT JOIN users b ON b.id = c.changed_by
		WHERE $1 = '' OR p.public_id = $1
		ORDER BY c.id DESC LIMIT $2`, publicID, limit)
	if err != nil {
		return nil, fmt.Errorf("store: list user changes: %w", err)
	}
	defer rows.Close()
	var out []user.Change
	for rows.Next() {
		var c user.Change
		if err := rows.Scan(&c.At, &c.PersonName, &c.PersonPublicID, &c.ByName, &c.Action, &c.Old, &c.New); err != nil {
			return nil, fmt.Errorf("store: list user changes: %w", err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// LinkToken is a single-use link to send by email.
type LinkToken struct {
	Hash    []byte
	Expires time.Time
}

// Invite creates the invited person (no password yet) with an invitation
// link, records it and queues the message msg makes, in one transaction. An
// email address already in use (ignoring case) gives ErrConflict.
func (s *Store) Invite(ctx context.Context, inv user.Invitation, by user.User, tok LinkToken, msg func(user.Account) notify.Message) (user.Account, error) {
	var a user.Account
	err := s.WithTx(ctx, func(tx *Store) error {
		var id int64
		err := tx.db.QueryRow(ctx, `INSERT INTO users (email, name, role, password_hash, password_set_at) VALUES ($1, $2, $3, '', NULL) RETURNING id`,
			inv.Email, inv.Name, inv.Role).Scan(&id)
		if isUniqueViolation(err) {
			return ErrConflict
		}
		if err != nil {
			return fmt.Errorf("store: invite %s: %w", inv.Email, err)
		}
		if err := tx.addToken(ctx, id, "invitation", tok); err != nil {
			return err
		}
		if err := tx.recordChange(ctx, id, &by, user.InvitePerson, "", inv.Name+", "+inv.Email+", "+inv.Role.Label()); err != nil {
			return err
		}
		a, err = scanAccount(tx.db.QueryRow(ctx, accountSelect+` WHERE u.id = $1`, id))
		if err != nil {
			return fmt.Errorf("store: invite %s: %w", inv.Email, err)
		}
		return tx.QueueMessages(ctx, msg(a))
	})
	return a, err
}

func (s *Store) addToken(ctx context.Context, userID int64, purpose string, tok LinkToken) error {
	_, err := s.db.Exec(ctx, `INSERT INTO user_tokens (user_id, purpose, token_hash, expires_at) VALUES ($1, $2, $3, $4)`,
		userID, purpose, tok.Hash, tok.Expires)
	if err != nil {
		return fmt.Errorf("store: %s link for user %d: %w", purpose, userID, err)
	}
	return nil
}

// AccountChange is a change an administrator makes to a person's account.
type AccountChange struct {
	Action  user.Action
	By      user.User
	NewRole user.Role        // ChangeRole
	Rules   user.SignInRules // to tell whether the account is locked
	Now     time.Time
	// Token is the new link of SendPasswordReset and ResendInvitation.
	Token LinkToken
	// Messages makes what to queue, from the account as changed.
	Messages func(user.Account) []notify.Message
}

// ChangeAccount makes an administrator's change to the person with the
// public id, in one transaction: it locks every active administrator and
// the person, checks the change (user.Check, whose *user.Refusal it
// returns as is), applies it, records it (who, when, old and new) and
// queues its messages. Two administrators acting at once are served one
// after the other, so the last active administrator stays.
func (s *Store) ChangeAccount(ctx context.Context, publicID string, c AccountChange) (user.Account, error) {
	var after user.Account
	err := s.WithTx(ctx, func(tx *Store) error {
		rows, err := tx.db.Query(ctx, `SELECT id FROM users WHERE role = 'admin' AND active ORDER BY id FOR UPDATE`)
		if err != nil {
			return fmt.Errorf("store: lock administrators: %w", err)
		}
		admins, err := pgx.CollectRows(rows, pgx.RowTo[int64])
		if err != nil {
			return fmt.Errorf("store: lock administrators: %w", err)
		}
		if _, err := tx.db.Exec(ctx, `SELECT 1 FROM users WHERE public_id = $1 FOR UPDATE`, publicID); err != nil {
			return fmt.Errorf("store: lock account: %w", err)
		}
		a, err := scanAccount(tx.db.QueryRow(ctx, accountSelect+` WHERE u.public_id = $1`, publicID))
		if err != nil {
			return notFound(err, "get account")
		}
		f := user.Facts{Actor: c.By, Target: a, ActiveAdmins: len(admins), NewRole: c.NewRole,
			Locked: c.Rules.Locked(a.Failures, a.LastFailure, c.Now)}
		// The actor as they are now, locked: one demoted or deactivated by
		// another administrator a moment ago acts no more.
		f.Actor.Active = slices.Contains(admins, c.By.ID)
		if err := user.Check(c.Action, f); err != nil {
			return err
		}
		old, new, err := tx.applyChange(ctx, a, c)
		if err != nil {
			return err
		}
		if err := tx.recordChange(ctx, a.ID, &c.By, c.Action, old, new); err != nil {
			return err
		}
		after, err = scanAccount(tx.db.QueryRow(ctx, accountSelect+` WHERE u.id = $1`, a.ID))
		if err != nil {
			return fmt.Errorf("store: change account: %w", err)
		}
		if c.Messages != nil {
			return tx.QueueMessages(ctx, c.Messages(after)...)
		}
		return nil
	})
	return after, err
}

// endSessions ends every session of the user: their epoch moves on (which
// ends each at its next request) and their session rows go.
func (s *Store) endSessions(ctx context.Context, userID int64) error {
	_, err := s.db.Exec(ctx, `
		WITH gone AS (DELETE FROM user_sessions WHERE user_id = $1)
		UPDATE users SET session_epoch = session_epoch + 1, updated_at = now() WHERE id = $1`, userID)
	if err != nil {
		return fmt.Errorf("store: end sessions of user %d: %w", userID, err)
	}
	return nil
}

// applyChange makes the change and says what it changed, old and new.
func (s *Store) applyChange(ctx context.Context, a user.Account, c AccountChange) (old, new string, err error) {
	exec := func(sql string, args ...any) error {
		if _, err := s.db.Exec(ctx, sql, args...); err != nil {
			return fmt.Errorf("store: %s user %d: %w", c.Action, a.ID, err)
		}
		return nil
	}
	switch c.Action {
	case user.ChangeRole:
		return a.Role.Label(), c.NewRole.Label(), exec(`UPDATE users SET role = $2, updated_at = now() WHERE id = $1`, a.ID, c.NewRole)
	case user.Deactivate:
		if err := exec(`UPDATE users SET active = false WHERE id = $1`, a.ID); err != nil {
			return "", "", err
		}
		if err := exec(`DELETE FROM calendar_tokens WHERE user_id = $1`, a.ID); err != nil {
			return "", "", err
		}
		if err := exec(`DELETE FROM user_tokens WHERE user_id = $1 AND used_at IS NULL`, a.ID); err != nil {
			return "", "", err
		}
		return a.Status().Label(), user.Deactivated.Label(), s.endSessions(ctx, a.ID)
	case user.Reactivate:
		a.Active = true
		return user.Deactivated.Label(), a.Status().Label(), exec(`UPDATE users SET active = true, updated_at = now() WHERE id = $1`, a.ID)
	case user.Unlock:
		return fmt.Sprintf("Locked after %d wrong attempts", a.Failures), "Unlocked",
			exec(`DELETE FROM sign_in_throttle WHERE kind = 'account' AND key = lower($1)`, a.Email)
	case user.SendPasswordReset:
		return "", "Link valid until " + c.Token.Expires.UTC().Format(time.RFC3339), s.addToken(ctx, a.ID, "password_reset", c.Token)
	case user.ResendInvitation:
		if err := exec(`DELETE FROM user_tokens WHERE user_id = $1 AND purpose = 'invitation' AND used_at IS NULL`, a.ID); err != nil {
			return "", "", err
		}
		return "", "Link valid until " + c.Token.Expires.UTC().Format(time.RFC3339), s.addToken(ctx, a.ID, "invitation", c.Token)
	case user.ResetTwoFactor:
		if err := exec(`UPDATE users SET totp_secret = '', totp_enabled_at = NULL, totp_last_step = 0 WHERE id = $1`, a.ID); err != nil {
			return "", "", err
		}
		if err := exec(`DELETE FROM user_recovery_codes WHERE user_id = $1`, a.ID); err != nil {
			return "", "", err
		}
		return "Set up", "Not set up: set up again at next sign-in", s.endSessions(ctx, a.ID)
	}
	return "", "", errors.New("store: no such change: " + string(c.Action))
}

// LinkTokenAccount returns the person a link's token (by its hash) is
// for, and when it expires, while the link works: not used, not expired
// at now, for an active person (an invitation, for one who has not chosen
// a password yet). Otherwise ErrNotFound.
func (s *Store) LinkTokenAccount(ctx context.Context, purpose string, hash []byte, now time.Time) (user.Account, time.Time, error) {
	var id int64
	var expires time.Time
	err := s.db.QueryRow(ctx, `
		SELECT t.user_id, t.expires_at FROM user_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.token_hash = $1 AND t.purpose = $2 AND t.used_at IS NULL AND t.expires_at > $3 AND u.active
			AND (u.password_set_at IS NULL) = ($2 = 'invitation')`, hash, purpose, now).Scan(&id, &expires)
	if err != nil {
		return user.Account{}, time.Time{}, notFound(err, "get %s link", purpose)
	}
	a, err := scanAccount(s.db.QueryRow(ctx, accountSelect+` WHERE u.id = $1`, id))
	if err != nil {
		return user.Account{}, time.Time{}, notFound(err, "get %s link", purpose)
	}
	return a, expires, nil
}

// UseLinkToken spends a link's token (by its hash) to set the person's
// password, in one transaction: the link is marked used (so a second use
// finds nothing: ErrNotFound, as for an expired link or a deactivated
// person), every other link of its kind is spent, every session of theirs
// ends and their private calendar link is revoked. It returns the person.
func (s *Store) UseLinkToken(ctx context.Context, purpose string, hash []byte, passwordHash string, now time.Time) (user.User, error) {
	var u user.User
	err := s.WithTx(ctx, func(tx *Store) error {
		a, _, err := tx.LinkTokenAccount(ctx, purpose, hash, now)
		if err != nil {
			return err
		}
		tag, err := tx.db.Exec(ctx, `UPDATE user_tokens SET used_at = $3 WHERE token_hash = $1 AND purpose = $2 AND used_at IS NULL`, hash, purpose, now)
		if err != nil {
			return fmt.Errorf("store: use %s link: %w", purpose, err)
		}
		if tag.RowsAffected() != 1 {
			return ErrNotFound // spent at the same moment by another request
		}
		if _, err := tx.db.Exec(ctx, `
			WITH spent AS (UPDATE user_tokens SET used_at = $3 WHERE user_id = $1 AND purpose = $4 AND used_at IS NULL),
				revoked AS (DELETE FROM calendar_tokens WHERE user_id = $1)
			UPDATE users SET password_hash = $2, password_set_at = coalesce(password_set_at, $3), updated_at = now() WHERE id = $1`,
			a.ID, passwordHash, now, purpose); err != nil {
			return fmt.Errorf("store: use %s link: %w", purpose, err)
		}
		if err := tx.endSessions(ctx, a.ID); err != nil {
			return err
		}
		action := user.ResetPassword
		if purpose == "invitation" {
			action = user.AcceptInvitation
		}
		u = a.User
		return tx.recordChange(ctx, a.ID, nil, action, "", "")
	})
	return u, err
}

// RequestPasswordReset gives the active person with the email address, if
// there is one with a password, a password reset link and queues msg to
// them, unless they were sent one in the last minute (so the page cannot
// fill their inbox). Whether or not
// there is such a person, it sends the same statements (each finds the
// person or not), so a request for an unknown address costs what a known
// one costs.
func (s *Store) RequestPasswordReset(ctx context.Context, email string, tok LinkToken, msg notify.Message) error {
	r, err := notify.Render(msg)
	if err != nil {
		return fmt.Errorf("store: password reset message: %w", err)
	}
	return s.WithTx(ctx, func(tx *Store) error {
		_, err := tx.db.Exec(ctx, `
			WITH person AS (
				SELECT u.id, u.email, u.name FROM users u
				WHERE lower(u.email) = lower($1) AND u.active AND u.password_set_at IS NOT NULL
					AND NOT EXISTS (SELECT 1 FROM user_tokens t WHERE t.user_id = u.id AND t.purpose = 'password_reset'
						AND t.created_at > now() - interval '1 minute')
				FOR UPDATE OF u
			), link AS (
				INSERT INTO user_tokens (user_id, purpose, token_hash, expires_at)
				SELECT id, 'password_reset', $2, $3 FROM person
			)
			INSERT INTO outbox_messages (template, kind, user_id, to_address, to_name, subject, body)
			SELECT $4, $5, id, email, name, $6, $7 FROM person`,
			email, tok.Hash, tok.Expires, msg.Template, string(r.Kind), r.Subject, r.Body)
		if err != nil {
			return fmt.Errorf("store: request password reset: %w", err)
		}
		return nil
	})
}

package store

import (
	"context"
	"fmt"
	"time"

	"github.com/ofsted/focusedvisits/internal/user"
)

// Each signed-in session has a row in user_sessions, so its person can see
// it (device, last seen) and end it. The session (scs) holds the row's id.

// StartUserSession records a new signed-in session of the user and returns
// its id. Rows of the user's sessions older than lifetime are pruned.
func (s *Store) StartUserSession(ctx context.Context, userID int64, userAgent, address string, now time.Time, lifetime time.Duration) (int64, error) {
	var id int64
	err := s.db.QueryRow(ctx, `
		WITH pruned AS (DELETE FROM user_sessions WHERE user_id = $1 AND created_at < $5)
		INSERT INTO user_sessions (user_id, user_agent, address, created_at, last_seen_at)
		VALUES ($1, $2, $3, $4, $4) RETURNING id`,
		userID, truncate(userAgent, 400), address, now, now.Add(-lifetime)).Scan(&id)
	if err != nil {
		return 0, fmt.Errorf("store: start session of user %d: %w", userID, err)
	}
	return id, nil
}

func truncate(s string, n int) string {
	for i := range s {
		if i >= n {
			return s[:i]
		}
	}
	return s
}

// SignedIn is what a signed-in request needs of the database before
// anything else: GetSignedInUser.
type SignedIn struct {
	User user.User
	// Epoch is the user's session epoch; Live, whether the session's row is
	// still there (it is gone once the session was ended from the account
	// page or by an administrator).
	Epoch int
	Live  bool
	// CalendarVersion is the closure days' version, so that a page whose
	// calendar an instance keeps at that version need not ask for it.
	CalendarVersion int64
}

// GetSignedInUser returns the user of a signed-in session, their session
// epoch, whether the session's row is still there and the calendar's
// version, in one statement; when the session was last seen is noted at
// most once a minute (noteSeen).
func (s *Store) GetSignedInUser(ctx context.Context, userID, sessionID int64, now time.Time) (SignedIn, error) {
	var in SignedIn
	var lastSeen *time.Time
	u := &in.User
	err := s.db.QueryRow(ctx, `
		SELECT u.id, u.email, u.name, u.role, u.active, u.created_at, u.session_epoch, us.id IS NOT NULL, us.last_seen_at,
			(SELECT version FROM calendar_versions)
		FROM users u LEFT JOIN user_sessions us ON us.id = $2 AND us.user_id = u.id
		WHERE u.id = $1`, userID, sessionID).
		Scan(&u.ID, &u.Email, &u.Name, &u.Role, &u.Active, &u.CreatedAt, &in.Epoch, &in.Live, &lastSeen, &in.CalendarVersion)
	if err != nil {
		return SignedIn{}, notFound(err, "get user %d", userID)
	}
	if err := noteSeen(ctx, s.db, in, lastSeen, userID, sessionID, now); err != nil {
		return SignedIn{}, err
	}
	return in, nil
}

// seenEvery is how often a session's last use is noted: at most once a
// minute, so that signed-in requests seldom write.
const seenEvery = time.Minute

// noteSeen notes that the user's session, found live and last seen at
// lastSeen, was used at now: by a statement of its own, only when lastSeen
// is more than seenEvery ago, so that the lookup every request makes only
// reads. The statement checks again, as a request on another instance may
// have noted it meanwhile.
func noteSeen(ctx context.Context, db DBTX, in SignedIn, lastSeen *time.Time, userID, sessionID int64, now time.Time) error {
	due := now.Add(-seenEvery)
	if !in.Live || lastSeen == nil || !lastSeen.Before(due) {
		return nil
	}
	_, err := db.Exec(ctx, `
		UPDATE user_sessions SET last_seen_at = $3
		WHERE id = $2 AND user_id = $1 AND last_seen_at < $4`, userID, sessionID, now, due)
	if err != nil {
		return fmt.Errorf("store: note the use of session %d: %w", sessionID, err)
	}
	return nil
}

// ListUserSessions returns the user's sessions still running at now (seen
// within idle, begun within lifetime), most recently seen first.
func (s *Store) ListUserSessions(ctx context.Context, userID int64, now time.Time, idle, lifetime time.Duration) ([]user.Session, error) {
	rows, err := s.db.Query(ctx, `
		SELECT id, public_id, user_agent, address, created_at, last_seen_at FROM user_sessions
		WHERE user_id = $1 AND last_seen_at > $2 AND created_at > $3
		ORDER BY last_seen_at DESC, id DESC`, userID, now.Add(-idle), now.Add(-lifetime))
	if err != nil {
		return nil, fmt.Errorf("store: list sessions of user %d: %w", userID, err)
	}
	defer rows.Close()
	var out []user.Session
	for rows.Next() {
		var ss user.Session
		if err := rows.Scan(&ss.ID, &ss.PublicID, &ss.UserAgent, &ss.Address, &ss.CreatedAt, &ss.LastSeen); err != nil {
			return nil, fmt.Errorf("store: list sessions of user %d: %w", userID, err)
		}
		out = append(out, ss)
	}
	return out, rows.Err()
}

// EndUserSession ends the user's session with the public id (its next
// request finds its row gone), or gives ErrNotFound.
func (s *Store) EndUserSession(ctx context.Context, userID int64, publicID string) error {
	tag, err := s.db.Exec(ctx, `DELETE FROM user_sessions WHERE user_id = $1 AND public_id = $2`, userID, publicID)
	if err != nil {
		return fmt.Errorf("store: end session of user %d: %w", userID, err)
	}
	if tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return nil
}

// ForgetUserSession removes the row of a session that has ended (signed out).
func (s *Store) ForgetUserSession(ctx context.Context, sessionID int64) error {
	if _, err := s.db.Exec(ctx, `DELETE FROM user_sessions WHERE id = $1`, sessionID); err != nil {
		return fmt.Errorf("store: forget session %d: %w", sessionID, err)
	}
	return nil
}

// EndOtherSessions removes the rows of every session of the user but keep
// (their epoch has moved on, which ends them; this keeps the list true).
func (s *Store) EndOtherSessions(ctx context.Context, userID, keep int64) error {
	if _, err := s.db.Exec(ctx, `DELETE FROM user_sessions WHERE user_id = $1 AND id <> $2`, userID, keep); err != nil {
		return fmt.Errorf("store: end other sessions of user %d: %w", userID, err)
	}
	return nil
}

package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/alexedwards/scs/pgxstore"
	"github.com/alexedwards/scs/v2"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// SessionStore is the session manager's store (scs): pgxstore's table and
// statements, with the person a session is of written beside its data
// (migration 00047), so that one statement finds a request's session and
// its person (issue 16.5). What that statement found of the person waits in
// the request's SessionLookup for the server, which would otherwise read it
// with a statement of its own (GetSignedInUser, which it still is for a
// session written before, or a request without a SessionLookup).
type SessionStore struct {
	*pgxstore.PostgresStore
	pool  *pgxpool.Pool
	codec scs.Codec
	// userKey and sessionKey are the session keys holding the person's
	// user id and their user_sessions row's id.
	userKey, sessionKey string
}

// NewSessionStore returns the session store over pool, for sessions encoded
// by codec whose person's user id and user_sessions row are the int64
// values under userKey and sessionKey. Its own clean-up goroutine is not
// run: stopping it races with its start (a data race in pgxstore), so the
// caller deletes expired sessions (DeleteExpiredSessions).
func NewSessionStore(pool *pgxpool.Pool, codec scs.Codec, userKey, sessionKey string) *SessionStore {
	return &SessionStore{PostgresStore: pgxstore.NewWithCleanupInterval(pool, 0), pool: pool, codec: codec, userKey: userKey, sessionKey: sessionKey}
}

// A SessionLookup is a request's slot for what the statement finding its
// session found of the session's person.
type SessionLookup struct {
	// now is when the request began: the session's last use, noted as
	// GetSignedInUser notes it.
	now time.Time
	// Filled by FindCtx, for a session written with its person.
	filled            bool
	userID, sessionID int64
	found             bool // the person's row exists
	in                SignedIn
}

type sessionLookupKey struct{}

// WithSessionLookup returns ctx with an empty SessionLookup, for the
// request that began at now.
func WithSessionLookup(ctx context.Context, now time.Time) context.Context {
	return context.WithValue(ctx, sessionLookupKey{}, &SessionLookup{now: now})
}

// LookedUp returns what the request's session lookup found of the person
// with the user id and user_sessions row (as GetSignedInUser would, with
// ErrNotFound for a person who no longer exists), and false when it found
// nothing of them: no SessionLookup, a session written without its person,
// or another person.
func LookedUp(ctx context.Context, userID, sessionID int64) (SignedIn, bool, error) {
	l, _ := ctx.Value(sessionLookupKey{}).(*SessionLookup)
	if l == nil || !l.filled || l.userID != userID || l.sessionID != sessionID {
		return SignedIn{}, false, nil
	}
	if !l.found {
		return SignedIn{}, true, ErrNotFound
	}
	return l.in, true, nil
}

// Find returns the session's data (scs.Store).
func (st *SessionStore) Find(token string) ([]byte, bool, error) {
	return st.FindCtx(context.Background(), token)
}

// FindCtx returns the session's data (scs.CtxStore). With a SessionLookup
// in ctx, the same statement reads the session's person, their epoch,
// whether their user_sessions row is still there and the calendar's
// version, and fills the lookup; the session's use is noted at most once a
// minute.
func (st *SessionStore) FindCtx(ctx context.Context, token string) ([]byte, bool, error) {
	l, _ := ctx.Value(sessionLookupKey{}).(*SessionLookup)
	if l == nil {
		return st.PostgresStore.Find(token)
	}
	var (
		data              []byte
		userID, sessionID int64
		in                SignedIn
		found             bool
	)
	u := &in.User
	var lastSeen *time.Time
	err := st.pool.QueryRow(ctx, `
		SELECT s.data, COALESCE(s.user_id, 0), COALESCE(s.user_session_id, 0), u.id IS NOT NULL,
			COALESCE(u.id, 0), COALESCE(u.email, ''), COALESCE(u.name, ''), COALESCE(u.role, ''),
			COALESCE(u.active, false), COALESCE(u.created_at, 'epoch'), COALESCE(u.session_epoch, 0),
			us.id IS NOT NULL, us.last_seen_at, (SELECT version FROM calendar_versions)
		FROM sessions s
		LEFT JOIN users u ON u.id = s.user_id
		LEFT JOIN user_sessions us ON us.id = s.user_session_id AND us.user_id = s.user_id
		WHERE s.token = $1 AND current_timestamp < s.expiry`, token).
		Scan(&data, &userID, &sessionID, &found, &u.ID, &u.Email, &u.Name, &u.Role, &u.Active, &u.CreatedAt, &in.Epoch, &in.Live, &lastSeen, &in.CalendarVersion)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, false, nil
	}
	if err != nil {
		return nil, false, fmt.Errorf("store: find session: %w", err)
	}
	if err := noteSeen(ctx, st.pool, in, lastSeen, userID, sessionID, l.now); err != nil {
		return nil, false, err
	}
	if userID != 0 {
		*l = SessionLookup{now: l.now, filled: true, userID: userID, sessionID: sessionID, found: found, in: in}
	}
	return data, true, nil
}

// Commit stores the session's data (scs.Store).
func (st *SessionStore) Commit(token string, b []byte, expiry time.Time) error {
	return st.CommitCtx(context.Background(), token, b, expiry)
}

// CommitCtx stores the session's data with its person (scs.CtxStore), read
// from the data itself, so that no way of writing a session can leave its
// person out of date.
func (st *SessionStore) CommitCtx(ctx context.Context, token string, b []byte, expiry time.Time) error {
	_, values, err := st.codec.Decode(b)
	if err != nil {
		return fmt.Errorf("store: commit session: %w", err)
	}
	userID, _ := values[st.userKey].(int64)
	sessionID, _ := values[st.sessionKey].(int64)
	_, err = st.pool.Exec(ctx, `
		INSERT INTO sessions (token, data, expiry, user_id, user_session_id) VALUES ($1, $2, $3, NULLIF($4, 0), NULLIF($5, 0))
		ON CONFLICT (token) DO UPDATE SET data = EXCLUDED.data, expiry = EXCLUDED.expiry,
			user_id = EXCLUDED.user_id, user_session_id = EXCLUDED.user_session_id`, token, b, expiry, userID, sessionID)
	if err != nil {
		return fmt.Errorf("store: commit session: %w", err)
	}
	return nil
}

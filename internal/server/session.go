package server

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/ofsted/focusedvisits/internal/config"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/user"
)

// Session keys.
const (
	sessionUserID = "user_id"
	sessionFlash  = "flash"
	// sessionEpoch is the user's session epoch at sign-in: changing the
	// password moves the user's epoch on, which ends every older session.
	sessionEpoch = "session_epoch"
	// sessionID is the session's row in user_sessions: its person may end
	// it from their account page, and a session whose row is gone ends.
	sessionID = "session_id"
	// sessionSeen is when the session was last used, in Unix seconds, to
	// within seenEvery. The idle timeout counts from it.
	sessionSeen = "seen_at"
)

// seenEvery is how often a session in use is written back to record that
// it was used: a signed-in request writes the session only when something
// in it changed or when its last use is older than this (issue 16.3).
const seenEvery = time.Minute

func currentUser(ctx context.Context) (user.User, bool) {
	u, ok := ctx.Value(ctxUser).(user.User)
	return u, ok
}

// loadUser puts the signed-in user, if any, into the request context. A
// session whose user no longer exists, was deactivated or has changed their
// password since the session began, or that was ended from an account page,
// is ended.
func (s *Server) loadUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := s.sessions.GetInt64(r.Context(), sessionUserID)
		if id == 0 {
			next.ServeHTTP(w, r)
			return
		}
		sid := s.sessions.GetInt64(r.Context(), sessionID)
		// The statement that found the session read its person too
		// (store.SessionStore); else (a session written before it did) a
		// statement of their own.
		in, ok, err := store.LookedUp(r.Context(), id, sid)
		if !ok {
			in, err = s.store.GetSignedInUser(r.Context(), id, sid, s.now())
		}
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			s.serveError(w, r, err)
			return
		}
		u := in.User
		if err != nil || !u.Active || !in.Live || s.sessions.GetInt(r.Context(), sessionEpoch) != in.Epoch || s.idle(r.Context()) {
			if err := s.sessions.Destroy(r.Context()); err != nil {
				s.serveError(w, r, err)
				return
			}
			next.ServeHTTP(w, r)
			return
		}
		s.markSeen(r.Context())
		ctx := context.WithValue(r.Context(), ctxUser, u)
		next.ServeHTTP(w, r.WithContext(context.WithValue(ctx, ctxCalendarVersion, in.CalendarVersion)))
	})
}

// idle reports whether the session was last used longer ago than the idle
// timeout. The session manager's own IdleTimeout is not used: it writes the
// session back on every request to move its expiry.
func (s *Server) idle(ctx context.Context) bool {
	seen := s.sessions.GetInt64(ctx, sessionSeen)
	return seen != 0 && s.now().Sub(time.Unix(seen, 0)) > s.cfg.SessionIdleTimeout
}

// markSeen records that the session is in use when its last record is
// older than seenEvery, so the session is written back at most once a
// minute by requests that change nothing else in it.
func (s *Server) markSeen(ctx context.Context) {
	now := s.now()
	if seen := s.sessions.GetInt64(ctx, sessionSeen); seen == 0 || now.Sub(time.Unix(seen, 0)) >= seenEvery {
		s.sessions.Put(ctx, sessionSeen, now.Unix())
	}
}

// signIn starts an authenticated session for u with a new token, and its
// row in user_sessions (device and address, for the account page).
func (s *Server) signIn(r *http.Request, u user.User) error {
	ctx := r.Context()
	_, epoch, err := s.store.GetUserSession(ctx, u.ID)
	if err != nil {
		return err
	}
	address := clientAddress(r, s.cfg.TrustedProxies)
	sid, err := s.store.StartUserSession(ctx, u.ID, r.UserAgent(), address.String(), s.now(), s.cfg.SessionLifetime)
	if err != nil {
		return err
	}
	// A brand-new session: new token, and the absolute lifetime counts from now.
	if err := s.sessions.Destroy(ctx); err != nil {
		return err
	}
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.sessions.Put(ctx, sessionUserID, u.ID)
	s.sessions.Put(ctx, sessionEpoch, epoch)
	s.sessions.Put(ctx, sessionID, sid)
	s.sessions.Put(ctx, "signed_in_at", s.now().Unix())
	s.sessions.Put(ctx, sessionSeen, s.now().Unix())
	return nil
}

// NewSessionManager builds the session manager over PostgreSQL with the
// service's cookie settings and absolute lifetime. The idle timeout is the
// server's (Server.idle), not the manager's, which would write the session
// back on every request. Sessions are encoded by store.SessionCodec. Its
// store (store.SessionStore) reads a session's person with the session, for
// loadUser; the caller deletes expired sessions
// (store.DeleteExpiredSessions).
func NewSessionManager(cfg config.Config, pool *pgxpool.Pool) *scs.SessionManager {
	sm := scs.New()
	sm.Codec = store.SessionCodec{Gob: cfg.SessionEncoding == "gob"}
	sm.Store = store.NewSessionStore(pool, sm.Codec, sessionUserID, sessionID)
	sm.Lifetime = cfg.SessionLifetime
	sm.HashTokenInStore = true
	sm.Cookie.Name = "focusedvisits_session"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = cfg.SecureCookies()
	sm.Cookie.Path = "/"
	return sm
}

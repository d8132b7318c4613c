package server

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/user"
)

// Session keys.
const (
	sessionUserID = "user_id"
	sessionFlash  = "flash"
)

func currentUser(ctx context.Context) (user.User, bool) {
	u, ok := ctx.Value(ctxUser).(user.User)
	return u, ok
}

// loadUser puts the signed-in user, if any, into the request context. A
// session whose user no longer exists or was deactivated is ended.
func (s *Server) loadUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := s.sessions.GetInt64(r.Context(), sessionUserID)
		if id == 0 {
			next.ServeHTTP(w, r)
			return
		}
		u, err := s.store.GetUser(r.Context(), id)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			s.serveError(w, r, err)
			return
		}
		if err != nil || !u.Active {
			if err := s.sessions.Destroy(r.Context()); err != nil {
				s.serveError(w, r, err)
				return
			}
			next.ServeHTTP(w, r)
			return
		}
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxUser, u)))
	})
}

// signIn starts an authenticated session for u with a new token.
func (s *Server) signIn(r *http.Request, u user.User) error {
	// A brand-new session: new token, and the absolute lifetime counts from now.
	if err := s.sessions.Destroy(r.Context()); err != nil {
		return err
	}
	if err := s.sessions.RenewToken(r.Context()); err != nil {
		return err
	}
	s.sessions.Put(r.Context(), sessionUserID, u.ID)
	s.sessions.Put(r.Context(), "signed_in_at", time.Now().Unix())
	return nil
}

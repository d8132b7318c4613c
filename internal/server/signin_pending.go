package server

import (
	"errors"
	"net/http"
	"time"

	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/user"
)

// A sign-in in two steps: once the password is right, a person with a
// second factor (or who must set one up, REQUIRE_TWO_FACTOR) is not yet
// signed in: their session holds who they are proving to be, for
// pendingTTL, until the code from their authenticator app (or a recovery
// code) is right. Only then is the session signed in, under a new token.

// Session keys of a sign-in waiting for its second factor.
const (
	pendingUserID  = "pending_user_id"
	pendingEpoch   = "pending_epoch"
	pendingNext    = "pending_next"
	pendingAt      = "pending_at"
	pendingAddress = "pending_address"
	// pendingSetUpKey is the authenticator key being set up, kept in the
	// session (not the database) until a code from it is right.
	pendingSetUpKey = "pending_totp_key"
	// recoveryCodes are shown once, on the page after set-up.
	recoveryCodes = "recovery_codes"
)

// pendingTTL is how long the second step may wait for the first.
const pendingTTL = 10 * time.Minute

// passwordAccepted goes on from a right password: straight to signed in
// when no second factor is needed, else to the second step.
func (s *Server) passwordAccepted(w http.ResponseWriter, r *http.Request, u user.User, next, address string) error {
	ctx := r.Context()
	_, err := s.store.GetTwoFactor(ctx, u.ID)
	hasSecond := err == nil
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if !hasSecond && !s.cfg.RequireTwoFactor {
		return s.completeSignIn(w, r, u, next, address)
	}
	// The right password is not a failure, but neither does it end the run
	// of failures: only the whole sign-in does, so every wrong code counts.
	if err := s.store.ReleaseSignIn(ctx, u.Email, address); err != nil {
		return err
	}
	if err := s.startPending(r, u, next, address); err != nil {
		return err
	}
	target := "/sign-in/two-factor"
	if !hasSecond {
		target += "/set-up"
	}
	http.Redirect(w, r, target, http.StatusSeeOther)
	return nil
}

// startPending begins the second step for u, in a new session.
func (s *Server) startPending(r *http.Request, u user.User, next, address string) error {
	ctx := r.Context()
	_, epoch, err := s.store.GetUserSession(ctx, u.ID)
	if err != nil {
		return err
	}
	if err := s.sessions.Destroy(ctx); err != nil {
		return err
	}
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.sessions.Put(ctx, pendingUserID, u.ID)
	s.sessions.Put(ctx, pendingEpoch, epoch)
	s.sessions.Put(ctx, pendingNext, next)
	s.sessions.Put(ctx, pendingAddress, address)
	s.sessions.Put(ctx, pendingAt, s.now().Unix())
	return nil
}

// pendingUser is the person whose second step this session waits for, or
// false when it waits for none (or waited too long, or their account or
// password changed meanwhile).
func (s *Server) pendingUser(r *http.Request) (user.User, bool, error) {
	ctx := r.Context()
	id := s.sessions.GetInt64(ctx, pendingUserID)
	at := time.Unix(s.sessions.GetInt64(ctx, pendingAt), 0)
	if id == 0 || s.now().Sub(at) > pendingTTL {
		return user.User{}, false, nil
	}
	u, epoch, err := s.store.GetUserSession(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return user.User{}, false, nil
	}
	if err != nil {
		return user.User{}, false, err
	}
	if !u.Active || epoch != s.sessions.GetInt(ctx, pendingEpoch) {
		return user.User{}, false, nil
	}
	return u, true, nil
}

// completeSignIn signs u in (a new session), ends the account's run of
// failures and goes to next.
func (s *Server) completeSignIn(w http.ResponseWriter, r *http.Request, u user.User, next, address string) error {
	if err := s.finishSignIn(r, u, address); err != nil {
		return err
	}
	http.Redirect(w, r, safeNext(next), http.StatusSeeOther)
	return nil
}

// finishSignIn ends the account's run of failures and signs u in, in a new
// session.
func (s *Server) finishSignIn(r *http.Request, u user.User, address string) error {
	ctx := r.Context()
	if err := s.store.SignInSucceeded(ctx, u.Email, address); err != nil {
		return err
	}
	if err := s.signIn(r, u); err != nil {
		return err
	}
	s.log.InfoContext(ctx, "signed in", "request_id", requestID(ctx), "user_id", u.ID, "role", u.Role)
	return nil
}

// orSignIn returns err, or when there is none (the session waits for no
// second step) sends it back to sign in.
func orSignIn(w http.ResponseWriter, r *http.Request, err error) error {
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/sign-in", http.StatusSeeOther)
	return nil
}

package server

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/web/pages"
)

// The second step of signing in: the code from an authenticator app (TOTP)
// or a recovery code; and setting the app up at first sign-in. Each code
// is an attempt under the sign-in limits, as a password is: wrong codes
// count towards the lock-out.

func (s *Server) handleTwoFactorShow(w http.ResponseWriter, r *http.Request) error {
	if _, ok, err := s.pendingUser(r); err != nil || !ok {
		return orSignIn(w, r, err)
	}
	return s.render(w, r, http.StatusOK, pages.TwoFactor(pages.TwoFactorView{Page: s.page(r, "Enter the code from your authenticator app")}))
}

// readCode reads the code field: blank or far too long is an error.
func readCode(r *http.Request) (string, form.Errors) {
	var errs form.Errors
	code := strings.TrimSpace(r.PostForm.Get("code"))
	switch {
	case code == "":
		errs.Add("code", "Enter the code from your authenticator app")
	case len(code) > 32:
		errs.Add("code", "Enter the 6-digit code from your authenticator app, or a recovery code")
	}
	return code, errs
}

// codeAttempt counts an attempt at a code for u (reserveAttempt) and says,
// as errors for the code field, when the account is locked.
func (s *Server) codeAttempt(w http.ResponseWriter, r *http.Request, u user.User) (passwordCheck, form.Errors, error) {
	c, _, err := s.reserveAttempt(r, u.Email)
	if err != nil {
		return c, nil, err
	}
	var errs form.Errors
	if c.Locked {
		w.Header().Set("Retry-After", strconv.Itoa(int(c.RetryAfter.Seconds())+1))
		errs.Add("code", "You have entered a wrong password or code too many times. Wait "+minutes(c.RetryAfter)+", then try again")
	}
	return c, errs, nil
}

func (s *Server) handleTwoFactorCheck(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	u, ok, err := s.pendingUser(r)
	if err != nil || !ok {
		return orSignIn(w, r, err)
	}
	show := func(status int, errs form.Errors) error {
		v := pages.TwoFactorView{Page: s.page(r, "Enter the code from your authenticator app"), Errors: errs}
		v.Page.HasErrors = true
		return s.render(w, r, status, pages.TwoFactor(v))
	}
	code, errs := readCode(r)
	if errs.Any() {
		return show(http.StatusUnprocessableEntity, errs)
	}
	c, errs, err := s.codeAttempt(w, r, u)
	if err != nil {
		return err
	}
	if errs.Any() {
		return show(http.StatusTooManyRequests, errs)
	}
	ok, msg, err := s.checkSecondFactor(r, u, code)
	if err != nil {
		return err
	}
	if !ok {
		s.log.InfoContext(r.Context(), "second factor failed", "request_id", requestID(r.Context()), "user_id", u.ID, "address", c.Address)
		errs.Add("code", "The code is not right: enter the code your app shows now, or one of your recovery codes")
		return show(http.StatusUnprocessableEntity, errs)
	}
	next, address := s.sessions.GetString(r.Context(), pendingNext), s.sessions.GetString(r.Context(), pendingAddress)
	if err := s.finishSignIn(r, u, address); err != nil {
		return err
	}
	if msg != "" {
		s.flash(r, msg)
	}
	http.Redirect(w, r, safeNext(next), http.StatusSeeOther)
	return nil
}

// checkSecondFactor checks a code from u's app, or one of their recovery
// codes (spent if right). msg is what to tell them afterwards.
func (s *Server) checkSecondFactor(r *http.Request, u user.User, code string) (ok bool, msg string, err error) {
	ctx := r.Context()
	if user.IsRecoveryCode(code) {
		ok, left, err := s.store.UseRecoveryCode(ctx, u.ID, user.HashRecoveryCode(code))
		if err != nil || !ok {
			return false, "", err
		}
		return true, fmt.Sprintf("You signed in with a recovery code. You have %d left: if you have lost your phone, ask your service administrator to reset your second factor", left), nil
	}
	tf, err := s.store.GetTwoFactor(ctx, u.ID)
	if errors.Is(err, store.ErrNotFound) {
		return false, "", nil
	}
	if err != nil {
		return false, "", err
	}
	step, ok := user.CheckTOTP(tf.Secret, code, s.now(), tf.LastStep)
	if !ok {
		return false, "", nil
	}
	ok, err = s.store.AcceptTOTPStep(ctx, u.ID, step)
	return ok, "", err
}

// setUpKey is the authenticator key being set up in this session, made
// the first time it is asked for.
func (s *Server) setUpKey(r *http.Request, u user.User) (user.TOTPKey, error) {
	ctx := r.Context()
	if url := s.sessions.GetString(ctx, pendingSetUpKey); url != "" {
		if k, err := user.ParseTOTPKey(url); err == nil {
			return k, nil
		}
	}
	k, err := user.NewTOTPKey(u.Email)
	if err != nil {
		return k, err
	}
	s.sessions.Put(ctx, pendingSetUpKey, k.URL)
	return k, nil
}

func (s *Server) renderSetUp(w http.ResponseWriter, r *http.Request, status int, k user.TOTPKey, errs form.Errors) error {
	qr, err := k.QRCode()
	if err != nil {
		return err
	}
	v := pages.TwoFactorSetUpView{Page: s.page(r, "Set up your authenticator app"), QRCode: qr, Secret: k.GroupedSecret(), Errors: errs}
	v.Page.HasErrors = errs.Any()
	return s.render(w, r, status, pages.TwoFactorSetUp(v))
}

func (s *Server) handleTwoFactorSetUpShow(w http.ResponseWriter, r *http.Request) error {
	u, ok, err := s.pendingUser(r)
	if err != nil || !ok {
		return orSignIn(w, r, err)
	}
	k, err := s.setUpKey(r, u)
	if err != nil {
		return err
	}
	return s.renderSetUp(w, r, http.StatusOK, k, nil)
}

func (s *Server) handleTwoFactorSetUp(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	u, ok, err := s.pendingUser(r)
	if err != nil || !ok {
		return orSignIn(w, r, err)
	}
	k, err := s.setUpKey(r, u)
	if err != nil {
		return err
	}
	code, errs := readCode(r)
	if !errs.Any() {
		var c passwordCheck
		if c, errs, err = s.codeAttempt(w, r, u); err != nil {
			return err
		} else if c.Locked {
			return s.renderSetUp(w, r, http.StatusTooManyRequests, k, errs)
		}
		step, ok := user.CheckTOTP(k.Secret, code, s.now(), 0)
		if !ok {
			errs.Add("code", "The code is not right: enter the 6-digit code your app shows now for Focused visits")
		} else if err := s.enableTwoFactor(r, u, k, step); err != nil {
			return err
		}
	}
	if errs.Any() {
		return s.renderSetUp(w, r, http.StatusUnprocessableEntity, k, errs)
	}
	http.Redirect(w, r, "/account/recovery-codes", http.StatusSeeOther)
	return nil
}

// enableTwoFactor stores u's new key and recovery codes, signs u in, and
// keeps the codes in the session for the page that shows them once.
func (s *Server) enableTwoFactor(r *http.Request, u user.User, k user.TOTPKey, step int64) error {
	ctx := r.Context()
	codes, hashes, err := user.NewRecoveryCodes()
	if err != nil {
		return err
	}
	err = s.store.EnableTwoFactor(ctx, u.ID, k.Secret, step, hashes)
	if errors.Is(err, store.ErrConflict) {
		return forbidden(err) // set up meanwhile in another window: sign in with that one
	}
	if err != nil {
		return err
	}
	next, address := s.sessions.GetString(ctx, pendingNext), s.sessions.GetString(ctx, pendingAddress)
	if err := s.finishSignIn(r, u, address); err != nil {
		return err
	}
	s.sessions.Put(ctx, recoveryCodes, strings.Join(codes, "\n"))
	s.sessions.Put(ctx, pendingNext, safeNext(next))
	s.log.InfoContext(ctx, "second factor set up", "request_id", requestID(ctx), "user_id", u.ID)
	return nil
}

// handleRecoveryCodes shows the recovery codes just made, once.
func (s *Server) handleRecoveryCodes(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	v := pages.RecoveryCodesView{Page: s.page(r, "Your recovery codes"), Next: safeNext(s.sessions.PopString(ctx, pendingNext))}
	if codes := s.sessions.PopString(ctx, recoveryCodes); codes != "" {
		v.Codes = strings.Split(codes, "\n")
	}
	return s.render(w, r, http.StatusOK, pages.RecoveryCodes(v))
}

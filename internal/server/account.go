package server

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/web/pages"
)

// passwordForm is the change-your-password form. Passwords are taken as
// typed: never trimmed or cleaned.
type passwordForm struct {
	Current, New, Confirm string
}

// Valid checks what can be checked without the stored hash.
func (f passwordForm) Valid() form.Errors {
	var errs form.Errors
	if f.Current == "" {
		errs.Add("current-password", "Enter your current password")
	} else if len(f.Current) > 1024 {
		errs.Add("current-password", "Password must be 1024 characters or fewer")
	}
	if f.New == "" {
		errs.Add("new-password", "Enter a new password")
	} else if msg := user.CheckPassword(f.New); msg != "" {
		errs.Add("new-password", msg)
	} else if f.New == f.Current {
		errs.Add("new-password", "New password must be different from your current password")
	}
	if f.Confirm == "" && f.New != "" {
		errs.Add("confirm-password", "Confirm your new password")
	} else if f.Confirm != f.New && f.New != "" {
		errs.Add("confirm-password", "Passwords must match")
	}
	return errs
}

func (s *Server) handleAccountPasswordShow(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, pages.AccountPassword(pages.AccountPasswordView{Page: s.page(r, "Change your password")}))
}

// handleAccountPassword changes the signed-in user's password. On success
// every other session of the user ends (their session epoch moves on), this
// one carries on under a new token.
func (s *Server) handleAccountPassword(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	ctx := r.Context()
	u, _ := currentUser(ctx)
	f := passwordForm{Current: r.PostForm.Get("current-password"), New: r.PostForm.Get("new-password"), Confirm: r.PostForm.Get("confirm-password")}
	show := func(status int, errs form.Errors) error {
		v := pages.AccountPasswordView{Page: s.page(r, "Change your password"), Errors: errs}
		v.Page.HasErrors = true
		return s.render(w, r, status, pages.AccountPassword(v))
	}
	if errs := f.Valid(); errs.Any() {
		return show(http.StatusUnprocessableEntity, errs)
	}
	// The current password is checked as a sign-in is, under the same
	// limits, so a session left open is no way round them.
	hash, err := s.store.GetPasswordHash(ctx, u.ID)
	if err != nil {
		return err
	}
	c, err := s.checkPassword(r, u.Email, hash, f.Current)
	if err != nil {
		return fmt.Errorf("change password %d: %w", u.ID, err)
	}
	if c.Locked {
		w.Header().Set("Retry-After", strconv.Itoa(int(c.RetryAfter.Seconds())+1))
		var errs form.Errors
		errs.Add("current-password", "You have entered the wrong password too many times. Wait "+minutes(c.RetryAfter)+", then try again")
		return show(http.StatusTooManyRequests, errs)
	}
	if !c.OK {
		var errs form.Errors
		errs.Add("current-password", "Your current password is incorrect")
		return show(http.StatusUnprocessableEntity, errs)
	}
	if err := s.store.SignInSucceeded(ctx, u.Email, c.Address); err != nil {
		return err
	}
	newHash, err := s.hasher.Hash(ctx, f.New)
	if err != nil {
		return err
	}
	epoch, revokedCalendar, err := s.store.ChangePassword(ctx, u.ID, hash, newHash)
	if errors.Is(err, store.ErrConflict) {
		var errs form.Errors
		errs.Add("current-password", "Your password was changed at the same time somewhere else. Enter your current password again")
		return show(http.StatusConflict, errs)
	}
	if err != nil {
		return err
	}
	// This session carries on under a new token and the new epoch.
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.sessions.Put(ctx, sessionEpoch, epoch)
	if err := s.store.EndOtherSessions(ctx, u.ID, s.sessions.GetInt64(ctx, sessionID)); err != nil {
		return err
	}
	s.log.InfoContext(ctx, "password changed", "request_id", requestID(ctx), "user_id", u.ID)
	if revokedCalendar {
		s.flash(r, "Your password has been changed. Your private calendar link no longer works: make a new one to keep your calendar up to date")
	} else {
		s.flash(r, "Your password has been changed")
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}

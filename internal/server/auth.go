package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/web/pages"
)

type signInForm struct {
	Email    string
	Password string
	Next     string
}

func (f signInForm) Valid() form.Errors {
	var errs form.Errors
	if strings.TrimSpace(f.Email) == "" {
		errs.Add("email", "Enter your email address")
	} else if len(f.Email) > 254 {
		errs.Add("email", "Email address must be 254 characters or fewer")
	} else if !utf8.ValidString(f.Email) || strings.ContainsFunc(f.Email, unicode.IsControl) {
		// PostgreSQL refuses NUL and invalid UTF-8 in text: without this
		// check the lookup (and the failure record) would be a 500.
		errs.Add("email", "Enter an email address in the correct format, like name@example.com")
	}
	if f.Password == "" {
		errs.Add("password", "Enter your password")
	} else if len(f.Password) > 1024 {
		errs.Add("password", "Password must be 1024 characters or fewer")
	}
	return errs
}

// safeNext returns next if it is a path on this site exactly as given, else
// "/". Nothing is removed or repaired: next must start with a single "/",
// hold only printable ASCII (no space, tab, newline or other control
// character, which browsers drop or read differently), no backslash (which
// browsers read as "/") and no "//" anywhere, and read back unchanged as a
// URL with neither scheme nor host.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.Contains(next, "//") || strings.Contains(next, "\\") {
		return "/"
	}
	for i := 0; i < len(next); i++ {
		if c := next[i]; c <= ' ' || c >= 0x7f {
			return "/"
		}
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" || u.String() != next {
		return "/"
	}
	return next
}

func (s *Server) handleSignInShow(w http.ResponseWriter, r *http.Request) error {
	if _, ok := currentUser(r.Context()); ok {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return nil
	}
	v := pages.SignInView{Page: s.page(r, "Sign in"), Next: safeNext(r.URL.Query().Get("next")), SSO: s.cfg.OIDC.Enabled()}
	v.Page.Flash = s.sessions.PopString(r.Context(), sessionFlash)
	if c, err := r.Cookie(signedOutCookie); err == nil && c.Value == "1" {
		v.Page.Flash = "You have signed out"
		s.setSignedOutCookie(w, false)
	}
	return s.render(w, r, http.StatusOK, pages.SignIn(v))
}

func (s *Server) handleSignInCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseFormUpTo(w, r, 16<<10); err != nil {
		return err
	}
	f := signInForm{Email: strings.TrimSpace(r.PostForm.Get("email")), Password: r.PostForm.Get("password"), Next: safeNext(r.PostForm.Get("next"))}
	show := func(status int, errs form.Errors) error {
		v := pages.SignInView{Page: s.page(r, "Sign in"), Email: f.Email, Next: f.Next, Errors: errs, SSO: s.cfg.OIDC.Enabled()}
		v.Page.HasErrors = true
		return s.render(w, r, status, pages.SignIn(v))
	}
	if errs := f.Valid(); errs.Any() {
		return show(http.StatusUnprocessableEntity, errs)
	}

	ctx := r.Context()
	u, hash, err := s.store.GetUserForSignIn(ctx, f.Email)
	switch {
	case errors.Is(err, store.ErrNotFound):
		hash = "" // checked against the dummy hash, at the same cost
	case err != nil:
		return err
	}
	c, err := s.checkPassword(r, f.Email, hash, f.Password)
	if err != nil {
		return fmt.Errorf("sign in: %w", err)
	}
	if c.Locked {
		w.Header().Set("Retry-After", strconv.Itoa(int(c.RetryAfter.Seconds())+1))
		var errs form.Errors
		errs.Add("email", "You have entered the wrong password too many times. Wait "+minutes(c.RetryAfter)+", then try again")
		return show(http.StatusTooManyRequests, errs)
	}
	if !c.OK {
		s.log.InfoContext(ctx, "sign-in failed", "request_id", requestID(ctx), "address", c.Address)
		var errs form.Errors
		errs.Add("email", "Enter a correct email address and password")
		return show(http.StatusUnprocessableEntity, errs)
	}
	return s.passwordAccepted(w, r, u, f.Next, c.Address)
}

// passwordCheck is a password checked under the sign-in limits.
type passwordCheck struct {
	user.Verdict
	// OK: the password is right (never for an account that does not exist).
	OK bool
	// Address is the client address the attempt was counted under.
	Address string
}

// checkPassword checks a password for the account with the email address,
// under the sign-in limits (user.SignInRules). hash is the account's stored
// hash, or "" when there is no such account: then the dummy hash is checked
// instead, at the same cost and through the same slots, and the attempt is
// counted just the same, so that nothing tells the two apart.
//
// The attempt is counted, for the account and the client address, before
// anything is checked (reserveAttempt); the password is then checked
// through the hasher, which bounds how many hashes are computed at once. A
// right password does not end the account's run of failures itself: the
// caller does (store.SignInSucceeded) once the whole sign-in has succeeded,
// so that for a person with a second factor every wrong code still counts.
// An attempt never checked (the hasher stayed busy, giving user.ErrBusy;
// the client went away) is given back.
func (s *Server) checkPassword(r *http.Request, email, hash, password string) (passwordCheck, error) {
	ctx := r.Context()
	c, unchecked, err := s.reserveAttempt(r, email)
	if err != nil || c.Locked {
		return c, err
	}
	if hash == "" {
		err = s.hasher.CheckNoUser(ctx, password)
	} else {
		c.OK, err = s.hasher.Check(ctx, hash, password)
	}
	if errors.Is(err, user.ErrBusy) || err != nil && ctx.Err() != nil {
		return c, unchecked(err)
	}
	return c, err
}

// reserveAttempt counts an attempt (a password or a second factor's code)
// for the account and the client address before anything is checked, and
// says what to do with it: a locked account's attempt is refused unchecked
// (Locked); otherwise the answer is held back as long as the address's
// failures ask. unchecked gives the attempt back when it is never checked.
func (s *Server) reserveAttempt(r *http.Request, email string) (c passwordCheck, unchecked func(error) error, err error) {
	ctx := r.Context()
	rules := s.signInRules()
	now := s.now()
	c = passwordCheck{Address: user.AddressKey(clientAddress(r, s.cfg.TrustedProxies))}
	a, err := s.store.ReserveSignIn(ctx, email, c.Address, now, rules.Lockout, rules.MaxFailures)
	if err != nil {
		return c, nil, err
	}
	c.Verdict = rules.Check(a, now)
	unchecked = func(err error) error {
		if rerr := s.store.ReleaseSignIn(context.WithoutCancel(ctx), email, c.Address); rerr != nil {
			return errors.Join(err, rerr)
		}
		return err
	}
	if c.Locked {
		return c, unchecked, nil
	}
	if c.Delay > 0 {
		s.log.InfoContext(ctx, "sign-in slowed", "request_id", requestID(ctx), "address", c.Address, "delay", c.Delay)
		t := time.NewTimer(c.Delay)
		select {
		case <-t.C:
		case <-ctx.Done():
			t.Stop()
			return c, unchecked, unchecked(ctx.Err())
		}
	}
	return c, unchecked, nil
}

// signInRules are the sign-in limits from the settings.
func (s *Server) signInRules() user.SignInRules {
	return user.SignInRules{MaxFailures: s.cfg.SignInMaxFailures, Lockout: s.cfg.SignInLockout, MaxDelay: s.cfg.SignInAddressDelay}
}

// signedOutCookie tells the sign-in page, once, that the user has just
// signed out. It is a plain cookie, not a stored session, so that signing out
// (even of nothing, by anyone) never stores a session.
const signedOutCookie = "focusedvisits_signed_out"

func (s *Server) handleSignOut(w http.ResponseWriter, r *http.Request) error {
	if sid := s.sessions.GetInt64(r.Context(), sessionID); sid != 0 {
		if err := s.store.ForgetUserSession(r.Context(), sid); err != nil {
			return err
		}
	}
	if s.sessions.Token(r.Context()) != "" {
		if err := s.sessions.Destroy(r.Context()); err != nil {
			return err
		}
	}
	s.setSignedOutCookie(w, true)
	http.Redirect(w, r, "/sign-in", http.StatusSeeOther)
	return nil
}

// setSignedOutCookie sets the signed-out confirmation for the sign-in page,
// or clears it once shown.
func (s *Server) setSignedOutCookie(w http.ResponseWriter, set bool) {
	c := &http.Cookie{
		Name: signedOutCookie, Value: "1", Path: "/sign-in", MaxAge: 60,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: s.cfg.SecureCookies(),
	}
	if !set {
		c.Value, c.MaxAge = "", -1
	}
	http.SetCookie(w, c)
}

// minutes says a wait in whole minutes, rounded up, as people say it.
func minutes(d time.Duration) string {
	m := int((d + time.Minute - 1) / time.Minute)
	if m <= 1 {
		return "1 minute"
	}
	return fmt.Sprintf("%d minutes", m)
}

package server

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/web/pages"
)

// addressFactor times SIGN_IN_MAX_FAILURES is how many failures one client
// address may make, across accounts, within SIGN_IN_LOCKOUT.
const addressFactor = 4

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
	v := pages.SignInView{Page: s.page(r, "Sign in"), Next: safeNext(r.URL.Query().Get("next"))}
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
		v := pages.SignInView{Page: s.page(r, "Sign in"), Email: f.Email, Next: f.Next, Errors: errs}
		v.Page.HasErrors = true
		return s.render(w, r, status, pages.SignIn(v))
	}
	if errs := f.Valid(); errs.Any() {
		return show(http.StatusUnprocessableEntity, errs)
	}

	ctx := r.Context()
	addr := clientAddress(r)
	now := s.now()
	window := s.cfg.SignInLockout
	byEmail, byAddress, nthOldest, err := s.store.SignInFailures(ctx, f.Email, addr, now.Add(-window), s.cfg.SignInMaxFailures)
	if err != nil {
		return err
	}
	if byEmail >= s.cfg.SignInMaxFailures || byAddress >= s.cfg.SignInMaxFailures*addressFactor {
		wait := window
		if byEmail >= s.cfg.SignInMaxFailures {
			wait = nthOldest.Add(window).Sub(now)
		}
		w.Header().Set("Retry-After", fmt.Sprint(int(wait.Seconds())+1))
		var errs form.Errors
		errs.Add("email", "You have entered the wrong password too many times. Wait "+minutes(wait)+", then try again")
		return show(http.StatusTooManyRequests, errs)
	}

	u, hash, err := s.store.GetUserForSignIn(ctx, f.Email)
	ok := false
	switch {
	case errors.Is(err, store.ErrNotFound):
		user.CheckNoUser(f.Password)
	case err != nil:
		return err
	default:
		ok, err = user.CheckPasswordHash(hash, f.Password)
		if err != nil {
			return fmt.Errorf("sign in %d: %w", u.ID, err)
		}
	}
	if !ok {
		if err := s.store.RecordSignInFailure(ctx, f.Email, addr); err != nil {
			return err
		}
		s.log.InfoContext(ctx, "sign-in failed", "request_id", requestID(ctx), "address", addr)
		var errs form.Errors
		errs.Add("email", "Enter a correct email address and password")
		return show(http.StatusUnprocessableEntity, errs)
	}
	if err := s.store.ClearSignInFailures(ctx, f.Email); err != nil {
		return err
	}
	if err := s.signIn(r, u); err != nil {
		return err
	}
	s.log.InfoContext(ctx, "signed in", "request_id", requestID(ctx), "user_id", u.ID, "role", u.Role)
	http.Redirect(w, r, f.Next, http.StatusSeeOther)
	return nil
}

// signedOutCookie tells the sign-in page, once, that the user has just
// signed out. It is a plain cookie, not a stored session, so that signing out
// (even of nothing, by anyone) never stores a session.
const signedOutCookie = "focusedvisits_signed_out"

func (s *Server) handleSignOut(w http.ResponseWriter, r *http.Request) error {
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

// clientAddress is the address a request came from, for throttling.
func clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// minutes says a wait in whole minutes, rounded up, as people say it.
func minutes(d time.Duration) string {
	m := int((d + time.Minute - 1) / time.Minute)
	if m <= 1 {
		return "1 minute"
	}
	return fmt.Sprintf("%d minutes", m)
}

package server

import (
	"errors"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/notify"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/web/pages"
)

// Links sent by email: a forgotten password's reset link and an
// invitation. Each works once, until it expires, and only for an active
// person; opening one (GET) changes nothing, choosing the password (POST)
// spends it and ends every session of the person.

func (s *Server) handleForgotPasswordShow(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, pages.ForgotPassword(pages.ForgotPasswordView{Page: s.page(r, "Reset your password")}))
}

// handleForgotPassword sends a reset link to the address if it belongs to
// an active person, and answers the same page whether or not it does,
// after the same work: a password hash computed through the hasher (as a
// sign-in with an unknown email does), the message worded, and the same
// statements sent to PostgreSQL (store.RequestPasswordReset), which find
// the person or do not.
func (s *Server) handleForgotPassword(w http.ResponseWriter, r *http.Request) error {
	if err := parseFormUpTo(w, r, 16<<10); err != nil {
		return err
	}
	ctx := r.Context()
	email := strings.TrimSpace(r.PostForm.Get("email"))
	f := signInForm{Email: email, Password: "-"}
	if errs := f.Valid(); errs.Any() {
		v := pages.ForgotPasswordView{Page: s.page(r, "Reset your password"), Email: email, Errors: errs}
		v.Page.HasErrors = true
		return s.render(w, r, http.StatusUnprocessableEntity, pages.ForgotPassword(v))
	}
	token, tok, err := s.newLink(s.cfg.PasswordResetTTL)
	if err != nil {
		return err
	}
	if err := s.hasher.CheckNoUser(ctx, token); err != nil {
		return err
	}
	msg := s.resetMessage(notify.Recipient{Email: email}, token, tok.Expires)
	if err := s.store.RequestPasswordReset(ctx, email, tok, msg); err != nil {
		return err
	}
	v := pages.ForgotPasswordView{Page: s.page(r, "Check your email"), Email: email, Sent: true}
	return s.render(w, r, http.StatusOK, pages.ForgotPassword(v))
}

// passwordLink is one kind of link that sets a password.
type passwordLink struct {
	purpose, path, title, button, problem string
	intro                                 func(a user.Account) string
}

var (
	resetLink = passwordLink{purpose: "password_reset", path: "/reset-password/", title: "Choose a new password", button: "Change password",
		problem: "Ask for a new link from the sign-in page: choose \u201cForgot your password?\u201d.",
		intro: func(a user.Account) string {
			return "Choose a new password for " + a.Email + ". You will be signed out everywhere, then sign in with it."
		}}
	invitationLink = passwordLink{purpose: "invitation", path: "/invitations/", title: "Choose your password", button: "Continue",
		problem: "Ask your service administrator to send you a new invitation.",
		intro: func(a user.Account) string {
			return "Welcome to Focused visits, " + a.Name + ". Choose a password for " + a.Email + "."
		}}
)

// linkAccount is the person a link's token is for while it works, or the
// link-problem page (404).
func (s *Server) linkAccount(w http.ResponseWriter, r *http.Request, l passwordLink) (user.Account, []byte, bool, error) {
	hash := user.HashLinkToken(chi.URLParam(r, "token"))
	if hash != nil {
		a, _, err := s.store.LinkTokenAccount(r.Context(), l.purpose, hash, s.now())
		if err == nil {
			return a, hash, true, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return a, nil, false, err
		}
	}
	v := pages.LinkProblemView{Page: s.page(r, "This link does not work"), What: l.problem}
	return user.Account{}, nil, false, s.render(w, r, http.StatusNotFound, pages.LinkProblem(v))
}

func (s *Server) choosePasswordPage(r *http.Request, l passwordLink, a user.Account, errs form.Errors) pages.ChoosePasswordView {
	v := pages.ChoosePasswordView{Page: s.page(r, l.title), Action: l.path + chi.URLParam(r, "token"), Intro: l.intro(a), Email: a.Email, Button: l.button, Errors: errs}
	v.Page.HasErrors = errs.Any()
	return v
}

// showPasswordLink is the GET of a link: the form to choose a password.
func (s *Server) showPasswordLink(l passwordLink) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		a, _, ok, err := s.linkAccount(w, r, l)
		if !ok || err != nil {
			return err
		}
		return s.render(w, r, http.StatusOK, pages.ChoosePassword(s.choosePasswordPage(r, l, a, nil)))
	}
}

// newPasswordErrors checks a new password and its confirmation.
func newPasswordErrors(p, confirm string) form.Errors {
	var errs form.Errors
	if p == "" {
		errs.Add("new-password", "Enter a password")
	} else if msg := user.CheckPassword(p); msg != "" {
		errs.Add("new-password", msg)
	}
	if p != "" && confirm == "" {
		errs.Add("confirm-password", "Confirm your password")
	} else if p != "" && confirm != p {
		errs.Add("confirm-password", "Passwords must match")
	}
	return errs
}

// usePasswordLink is the POST of a link: it sets the password and spends
// the link. A reset goes to sign in; an invitation goes on to the second
// step (setting up the authenticator app) or, without one, signs in.
func (s *Server) usePasswordLink(l passwordLink) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := parseForm(w, r); err != nil {
			return err
		}
		ctx := r.Context()
		a, hash, ok, err := s.linkAccount(w, r, l)
		if !ok || err != nil {
			return err
		}
		p := r.PostForm.Get("new-password")
		if errs := newPasswordErrors(p, r.PostForm.Get("confirm-password")); errs.Any() {
			return s.render(w, r, http.StatusUnprocessableEntity, pages.ChoosePassword(s.choosePasswordPage(r, l, a, errs)))
		}
		pw, err := s.hasher.Hash(ctx, p)
		if err != nil {
			return err
		}
		u, err := s.store.UseLinkToken(ctx, l.purpose, hash, pw, s.now())
		if errors.Is(err, store.ErrNotFound) { // spent at the same moment elsewhere
			v := pages.LinkProblemView{Page: s.page(r, "This link does not work"), What: l.problem}
			return s.render(w, r, http.StatusNotFound, pages.LinkProblem(v))
		}
		if err != nil {
			return err
		}
		s.log.InfoContext(ctx, "password set through a link", "request_id", requestID(ctx), "user_id", u.ID, "link", l.purpose)
		if l.purpose == resetLink.purpose {
			s.flash(r, "Your password has been changed and you have been signed out everywhere. Sign in with your new password")
			http.Redirect(w, r, "/sign-in", http.StatusSeeOther)
			return nil
		}
		address := user.AddressKey(clientAddress(r, s.cfg.TrustedProxies))
		return s.passwordAccepted(w, r, u, "/", address)
	}
}

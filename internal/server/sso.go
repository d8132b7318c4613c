package server

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/coreos/go-oidc/v3/oidc"
	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/web/pages"
	"golang.org/x/oauth2"
)

// Single sign-on for Ofsted staff (optional, OIDC_*): OpenID Connect's
// authorisation code flow with PKCE, the state and nonce checked, the ID
// token verified (issuer, audience, expiry, signature) by go-oidc, and the
// verified email mapped to a person already invited (user.CheckSingleSignOn).

// Session keys of a single sign-on in progress (before sign-in).
const (
	ssoState    = "sso_state"
	ssoNonce    = "sso_nonce"
	ssoVerifier = "sso_verifier"
	ssoNext     = "sso_next"
)

// ssoClient is the provider as discovered, made on first use and kept.
type ssoClient struct {
	mu       sync.Mutex
	provider *oidc.Provider
	verifier *oidc.IDTokenVerifier
	oauth    oauth2.Config
}

// client discovers the provider the first time it is needed.
func (s *Server) ssoClient(ctx context.Context) (*ssoClient, error) {
	c := &s.sso
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.provider != nil {
		return c, nil
	}
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	o := s.cfg.OIDC
	p, err := oidc.NewProvider(ctx, o.Issuer)
	if err != nil {
		return nil, fmt.Errorf("single sign-on: discover %s: %w", o.Issuer, err)
	}
	c.provider = p
	c.verifier = p.Verifier(&oidc.Config{ClientID: o.ClientID})
	c.oauth = oauth2.Config{ClientID: o.ClientID, ClientSecret: o.ClientSecret, Endpoint: p.Endpoint(),
		RedirectURL: s.absolute("/sign-in/sso/callback"), Scopes: []string{oidc.ScopeOpenID, "email", "profile"}}
	return c, nil
}

func randomToken() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// handleSSOStart sends the browser to the provider with a fresh state,
// nonce and PKCE verifier, kept in the session until it comes back.
func (s *Server) handleSSOStart(w http.ResponseWriter, r *http.Request) error {
	if !s.cfg.OIDC.Enabled() {
		return notFound(nil)
	}
	ctx := r.Context()
	c, err := s.ssoClient(ctx)
	if err != nil {
		return err
	}
	state, nonce, verifier := randomToken(), randomToken(), oauth2.GenerateVerifier()
	s.sessions.Put(ctx, ssoState, state)
	s.sessions.Put(ctx, ssoNonce, nonce)
	s.sessions.Put(ctx, ssoVerifier, verifier)
	s.sessions.Put(ctx, ssoNext, safeNext(r.URL.Query().Get("next")))
	http.Redirect(w, r, c.oauth.AuthCodeURL(state, oidc.Nonce(nonce), oauth2.S256ChallengeOption(verifier)), http.StatusSeeOther)
	return nil
}

// ssoFailed shows the sign-in page with why single sign-on did not sign in.
func (s *Server) ssoFailed(w http.ResponseWriter, r *http.Request, status int, msg string) error {
	var errs form.Errors
	errs.Add("sso", msg)
	v := pages.SignInView{Page: s.page(r, "Sign in"), Next: "/", Errors: errs, SSO: true}
	v.Page.HasErrors = true
	return s.render(w, r, status, pages.SignIn(v))
}

// handleSSOCallback is where the provider sends the browser back.
func (s *Server) handleSSOCallback(w http.ResponseWriter, r *http.Request) error {
	if !s.cfg.OIDC.Enabled() {
		return notFound(nil)
	}
	ctx := r.Context()
	state, nonce := s.sessions.PopString(ctx, ssoState), s.sessions.PopString(ctx, ssoNonce)
	verifier, next := s.sessions.PopString(ctx, ssoVerifier), s.sessions.PopString(ctx, ssoNext)
	q := r.URL.Query()
	if state == "" || subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(state)) != 1 {
		return s.ssoFailed(w, r, http.StatusBadRequest, "Single sign-on did not finish in this browser: start again")
	}
	if q.Get("error") != "" || q.Get("code") == "" {
		return s.ssoFailed(w, r, http.StatusForbidden, "Your organisation's sign-in did not let you in: start again, or sign in with your email address and password")
	}
	email, verified, err := s.ssoIdentity(ctx, q.Get("code"), verifier, nonce)
	if err != nil {
		s.log.WarnContext(ctx, "single sign-on refused", "request_id", requestID(ctx), "error", err)
		return s.ssoFailed(w, r, http.StatusForbidden, "Single sign-on did not work: start again, or sign in with your email address and password")
	}
	u, _, err := s.store.GetUserForSignIn(ctx, email)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	var ref *user.Refusal
	if errors.As(user.CheckSingleSignOn(email, verified, s.cfg.OIDC.AllowedDomain, u, err == nil), &ref) {
		s.log.InfoContext(ctx, "single sign-on refused", "request_id", requestID(ctx), "reason", ref.Message)
		return s.ssoFailed(w, r, http.StatusForbidden, ref.Message)
	}
	if err := s.signIn(r, u); err != nil {
		return err
	}
	s.log.InfoContext(ctx, "signed in with single sign-on", "request_id", requestID(ctx), "user_id", u.ID, "role", u.Role)
	http.Redirect(w, r, safeNext(next), http.StatusSeeOther)
	return nil
}

// ssoIdentity exchanges the code (with the PKCE verifier), verifies the ID
// token and its nonce, and returns the email address it vouches for (from
// the token, else from the provider's userinfo for the same subject).
func (s *Server) ssoIdentity(ctx context.Context, code, verifier, nonce string) (email string, verified bool, err error) {
	c, err := s.ssoClient(ctx)
	if err != nil {
		return "", false, err
	}
	tok, err := c.oauth.Exchange(ctx, code, oauth2.VerifierOption(verifier))
	if err != nil {
		return "", false, fmt.Errorf("exchange: %w", err)
	}
	raw, ok := tok.Extra("id_token").(string)
	if !ok {
		return "", false, errors.New("no id_token")
	}
	idt, err := c.verifier.Verify(ctx, raw)
	if err != nil {
		return "", false, fmt.Errorf("verify: %w", err)
	}
	if nonce == "" || subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(nonce)) != 1 {
		return "", false, errors.New("wrong nonce")
	}
	var claims struct {
		Email         string `json:"email"`
		EmailVerified *bool  `json:"email_verified"`
	}
	if err := idt.Claims(&claims); err != nil {
		return "", false, fmt.Errorf("claims: %w", err)
	}
	if claims.Email == "" {
		ui, err := c.provider.UserInfo(ctx, oauth2.StaticTokenSource(tok))
		if err != nil {
			return "", false, fmt.Errorf("userinfo: %w", err)
		}
		if ui.Subject != idt.Subject {
			return "", false, errors.New("userinfo for another subject")
		}
		return ui.Email, ui.EmailVerified, nil
	}
	return claims.Email, claims.EmailVerified != nil && *claims.EmailVerified, nil
}

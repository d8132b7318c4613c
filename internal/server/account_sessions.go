package server

import (
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/ofsted/focusedvisits/internal/publicid"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/web/components"
	"github.com/ofsted/focusedvisits/web/pages"
)

// handleAccountShow is your account: who you are, your second factor, and
// every session you are signed in with (device, last seen), each of which
// you can end.
func (s *Server) handleAccountShow(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := currentUser(ctx)
	sessions, err := s.store.ListUserSessions(ctx, u.ID, s.now(), s.cfg.SessionIdleTimeout, s.cfg.SessionLifetime)
	if err != nil {
		return err
	}
	second := "Not set up"
	if _, err := s.store.GetTwoFactor(ctx, u.ID); err == nil {
		second = "Authenticator app"
	} else if !errors.Is(err, store.ErrNotFound) {
		return err
	}
	v := pages.AccountView{Page: s.page(r, "Your account"), Rows: []components.SummaryRow{
		{Key: "Name", Value: u.Name},
		{Key: "Email address", Value: u.Email},
		{Key: "Role", Value: u.Role.Label() + ", " + string(u.Role.Organisation())},
		{Key: "Password", Value: "Never expires", ActionHref: "/account/password", ActionText: "Change"},
		{Key: "Second factor", Value: second},
		{Key: "Private calendar link", Value: "For Outlook or Google Calendar", ActionHref: "/account/calendar", ActionText: "Manage"},
	}}
	current := s.sessions.GetInt64(ctx, sessionID)
	for _, ss := range sessions {
		v.Sessions = append(v.Sessions, pages.SessionRow{
			Device: user.Device(ss.UserAgent), Address: ss.Address,
			SignedIn: timeline.FormatTime(ss.CreatedAt), LastSeen: timeline.FormatTime(ss.LastSeen),
			Current: ss.ID == current, EndAction: "/account/sessions/" + ss.PublicID + "/end",
		})
	}
	return s.render(w, r, http.StatusOK, pages.Account(v))
}

// handleSessionEnd ends one of your other sessions: its next request finds
// it gone and is signed out.
func (s *Server) handleSessionEnd(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	ctx := r.Context()
	u, _ := currentUser(ctx)
	id := chi.URLParam(r, "sessionID")
	if !publicid.Valid(id) {
		return notFound(nil)
	}
	sessions, err := s.store.ListUserSessions(ctx, u.ID, s.now(), s.cfg.SessionIdleTimeout, s.cfg.SessionLifetime)
	if err != nil {
		return err
	}
	for _, ss := range sessions {
		if ss.PublicID == id && ss.ID == s.sessions.GetInt64(ctx, sessionID) {
			return badRequest(errors.New("this session: sign out instead"))
		}
	}
	if err := s.store.EndUserSession(ctx, u.ID, id); errors.Is(err, store.ErrNotFound) {
		return notFound(err)
	} else if err != nil {
		return err
	}
	s.log.InfoContext(ctx, "session ended", "request_id", requestID(ctx), "user_id", u.ID)
	s.flash(r, "That session has ended: it is signed out")
	http.Redirect(w, r, "/account", http.StatusSeeOther)
	return nil
}

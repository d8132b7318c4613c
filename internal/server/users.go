package server

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/notify"
	"github.com/ofsted/focusedvisits/internal/publicid"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/web/components"
	"github.com/ofsted/focusedvisits/web/pages"
)

// People: administrators invite people and change their accounts in the
// browser (issue 14). Who may do what to an account is user.Check's, used
// by the page that offers a change and, again inside the store's
// transaction, by the handler that makes it.

// changeLimit is how many changes a page of the record shows.
const changeLimit = 500

func (s *Server) handleUserList(w http.ResponseWriter, r *http.Request) error {
	people, err := s.store.ListAccounts(r.Context())
	if err != nil {
		return err
	}
	v := pages.UserListView{Page: s.page(r, "Users")}
	for _, a := range people {
		v.People = append(v.People, s.personRow(a))
	}
	return s.render(w, r, http.StatusOK, pages.UserList(v))
}

// personRow is how a person is listed.
func (s *Server) personRow(a user.Account) pages.PersonRow {
	row := pages.PersonRow{Name: a.Name, Href: "/users/" + a.PublicID, Email: a.Email, Role: a.Role.Label(),
		Organisation: string(a.Role.Organisation()), Status: a.Status().Label(), TwoFactor: "Not set up"}
	switch {
	case a.Status() == user.Deactivated:
		row.StatusColour = "grey"
	case s.signInRules().Locked(a.Failures, a.LastFailure, s.now()):
		row.Status, row.StatusColour = "Locked", "red"
	case a.Status() == user.Invited:
		row.StatusColour = "blue"
	default:
		row.StatusColour = "green"
	}
	if a.TwoFactor {
		row.TwoFactor = "Set up"
	}
	return row
}

// account loads the person a route names, or answers 404.
func (s *Server) account(r *http.Request) (user.Account, error) {
	id := chi.URLParam(r, "userID")
	if !publicid.Valid(id) {
		return user.Account{}, notFound(nil)
	}
	a, err := s.store.GetAccount(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) {
		return a, notFound(err)
	}
	return a, err
}

// accountFacts are what user.Check needs to decide about a on this page.
func (s *Server) accountFacts(r *http.Request, a user.Account) (user.Facts, error) {
	admins, err := s.store.CountActiveAdmins(r.Context())
	if err != nil {
		return user.Facts{}, err
	}
	actor, _ := currentUser(r.Context())
	return user.Facts{Actor: actor, Target: a, ActiveAdmins: admins, Locked: s.signInRules().Locked(a.Failures, a.LastFailure, s.now())}, nil
}

func (s *Server) handleUserShow(w http.ResponseWriter, r *http.Request) error {
	a, err := s.account(r)
	if err != nil {
		return err
	}
	return s.renderPerson(w, r, http.StatusOK, a, nil)
}

// personActions are the changes offered on a person's page, each as
// user.May allows it.
var personActions = map[user.Action]pages.PersonAction{
	user.ChangeRole:        {Action: "role", Text: "Change role", Link: true},
	user.ResendInvitation:  {Action: "invitation", Text: "Send the invitation again", Hint: "The earlier link stops working."},
	user.SendPasswordReset: {Action: "password-reset", Text: "Send a password reset link", Hint: "They choose a new password through the link; it signs them out everywhere."},
	user.Unlock:            {Action: "unlock", Text: "Unlock account", Hint: "The account is locked after too many wrong passwords or codes."},
	user.ResetTwoFactor:    {Action: "two-factor/reset", Text: "Reset second factor", Hint: "For a lost phone: they set up their authenticator app again at their next sign-in, and are signed out everywhere now.", Warning: true},
	user.Deactivate:        {Action: "deactivate", Text: "Deactivate account", Link: true},
	user.Reactivate:        {Action: "reactivate", Text: "Reactivate account"},
}

func (s *Server) renderPerson(w http.ResponseWriter, r *http.Request, status int, a user.Account, errs form.Errors) error {
	f, err := s.accountFacts(r, a)
	if err != nil {
		return err
	}
	changes, err := s.store.ListUserChanges(r.Context(), a.PublicID, changeLimit)
	if err != nil {
		return err
	}
	row := s.personRow(a)
	v := pages.PersonShowView{Page: s.page(r, a.Name), Name: a.Name, Errors: errs, Changes: changeRows(changes)}
	v.Page.HasErrors = errs.Any()
	v.Rows = []components.SummaryRow{
		{Key: "Email address", Value: a.Email},
		{Key: "Role", Value: row.Role},
		{Key: "Organisation", Value: row.Organisation},
		{Key: "Status", Value: row.Status},
		{Key: "Second factor", Value: row.TwoFactor},
		{Key: "Added", Value: timeline.FormatTime(a.CreatedAt)},
	}
	if a.Status() == user.Invited && !a.InvitationExpires.IsZero() {
		v.Rows = append(v.Rows, components.SummaryRow{Key: "Invitation link", Value: "Works until " + timeline.FormatTime(a.InvitationExpires)})
	}
	for _, act := range user.AdminActions {
		if user.May(act, f) {
			pa := personActions[act]
			pa.Action = "/users/" + a.PublicID + "/" + pa.Action
			v.Actions = append(v.Actions, pa)
		}
	}
	return s.render(w, r, status, pages.PersonShow(v))
}

// changeRows words the record of changes for a page.
func changeRows(changes []user.Change) []pages.ChangeRow {
	var out []pages.ChangeRow
	for _, c := range changes {
		by := c.ByName
		if by == "" {
			by = c.PersonName + " (themselves)"
		}
		out = append(out, pages.ChangeRow{At: timeline.FormatTime(c.At), Person: c.PersonName, PersonHref: "/users/" + c.PersonPublicID,
			By: by, What: c.Action.Words(), Old: c.Old, New: c.New})
	}
	return out
}

func (s *Server) handleUserChanges(w http.ResponseWriter, r *http.Request) error {
	changes, err := s.store.ListUserChanges(r.Context(), "", changeLimit)
	if err != nil {
		return err
	}
	v := pages.UserChangesView{Page: s.page(r, "Record of changes to people"), Changes: changeRows(changes)}
	return s.render(w, r, http.StatusOK, pages.UserChanges(v))
}

// roleOptions are the roles as radios, the chosen one checked.
func roleOptions(chosen string, only func(user.Role) bool) []components.Option {
	var out []components.Option
	for _, r := range user.Roles {
		if only != nil && !only(r) {
			continue
		}
		out = append(out, components.Option{Value: string(r), Text: r.Label(), Hint: string(r.Organisation()), Checked: string(r) == chosen})
	}
	return out
}

func (s *Server) handleUserInviteShow(w http.ResponseWriter, r *http.Request) error {
	v := pages.PersonInviteView{Page: s.page(r, "Invite a person"), Roles: roleOptions("", nil)}
	return s.render(w, r, http.StatusOK, pages.PersonInvite(v))
}

func (s *Server) handleUserInvite(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	ctx := r.Context()
	by, _ := currentUser(ctx)
	inv := user.Invitation{Name: r.PostForm.Get("name"), Email: r.PostForm.Get("email"), Role: user.Role(r.PostForm.Get("role"))}
	show := func(status int, errs form.Errors) error {
		v := pages.PersonInviteView{Page: s.page(r, "Invite a person"), Name: inv.Name, Email: inv.Email, Roles: roleOptions(string(inv.Role), nil), Errors: errs}
		v.Page.HasErrors = true
		return s.render(w, r, status, pages.PersonInvite(v))
	}
	if errs := inv.Validate(); errs.Any() {
		return show(http.StatusUnprocessableEntity, errs)
	}
	token, tok, err := s.newLink(s.cfg.InvitationTTL)
	if err != nil {
		return err
	}
	a, err := s.store.Invite(ctx, inv, by, tok, func(a user.Account) notify.Message {
		return s.invitationMessage(a, by, token, tok.Expires)
	})
	if errors.Is(err, store.ErrConflict) {
		var errs form.Errors
		errs.Add("email", "Someone already has an account with this email address")
		return show(http.StatusUnprocessableEntity, errs)
	}
	if err != nil {
		return err
	}
	s.log.InfoContext(ctx, "person invited", "request_id", requestID(ctx), "user_id", a.ID, "by", by.ID)
	s.flash(r, "Invitation sent to "+a.Email)
	http.Redirect(w, r, "/users/"+a.PublicID, http.StatusSeeOther)
	return nil
}

// newLink makes a link token that works for ttl.
func (s *Server) newLink(ttl time.Duration) (string, store.LinkToken, error) {
	token, hash, err := user.NewLinkToken()
	if err != nil {
		return "", store.LinkToken{}, err
	}
	return token, store.LinkToken{Hash: hash, Expires: s.now().Add(ttl)}, nil
}

// absolute is the service's address of a path, for a link in an email.
func (s *Server) absolute(path string) string {
	u := *s.cfg.BaseURL
	u.Path = strings.TrimSuffix(u.Path, "/") + path
	u.RawQuery = ""
	return u.String()
}

// recipient is who a message to a person goes to.
func recipient(a user.Account) notify.Recipient {
	return notify.Recipient{UserID: a.ID, Email: a.Email, Name: a.Name, Role: a.Role}
}

func (s *Server) invitationMessage(a user.Account, by user.User, token string, expires time.Time) notify.Message {
	return notify.Message{Template: "user.invitation", To: recipient(a), Data: map[string]string{
		"Link": s.absolute("/invitations/" + token), "Expires": timeline.FormatTime(expires),
		"InvitedBy": by.Name, "Role": a.Role.Label(),
	}}
}

func (s *Server) resetMessage(to notify.Recipient, token string, expires time.Time) notify.Message {
	return notify.Message{Template: "user.password_reset", To: to, Data: map[string]string{
		"Link": s.absolute("/reset-password/" + token), "Expires": timeline.FormatTime(expires),
	}}
}

package server

import (
	"errors"
	"net/http"

	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/notify"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/web/pages"
)

// refusalErrors puts a refusal in the error summary: under its field, or
// the page's list of changes.
func refusalErrors(ref *user.Refusal) form.Errors {
	var errs form.Errors
	field := ref.Field
	if field == "" {
		field = "person-actions"
	}
	errs.Add(field, ref.Message)
	return errs
}

// changeAccount makes an administrator's change through the store (which
// checks it again, locked), then shows the person's page with done as its
// message, or with the refusal in the error summary.
func (s *Server) changeAccount(w http.ResponseWriter, r *http.Request, a user.Account, c store.AccountChange, done func(user.Account) string) error {
	ctx := r.Context()
	after, err := s.store.ChangeAccount(ctx, a.PublicID, c)
	var ref *user.Refusal
	if errors.As(err, &ref) {
		return s.renderPerson(w, r, http.StatusUnprocessableEntity, a, refusalErrors(ref))
	}
	if errors.Is(err, store.ErrNotFound) {
		return notFound(err)
	}
	if err != nil {
		return err
	}
	s.log.InfoContext(ctx, "account changed", "request_id", requestID(ctx), "user_id", a.ID, "change", string(c.Action), "by", c.By.ID)
	s.flash(r, done(after))
	http.Redirect(w, r, "/users/"+a.PublicID, http.StatusSeeOther)
	return nil
}

// accountChange is the change of the action by the signed-in administrator,
// with the link and the message it sends, if any.
func (s *Server) accountChange(r *http.Request, act user.Action) (store.AccountChange, error) {
	by, _ := currentUser(r.Context())
	c := store.AccountChange{Action: act, By: by, Rules: s.signInRules(), Now: s.now()}
	switch act {
	case user.SendPasswordReset, user.ResendInvitation:
		ttl := s.cfg.PasswordResetTTL
		if act == user.ResendInvitation {
			ttl = s.cfg.InvitationTTL
		}
		token, tok, err := s.newLink(ttl)
		if err != nil {
			return c, err
		}
		c.Token = tok
		c.Messages = func(a user.Account) []notify.Message {
			if act == user.ResendInvitation {
				return []notify.Message{s.invitationMessage(a, by, token, tok.Expires)}
			}
			return []notify.Message{s.resetMessage(recipient(a), token, tok.Expires)}
		}
	case user.ResetTwoFactor:
		c.Messages = func(a user.Account) []notify.Message {
			return []notify.Message{{Template: "user.two_factor_reset", To: recipient(a), Data: map[string]string{"Link": s.absolute("/sign-in")}}}
		}
	}
	return c, nil
}

// accountDone words what each change did, for the page's message.
var accountDone = map[user.Action]func(user.Account) string{
	user.ChangeRole: func(a user.Account) string { return a.Name + " is now " + a.Role.Label() },
	user.Deactivate: func(a user.Account) string {
		return a.Name + " is deactivated: their sessions and calendar link have ended"
	},
	user.Reactivate:        func(a user.Account) string { return a.Name + " is active again" },
	user.Unlock:            func(a user.Account) string { return a.Name + "'s account is unlocked" },
	user.SendPasswordReset: func(a user.Account) string { return "Password reset link sent to " + a.Email },
	user.ResendInvitation:  func(a user.Account) string { return "Invitation sent again to " + a.Email },
	user.ResetTwoFactor: func(a user.Account) string {
		return a.Name + "'s second factor is reset: they set it up again at their next sign-in"
	},
}

// userAction is the handler of a change taken by a button on a person's
// page (no form fields).
func (s *Server) userAction(act user.Action) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := parseForm(w, r); err != nil {
			return err
		}
		a, err := s.account(r)
		if err != nil {
			return err
		}
		c, err := s.accountChange(r, act)
		if err != nil {
			return err
		}
		return s.changeAccount(w, r, a, c, accountDone[act])
	}
}

func (s *Server) handleUserDeactivateShow(w http.ResponseWriter, r *http.Request) error {
	a, err := s.account(r)
	if err != nil {
		return err
	}
	f, err := s.accountFacts(r, a)
	if err != nil {
		return err
	}
	var ref *user.Refusal
	if errors.As(user.Check(user.Deactivate, f), &ref) {
		return s.renderPerson(w, r, http.StatusUnprocessableEntity, a, refusalErrors(ref))
	}
	v := pages.PersonConfirmView{Page: s.page(r, "Deactivate "+a.Name+"'s account?"), Action: "/users/" + a.PublicID + "/deactivate",
		Back: "/users/" + a.PublicID, Button: "Deactivate account",
		Warning: a.Name + " will be signed out everywhere at once and will not be able to sign in. Their private calendar link stops working. You can reactivate the account later."}
	return s.render(w, r, http.StatusOK, pages.PersonConfirm(v))
}

func (s *Server) handleUserRoleShow(w http.ResponseWriter, r *http.Request) error {
	a, err := s.account(r)
	if err != nil {
		return err
	}
	return s.renderRoleForm(w, r, http.StatusOK, a, "", nil)
}

// renderRoleForm shows the choice of role: the roles user.Check allows.
func (s *Server) renderRoleForm(w http.ResponseWriter, r *http.Request, status int, a user.Account, chosen string, errs form.Errors) error {
	f, err := s.accountFacts(r, a)
	if err != nil {
		return err
	}
	var ref *user.Refusal
	if errors.As(user.RoleChangeRefusal(f), &ref) {
		return s.renderPerson(w, r, http.StatusUnprocessableEntity, a, refusalErrors(ref))
	}
	items := roleOptions(chosen, func(role user.Role) bool {
		f.NewRole = role
		return user.Check(user.ChangeRole, f) == nil
	})
	v := pages.PersonRoleView{Page: s.page(r, "Choose "+a.Name+"'s new role"), Name: a.Name, Action: "/users/" + a.PublicID + "/role",
		Back: "/users/" + a.PublicID, Items: items, Errors: errs}
	v.Page.HasErrors = errs.Any()
	return s.render(w, r, status, pages.PersonRole(v))
}

func (s *Server) handleUserRole(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	a, err := s.account(r)
	if err != nil {
		return err
	}
	f, err := s.accountFacts(r, a)
	if err != nil {
		return err
	}
	chosen := r.PostForm.Get("role")
	f.NewRole = user.Role(chosen)
	var ref *user.Refusal
	if errors.As(user.Check(user.ChangeRole, f), &ref) {
		if ref.Field != "role" {
			return s.renderPerson(w, r, http.StatusUnprocessableEntity, a, refusalErrors(ref))
		}
		return s.renderRoleForm(w, r, http.StatusUnprocessableEntity, a, "", refusalErrors(ref))
	}
	if r.PostForm.Get("confirm") != "yes" {
		ch := user.ChangeOf(a.Role, f.NewRole)
		v := pages.PersonRoleView{Page: s.page(r, "Change "+a.Name+"'s role to "+f.NewRole.Label()+"?"), Name: a.Name,
			Action: "/users/" + a.PublicID + "/role", Back: "/users/" + a.PublicID, Confirm: true,
			From: a.Role.Label(), To: f.NewRole.Label(), Role: string(f.NewRole), Gains: ch.Gains, Loses: ch.Loses}
		return s.render(w, r, http.StatusOK, pages.PersonRole(v))
	}
	c, err := s.accountChange(r, user.ChangeRole)
	if err != nil {
		return err
	}
	c.NewRole = f.NewRole
	return s.changeAccount(w, r, a, c, accountDone[user.ChangeRole])
}

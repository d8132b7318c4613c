package user

import (
	"fmt"
	"slices"
	"strings"
)

// Action is something an administrator does to a person's account.
type Action string

const (
	ChangeRole        Action = "change_role"
	Deactivate        Action = "deactivate"
	Reactivate        Action = "reactivate"
	Unlock            Action = "unlock"
	SendPasswordReset Action = "send_password_reset"
	ResendInvitation  Action = "resend_invitation"
	ResetTwoFactor    Action = "reset_two_factor"
	InvitePerson      Action = "invite"
	AcceptInvitation  Action = "accept_invitation"
	ResetPassword     Action = "reset_password"
	SetUpTwoFactor    Action = "set_up_two_factor"
	UseRecoveryCode   Action = "use_recovery_code"
	ChangeOwnPassword Action = "change_password"
)

// Words says what an action is, as the record of changes shows it.
func (a Action) Words() string {
	switch a {
	case ChangeRole:
		return "Role changed"
	case Deactivate:
		return "Deactivated"
	case Reactivate:
		return "Reactivated"
	case Unlock:
		return "Unlocked"
	case SendPasswordReset:
		return "Password reset link sent"
	case ResendInvitation:
		return "Invitation sent again"
	case ResetTwoFactor:
		return "Second factor reset"
	case InvitePerson:
		return "Invited"
	case AcceptInvitation:
		return "Invitation accepted, password chosen"
	case ResetPassword:
		return "Password reset through a link"
	case SetUpTwoFactor:
		return "Second factor set up"
	case UseRecoveryCode:
		return "Recovery code used to sign in"
	case ChangeOwnPassword:
		return "Password changed"
	}
	return string(a)
}

// Facts are what a rule about an account needs to know.
type Facts struct {
	// Actor is the administrator acting.
	Actor User
	// Target is the person acted on.
	Target Account
	// Locked: the target's account is locked by the sign-in limits now.
	Locked bool
	// ActiveAdmins counts the active administrators, the target included.
	ActiveAdmins int
	// NewRole is the role asked for (ChangeRole only).
	NewRole Role
}

// Refusal is why an action may not be taken, for the page: Field is the
// form field it belongs to ("" for the page as a whole).
type Refusal struct {
	Field   string
	Message string
}

func (r *Refusal) Error() string { return r.Message }

func refuse(field, format string, args ...any) error {
	return &Refusal{Field: field, Message: fmt.Sprintf(format, args...)}
}

// lastAdmin reports whether the target is the only active administrator.
func (f Facts) lastAdmin() bool {
	return f.Target.Role == Admin && f.Target.Active && f.ActiveAdmins <= 1
}

// rules is who may do what to an account, and when. Each returns nil when
// the action may be taken, or a Refusal saying why not. The actor is an
// active administrator: route access has checked that, and Check checks it
// again.
var rules = map[Action]func(Facts) error{
	ChangeRole: func(f Facts) error {
		if !f.Target.Active {
			return refuse("", "%s is deactivated: reactivate them first", f.Target.Name)
		}
		if _, err := ParseRole(string(f.NewRole)); err != nil {
			return refuse("role", "Choose a role")
		}
		if f.NewRole == f.Target.Role {
			return refuse("role", "%s already has the role %s: choose a different role", f.Target.Name, f.NewRole.Label())
		}
		if f.NewRole.Organisation() != f.Target.Role.Organisation() {
			return refuse("role", "%s works for %s: a role at %s needs its own account, so invite them with that organisation's email address",
				f.Target.Name, f.Target.Role.Organisation(), f.NewRole.Organisation())
		}
		if f.lastAdmin() {
			return refuse("role", "%s is the last active administrator: make someone else an administrator first", f.Target.Name)
		}
		return nil
	},
	Deactivate: func(f Facts) error {
		if !f.Target.Active {
			return refuse("", "%s is already deactivated", f.Target.Name)
		}
		if f.Target.ID == f.Actor.ID {
			return refuse("", "You cannot deactivate your own account: ask another administrator")
		}
		if f.lastAdmin() {
			return refuse("", "%s is the last active administrator: make someone else an administrator first", f.Target.Name)
		}
		return nil
	},
	Reactivate: func(f Facts) error {
		if f.Target.Active {
			return refuse("", "%s is already active", f.Target.Name)
		}
		return nil
	},
	Unlock: func(f Facts) error {
		if !f.Locked {
			return refuse("", "%s's account is not locked", f.Target.Name)
		}
		return nil
	},
	SendPasswordReset: func(f Facts) error {
		switch f.Target.Status() {
		case Deactivated:
			return refuse("", "%s is deactivated: reactivate them first", f.Target.Name)
		case Invited:
			return refuse("", "%s has not chosen a password yet: send the invitation again", f.Target.Name)
		}
		return nil
	},
	ResendInvitation: func(f Facts) error {
		switch f.Target.Status() {
		case Deactivated:
			return refuse("", "%s is deactivated: reactivate them first", f.Target.Name)
		case Active:
			return refuse("", "%s has already accepted their invitation", f.Target.Name)
		}
		return nil
	},
	ResetTwoFactor: func(f Facts) error {
		if !f.Target.TwoFactor {
			return refuse("", "%s has not set up a second factor", f.Target.Name)
		}
		return nil
	},
}

// AdminActions are the actions offered on a person's page, in order.
var AdminActions = []Action{ChangeRole, ResendInvitation, SendPasswordReset, Unlock, ResetTwoFactor, Deactivate, Reactivate}

// Check reports whether the actor may take the action on the target, given
// the facts: nil, or a *Refusal saying why not.
func Check(a Action, f Facts) error {
	if f.Actor.Role != Admin || !f.Actor.Active {
		return refuse("", "Only an administrator can change people's accounts")
	}
	rule, ok := rules[a]
	if !ok {
		return refuse("", "There is no such change")
	}
	return rule(f)
}

// May reports whether the action is offered at all: for ChangeRole, whether
// some other role could be chosen.
func May(a Action, f Facts) bool {
	if a == ChangeRole {
		return slices.ContainsFunc(Roles, func(r Role) bool {
			f.NewRole = r
			return Check(a, f) == nil
		})
	}
	return Check(a, f) == nil
}

// RoleChangeRefusal says why no other role can be given to the target (a
// *Refusal), or nil when some role can.
func RoleChangeRefusal(f Facts) error {
	var first error
	for _, r := range Roles {
		if r == f.Target.Role {
			continue
		}
		f.NewRole = r
		err := Check(ChangeRole, f)
		if err == nil {
			return nil
		}
		if first == nil && r.Organisation() == f.Target.Role.Organisation() {
			first = err
		}
	}
	return first
}

// CheckSingleSignOn reports whether single sign-on may sign in the person
// the provider vouched for: a verified email address in the allowed domain
// (ignoring case), belonging to an active Ofsted person already in the
// service (found is false when no active person has it). Signing in never
// creates an account, and Cafcass's people sign in with their password and
// second factor.
func CheckSingleSignOn(email string, verified bool, allowedDomain string, u User, found bool) error {
	at := strings.LastIndexByte(email, '@')
	switch {
	case email == "" || !verified:
		return refuse("", "Your organisation's account did not give a verified email address")
	case at < 0 || !strings.EqualFold(email[at+1:], allowedDomain):
		return refuse("", "Single sign-on is for %s accounts: sign in with your email address and password instead", allowedDomain)
	case !found || !u.Active:
		return refuse("", "There is no active account for %s: ask your service administrator to invite you", email)
	case u.Role.IsCafcass():
		return refuse("", "Cafcass accounts sign in with their email address, password and authenticator app")
	}
	return nil
}

package user_test

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/user"
)

func TestCheck_AccountRules(t *testing.T) {
	admin := user.User{ID: 1, Name: "Ada Admin", Role: user.Admin, Active: true}
	person := func(id int64, role user.Role, active, password, twoFactor bool) user.Account {
		return user.Account{User: user.User{ID: id, Name: "Pat", Role: role, Active: active}, PasswordSet: password, TwoFactor: twoFactor}
	}
	self := user.Account{User: admin, PasswordSet: true}
	lead := person(2, user.LeadInspector, true, true, false)
	for _, tc := range []struct {
		name string
		act  user.Action
		f    user.Facts
		ok   bool
	}{
		{"the last active administrator cannot be demoted", user.ChangeRole, user.Facts{Actor: admin, Target: self, ActiveAdmins: 1, NewRole: user.LeadInspector}, false},
		{"an administrator can be demoted while another is active", user.ChangeRole, user.Facts{Actor: admin, Target: self, ActiveAdmins: 2, NewRole: user.LeadInspector}, true},
		{"the last active administrator cannot be deactivated", user.Deactivate, user.Facts{Actor: user.User{ID: 9, Role: user.Admin, Active: true}, Target: self, ActiveAdmins: 1}, false},
		{"nobody deactivates themselves", user.Deactivate, user.Facts{Actor: admin, Target: self, ActiveAdmins: 3}, false},
		{"another person can be deactivated", user.Deactivate, user.Facts{Actor: admin, Target: lead, ActiveAdmins: 1}, true},
		{"a deactivated person is not deactivated again", user.Deactivate, user.Facts{Actor: admin, Target: person(3, user.SAO, false, true, false), ActiveAdmins: 1}, false},
		{"a deactivated person can be reactivated", user.Reactivate, user.Facts{Actor: admin, Target: person(3, user.SAO, false, true, false), ActiveAdmins: 1}, true},
		{"an active person is not reactivated", user.Reactivate, user.Facts{Actor: admin, Target: lead, ActiveAdmins: 1}, false},
		{"a role at the other organisation needs its own account", user.ChangeRole, user.Facts{Actor: admin, Target: lead, ActiveAdmins: 1, NewRole: user.CafcassDeputy}, false},
		{"the same role is no change", user.ChangeRole, user.Facts{Actor: admin, Target: lead, ActiveAdmins: 1, NewRole: user.LeadInspector}, false},
		{"an Ofsted role to another", user.ChangeRole, user.Facts{Actor: admin, Target: lead, ActiveAdmins: 1, NewRole: user.QAM}, true},
		{"an unknown role", user.ChangeRole, user.Facts{Actor: admin, Target: lead, ActiveAdmins: 1, NewRole: "king"}, false},
		{"only a locked account is unlocked", user.Unlock, user.Facts{Actor: admin, Target: lead, ActiveAdmins: 1}, false},
		{"a locked account is unlocked", user.Unlock, user.Facts{Actor: admin, Target: lead, ActiveAdmins: 1, Locked: true}, true},
		{"a reset link needs a password already chosen", user.SendPasswordReset, user.Facts{Actor: admin, Target: person(4, user.CafcassDeputy, true, false, false), ActiveAdmins: 1}, false},
		{"a reset link for an active person", user.SendPasswordReset, user.Facts{Actor: admin, Target: lead, ActiveAdmins: 1}, true},
		{"an invitation again while it waits", user.ResendInvitation, user.Facts{Actor: admin, Target: person(4, user.CafcassDeputy, true, false, false), ActiveAdmins: 1}, true},
		{"no invitation for someone who accepted", user.ResendInvitation, user.Facts{Actor: admin, Target: lead, ActiveAdmins: 1}, false},
		{"a second factor is reset when there is one", user.ResetTwoFactor, user.Facts{Actor: admin, Target: person(5, user.QAM, true, true, true), ActiveAdmins: 1}, true},
		{"no second factor to reset", user.ResetTwoFactor, user.Facts{Actor: admin, Target: lead, ActiveAdmins: 1}, false},
		{"only an administrator changes accounts", user.Unlock, user.Facts{Actor: user.User{ID: 7, Role: user.LeadInspector, Active: true}, Target: lead, ActiveAdmins: 1, Locked: true}, false},
	} {
		err := user.Check(tc.act, tc.f)
		if (err == nil) != tc.ok {
			t.Errorf("%s: Check = %v, want ok %v", tc.name, err, tc.ok)
		}
		var ref *user.Refusal
		if err != nil && (!errors.As(err, &ref) || ref.Message == "") {
			t.Errorf("%s: %v is not a Refusal with a message", tc.name, err)
		}
	}
	// The last administrator: the page offers no role at all, and says why.
	f := user.Facts{Actor: admin, Target: self, ActiveAdmins: 1}
	if user.May(user.ChangeRole, f) || user.RoleChangeRefusal(f) == nil {
		t.Error("the last administrator is offered a change of role")
	}
	if !user.May(user.ChangeRole, user.Facts{Actor: admin, Target: lead, ActiveAdmins: 1}) {
		t.Error("a lead inspector is not offered a change of role")
	}
}

func TestChangeOf_NamesGainsAndLosses(t *testing.T) {
	c := user.ChangeOf(user.LeadInspector, user.TeamInspector)
	if !slices.Contains(c.Loses, "schedule visits") || len(c.Gains) == 0 && len(c.Loses) == 0 {
		t.Errorf("lead to team: %+v", c)
	}
	c = user.ChangeOf(user.TeamInspector, user.Admin)
	if !slices.Contains(c.Gains, "manage people: invite, change roles, deactivate, unlock") {
		t.Errorf("team to admin: %+v", c)
	}
	for _, r := range user.Roles {
		if len(r.Capabilities()) == 0 {
			t.Errorf("%s has no capabilities listed", r)
		}
	}
}

func TestSignInRules_Locked(t *testing.T) {
	r := user.SignInRules{MaxFailures: 5, Lockout: 15 * time.Minute}
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	if !r.Locked(5, now.Add(-time.Minute), now) || r.Locked(4, now, now) || r.Locked(6, now.Add(-16*time.Minute), now) {
		t.Error("Locked disagrees with the rules")
	}
}

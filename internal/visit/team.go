package visit

import (
	"slices"

	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/user"
)

// Staff are the active users who can be put on a visit.
type Staff struct {
	list []user.User
	byID map[int64]user.User
}

// NewStaff keeps the active users of us, in their order.
func NewStaff(us []user.User) Staff {
	s := Staff{byID: map[int64]user.User{}}
	for _, u := range us {
		if !u.Active {
			continue
		}
		s.list = append(s.list, u)
		s.byID[u.ID] = u
	}
	return s
}

// offered is who a form offers for each place on a visit; accepted is who
// the place may hold (a lead inspector may join another's visit as a team
// inspector).
var (
	offered = map[MemberRole][]user.Role{
		RoleLead:      {user.LeadInspector},
		RoleTeam:      {user.TeamInspector},
		RoleQAM:       {user.QAM},
		RoleModerator: {user.QAM},
		RoleSAO:       {user.SAO},
		RoleCafcass:   {user.CafcassCEO, user.CafcassDeputy},
	}
	accepted = map[MemberRole][]user.Role{
		RoleLead:      {user.LeadInspector},
		RoleTeam:      {user.TeamInspector, user.LeadInspector},
		RoleQAM:       {user.QAM},
		RoleModerator: {user.QAM},
		RoleSAO:       {user.SAO},
		RoleCafcass:   {user.CafcassCEO, user.CafcassDeputy},
	}
)

// Offered lists the people a form offers for the place, by role in the
// order of user.Roles, then in the stored order.
func (s Staff) Offered(place MemberRole) []user.User {
	var us []user.User
	for _, r := range offered[place] {
		for _, u := range s.list {
			if u.Role == r {
				us = append(us, u)
			}
		}
	}
	return us
}

// Name is the name of the user with the id ("" if none).
func (s Staff) Name(id int64) string { return s.byID[id].Name }

// may reports whether id is an active user who may hold the place.
func (s Staff) may(id int64, place MemberRole) bool {
	u, ok := s.byID[id]
	return ok && slices.Contains(accepted[place], u.Role)
}

func (s Staff) allMay(ids []int64, place MemberRole) bool {
	for _, id := range ids {
		if !s.may(id, place) {
			return false
		}
	}
	return true
}

// Team is who is chosen for each place on a visit, as a form has them.
type Team struct {
	Lead int64
	Team []int64
	QAM  int64
	// Moderator is optional (0): a QAM other than the visit's own (DOMAIN
	// decision 14).
	Moderator int64
	SAO       []int64
	Cafcass   []int64
}

// Check reports what is wrong with the team, keyed by the form's fields
// ("lead", "team", "qam", "moderator", "sao", "cafcass") in their order.
func (t Team) Check(s Staff) form.Errors {
	var errs form.Errors
	if !s.may(t.Lead, RoleLead) {
		errs.Add("lead", "Select the lead inspector")
	}
	for _, id := range t.Team {
		if !s.may(id, RoleTeam) || id == t.Lead {
			errs.Add("team", "Select team inspectors from the list")
			break
		}
	}
	if !s.may(t.QAM, RoleQAM) {
		errs.Add("qam", "Select the quality assurance manager")
	}
	switch {
	case t.Moderator == 0:
	case !s.may(t.Moderator, RoleModerator):
		errs.Add("moderator", "Select the moderator from the list")
	case t.Moderator == t.QAM:
		errs.Add("moderator", "Select a moderator other than the quality assurance manager")
	}
	if len(t.SAO) == 0 {
		errs.Add("sao", "Select at least one senior analytical officer")
	} else if !s.allMay(t.SAO, RoleSAO) {
		errs.Add("sao", "Select senior analytical officers from the list")
	}
	if len(t.Cafcass) == 0 {
		errs.Add("cafcass", "Select who at Cafcass receives notice")
	} else if !s.allMay(t.Cafcass, RoleCafcass) {
		errs.Add("cafcass", "Select Cafcass people from the list")
	}
	return errs
}

// Members turns the choices into the visit's team.
func (t Team) Members(s Staff) []Member {
	m := func(id int64, r MemberRole) Member { return Member{UserID: id, Name: s.Name(id), Role: r} }
	ms := []Member{m(t.Lead, RoleLead)}
	for _, id := range t.Team {
		ms = append(ms, m(id, RoleTeam))
	}
	ms = append(ms, m(t.QAM, RoleQAM))
	if t.Moderator != 0 {
		ms = append(ms, m(t.Moderator, RoleModerator))
	}
	for _, id := range t.SAO {
		ms = append(ms, m(id, RoleSAO))
	}
	for _, id := range t.Cafcass {
		ms = append(ms, m(id, RoleCafcass))
	}
	return ms
}

// TeamOf is the visit's team as a form has it.
func TeamOf(d Details) Team {
	var t Team
	for _, m := range d.Members {
		switch m.Role {
		case RoleLead:
			t.Lead = m.UserID
		case RoleTeam:
			t.Team = append(t.Team, m.UserID)
		case RoleQAM:
			t.QAM = m.UserID
		case RoleModerator:
			t.Moderator = m.UserID
		case RoleSAO:
			t.SAO = append(t.SAO, m.UserID)
		case RoleCafcass:
			t.Cafcass = append(t.Cafcass, m.UserID)
		}
	}
	return t
}

// LeadChosen is the lead inspector a schedule or edit form saves: an
// administrator names anyone; otherwise a visit keeps its lead, and a lead
// inspector scheduling a visit leads it.
func LeadChosen(by Actor, existing *Details, chosen int64) int64 {
	switch {
	case by.Admin:
		return chosen
	case existing != nil:
		lead, _ := existing.Lead()
		return lead.UserID
	case by.Schedules:
		return by.UserID
	}
	return chosen
}

// RoleHint is what a form shows under a person's name: the role of a
// Cafcass person, nothing for Ofsted staff.
func RoleHint(u user.User) string {
	if u.Role.IsCafcass() {
		return u.Role.Label()
	}
	return ""
}

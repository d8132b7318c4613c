package letter

import (
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
)

// ActorFor is the user as the letter's rules see them on the visit: the
// duties come from the visit's members and the user's role together (a
// lead inspector named lead, a QAM named QAM or moderator).
func ActorFor(u user.User, d visit.Details) Actor {
	a := Actor{UserID: u.ID, Admin: u.Role == user.Admin, Cafcass: u.Role.IsCafcass()}
	if a.Cafcass {
		return a
	}
	for _, m := range d.Members {
		if m.UserID != u.ID {
			continue
		}
		a.Ofsted = true
		switch m.Role {
		case visit.RoleLead:
			a.Lead = u.Role == user.LeadInspector
		case visit.RoleQAM:
			a.QAM = u.Role == user.QAM
		case visit.RoleModerator:
			a.Moderator = u.Role == user.QAM
		}
	}
	return a
}

// Package fieldwork holds the rules of a visit's workspace (issue 17): the
// set-up call record, the conversations with stakeholders before fieldwork
// and the fieldwork plan of case discussions. Who may see and change each is
// decided here, by Check, for both the page that offers an action and the
// handler that takes it; the store owns the SQL.
package fieldwork

import (
	"errors"

	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
)

// Action is something seen or done in the workspace.
type Action string

// The actions of the workspace.
const (
	// SeeSetUp: read what was agreed at the set-up call (Ofsted, and
	// Cafcass once it may see the visit, after notice).
	SeeSetUp Action = "see_setup"
	// SeeSetUpNotes: read the set-up call's internal notes (Ofsted only).
	SeeSetUpNotes Action = "see_setup_notes"
	// EditSetUp: record or change the set-up call (the visit's lead
	// inspector, or an administrator).
	EditSetUp Action = "edit_setup"
	// SeeStakeholders: read the conversations with stakeholders (Ofsted
	// people on the visit: its inspectors, SAOs, QAM and moderator).
	SeeStakeholders Action = "see_stakeholders"
	// RecordStakeholder: record a conversation with a stakeholder (the
	// visit's lead and team inspectors).
	RecordStakeholder Action = "record_stakeholder"
	// SeePlan: the whole fieldwork plan with Ofsted's reasons and notes,
	// and each inspector's schedule: children's data (DOMAIN decision 17),
	// for the visit's lead, team inspectors and SAOs.
	SeePlan Action = "see_plan"
	// PlanDiscussion: give a sampled case's discussion an inspector and a
	// time (the visit's lead inspector).
	PlanDiscussion Action = "plan_discussion"
	// SeeArrangements: the discussions Cafcass must arrange (case, names,
	// times, mode; never reasons or notes), for Cafcass once the sample is
	// released.
	SeeArrangements Action = "see_arrangements"
)

// ErrNotAllowed: the user may know the thing is there but may not do this
// (the handler answers 403).
var ErrNotAllowed = errors.New("fieldwork: not allowed")

// ErrNotThere: the thing is not the user's to know about (children's
// data, DOMAIN decision 17, or what is Ofsted's alone): the handler answers
// as for something that does not exist (404).
var ErrNotThere = errors.New("fieldwork: not there")

// RuleError is a refusal with its reason.
type RuleError struct {
	Action Action
	Reason string
	err    error
}

func (e *RuleError) Error() string { return e.Reason }

// Unwrap makes errors.Is(err, ErrNotAllowed) (or ErrNotThere) hold.
func (e *RuleError) Unwrap() error { return e.err }

// Facts are what the rules need beyond the user and the visit.
type Facts struct {
	// SampleReleased: the case sample was released to Cafcass.
	SampleReleased bool
}

// onVisitAs reports whether u is on the visit in one of the roles.
func onVisitAs(u user.User, d visit.Details, roles ...visit.MemberRole) bool {
	for _, m := range d.Members {
		if m.UserID != u.ID {
			continue
		}
		for _, r := range roles {
			if m.Role == r {
				return true
			}
		}
	}
	return false
}

// Check reports whether u may take the action on visit d: nil, or a
// *RuleError saying why not. The visit is one u may see (the handler found
// it through the visibility filter, DOMAIN decision 9).
func Check(a Action, u user.User, d visit.Details, f Facts) error {
	refuse := func(err error, reason string) error { return &RuleError{Action: a, Reason: reason, err: err} }
	by := visit.ActorFor(u, d)
	active := d.Status == visit.Active
	switch a {
	case SeeSetUp:
		if by.Cafcass && !(visit.CanSee(u, d) && d.NoticeGiven()) {
			return refuse(ErrNotThere, "Cafcass sees the set-up call only after notice")
		}
		return nil
	case SeeSetUpNotes:
		if by.Cafcass {
			return refuse(ErrNotThere, "internal notes are Ofsted's alone")
		}
		return nil
	case EditSetUp:
		if by.Cafcass {
			return refuse(ErrNotAllowed, "only Ofsted records the set-up call")
		}
		if !by.Manages() {
			return refuse(ErrNotAllowed, "only the visit's lead inspector records the set-up call")
		}
		if !active {
			return refuse(ErrNotAllowed, "the visit is cancelled")
		}
		return nil
	case SeeStakeholders:
		if !onVisitAs(u, d, visit.RoleLead, visit.RoleTeam, visit.RoleSAO, visit.RoleQAM, visit.RoleModerator) || by.Cafcass {
			return refuse(ErrNotThere, "conversations with stakeholders are for the visit's Ofsted team")
		}
		return nil
	case RecordStakeholder:
		if Check(SeeStakeholders, u, d, f) != nil {
			return refuse(ErrNotThere, "conversations with stakeholders are for the visit's Ofsted team")
		}
		if !onVisitAs(u, d, visit.RoleLead, visit.RoleTeam) || u.Role == user.QAM {
			return refuse(ErrNotAllowed, "only the visit's inspectors record conversations with stakeholders")
		}
		if !active {
			return refuse(ErrNotAllowed, "the visit is cancelled")
		}
		return nil
	case SeePlan:
		if !visit.CanSeeChildData(u, d) {
			return refuse(ErrNotThere, "the fieldwork plan is children's data")
		}
		return nil
	case PlanDiscussion:
		if !visit.CanSeeChildData(u, d) {
			return refuse(ErrNotThere, "the fieldwork plan is children's data")
		}
		if !by.Lead {
			return refuse(ErrNotAllowed, "only the visit's lead inspector plans the case discussions")
		}
		if !active {
			return refuse(ErrNotAllowed, "the visit is cancelled")
		}
		return nil
	case SeeEvidence, RecordEvidence, LinkEvidence, SeeLinkedEvidence:
		return checkEvidence(a, u, d)
	case SeeContacts, RecordContact:
		return checkContacts(a, u, d)
	case SeeArrangements:
		if !by.Cafcass || !visit.CanSeeChildRecord(u, d, visit.CaseSample, false) {
			return refuse(ErrNotThere, "the discussions to arrange are Cafcass's list")
		}
		if !f.SampleReleased {
			return refuse(ErrNotThere, "the case sample is not released yet")
		}
		return nil
	}
	return refuse(ErrNotAllowed, "unknown action "+string(a))
}

// May reports whether Check allows the action.
func May(a Action, u user.User, d visit.Details, f Facts) bool { return Check(a, u, d, f) == nil }

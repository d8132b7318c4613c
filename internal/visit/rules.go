package visit

import (
	"errors"

	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
)

// Actor is who is acting on a visit, as its rules need to know them: the
// one place where a user's role becomes what they are to a visit. Pages and
// handlers read these facts; they never compare roles themselves.
type Actor struct {
	UserID int64
	// Admin: an administrator (sees every visit, manages any).
	Admin bool
	// Lead: the visit's lead inspector.
	Lead bool
	// Cafcass: a Cafcass user; sees Cafcass's side of the visit only.
	Cafcass bool
	// Schedules: may be the lead of a visit they schedule (a lead
	// inspector), who is then named as its lead.
	Schedules bool
}

// ActorFor is the user as the rules of visit d see them. d may be the zero
// Details for a user who is not acting on one visit (scheduling, lists).
func ActorFor(u user.User, d Details) Actor {
	a := Actor{UserID: u.ID, Admin: u.Role == user.Admin, Cafcass: u.Role.IsCafcass(), Schedules: u.Role == user.LeadInspector}
	if lead, ok := d.Lead(); ok && a.Schedules && lead.UserID == u.ID {
		a.Lead = true
	}
	return a
}

// Ofsted reports whether the actor works for Ofsted.
func (a Actor) Ofsted() bool { return !a.Cafcass }

// Manages reports whether the actor may change the visit: its lead
// inspector, or an administrator.
func (a Actor) Manages() bool { return a.Admin || a.Lead }

// Action is something done to a visit.
type Action string

// The actions on a visit.
const (
	// EditVisit: change the dates and the team.
	EditVisit Action = "edit"
	// CancelVisit: cancel the visit (with a reason for Cafcass and an internal note).
	CancelVisit Action = "cancel"
	// RecordMilestone: record a milestone as done (DOMAIN decision 10).
	RecordMilestone Action = "record"
	// OverrideMilestone: set a milestone's date by hand, with a reason.
	OverrideMilestone Action = "override"
	// RemoveRecord: remove the record that a milestone was done. The notice
	// call is not removed so: an administrator undoes a notice recorded in
	// error (CheckUndoNotice), which the history keeps.
	RemoveRecord Action = "remove_record"
	// RecordDeferral: record a deferral asked for by Cafcass.
	RecordDeferral Action = "record_deferral"
	// DecideDeferral: grant or refuse a deferral.
	DecideDeferral Action = "decide_deferral"
	// AskDeferral: Cafcass asks Ofsted to defer the visit (Ofsted records
	// the requests it receives with RecordDeferral).
	AskDeferral Action = "ask_deferral"
	// ChooseLead: name someone else as the lead inspector on the form.
	ChooseLead Action = "choose_lead"
	// SeeInternal: see what is Ofsted's alone (the cancellation's internal
	// note, reasons for dates set by hand, the history: DOMAIN decision 18).
	SeeInternal Action = "see_internal"
	// Audit: export the history, see the record of who viewed children's
	// data (DOMAIN decision 17).
	Audit Action = "audit"
)

// ErrNotAllowed is what every refusal wraps: the handler answers 403.
var ErrNotAllowed = errors.New("visit: not allowed")

// ErrNotOffered is a refusal of something that is not there to do (a step
// recorded by another workflow): the handler answers 404.
var ErrNotOffered = errors.New("visit: not offered")

// ErrCancelled refuses a change to the plan of a cancelled visit that a
// page would not offer (a deferral): the handler answers 400.
var ErrCancelled = errors.New("visit: cancelled")

// RuleError is a refused action, with a reason.
type RuleError struct {
	Action Action
	Reason string
	err    error
}

func (e *RuleError) Error() string { return e.Reason }

// Unwrap makes errors.Is(err, ErrNotAllowed) (or ErrNotOffered) hold.
func (e *RuleError) Unwrap() error { return e.err }

// Facts are what the rules need beyond the visit and the actor.
type Facts struct {
	// Milestone is the milestone acted on (for RecordMilestone and OverrideMilestone).
	Milestone *timeline.Milestone
}

// Check reports whether the actor may do the action on visit d: nil, or a
// *RuleError saying why not.
func Check(a Action, by Actor, d Details, f Facts) error {
	refuse := func(err error, reason string) error { return &RuleError{Action: a, Reason: reason, err: err} }
	switch a {
	case SeeInternal:
		if by.Cafcass {
			return refuse(ErrNotAllowed, "only Ofsted sees this")
		}
		return nil
	case Audit, ChooseLead:
		if !by.Admin {
			return refuse(ErrNotAllowed, "only an administrator can do this")
		}
		return nil
	case AskDeferral:
		if !by.Cafcass {
			return refuse(ErrNotAllowed, "Ofsted records the deferral requests it receives")
		}
		if d.Status != Active {
			return refuse(ErrCancelled, "the visit is cancelled")
		}
		return nil
	}
	if !by.Manages() {
		return refuse(ErrNotAllowed, "not the visit's lead inspector")
	}
	switch a {
	case EditVisit, CancelVisit:
		// A cancelled visit may be edited, and cancelling it again is a
		// form error (Cancellation.Check).
		return nil
	case RecordMilestone, OverrideMilestone, RemoveRecord:
		if d.Status != Active {
			return refuse(ErrNotAllowed, "visit cancelled")
		}
		if a != OverrideMilestone && f.Milestone != nil && !CanRecordOnTimeline(*f.Milestone) {
			return refuse(ErrNotOffered, "recorded by its own workflow")
		}
		if a == RemoveRecord && f.Milestone != nil && f.Milestone.Code == timeline.CodeNotice {
			return refuse(ErrNotAllowed, "the notice call cannot be unrecorded: an administrator undoes a notice recorded in error")
		}
		return nil
	case RecordDeferral, DecideDeferral:
		if d.Status != Active {
			return refuse(ErrCancelled, "the visit is cancelled")
		}
		return nil
	}
	return refuse(ErrNotAllowed, "unknown action "+string(a))
}

// May reports whether Check allows the action.
func May(a Action, by Actor, d Details, f Facts) bool { return Check(a, by, d, f) == nil }

// Next lists the actions on the visit as a whole (not on one milestone)
// that the actor may take, for a page to offer.
func Next(by Actor, d Details) []Action {
	var next []Action
	for _, a := range []Action{EditVisit, CancelVisit, RecordMilestone, OverrideMilestone, RemoveRecord, RecordDeferral, DecideDeferral, AskDeferral, SeeInternal, Audit} {
		if May(a, by, d, Facts{}) {
			next = append(next, a)
		}
	}
	return next
}

// CanManage reports whether u may change the visit: its lead inspector, or
// an administrator.
func CanManage(u user.User, d Details) bool { return ActorFor(u, d).Manages() }

package feedback

import (
	"errors"

	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// Action is something seen or done with a visit's feedback.
type Action string

const (
	// SeeCode: see the visit's code, to pass it on (Ofsted; Cafcass once
	// notice is given: before it, the code does not exist either).
	SeeCode Action = "see_code"
	// MakeCode: make the visit's code when it has none (its lead inspector
	// or an administrator, once notice is given, on an active visit).
	MakeCode Action = "make_code"
	// SeeAnswers: the answers, summarised: children's data (DOMAIN
	// decision 17), for the visit's lead, team inspectors and SAOs only.
	SeeAnswers Action = "see_answers"
)

// ErrNotAllowed: the user may know the thing is there but may not do this
// (403).
var ErrNotAllowed = errors.New("feedback: not allowed")

// ErrNotThere: not the user's to know about (404).
var ErrNotThere = errors.New("feedback: not there")

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
	// HasCode: the visit has its code.
	HasCode bool
}

// Check reports whether u may take the action on visit d, one u may see
// (the handler found it through the visibility filter, DOMAIN decision 9):
// nil, or a *RuleError saying why not.
func Check(a Action, u user.User, d visit.Details, f Facts) error {
	refuse := func(err error, reason string) error { return &RuleError{Action: a, Reason: reason, err: err} }
	by := visit.ActorFor(u, d)
	switch a {
	case SeeCode:
		if by.Cafcass && !(visit.CanSee(u, d) && d.NoticeGiven()) {
			return refuse(ErrNotThere, "Cafcass sees the code only after notice")
		}
		return nil
	case MakeCode:
		if by.Cafcass || !by.Manages() {
			return refuse(ErrNotAllowed, "only the visit's lead inspector makes the feedback code")
		}
		if !d.NoticeGiven() {
			return refuse(ErrNotAllowed, "the code is made once notice is given")
		}
		if d.Status != visit.Active {
			return refuse(ErrNotAllowed, "the visit is cancelled")
		}
		if f.HasCode {
			return refuse(ErrNotAllowed, "the visit has its code")
		}
		return nil
	case SeeAnswers:
		if !visit.CanSeeChildData(u, d) {
			return refuse(ErrNotThere, "feedback from children is for the visit's lead, team inspectors and senior analytical officers")
		}
		return nil
	}
	return refuse(ErrNotAllowed, "unknown action")
}

// May reports whether Check allows the action.
func May(a Action, u user.User, d visit.Details, f Facts) bool { return Check(a, u, d, f) == nil }

// OpenWorkingDays is how long the form stays open after the last day of
// fieldwork, in working days (DOMAIN decision 2).
const OpenWorkingDays = 10

// ClosesOn is the last day the form is open: OpenWorkingDays working days
// after the last day of fieldwork.
func ClosesOn(cal *workday.Calendar, lastFieldworkDay workday.Date) (workday.Date, error) {
	return cal.Add(lastFieldworkDay, OpenWorkingDays)
}

// Open reports whether the form takes answers on today: from notice (a
// visit without notice has no code to find) until it closes, on an active
// visit.
func Open(d visit.Details, closes, today workday.Date) bool {
	return d.NoticeGiven() && d.Status == visit.Active && !today.After(closes)
}

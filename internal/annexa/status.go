package annexa

import (
	"errors"
	"fmt"
	"time"
)

// Status is where an item of a visit's request stands.
type Status string

// The statuses of an item (the request_items.status column).
const (
	NotStarted Status = "not_started"
	InProgress Status = "in_progress"
	Submitted  Status = "submitted"
	Accepted   Status = "accepted"
	Returned   Status = "returned"
	NotHeld    Status = "not_held"
)

// Statuses lists every status.
var Statuses = []Status{NotStarted, InProgress, Submitted, Accepted, Returned, NotHeld}

// ParseStatus returns the status named s.
func ParseStatus(s string) (Status, error) {
	for _, st := range Statuses {
		if string(st) == s {
			return st, nil
		}
	}
	return "", fmt.Errorf("annexa: unknown status %q", s)
}

// Label is the status as its tag shows it.
func (s Status) Label() string {
	switch s {
	case NotStarted:
		return "Not started"
	case InProgress:
		return "In progress"
	case Submitted:
		return "Submitted"
	case Accepted:
		return "Accepted"
	case Returned:
		return "Returned"
	case NotHeld:
		return "Not held"
	}
	return string(s)
}

// Colour is the GOV.UK tag colour of the status in a task list: blue for
// what Cafcass still has to do (as the task list's "Incomplete"), light blue
// while in progress, turquoise once with Ofsted, green when accepted, orange
// when sent back, grey when not held.
func (s Status) Colour() string {
	switch s {
	case NotStarted:
		return "blue"
	case InProgress:
		return "light-blue"
	case Submitted:
		return "turquoise"
	case Accepted:
		return "green"
	case Returned:
		return "orange"
	case NotHeld:
		return "grey"
	}
	return ""
}

// Done reports whether Cafcass has dealt with the item: handed it over (or
// had it accepted) or said it is not held. An item not done by its deadline
// is overdue.
func (s Status) Done() bool { return s == Submitted || s == Accepted || s == NotHeld }

// OverdueLabel and OverdueColour are the tag of an item past its deadline.
const (
	OverdueLabel  = "Overdue"
	OverdueColour = "red"
)

// Overdue reports whether an item with status s, due at due, is overdue at
// now: past its deadline and not submitted, accepted or not held.
func Overdue(s Status, due, now time.Time) bool {
	return !due.IsZero() && now.After(due) && !s.Done()
}

// Side is who moves an item.
type Side string

// The two sides of a visit.
const (
	CafcassSide Side = "cafcass"
	OfstedSide  Side = "ofsted"
)

// Move is a change of status asked for, with what it needs.
type Move struct {
	From, To Status
	By       Side
	// Reason is why Ofsted returns the item, or Cafcass's explanation of
	// why it is not held.
	Reason string
	// HasFiles reports whether the item has at least one file.
	HasFiles bool
	// NeedsCoverage and HasCoverage: a child-level list must state the date
	// range it covers before it is submitted.
	NeedsCoverage bool
	HasCoverage   bool
}

// The reasons a move is refused. Each is a sentence people can read.
var (
	ErrForbidden      = errors.New("annexa: that change of status is not allowed")
	ErrNoFiles        = errors.New("annexa: add at least one file before submitting")
	ErrNoCoverage     = errors.New("annexa: enter the dates the list covers before submitting")
	ErrNoReason       = errors.New("annexa: give a reason")
	ErrNoExplanation  = errors.New("annexa: explain why the information is not held")
	ErrNothingChanged = errors.New("annexa: the item already has that status")
)

// transitions are the allowed moves, by side. Cafcass starts, submits or
// says an item is not held, until Ofsted accepts it; Ofsted accepts or
// returns what was submitted, and may return an item said not to be held
// when it disagrees. Cafcass may take back "not held" while Ofsted has not
// decided on it, by starting on the item.
var transitions = map[Side]map[Status][]Status{
	CafcassSide: {
		NotStarted: {InProgress, Submitted, NotHeld},
		InProgress: {Submitted, NotHeld},
		Returned:   {InProgress, Submitted, NotHeld},
		NotHeld:    {InProgress},
	},
	OfstedSide: {
		Submitted: {Accepted, Returned},
		NotHeld:   {Returned},
	},
}

// Allowed reports whether side may move an item from one status to another,
// leaving aside what the move needs (files, reasons).
func Allowed(by Side, from, to Status) bool {
	for _, s := range transitions[by][from] {
		if s == to {
			return true
		}
	}
	return false
}

// Next lists the statuses side may move an item in status from to.
func Next(by Side, from Status) []Status {
	return append([]Status(nil), transitions[by][from]...)
}

// Check returns nil when the move is allowed and has what it needs, or the
// reason it is refused.
func Check(m Move) error {
	if m.From == m.To {
		return ErrNothingChanged
	}
	if !Allowed(m.By, m.From, m.To) {
		return fmt.Errorf("%w: %s cannot move an item from %s to %s", ErrForbidden, m.By, m.From.Label(), m.To.Label())
	}
	switch m.To {
	case Submitted:
		if m.NeedsCoverage && !m.HasCoverage {
			return ErrNoCoverage
		}
		if !m.HasFiles {
			return ErrNoFiles
		}
	case NotHeld:
		if m.Reason == "" {
			return ErrNoExplanation
		}
	case Returned:
		if m.Reason == "" {
			return ErrNoReason
		}
	}
	return nil
}

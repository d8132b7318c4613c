package annexa

import (
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

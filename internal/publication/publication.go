// Package publication holds the rules for what happens to a letter of
// findings once Ofsted sends it to Cafcass: when comments on the draft are
// late, when a complaint is in time, whether publication is held, and when
// the letter is published (DOMAIN decision 6, B.5 L3 to L7, F).
//
// Every date comes from the visit's plan, so the rules follow the actual
// dates (comments are due 5 working days after the draft was actually sent;
// a complaint is in time up to 5 working days after the final was actually
// sent; publication is 8 working days after it) and any date Ofsted set by
// hand, such as a new publication date after a complaint.
package publication

import (
	"errors"
	"strings"
	"time"

	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// ErrNoWindow means the plan has no such window (the template has none).
var ErrNoWindow = errors.New("publication: the plan has no such window")

// windowEnd is the instant a window of the plan closes: the end of its last
// day in loc (DOMAIN decision 5).
func windowEnd(p timeline.Plan, code string, loc *time.Location) (time.Time, error) {
	m, ok := p.Milestone(code)
	if !ok {
		return time.Time{}, ErrNoWindow
	}
	return workday.EndOfDay(m.Last(), loc), nil
}

// CommentsDue is when comments on the draft letter are due: the end of the
// last day of the comments window.
func CommentsDue(p timeline.Plan, loc *time.Location) (time.Time, error) {
	return windowEnd(p, timeline.CodeComments, loc)
}

// CommentsLate reports whether comments submitted at are late. Late
// comments are still accepted, marked late.
func CommentsLate(p timeline.Plan, loc *time.Location, at time.Time) (bool, error) {
	due, err := CommentsDue(p, loc)
	if err != nil {
		return false, err
	}
	return at.After(due), nil
}

// ComplaintDue is the last instant at which a complaint is in time: the end
// of the last day of the complaint window.
func ComplaintDue(p timeline.Plan, loc *time.Location) (time.Time, error) {
	return windowEnd(p, timeline.CodeComplaint, loc)
}

// ComplaintInTime reports whether a complaint received at is in time: the
// final letter has actually been sent and the complaint window has not
// closed. A complaint before the final letter was sent is not a complaint
// about it (the caller refuses it).
func ComplaintInTime(p timeline.Plan, loc *time.Location, at time.Time) (bool, error) {
	due, err := ComplaintDue(p, loc)
	if err != nil {
		return false, err
	}
	return !at.After(due), nil
}

// CanComplain says whether Cafcass may make a formal complaint at at: only
// after the final letter was sent, while the complaint window is open (the
// working days after the final), and only once. The complaint window is
// optional (DOMAIN decision 13): after it closes there is nothing to do.
func CanComplain(p timeline.Plan, loc *time.Location, at time.Time, made int) (bool, error) {
	if !FinalSent(p) || made > 0 {
		return false, nil
	}
	return ComplaintInTime(p, loc, at)
}

// FinalSent reports whether the plan records the final letter as sent.
func FinalSent(p timeline.Plan) bool {
	m, ok := p.Milestone(timeline.CodeFinalLetter)
	return ok && m.State == timeline.StateActual
}

// Complaint is what the publication rules need of a complaint.
type Complaint struct {
	InTime   bool
	Resolved bool
	// ResolvedOn is the day (Europe/London) the complaint was resolved;
	// zero while it is not.
	ResolvedOn workday.Date
}

// Holds reports whether the complaint holds publication: a complaint in
// time holds it until it is resolved; a late one holds nothing.
func (c Complaint) Holds() bool { return c.InTime && !c.Resolved }

// AnyHolds reports whether any of the complaints holds publication.
func AnyHolds(cs []Complaint) bool {
	for _, c := range cs {
		if c.Holds() {
			return true
		}
	}
	return false
}

// Status is where a letter stands on its way to publication.
type Status string

const (
	// NotFinal: the final letter has not been sent, so nothing can be
	// published.
	NotFinal Status = "not-final"
	// Embargoed: the final letter is with Cafcass under embargo and its
	// publication date has not come.
	Embargoed Status = "embargoed"
	// Held: a complaint in time is unresolved.
	Held Status = "held"
	// Due: the publication date has come and nothing holds it.
	Due Status = "due"
	// Published: the letter is public.
	Published Status = "published"
)

// Label is the status as people read it.
func (s Status) Label() string {
	switch s {
	case NotFinal:
		return "Final letter not sent"
	case Embargoed:
		return "Under embargo"
	case Held:
		return "Publication held"
	case Due:
		return "Ready to publish"
	case Published:
		return "Published"
	}
	return string(s)
}

// ErrHeld means a complaint in time is unresolved.
var ErrHeld = errors.New("publication: held by a complaint in time that is not resolved")

// ErrNotFinal means the final letter has not been sent.
var ErrNotFinal = errors.New("publication: the final letter has not been sent")

// ErrNotYet means the publication date has not come.
var ErrNotYet = errors.New("publication: the publication date has not come")

// ErrPublished means the letter is already published.
var ErrPublished = errors.New("publication: already published")

// State is everything the publication decision is made from.
type State struct {
	FinalSent bool
	Published bool
	// Date is the day the letter is due to be published (DueDate).
	Date       workday.Date
	Complaints []Complaint
}

// StateOf reads the final letter and the publication date from the plan,
// and works out the day the letter is due (DueDate): cal counts the working
// day after a complaint's resolution.
func StateOf(p timeline.Plan, cal *workday.Calendar, published bool, cs []Complaint) State {
	st := State{FinalSent: FinalSent(p), Published: published, Complaints: cs}
	if m, ok := p.Milestone(timeline.CodePublication); ok {
		st.Date = DueDate(m.Date, cal, cs)
	}
	return st
}

// DueDate is the day a letter is published (DOMAIN decision 16): the later
// of its planned publication date and the working day after the day a
// complaint that held it (one made in time) was resolved. A late complaint
// holds nothing, so moves nothing. The letter is stamped with this date
// even when the job that publishes it runs later.
func DueDate(planned workday.Date, cal *workday.Calendar, cs []Complaint) workday.Date {
	due := planned
	for _, c := range cs {
		if !c.InTime || !c.Resolved || c.ResolvedOn.IsZero() {
			continue
		}
		next, err := cal.Next(c.ResolvedOn)
		if err != nil {
			continue // beyond the calendar's span: the plan's date stands
		}
		if due.Before(next) {
			due = next
		}
	}
	return due
}

// Slug is a published letter's address under /letters/, from the visit's
// reference.
func Slug(reference string) string {
	return "focused-visit-" + strings.ToLower(reference)
}

// Title names a published letter by the month of its visit's fieldwork.
func Title(p timeline.Plan) string {
	if m, ok := p.Milestone(timeline.CodeFieldwork); ok {
		return "Focused visit to Cafcass, " + m.Last().Format("January 2006")
	}
	return "Focused visit to Cafcass"
}

// StatusOn is where the letter stands on the day today.
func (st State) StatusOn(today workday.Date) Status {
	switch {
	case st.Published:
		return Published
	case !st.FinalSent:
		return NotFinal
	case AnyHolds(st.Complaints):
		return Held
	case st.Date.IsZero() || today.Before(st.Date):
		return Embargoed
	}
	return Due
}

// CanPublish says whether the letter may be published on the day today,
// and if not, why: the final letter must have been sent, no complaint in
// time may be unresolved, and the publication date must have come.
func (st State) CanPublish(today workday.Date) error {
	switch st.StatusOn(today) {
	case Published:
		return ErrPublished
	case NotFinal:
		return ErrNotFinal
	case Held:
		return ErrHeld
	case Embargoed:
		return ErrNotYet
	}
	return nil
}

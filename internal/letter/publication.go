package letter

// The rules for what happens to a letter of findings once Ofsted sends it
// to Cafcass: when comments on the draft are late, when a complaint is in
// time, whether publication is held, and when the letter is published
// (DOMAIN decision 6, B.5 L3 to L7, F). Whether it may be published now is
// Check(l, Publish, ...), from the rule table in state.go.
//
// Every date comes from the visit's plan, so the rules follow the actual
// dates (comments are due 5 working days after the draft was actually sent;
// a complaint is in time up to 5 working days after the final was actually
// sent; publication is 8 working days after it) and any date Ofsted set by
// hand, such as a new publication date after a complaint.

import (
	"errors"
	"strings"
	"time"

	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// ErrNoWindow means the plan has no such window (the template has none).
var ErrNoWindow = errors.New("letter: the plan has no such window")

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
	if !FinalRecorded(p) || made > 0 {
		return false, nil
	}
	return ComplaintInTime(p, loc, at)
}

// FinalRecorded reports whether the plan records the final letter as sent.
func FinalRecorded(p timeline.Plan) bool {
	m, ok := p.Milestone(timeline.CodeFinalLetter)
	return ok && m.State == timeline.StateActual
}

// Complaint is a formal complaint by Cafcass about the final letter.
type Complaint struct {
	ID         int64
	PublicID   string // names the complaint in URLs
	LetterID   int64
	Body       string
	ByName     string
	ReceivedAt time.Time
	// InTime: received while the complaint window was open; only such a
	// complaint holds publication.
	InTime     bool
	Resolution string
	ResolvedBy string
	// ResolvedAt is when Ofsted recorded the resolution (zero: not yet).
	ResolvedAt         time.Time
	NewPublicationDate workday.Date
}

// Resolved reports whether Ofsted has recorded the complaint's resolution.
func (c Complaint) Resolved() bool { return !c.ResolvedAt.IsZero() }

// ResolvedOn is the day in loc the complaint was resolved; zero while it
// is not.
func (c Complaint) ResolvedOn(loc *time.Location) workday.Date {
	if !c.Resolved() {
		return workday.Date{}
	}
	return workday.DateOf(c.ResolvedAt.In(loc))
}

// Holds reports whether the complaint holds publication: a complaint in
// time holds it until it is resolved; a late one holds nothing.
func (c Complaint) Holds() bool { return c.InTime && !c.Resolved() }

// AnyHolds reports whether any of the complaints holds publication.
func AnyHolds(cs []Complaint) bool {
	for _, c := range cs {
		if c.Holds() {
			return true
		}
	}
	return false
}

// PublicationStatus is where a letter stands on its way to publication.
type PublicationStatus string

// The publication statuses.
const (
	// StatusNotFinal: the final letter has not been sent, so nothing can be
	// published.
	StatusNotFinal PublicationStatus = "not-final"
	// StatusEmbargoed: the final letter is with Cafcass under embargo and its
	// publication date has not come.
	StatusEmbargoed PublicationStatus = "embargoed"
	// StatusHeld: a complaint in time is unresolved.
	StatusHeld PublicationStatus = "held"
	// StatusDue: the publication date has come and nothing holds it.
	StatusDue PublicationStatus = "due"
	// Published: the letter is public.
	StatusPublished PublicationStatus = "published"
)

// Label is the status as people read it.
func (s PublicationStatus) Label() string {
	switch s {
	case StatusNotFinal:
		return "Final letter not sent"
	case StatusEmbargoed:
		return "Under embargo"
	case StatusHeld:
		return "Publication held"
	case StatusDue:
		return "Ready to publish"
	case StatusPublished:
		return "Published"
	}
	return string(s)
}

// Publication is where the letter stands on its way to publication, from
// the visit's plan and the letter's complaints.
type Publication struct {
	FinalSent bool
	Published bool
	// Date is the day the letter is due to be published (DueDate).
	Date       workday.Date
	Complaints []Complaint
}

// PublicationOf reads the final letter and the publication date from the
// plan, and works out the day the letter is due (DueDate): cal counts the
// working day after a complaint's resolution, on its day in loc.
func PublicationOf(p timeline.Plan, cal *workday.Calendar, loc *time.Location, published bool, cs []Complaint) Publication {
	st := Publication{FinalSent: FinalRecorded(p), Published: published, Complaints: cs}
	if m, ok := p.Milestone(timeline.CodePublication); ok {
		st.Date = DueDate(m.Date, cal, loc, cs)
	}
	return st
}

// DueDate is the day a letter is published (DOMAIN decision 16): the later
// of its planned publication date and the working day after the day a
// complaint that held it (one made in time) was resolved. A late complaint
// holds nothing, so moves nothing. The letter is stamped with this date
// even when the job that publishes it runs later.
func DueDate(planned workday.Date, cal *workday.Calendar, loc *time.Location, cs []Complaint) workday.Date {
	due := planned
	for _, c := range cs {
		if !c.InTime || !c.Resolved() {
			continue
		}
		next, err := cal.Next(c.ResolvedOn(loc))
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
func (st Publication) StatusOn(today workday.Date) PublicationStatus {
	switch {
	case st.Published:
		return StatusPublished
	case !st.FinalSent:
		return StatusNotFinal
	case AnyHolds(st.Complaints):
		return StatusHeld
	case st.Date.IsZero() || today.Before(st.Date):
		return StatusEmbargoed
	}
	return StatusDue
}

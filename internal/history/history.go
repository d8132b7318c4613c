// Package history is a visit's history as the service records and shows it.
// The store records what happened, as a Kind (a stable dotted code such as
// "visit.created" or "item.returned") and its Params (stored as jsonb:
// strings, dates as "2006-01-02", numbers, people's names as they were then).
// The words of each kind are chosen when the history is shown, in one table
// (words.go), with the dates formatted there; rewording a line needs no data
// migration.
package history

import (
	"time"

	"github.com/ofsted/focusedvisits/internal/workday"
)

// Kind is what happened: a stable code, stored with the line.
type Kind string

// Event is one line of a visit's history as recorded.
type Event struct {
	Kind   Kind
	Params Params
	// Stored is the words a Legacy line was recorded with. Lines of other
	// kinds store none.
	Stored Line
}

// Line is a history line in words, in the columns the history shows: what
// happened, the field it changed with its old and new value, and detail.
type Line struct {
	Action, Field, Old, New, Detail string
}

// Known reports whether k is a kind with words: the only kinds the store
// records.
func Known(k Kind) bool {
	_, ok := words[k]
	return ok && k != Legacy
}

// Words is the line as people read it: a Legacy line (or one with no kind)
// as it was stored; any other through its kind's words. A kind this version
// does not know (recorded by a newer one) shows its code.
func (e Event) Words() Line {
	if e.Kind == Legacy || e.Kind == "" {
		return e.Stored
	}
	w, ok := words[e.Kind]
	if !ok {
		return Line{Action: string(e.Kind)}
	}
	return w(e.Params)
}

// The actions with which lines recorded before kinds named a child's case.
const (
	legacySampleAdd    = "Case added to the sample"
	legacySampleRemove = "Case removed from the sample"
)

// NamesChildCase reports whether the line names a child's case (its case
// and child IDs): children's data, for those who may see it (DOMAIN
// decision 17).
func (e Event) NamesChildCase() bool {
	switch e.Kind {
	case SampleCaseAdded, SampleCaseRemoved, DiscussionPlanned, DiscussionChanged:
		return true
	case ContactRecorded:
		// Who was contacted, how and when is about a family (DOMAIN
		// decision 17), with a case or without.
		return true
	case EvidenceRecorded, ViewsCheckRecorded:
		return e.Params.Case != ""
	case Legacy, "":
		return e.Stored.Action == legacySampleAdd || e.Stored.Action == legacySampleRemove
	}
	return false
}

// Span is a day or a run of days.
type Span struct {
	From workday.Date `json:"from,omitzero"`
	To   workday.Date `json:"to,omitzero"` // zero, or From, for one day
}

// Day is the span of one day.
func Day(d workday.Date) Span { return Span{From: d} }

// Days is the span from one day to another (one day when to is zero or
// from).
func Days(from, to workday.Date) Span {
	if to == from {
		to = workday.Date{}
	}
	return Span{From: from, To: to}
}

// IsZero reports whether the span names no day.
func (s Span) IsZero() bool { return s.From.IsZero() && s.To.IsZero() }

// ItemDay is a request item and the day of the visit it is due.
type ItemDay struct {
	Number string `json:"number"`
	Day    int    `json:"day"`
}

// DayChange is a request item whose due day changed.
type DayChange struct {
	Number string `json:"number"`
	From   int    `json:"from"`
	To     int    `json:"to"`
}

// Params are the facts of a line. Each kind uses some of them (words.go
// says which); the rest stay zero and are not stored. The JSON names are
// stored, so they do not change.
type Params struct {
	// The visit and its plan.
	Reference     string       `json:"reference,omitzero"`
	OldAnchor     string       `json:"old_anchor,omitzero"` // what the plan was counted from: a timeline code (notice, fieldwork)
	OldAnchorDate workday.Date `json:"old_anchor_date,omitzero"`
	Anchor        string       `json:"anchor,omitzero"`
	AnchorDate    workday.Date `json:"anchor_date,omitzero"`
	Milestone     string       `json:"milestone,omitzero"` // a milestone's code
	Label         string       `json:"label,omitzero"`     // its name in the visit's plan then; empty: the template's
	OldDates      Span         `json:"old_dates,omitzero"` // its dates before (for a deferral granted, the fieldwork's)
	Dates         Span         `json:"dates,omitzero"`     // and after
	Time          string       `json:"time,omitzero"`      // the time of day recorded with Dates, "09:30"
	Before        bool         `json:"before,omitzero"`    // a yes or no before the change (an area for priority action)
	After         bool         `json:"after,omitzero"`     // and after it
	Role          string       `json:"role,omitzero"`      // a role on the visit (visit.MemberRole)
	OldNames      []string     `json:"old_names,omitzero"` // who had it before, as named then
	Names         []string     `json:"names,omitzero"`     // and after

	// Who, when and why.
	Name     string       `json:"name,omitzero"`      // a person as named then: a reader, a publisher, who asked, a sample case's inspector
	UserRole string       `json:"user_role,omitzero"` // their role in the service (user.Role)
	On       workday.Date `json:"on,omitzero"`        // the day they asked or told
	At       time.Time    `json:"at,omitzero"`        // the instant, where a day is not enough
	Method   string       `json:"method,omitzero"`    // how the chief executive was told
	Reason   string       `json:"reason,omitzero"`
	Note     string       `json:"note,omitzero"`
	Text     string       `json:"text,omitzero"`    // a question, an answer, a resolution
	Warning  string       `json:"warning,omitzero"` // a scheduling warning's code
	Message  string       `json:"message,omitzero"` // and its message as it was accepted

	// The letter.
	Action     string `json:"action,omitzero"`    // a letter.Action
	OldState   string `json:"old_state,omitzero"` // a letter.State
	State      string `json:"state,omitzero"`
	OldVersion int    `json:"old_version,omitzero"`
	Version    int    `json:"version,omitzero"` // a letter's or a file's
	Section    string `json:"section,omitzero"` // a letter.Section
	Outcome    string `json:"outcome,omitzero"` // a letter.Outcome
	Count      int    `json:"count,omitzero"`   // comments
	Late       bool   `json:"late,omitzero"`
	InTime     bool   `json:"in_time,omitzero"`
	Slug       string `json:"slug,omitzero"` // the published letter's, under /letters/

	// The information request.
	Item      string      `json:"item,omitzero"` // an item's number
	Title     string      `json:"title,omitzero"`
	Day       int         `json:"day,omitzero"`        // the day of the visit it is due
	OldStatus string      `json:"old_status,omitzero"` // an annexa.Status
	Status    string      `json:"status,omitzero"`
	Added     []ItemDay   `json:"added,omitzero"`
	Changed   []DayChange `json:"changed,omitzero"`
	Dropped   []string    `json:"dropped,omitzero"`
	Kept      []string    `json:"kept,omitzero"`

	// Files and children's data.
	File       string       `json:"file,omitzero"` // a file's name
	Size       int64        `json:"size,omitzero"`
	SHA256     string       `json:"sha256,omitzero"`     // its digest, in hex
	Replaced   int          `json:"replaced,omitzero"`   // the version an upload replaced
	Superseded bool         `json:"superseded,omitzero"` // a later version of the file came since
	Earlier    int          `json:"earlier,omitzero"`    // the earlier versions removed with a file
	Rows       int          `json:"rows,omitzero"`
	Errors     int          `json:"errors,omitzero"`
	Queries    int          `json:"queries,omitzero"`
	Issues     int          `json:"issues,omitzero"`
	Samples    int          `json:"samples,omitzero"`
	Files      int          `json:"files,omitzero"`
	Case       string       `json:"case,omitzero"`
	Child      string       `json:"child,omitzero"`
	Evidence   int          `json:"evidence,omitzero"`  // evidence notes deleted
	Contacts   int          `json:"contacts,omitzero"`  // contacts with children, parents and carers deleted
	Checks     int          `json:"checks,omitzero"`    // children's views and office checks deleted
	Feedback   int          `json:"feedback,omitzero"`  // children's feedback answers deleted
	Days       int          `json:"days,omitzero"`      // how long children's data was kept
	Published  workday.Date `json:"published,omitzero"` // the day the letter was published

	// The visit's workspace (internal/fieldwork): codes, worded at display.
	OldValue string `json:"old_value,omitzero"` // a set-up record field before, as shown then
	Value    string `json:"value,omitzero"`     // and after
	Code     string `json:"code,omitzero"`      // a stakeholder kind, or a practice area
	Focus    string `json:"focus,omitzero"`     // a focus point of the area
	Mode     string `json:"mode,omitzero"`      // how a case discussion is held
	Start    int    `json:"start,omitzero"`     // its start, minutes after midnight
	Minutes  int    `json:"minutes,omitzero"`   // and length
	Enquiry  bool   `json:"enquiry,omitzero"`   // a line of enquiry rather than evidence

	// Closure days.
	Closure       workday.Date `json:"closure,omitzero"` // the day closed or reopened
	ClosureReason string       `json:"closure_reason,omitzero"`
	Why           string       `json:"why,omitzero"` // why it was reopened
}

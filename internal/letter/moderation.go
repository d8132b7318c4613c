package letter

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ofsted/focusedvisits/internal/form"

	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// Outcome is what moderation decided.
type Outcome string

// The outcomes of moderation.
const (
	Agreed        Outcome = "agreed"
	ChangesNeeded Outcome = "changes_needed"
)

// Label is the outcome as people say it.
func (o Outcome) Label() string {
	switch o {
	case Agreed:
		return "Agreed: the letter may be sent"
	case ChangesNeeded:
		return "Changes needed: returned to the lead inspector"
	}
	return string(o)
}

// Action is the letter action the outcome is.
func (o Outcome) Action() Action {
	if o == ChangesNeeded {
		return ModerateReturn
	}
	return Moderate
}

// CEOToldMethod is how the CEO was told of changed dates (B.5 L8).
type CEOToldMethod string

// The methods; the guidance says "writes to the CEO", but the service
// records what was actually done.
const (
	ToldByLetter  CEOToldMethod = "letter"
	ToldByEmail   CEOToldMethod = "email"
	ToldByPhone   CEOToldMethod = "phone"
	ToldInMeeting CEOToldMethod = "meeting"
)

// CEOToldMethods lists the methods in the order they are offered.
var CEOToldMethods = []CEOToldMethod{ToldByLetter, ToldByEmail, ToldByPhone, ToldInMeeting}

// Label is the method as people say it.
func (m CEOToldMethod) Label() string {
	switch m {
	case ToldByLetter:
		return "Letter"
	case ToldByEmail:
		return "Email"
	case ToldByPhone:
		return "Phone call"
	case ToldInMeeting:
		return "Meeting"
	}
	return string(m)
}

// DateCodes are the milestones moderation may move: the draft, the final
// and publication (B.5 L8).
var DateCodes = []string{timeline.CodeDraftLetter, timeline.CodeFinalLetter, timeline.CodePublication}

// DateChange is a milestone date moderation moved.
type DateChange struct {
	Code  string
	Label string       // the milestone's name, for the history
	Old   workday.Date // the date planned before
	New   workday.Date
}

// Moderation is a record of moderating a letter with a priority action.
type Moderation struct {
	ID      int64
	Version int
	Outcome Outcome
	// Notes are internal: never shown to Cafcass.
	Notes         string
	DateChanges   []DateChange
	CEOToldMethod CEOToldMethod
	CEOToldAt     time.Time
	ByName        string
	At            time.Time
}

// MaxNotesLength bounds moderation notes, in characters.
const MaxNotesLength = MaxSectionLength

// DateField is the form field of the new date of a milestone.
func DateField(code string) string { return "date-" + code }

// Validate reports what is wrong with the record, keyed by the moderation
// form's fields in the order of the form. When any date changed, or how or
// when the CEO was told is given, both how and when (today or earlier, now
// being now; a zero now checks no time) are required.
func (m Moderation) Validate(now time.Time) form.Errors {
	var errs form.Errors
	if m.Outcome != Agreed && m.Outcome != ChangesNeeded {
		errs.Add("outcome", "Choose the outcome of moderation")
	}
	if m.Outcome == ChangesNeeded && strings.TrimSpace(m.Notes) == "" {
		errs.Add("notes", "Enter the notes: say what needs to change")
	} else if utf8.RuneCountInString(m.Notes) > MaxNotesLength {
		errs.Add("notes", fmt.Sprintf("Notes must be %d characters or fewer", MaxNotesLength))
	}
	for _, d := range m.DateChanges {
		if d.New.IsZero() {
			errs.AddDate(DateField(d.Code), "Enter the new date of "+strings.ToLower(d.Label))
		}
	}
	if len(m.DateChanges) > 0 || m.CEOToldMethod != "" || !m.CEOToldAt.IsZero() {
		if !slices.Contains(CEOToldMethods, m.CEOToldMethod) {
			errs.Add("ceo-method", "Choose how the chief executive was told of the new dates")
		}
		switch {
		case m.CEOToldAt.IsZero():
			errs.AddDate("ceo-told", "Enter the date the chief executive was told")
		case !now.IsZero() && m.CEOToldAt.After(now):
			errs.AddDate("ceo-told", "The date the chief executive was told must be today or in the past")
		}
	}
	return errs
}

// OverrideReason is the reason given on the visit's plan for each date
// moderation moved: how and when the chief executive was told.
func (m Moderation) OverrideReason() string {
	return fmt.Sprintf("Moved by moderation of the letter (area for priority action). Chief executive told by %s on %s",
		strings.ToLower(m.CEOToldMethod.Label()), timeline.FormatTime(m.CEOToldAt))
}

package fieldwork

import (
	"fmt"
	"regexp"
	"strconv"
	"unicode/utf8"

	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// Modes are how a case discussion is held.
var Modes = []Choice{{"in_person", "In person"}, {"phone", "Phone"}, {"video", "Video"}}

// ModeLabel is the words of a mode.
func ModeLabel(m string) string { return labelOf(Modes, m) }

// Durations are the lengths of a discussion offered, in minutes.
var Durations = []int{30, 45, 60, 75, 90, 120}

// Discussion is a sampled case's discussion with its practitioner and
// manager on the fieldwork plan. Note is Ofsted's alone; so is the
// sample's reason, which a Discussion never carries.
type Discussion struct {
	SamplePublicID string
	CaseID         string
	ChildID        string
	InspectorID    int64
	InspectorName  string
	Day            workday.Date
	Start          int // minutes after midnight
	Minutes        int
	Mode           string
	Practitioner   string
	Manager        string
	Note           string
}

// End is when the discussion ends, in minutes after midnight.
func (d Discussion) End() int { return d.Start + d.Minutes }

// Clock is a time of day in minutes as "14:05".
func Clock(m int) string { return fmt.Sprintf("%02d:%02d", m/60, m%60) }

// Times is the discussion's day and times as pages show them.
func (d Discussion) Times() string {
	return timeline.FormatDate(d.Day) + ", " + Clock(d.Start) + " to " + Clock(d.End())
}

var clockRE = regexp.MustCompile(`^([01]?[0-9]|2[0-3])[:.]([0-5][0-9])$`)

// ParseClock reads a 24-hour time such as "9:30" or "14.05".
func ParseClock(s string) (int, bool) {
	m := clockRE.FindStringSubmatch(s)
	if m == nil {
		return 0, false
	}
	h, _ := strconv.Atoi(m[1])
	mi, _ := strconv.Atoi(m[2])
	return h*60 + mi, true
}

// MaxName bounds a practitioner's or manager's name.
const MaxName = 200

// CheckDiscussion checks a discussion, keyed by form field in order.
// dateMsg and clockOK say how the day and time parsed; inspectors are the
// user ids it may be given to (the visit's lead and team inspectors).
func CheckDiscussion(d Discussion, dateMsg string, clockOK bool, inspectors []int64) form.Errors {
	var errs form.Errors
	ok := false
	for _, id := range inspectors {
		ok = ok || id == d.InspectorID
	}
	if !ok {
		errs.Add("inspector", "Select the inspector who will hold the discussion")
	}
	if dateMsg != "" {
		errs.AddDate("day", dateMsg)
	}
	if !clockOK {
		errs.Add("start", "Enter the start time using the 24-hour clock, like 09:30")
	}
	okLen := false
	for _, m := range Durations {
		okLen = okLen || m == d.Minutes
	}
	if !okLen {
		errs.Add("minutes", "Select how long the discussion will take")
	}
	if !known(Modes, d.Mode) {
		errs.Add("mode", "Select how the discussion will be held")
	}
	if utf8.RuneCountInString(d.Practitioner) > MaxName {
		errs.Add("practitioner", fmt.Sprintf("The practitioner's name must be %d characters or fewer", MaxName))
	}
	if utf8.RuneCountInString(d.Manager) > MaxName {
		errs.Add("manager", fmt.Sprintf("The manager's name must be %d characters or fewer", MaxName))
	}
	if utf8.RuneCountInString(d.Note) > MaxText {
		errs.Add("note", fmt.Sprintf("The note must be %d characters or fewer", MaxText))
	}
	return errs
}

// Clashes lists the discussions of the plan that the same inspector holds
// at a time overlapping d's (d itself, by its sample, excluded).
func Clashes(plan []Discussion, d Discussion) []Discussion {
	var out []Discussion
	for _, o := range plan {
		if o.SamplePublicID == d.SamplePublicID || o.InspectorID != d.InspectorID || o.Day != d.Day {
			continue
		}
		if o.Start < d.End() && d.Start < o.End() {
			out = append(out, o)
		}
	}
	return out
}

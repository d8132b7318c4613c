package timeline

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/ofsted/focusedvisits/internal/workday"
)

// WarningCode identifies a scheduling check. Codes are stable: the web
// layer may store them with the reason a lead inspector gives for going
// ahead anyway.
type WarningCode string

// The scheduling checks of DOMAIN decision 4.
const (
	// WarnNoticeNotWorkingDay: the notice day is not a working day.
	WarnNoticeNotWorkingDay WarningCode = "notice-not-working-day"
	// WarnFieldworkStartDay: fieldwork does not start on a usual weekday
	// (Tuesday, Wednesday or Thursday for a focused visit).
	WarnFieldworkStartDay WarningCode = "fieldwork-start-day"
	// WarnFieldworkNotConsecutive: the fieldwork days are split by a
	// weekend, bank holiday or closure.
	WarnFieldworkNotConsecutive WarningCode = "fieldwork-not-consecutive"
	// WarnInspectorClash: an inspector is on another visit's fieldwork at
	// the same time.
	WarnInspectorClash WarningCode = "inspector-clash"
	// WarnAnchorNotWorkingDay: a plan counted back from a day that is not
	// a working day, so the step it was counted from is not on that day.
	WarnAnchorNotWorkingDay WarningCode = "anchor-not-working-day"
	// WarnFieldworkLength: fieldwork set by hand or recorded runs for more
	// or fewer working days than the template plans.
	WarnFieldworkLength WarningCode = "fieldwork-length"
	// WarnNoticePast: the notice day, not yet recorded, is before today.
	WarnNoticePast WarningCode = "notice-past"
)

// Warning is a failed scheduling check. It does not stop a plan: the lead
// inspector may go ahead with a recorded reason.
type Warning struct {
	Code WarningCode
	// Milestone is the code of the milestone the warning is about.
	Milestone string
	// Message says what is wrong in plain English, naming the dates.
	Message string
}

// OtherVisit is another visit's fieldwork, for the clash check.
type OtherVisit struct {
	// Name identifies the visit to people, such as its reference.
	Name       string
	From, To   workday.Date
	Inspectors []string
}

// Clash is an inspector who is on another visit's fieldwork on days that
// overlap this visit's fieldwork.
type Clash struct {
	Inspector string
	Visit     string
	// From and To are the days both visits have fieldwork.
	From, To workday.Date
}

// Clashes returns, for the fieldwork from to to, every inspector in
// inspectors who is also on the fieldwork of one of others on the same
// days. Names match exactly. The result is in the order of others, then of
// inspectors.
func Clashes(from, to workday.Date, inspectors []string, others []OtherVisit) []Clash {
	var cs []Clash
	for _, o := range others {
		lo, hi := later(from, o.From), earlier(to, o.To)
		if hi.Before(lo) {
			continue
		}
		for _, name := range inspectors {
			for _, n := range o.Inspectors {
				if n == name {
					cs = append(cs, Clash{Inspector: name, Visit: o.Name, From: lo, To: hi})
					break
				}
			}
		}
	}
	return cs
}

func later(a, b workday.Date) workday.Date {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b workday.Date) workday.Date {
	if a.Before(b) {
		return a
	}
	return b
}

// check runs the scheduling checks over the resolved milestones.
func check(t Template, in Input, done map[string]Milestone) []Warning {
	var ws []Warning
	cal := in.Calendar
	notice := done[t.Notice]
	if ok, why := cal.IsWorkingDay(notice.Date); !ok {
		ws = append(ws, Warning{
			Code: WarnNoticeNotWorkingDay, Milestone: t.Notice,
			Message: fmt.Sprintf("The notice day, %s, is not a working day (%s).", FormatDate(notice.Date), why),
		})
	}
	if !in.Today.IsZero() && notice.State == StatePlanned && notice.Date.Before(in.Today) {
		ws = append(ws, Warning{
			Code: WarnNoticePast, Milestone: t.Notice,
			Message: fmt.Sprintf("The notice day, %s, is in the past: today is %s.", FormatDate(notice.Date), FormatDate(in.Today)),
		})
	}
	if code := in.AnchorCode; code != "" && code != t.Notice {
		if ok, why := cal.IsWorkingDay(in.Anchor); !ok {
			s, _ := t.Step(code)
			m := done[code]
			ws = append(ws, Warning{
				Code: WarnAnchorNotWorkingDay, Milestone: code,
				Message: fmt.Sprintf("You planned back from %s, %s, which is not a working day (%s). Counted in working days, %s is %s.",
					s.Phrase, FormatDate(in.Anchor), why, s.Phrase, FormatDate(m.First())),
			})
		}
	}
	if t.Fieldwork == "" {
		return ws
	}
	fw := done[t.Fieldwork]
	if step, _ := t.Step(t.Fieldwork); fw.State != StatePlanned {
		want := step.EndOffset - step.Offset + 1
		if n, err := cal.Between(fw.From.AddDays(-1), fw.To); err == nil && n != want {
			ws = append(ws, Warning{
				Code: WarnFieldworkLength, Milestone: t.Fieldwork,
				Message: fmt.Sprintf("Fieldwork runs on %s (%s). It usually runs on %s in a row.",
					workingDays(n, n), FormatDates(fw.From, fw.To), workingDays(want, want)),
			})
		}
	}
	if start := fw.From.Weekday(); len(t.FieldworkStarts) > 0 && !containsDay(t.FieldworkStarts, start) {
		ws = append(ws, Warning{
			Code: WarnFieldworkStartDay, Milestone: t.Fieldwork,
			Message: fmt.Sprintf("Fieldwork starts on a %s (%s). It usually starts on a %s.",
				start, FormatDate(fw.From), orList(t.FieldworkStarts)),
		})
	}
	var gapFrom, gapTo workday.Date
	for d := fw.From.AddDays(1); d.Before(fw.To); d = d.AddDays(1) {
		if ok, _ := cal.IsWorkingDay(d); !ok {
			if gapFrom.IsZero() {
				gapFrom = d
			}
			gapTo = d
		}
	}
	if !gapFrom.IsZero() {
		ws = append(ws, Warning{
			Code: WarnFieldworkNotConsecutive, Milestone: t.Fieldwork,
			Message: fmt.Sprintf("The fieldwork days are not consecutive: fieldwork runs from %s, and %s %s not working days. The fieldwork days are usually consecutive.",
				FormatDates(fw.From, fw.To), dayRange(gapFrom, gapTo), isAre(gapFrom, gapTo)),
		})
	}
	return append(ws, clashWarnings(t.Fieldwork, fw, in)...)
}

// ClashWarnings is the clash check alone: the WarnInspectorClash warnings
// Compute gives p, the plan of in, for in.OtherVisits. A plan's warnings are
// those of the plan computed without OtherVisits followed by these, so a
// plan computed once can be checked again as the other visits change.
func ClashWarnings(p Plan, in Input) []Warning {
	code := in.Template.Fieldwork
	fw, ok := p.Milestone(code)
	if code == "" || !ok {
		return nil
	}
	return clashWarnings(code, fw, in)
}

// clashWarnings checks the fieldwork fw (of step code) against
// in.OtherVisits.
func clashWarnings(code string, fw Milestone, in Input) []Warning {
	var ws []Warning
	// One line per clash: the other visit and the days, naming everyone
	// on both (issue 15: never one line per person, never an id).
	type clashKey struct {
		visit    string
		from, to workday.Date
	}
	var order []clashKey
	people := map[clashKey][]string{}
	for _, c := range Clashes(fw.From, fw.To, in.Inspectors, in.OtherVisits) {
		k := clashKey{c.Visit, c.From, c.To}
		if _, seen := people[k]; !seen {
			order = append(order, k)
		}
		name := c.Inspector
		if n, ok := in.InspectorNames[c.Inspector]; ok {
			name = n
		}
		if !slices.Contains(people[k], name) {
			people[k] = append(people[k], name)
		}
	}
	for _, k := range order {
		names := people[k]
		verb := "is"
		if len(names) > 1 {
			verb = "are"
		}
		ws = append(ws, Warning{
			Code: WarnInspectorClash, Milestone: code,
			Message: fmt.Sprintf("%s %s on fieldwork for %s %s.", andList(names), verb, k.visit, onDates(k.from, k.to)),
		})
	}
	return ws
}

// andList joins names as "A", "A and B", "A, B and C".
func andList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// dayRange names a run of days without the year: "Fri 18 Apr", "Fri 18 to
// Mon 21 Apr".
func dayRange(from, to workday.Date) string {
	switch {
	case from == to:
		return from.Format(layoutNoYear)
	case from.Month() == to.Month():
		return from.Format(layoutDayMonth) + " to " + to.Format(layoutNoYear)
	}
	return from.Format(layoutNoYear) + " to " + to.Format(layoutNoYear)
}

func isAre(from, to workday.Date) string {
	if from == to {
		return "is"
	}
	return "are"
}

func containsDay(days []time.Weekday, d time.Weekday) bool {
	for _, x := range days {
		if x == d {
			return true
		}
	}
	return false
}

// orList joins weekdays as "Tuesday, Wednesday or Thursday".
func orList(days []time.Weekday) string {
	names := make([]string, len(days))
	for i, d := range days {
		names[i] = d.String()
	}
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}

package timeline

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/ofsted/focusedvisits/internal/workday"
)

// State says where a milestone's date comes from.
type State string

// The states of a milestone's date.
const (
	// StatePlanned is a date counted from the template's rule.
	StatePlanned State = "planned"
	// StateActual is the date on which the event was recorded as done.
	StateActual State = "actual"
	// StateOverridden is a date set by hand, with a reason.
	StateOverridden State = "overridden"
)

// Actual is the date on which an event happened. For a window, Date is its
// first day and To its last; a zero To means the window lasted as many
// working days as planned.
type Actual struct {
	Date workday.Date
	To   workday.Date
}

// Override is a date set by hand, with the reason for it. For a window, Date
// is its first day and To its last; a zero To keeps the planned number of
// working days.
type Override struct {
	Date   workday.Date
	To     workday.Date
	Reason string
}

// Input is everything a plan is computed from. Compute reads nothing else:
// the same Input always gives the same Plan.
type Input struct {
	Template Template
	Calendar *workday.Calendar
	// Location is where deadlines end and planned times of day are
	// (Europe/London for Ofsted). It is required.
	Location *time.Location

	// Anchor is the date the plan is built from: the notice day, or, when
	// AnchorCode names another step, that step's (first) day, from which
	// the notice day is counted backwards. For a focused visit, set
	// AnchorCode to CodeFieldwork to plan from the first fieldwork day.
	Anchor     workday.Date
	AnchorCode string

	// Actual holds the events recorded as done so far, by step code.
	Actual map[string]Actual
	// Overrides holds the dates set by hand, by step code. An actual date
	// for the same step wins over an override.
	Overrides map[string]Override
	// Conditions are the conditions that hold for this visit, such as
	// PriorityAction.
	Conditions []Condition

	// Inspectors are this visit's inspectors, and OtherVisits the
	// fieldwork of other visits, for the clash check (see Clashes).
	Inspectors  []string
	OtherVisits []OtherVisit
	// InspectorNames are the names warnings show for the keys in
	// Inspectors (which may carry more, to tell two people apart).
	InspectorNames map[string]string

	// Rebased says a deferral granted after notice re-anchored the plan
	// (DOMAIN decision 11): the steps counted from the notice day count
	// from the notice day the plan anchor implies, while a recorded notice
	// stays as it happened.
	Rebased bool

	// Today, when set, is the day the plan is checked on: a notice day
	// not yet recorded and before it is warned about.
	Today workday.Date

	// Brief skips the explanations (Explanation and Counted stay empty),
	// for pages that show only dates, such as the start page: counting
	// without explaining is several times cheaper. The dates are the same.
	Brief bool
}

// Milestone is one dated step of a plan.
type Milestone struct {
	Code       string
	Label      string
	Kind       Kind
	Actor      Actor
	ActorLabel string

	// Date is the day of a point or deadline; zero for a window.
	Date workday.Date
	// From and To are the first and last days of a window; zero otherwise.
	From, To workday.Date

	// Day is the notice-week label, such as "Day 3" or "Days 7 and 8",
	// when every day of the milestone is one of the numbered days.
	Day string
	// TimeNote is the planned time of day as people read it ("09:00",
	// "afternoon", "by the end of the day"), or empty.
	TimeNote string
	// StartsAt is the planned instant, for a milestone with an exact
	// planned time (the notice call at 09:00); zero otherwise.
	StartsAt time.Time
	// DueAt is the deadline instant, the end of the (last) day, for a
	// milestone that is due; zero otherwise.
	DueAt time.Time

	State State
	// Reason is why the date was set by hand (StateOverridden only).
	Reason string
	// Explanation says how the date was found, for people to read.
	Explanation string
	// Counted is the working-day count behind a planned date (for a
	// window, the count to its last day, whose Skipped covers the whole
	// window); zero for actual and overridden dates.
	Counted workday.Explanation
	// CountedFrom is what a planned date was counted from: the anchor
	// step after any re-anchoring, or the zero Ref for the plan anchor.
	CountedFrom Ref

	Source Source
	// Provisional is set when a date falls in a year whose bank holidays
	// are not yet announced, so the date may still move.
	Provisional bool

	// Optional marks a window someone may act in but need not (DOMAIN
	// decision 13), and Opened says the event that opens it happened.
	Optional, Opened bool
	// RecordedBy names the workflow that alone records the milestone
	// (DOMAIN decision 14), or is empty.
	RecordedBy string
}

// First returns the milestone's date, or a window's first day.
func (m Milestone) First() workday.Date {
	if m.Kind == KindWindow {
		return m.From
	}
	return m.Date
}

// Last returns the milestone's date, or a window's last day.
func (m Milestone) Last() workday.Date {
	if m.Kind == KindWindow {
		return m.To
	}
	return m.Date
}

// Plan is the dated timeline of one visit.
type Plan struct {
	TemplateID      string
	TemplateVersion string
	Title           string

	// Days are the numbered days of the notice week: Days[0] is day 1,
	// the notice day, and Days[n-1] is day n.
	Days []workday.Date
	// Milestones are in template order; steps whose condition does not
	// hold are left out.
	Milestones []Milestone
	// Warnings are the scheduling checks that failed (DOMAIN decision 4).
	Warnings []Warning
	// Provisional is set when any milestone is provisional.
	Provisional bool
}

// Milestone returns the milestone with the given code.
func (p Plan) Milestone(code string) (Milestone, bool) {
	i := slices.IndexFunc(p.Milestones, func(m Milestone) bool { return m.Code == code })
	if i < 0 {
		return Milestone{}, false
	}
	return p.Milestones[i], true
}

// DayNumber returns n when d is day n of the notice week, or 0 when it is
// none of the numbered days.
func (p Plan) DayNumber(d workday.Date) int {
	if d.IsZero() {
		return 0
	}
	return slices.Index(p.Days, d) + 1
}

// DayLabel labels the days from to to (the same date for one day) by their
// notice-week numbers: "Day 3", "Days 4 and 5", "Days 2 to 4". It returns ""
// when either end is not one of the numbered days.
func (p Plan) DayLabel(from, to workday.Date) string {
	a, b := p.DayNumber(from), p.DayNumber(to)
	switch {
	case a == 0 || b == 0 || b < a:
		return ""
	case a == b:
		return fmt.Sprintf("Day %d", a)
	case b == a+1:
		return fmt.Sprintf("Days %d and %d", a, b)
	}
	return fmt.Sprintf("Days %d to %d", a, b)
}

// Compute dates every step of in.Template that applies, in template order,
// and runs the scheduling checks.
//
// A planned date is counted in working days from the date of its anchor
// step, as that step was resolved: recorded as done, set by hand, or
// planned. So an actual or overridden date moves everything anchored to it,
// and a step with a Reanchor rule switches to it once the step it names is
// recorded as done or set by hand. A recorded or overridden date itself
// never moves.
func Compute(in Input) (Plan, error) {
	t := in.Template
	if err := t.Validate(); err != nil {
		return Plan{}, fmt.Errorf("timeline: %w", err)
	}
	switch {
	case in.Calendar == nil:
		return Plan{}, errors.New("timeline: no calendar given")
	case in.Location == nil:
		return Plan{}, errors.New("timeline: no location given for deadlines")
	case in.Anchor.IsZero():
		return Plan{}, errors.New("timeline: no anchor date given")
	}
	applies := func(s Step) bool { return s.Condition == "" || slices.Contains(in.Conditions, s.Condition) }
	if err := checkFixed(t, in, applies); err != nil {
		return Plan{}, fmt.Errorf("timeline: %w", err)
	}
	root, err := planRoot(t, in, applies)
	if err != nil {
		return Plan{}, fmt.Errorf("timeline: %w", err)
	}

	p := Plan{TemplateID: t.ID, TemplateVersion: t.Version, Title: t.Title}
	done := make(map[string]Milestone, len(t.Steps))
	for _, s := range t.Steps {
		if !applies(s) {
			continue
		}
		m, err := resolve(s, in, root, done)
		if err != nil {
			return Plan{}, fmt.Errorf("timeline: %s: %w", s.Code, err)
		}
		done[s.Code] = m
		p.Milestones = append(p.Milestones, m)
	}

	notice := done[t.Notice].Date
	p.Days = make([]workday.Date, t.Days)
	p.Days[0] = notice
	for i := 1; i < t.Days; i++ {
		if p.Days[i], err = in.Calendar.Add(notice, i); err != nil {
			return Plan{}, fmt.Errorf("timeline: day %d: %w", i+1, err)
		}
	}
	for i := range p.Milestones {
		m := &p.Milestones[i]
		m.Day = p.DayLabel(m.First(), m.Last())
		p.Provisional = p.Provisional || m.Provisional
	}
	p.Warnings = check(t, in, done)
	return p, nil
}

// checkFixed checks the actual and overridden dates: known steps that
// apply, dates in order, a reason for every override.
func checkFixed(t Template, in Input, applies func(Step) bool) error {
	var errs []error
	fixed := func(what, code string, from, to workday.Date) {
		s, ok := t.Step(code)
		switch {
		case !ok:
			errs = append(errs, fmt.Errorf("%s for unknown step %q", what, code))
		case !applies(s):
			errs = append(errs, fmt.Errorf("%s for step %q, which applies only when %q", what, code, s.Condition))
		case from.IsZero():
			errs = append(errs, fmt.Errorf("%s for step %q has no date", what, code))
		case !to.IsZero() && to.Before(from):
			errs = append(errs, fmt.Errorf("%s for step %q ends (%s) before it starts (%s)", what, code, to, from))
		case !to.IsZero() && s.Kind != KindWindow && to != from:
			errs = append(errs, fmt.Errorf("%s for step %q has an end date, but it is not a window", what, code))
		}
	}
	for _, code := range slices.Sorted(maps.Keys(in.Actual)) {
		a := in.Actual[code]
		fixed("actual date", code, a.Date, a.To)
	}
	for _, code := range slices.Sorted(maps.Keys(in.Overrides)) {
		o := in.Overrides[code]
		fixed("override", code, o.Date, o.To)
		if o.Reason == "" {
			errs = append(errs, fmt.Errorf("override for step %q has no reason", code))
		}
	}
	return errors.Join(errs...)
}

// anchorDate is the plan anchor resolved to the notice day, with how it
// was found.
type anchorDate struct {
	date    workday.Date
	counted workday.Explanation
	phrase  string // what the count started from, for a backward plan
}

// planRoot finds the notice day from in.Anchor: the anchor itself, or
// counted back from the step named by in.AnchorCode.
func planRoot(t Template, in Input, applies func(Step) bool) (anchorDate, error) {
	code := in.AnchorCode
	if code == "" || code == t.Notice {
		return anchorDate{date: in.Anchor}, nil
	}
	s, ok := t.Step(code)
	if !ok || !applies(s) {
		return anchorDate{}, fmt.Errorf("cannot plan from step %q: no such step applies", code)
	}
	n, err := offsetFromRoot(t, Ref{Code: code})
	if err != nil {
		return anchorDate{}, err
	}
	if in.Brief {
		d, err := in.Calendar.Add(in.Anchor, -n)
		if err != nil {
			return anchorDate{}, fmt.Errorf("planning back from %s: %w", code, err)
		}
		return anchorDate{date: d, phrase: s.Phrase}, nil
	}
	e, err := in.Calendar.Explain(in.Anchor, -n)
	if err != nil {
		return anchorDate{}, fmt.Errorf("planning back from %s: %w", code, err)
	}
	return anchorDate{date: e.Result, counted: e, phrase: s.Phrase}, nil
}

// offsetFromRoot adds up the planned offsets from the plan anchor to the
// date r points at.
func offsetFromRoot(t Template, r Ref) (int, error) {
	n := 0
	for r.Code != "" {
		s, ok := t.Step(r.Code)
		if !ok {
			return 0, fmt.Errorf("no step %q", r.Code)
		}
		if r.End {
			n += s.EndOffset
		} else {
			n += s.Offset
		}
		r = s.Anchor
	}
	return n, nil
}

// resolve dates one step, given the steps before it.
func resolve(s Step, in Input, root anchorDate, done map[string]Milestone) (Milestone, error) {
	cal := in.Calendar
	m := Milestone{
		Code: s.Code, Label: s.Label, Kind: s.Kind,
		Actor: s.Actor, ActorLabel: s.Actor.Label(),
		Source: s.Source, Optional: s.Optional, RecordedBy: s.RecordedBy,
	}
	if s.Optional {
		opener, ok := done[s.Reanchor.Ref.Code]
		m.Opened = ok && opener.State == StateActual
	}
	var from, to workday.Date
	if a, ok := in.Actual[s.Code]; ok {
		m.State, from, to = StateActual, a.Date, a.To
	} else if o, ok := in.Overrides[s.Code]; ok {
		m.State, from, to, m.Reason = StateOverridden, o.Date, o.To, o.Reason
	} else {
		var err error
		if from, to, err = planned(s, in, root, done, &m); err != nil {
			return Milestone{}, err
		}
	}
	if m.State != StatePlanned && s.Kind == KindWindow && to.IsZero() {
		var err error
		if to, err = cal.Add(from, s.EndOffset-s.Offset); err != nil {
			return Milestone{}, err
		}
	}
	if to.IsZero() {
		to = from
	}
	switch {
	case in.Brief:
	case m.State == StateActual:
		m.Explanation = "Recorded as done " + onDates(from, to)
	case m.State == StateOverridden:
		m.Explanation = "Set by hand: " + m.Reason
	}
	if s.Kind == KindWindow {
		m.From, m.To = from, to
	} else {
		m.Date = from
	}

	m.TimeNote = s.Time.Note
	if s.Time.Clock {
		m.StartsAt = from.At(s.Time.Hour, s.Time.Minute, 0, 0, in.Location)
	}
	if s.Due {
		m.DueAt = workday.EndOfDay(to, in.Location)
		if m.TimeNote == "" {
			m.TimeNote = "by the end of the day"
			if s.Kind == KindWindow {
				m.TimeNote = "until the end of the last day"
			}
		}
	}
	m.Provisional = cal.Provisional(from) || cal.Provisional(to)
	return m, nil
}

// planned counts the planned dates of step s into m: from its anchor, or
// under its Reanchor rule once the step that names is fixed.
func planned(s Step, in Input, root anchorDate, done map[string]Milestone, m *Milestone) (from, to workday.Date, err error) {
	cal := in.Calendar
	m.State = StatePlanned
	ref, off, endOff := s.Anchor, s.Offset, s.EndOffset
	if a, ok := done[s.Reanchor.Ref.Code]; ok && a.State != StatePlanned {
		r := s.Reanchor
		ref, off, endOff = r.Ref, r.Offset, r.EndOffset
	}
	if s.Kind != KindWindow {
		endOff = off
	}
	base, phrase := root.date, ""
	switch {
	case ref.Code == in.Template.Notice && in.Rebased:
		ref = Ref{}
		phrase = "the notice day as the new plan has it"
	case ref.Code != "":
		a := done[ref.Code]
		base, phrase = refDate(a, ref), a.phrase(ref, in.Template)
	}
	m.CountedFrom = ref
	if in.Brief {
		if from, err = cal.Add(base, off); err != nil {
			return from, to, err
		}
		if s.Kind == KindWindow {
			to, err = cal.Add(base, endOff)
			return from, to, err
		}
		_, from, _, err = latestBound(s, cal, done, from)
		return from, from, err
	}
	e, err := cal.Explain(base, off)
	if err != nil {
		return from, to, err
	}
	from, to, m.Counted = e.Result, e.Result, e
	if s.Kind == KindWindow {
		if e, err = cal.Explain(base, endOff); err != nil {
			return from, to, err
		}
		to, m.Counted = e.Result, e
	}
	switch {
	case phrase != "":
		m.Explanation = explain(from, to, off, endOff, phrase, m.Counted)
	case ref.Code == "" && root.phrase == "":
		m.Explanation = FormatDates(from, to) + ": chosen as the day of " + s.Phrase
	case ref.Code == "":
		m.Counted = root.counted
		m.Explanation = explain(from, to, root.counted.N, root.counted.N, root.phrase, root.counted)
	default:
		m.Explanation = explain(from, to, off, endOff, phrase, m.Counted)
	}
	if b, d, moved, err := latestBound(s, cal, done, from); err != nil {
		return from, to, err
	} else if moved {
		a := done[b.Ref.Code]
		e, err := cal.Explain(refDate(a, b.Ref), b.Offset)
		if err != nil {
			return from, to, err
		}
		from, to, m.Counted, m.CountedFrom = d, d, e, b.Ref
		m.Explanation = explain(from, to, b.Offset, b.Offset, a.phrase(b.Ref, in.Template), e) +
			"; later than " + workingDays(off, off) + " after " + phrase + ", so that it follows " + a.phrase(b.Ref, in.Template)
	}
	return from, to, nil
}

// latestBound finds the lower limit of s (DOMAIN decision 12) that moves
// the planned date from furthest, and the date it moves it to.
func latestBound(s Step, cal *workday.Calendar, done map[string]Milestone, from workday.Date) (Bound, workday.Date, bool, error) {
	var win Bound
	moved := false
	for _, b := range s.NotBefore {
		a, ok := done[b.Ref.Code]
		if !ok {
			continue
		}
		d, err := cal.Add(refDate(a, b.Ref), b.Offset)
		if err != nil {
			return win, from, false, err
		}
		if d.After(from) {
			win, from, moved = b, d, true
		}
	}
	return win, from, moved, nil
}

// refDate is the day of m that r points at: a window's last day for an End
// reference, else its first (or only) day.
func refDate(m Milestone, r Ref) workday.Date {
	if r.End {
		return m.Last()
	}
	return m.First()
}

// phrase names the date r points at, which is m's, in an explanation.
func (m Milestone) phrase(r Ref, t Template) string {
	s, _ := t.Step(m.Code)
	if r.End {
		return s.EndPhrase
	}
	return s.Phrase
}

package timeline

import (
	"errors"
	"fmt"
	"slices"
	"time"
)

// Kind is what sort of milestone a step is.
type Kind string

// The kinds of milestone.
const (
	// KindPoint is something that happens on one day: a call, a letter sent.
	KindPoint Kind = "point"
	// KindWindow is a run of days, From to To: fieldwork, the comments window.
	KindWindow Kind = "window"
	// KindDeadline is something due by the end of one day.
	KindDeadline Kind = "deadline"
)

// Actor is who acts at a milestone.
type Actor string

// The actors of the procedure templates (DOMAIN section A).
const (
	ActorLeadInspector Actor = "lead-inspector"
	ActorTeam          Actor = "inspection-team"
	ActorQAM           Actor = "qam"
	ActorSAO           Actor = "sao"
	ActorCafcass       Actor = "cafcass"
	ActorOfsted        Actor = "ofsted"
)

// Label returns the actor as a person would read it, such as "Lead inspector".
// An unknown actor is returned as it is.
func (a Actor) Label() string {
	switch a {
	case ActorLeadInspector:
		return "Lead inspector"
	case ActorTeam:
		return "Inspection team"
	case ActorQAM:
		return "Quality assurance manager"
	case ActorSAO:
		return "Senior analytical officer"
	case ActorCafcass:
		return "Cafcass"
	case ActorOfsted:
		return "Ofsted"
	}
	return string(a)
}

// Condition names a fact about a visit that decides whether a step applies.
// The empty Condition means the step always applies.
type Condition string

// PriorityAction holds when the letter of findings has an area for priority
// action (DOMAIN decision 7).
const PriorityAction Condition = "priority-action"

// Ref points at the date of a step: its first (or only) day, or, with End,
// the last day of a window. The zero Ref points at the plan anchor.
type Ref struct {
	Code string
	End  bool
}

// Reanchor is the rule that moves a step once the date of another step is
// known for certain (DOMAIN decision 6): when the step Ref points at has been
// recorded as done, or set by hand, the step is counted from that date with
// these offsets instead of from its planned anchor.
type Reanchor struct {
	Ref       Ref
	Offset    int
	EndOffset int
}

// IsZero reports whether r is the empty rule: no re-anchoring.
func (r Reanchor) IsZero() bool { return r.Ref.Code == "" }

// Bound is a lower limit on a step's planned date: never before Offset
// working days after the date Ref points at (DOMAIN decision 12: the final
// letter is never planned inside the comment window).
type Bound struct {
	Ref    Ref
	Offset int
}

// TimeOfDay is when in the day a milestone is planned, where the guidance
// says (DOMAIN decision 5). The zero value means no planned time.
type TimeOfDay struct {
	// Note is the time as people read it: "09:00", "afternoon".
	Note string
	// Clock says that Hour and Minute are an exact planned time.
	Clock        bool
	Hour, Minute int
}

// Source is the sentence of the guidance a step comes from.
type Source struct {
	// Key locates it: "S2:L91" is line 91 of seed 002 (DOMAIN 0.1).
	Key string
	// Text is the sentence, as the guidance words it.
	Text string
}

// Step is one row of a procedure template: a milestone and the rule that
// dates it.
//
// A step's planned date is Offset working days after the date Anchor points
// at (the anchor's own date is day 0: DOMAIN decision 2); a window runs to
// EndOffset working days after it. Once the step that Reanchor points at has
// a fixed date, that rule is used instead.
type Step struct {
	Code  string
	Label string
	Kind  Kind
	Actor Actor

	Anchor    Ref
	Offset    int
	EndOffset int // windows only: the last day, counted like Offset
	Reanchor  Reanchor
	// NotBefore are lower limits on a planned date (points and deadlines
	// only): the latest of the counted date and every limit wins.
	NotBefore []Bound

	// Optional marks a window in which someone may act but need not
	// (DOMAIN decision 13): it is open while it runs and closed after,
	// never overdue. It opens only once the step its Reanchor names (the
	// event that opens it) is recorded as done.
	Optional bool
	// RecordedBy names the workflow that alone records the step as done
	// ("letter": DOMAIN decision 14); empty when the timeline records it.
	RecordedBy string

	// Condition, when set, is a condition that must hold for the step to
	// be in a plan.
	Condition Condition
	// Time is the planned time of day, if the guidance gives one.
	Time TimeOfDay
	// Due says the step is due by the end of its (last) day, so a plan
	// gives it a deadline instant. Deadlines are always due.
	Due bool

	// Phrase names the step's date in an explanation of a later step, as
	// in "10 working days after <the last fieldwork day>". EndPhrase names
	// a window's last day.
	Phrase    string
	EndPhrase string

	Source Source
}

// Template is a procedure template: a versioned table of steps (DOMAIN
// decision 8). A new framework is a new Template, not new code.
type Template struct {
	ID      string
	Version string // the date of the guidance, as YYYY-MM-DD
	Title   string

	// Steps are in order: a step refers only to steps before it. Exactly
	// one step, Notice, is anchored to the plan anchor.
	Steps []Step

	// Notice is the code of the step on day 1 of the notice week.
	Notice string
	// Days is the number of working days numbered "day 1" to "day N".
	Days int
	// Fieldwork is the code of the fieldwork window, which the scheduling
	// checks look at; empty for none.
	Fieldwork string
	// FieldworkStarts are the weekdays on which fieldwork usually starts.
	FieldworkStarts []time.Weekday
}

// Step returns the step with the given code.
func (t Template) Step(code string) (Step, bool) {
	i := slices.IndexFunc(t.Steps, func(s Step) bool { return s.Code == code })
	if i < 0 {
		return Step{}, false
	}
	return t.Steps[i], true
}

// ErrUnknownTemplate is wrapped by the error Lookup returns for a template
// it does not have.
var ErrUnknownTemplate = errors.New("unknown procedure template")

// Templates returns every procedure template, ordered by ID and then by
// version, oldest first. Each call returns fresh values that the caller may
// change.
func Templates() []Template {
	return []Template{focusedVisit20210317()}
}

// Lookup returns the template with the given ID and version, or, when
// version is empty, the latest version of it.
func Lookup(id, version string) (Template, error) {
	var found Template
	ok := false
	for _, t := range Templates() {
		if t.ID != id || (version != "" && t.Version != version) {
			continue
		}
		if !ok || t.Version > found.Version {
			found, ok = t, true
		}
	}
	if !ok {
		if version == "" {
			return Template{}, fmt.Errorf("%q: %w", id, ErrUnknownTemplate)
		}
		return Template{}, fmt.Errorf("%q version %q: %w", id, version, ErrUnknownTemplate)
	}
	return found, nil
}

// Validate checks that t is well formed: unique codes, anchors that refer
// to earlier steps, sensible offsets, a single step on the plan anchor, and
// conditions that hold wherever a conditional step is relied on.
func (t Template) Validate() error {
	var errs []error
	bad := func(format string, a ...any) { errs = append(errs, fmt.Errorf(format, a...)) }
	if t.ID == "" || t.Version == "" {
		bad("template has no ID or version")
	}
	seen := make(map[string]Step, len(t.Steps))
	roots := 0
	checkRef := func(s Step, r Ref, what string) {
		a, ok := seen[r.Code]
		switch {
		case !ok:
			bad("step %q: %s %q is not an earlier step", s.Code, what, r.Code)
		case r.End && a.Kind != KindWindow:
			bad("step %q: %s is the end of %q, which is not a window", s.Code, what, r.Code)
		case a.Condition != "" && a.Condition != s.Condition:
			bad("step %q: %s %q applies only when %q", s.Code, what, r.Code, a.Condition)
		case r.End && a.EndPhrase == "", !r.End && a.Phrase == "":
			bad("step %q: %s %q has no phrase for explanations", s.Code, what, r.Code)
		}
	}
	for _, s := range t.Steps {
		if s.Code == "" || s.Label == "" {
			bad("step %q has no code or label", s.Code)
		}
		if _, dup := seen[s.Code]; dup {
			bad("step %q appears twice", s.Code)
		}
		switch s.Kind {
		case KindPoint, KindDeadline:
			if s.EndOffset != 0 || s.Reanchor.EndOffset != 0 {
				bad("step %q: only a window has an end offset", s.Code)
			}
		case KindWindow:
			if s.EndOffset < s.Offset || (s.Offset < 0) != (s.EndOffset < 0) {
				bad("step %q: window offsets %d to %d", s.Code, s.Offset, s.EndOffset)
			}
			if !s.Reanchor.IsZero() && (s.Reanchor.EndOffset < s.Reanchor.Offset || (s.Reanchor.Offset < 0) != (s.Reanchor.EndOffset < 0)) {
				bad("step %q: re-anchored window offsets %d to %d", s.Code, s.Reanchor.Offset, s.Reanchor.EndOffset)
			}
		default:
			bad("step %q: unknown kind %q", s.Code, s.Kind)
		}
		if s.Kind == KindDeadline && !s.Due {
			bad("step %q: a deadline must be due", s.Code)
		}
		if s.Anchor.Code == "" {
			roots++
			if s.Code != t.Notice || s.Offset != 0 || s.Kind != KindPoint || s.Anchor.End {
				bad("step %q: only the notice step, a point at offset 0, is on the plan anchor", s.Code)
			}
		} else {
			checkRef(s, s.Anchor, "anchor")
		}
		if !s.Reanchor.IsZero() {
			checkRef(s, s.Reanchor.Ref, "re-anchor")
		}
		for _, b := range s.NotBefore {
			checkRef(s, b.Ref, "lower limit")
			if s.Kind == KindWindow {
				bad("step %q: only a point or deadline has a lower limit", s.Code)
			}
		}
		if s.Optional && (s.Kind != KindWindow || s.Reanchor.IsZero()) {
			bad("step %q: only a window opened by an event (its re-anchor) is optional", s.Code)
		}
		if s.Time.Clock && (s.Time.Hour < 0 || s.Time.Hour > 23 || s.Time.Minute < 0 || s.Time.Minute > 59) {
			bad("step %q: time %02d:%02d", s.Code, s.Time.Hour, s.Time.Minute)
		}
		if s.Phrase == "" || (s.Kind == KindWindow && s.EndPhrase == "") {
			bad("step %q has no phrase for explanations", s.Code)
		}
		if s.Source.Key == "" || s.Source.Text == "" {
			bad("step %q has no source", s.Code)
		}
		seen[s.Code] = s
	}
	if roots != 1 {
		bad("%d steps on the plan anchor, want 1 (the notice step %q)", roots, t.Notice)
	}
	if n, ok := seen[t.Notice]; !ok || n.Condition != "" {
		bad("notice step %q missing or conditional", t.Notice)
	}
	if t.Days < 1 {
		bad("no notice-week days")
	}
	if t.Fieldwork != "" {
		if f, ok := seen[t.Fieldwork]; !ok || f.Kind != KindWindow || f.Condition != "" {
			bad("fieldwork step %q missing, not a window or conditional", t.Fieldwork)
		}
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("template %s@%s: %w", t.ID, t.Version, err)
	}
	return nil
}

package pages

import (
	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/web/components"
	"github.com/ofsted/focusedvisits/web/layout"
)

// CalendarMonthView is the month calendar: the visits the user may see,
// bank holidays and closure days, a week to a row from Monday to Sunday.
type CalendarMonthView struct {
	layout.Page
	// Month is the month as people say it: "April 2025".
	Month string
	// Weeks are the rows of the grid, each of 7 days from Monday; days of
	// the months before and after are blank (InMonth false).
	Weeks [][]CalendarDay
	// Previous and Next step to the neighbouring months; nil at the ends
	// of the calendar.
	Previous, Next *components.PaginationLink
	// Empty is set when no visit has a date in the month.
	Empty bool
	// Months and Year are the picker's choices (a GET form: it works
	// without JavaScript), with Errors for a year typed wrong.
	Months []components.Option
	Year   string
	Errors form.Errors
	// Legend explains the markers the month's entries carry, in a fixed
	// order; empty when the month has no entries.
	Legend []CalendarMark
}

// CalendarDay is one cell of the month grid.
type CalendarDay struct {
	InMonth bool
	// Number is the day of the month; Date the full date ("Mon 14 Apr 2025")
	// for screen readers.
	Number int
	Date   string
	Today  bool
	// NonWorking says why the day is not a working day ("Weekend", "Bank
	// holiday", "Office closed"); empty on a working day.
	NonWorking string
	Entries    []CalendarEntry
}

// CalendarEntry is something on a day: a visit's milestone (with a link to
// the visit), a bank holiday or a closure day.
type CalendarEntry struct {
	// Text is what a holiday or closure entry says.
	Text string
	// Ref is the short label a visit's entry shows (its reference, kept on
	// one line) and Detail the rest of its wording (": Fieldwork (first
	// day)"), for screen readers.
	Ref, Detail string
	Href        string
	// Kind is "visit", "holiday" or "closure".
	Kind string
	// Category is what the entry's marker says: a timeline.Category for a
	// visit's milestone, or "holiday" or "closure".
	Category string
}

// CalendarMark is a marker of the month calendar and what it means: a
// letter on a colour, so that colour is never the only sign (WCAG 1.4.1).
type CalendarMark struct {
	Category string
	Letter   string
	Text     string
}

// calendarMarks are the markers in the order the legend lists them.
var calendarMarks = []CalendarMark{
	{Category: string(timeline.CategoryCall), Letter: "C", Text: "Call with Cafcass (notice call, set-up call)"},
	{Category: string(timeline.CategoryDue), Letter: "D", Text: "Due from Cafcass by the end of the day"},
	{Category: string(timeline.CategoryTeam), Letter: "T", Text: "Inspection team meeting or evaluation"},
	{Category: string(timeline.CategoryFieldwork), Letter: "F", Text: "Fieldwork"},
	{Category: string(timeline.CategoryLetter), Letter: "L", Text: "Letter of findings sent or published"},
	{Category: string(timeline.CategoryWindow), Letter: "W", Text: "Cafcass may comment or complain"},
	{Category: string(timeline.CategoryOther), Letter: "O", Text: "Other step of a visit"},
	{Category: "holiday", Letter: "B", Text: "Bank holiday"},
	{Category: "closure", Letter: "X", Text: "Office closed"},
}

// CalendarLegend is the legend for the weeks: the markers their entries
// use, in legend order.
func CalendarLegend(weeks [][]CalendarDay) []CalendarMark {
	used := map[string]bool{}
	for _, w := range weeks {
		for _, d := range w {
			for _, e := range d.Entries {
				used[e.Category] = true
			}
		}
	}
	var legend []CalendarMark
	for _, m := range calendarMarks {
		if used[m.Category] {
			legend = append(legend, m)
		}
	}
	return legend
}

// calendarLetter is the marker letter of the category.
func calendarLetter(category string) string {
	for _, m := range calendarMarks {
		if m.Category == category {
			return m.Letter
		}
	}
	return "O"
}

func calendarDayClass(d CalendarDay) string {
	c := "govuk-table__cell app-calendar__day"
	if d.NonWorking != "" {
		c += " app-calendar__day--non-working"
	}
	if d.Today {
		c += " app-calendar__day--today"
	}
	if len(d.Entries) > 0 {
		c += " app-calendar__day--busy"
	}
	return c
}

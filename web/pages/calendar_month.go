package pages

import (
	"github.com/ofsted/focusedvisits/internal/form"
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
	Text string
	Href string
	// Kind is "visit", "holiday" or "closure".
	Kind string
}

func calendarDayClass(d CalendarDay) string {
	c := "govuk-table__cell app-calendar__day"
	if d.NonWorking != "" {
		c += " app-calendar__day--non-working"
	}
	if d.Today {
		c += " app-calendar__day--today"
	}
	return c
}

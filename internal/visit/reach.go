package visit

import "github.com/ofsted/focusedvisits/internal/workday"

// datesReach is how many days from its anchor a visit's dates may lie. Its
// plan runs from the notice call (up to about two weeks before an anchor on
// the first fieldwork day) to the updated action plan (about five months
// after); a deferral re-anchors the plan within weeks, and late events and
// dates set by hand stay within the year.
const datesReach = 366

// AnchorsAround are the anchor dates of the visits that may have a date
// from first to last: what a page showing those days (the month calendar)
// need read, so that its cost does not grow with the years of visits
// before it (issue 16.2).
func AnchorsAround(first, last workday.Date) (from, to workday.Date) {
	return first.AddDays(-datesReach), last.AddDays(datesReach)
}

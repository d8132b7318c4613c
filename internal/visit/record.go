package visit

import (
	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// CanRecordOnTimeline says whether the timeline offers to record m as done:
// steps that a workflow of their own records (the letter's: DOMAIN decision
// 14) are shown on the timeline but recorded only there.
func CanRecordOnTimeline(m timeline.Milestone) bool { return m.RecordedBy == "" }

// CheckActual checks the dates of an event recorded as done (DOMAIN decision
// 10): an actual date is today or earlier in Europe/London; a date in the
// future is a plan, set with an override and a reason. Notice says the
// person confirmed that recording the notice shows the visit to Cafcass.
// The errors are keyed by the form's fields, in its order.
func CheckActual(m timeline.Milestone, from, to, today workday.Date, confirmed bool) form.Errors {
	var errs form.Errors
	what := "The date"
	if m.Kind == timeline.KindWindow {
		what = "The first day"
	}
	if !from.IsZero() && from.After(today) {
		errs.AddDate("date", what+" must be today or in the past. To plan a later date, change the date instead")
	}
	if !to.IsZero() && to.After(today) {
		errs.AddDate("to", "The last day must be today or in the past. To plan a later date, change the date instead")
	}
	if m.Code == timeline.CodeNotice && !confirmed {
		errs.Add("confirm", "Confirm that Cafcass can see the visit once you record the notice call")
	}
	return errs
}

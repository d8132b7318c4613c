package visit

import (
	"fmt"
	"regexp"
	"strconv"

	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// CanRecordOnTimeline says whether the timeline offers to record m as done:
// steps that a workflow of their own records (the letter's: DOMAIN decision
// 14) are shown on the timeline but recorded only there.
func CanRecordOnTimeline(m timeline.Milestone) bool { return m.RecordedBy == "" }

// AsksTime says whether recording m as done asks the time of day: the
// notice call's.
func AsksTime(m timeline.Milestone) bool { return m.Code == timeline.CodeNotice }

// AsksConfirm says whether recording m as done asks the lead to confirm that
// Cafcass sees the visit from then on: the notice call does that.
func AsksConfirm(m timeline.Milestone) bool { return m.Code == timeline.CodeNotice }

// OverrideReasonMax bounds the reason for a date set by hand, in characters.
const OverrideReasonMax = 2000

// MilestoneForm is the form that records a milestone as done, or sets its
// date by hand, as typed. Its fields, in the form's order: date, to (a
// window's last day), time (the notice call's), confirm (the notice),
// reason (a date set by hand) and, after notice, the record that the chief
// executive was told (DOMAIN decision 14).
type MilestoneForm struct {
	Date, To form.Date
	Time     string
	Confirm  bool
	Reason   string
	Told     CEOToldForm
}

// clockTime is the 24-hour clock: 9:05, 09:05 or 09.05.
var clockTime = regexp.MustCompile(`^([01]?[0-9]|2[0-3])[:.]([0-5][0-9])$`)

// dates checks the first and, for a window, the last day; recorded says
// whether they record what happened, which is today or earlier (DOMAIN
// decision 10: a later date is a plan, set by hand with a reason).
func (f MilestoneForm) dates(m timeline.Milestone, today workday.Date, recorded bool) (from, to workday.Date, errs form.Errors) {
	what := "The date"
	if m.Kind == timeline.KindWindow {
		what = "The first day"
	}
	var msg string
	if from, msg = f.Date.Parse(what); msg != "" {
		errs.AddDate("date", msg)
	} else if recorded && from.After(today) {
		errs.AddDate("date", what+" must be today or in the past. To plan a later date, change the date instead")
	}
	if m.Kind != timeline.KindWindow || f.To.Blank() {
		return from, workday.Date{}, errs
	}
	switch to, msg = f.To.Parse("The last day"); {
	case msg != "":
		errs.AddDate("to", msg)
	case !from.IsZero() && to.Before(from):
		errs.AddDate("to", "The last day must be the same as or after the first day")
	case recorded && to.After(today):
		errs.AddDate("to", "The last day must be today or in the past. To plan a later date, change the date instead")
	}
	return from, to, errs
}

// ValidActual checks the form recording m as done: the dates happened
// (today or earlier), the notice call's time is on the 24-hour clock, and
// recording the notice is confirmed, as it shows the visit to Cafcass. It
// returns what to record, the time as HH:MM.
func (f MilestoneForm) ValidActual(m timeline.Milestone, today workday.Date) (Actual, form.Errors) {
	from, to, errs := f.dates(m, today, true)
	a := Actual{Code: m.Code, Date: from, To: to}
	if AsksTime(m) && f.Time != "" {
		if c := clockTime.FindStringSubmatch(f.Time); c == nil {
			errs.Add("time", "Enter the time of the call using the 24-hour clock, like 09:05")
		} else {
			h, _ := strconv.Atoi(c[1])
			a.Time = fmt.Sprintf("%02d:%s", h, c[2])
		}
	}
	if AsksConfirm(m) && !f.Confirm {
		errs.Add("confirm", "Confirm that Cafcass can see the visit once you record the notice call")
	}
	return a, errs
}

// ValidOverride checks the form setting m's date on visit d by hand: any
// date (a plan may be in the future), a reason, and after notice the record
// that the chief executive was told in writing.
func (f MilestoneForm) ValidOverride(d Details, m timeline.Milestone, today workday.Date) (Override, form.Errors) {
	from, to, errs := f.dates(m, today, false)
	o := Override{Code: m.Code, Date: from, To: to, Reason: f.Reason}
	text(&errs, "reason", f.Reason, "Enter why you are changing the date", "Reason", OverrideReasonMax)
	if d.NoticeGiven() {
		t, told := f.Told.Valid(today)
		o.Told, o.CEONote = t.Split()
		errs = append(errs, told...)
	}
	return o, errs
}

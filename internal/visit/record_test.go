package visit_test

import (
	"strings"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// fields is the errors' fields in order, with the first words of each
// message: "date:The date must be today".
func fields(errs form.Errors) string {
	var out []string
	for _, e := range errs {
		out = append(out, e.Field+":"+e.Message)
	}
	return strings.Join(out, " | ")
}

// wantFields checks the errors are on exactly the fields, in that order, and
// that each message begins as given.
func wantFields(t *testing.T, errs form.Errors, want ...string) {
	t.Helper()
	if len(errs) != len(want) {
		t.Fatalf("errors %s, want %d: %q", fields(errs), len(want), want)
	}
	for i, w := range want {
		field, msg, _ := strings.Cut(w, ":")
		if errs[i].Field != field || !strings.HasPrefix(errs[i].Message, msg) {
			t.Errorf("error %d: %s: %q, want %s: %q…", i, errs[i].Field, errs[i].Message, field, msg)
		}
	}
}

func dateInput(s string) form.Date {
	if s == "" {
		return form.Date{}
	}
	d, err := workday.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return form.DateOf(d)
}

var (
	today     = workday.NewDate(2025, 5, 14)
	notice    = timeline.Milestone{Code: timeline.CodeNotice, Label: "Notice call"}
	fieldwork = timeline.Milestone{Code: timeline.CodeFieldwork, Label: "Fieldwork", Kind: timeline.KindWindow}
	noticed   = visit.Details{Visit: visit.Visit{NoticeGivenAt: time.Date(2025, 5, 12, 9, 0, 0, 0, time.UTC)}}
	toldOK    = visit.CEOToldForm{Method: "email", On: dateInput("2025-05-13")}
)

func TestMilestoneForm_ValidActual(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		m    timeline.Milestone
		f    visit.MilestoneForm
		want []string
	}{
		{"a day that happened", fieldwork, visit.MilestoneForm{Date: dateInput("2025-05-13")}, nil},
		{"today happened", fieldwork, visit.MilestoneForm{Date: dateInput("2025-05-13"), To: dateInput("2025-05-14")}, nil},
		{"a date is needed", fieldwork, visit.MilestoneForm{}, []string{"date:Enter the first day"}},
		{"a real date", notice, visit.MilestoneForm{Date: form.Date{Day: "31", Month: "2", Year: "2025"}, Confirm: true}, []string{"date:The date must be a real date"}},
		{"what happened is not in the future (decision 10)", notice, visit.MilestoneForm{Date: dateInput("2025-05-15"), Confirm: true},
			[]string{"date:The date must be today or in the past. To plan a later date, change the date instead"}},
		{"nor is a window's last day", fieldwork, visit.MilestoneForm{Date: dateInput("2025-05-14"), To: dateInput("2025-05-15")},
			[]string{"to:The last day must be today or in the past"}},
		{"the last day is not before the first", fieldwork, visit.MilestoneForm{Date: dateInput("2025-05-13"), To: dateInput("2025-05-12")},
			[]string{"to:The last day must be the same as or after the first day"}},
		{"the last day is a real date", fieldwork, visit.MilestoneForm{Date: dateInput("2025-05-13"), To: form.Date{Day: "1", Year: "2025"}},
			[]string{"to:The last day must include a month"}},
		{"the notice call is confirmed", notice, visit.MilestoneForm{Date: dateInput("2025-05-12")},
			[]string{"confirm:Confirm that Cafcass can see the visit"}},
		{"its time is on the 24-hour clock", notice, visit.MilestoneForm{Date: dateInput("2025-05-12"), Time: "9am", Confirm: true},
			[]string{"time:Enter the time of the call using the 24-hour clock"}},
		{"in the form's order", notice, visit.MilestoneForm{Date: dateInput("2025-06-12"), Time: "25:00"},
			[]string{"date:The date must be today", "time:Enter the time", "confirm:Confirm"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := tt.f.ValidActual(tt.m, today)
			wantFields(t, errs, tt.want...)
		})
	}
	a, errs := visit.MilestoneForm{Date: dateInput("2025-05-12"), Time: "9.05", Confirm: true}.ValidActual(notice, today)
	if errs.Any() || a != (visit.Actual{Code: timeline.CodeNotice, Date: workday.NewDate(2025, 5, 12), Time: "09:05"}) {
		t.Errorf("notice recorded as %+v, %v", a, errs)
	}
	// A day's milestone has no last day, whatever is typed.
	d := timeline.Milestone{Code: "day3", Label: "Day 3"}
	if a, errs := (visit.MilestoneForm{Date: dateInput("2025-05-13"), To: dateInput("2025-05-20")}).ValidActual(d, today); errs.Any() || !a.To.IsZero() {
		t.Errorf("a day's milestone: %+v, %v", a, errs)
	}
}

func TestMilestoneForm_ValidOverride(t *testing.T) {
	t.Parallel()
	before := visit.Details{}
	for _, tt := range []struct {
		name string
		d    visit.Details
		f    visit.MilestoneForm
		want []string
	}{
		{"a plan may be in the future", before, visit.MilestoneForm{Date: dateInput("2025-06-12"), Reason: "Moved at the lead's request"}, nil},
		{"a reason is needed", before, visit.MilestoneForm{Date: dateInput("2025-06-12"), Reason: " "}, []string{"reason:Enter why you are changing the date"}},
		{"of at most 2000 characters", before, visit.MilestoneForm{Date: dateInput("2025-06-12"), Reason: strings.Repeat("é", 2001)},
			[]string{"reason:Reason must be 2000 characters or fewer"}},
		{"after notice the chief executive is told (decision 14)", noticed, visit.MilestoneForm{Date: dateInput("2025-06-12"), Reason: "r"},
			[]string{"ceo-told-method:Choose how", "ceo-told:Enter the date you told the chief executive"}},
		{"told in writing", noticed, visit.MilestoneForm{Date: dateInput("2025-06-12"), Reason: "r", Told: toldOK}, nil},
		{"in the form's order", noticed, visit.MilestoneForm{To: dateInput("2025-06-01"), Told: visit.CEOToldForm{Method: "email", On: dateInput("2025-05-20")}},
			[]string{"date:Enter the first day", "reason:Enter why", "ceo-told:The date you told the chief executive must be today or in the past"}},
		{"the last day is not before the first", before, visit.MilestoneForm{Date: dateInput("2025-06-12"), To: dateInput("2025-06-11"), Reason: "r"},
			[]string{"to:The last day must be the same as or after the first day"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := tt.f.ValidOverride(tt.d, fieldwork, today)
			wantFields(t, errs, tt.want...)
		})
	}
	o, errs := visit.MilestoneForm{Date: dateInput("2025-06-12"), Reason: "Moved", Told: toldOK}.ValidOverride(noticed, fieldwork, today)
	if errs.Any() || o.Code != timeline.CodeFieldwork || o.Date != workday.NewDate(2025, 6, 12) || o.Reason != "Moved" ||
		o.Told != (visit.CEOTold{Method: "email", On: workday.NewDate(2025, 5, 13)}) {
		t.Errorf("override %+v, %v", o, errs)
	}
}

func TestCEOToldForm_Valid(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		f    visit.CEOToldForm
		want []string
	}{
		{"by email, yesterday", toldOK, nil},
		{"by letter, today, with a note", visit.CEOToldForm{Method: "letter", On: dateInput("2025-05-14"), Note: "New dates"}, nil},
		{"in writing only", visit.CEOToldForm{Method: "phone", On: dateInput("2025-05-13")}, []string{"ceo-told-method:Choose how you told the chief executive in writing"}},
		{"a real date", visit.CEOToldForm{Method: "email", On: form.Date{Day: "x", Month: "5", Year: "2025"}}, []string{"ceo-told:The date you told the chief executive must be a real date"}},
		{"not in the future", visit.CEOToldForm{Method: "email", On: dateInput("2025-05-15")}, []string{"ceo-told:The date you told the chief executive must be today or in the past"}},
		{"a note of at most 2000 characters", visit.CEOToldForm{Method: "email", On: dateInput("2025-05-13"), Note: strings.Repeat("a", 2001)},
			[]string{"ceo-told-note:What you told them must be 2000 characters or fewer"}},
		{"in the form's order", visit.CEOToldForm{Note: strings.Repeat("a", 2001)}, []string{"ceo-told-method:", "ceo-told:Enter", "ceo-told-note:"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := tt.f.Valid(today)
			wantFields(t, errs, tt.want...)
		})
	}
}

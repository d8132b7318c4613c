package publication_test

import (
	"errors"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/publication"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/workday"
)

var london, _ = time.LoadLocation("Europe/London")

var cal = workday.EnglandAndWales()

func d(s string) workday.Date {
	x, err := workday.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return x
}

// plan is a focused visit noticed Mon 12 May 2025 with the draft sent Wed
// 4 Jun and the final Wed 18 Jun 2025.
func plan(t *testing.T) timeline.Plan {
	t.Helper()
	tpl, err := timeline.Lookup(timeline.FocusedVisit, "2021-03-17")
	if err != nil {
		t.Fatal(err)
	}
	p, err := timeline.Compute(timeline.Input{
		Template: tpl, Calendar: workday.EnglandAndWales(), Location: london,
		Anchor: d("2025-05-12"), AnchorCode: timeline.CodeNotice,
		Actual: map[string]timeline.Actual{
			timeline.CodeDraftLetter: {Date: d("2025-06-04")},
			timeline.CodeFinalLetter: {Date: d("2025-06-18")},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func at(day string, h, m, s int) time.Time {
	x := d(day)
	return time.Date(x.Year(), x.Month(), x.Day(), h, m, s, 0, london)
}

func TestCommentsAndComplaintTiming(t *testing.T) {
	p := plan(t)
	for _, c := range []struct {
		name string
		f    func(timeline.Plan, *time.Location, time.Time) (bool, error)
		at   time.Time
		want bool
	}{
		{"comments on the last day are not late", publication.CommentsLate, at("2025-06-11", 23, 59, 59), false},
		{"comments after the last day are late", publication.CommentsLate, at("2025-06-12", 0, 0, 0), true},
		{"a complaint on the last day is in time", publication.ComplaintInTime, at("2025-06-25", 23, 59, 59), true},
		{"a complaint after the last day is late", publication.ComplaintInTime, at("2025-06-26", 0, 0, 1), false},
	} {
		got, err := c.f(p, london, c.at)
		if err != nil || got != c.want {
			t.Errorf("%s: %v %v", c.name, got, err)
		}
	}
}

func TestCanPublish(t *testing.T) {
	p := plan(t)
	pub := d("2025-06-30") // final + 8 working days
	if m, _ := p.Milestone(timeline.CodePublication); m.Date != pub {
		t.Fatalf("publication %s, want %s", m.Date, pub)
	}
	inTime := publication.Complaint{InTime: true}
	late := publication.Complaint{InTime: false}
	resolved := publication.Complaint{InTime: true, Resolved: true}
	for _, c := range []struct {
		name  string
		st    publication.State
		today workday.Date
		want  error
	}{
		{"not before the date", publication.StateOf(p, cal, false, nil), d("2025-06-27"), publication.ErrNotYet},
		{"on the date", publication.StateOf(p, cal, false, nil), pub, nil},
		{"not while a complaint in time is unresolved", publication.StateOf(p, cal, false, []publication.Complaint{inTime}), pub, publication.ErrHeld},
		{"a late complaint holds nothing", publication.StateOf(p, cal, false, []publication.Complaint{late}), pub, nil},
		{"a resolved complaint holds nothing", publication.StateOf(p, cal, false, []publication.Complaint{resolved, late}), pub, nil},
		{"not twice", publication.StateOf(p, cal, true, nil), pub, publication.ErrPublished},
		{"not without a final letter", publication.State{Date: pub}, pub, publication.ErrNotFinal},
	} {
		if err := c.st.CanPublish(c.today); !errors.Is(err, c.want) {
			t.Errorf("%s: %v, want %v", c.name, err, c.want)
		}
	}
}

// TestDueDate (DOMAIN decision 16): a letter is published on the later of
// its planned date and the working day after a complaint that held it was
// resolved.
func TestDueDate(t *testing.T) {
	pub := d("2025-06-30") // Mon
	for _, c := range []struct {
		name string
		cs   []publication.Complaint
		want workday.Date
	}{
		{"no complaint: the planned date", nil, pub},
		{"a late complaint moves nothing", []publication.Complaint{{InTime: false, Resolved: true, ResolvedOn: d("2025-07-03")}}, pub},
		{"resolved well before: the planned date", []publication.Complaint{{InTime: true, Resolved: true, ResolvedOn: d("2025-06-26")}}, pub},
		{"resolved on the Friday before: the planned Monday", []publication.Complaint{{InTime: true, Resolved: true, ResolvedOn: d("2025-06-27")}}, pub},
		{"resolved on the planned day: the working day after", []publication.Complaint{{InTime: true, Resolved: true, ResolvedOn: pub}}, d("2025-07-01")},
		{"resolved on a Friday after: the Monday", []publication.Complaint{{InTime: true, Resolved: true, ResolvedOn: d("2025-07-04")}}, d("2025-07-07")},
		{"resolved before a bank holiday: the day after it", []publication.Complaint{{InTime: true, Resolved: true, ResolvedOn: d("2025-08-22")}}, d("2025-08-26")},
		{"the last of two complaints", []publication.Complaint{
			{InTime: true, Resolved: true, ResolvedOn: d("2025-07-01")},
			{InTime: true, Resolved: true, ResolvedOn: d("2025-07-08")},
		}, d("2025-07-09")},
		{"unresolved: the planned date (held all the same)", []publication.Complaint{{InTime: true}}, pub},
	} {
		if got := publication.DueDate(pub, cal, c.cs); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
	// The state carries the due date, so a letter is not due before it.
	p := plan(t)
	st := publication.StateOf(p, cal, false, []publication.Complaint{{InTime: true, Resolved: true, ResolvedOn: pub}})
	if st.Date != d("2025-07-01") || !errors.Is(st.CanPublish(pub), publication.ErrNotYet) || st.CanPublish(d("2025-07-01")) != nil {
		t.Errorf("state %+v", st)
	}
}

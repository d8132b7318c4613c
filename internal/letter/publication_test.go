package letter_test

import (
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/letter"
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

func londonAt(day string, h, m, s int) time.Time {
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
		{"comments on the last day are not late", letter.CommentsLate, londonAt("2025-06-11", 23, 59, 59), false},
		{"comments after the last day are late", letter.CommentsLate, londonAt("2025-06-12", 0, 0, 0), true},
		{"a complaint on the last day is in time", letter.ComplaintInTime, londonAt("2025-06-25", 23, 59, 59), true},
		{"a complaint after the last day is late", letter.ComplaintInTime, londonAt("2025-06-26", 0, 0, 1), false},
	} {
		got, err := c.f(p, london, c.at)
		if err != nil || got != c.want {
			t.Errorf("%s: %v %v", c.name, got, err)
		}
	}
}

// TestCanPublish: the letter is published only when it is final, on its
// date, and no complaint in time is unresolved; the status the pages show
// says the same. The rule is Check's (one rule table).
func TestCanPublish(t *testing.T) {
	p := plan(t)
	pub := d("2025-06-30") // final + 8 working days
	if m, _ := p.Milestone(timeline.CodePublication); m.Date != pub {
		t.Fatalf("publication %s, want %s", m.Date, pub)
	}
	inTime := letter.Complaint{InTime: true}
	late := letter.Complaint{InTime: false}
	resolved := letter.Complaint{InTime: true, ResolvedAt: londonAt("2025-06-20", 12, 0, 0)}
	final := letter.Letter{State: letter.FinalSent}
	system := letter.Actor{System: true}
	for _, c := range []struct {
		name   string
		l      letter.Letter
		st     letter.Publication
		today  workday.Date
		status letter.PublicationStatus
		ok     bool
	}{
		{"not before the date", final, letter.PublicationOf(p, cal, london, false, nil), d("2025-06-27"), letter.StatusEmbargoed, false},
		{"on the date", final, letter.PublicationOf(p, cal, london, false, nil), pub, letter.StatusDue, true},
		{"not while a complaint in time is unresolved", final, letter.PublicationOf(p, cal, london, false, []letter.Complaint{inTime}), pub, letter.StatusHeld, false},
		{"a late complaint holds nothing", final, letter.PublicationOf(p, cal, london, false, []letter.Complaint{late}), pub, letter.StatusDue, true},
		{"a resolved complaint holds nothing", final, letter.PublicationOf(p, cal, london, false, []letter.Complaint{resolved, late}), pub, letter.StatusDue, true},
		{"not twice", letter.Letter{State: letter.Published}, letter.PublicationOf(p, cal, london, true, nil), pub, letter.StatusPublished, false},
		{"not without a final letter", letter.Letter{State: letter.DraftSent}, letter.Publication{Date: pub}, pub, letter.StatusNotFinal, false},
	} {
		if got := c.st.StatusOn(c.today); got != c.status {
			t.Errorf("%s: status %s, want %s", c.name, got, c.status)
		}
		_, err := letter.Check(c.l, letter.Publish, system, letter.Facts{Complaints: c.st.Complaints, Today: c.today, PublishOn: c.st.Date, Summary: "Inspectors found…"})
		if (err == nil) != c.ok {
			t.Errorf("%s: Check says %v, want allowed %v", c.name, err, c.ok)
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
		cs   []letter.Complaint
		want workday.Date
	}{
		{"no complaint: the planned date", nil, pub},
		{"a late complaint moves nothing", []letter.Complaint{{InTime: false, ResolvedAt: londonAt("2025-07-03", 12, 0, 0)}}, pub},
		{"resolved well before: the planned date", []letter.Complaint{{InTime: true, ResolvedAt: londonAt("2025-06-26", 12, 0, 0)}}, pub},
		{"resolved on the Friday before: the planned Monday", []letter.Complaint{{InTime: true, ResolvedAt: londonAt("2025-06-27", 12, 0, 0)}}, pub},
		{"resolved on the planned day: the working day after", []letter.Complaint{{InTime: true, ResolvedAt: londonAt(pub.String(), 12, 0, 0)}}, d("2025-07-01")},
		{"resolved on a Friday after: the Monday", []letter.Complaint{{InTime: true, ResolvedAt: londonAt("2025-07-04", 12, 0, 0)}}, d("2025-07-07")},
		{"resolved before a bank holiday: the day after it", []letter.Complaint{{InTime: true, ResolvedAt: londonAt("2025-08-22", 12, 0, 0)}}, d("2025-08-26")},
		{"the last of two complaints", []letter.Complaint{
			{InTime: true, ResolvedAt: londonAt("2025-07-01", 12, 0, 0)},
			{InTime: true, ResolvedAt: londonAt("2025-07-08", 12, 0, 0)},
		}, d("2025-07-09")},
		{"unresolved: the planned date (held all the same)", []letter.Complaint{{InTime: true}}, pub},
	} {
		if got := letter.DueDate(pub, cal, london, c.cs); got != c.want {
			t.Errorf("%s: %s, want %s", c.name, got, c.want)
		}
	}
	// The state carries the due date, so a letter is not due before it.
	p := plan(t)
	st := letter.PublicationOf(p, cal, london, false, []letter.Complaint{{InTime: true, ResolvedAt: londonAt(pub.String(), 12, 0, 0)}})
	if st.Date != d("2025-07-01") || st.StatusOn(pub) != letter.StatusEmbargoed || st.StatusOn(d("2025-07-01")) != letter.StatusDue {
		t.Errorf("state %+v", st)
	}
}

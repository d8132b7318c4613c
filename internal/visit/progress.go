package visit

import (
	"time"

	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// Progress is where a milestone stands today.
type Progress string

const (
	Upcoming   Progress = "upcoming"
	InProgress Progress = "in progress"
	DueToday   Progress = "due today"
	Overdue    Progress = "overdue"
	Done       Progress = "done"
	// Open and Closed are the states of an optional window (DOMAIN
	// decision 13), which is never overdue; NotOpen is one whose opening
	// event has not happened.
	Open    Progress = "open"
	Closed  Progress = "closed"
	NotOpen Progress = "not open"
)

// MustAct says the milestone still asks someone to do something: not done,
// and not an optional window (DOMAIN decision 13).
func (p Progress) MustAct() bool {
	switch p {
	case Upcoming, InProgress, DueToday, Overdue:
		return true
	}
	return false
}

// Colour is the GOV.UK tag colour for the progress.
func (p Progress) Colour() string {
	switch p {
	case Done:
		return "green"
	case Overdue:
		return "red"
	case DueToday:
		return "orange"
	case InProgress, Open:
		return "light-blue"
	}
	return "grey"
}

// Label is the progress as shown in a tag.
func (p Progress) Label() string {
	switch p {
	case Done:
		return "Done"
	case Overdue:
		return "Overdue"
	case DueToday:
		return "Due today"
	case InProgress:
		return "In progress"
	case Open:
		return "Open"
	case Closed:
		return "Closed"
	case NotOpen:
		return "Not open"
	}
	return "Upcoming"
}

// ProgressOf says where m stands on the day today.
func ProgressOf(m timeline.Milestone, today workday.Date) Progress {
	if m.State == timeline.StateActual {
		return Done
	}
	first, last := m.First(), m.Last()
	if m.Optional {
		switch {
		case !m.Opened:
			return NotOpen
		case today.Before(first):
			return Upcoming
		case today.After(last):
			return Closed
		}
		return Open
	}
	switch {
	case today.Before(first):
		return Upcoming
	case today.After(last):
		return Overdue
	case today == last:
		return DueToday
	}
	return InProgress
}

// Stage is where a whole visit stands, as people say it.
func Stage(d Details, p timeline.Plan, today workday.Date) string {
	if d.Status == Cancelled {
		return "Cancelled"
	}
	if !d.NoticeGiven() {
		return "Planned, notice not given"
	}
	if pub, ok := p.Milestone(timeline.CodePublication); ok && pub.State == timeline.StateActual {
		return "Published"
	}
	if fw, ok := p.Milestone(timeline.CodeFieldwork); ok {
		switch {
		case today.Before(fw.First()):
			return "Notice given"
		case !today.After(fw.Last()):
			return "Fieldwork"
		}
	}
	if fl, ok := p.Milestone(timeline.CodeFinalLetter); ok && fl.State == timeline.StateActual {
		return "Final letter sent"
	}
	if dl, ok := p.Milestone(timeline.CodeDraftLetter); ok && dl.State == timeline.StateActual {
		return "Draft letter sent"
	}
	return "Awaiting the letter"
}

// TodayIn is today's date where deadlines are kept.
func TodayIn(now time.Time, loc *time.Location) workday.Date {
	return workday.DateOf(now.In(loc))
}

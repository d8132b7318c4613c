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

// The stages of a visit, as people say them (Stage), in the order a visit
// goes through them.
const (
	StagePlanned        = "Planned, notice not given"
	StageNoticeGiven    = "Notice given"
	StageFieldwork      = "Fieldwork"
	StageAwaitingLetter = "Awaiting the letter"
	StageDraftSent      = "Draft letter sent"
	StageFinalSent      = "Final letter sent"
	StagePublished      = "Published"
	StageCancelled      = "Cancelled"
)

// Stages lists every stage in order.
var Stages = []string{StagePlanned, StageNoticeGiven, StageFieldwork, StageAwaitingLetter, StageDraftSent, StageFinalSent, StagePublished, StageCancelled}

// Stage is where a whole visit stands, as people say it. A cancelled or
// published visit, or one whose notice is not given, needs no plan (p may
// be the zero Plan): see Dated.
func Stage(d Details, p timeline.Plan, today workday.Date) string {
	if d.Status == Cancelled {
		return StageCancelled
	}
	if !d.NoticeGiven() {
		return StagePlanned
	}
	if _, ok := d.Actual(timeline.CodePublication); ok {
		return StagePublished
	}
	if fw, ok := p.Milestone(timeline.CodeFieldwork); ok {
		switch {
		case today.Before(fw.First()):
			return StageNoticeGiven
		case !today.After(fw.Last()):
			return StageFieldwork
		}
	}
	if fl, ok := p.Milestone(timeline.CodeFinalLetter); ok && fl.State == timeline.StateActual {
		return StageFinalSent
	}
	if dl, ok := p.Milestone(timeline.CodeDraftLetter); ok && dl.State == timeline.StateActual {
		return StageDraftSent
	}
	return StageAwaitingLetter
}

// Dated reports whether the visit's stage depends on its dates (its plan):
// an active visit whose notice was given and letter not yet published.
func Dated(d Details) bool {
	_, published := d.Actual(timeline.CodePublication)
	return d.Status == Active && d.NoticeGiven() && !published
}

// Has is whether a visit at a stage has something on record: either way,
// yes or no.
type Has int8

// The answers.
const (
	Either Has = iota
	Yes
	No
)

// StageRecord is what a visit at a stage has on record, so that a search
// can narrow by stage in the query before it counts any plan: its status,
// whether its notice was given and its letter published, and whether its
// dates decide between this stage and others (then Stage must be asked of
// each visit found).
type StageRecord struct {
	Status      Status
	NoticeGiven Has
	Published   Has
	Dated       bool
}

// RecordOf is the record of a visit at the stage (Stage).
func RecordOf(stage string) StageRecord {
	switch stage {
	case StageCancelled:
		return StageRecord{Status: Cancelled}
	case StagePlanned:
		return StageRecord{Status: Active, NoticeGiven: No}
	case StagePublished:
		return StageRecord{Status: Active, NoticeGiven: Yes, Published: Yes}
	}
	return StageRecord{Status: Active, NoticeGiven: Yes, Published: No, Dated: true}
}

// TodayIn is today's date where deadlines are kept.
func TodayIn(now time.Time, loc *time.Location) workday.Date {
	return workday.DateOf(now.In(loc))
}

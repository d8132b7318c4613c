package server

import (
	"cmp"
	"fmt"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"github.com/ofsted/focusedvisits/internal/annexa"
	"github.com/ofsted/focusedvisits/internal/letter"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/tasks"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
	"github.com/ofsted/focusedvisits/web/components"
	"github.com/ofsted/focusedvisits/web/pages"
)

// The start page of someone on visits (everyone but administrators): their
// tasks across their visits (internal/tasks), then the visits.

// pastPerPage is how many past visits the start page shows at once.
const pastPerPage = 10

// memberHome lists u's open visits on v, and a page of the past ones
// (?past=N), and gathers in the facts of the open ones: one plan per visit,
// and the store's few queries for all of them. It reads only what it shows,
// so its cost does not grow with the visits of years past (issue 16.2).
func (s *Server) memberHome(r *http.Request, v *pages.HomeView, in *tasks.Input, cal calendarAt) (err error) {
	ctx, u := r.Context(), in.User
	// The page of past visits is read meanwhile: it needs nothing of the
	// open ones, and writes only v's Past fields.
	var past sync.WaitGroup
	var pastErr error
	past.Go(func() {
		defer func() {
			if p := recover(); p != nil {
				pastErr = fmt.Errorf("start page of user %d: past visits: panic: %v\n%s", u.ID, p, debug.Stack())
			}
		}()
		pastErr = s.pastVisits(r, v, in.User, in.Today, cal)
	})
	defer func() {
		past.Wait()
		err = cmp.Or(err, pastErr)
	}()
	visits, err := s.store.ListOpenVisitsFor(ctx, u)
	if err != nil {
		return err
	}
	var open []int64
	for _, d := range visits {
		// Cafcass's rows count what was sent of every request.
		if tasks.OpenVisit(d) || visit.ActorFor(u, d).Cafcass && d.Status == visit.Active {
			open = append(open, d.ID)
		}
	}
	facts, err := s.store.LoadTaskFacts(ctx, open, tasks.NeedsOf(u.Role))
	if err != nil {
		return err
	}
	for _, d := range visits {
		// A published visit's row is read from what was recorded; its plan
		// is counted only if something of it still waits for someone.
		var p timeline.Plan
		tv := taskVisit(d, p, facts)
		if _, _, recorded := recordedDates(d); !recorded || tasks.OpenVisit(d) && tasks.Waiting(tv) {
			if p, err = s.datesOf(cal, d); err != nil {
				return fmt.Errorf("start page of user %d: visit %d: %w", u.ID, d.ID, err)
			}
			tv = taskVisit(d, p, facts)
			if tasks.OpenVisit(d) {
				in.Visits = append(in.Visits, tv)
			}
		}
		sum := visitSummary(u, d, p, in.Today)
		if visit.ActorFor(u, d).Cafcass && d.Status == visit.Active {
			sum.Request = requestWords(facts.Visits[d.ID], tv.Items, s.now())
		}
		v.Visits = append(v.Visits, sum)
	}
	return nil
}

// pastVisits puts the page of u's past visits the query asks for (?past=N)
// on v, latest first, with links to the pages before and after: only that
// page is read.
func (s *Server) pastVisits(r *http.Request, v *pages.HomeView, u user.User, today workday.Date, cal calendarAt) error {
	page := 1
	if n, ok := queryInt(r, "past", 1, 100_000); ok {
		page = n
	}
	ds, more, err := s.store.ListPastVisitsFor(r.Context(), u, pastPerPage, (page-1)*pastPerPage)
	if err != nil {
		return err
	}
	for _, d := range ds {
		var p timeline.Plan
		if _, _, recorded := recordedDates(d); !recorded {
			if p, err = s.datesOf(cal, d); err != nil {
				return fmt.Errorf("start page of user %d: past visit %d: %w", u.ID, d.ID, err)
			}
		}
		v.Past = append(v.Past, visitSummary(u, d, p, today))
	}
	link := func(n int) string {
		if n == 1 {
			return "/#past-visits"
		}
		return fmt.Sprintf("/?past=%d#past-visits", n)
	}
	if page > 1 {
		v.PastPrevious = &components.PaginationLink{Href: link(page - 1), HiddenText: " page of past visits", Label: "Later visits"}
	}
	if more {
		v.PastNext = &components.PaginationLink{Href: link(page + 1), HiddenText: " page of past visits", Label: "Earlier visits"}
	}
	return nil
}

// visitSummary is a visit's row on the start page. p is the visit's plan,
// or the zero Plan for a visit whose dates are all recorded (recordedDates).
func visitSummary(u user.User, d visit.Details, p timeline.Plan, today workday.Date) pages.VisitSummary {
	sum := pages.VisitSummary{Href: visitHref(d), Reference: d.Reference, Stage: visit.Stage(d, p, today)}
	sum.StageColour = stageColour(sum.Stage)
	if m, ok := p.Milestone(timeline.CodeNotice); ok {
		sum.Notice = timeline.FormatDate(m.First())
	}
	if m, ok := p.Milestone(timeline.CodeFieldwork); ok {
		sum.Fieldwork = milestoneDates(m)
	}
	if notice, fieldwork, ok := recordedDates(d); ok && len(p.Milestones) == 0 {
		sum.Notice, sum.Fieldwork = timeline.FormatDate(notice.Date), timeline.FormatDates(fieldwork.Date, fieldwork.To)
	}
	for _, m := range d.Members {
		if m.UserID == u.ID {
			sum.Role = m.Role.Label()
			break
		}
	}
	if lead, ok := d.Lead(); ok {
		sum.Lead = lead.Name
	}
	return sum
}

// recordedDates are the notice call and the fieldwork of a published visit
// as recorded, when both are (fieldwork with its last day): what the plan
// would give them, so that its row on the start page needs no plan. Its
// stage needs none either (visit.Dated).
func recordedDates(d visit.Details) (notice, fieldwork visit.Actual, ok bool) {
	if visit.Dated(d) || !d.NoticeGiven() || d.Status != visit.Active {
		return notice, fieldwork, false
	}
	notice, okN := d.Actual(timeline.CodeNotice)
	fieldwork, okF := d.Actual(timeline.CodeFieldwork)
	return notice, fieldwork, okN && okF && !fieldwork.To.IsZero()
}

// requestWords is the information request's progress for Cafcass at now:
// "Information sent: 3 of 8, 1 overdue" ("" for an empty request). Only the
// items still to send can be overdue, and those are the ones Cafcass's
// tasks load.
func requestWords(f store.TaskVisit, toSend []tasks.Item, now time.Time) string {
	if f.Requested == 0 {
		return ""
	}
	overdue := 0
	for _, it := range toSend {
		if !it.Due.IsZero() && annexa.Overdue(it.Status, workday.EndOfDay(it.Due, london), now) {
			overdue++
		}
	}
	words := fmt.Sprintf("Information sent: %d of %d", f.Sent, f.Requested)
	if overdue > 0 {
		words += fmt.Sprintf(", %d overdue", overdue)
	}
	return words
}

// taskVisit is a visit with the facts of it the store loaded.
func taskVisit(d visit.Details, p timeline.Plan, f store.TaskFacts) tasks.Visit {
	tv := tasks.Visit{Details: d, Plan: p}
	fv := f.Visits[d.ID]
	tv.Requested, tv.ChildRows, tv.SampleReleased, tv.Deferrals = fv.Requested, fv.ChildRows, fv.SampleReleased, fv.Deferrals
	if len(fv.Sampled) > 0 {
		tv.Sampled = map[int64]int{}
		for _, id := range fv.Sampled {
			tv.Sampled[id]++
		}
	}
	if l, ok := f.Letters[d.ID]; ok {
		tv.Letter = l.Letter
		tv.LetterFacts = letter.Facts{Authors: l.Authors, PriorityActionModerated: l.PriorityActionModerated, Unanswered: l.Unanswered}
		tv.CommentsSubmitted = l.CommentsSubmitted
		for _, id := range l.Complaints {
			tv.Complaints = append(tv.Complaints, letter.Complaint{PublicID: id})
		}
	}
	for _, it := range f.Items[d.ID] {
		tv.Items = append(tv.Items, taskItem(p, it))
	}
	for _, q := range f.Questions[d.ID] {
		tv.Questions = append(tv.Questions, tasks.Question{Item: taskItem(p, q.Item), AddressedTo: q.AddressedTo, Answered: q.Answered})
	}
	return tv
}

func taskItem(p timeline.Plan, it store.TaskItem) tasks.Item {
	return tasks.Item{PublicID: it.PublicID, Number: it.Number, Title: it.Title, Kind: it.Kind, Status: it.Status, Due: dueBy(p, it.DueDay, it.DueCode)}
}

// taskRows are the tasks as the start page lists them, and how many are
// overdue or due today, in words.
func taskRows(ts []tasks.Task) ([]pages.TaskRow, string) {
	var rows []pages.TaskRow
	var overdue, today int
	for _, t := range ts {
		row := pages.TaskRow{What: t.What, Href: t.Href, Visit: t.Visit, VisitHref: t.VisitHref,
			Status: t.Status.Label(), StatusColour: t.Status.Colour(), Kind: string(t.Kind), Milestone: t.Milestone}
		switch {
		case !t.From.IsZero() && t.From != t.Due:
			row.Deadline = timeline.FormatDates(t.From, t.Due)
		case !t.Due.IsZero():
			row.Deadline = timeline.FormatDate(t.Due)
		}
		switch t.Status {
		case tasks.Overdue:
			overdue++
		case tasks.DueToday:
			today++
		}
		rows = append(rows, row)
	}
	var counts []string
	if overdue > 0 {
		counts = append(counts, fmt.Sprintf("%d overdue", overdue))
	}
	if today > 0 {
		counts = append(counts, fmt.Sprintf("%d due today", today))
	}
	if len(counts) == 0 {
		return rows, ""
	}
	return rows, strings.Join(counts, ", ") + "."
}

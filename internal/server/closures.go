package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"unicode/utf8"

	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/history"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/workday"
	"github.com/ofsted/focusedvisits/web/pages"
)

// closureReasonMax bounds a closure day's reason, which explanations of
// dates quote.
const closureReasonMax = 100

// closureChangesShown is how many lines of the closure days' history the
// list shows.
const closureChangesShown = 50

func (s *Server) handleClosureList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	days, err := s.store.ListClosureDays(ctx)
	if err != nil {
		return err
	}
	changes, err := s.store.ListClosureChanges(ctx, closureChangesShown)
	if err != nil {
		return err
	}
	today := s.today()
	v := pages.ClosureListView{Page: s.page(r, "Closure days")}
	for _, d := range days {
		v.Closures = append(v.Closures, pages.ClosureRow{
			Date: timeline.FormatDate(d.Date), ISO: d.Date.String(), Reason: d.Reason,
			AddedBy: orService(d.CreatedBy), AddedOn: timeline.FormatTime(d.CreatedAt),
			Past: d.Date.Before(today),
		})
	}
	for _, c := range changes {
		v.Changes = append(v.Changes, pages.ClosureChangeRow{
			At: timeline.FormatTime(c.ChangedAt), Date: timeline.FormatDate(c.Date),
			Change: changeWord(c.Change), Reason: c.Reason, Why: c.Why, By: c.ChangedBy, VisitsMoved: c.VisitsMoved,
		})
	}
	return s.render(w, r, http.StatusOK, pages.ClosureList(v))
}

func orService(name string) string {
	if name == "" {
		return "The service"
	}
	return name
}

func changeWord(c string) string {
	if c == "removed" {
		return "Removed"
	}
	return "Added"
}

func (s *Server) handleClosureNew(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, pages.ClosureNew(pages.ClosureNewView{Page: s.page(r, "Add a closure day")}))
}

// closureForm is the form to add a closure day.
type closureForm struct {
	Date   DateField
	Reason string
}

// valid checks the form against the calendar (with the closure days), and
// returns the date when it is good.
func (f closureForm) valid(cal *workday.Calendar) (workday.Date, form.Errors) {
	var errs form.Errors
	day, msg := f.Date.Parse("The date")
	if msg == "" {
		if err := cal.CheckRange(day); err != nil {
			first, last := cal.Span()
			msg = fmt.Sprintf("The date must be between %s and %s", first.Format("2 January 2006"), last.Format("2 January 2006"))
		} else if i := slices.IndexFunc(cal.Closures(), func(c workday.Closure) bool { return c.Date == day }); i >= 0 {
			msg = fmt.Sprintf("%s is already a closure day (%s)", timeline.FormatDate(day), cal.Closures()[i].Reason)
		} else if ok, why := cal.IsWorkingDay(day); !ok {
			msg = fmt.Sprintf("%s is already not a working day (%s)", timeline.FormatDate(day), why)
		}
	}
	if msg != "" {
		errs.AddDate("date", msg)
	}
	switch {
	case f.Reason == "":
		errs.Add("reason", "Enter the reason for the closure day")
	case utf8.RuneCountInString(f.Reason) > closureReasonMax:
		errs.Add("reason", fmt.Sprintf("Reason must be %d characters or fewer", closureReasonMax))
	}
	return day, errs
}

func (s *Server) handleClosureCreate(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	ctx := r.Context()
	f := closureForm{Date: dateField(r, "date"), Reason: clean(r.PostForm.Get("reason"))}
	show := func(errs form.Errors) error { return s.renderClosureNew(w, r, f, errs) }
	before, err := s.calendar(ctx)
	if err != nil {
		return err
	}
	day, errs := f.valid(before)
	switch step := r.PostForm.Get("step"); {
	case errs.Any():
		return show(errs)
	case step == "change":
		return show(nil)
	case step != "confirm":
		// First the visits and dates it moves (issue 15.6).
		return s.renderClosureCheck(w, r, f, before, day)
	}
	after := closureAdded(before, day, f.Reason)
	u, _ := currentUser(ctx)
	moved, visits, err := s.datesMovedByCalendar(ctx, before, after, u, history.Event{Kind: history.DatesMovedByClosureAdded,
		Params: history.Params{Closure: day, ClosureReason: f.Reason}})
	if err != nil {
		return err
	}
	err = s.store.CloseDay(ctx, day, f.Reason, u, moved, visits)
	if errors.Is(err, store.ErrConflict) {
		// Someone else closed the day a moment ago.
		errs.AddDate("date", fmt.Sprintf("%s is already a closure day", timeline.FormatDate(day)))
		return show(errs)
	}
	if err != nil {
		return err
	}
	s.log.InfoContext(ctx, "closure day added", "request_id", requestID(ctx), "user_id", u.ID, "day", day.String(), "visits_moved", visits)
	s.flash(r, "Closure day added for "+timeline.FormatDate(day)+". "+visitsMovedWords(visits))
	http.Redirect(w, r, "/closure-days", http.StatusSeeOther)
	return nil
}

// visitsMovedWords says how many visits' dates moved.
func visitsMovedWords(n int) string {
	switch n {
	case 0:
		return "No visit's dates moved."
	case 1:
		return "1 visit's dates moved."
	}
	return fmt.Sprintf("%d visits' dates moved.", n)
}

// datesMovedByCalendar computes every active visit's plan under the
// calendars before and after a change to the closure days, and returns one
// history line for each milestone that moved (change, with the milestone
// and its old and new dates), and the number of visits with a date that
// moved.
func (s *Server) datesMovedByCalendar(ctx context.Context, before, after *workday.Calendar, by user.User, change history.Event) ([]store.Event, int, error) {
	vs, err := s.store.ListActiveVisits(ctx)
	if err != nil {
		return nil, 0, err
	}
	var events []store.Event
	visits := 0
	for _, d := range vs {
		was, err := d.Plan(before, london, nil)
		if err != nil {
			return nil, 0, fmt.Errorf("plan of visit %d before: %w", d.ID, err)
		}
		now, err := d.Plan(after, london, nil)
		if err != nil {
			return nil, 0, fmt.Errorf("plan of visit %d after: %w", d.ID, err)
		}
		n := 0
		for _, c := range compareDates(was, now) {
			if !c.Moved {
				continue
			}
			n++
			e := change
			e.Params.Milestone, e.Params.Label, e.Params.OldDates, e.Params.Dates = c.Code, c.Label, c.OldDates, c.NewDates
			events = append(events, store.Event{VisitID: d.ID, UserID: by.ID, Event: e})
		}
		if n > 0 {
			visits++
		}
	}
	return events, visits, nil
}

// dateChange is one milestone's dates in two plans of the same visit.
type dateChange struct {
	Code, Label string
	Old, New    string // "" when the milestone is not in that plan
	// OldDates and NewDates are the same dates, for the history.
	OldDates, NewDates history.Span
	Moved              bool
	// Fixed says why the date does not follow the plan: "Recorded as done"
	// or "Set by hand"; "" for a planned date.
	Fixed string
}

// compareDates lines up the milestones of two plans of one visit, in the
// new plan's order, with any left only in the old plan at the end.
func compareDates(was, now timeline.Plan) []dateChange {
	var out []dateChange
	for _, m := range now.Milestones {
		c := dateChange{Code: m.Code, Label: m.Label, New: planDates(m), NewDates: planSpan(m), Fixed: fixedWords(m)}
		if o, ok := was.Milestone(m.Code); ok {
			c.Old, c.OldDates = planDates(o), planSpan(o)
		}
		c.Moved = c.Old != c.New
		out = append(out, c)
	}
	for _, o := range was.Milestones {
		if _, ok := now.Milestone(o.Code); !ok {
			out = append(out, dateChange{Code: o.Code, Label: o.Label, Old: planDates(o), OldDates: planSpan(o), Moved: true})
		}
	}
	return out
}

func planDates(m timeline.Milestone) string {
	return timeline.FormatDates(m.First(), m.Last())
}

func planSpan(m timeline.Milestone) history.Span {
	return history.Days(m.First(), m.Last())
}

func fixedWords(m timeline.Milestone) string {
	switch m.State {
	case timeline.StateActual:
		return "Recorded as done"
	case timeline.StateOverridden:
		return "Set by hand"
	}
	return ""
}

package server

import (
	"context"
	"fmt"
	"net/http"

	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/workday"
	"github.com/ofsted/focusedvisits/web/pages"
)

// Before a closure day is added or removed, the administrator sees every
// open visit whose dates it moves, and each date before and after (issue
// 15.6): nothing changes until they confirm.

// closureMoves is, for each active visit whose dates move when the closure
// days change from before to after, the dates that move.
func (s *Server) closureMoves(ctx context.Context, before, after *workday.Calendar) ([]pages.ClosureMove, error) {
	vs, err := s.store.ListActiveVisits(ctx)
	if err != nil {
		return nil, err
	}
	var out []pages.ClosureMove
	for _, d := range vs {
		was, err := d.Dates(before, london)
		if err != nil {
			return nil, fmt.Errorf("plan of visit %d before: %w", d.ID, err)
		}
		now, err := d.Dates(after, london)
		if err != nil {
			return nil, fmt.Errorf("plan of visit %d after: %w", d.ID, err)
		}
		m := pages.ClosureMove{Visit: d.Reference, Href: visitHref(d)}
		for _, c := range compareDates(was, now) {
			if c.Moved {
				m.Dates = append(m.Dates, pages.ClosureMoveDate{Label: c.Label, Old: c.Old, New: c.New})
			}
		}
		if len(m.Dates) > 0 {
			out = append(out, m)
		}
	}
	return out, nil
}

// closureAdded is the calendar with the closure day of the form added.
func closureAdded(before *workday.Calendar, day workday.Date, reason string) *workday.Calendar {
	return before.WithClosures([]workday.Closure{{Date: day, Reason: reason}})
}

// renderClosureCheck shows the closure day about to be added and what it
// moves, with the form's values kept to confirm or change.
func (s *Server) renderClosureCheck(w http.ResponseWriter, r *http.Request, f closureForm, before *workday.Calendar, day workday.Date) error {
	moves, err := s.closureMoves(r.Context(), before, closureAdded(before, day, f.Reason))
	if err != nil {
		return err
	}
	v := pages.ClosureCheckView{
		Page: s.page(r, "Check the closure day before you add it"),
		Date: timeline.FormatDate(day), Reason: f.Reason, Moves: moves,
		Day: f.Date.Day, Month: f.Date.Month, Year: f.Date.Year,
	}
	return s.render(w, r, http.StatusOK, pages.ClosureCheck(v))
}

// renderClosureNew shows the form to add a closure day, as typed, with
// its errors (422) or without (200, after "Change").
func (s *Server) renderClosureNew(w http.ResponseWriter, r *http.Request, f closureForm, errs form.Errors) error {
	v := pages.ClosureNewView{Page: s.page(r, "Add a closure day"), Day: f.Date.Day, Month: f.Date.Month, Year: f.Date.Year, Reason: f.Reason, Errors: errs}
	status := http.StatusOK
	if errs.Any() {
		v.Page.HasErrors, status = true, http.StatusUnprocessableEntity
	}
	return s.render(w, r, status, pages.ClosureNew(v))
}

// closureRemoved is the calendar without the closure day c.
func closureRemoved(before *workday.Calendar, c store.ClosureDay) *workday.Calendar {
	var rest []workday.Closure
	for _, o := range before.Closures() {
		if o.Date != c.Date {
			rest = append(rest, o)
		}
	}
	return workday.EnglandAndWales().WithClosures(rest)
}

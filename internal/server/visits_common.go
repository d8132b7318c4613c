package server

import (
	"context"
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/ofsted/focusedvisits/internal/publicid"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// london is where deadlines end (DOMAIN decision 5): workday.London.
var london = workday.London

// today is the current date in London.
func (s *Server) today() workday.Date { return visit.TodayIn(s.now(), london) }

// calendar is the England and Wales calendar with the closure days added.
func (s *Server) calendar(ctx context.Context) (*workday.Calendar, error) {
	c, err := s.loadCalendar(ctx)
	return c.cal, err
}

// visitFor loads the visit named in the URL for the signed-in user. A visit
// they may not see answers exactly as one that does not exist (DOMAIN
// decision 9): the same error, so the same 404 page, after the same work,
// as the store decides visibility in the query that looks for the visit.
func (s *Server) visitFor(r *http.Request) (visit.Details, error) {
	id, ok := publicIDParam(r, "visitID")
	if !ok {
		return visit.Details{}, store.ErrNotFound
	}
	u, ok := currentUser(r.Context())
	if !ok {
		return visit.Details{}, store.ErrNotFound
	}
	return s.store.GetVisitFor(r.Context(), id, u)
}

// publicIDParam reads a route parameter that names a row by its public id;
// false when it is not one (internal/publicid), so nothing is looked up.
func publicIDParam(r *http.Request, name string) (string, bool) {
	id := chi.URLParam(r, name)
	return id, publicid.Valid(id)
}

// visitAllowing is visitFor for an action on the visit: one that
// visit.Check refuses the user answers 403 (404 for something not offered,
// 400 for a change to a cancelled visit's plan).
func (s *Server) visitAllowing(r *http.Request, a visit.Action) (visit.Details, error) {
	d, err := s.visitFor(r)
	if err != nil {
		return d, err
	}
	u, _ := currentUser(r.Context())
	return d, ruleError(visit.Check(a, visit.ActorFor(u, d), d, visit.Facts{}))
}

// manageableVisitFor is visitAllowing for a change to the visit.
func (s *Server) manageableVisitFor(r *http.Request) (visit.Details, error) {
	return s.visitAllowing(r, visit.EditVisit)
}

// ruleError is the answer to a refusal of visit.Check.
func ruleError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, visit.ErrNotOffered):
		return notFound(err)
	case errors.Is(err, visit.ErrCancelled):
		return badRequest(err)
	}
	return forbidden(err)
}

// planOf computes the plan of a visit changed in hand (a draft, a deferral
// about to be granted) with the calendar, checking for fieldwork clashes with
// the other active visits of its inspectors. A visit as the store returned
// it has its plan kept: visitPlan.
func (s *Server) planOf(ctx context.Context, c calendarAt, d visit.Details) (timeline.Plan, error) {
	others, err := s.otherFieldwork(ctx, c, d)
	if err != nil {
		return timeline.Plan{}, err
	}
	in, err := d.Input(c.cal, london, others)
	if err != nil {
		return timeline.Plan{}, err
	}
	in.Today = s.today()
	return timeline.Compute(in)
}

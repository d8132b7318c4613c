package server

import (
	"context"
	"errors"
	"net/http"
	"slices"

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
	cs, err := s.store.Closures(ctx)
	if err != nil {
		return nil, err
	}
	// Building a calendar allocates its day tables (about 100 KB), so the
	// last one is kept while the closure days are the same. Calendars are
	// immutable, so requests share it.
	s.calMu.Lock()
	defer s.calMu.Unlock()
	if s.cal == nil || !slices.Equal(cs, s.calFor) {
		s.cal, s.calFor = workday.EnglandAndWales().WithClosures(cs), cs
	}
	return s.cal, nil
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

// planOf computes a visit's plan with the current calendar, checking for
// fieldwork clashes with the other active visits of its inspectors.
func (s *Server) planOf(ctx context.Context, cal *workday.Calendar, d visit.Details) (timeline.Plan, error) {
	others, err := s.otherFieldwork(ctx, cal, d)
	if err != nil {
		return timeline.Plan{}, err
	}
	in, err := d.Input(cal, london, others)
	if err != nil {
		return timeline.Plan{}, err
	}
	in.Today = s.today()
	return timeline.Compute(in)
}

// clashWindowDays bounds the clash check to visits planned from a date this
// many calendar days either side of the visit's own anchor: fieldwork is
// within about two weeks of either anchor, so this leaves generous room for
// recorded dates and deferrals while skipping years of finished visits.
const clashWindowDays = 90

// otherFieldwork is the fieldwork of the other active visits that share an
// inspector with d.
func (s *Server) otherFieldwork(ctx context.Context, cal *workday.Calendar, d visit.Details) ([]timeline.OtherVisit, error) {
	var ids []int64
	for _, m := range d.Members {
		if m.Role == visit.RoleLead || m.Role == visit.RoleTeam {
			ids = append(ids, m.UserID)
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	vs, err := s.store.ListActiveVisitsWithMembers(ctx, ids, d.ID, d.AnchorDate.AddDays(-clashWindowDays), d.AnchorDate.AddDays(clashWindowDays))
	if err != nil {
		return nil, err
	}
	var others []timeline.OtherVisit
	for _, o := range vs {
		p, err := o.Dates(cal, london)
		if err != nil {
			return nil, err
		}
		if fw, ok := o.Fieldwork(p); ok {
			others = append(others, fw)
		}
	}
	return others, nil
}

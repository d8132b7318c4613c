package server

import (
	"context"
	"net/http"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"
	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/history"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/workday"
	"github.com/ofsted/focusedvisits/web/pages"
)

// closureFor loads the closure day named in the URL.
func (s *Server) closureFor(r *http.Request) (store.ClosureDay, error) {
	day, err := workday.ParseDate(chi.URLParam(r, "date"))
	if err != nil {
		return store.ClosureDay{}, notFound(err)
	}
	return s.store.GetClosureDay(r.Context(), day)
}

// closureRemoval is what removing c would move.
func (s *Server) closureRemoval(ctx context.Context, c store.ClosureDay, u user.User, why string) ([]store.Event, int, error) {
	before, err := s.calendar(ctx)
	if err != nil {
		return nil, 0, err
	}
	after := closureRemoved(before, c)
	return s.datesMovedByCalendar(ctx, before, after, u, history.Event{Kind: history.DatesMovedByClosureRemoved,
		Params: history.Params{Closure: c.Date, ClosureReason: c.Reason, Why: why}})
}

func (s *Server) closureRemoveView(r *http.Request, c store.ClosureDay, visits int) (pages.ClosureRemoveView, error) {
	v := pages.ClosureRemoveView{
		Page: s.page(r, "Remove the closure day on "+timeline.FormatDate(c.Date)+"?"),
		Date: timeline.FormatDate(c.Date), ISO: c.Date.String(), Reason: c.Reason,
		AddedBy: orService(c.CreatedBy) + ", " + timeline.FormatDay(c.CreatedAt), VisitsMoved: visits,
	}
	before, err := s.calendar(r.Context())
	if err != nil {
		return v, err
	}
	// The visits and dates that move, before it is removed (issue 15.6).
	v.Moves, err = s.closureMoves(r.Context(), before, closureRemoved(before, c))
	return v, err
}

func (s *Server) handleClosureRemoveShow(w http.ResponseWriter, r *http.Request) error {
	c, err := s.closureFor(r)
	if err != nil {
		return err
	}
	u, _ := currentUser(r.Context())
	_, visits, err := s.closureRemoval(r.Context(), c, u, "")
	if err != nil {
		return err
	}
	v, err := s.closureRemoveView(r, c, visits)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, pages.ClosureRemove(v))
}

func (s *Server) handleClosureRemove(w http.ResponseWriter, r *http.Request) error {
	c, err := s.closureFor(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	ctx := r.Context()
	u, _ := currentUser(ctx)
	why := clean(r.PostForm.Get("why"))
	var errs form.Errors
	switch {
	case why == "":
		errs.Add("why", "Enter why you are removing the closure day")
	case utf8.RuneCountInString(why) > 500:
		errs.Add("why", "Why you are removing it must be 500 characters or fewer")
	}
	moved, visits, err := s.closureRemoval(ctx, c, u, why)
	if err != nil {
		return err
	}
	if errs.Any() {
		v, err := s.closureRemoveView(r, c, visits)
		if err != nil {
			return err
		}
		v.Why, v.Errors, v.Page.HasErrors = why, errs, true
		return s.render(w, r, http.StatusUnprocessableEntity, pages.ClosureRemove(v))
	}
	if err := s.store.ReopenDay(ctx, c.Date, why, u, moved, visits); err != nil {
		return err
	}
	s.log.InfoContext(ctx, "closure day removed", "request_id", requestID(ctx), "user_id", u.ID, "day", c.Date.String(), "visits_moved", visits)
	s.flash(r, "Closure day removed for "+timeline.FormatDate(c.Date)+". "+visitsMovedWords(visits))
	http.Redirect(w, r, "/closure-days", http.StatusSeeOther)
	return nil
}

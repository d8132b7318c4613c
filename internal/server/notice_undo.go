package server

import (
	"errors"
	"net/http"

	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/web/pages"
)

// undoableNotice loads the visit whose notice call the administrator may
// undo (visit.CheckUndoNotice); anyone else, or too late, is refused.
func (s *Server) undoableNotice(r *http.Request) (visit.Details, error) {
	d, err := s.visitFor(r)
	if err != nil {
		return d, err
	}
	u, _ := currentUser(r.Context())
	if err := visit.CheckUndoNotice(visit.ActorFor(u, d), d, s.now(), london); err != nil {
		return d, forbidden(err)
	}
	return d, nil
}

func (s *Server) noticeUndoView(r *http.Request, d visit.Details) pages.NoticeUndoView {
	a, _ := d.Actual(timeline.CodeNotice)
	return pages.NoticeUndoView{
		Page:   s.page(r, "Undo the notice call"),
		Header: pages.VisitHeader{Href: visitHref(d), Reference: d.Reference}, BackHref: visitHref(d),
		Action: visitHref(d) + "/notice/undo", Recorded: timeline.FormatDate(a.Date), Version: d.Version,
	}
}

// GET /visits/{visitID}/notice/undo
func (s *Server) handleNoticeUndoShow(w http.ResponseWriter, r *http.Request) error {
	d, err := s.undoableNotice(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, pages.NoticeUndo(s.noticeUndoView(r, d)))
}

// POST /visits/{visitID}/notice/undo
func (s *Server) handleNoticeUndo(w http.ResponseWriter, r *http.Request) error {
	d, err := s.undoableNotice(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	reason := clean(r.PostForm.Get("reason"))
	errs := visit.CheckUndoReason(reason)
	if !errs.Any() {
		u, _ := currentUser(r.Context())
		err = s.store.UndoNotice(r.Context(), d.ID, formVersion(r.PostForm.Get("version")), reason, u)
		switch {
		case err == nil:
			s.flash(r, "Notice call record undone. Cafcass no longer sees the visit.")
			http.Redirect(w, r, visitHref(d), http.StatusSeeOther)
			return nil
		case errors.Is(err, store.ErrConflict):
			errs.Add("reason", "Someone else changed this visit while you were on this page. Check the visit, then try again")
		default:
			return err
		}
	}
	v := s.noticeUndoView(r, d)
	v.Reason, v.Errors = reason, errs
	v.Page.HasErrors = true
	status := http.StatusUnprocessableEntity
	if errors.Is(err, store.ErrConflict) {
		status = http.StatusConflict
	}
	return s.render(w, r, status, pages.NoticeUndo(v))
}

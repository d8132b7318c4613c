package server

import (
	"errors"
	"net/http"

	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/web/pages"
)

// The record, after a closure day moved a visit's dates after notice, that
// the chief executive was told in writing (DOMAIN decision 14). Overrides
// and deferrals ask for it on their own forms.

func (s *Server) ceoToldView(r *http.Request, d visit.Details) pages.CEOToldView {
	return pages.CEOToldView{
		Page:   s.page(r, "Record that you told the chief executive"),
		Header: pages.VisitHeader{Href: visitHref(d), Reference: d.Reference}, BackHref: visitHref(d),
		Action: visitHref(d) + "/ceo-told",
	}
}

// GET /visits/{visitID}/ceo-told
func (s *Server) handleCEOToldShow(w http.ResponseWriter, r *http.Request) error {
	d, err := s.visitAllowing(r, visit.EditVisit)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, pages.CEOToldForm(s.ceoToldView(r, d)))
}

// POST /visits/{visitID}/ceo-told
func (s *Server) handleCEOTold(w http.ResponseWriter, r *http.Request) error {
	d, err := s.visitAllowing(r, visit.EditVisit)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	told, in, errs := readCEOTold(r, s.today())
	if !errs.Any() {
		u, _ := currentUser(r.Context())
		err := s.store.RecordCEOTold(r.Context(), d.ID, told, u)
		if errors.Is(err, store.ErrConflict) {
			return badRequest(err)
		}
		if err != nil {
			return err
		}
		s.flash(r, "Recorded that you told the chief executive of the new dates.")
		http.Redirect(w, r, visitHref(d), http.StatusSeeOther)
		return nil
	}
	v := s.ceoToldView(r, d)
	v.CEOTold, v.Errors = in, errs
	v.Page.HasErrors = true
	return s.render(w, r, http.StatusUnprocessableEntity, pages.CEOToldForm(v))
}

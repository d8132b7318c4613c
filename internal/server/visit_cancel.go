package server

import (
	"errors"
	"net/http"

	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/web/pages"
)

// cancelForm is the cancel form as typed.
type cancelForm struct {
	visit.Cancellation
	Version int
}

func readCancelForm(r *http.Request) cancelForm {
	return cancelForm{
		Cancellation: visit.Cancellation{Reason: clean(r.PostForm.Get("reason")), Note: clean(r.PostForm.Get("note"))},
		Version:      formVersion(r.PostForm.Get("version")),
	}
}

// valid checks the cancellation against the visit (visit.Cancellation.Check).
func (f cancelForm) valid(d visit.Details) (visit.Cancellation, form.Errors) {
	return f.Cancellation, f.Cancellation.Check(d)
}

func (s *Server) handleVisitCancelShow(w http.ResponseWriter, r *http.Request) error {
	d, err := s.visitAllowing(r, visit.CancelVisit)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, pages.VisitCancel(s.cancelView(r, d, visit.Cancellation{}, nil)))
}

func (s *Server) cancelView(r *http.Request, d visit.Details, c visit.Cancellation, errs form.Errors) pages.VisitCancelView {
	v := pages.VisitCancelView{
		Page:     s.page(r, "Cancel "+d.Reference),
		Header:   pages.VisitHeader{Href: visitHref(d), Reference: d.Reference},
		Action:   r.URL.Path,
		BackHref: visitHref(d),
		Reason:   c.Reason,
		Note:     c.Note,
		Version:  d.Version,
		Errors:   errs,
	}
	v.Page.HasErrors = errs.Any()
	return v
}

func (s *Server) handleVisitCancel(w http.ResponseWriter, r *http.Request) error {
	d, err := s.visitAllowing(r, visit.CancelVisit)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	f := readCancelForm(r)
	c, errs := f.valid(d)
	if errs.Any() {
		return s.render(w, r, http.StatusUnprocessableEntity, pages.VisitCancel(s.cancelView(r, d, c, errs)))
	}
	u, _ := currentUser(r.Context())
	err = s.store.CancelVisit(r.Context(), d.ID, f.Version, c, u)
	if errors.Is(err, store.ErrConflict) {
		var errs form.Errors
		errs.Add("reason", "Someone else changed this visit while you were on this page. Check the visit, then try again")
		d.Version = 0
		return s.render(w, r, http.StatusConflict, pages.VisitCancel(s.cancelView(r, d, c, errs)))
	}
	if err != nil {
		return err
	}
	s.flash(r, "Visit cancelled")
	http.Redirect(w, r, visitHref(d), http.StatusSeeOther)
	return nil
}

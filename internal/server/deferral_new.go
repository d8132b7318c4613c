package server

import (
	"net/http"
	"strings"

	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/web/pages"
)

// readDeferralForm reads the deferral request Ofsted records, as typed.
func readDeferralForm(r *http.Request) visit.DeferralRequestForm {
	return visit.DeferralRequestForm{
		RequestedBy: strings.Join(strings.Fields(clean(r.PostForm.Get("requested-by"))), " "),
		RequestedOn: dateField(r, "requested-on"),
		Reason:      clean(r.PostForm.Get("reason")),
	}
}

func (s *Server) deferralNewView(r *http.Request, d visit.Details, f visit.DeferralRequestForm, errs form.Errors) pages.DeferralNewView {
	v := pages.DeferralNewView{
		Page:    s.page(r, "Record a deferral request"),
		Caption: deferralCaption(d), BackHref: visitHref(d), Action: visitHref(d) + "/deferrals/new",
		RequestedBy: f.RequestedBy, Reason: f.Reason,
		RequestedOn: pages.DeferralDateInput(f.RequestedOn),
		Errors:      errs,
	}
	v.Page.HasErrors = errs.Any()
	return v
}

func (s *Server) handleDeferralNew(w http.ResponseWriter, r *http.Request) error {
	d, err := s.visitAllowing(r, visit.RecordDeferral)
	if err != nil {
		return err
	}
	f := visit.DeferralRequestForm{RequestedOn: fieldOf(s.today())}
	return s.render(w, r, http.StatusOK, pages.DeferralNew(s.deferralNewView(r, d, f, nil)))
}

func (s *Server) handleDeferralCreate(w http.ResponseWriter, r *http.Request) error {
	d, err := s.visitAllowing(r, visit.RecordDeferral)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	f := readDeferralForm(r)
	req, errs := f.Valid(s.today())
	if errs.Any() {
		return s.render(w, r, http.StatusUnprocessableEntity, pages.DeferralNew(s.deferralNewView(r, d, f, errs)))
	}
	ctx := r.Context()
	u, _ := currentUser(ctx)
	if _, err := s.store.CreateDeferral(ctx, store.NewDeferral{VisitID: d.ID, RequestedBy: req.RequestedBy, RequestedOn: req.RequestedOn, Reason: req.Reason}, u); err != nil {
		return err
	}
	s.flash(r, "Deferral request recorded. Decide on it when Ofsted has made its decision.")
	http.Redirect(w, r, visitHref(d)+"#deferrals", http.StatusSeeOther)
	return nil
}

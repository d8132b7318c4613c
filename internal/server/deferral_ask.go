package server

import (
	"net/http"

	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/web/pages"
)

// Deferral requests from Cafcass.

func (s *Server) deferralAskView(r *http.Request, d visit.Details, reason string, errs form.Errors) (pages.RequestDeferralView, error) {
	v := pages.RequestDeferralView{
		Page:    s.page(r, "Ask Ofsted to defer the visit"),
		Caption: d.Reference, BackHref: requestHref(d), Action: visitHref(d) + "/deferrals/request",
		Reason: reason, Errors: errs,
	}
	v.Page.HasErrors = errs.Any()
	dfs, err := s.store.ListDeferrals(r.Context(), d.ID)
	if err != nil {
		return v, err
	}
	for _, df := range dfs {
		// Cafcass sees when each request was made and where it stands,
		// never Ofsted's reasons.
		it := deferralItem(df, "")
		v.Mine = append(v.Mine, pages.DeferralItem{RequestedOn: it.RequestedOn, Status: it.Status, StatusColour: it.StatusColour})
	}
	return v, nil
}

func (s *Server) handleDeferralAskShow(w http.ResponseWriter, r *http.Request) error {
	d, err := s.visitAllowing(r, visit.AskDeferral)
	if err != nil {
		return err
	}
	v, err := s.deferralAskView(r, d, "", nil)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, pages.RequestDeferral(v))
}

func (s *Server) handleDeferralAsk(w http.ResponseWriter, r *http.Request) error {
	d, err := s.visitAllowing(r, visit.AskDeferral)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	reason := clean(r.PostForm.Get("reason"))
	if errs := visit.ValidDeferralAsk(reason); errs.Any() {
		v, err := s.deferralAskView(r, d, reason, errs)
		if err != nil {
			return err
		}
		return s.render(w, r, http.StatusUnprocessableEntity, pages.RequestDeferral(v))
	}
	u, _ := currentUser(r.Context())
	by := u.Name + ", " + u.Role.Label()
	if _, err := s.store.CreateDeferral(r.Context(), store.NewDeferral{VisitID: d.ID, RequestedBy: by, RequestedOn: s.today(), Reason: reason}, u); err != nil {
		return err
	}
	s.flash(r, "Deferral request sent. The lead inspector will tell you Ofsted’s decision.")
	http.Redirect(w, r, requestHref(d), http.StatusSeeOther)
	return nil
}

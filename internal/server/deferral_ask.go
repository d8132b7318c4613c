package server

import (
	"errors"
	"fmt"
	"net/http"
	"unicode/utf8"

	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/web/pages"
)

// Deferral requests from Cafcass.

// cafcassVisitFor is visitFor for Cafcass's own actions on an active visit:
// Ofsted users get 403 (they record requests on /deferrals/new).
func (s *Server) cafcassVisitFor(r *http.Request) (visit.Details, user.User, error) {
	d, err := s.visitFor(r)
	if err != nil {
		return d, user.User{}, err
	}
	u, _ := currentUser(r.Context())
	if !visit.ActorFor(u, d).Cafcass {
		return d, u, forbidden(errors.New("Ofsted records deferral requests on /deferrals/new"))
	}
	if d.Status != visit.Active {
		return d, u, badRequest(errors.New("the visit is cancelled"))
	}
	return d, u, nil
}

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
	d, _, err := s.cafcassVisitFor(r)
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
	d, u, err := s.cafcassVisitFor(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	reason := clean(r.PostForm.Get("reason"))
	var errs form.Errors
	switch {
	case reason == "":
		errs.Add("reason", "Enter why you want the visit deferred")
	case utf8.RuneCountInString(reason) > deferralReasonMax:
		errs.Add("reason", fmt.Sprintf("Why must be %d characters or fewer", deferralReasonMax))
	}
	if errs.Any() {
		v, err := s.deferralAskView(r, d, reason, errs)
		if err != nil {
			return err
		}
		return s.render(w, r, http.StatusUnprocessableEntity, pages.RequestDeferral(v))
	}
	by := u.Name + ", " + u.Role.Label()
	if _, err := s.store.CreateDeferral(r.Context(), store.NewDeferral{VisitID: d.ID, RequestedBy: by, RequestedOn: s.today(), Reason: reason}, u); err != nil {
		return err
	}
	s.flash(r, "Deferral request sent. The lead inspector will tell you Ofsted’s decision.")
	http.Redirect(w, r, requestHref(d), http.StatusSeeOther)
	return nil
}

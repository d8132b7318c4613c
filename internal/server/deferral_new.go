package server

import (
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
	"github.com/ofsted/focusedvisits/web/pages"
)

// deferralForm is a deferral request as typed.
type deferralForm struct {
	RequestedBy string
	RequestedOn DateField
	Reason      string
}

func (f deferralForm) valid(today workday.Date) (workday.Date, form.Errors) {
	var errs form.Errors
	switch {
	case f.RequestedBy == "":
		errs.Add("requested-by", "Enter who asked for the deferral")
	case utf8.RuneCountInString(f.RequestedBy) > deferralNameMax:
		errs.Add("requested-by", fmt.Sprintf("Who asked must be %d characters or fewer", deferralNameMax))
	}
	on, msg := f.RequestedOn.Parse("The date they asked")
	if msg == "" && on.After(today) {
		msg = "The date they asked must be today or in the past"
	}
	if msg != "" {
		errs.AddDate("requested-on", msg)
	}
	switch {
	case f.Reason == "":
		errs.Add("reason", "Enter why they want the visit deferred")
	case utf8.RuneCountInString(f.Reason) > deferralReasonMax:
		errs.Add("reason", fmt.Sprintf("Why must be %d characters or fewer", deferralReasonMax))
	}
	return on, errs
}

func (s *Server) deferralNewView(r *http.Request, d visit.Details, f deferralForm, errs form.Errors) pages.DeferralNewView {
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
	f := deferralForm{RequestedOn: fieldOf(s.today())}
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
	f := deferralForm{
		RequestedBy: strings.Join(strings.Fields(clean(r.PostForm.Get("requested-by"))), " "),
		RequestedOn: dateField(r, "requested-on"),
		Reason:      clean(r.PostForm.Get("reason")),
	}
	on, errs := f.valid(s.today())
	if errs.Any() {
		return s.render(w, r, http.StatusUnprocessableEntity, pages.DeferralNew(s.deferralNewView(r, d, f, errs)))
	}
	ctx := r.Context()
	u, _ := currentUser(ctx)
	if _, err := s.store.CreateDeferral(ctx, store.NewDeferral{VisitID: d.ID, RequestedBy: f.RequestedBy, RequestedOn: on, Reason: f.Reason}, u); err != nil {
		return err
	}
	s.flash(r, "Deferral request recorded. Decide on it when Ofsted has made its decision.")
	http.Redirect(w, r, visitHref(d)+"#deferrals", http.StatusSeeOther)
	return nil
}

package server

import (
	"errors"
	"net/http"

	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/web/pages"
)

func (s *Server) handleVisitNew(w http.ResponseWriter, r *http.Request) error {
	p, err := s.staff(r)
	if err != nil {
		return err
	}
	u, _ := currentUser(r.Context())
	f := visitForm{Plan: "fieldwork"}
	f.Lead = visit.LeadChosen(visit.ActorFor(u, visit.Details{}), nil, 0)
	return s.render(w, r, http.StatusOK, pages.VisitForm(s.visitFormView(r, "Schedule a focused visit", f, p, nil, false)))
}

func (s *Server) handleVisitCreate(w http.ResponseWriter, r *http.Request) error {
	return s.saveVisit(w, r, nil)
}

func (s *Server) handleVisitEdit(w http.ResponseWriter, r *http.Request) error {
	d, err := s.visitAllowing(r, visit.EditVisit)
	if err != nil {
		return err
	}
	p, err := s.staff(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, pages.VisitForm(s.visitFormView(r, "Edit "+d.Reference, formFromVisit(d), p, nil, true)))
}

func (s *Server) handleVisitUpdate(w http.ResponseWriter, r *http.Request) error {
	d, err := s.visitAllowing(r, visit.EditVisit)
	if err != nil {
		return err
	}
	return s.saveVisit(w, r, &d)
}

// saveVisit handles the schedule and edit forms: check the form, then the
// scheduling rules (a page to go back or go ahead with a reason), then save.
func (s *Server) saveVisit(w http.ResponseWriter, r *http.Request, existing *visit.Details) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	ctx := r.Context()
	u, _ := currentUser(ctx)
	p, err := s.staff(r)
	if err != nil {
		return err
	}
	f := readVisitForm(r)
	editing := existing != nil
	title := "Schedule a focused visit"
	if editing {
		title = "Edit " + existing.Reference
	}
	f.Lead = visit.LeadChosen(visit.ActorFor(u, visit.Details{}), existing, f.Lead)
	step := r.PostForm.Get("step")
	date, errs := f.valid(p)
	if errs.Any() || step == "change" {
		status := http.StatusUnprocessableEntity
		if !errs.Any() {
			status = http.StatusOK
		}
		return s.render(w, r, status, pages.VisitForm(s.visitFormView(r, title, f, p, errs, editing)))
	}

	// Plan the visit as it would be saved, to check the scheduling rules.
	cal, err := s.loadCalendar(ctx)
	if err != nil {
		return err
	}
	draft := visit.Details{Visit: visit.Visit{Reference: "this visit", TemplateID: timeline.FocusedVisit, AnchorCode: f.anchorCode(), AnchorDate: date, PriorityAction: f.Priority}, Members: f.Members(p)}
	if editing {
		draft.ID = existing.ID
		draft.Reference = existing.Reference
		draft.TemplateID, draft.TemplateVersion = existing.TemplateID, existing.TemplateVersion
		draft.Actuals, draft.Overrides = existing.Actuals, existing.Overrides
	} else {
		t, err := timeline.Lookup(timeline.FocusedVisit, "")
		if err != nil {
			return err
		}
		draft.TemplateVersion = t.Version
	}
	plan, err := s.planOf(ctx, cal, draft)
	if err != nil {
		var errs form.Errors
		errs.AddDate("date", "The dates cannot be worked out from that date: choose a date between 1991 and 2099")
		s.log.InfoContext(ctx, "plan failed", "request_id", requestID(ctx), "error", err)
		return s.render(w, r, http.StatusUnprocessableEntity, pages.VisitForm(s.visitFormView(r, title, f, p, errs, editing)))
	}
	var acceptances []visit.Acceptance
	if len(plan.Warnings) > 0 {
		reason := clean(r.PostForm.Get("reason"))
		if step != "confirm" || reason == "" || len(reason) > 2000 {
			var errs form.Errors
			if step == "confirm" && reason == "" {
				errs.Add("reason", "Enter why you are going ahead with these dates")
			} else if len(reason) > 2000 {
				errs.Add("reason", "Reason must be 2000 characters or fewer")
			}
			status := http.StatusOK
			if errs.Any() {
				status = http.StatusUnprocessableEntity
			}
			return s.render(w, r, status, pages.VisitWarnings(s.warningsView(r, f, plan, reason, errs)))
		}
		for _, wn := range plan.Warnings {
			acceptances = append(acceptances, visit.Acceptance{Code: string(wn.Code), Message: wn.Message, Reason: reason})
		}
	}

	if !editing {
		id, err := s.store.CreateVisit(ctx, store.NewVisit{
			TemplateID: draft.TemplateID, TemplateVersion: draft.TemplateVersion,
			AnchorCode: draft.AnchorCode, AnchorDate: draft.AnchorDate,
			Members: draft.Members, Acceptances: acceptances,
		}, u)
		if err != nil {
			return err
		}
		d, err := s.store.GetVisit(ctx, id)
		if err != nil {
			return err
		}
		s.flash(r, "Visit scheduled")
		http.Redirect(w, r, visitHref(d), http.StatusSeeOther)
		return nil
	}
	err = s.store.UpdateVisit(ctx, existing.ID, f.Version, store.UpdateVisit{
		AnchorCode: draft.AnchorCode, AnchorDate: draft.AnchorDate, PriorityAction: f.Priority,
		Members: draft.Members, Acceptances: acceptances,
	}, u)
	if errors.Is(err, store.ErrConflict) {
		var errs form.Errors
		errs.Add("plan", "Someone else changed this visit while you were editing it. Check the visit below, then make your change again")
		fresh, gerr := s.store.GetVisit(ctx, existing.ID)
		if gerr != nil {
			return gerr
		}
		return s.render(w, r, http.StatusConflict, pages.VisitForm(s.visitFormView(r, title, formFromVisit(fresh), p, errs, true)))
	}
	if err != nil {
		return err
	}
	s.flash(r, "Visit updated")
	http.Redirect(w, r, visitHref(*existing), http.StatusSeeOther)
	return nil
}

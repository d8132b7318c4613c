package server

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/history"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
	"github.com/ofsted/focusedvisits/web/components"
	"github.com/ofsted/focusedvisits/web/pages"
)

// decideForm is the decision on a deferral, as typed and as carried through
// the check page (visit.DeferralDecisionForm checks it).
type decideForm struct {
	visit.DeferralDecisionForm
	Version      int
	AcceptReason string
	// Keep are the codes of dates set by hand that stay where they are
	// (DOMAIN decision 11: each moves unless the lead keeps it).
	Keep []string
	Step string // "", "change", "check" or "confirm"
}

func readDecideForm(r *http.Request) decideForm {
	return decideForm{
		DeferralDecisionForm: visit.DeferralDecisionForm{
			Decision: r.PostForm.Get("decision"),
			Anchor:   r.PostForm.Get("anchor"),
			NewDate:  dateField(r, "new-date"),
			Reason:   clean(r.PostForm.Get("decision-reason")),
		},
		Version:      formVersion(r.PostForm.Get("version")),
		AcceptReason: clean(r.PostForm.Get("accept-reason")),
		Keep:         r.PostForm["keep"],
		Step:         r.PostForm.Get("step"),
	}
}

func (s *Server) decideView(r *http.Request, d visit.Details, df store.Deferral, f decideForm, errs form.Errors) pages.DeferralDecideView {
	v := pages.DeferralDecideView{
		Page:    s.page(r, "Decide on the deferral request"),
		Caption: deferralCaption(d), BackHref: visitHref(d), Action: decideHref(d, df),
		Request:     deferralItem(df, ""),
		CurrentPlan: upperFirst(anchorPhrase(d.AnchorCode, d.AnchorDate)),
		Version:     f.Version, Decision: f.Decision, Anchor: f.Anchor,
		NewDate:        pages.DeferralDateInput(f.NewDate),
		DecisionReason: f.Reason,
		Errors:         errs,
	}
	v.Page.HasErrors = errs.Any()
	return v
}

// decidableDeferral loads the visit and the request for a decision; a
// request already decided sends the user back to the visit, saying so.
func (s *Server) decidableDeferral(w http.ResponseWriter, r *http.Request) (visit.Details, store.Deferral, bool, error) {
	d, err := s.visitAllowing(r, visit.DecideDeferral)
	if err != nil {
		return d, store.Deferral{}, false, err
	}
	df, err := s.deferralFor(r, d)
	if err != nil {
		return d, df, false, err
	}
	if df.Status != store.DeferralRequested {
		s.flash(r, "This deferral request has already been "+strings.ToLower(df.Status.Label())+".")
		http.Redirect(w, r, visitHref(d)+"#deferrals", http.StatusSeeOther)
		return d, df, false, nil
	}
	return d, df, true, nil
}

func (s *Server) handleDeferralDecideShow(w http.ResponseWriter, r *http.Request) error {
	d, df, ok, err := s.decidableDeferral(w, r)
	if err != nil || !ok {
		return err
	}
	f := decideForm{Version: d.Version, DeferralDecisionForm: visit.DeferralDecisionForm{Anchor: d.AnchorCode}}
	return s.render(w, r, http.StatusOK, pages.DeferralDecide(s.decideView(r, d, df, f, nil)))
}

func (s *Server) handleDeferralDecide(w http.ResponseWriter, r *http.Request) error {
	d, df, ok, err := s.decidableDeferral(w, r)
	if err != nil || !ok {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	ctx := r.Context()
	u, _ := currentUser(ctx)
	f := readDecideForm(r)
	if f.Step == "change" {
		return s.render(w, r, http.StatusOK, pages.DeferralDecide(s.decideView(r, d, df, f, nil)))
	}
	dd, errs := f.Valid()
	if errs.Any() {
		return s.render(w, r, http.StatusUnprocessableEntity, pages.DeferralDecide(s.decideView(r, d, df, f, errs)))
	}
	if !dd.Grant {
		return s.refuseDeferral(w, r, d, df, dd, u)
	}
	day := dd.AnchorDate

	// Granting: the plan now and the plan from the new date, side by side.
	cal, err := s.calendarFor(ctx, d)
	if err != nil {
		return err
	}
	was, err := s.datesOf(cal, d)
	if err != nil {
		return err
	}
	moved, cleared := deferred(d, f, day)
	now, err := s.planOf(ctx, cal, moved)
	if err != nil {
		// The new date is too near the calendar's ends to plan from.
		errs.AddDate("new-date", "The new date is too near the end of the calendar to plan a visit from")
		return s.render(w, r, http.StatusUnprocessableEntity, pages.DeferralDecide(s.decideView(r, d, df, f, errs)))
	}
	check := s.deferralCheckView(r, d, df, f, day, was, now)
	if f.Step != "confirm" {
		return s.render(w, r, http.StatusOK, pages.DeferralCheck(check))
	}
	if f.Version != d.Version {
		// Someone changed the visit since the dates were chosen: show the
		// dates as they now are, to confirm again.
		check.Errors.Add("dates", "The visit changed since you chose the new dates. Check the dates again, then grant the deferral")
		check.Page.HasErrors = true
		for i := range check.Hidden {
			if check.Hidden[i].Name == "version" {
				check.Hidden[i].Value = strconv.Itoa(d.Version)
			}
		}
		return s.render(w, r, http.StatusConflict, pages.DeferralCheck(check))
	}
	grant := visit.DeferralGrantForm{Told: readCEOToldForm(r, s.mailOn()), AcceptReason: f.AcceptReason}
	told, errs := grant.Valid(d, len(now.Warnings), s.today())
	if errs.Any() {
		check.CEOTold, check.Errors = ceoToldInput(grant.Told), errs
		check.Page.HasErrors = true
		return s.render(w, r, http.StatusUnprocessableEntity, pages.DeferralCheck(check))
	}
	if err := s.grantDeferral(r, d, df, f, day, was, now, cleared, told, u); err != nil {
		if errors.Is(err, store.ErrConflict) {
			s.flash(r, "The visit or the request changed while you were deciding. Nothing was saved; check the request and decide again.")
			http.Redirect(w, r, visitHref(d)+"#deferrals", http.StatusSeeOther)
			return nil
		}
		return err
	}
	s.flash(r, fmt.Sprintf("Deferral granted. The visit is now planned from %s.", anchorPhrase(f.Anchor, day)))
	http.Redirect(w, r, visitHref(d), http.StatusSeeOther)
	return nil
}

// refuseDeferral saves a refusal and goes back to the visit.
func (s *Server) refuseDeferral(w http.ResponseWriter, r *http.Request, d visit.Details, df store.Deferral, dd visit.DeferralDecision, u user.User) error {
	err := s.store.DecideDeferral(r.Context(), store.DeferralDecision{VisitID: d.ID, DeferralID: df.ID, Reason: dd.Reason}, u)
	if errors.Is(err, store.ErrConflict) {
		s.flash(r, "This deferral request had already been decided.")
	} else if err != nil {
		return err
	} else {
		s.flash(r, "Deferral refused. The visit goes ahead as planned.")
	}
	http.Redirect(w, r, visitHref(d)+"#deferrals", http.StatusSeeOther)
	return nil
}

// grantDeferral saves a granted deferral: the visit's new anchor, the
// accepted warnings, a history line per date that moved, and the decision,
// in one transaction.
func (s *Server) grantDeferral(r *http.Request, d visit.Details, df store.Deferral, f decideForm, day workday.Date, was, now timeline.Plan, cleared []visit.Override, told visit.CEOTold, u user.User) error {
	var acceptances []visit.Acceptance
	for _, w := range now.Warnings {
		acceptances = append(acceptances, visit.Acceptance{Code: string(w.Code), Message: w.Message, Reason: f.AcceptReason})
	}
	var events []history.Event
	var granted history.Params // with the fieldwork's dates, if they moved
	for _, c := range compareDates(was, now) {
		if !c.Moved {
			continue
		}
		events = append(events, history.Event{Kind: history.DeferralDateMoved,
			Params: history.Params{Milestone: c.Code, Label: c.Label, OldDates: c.OldDates, Dates: c.NewDates}})
		if c.Code == timeline.CodeFieldwork {
			granted.OldDates, granted.Dates = c.OldDates, c.NewDates
		}
	}
	toldRecord, note := told.Split()
	return s.store.DecideDeferral(r.Context(), store.DeferralDecision{
		VisitID: d.ID, DeferralID: df.ID, Grant: true, Reason: f.Reason, Version: f.Version,
		Update: store.UpdateVisit{
			AnchorCode: f.Anchor, AnchorDate: day, PriorityAction: d.PriorityAction,
			Members: nil, Acceptances: acceptances, Kind: history.DeferralGranted, Params: granted,
			PlanFromAnchor: visit.DeferralRebases(d),
		},
		Moved:          events,
		ClearOverrides: overrideLabels(cleared, was),
		Told:           toldRecord,
		CEONote:        note,
	}, u)
}

// deferred is the visit as granting the deferral makes it: planned from the
// new date, re-anchored after notice (DOMAIN decision 11), and without the
// dates set by hand on milestones not yet done that the lead did not keep,
// which it returns.
func deferred(d visit.Details, f decideForm, day workday.Date) (visit.Details, []visit.Override) {
	moved := d
	moved.AnchorCode, moved.AnchorDate = f.Anchor, day
	moved.PlanFromAnchor = d.PlanFromAnchor || visit.DeferralRebases(d)
	moved.Overrides = nil
	var cleared []visit.Override
	for _, o := range d.Overrides {
		if _, done := d.Actual(o.Code); done || slices.Contains(f.Keep, o.Code) {
			moved.Overrides = append(moved.Overrides, o)
		} else {
			cleared = append(cleared, o)
		}
	}
	return moved, cleared
}

// overrideLabels names each cleared override's milestone, for the history.
func overrideLabels(os []visit.Override, p timeline.Plan) map[string]string {
	out := map[string]string{}
	for _, o := range os {
		label := o.Code
		if m, ok := p.Milestone(o.Code); ok {
			label = m.Label
		}
		out[o.Code] = label
	}
	return out
}

func (s *Server) deferralCheckView(r *http.Request, d visit.Details, df store.Deferral, f decideForm, day workday.Date, was, now timeline.Plan) pages.DeferralCheckView {
	v := pages.DeferralCheckView{
		Page:    s.page(r, "Check the new dates before granting the deferral"),
		Caption: deferralCaption(d), BackHref: decideHref(d, df),
		Action:         decideHref(d, df),
		Request:        deferralItem(df, ""),
		PlanFrom:       upperFirst(anchorPhrase(f.Anchor, day)),
		DecisionReason: f.Reason,
		AcceptReason:   f.AcceptReason,
		Hidden: []pages.DeferralField{
			{Name: "version", Value: strconv.Itoa(f.Version)},
			{Name: "decision", Value: f.Decision},
			{Name: "anchor", Value: f.Anchor},
			{Name: "new-date-day", Value: f.NewDate.Day},
			{Name: "new-date-month", Value: f.NewDate.Month},
			{Name: "new-date-year", Value: f.NewDate.Year},
			{Name: "decision-reason", Value: f.Reason},
		},
	}
	if a, ok := d.Actual(timeline.CodeNotice); ok {
		v.NoticeRecorded = timeline.FormatDate(a.Date)
	}
	v.AskCEOTold = d.NoticeGiven()
	v.CEOTold.Email = s.mailOn()
	for _, o := range d.Overrides {
		if _, done := d.Actual(o.Code); done {
			continue
		}
		m, ok := was.Milestone(o.Code)
		if !ok {
			continue
		}
		v.SetByHand = append(v.SetByHand, components.Option{
			Value: o.Code, Text: "Keep " + lowerFirst(m.Label) + " on " + planDates(m),
			Hint: "Set by hand: " + o.Reason, Checked: slices.Contains(f.Keep, o.Code),
		})
	}
	for _, c := range compareDates(was, now) {
		v.Rows = append(v.Rows, pages.DeferralDateRow{Label: c.Label, Old: c.Old, New: c.New, Moved: c.Moved, Note: c.Fixed})
		if c.Moved {
			v.Moved++
		}
	}
	for _, w := range now.Warnings {
		v.Warnings = append(v.Warnings, w.Message)
	}
	return v
}

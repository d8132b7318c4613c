package server

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
	"github.com/ofsted/focusedvisits/web/components"
	"github.com/ofsted/focusedvisits/web/pages"
)

// decideForm is the decision on a deferral, as typed and as carried through
// the check page.
type decideForm struct {
	Version        int
	Decision       string
	Anchor         string
	NewDate        DateField
	DecisionReason string
	AcceptReason   string
	// Keep are the codes of dates set by hand that stay where they are
	// (DOMAIN decision 11: each moves unless the lead keeps it).
	Keep []string
	Step string // "", "change", "check" or "confirm"
}

func readDecideForm(r *http.Request) decideForm {
	v := formVersion(r.PostForm.Get("version"))
	return decideForm{
		Version:        v,
		Decision:       r.PostForm.Get("decision"),
		Anchor:         r.PostForm.Get("anchor"),
		NewDate:        dateField(r, "new-date"),
		DecisionReason: clean(r.PostForm.Get("decision-reason")),
		AcceptReason:   clean(r.PostForm.Get("accept-reason")),
		Keep:           r.PostForm["keep"],
		Step:           r.PostForm.Get("step"),
	}
}

// valid checks the decision, and for a grant the new anchor date.
func (f decideForm) valid() (workday.Date, form.Errors) {
	var errs form.Errors
	var day workday.Date
	switch f.Decision {
	case "grant":
		if f.Anchor != timeline.CodeNotice && f.Anchor != timeline.CodeFieldwork {
			errs.Add("anchor", "Select how you want to plan the new dates")
		}
		var msg string
		if day, msg = f.NewDate.Parse("The new date"); msg != "" {
			errs.AddDate("new-date", msg)
		}
	case "refuse":
		if f.DecisionReason == "" {
			errs.Add("decision-reason", "Enter why you are refusing the deferral")
		}
	default:
		errs.Add("decision", "Select whether you grant the deferral")
	}
	if utf8.RuneCountInString(f.DecisionReason) > deferralReasonMax {
		errs.Add("decision-reason", fmt.Sprintf("Reason for your decision must be %d characters or fewer", deferralReasonMax))
	}
	return day, errs
}

func (s *Server) decideView(r *http.Request, d visit.Details, df store.Deferral, f decideForm, errs form.Errors) pages.DeferralDecideView {
	v := pages.DeferralDecideView{
		Page:    s.page(r, "Decide on the deferral request"),
		Caption: deferralCaption(d), BackHref: visitHref(d), Action: decideHref(d, df),
		Request:     deferralItem(df, ""),
		CurrentPlan: upperFirst(anchorPhrase(d.AnchorCode, d.AnchorDate)),
		Version:     f.Version, Decision: f.Decision, Anchor: f.Anchor,
		NewDate:        pages.DeferralDateInput(f.NewDate),
		DecisionReason: f.DecisionReason,
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
	f := decideForm{Version: d.Version, Anchor: d.AnchorCode}
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
	day, errs := f.valid()
	if errs.Any() {
		return s.render(w, r, http.StatusUnprocessableEntity, pages.DeferralDecide(s.decideView(r, d, df, f, errs)))
	}

	if f.Decision == "refuse" {
		return s.refuseDeferral(w, r, d, df, f, u)
	}

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
	told := s.readGrant(r, &check, f, now)
	if check.Errors.Any() {
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

// readGrant reads what granting asks for beyond the dates: the record that
// the chief executive was told, after notice (DOMAIN decision 14), and why
// dates that break scheduling rules go ahead; errors go on the check page.
func (s *Server) readGrant(r *http.Request, check *pages.DeferralCheckView, f decideForm, now timeline.Plan) visit.CEOTold {
	var told visit.CEOTold
	if check.AskCEOTold {
		var errs form.Errors
		told, check.CEOTold, errs = readCEOTold(r, s.today())
		check.Errors = append(check.Errors, errs...)
	}
	if len(now.Warnings) > 0 {
		switch {
		case f.AcceptReason == "":
			check.Errors.Add("accept-reason", "Enter why you are going ahead with dates that break scheduling rules, or change the dates")
		case utf8.RuneCountInString(f.AcceptReason) > deferralReasonMax:
			check.Errors.Add("accept-reason", fmt.Sprintf("Your reason must be %d characters or fewer", deferralReasonMax))
		}
	}
	return told
}

// refuseDeferral saves a refusal and goes back to the visit.
func (s *Server) refuseDeferral(w http.ResponseWriter, r *http.Request, d visit.Details, df store.Deferral, f decideForm, u user.User) error {
	err := s.store.DecideDeferral(r.Context(), store.DeferralDecision{VisitID: d.ID, DeferralID: df.ID, Reason: f.DecisionReason}, u)
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
	var events []store.Event
	detail := fmt.Sprintf("Planned from %s, now from %s.", anchorPhrase(d.AnchorCode, d.AnchorDate), anchorPhrase(f.Anchor, day))
	for _, c := range compareDates(was, now) {
		if !c.Moved {
			continue
		}
		events = append(events, store.Event{Field: c.Label, Old: c.Old, New: c.New})
		if c.Code == timeline.CodeFieldwork {
			detail = fmt.Sprintf("Fieldwork moved from %s to %s.", c.Old, c.New)
		}
	}
	return s.store.DecideDeferral(r.Context(), store.DeferralDecision{
		VisitID: d.ID, DeferralID: df.ID, Grant: true, Reason: f.DecisionReason, Version: f.Version,
		Update: store.UpdateVisit{
			AnchorCode: f.Anchor, AnchorDate: day, PriorityAction: d.PriorityAction,
			Members: nil, Acceptances: acceptances, Action: "Deferral granted", Detail: detail,
			PlanFromAnchor: visit.DeferralRebases(d),
		},
		Moved:          events,
		ClearOverrides: overrideLabels(cleared, was),
		Told:           told,
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
		DecisionReason: f.DecisionReason,
		AcceptReason:   f.AcceptReason,
		Hidden: []pages.DeferralField{
			{Name: "version", Value: strconv.Itoa(f.Version)},
			{Name: "decision", Value: f.Decision},
			{Name: "anchor", Value: f.Anchor},
			{Name: "new-date-day", Value: f.NewDate.Day},
			{Name: "new-date-month", Value: f.NewDate.Month},
			{Name: "new-date-year", Value: f.NewDate.Year},
			{Name: "decision-reason", Value: f.DecisionReason},
		},
	}
	if a, ok := d.Actual(timeline.CodeNotice); ok {
		v.NoticeRecorded = timeline.FormatDate(a.Date)
	}
	v.AskCEOTold = visit.NeedsCEOTold(d)
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

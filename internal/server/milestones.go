package server

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"strconv"

	"github.com/go-chi/chi/v5"
	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
	"github.com/ofsted/focusedvisits/web/pages"
)

var clock = regexp.MustCompile(`^([01]?[0-9]|2[0-3])[:.]([0-5][0-9])$`)

// milestoneFor loads the visit and the milestone named in the URL for the
// action (visit.RecordMilestone or visit.OverrideMilestone), which
// visit.Check must allow on that milestone.
func (s *Server) milestoneFor(r *http.Request, a visit.Action) (visit.Details, timeline.Milestone, error) {
	p, err := s.visitPage(r, "")
	if err != nil {
		return p.d, timeline.Milestone{}, err
	}
	d := p.d
	if err := ruleError(visit.Check(a, p.a, d, visit.Facts{})); err != nil {
		return d, timeline.Milestone{}, err
	}
	m, ok := p.plan.Milestone(chi.URLParam(r, "code"))
	if !ok {
		return d, m, notFound(nil)
	}
	return d, m, ruleError(visit.Check(a, p.a, d, visit.Facts{Milestone: &m}))
}

func (s *Server) milestoneView(r *http.Request, d visit.Details, m timeline.Milestone, override bool) pages.MilestoneFormView {
	title := "Record what happened: " + m.Label
	if override {
		title = "Change the date: " + m.Label
	}
	v := pages.MilestoneFormView{
		Page:       s.page(r, title),
		Header:     pages.VisitHeader{Href: visitHref(d), Reference: d.Reference},
		Action:     r.URL.Path,
		BackHref:   visitHref(d),
		Label:      m.Label,
		Planned:    milestoneDates(m),
		Override:   override,
		Window:     m.Kind == timeline.KindWindow,
		AskTime:    !override && m.Code == timeline.CodeNotice,
		AskConfirm: !override && m.Code == timeline.CodeNotice,
		AskCEOTold: override && d.NoticeGiven(),
		CEOTold:    pages.CEOToldInput{Email: s.mailOn()},
		Version:    d.Version,
	}
	if override {
		if o, ok := d.Override(m.Code); ok {
			v.CanRemove, v.RemoveLabel = true, "Go back to the worked-out date"
			v.Date, v.To, v.Reason = pages.DateValue(fieldOf(o.Date)), pages.DateValue(fieldOf(o.To)), o.Reason
		} else {
			v.Date = pages.DateValue(fieldOf(m.First()))
		}
	} else {
		if a, ok := d.Actual(m.Code); ok {
			v.CanRemove, v.RemoveLabel = m.Code != timeline.CodeNotice, "Remove the record"
			v.Date, v.To, v.Time = pages.DateValue(fieldOf(a.Date)), pages.DateValue(fieldOf(a.To)), a.Time
		} else if !m.First().After(s.today()) {
			v.Date = pages.DateValue(fieldOf(m.First()))
		}
	}
	return v
}

func (s *Server) handleMilestoneRecordShow(w http.ResponseWriter, r *http.Request) error {
	d, m, err := s.milestoneFor(r, visit.RecordMilestone)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, pages.MilestoneForm(s.milestoneView(r, d, m, false)))
}

func (s *Server) handleMilestoneOverrideShow(w http.ResponseWriter, r *http.Request) error {
	d, m, err := s.milestoneFor(r, visit.OverrideMilestone)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, pages.MilestoneForm(s.milestoneView(r, d, m, true)))
}

// milestoneInput is the record or override form as typed.
type milestoneInput struct {
	date, to workday.Date
	time     string
	reason   string
	version  int
}

func readMilestoneForm(r *http.Request, window, askTime, override bool) (pages.MilestoneFormView, milestoneInput, form.Errors) {
	var v pages.MilestoneFormView
	var in milestoneInput
	var errs form.Errors
	df, tf := dateField(r, "date"), dateField(r, "to")
	v.Date, v.To = pages.DateValue(df), pages.DateValue(tf)
	var msg string
	what := "The date"
	if window {
		what = "The first day"
	}
	if in.date, msg = df.Parse(what); msg != "" {
		errs.AddDate("date", msg)
	}
	if window && !tf.Blank() {
		if in.to, msg = tf.Parse("The last day"); msg != "" {
			errs.AddDate("to", msg)
		} else if !in.date.IsZero() && in.to.Before(in.date) {
			errs.AddDate("to", "The last day must be the same as or after the first day")
		}
	}
	if askTime {
		v.Time = clean(r.PostForm.Get("time"))
		if v.Time != "" {
			if m := clock.FindStringSubmatch(v.Time); m == nil {
				errs.Add("time", "Enter the time of the call using the 24-hour clock, like 09:05")
			} else {
				h, _ := strconv.Atoi(m[1])
				in.time = fmt.Sprintf("%02d:%s", h, m[2])
			}
		}
	}
	if override {
		v.Reason = clean(r.PostForm.Get("reason"))
		in.reason = v.Reason
		switch {
		case v.Reason == "":
			errs.Add("reason", "Enter why you are changing the date")
		case len(v.Reason) > 2000:
			errs.Add("reason", "Reason must be 2000 characters or fewer")
		}
	}
	in.version = formVersion(r.PostForm.Get("version"))
	return v, in, errs
}

func (s *Server) handleMilestoneRecord(w http.ResponseWriter, r *http.Request) error {
	return s.saveMilestone(w, r, false)
}

func (s *Server) handleMilestoneOverride(w http.ResponseWriter, r *http.Request) error {
	return s.saveMilestone(w, r, true)
}

func (s *Server) saveMilestone(w http.ResponseWriter, r *http.Request, override bool) error {
	action := visit.RecordMilestone
	if override {
		action = visit.OverrideMilestone
	}
	d, m, err := s.milestoneFor(r, action)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	ctx := r.Context()
	u, _ := currentUser(ctx)
	back := visitHref(d)
	version := formVersion(r.PostForm.Get("version"))

	if r.PostForm.Get("step") == "remove" {
		if override {
			err = s.store.ClearOverride(ctx, d.ID, version, m.Code, m.Label, u)
		} else if m.Code == timeline.CodeNotice {
			err = forbidden(errors.New("the notice call cannot be unrecorded"))
		} else {
			err = s.store.ClearActual(ctx, d.ID, version, m.Code, m.Label, u)
		}
		if err == nil {
			s.flash(r, m.Label+": changed back")
			http.Redirect(w, r, back, http.StatusSeeOther)
			return nil
		}
		if !errors.Is(err, store.ErrConflict) {
			return err
		}
	}

	window := m.Kind == timeline.KindWindow
	askTime := !override && m.Code == timeline.CodeNotice
	typed, in, errs := readMilestoneForm(r, window, askTime, override)
	if !override {
		typed.Confirm = r.PostForm.Get("confirm") == "yes"
		errs = append(errs, visit.CheckActual(m, in.date, in.to, s.today(), typed.Confirm)...)
	}
	var told visit.CEOTold
	var toldIn pages.CEOToldInput
	if override && d.NoticeGiven() {
		var toldErrs form.Errors
		told, toldIn, toldErrs = readCEOTold(r, s.today(), s.mailOn())
		errs = append(errs, toldErrs...)
	}
	if errors.Is(err, store.ErrConflict) {
		errs.AddDate("date", "Someone else changed this visit while you were on this page. Check the dates, then try again")
	}
	if !errs.Any() {
		if override {
			err = s.store.SetOverride(ctx, d.ID, in.version, withCEO(visit.Override{Code: m.Code, Date: in.date, To: in.to, Reason: in.reason}, told), m.Label, milestoneDates(m), u)
		} else {
			err = s.store.RecordActual(ctx, d.ID, in.version, visit.Actual{Code: m.Code, Date: in.date, To: in.to, Time: in.time}, m.Label, u)
		}
		switch {
		case err == nil:
			msg := m.Label + ": recorded"
			if override {
				msg = m.Label + ": date changed"
			}
			if m.Code == timeline.CodeNotice && !override {
				msg = "Notice call recorded. Cafcass can now see the visit"
			}
			s.flash(r, msg)
			http.Redirect(w, r, back, http.StatusSeeOther)
			return nil
		case errors.Is(err, store.ErrConflict):
			errs.AddDate("date", "Someone else changed this visit while you were on this page. Check the dates, then try again")
		default:
			return err
		}
	}
	v := s.milestoneView(r, d, m, override)
	v.Date, v.To, v.Time, v.Reason, v.Confirm, v.CEOTold, v.Errors = typed.Date, typed.To, typed.Time, typed.Reason, typed.Confirm, toldIn, errs
	v.Page.HasErrors = true
	if fresh, gerr := s.store.GetVisit(ctx, d.ID); gerr == nil {
		v.Version = fresh.Version
	}
	status := http.StatusUnprocessableEntity
	if errors.Is(err, store.ErrConflict) {
		status = http.StatusConflict
	}
	return s.render(w, r, status, pages.MilestoneForm(v))
}

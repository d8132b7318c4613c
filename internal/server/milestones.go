package server

import (
	"errors"
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/web/pages"
)

// milestonePage is the form that records a milestone as done, or sets its
// date by hand (override).
type milestonePage struct {
	d        visit.Details
	u        user.User
	a        visit.Actor
	m        timeline.Milestone
	override bool
}

// milestoneFor loads the visit and the milestone named in the URL for the
// action (visit.RecordMilestone or visit.OverrideMilestone), which
// visit.Check must allow on that milestone.
func (s *Server) milestoneFor(r *http.Request, a visit.Action) (milestonePage, error) {
	p, err := s.visitPage(r, "")
	if err != nil {
		return milestonePage{}, err
	}
	mp := milestonePage{d: p.d, u: p.u, a: p.a, override: a == visit.OverrideMilestone}
	if err := ruleError(visit.Check(a, p.a, p.d, visit.Facts{})); err != nil {
		return mp, err
	}
	m, ok := p.plan.Milestone(chi.URLParam(r, "code"))
	if !ok {
		return mp, notFound(nil)
	}
	mp.m = m
	return mp, ruleError(visit.Check(a, p.a, p.d, visit.Facts{Milestone: &m}))
}

func (s *Server) milestoneView(r *http.Request, p milestonePage) pages.MilestoneFormView {
	d, m := p.d, p.m
	title := "Record what happened: " + m.Label
	if p.override {
		title = "Change the date: " + m.Label
	}
	v := pages.MilestoneFormView{
		Page:       s.page(r, title),
		Header:     pages.VisitHeader{Href: visitHref(d), Reference: d.Reference},
		Action:     r.URL.Path,
		BackHref:   visitHref(d),
		Label:      m.Label,
		Planned:    milestoneDates(m),
		Override:   p.override,
		Window:     m.Kind == timeline.KindWindow,
		AskTime:    !p.override && visit.AsksTime(m),
		AskConfirm: !p.override && visit.AsksConfirm(m),
		AskCEOTold: p.override && d.NoticeGiven(),
		CEOTold:    pages.CEOToldInput{Email: s.mailOn()},
		Version:    d.Version,
	}
	if p.override {
		if o, ok := d.Override(m.Code); ok {
			v.CanRemove, v.RemoveLabel = true, "Go back to the worked-out date"
			v.Date, v.To, v.Reason = pages.DateValue(fieldOf(o.Date)), pages.DateValue(fieldOf(o.To)), o.Reason
		} else {
			v.Date = pages.DateValue(fieldOf(m.First()))
		}
	} else {
		if a, ok := d.Actual(m.Code); ok {
			v.CanRemove, v.RemoveLabel = visit.May(visit.RemoveRecord, p.a, d, visit.Facts{Milestone: &m}), "Remove the record"
			v.Date, v.To, v.Time = pages.DateValue(fieldOf(a.Date)), pages.DateValue(fieldOf(a.To)), a.Time
		} else if !m.First().After(s.today()) {
			v.Date = pages.DateValue(fieldOf(m.First()))
		}
	}
	return v
}

func (s *Server) handleMilestoneRecordShow(w http.ResponseWriter, r *http.Request) error {
	p, err := s.milestoneFor(r, visit.RecordMilestone)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, pages.MilestoneForm(s.milestoneView(r, p)))
}

func (s *Server) handleMilestoneOverrideShow(w http.ResponseWriter, r *http.Request) error {
	p, err := s.milestoneFor(r, visit.OverrideMilestone)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, pages.MilestoneForm(s.milestoneView(r, p)))
}

// milestoneForm is the record or override form as typed, with its
// stale-form guard and which button was pressed.
type milestoneForm struct {
	visit.MilestoneForm
	Version int
	Remove  bool // "Remove the record" or "Go back to the worked-out date", not Save
}

func readMilestoneForm(r *http.Request, mailOn bool) milestoneForm {
	return milestoneForm{
		MilestoneForm: visit.MilestoneForm{
			Date: dateField(r, "date"), To: dateField(r, "to"),
			Time:    clean(r.PostForm.Get("time")),
			Confirm: r.PostForm.Get("confirm") == "yes",
			Reason:  clean(r.PostForm.Get("reason")),
			Told:    readCEOToldForm(r, mailOn),
		},
		Version: formVersion(r.PostForm.Get("version")),
		Remove:  r.PostForm.Get("step") == "remove",
	}
}

// milestonePosted is milestoneFor with the form posted, read.
func (s *Server) milestonePosted(w http.ResponseWriter, r *http.Request, a visit.Action) (milestonePage, milestoneForm, error) {
	p, err := s.milestoneFor(r, a)
	if err != nil {
		return p, milestoneForm{}, err
	}
	if err := parseForm(w, r); err != nil {
		return p, milestoneForm{}, err
	}
	return p, readMilestoneForm(r, s.mailOn()), nil
}

// POST /visits/{visitID}/milestones/{code}/record: record what happened
// (visit.MilestoneForm.ValidActual), or remove the record.
func (s *Server) handleMilestoneRecord(w http.ResponseWriter, r *http.Request) error {
	p, f, err := s.milestonePosted(w, r, visit.RecordMilestone)
	if err != nil {
		return err
	}
	ctx, m, u := r.Context(), p.m, p.u
	if f.Remove {
		if err := ruleError(visit.Check(visit.RemoveRecord, p.a, p.d, visit.Facts{Milestone: &m})); err != nil {
			return err
		}
		return s.milestoneSaved(w, r, p, f, s.store.ClearActual(ctx, p.d.ID, f.Version, m.Code, m.Label, u), m.Label+": changed back")
	}
	a, errs := f.ValidActual(m, s.today())
	if errs.Any() {
		return s.milestoneFailed(w, r, p, f, errs, http.StatusUnprocessableEntity)
	}
	msg := m.Label + ": recorded"
	if m.Code == timeline.CodeNotice {
		msg = "Notice call recorded. Cafcass can now see the visit"
	}
	return s.milestoneSaved(w, r, p, f, s.store.RecordActual(ctx, p.d.ID, f.Version, a, m.Label, u), msg)
}

// POST /visits/{visitID}/milestones/{code}/override: set the date by hand
// (visit.MilestoneForm.ValidOverride), or go back to the worked-out date.
func (s *Server) handleMilestoneOverride(w http.ResponseWriter, r *http.Request) error {
	p, f, err := s.milestonePosted(w, r, visit.OverrideMilestone)
	if err != nil {
		return err
	}
	ctx, m, u := r.Context(), p.m, p.u
	if f.Remove {
		return s.milestoneSaved(w, r, p, f, s.store.ClearOverride(ctx, p.d.ID, f.Version, m.Code, m.Label, u), m.Label+": changed back")
	}
	o, errs := f.ValidOverride(p.d, m, s.today())
	if errs.Any() {
		return s.milestoneFailed(w, r, p, f, errs, http.StatusUnprocessableEntity)
	}
	err = s.store.SetOverride(ctx, p.d.ID, f.Version, o, m.Label, planSpan(m), u)
	return s.milestoneSaved(w, r, p, f, err, m.Label+": date changed")
}

// milestoneSaved answers a change to a milestone: back to the visit saying
// what changed, or the form again if the visit changed meanwhile.
func (s *Server) milestoneSaved(w http.ResponseWriter, r *http.Request, p milestonePage, f milestoneForm, err error, msg string) error {
	if errors.Is(err, store.ErrConflict) {
		var errs form.Errors
		errs.AddDate("date", "Someone else changed this visit while you were on this page. Check the dates, then try again")
		return s.milestoneFailed(w, r, p, f, errs, http.StatusConflict)
	}
	if err != nil {
		return err
	}
	s.flash(r, msg)
	http.Redirect(w, r, visitHref(p.d), http.StatusSeeOther)
	return nil
}

// milestoneFailed shows the form again as typed, with its errors, guarded
// by the visit's version as it now is.
func (s *Server) milestoneFailed(w http.ResponseWriter, r *http.Request, p milestonePage, f milestoneForm, errs form.Errors, status int) error {
	v := s.milestoneView(r, p)
	v.Date, v.To, v.Time, v.Reason, v.Confirm = pages.DateValue(f.Date), pages.DateValue(f.To), f.Time, f.Reason, f.Confirm
	v.CEOTold, v.Errors = ceoToldInput(f.Told), errs
	v.Page.HasErrors = true
	if fresh, err := s.store.GetVisit(r.Context(), p.d.ID); err == nil {
		v.Version = fresh.Version
	}
	return s.render(w, r, status, pages.MilestoneForm(v))
}

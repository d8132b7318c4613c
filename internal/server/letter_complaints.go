package server

import (
	"errors"
	"fmt"
	"net/http"
	"unicode/utf8"

	"github.com/ofsted/focusedvisits/internal/letter"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/web/components"
	"github.com/ofsted/focusedvisits/web/pages"
)

// Formal complaints about the final letter, and their resolution.

// complaintView is a complaint as the pages show it, with the link to
// resolve it for whoever may (letter.Resolve).
func (s *Server) complaintView(p letterPage, c letter.Complaint) pages.ComplaintView {
	v := pages.ComplaintView{
		ID: c.PublicID, Received: timeline.FormatTime(c.ReceivedAt), By: c.ByName, Body: c.Body, InTime: c.InTime,
		Resolution: c.Resolution, ResolvedBy: c.ResolvedBy,
	}
	if !c.NewPublicationDate.IsZero() {
		v.NewDate = timeline.FormatDate(c.NewPublicationDate)
	}
	if !c.Resolved() && letter.MayDo(letter.Resolve, p.actor) && p.d.Status == visit.Active {
		v.ResolveHref = resolveHref(p.d, c)
	}
	return v
}

// complaintForm loads the complaint page; open says a complaint may be
// made now (letter.CanComplain).
func (s *Server) complaintForm(r *http.Request) (p letterPage, v pages.ComplaintFormView, open bool, err error) {
	if p, err = s.sentFinalFor(r); err != nil {
		return
	}
	if !letter.MayDo(letter.Complain, p.actor) {
		return p, v, false, forbidden(errors.New("only Cafcass makes complaints"))
	}
	if p.d.Status != visit.Active || p.l.Published() {
		return p, v, false, badRequest(errors.New("the letter is published"))
	}
	ctx := r.Context()
	due, err := letter.ComplaintDue(p.plan, london)
	if err != nil {
		return
	}
	complaints, err := s.store.ListComplaints(ctx, p.l.ID)
	if err != nil {
		return
	}
	if open, err = letter.CanComplain(p.plan, london, s.now(), len(complaints)); err != nil {
		return
	}
	v = pages.ComplaintFormView{
		Page: s.page(r, "Make a formal complaint"), Caption: p.d.Reference + ": final letter",
		BackHref: letterHref(p.d), Action: visitHref(p.d) + "/letter/complaint",
		Due: "You can make a formal complaint until the end of " + timeline.FormatDate(visit.TodayIn(due, london)) + ".",
	}
	switch {
	case len(complaints) > 0:
		v.Closed = "You have made a formal complaint about this letter. Ofsted will tell you how it was resolved."
	case !open:
		v.Closed = "The time for a formal complaint ended on " + timeline.FormatDate(visit.TodayIn(due, london)) + ". No complaint was made."
	}
	for _, c := range complaints {
		v.Complaints = append(v.Complaints, s.complaintView(p, c))
	}
	return p, v, open, nil
}

// GET /visits/{visitID}/letter/complaint
func (s *Server) handleComplaintNew(w http.ResponseWriter, r *http.Request) error {
	_, v, _, err := s.complaintForm(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, pages.ComplaintForm(v))
}

// POST /visits/{visitID}/letter/complaint
func (s *Server) handleComplaintCreate(w http.ResponseWriter, r *http.Request) error {
	p, v, open, err := s.complaintForm(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	if !open {
		// A complaint after the window closed, or a second one, is refused
		// with the reason (DOMAIN decision 13: one complaint, in the window).
		v.Errors.Add("complaint-closed", v.Closed)
		v.Page.HasErrors = true
		return s.render(w, r, http.StatusUnprocessableEntity, pages.ComplaintForm(v))
	}
	v.Body = clean(r.PostForm.Get("body"))
	v.Errors = letter.ValidateComplaint(v.Body)
	if v.Errors.Any() {
		v.Page.HasErrors = true
		return s.render(w, r, http.StatusUnprocessableEntity, pages.ComplaintForm(v))
	}
	_, err = s.store.CreateComplaint(r.Context(), p.d.ID, p.l.ID, v.Body, true, p.u)
	if errors.Is(err, store.ErrConflict) {
		return badRequest(errors.New("the letter is published"))
	}
	if err != nil {
		return err
	}
	s.flash(r, "Complaint sent. Publication of the letter is held until Ofsted has considered it.")
	http.Redirect(w, r, letterHref(p.d), http.StatusSeeOther)
	return nil
}

// complaintResolve loads the page recording a complaint's resolution;
// done reports the complaint already resolved (the caller says so).
func (s *Server) complaintResolve(r *http.Request) (p letterPage, c letter.Complaint, v pages.ComplaintResolveView, done bool, err error) {
	if p, err = s.sentFinalFor(r); err != nil {
		return
	}
	if !letter.MayDo(letter.Resolve, p.actor) {
		return p, c, v, false, forbidden(errors.New("not the visit's lead inspector"))
	}
	id, ok := publicIDParam(r, "complaintID")
	if !ok {
		return p, c, v, false, store.ErrNotFound
	}
	if c, err = s.store.GetComplaintByPublicID(r.Context(), p.l.ID, id); err != nil || c.Resolved() {
		return p, c, v, err == nil, err
	}
	v = pages.ComplaintResolveView{
		Page: s.page(r, "Record the resolution of the complaint"), Caption: p.d.Reference + ": complaint",
		BackHref: letterHref(p.d), Action: resolveHref(p.d, c),
		Complaint: s.complaintView(p, c),
	}
	v.Complaint.ResolveHref = ""
	return p, c, v, false, nil
}

func (s *Server) renderComplaintResolve(w http.ResponseWriter, r *http.Request, status int, v pages.ComplaintResolveView, date DateField) error {
	v.Date = components.DateInputParams{ID: "publication-date", Name: "publication-date", Legend: "New publication date",
		Hint: "Publication is held until this complaint is resolved. For example, 27 3 2025", ErrorMessage: v.Errors.For("publication-date"),
		Day: date.Day, Month: date.Month, Year: date.Year}
	v.Page.HasErrors = v.Errors.Any()
	return s.render(w, r, status, pages.ComplaintResolve(v))
}

func (s *Server) complaintResolved(w http.ResponseWriter, r *http.Request, p letterPage) error {
	s.flash(r, "That complaint has already been resolved.")
	http.Redirect(w, r, letterHref(p.d), http.StatusSeeOther)
	return nil
}

// GET /visits/{visitID}/letter/complaints/{complaintID}/resolve
func (s *Server) handleComplaintResolve(w http.ResponseWriter, r *http.Request) error {
	p, _, v, done, err := s.complaintResolve(r)
	if err != nil {
		return err
	}
	if done {
		return s.complaintResolved(w, r, p)
	}
	return s.renderComplaintResolve(w, r, http.StatusOK, v, DateField{})
}

// POST /visits/{visitID}/letter/complaints/{complaintID}/resolve
func (s *Server) handleComplaintResolveCreate(w http.ResponseWriter, r *http.Request) error {
	p, c, v, done, err := s.complaintResolve(r)
	if err != nil {
		return err
	}
	if done {
		return s.complaintResolved(w, r, p)
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	v.Resolution = clean(r.PostForm.Get("resolution"))
	date := dateField(r, "publication-date")
	switch {
	case v.Resolution == "":
		v.Errors.Add("resolution", "Enter how the complaint was resolved")
	case utf8.RuneCountInString(v.Resolution) > letter.MaxResolutionLength:
		v.Errors.Add("resolution", fmt.Sprintf("The resolution must be %d characters or fewer", letter.MaxResolutionLength))
	}
	res := store.Resolution{Text: v.Resolution, At: s.now()}
	if c.InTime {
		day, msg := date.Parse("The new publication date")
		switch {
		case msg != "":
			v.Errors.AddDate("publication-date", msg)
		case day.Before(s.today()):
			v.Errors.AddDate("publication-date", "The new publication date must be today or in the future")
		}
		res.NewPublicationDate = day
		if m, ok := p.plan.Milestone(timeline.CodePublication); ok {
			res.PublicationLabel, res.PlannedPublication = m.Label, planSpan(m)
		}
	}
	if v.Errors.Any() {
		return s.renderComplaintResolve(w, r, http.StatusUnprocessableEntity, v, date)
	}
	err = s.store.ResolveComplaint(r.Context(), p.d.ID, p.l.ID, c.ID, res, p.u)
	if errors.Is(err, store.ErrConflict) {
		return s.complaintResolved(w, r, p)
	} else if err != nil {
		return err
	} else {
		s.flash(r, "Resolution recorded.")
	}
	http.Redirect(w, r, letterHref(p.d), http.StatusSeeOther)
	return nil
}

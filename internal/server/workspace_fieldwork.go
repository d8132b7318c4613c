package server

import (
	"fmt"
	"net/http"
	"strconv"

	"github.com/ofsted/focusedvisits/internal/fieldwork"
	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/web/components"
	"github.com/ofsted/focusedvisits/web/pages"
)

// The fieldwork plan: each sampled case's discussion with its practitioner
// and manager, given to an inspector at a time. Children's data (DOMAIN
// decision 17): the team sees all of it with Ofsted's reasons and notes;
// Cafcass, once the sample is released, sees the discussions to arrange.

// GET /visits/{visitID}/workspace/fieldwork
func (s *Server) handleFieldworkShow(w http.ResponseWriter, r *http.Request) error {
	p, err := s.visitPage(r, "workspace")
	if err != nil {
		return err
	}
	d, u := p.d, p.u
	ctx := r.Context()
	team := fieldwork.May(fieldwork.SeePlan, u, d, fieldwork.Facts{})
	if !team && !(p.a.Cafcass && visit.CanSeeChildRecord(u, d, visit.CaseSample, false)) {
		return store.ErrNotFound
	}
	released, err := s.store.SampleReleased(ctx, d.ID)
	if err != nil {
		return err
	}
	v := pages.FieldworkView{Page: s.page(r, "Fieldwork, "+d.Reference), Header: p.header, IsCafcass: !team, Released: !released.IsZero()}
	facts := fieldwork.Facts{SampleReleased: v.Released}
	if !team && !fieldwork.May(fieldwork.SeeArrangements, u, d, facts) {
		// Nothing released yet: the page says so, and no children's data
		// is shown (nor recorded as viewed).
		return s.render(w, r, http.StatusOK, pages.Fieldwork(v))
	}
	plan, err := s.store.ListFieldworkPlan(ctx, d.ID)
	if err != nil {
		return err
	}
	if err := s.recordChildView(r, d, visit.CaseSample); err != nil {
		return err
	}
	plans := fieldwork.May(fieldwork.PlanDiscussion, u, d, fieldwork.Facts{})
	for _, c := range plan {
		row := pages.DiscussionRow{CaseID: c.CaseID, ChildID: c.ChildID, Inspector: c.Discussion.InspectorName}
		if c.Planned {
			row.Times, row.Mode = c.Discussion.Times(), fieldwork.ModeLabel(c.Discussion.Mode)
			row.Practitioner, row.Manager = c.Discussion.Practitioner, c.Discussion.Manager
		}
		if !team {
			// Only what Cafcass arranges: never the reason or the note.
			if c.Planned {
				v.Arrangements = append(v.Arrangements, row)
			}
			continue
		}
		row.Reason, row.Note = c.Reason, c.Discussion.Note
		if plans {
			row.PlanHref = workspaceHref(d) + "/fieldwork/" + c.SamplePublicID
		}
		v.Rows = append(v.Rows, row)
		if c.Planned && c.Discussion.InspectorID == u.ID {
			v.Mine = append(v.Mine, row)
		}
	}
	return s.render(w, r, http.StatusOK, pages.Fieldwork(v))
}

// discussionFor loads the visit and the sampled case named in the URL for
// planning its discussion.
func (s *Server) discussionFor(r *http.Request) (visitPageData, store.PlanCase, []store.PlanCase, error) {
	d, err := s.childDataVisitFor(r)
	if err != nil {
		return visitPageData{}, store.PlanCase{}, nil, err
	}
	p, err := s.visitPageOf(r, d, "workspace")
	if err != nil {
		return p, store.PlanCase{}, nil, err
	}
	if err := fieldworkError(fieldwork.Check(fieldwork.PlanDiscussion, p.u, d, fieldwork.Facts{})); err != nil {
		return p, store.PlanCase{}, nil, err
	}
	id, ok := publicIDParam(r, "sampleID")
	if !ok {
		return p, store.PlanCase{}, nil, store.ErrNotFound
	}
	plan, err := s.store.ListFieldworkPlan(r.Context(), d.ID)
	if err != nil {
		return p, store.PlanCase{}, nil, err
	}
	for _, c := range plan {
		if c.SamplePublicID == id {
			return p, c, plan, nil
		}
	}
	return p, store.PlanCase{}, nil, store.ErrNotFound
}

// discussionInput is what the form holds, as typed.
type discussionInput struct {
	day     DateField
	start   string
	minutes string
}

func (s *Server) discussionView(r *http.Request, p visitPageData, c store.PlanCase, dc fieldwork.Discussion, in discussionInput, errs form.Errors) pages.DiscussionFormView {
	_, inspectors := workspaceInspectors(p.d, dc.InspectorID)
	v := pages.DiscussionFormView{
		Page: s.page(r, "Plan the discussion of case "+c.CaseID), Header: p.header,
		BackHref: workspaceHref(p.d) + "/fieldwork", Action: workspaceHref(p.d) + "/fieldwork/" + c.SamplePublicID,
		CaseID: c.CaseID, ChildID: c.ChildID, Reason: c.Reason, Inspectors: inspectors,
		Day: pages.DateValue(in.day), Start: in.start, Modes: choiceOptions(fieldwork.Modes, dc.Mode),
		Practitioner: dc.Practitioner, Manager: dc.Manager, Note: dc.Note, Errors: errs,
	}
	for _, m := range fieldwork.Durations {
		val := strconv.Itoa(m)
		v.Minutes = append(v.Minutes, components.Option{Value: val, Text: fmt.Sprintf("%d minutes", m), Checked: val == in.minutes})
	}
	v.Page.HasErrors = errs.Any()
	return v
}

// GET /visits/{visitID}/workspace/fieldwork/{sampleID}
func (s *Server) handleDiscussionEdit(w http.ResponseWriter, r *http.Request) error {
	p, c, _, err := s.discussionFor(r)
	if err != nil {
		return err
	}
	if err := s.recordChildView(r, p.d, visit.CaseSample); err != nil {
		return err
	}
	dc := c.Discussion
	in := discussionInput{minutes: "60"}
	if c.Planned {
		in = discussionInput{day: fieldOf(dc.Day), start: fieldwork.Clock(dc.Start), minutes: strconv.Itoa(dc.Minutes)}
	}
	return s.render(w, r, http.StatusOK, pages.DiscussionForm(s.discussionView(r, p, c, dc, in, nil)))
}

// clashKey names what a clash warning was shown for.
func clashKey(d fieldwork.Discussion) string {
	return fmt.Sprintf("%d/%s/%d/%d", d.InspectorID, d.Day.String(), d.Start, d.Minutes)
}

// POST /visits/{visitID}/workspace/fieldwork/{sampleID}
func (s *Server) handleDiscussionUpdate(w http.ResponseWriter, r *http.Request) error {
	p, c, plan, err := s.discussionFor(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	in := discussionInput{day: dateField(r, "day"), start: clean(r.PostForm.Get("start")), minutes: clean(r.PostForm.Get("minutes"))}
	dc := fieldwork.Discussion{SamplePublicID: c.SamplePublicID, CaseID: c.CaseID, ChildID: c.ChildID,
		Mode: clean(r.PostForm.Get("mode")), Practitioner: clean(r.PostForm.Get("practitioner")),
		Manager: clean(r.PostForm.Get("manager")), Note: clean(r.PostForm.Get("note"))}
	dc.InspectorID, _ = strconv.ParseInt(r.PostForm.Get("inspector"), 10, 64)
	dc.Minutes, _ = strconv.Atoi(in.minutes)
	var msg string
	dc.Day, msg = in.day.Parse("The day")
	var clockOK bool
	dc.Start, clockOK = fieldwork.ParseClock(in.start)
	ids, _ := workspaceInspectors(p.d, 0)
	errs := fieldwork.CheckDiscussion(dc, msg, clockOK, ids)
	if errs.Any() {
		return s.render(w, r, http.StatusUnprocessableEntity, pages.DiscussionForm(s.discussionView(r, p, c, dc, in, errs)))
	}
	var clashes []string
	for _, o := range fieldwork.Clashes(store.Discussions(plan), dc) {
		clashes = append(clashes, fmt.Sprintf("%s is already in the discussion of case %s, %s.", o.InspectorName, o.CaseID, o.Times()))
	}
	detail := ""
	if len(clashes) > 0 {
		if r.PostForm.Get("confirm-clash") != clashKey(dc) {
			v := s.discussionView(r, p, c, dc, in, nil)
			v.Clashes, v.ClashKey = clashes, clashKey(dc)
			return s.render(w, r, http.StatusOK, pages.DiscussionForm(v))
		}
		detail = "Saved despite a clash: " + clashes[0]
	}
	if err := s.store.SaveDiscussion(r.Context(), p.d.ID, dc, detail, p.u); err != nil {
		return err
	}
	s.flash(r, "Discussion of case "+c.CaseID+" planned.")
	http.Redirect(w, r, workspaceHref(p.d)+"/fieldwork", http.StatusSeeOther)
	return nil
}

package server

import (
	"net/http"

	"github.com/ofsted/focusedvisits/internal/fieldwork"
	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/web/components"
	"github.com/ofsted/focusedvisits/web/pages"
)

// Inspectors' evidence per case and practice area (issue 17, item 4):
// children's data (DOMAIN decision 17), for the visit's lead, team
// inspectors and SAOs only; every view is recorded.

// evidenceVisitFor loads the visit for the evidence pages and the action.
func (s *Server) evidenceVisitFor(r *http.Request, a fieldwork.Action) (visitPageData, error) {
	d, err := s.childDataVisitFor(r)
	if err != nil {
		return visitPageData{}, err
	}
	p, err := s.visitPageOf(r, d, "workspace")
	if err != nil {
		return p, err
	}
	return p, fieldworkError(fieldwork.Check(a, p.u, d, fieldwork.Facts{}))
}

// GET /visits/{visitID}/workspace/evidence
func (s *Server) handleEvidenceShow(w http.ResponseWriter, r *http.Request) error {
	p, err := s.evidenceVisitFor(r, fieldwork.SeeEvidence)
	if err != nil {
		return err
	}
	d, u := p.d, p.u
	notes, err := s.store.ListNotes(r.Context(), d.ID)
	if err != nil {
		return err
	}
	if err := s.recordChildView(r, d, visit.EvidenceNotes); err != nil {
		return err
	}
	v := pages.EvidenceView{Page: s.page(r, "Evidence, "+d.Reference), Header: p.header, All: fieldwork.SeesAllEvidence(u, d)}
	if fieldwork.May(fieldwork.RecordEvidence, u, d, fieldwork.Facts{}) {
		v.AddHref = workspaceHref(d) + "/evidence/new"
	}
	for _, a := range fieldwork.Areas {
		area := pages.EvidenceArea{Label: a.Label}
		for _, f := range a.Focus {
			focus := pages.EvidenceFocus{Label: f.Label}
			for _, n := range notes {
				if n.Area != a.Value || n.Focus != f.Value || !fieldwork.NoteVisible(u, d, n) {
					continue
				}
				about := "The visit as a whole"
				if n.CaseID != "" {
					about = "Case " + n.CaseID + ", child " + n.ChildID
				}
				focus.Notes = append(focus.Notes, pages.EvidenceRow{About: about, Kind: labelOfKind(n.Kind), Enquiry: n.Kind == "enquiry",
					Author: n.AuthorName, At: timeline.FormatTime(n.CreatedAt), Body: n.Body})
			}
			area.Focus = append(area.Focus, focus)
		}
		v.Areas = append(v.Areas, area)
	}
	return s.render(w, r, http.StatusOK, pages.Evidence(v))
}

func labelOfKind(k string) string {
	for _, c := range fieldwork.NoteKinds {
		if c.Value == k {
			return c.Label
		}
	}
	return k
}

func (s *Server) evidenceFormView(r *http.Request, p visitPageData, plan []store.PlanCase, n fieldwork.Note, errs form.Errors) pages.EvidenceFormView {
	v := pages.EvidenceFormView{Page: s.page(r, "Record evidence"), Header: p.header, BackHref: workspaceHref(p.d) + "/evidence",
		Action: workspaceHref(p.d) + "/evidence/new", Kinds: choiceOptions(fieldwork.NoteKinds, n.Kind), Body: n.Body, Errors: errs}
	v.Cases = append(v.Cases, components.Option{Value: "", Text: "The visit as a whole", Checked: n.SamplePublicID == ""})
	for _, c := range plan {
		v.Cases = append(v.Cases, components.Option{Value: c.SamplePublicID, Text: "Case " + c.CaseID + ", child " + c.ChildID, Checked: c.SamplePublicID == n.SamplePublicID})
	}
	chosen := fieldwork.FocusValue(n.Area, n.Focus)
	v.Focus = append(v.Focus, components.Option{Value: "", Text: "Choose a focus point", Checked: n.Area == ""})
	for _, a := range fieldwork.Areas {
		for _, f := range a.Focus {
			val := fieldwork.FocusValue(a.Value, f.Value)
			v.Focus = append(v.Focus, components.Option{Value: val, Text: a.Label + ": " + f.Label, Checked: val == chosen})
		}
	}
	v.Page.HasErrors = errs.Any()
	return v
}

// GET /visits/{visitID}/workspace/evidence/new
func (s *Server) handleEvidenceNew(w http.ResponseWriter, r *http.Request) error {
	p, err := s.evidenceVisitFor(r, fieldwork.RecordEvidence)
	if err != nil {
		return err
	}
	plan, err := s.store.ListFieldworkPlan(r.Context(), p.d.ID)
	if err != nil {
		return err
	}
	if err := s.recordChildView(r, p.d, visit.CaseSample); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, pages.EvidenceForm(s.evidenceFormView(r, p, plan, fieldwork.Note{Kind: "evidence"}, nil)))
}

// POST /visits/{visitID}/workspace/evidence/new
func (s *Server) handleEvidenceCreate(w http.ResponseWriter, r *http.Request) error {
	p, err := s.evidenceVisitFor(r, fieldwork.RecordEvidence)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	n := fieldwork.Note{SamplePublicID: clean(r.PostForm.Get("case")), Kind: clean(r.PostForm.Get("kind")), Body: clean(r.PostForm.Get("body"))}
	n.Area, n.Focus, _ = fieldwork.ParseFocus(r.PostForm.Get("focus"))
	plan, err := s.store.ListFieldworkPlan(r.Context(), p.d.ID)
	if err != nil {
		return err
	}
	var samples []string
	for _, c := range plan {
		samples = append(samples, c.SamplePublicID)
	}
	if errs := fieldwork.CheckNote(n, samples); errs.Any() {
		if err := s.recordChildView(r, p.d, visit.CaseSample); err != nil {
			return err
		}
		return s.render(w, r, http.StatusUnprocessableEntity, pages.EvidenceForm(s.evidenceFormView(r, p, plan, n, errs)))
	}
	if err := s.store.AddNote(r.Context(), p.d.ID, n, p.u); err != nil {
		return err
	}
	s.flash(r, "Evidence recorded.")
	http.Redirect(w, r, workspaceHref(p.d)+"/evidence", http.StatusSeeOther)
	return nil
}

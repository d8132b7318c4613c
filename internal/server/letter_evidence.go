package server

import (
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/ofsted/focusedvisits/internal/fieldwork"
	"github.com/ofsted/focusedvisits/internal/letter"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/web/components"
	"github.com/ofsted/focusedvisits/web/pages"
)

// Evidence linked to the letter's findings (issue 17, item 4). The lead
// inspector links evidence notes to a finding (fieldwork.LinkEvidence);
// each finding shows what it rests on to those who may see linked evidence
// (fieldwork.SeeLinkedEvidence): the need-to-know team, and the visit's
// QAM and moderator, who see no other evidence (DOMAIN decision 17).
// Every page that shows a note records the view first.

// evidenceCount is what a finding rests on, in words.
func evidenceCount(n int) string {
	if n == 0 {
		return "No evidence linked yet"
	}
	return "Rests on " + pluralWord(n, "evidence note")
}

// evidenceOnFindings adds to the findings of the letter's sections how many
// evidence notes each rests on, linking to them, and the lead's "Link
// evidence", for those who may see linked evidence; for anyone else it
// adds nothing. Counts are not children's data: no view is recorded.
func (s *Server) evidenceOnFindings(r *http.Request, p letterPage, secs []pages.LetterSection) error {
	if !p.has || !fieldwork.May(fieldwork.SeeLinkedEvidence, p.u, p.d, fieldwork.Facts{}) {
		return nil
	}
	counts, err := s.store.CountFindingEvidence(r.Context(), p.l.ID)
	if err != nil {
		return err
	}
	link := fieldwork.May(fieldwork.LinkEvidence, p.u, p.d, fieldwork.Facts{})
	for i := range secs {
		for j := range secs[i].Findings {
			f := &secs[i].Findings[j]
			f.Evidence = evidenceCount(counts[f.ID])
			f.EvidenceHref = p.base() + "/evidence#finding-" + f.ID
			if link {
				f.LinkHref = findingEvidenceHref(p, f.ID)
			}
		}
	}
	return nil
}

func findingEvidenceHref(p letterPage, findingID string) string {
	return p.base() + "/findings/" + findingID + "/evidence"
}

// numbered is the current version's findings in the order the letter
// prints them (by kind, then as written), numbered from 1 as the history
// names them (their position in the version).
func numbered(c letter.Content) []pages.FindingEvidence {
	pos := map[string]int{}
	for i, f := range c.Findings {
		pos[f.ID] = i + 1
	}
	var out []pages.FindingEvidence
	for _, k := range letter.Kinds {
		for _, f := range c.FindingsOf(k) {
			out = append(out, pages.FindingEvidence{ID: f.ID, Number: pos[f.ID], Kind: f.Kind.Label(), Area: f.Area.Label(), Text: f.Text})
		}
	}
	return out
}

func linkedNote(n fieldwork.Note) pages.LinkedNote {
	about := "The visit as a whole"
	if n.CaseID != "" {
		about = "Case " + n.CaseID + ", child " + n.ChildID
	}
	return pages.LinkedNote{Area: fieldwork.AreaLabel(n.Area), Focus: fieldwork.FocusLabel(n.Area, n.Focus), About: about,
		Author: n.AuthorName, At: timeline.FormatTime(n.CreatedAt), Body: n.Body}
}

// GET /visits/{visitID}/letter/evidence
func (s *Server) handleLetterEvidenceShow(w http.ResponseWriter, r *http.Request) error {
	p, err := s.loadDraft(r)
	if err != nil {
		return err
	}
	if err := fieldworkError(fieldwork.Check(fieldwork.SeeLinkedEvidence, p.u, p.d, fieldwork.Facts{})); err != nil {
		return err
	}
	v := pages.LetterEvidenceView{Page: s.page(r, p.d.Reference+": what the findings rest on"), Header: s.letterHeader(p),
		BackHref: p.base(), Version: p.l.CurrentVersion}
	if !p.has {
		return s.render(w, r, http.StatusOK, pages.LetterEvidence(v))
	}
	linked, err := s.store.ListFindingEvidence(r.Context(), p.l.ID)
	if err != nil {
		return err
	}
	if err := s.recordChildView(r, p.d, visit.EvidenceNotes); err != nil {
		return err
	}
	link := fieldwork.May(fieldwork.LinkEvidence, p.u, p.d, fieldwork.Facts{})
	for _, f := range numbered(p.cur.Content) {
		for _, n := range linked[f.ID] {
			if fieldwork.LinkedNoteVisible(p.u, p.d, n) {
				f.Notes = append(f.Notes, linkedNote(n))
			}
		}
		f.Count = evidenceCount(len(f.Notes))
		if link {
			f.LinkHref = findingEvidenceHref(p, f.ID)
		}
		v.Findings = append(v.Findings, f)
	}
	return s.render(w, r, http.StatusOK, pages.LetterEvidence(v))
}

// findingForLinks loads the letter for the lead's link page: the finding
// named in the URL must be in the current version.
func (s *Server) findingForLinks(r *http.Request) (letterPage, pages.FindingEvidence, error) {
	p, err := s.loadDraft(r)
	if err != nil {
		return p, pages.FindingEvidence{}, err
	}
	if err := fieldworkError(fieldwork.Check(fieldwork.LinkEvidence, p.u, p.d, fieldwork.Facts{})); err != nil {
		return p, pages.FindingEvidence{}, err
	}
	id := chi.URLParam(r, "findingID")
	for _, f := range numbered(p.cur.Content) {
		if f.ID == id && id != "" {
			return p, f, nil
		}
	}
	return p, pages.FindingEvidence{}, notFound(fmt.Errorf("no finding %q in the current version", id))
}

// noteField is the checkboxes' name for a practice area's notes.
func noteField(area string) string { return "note-" + area }

// GET /visits/{visitID}/letter/findings/{findingID}/evidence
func (s *Server) handleFindingEvidenceEdit(w http.ResponseWriter, r *http.Request) error {
	p, f, err := s.findingForLinks(r)
	if err != nil {
		return err
	}
	notes, err := s.store.ListNotes(r.Context(), p.d.ID)
	if err != nil {
		return err
	}
	linked, err := s.store.ListFindingEvidence(r.Context(), p.l.ID)
	if err != nil {
		return err
	}
	if err := s.recordChildView(r, p.d, visit.EvidenceNotes); err != nil {
		return err
	}
	chosen := map[string]bool{}
	for _, n := range linked[f.ID] {
		chosen[n.PublicID] = true
	}
	v := pages.FindingEvidenceFormView{Page: s.page(r, fmt.Sprintf("Link evidence to finding %d", f.Number)), Header: s.letterHeader(p),
		BackHref: p.base() + "/evidence#finding-" + f.ID, Action: findingEvidenceHref(p, f.ID), Finding: f}
	// The finding's practice area first, then the others in order.
	var area letter.Area
	for _, x := range p.cur.Findings {
		if x.ID == f.ID {
			area = x.Area
		}
	}
	areas := []fieldwork.Area{}
	for _, a := range fieldwork.Areas {
		if a.Value == string(area) {
			areas = append([]fieldwork.Area{a}, areas...)
		} else {
			areas = append(areas, a)
		}
	}
	for _, a := range areas {
		g := pages.EvidenceGroup{Name: noteField(a.Value), Legend: a.Label}
		if a.Value == string(area) {
			g.Hint = "The finding's practice area"
		}
		for _, n := range notes {
			if n.Area != a.Value || !fieldwork.Linkable(n) || !fieldwork.NoteVisible(p.u, p.d, n) {
				continue
			}
			ln := linkedNote(n)
			g.Items = append(g.Items, components.Option{Value: n.PublicID, Text: ln.Focus + ": " + ln.Body,
				Hint: ln.About + ". " + ln.Author + ", " + ln.At, Checked: chosen[n.PublicID]})
		}
		if len(g.Items) > 0 {
			v.Groups = append(v.Groups, g)
		}
	}
	return s.render(w, r, http.StatusOK, pages.FindingEvidenceForm(v))
}

// POST /visits/{visitID}/letter/findings/{findingID}/evidence: the notes
// checked become exactly those linked to the finding.
func (s *Server) handleFindingEvidenceUpdate(w http.ResponseWriter, r *http.Request) error {
	p, f, err := s.findingForLinks(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	var chosen []string
	for _, a := range fieldwork.Areas {
		for _, id := range r.PostForm[noteField(a.Value)] {
			if id = strings.TrimSpace(id); id != "" {
				chosen = append(chosen, id)
			}
		}
	}
	err = s.store.SetFindingEvidence(r.Context(), p.d.ID, f.ID, chosen, p.u)
	if errors.Is(err, store.ErrNotFound) {
		return badRequest(errors.New("a note chosen is not evidence of this visit"))
	}
	if err != nil {
		return err
	}
	s.flash(r, fmt.Sprintf("Evidence for finding %d saved.", f.Number))
	http.Redirect(w, r, p.base()+"/evidence#finding-"+f.ID, http.StatusSeeOther)
	return nil
}

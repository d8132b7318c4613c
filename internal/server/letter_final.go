package server

import (
	"net/http"

	"github.com/ofsted/focusedvisits/internal/letter"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
	"github.com/ofsted/focusedvisits/web/pages"
)

// The final letter, under embargo until it is published.

// sentFinalFor is loadLetter for the final letter's pages.
func (s *Server) sentFinalFor(r *http.Request) (letterPage, error) {
	p, err := s.loadLetter(r)
	if err != nil {
		return p, err
	}
	if !p.has || !p.l.FinalSent() {
		return p, store.ErrNotFound
	}
	return p, nil
}

// embargoWords says when the letter is due to be published: the plan's
// date, or the working day after a complaint that held it was resolved
// (letter.DueDate); while a complaint holds it, that it is held and
// why, never a date already past.
func embargoWords(st letter.Publication, today workday.Date) string {
	switch {
	case st.StatusOn(today) == letter.StatusHeld:
		return "Embargoed: publication is held while Ofsted considers a complaint made in time. The letter will be published on the working day after the complaint is resolved"
	case !st.Date.IsZero():
		return "Embargoed until " + timeline.FormatDate(st.Date)
	}
	return "Embargoed until Ofsted publishes it"
}

func (s *Server) handleLetterFinalShow(w http.ResponseWriter, r *http.Request) error {
	p, err := s.sentFinalFor(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	content, err := s.store.SentVersion(ctx, p.l.ID, p.l.FinalVersion)
	if err != nil {
		return err
	}
	comments, err := s.store.ListLetterComments(ctx, p.l.ID)
	if err != nil {
		return err
	}
	if p.cafcass() {
		if err := s.store.RecordLetterView(ctx, p.d.ID, visit.FinalLetterRead, p.l.FinalVersion, p.u); err != nil {
			return err
		}
	}
	v := pages.LetterFinalView{Page: s.page(r, p.d.Reference+": final letter"), Header: s.letterHeader(p), Version: p.l.FinalVersion}
	if !p.l.Published() {
		complaints, err := s.store.ListComplaints(ctx, p.l.ID)
		if err != nil {
			return err
		}
		v.Embargo = embargoWords(publicationOf(p, complaints), s.today())
		if p.cafcass() && p.d.Status == visit.Active {
			ok, err := letter.CanComplain(p.plan, london, s.now(), len(complaints))
			if err != nil {
				return err
			}
			if ok {
				v.ComplaintHref = visitHref(p.d) + "/letter/complaint"
			}
		}
	} else {
		v.PublicHref = publicHref(p.d)
	}
	v.Sections = sections(content)
	for i := range v.Sections {
		for _, c := range comments {
			if string(c.Section) == v.Sections[i].Code && c.Submitted() {
				v.Sections[i].Comments = append(v.Sections[i].Comments, commentView(c, false))
			}
		}
	}
	return s.render(w, r, http.StatusOK, pages.LetterFinal(v))
}

package server

import (
	"errors"
	"net/http"

	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/letter"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/web/components"
	"github.com/ofsted/focusedvisits/web/pages"
)

// The summary for children and young people: the lead inspector writes it
// on the letter before publication (letter.WriteSummary); publishing copies
// it beside the published letter.

func summaryHref(p letterPage) string { return p.base() + "/children-summary" }

// summaryFor loads the letter and checks that the user may write its
// summary now: a refusal is 403 (the page offers the link only to the lead
// inspector, before publication), a visit with no letter yet 404.
func (s *Server) summaryFor(r *http.Request) (letterPage, error) {
	p, err := s.loadLetter(r)
	if err != nil {
		return p, err
	}
	if p.cafcass() || !p.has {
		return p, store.ErrNotFound
	}
	if _, err := letter.Check(p.l, letter.WriteSummary, p.actor, letter.Facts{}); err != nil {
		return p, forbidden(err)
	}
	if p.d.Status != visit.Active {
		return p, forbidden(errors.New("the visit is cancelled"))
	}
	return p, nil
}

func (s *Server) renderSummaryForm(w http.ResponseWriter, r *http.Request, status int, p letterPage, text string, errs form.Errors) error {
	v := pages.LetterSummaryFormView{
		Page: s.page(r, "Summary for children and young people"), Caption: p.d.Reference + ": letter of findings",
		BackHref: p.base(), Action: summaryHref(p), Errors: errs,
		Field: components.CharacterCountParams{MaxLength: letter.MaxSummaryLength, TextareaParams: components.TextareaParams{
			ID: letter.SummaryField, Label: "Summary for children and young people", Rows: 8, Value: text,
			ErrorMessage: errs.For(letter.SummaryField),
			Hint:         "Say in plain words what inspectors found, for a 12-year-old to read. Use short sentences. Do not name any child, family or member of staff.",
		}},
	}
	v.Page.HasErrors = errs.Any()
	return s.render(w, r, status, pages.LetterSummaryForm(v))
}

// GET /visits/{visitID}/letter/children-summary
func (s *Server) handleLetterSummaryEdit(w http.ResponseWriter, r *http.Request) error {
	p, err := s.summaryFor(r)
	if err != nil {
		return err
	}
	return s.renderSummaryForm(w, r, http.StatusOK, p, p.l.ChildrenSummary, nil)
}

// POST /visits/{visitID}/letter/children-summary
func (s *Server) handleLetterSummaryUpdate(w http.ResponseWriter, r *http.Request) error {
	p, err := s.summaryFor(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	text := clean(r.PostForm.Get(letter.SummaryField))
	if errs := letter.ValidateSummary(text); errs.Any() {
		return s.renderSummaryForm(w, r, http.StatusUnprocessableEntity, p, text, errs)
	}
	err = s.store.WriteChildrenSummary(r.Context(), p.d.ID, p.l.State, text, s.now(), p.u)
	if errors.Is(err, store.ErrConflict) {
		return s.renderSummaryForm(w, r, http.StatusConflict, p, text, form.Errors{{Field: letter.SummaryField, Message: "The letter changed while you were writing (it may have been published): check it again"}})
	}
	if err != nil {
		return err
	}
	s.flash(r, "Summary for children and young people saved.")
	http.Redirect(w, r, p.base(), http.StatusSeeOther)
	return nil
}

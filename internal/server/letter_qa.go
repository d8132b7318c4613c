package server

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/letter"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/web/components"
	"github.com/ofsted/focusedvisits/web/pages"
)

// Quality assurance of the letter by the visit's QAM.

// GET /visits/{visitID}/letter/qa
func (s *Server) handleLetterQAShow(w http.ResponseWriter, r *http.Request) error {
	p, err := s.loadDraft(r)
	if err != nil {
		return err
	}
	v, err := s.letterQAView(r, p, nil, nil)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, pages.LetterQA(v))
}

func (s *Server) letterQAView(r *http.Request, p letterPage, inputs map[string]string, errs form.Errors) (pages.LetterQAView, error) {
	v := pages.LetterQAView{
		Page: s.page(r, p.d.Reference+": quality assure the letter"), Header: s.letterHeader(p), Errors: errs,
		Action: p.base() + "/qa", BackHref: p.base(), Version: p.l.CurrentVersion, Inputs: inputs, PriorityAction: p.l.PriorityAction,
	}
	if len(errs) > 0 {
		v.Page.Title = "Error: " + v.Page.Title
	}
	if !p.has {
		v.Blocked = "Nothing has been written yet."
		return v, nil
	}
	v.Summary = []components.SummaryRow{
		{Key: "Status", Value: p.l.State.Label()},
		{Key: "Version", Value: fmt.Sprintf("Version %d, saved by %s, %s", p.cur.Number, p.cur.AuthorName, timeWords(p.cur.CreatedAt))},
	}
	facts, err := s.letterFacts(r, p, 0)
	if err != nil {
		return v, err
	}
	facts.Comments = 1
	if _, err := letter.Check(p.l, letter.Approve, p.actor, facts); err == nil {
		v.CanReview = p.d.Status == visit.Active
	} else {
		v.Blocked = err.Error()
	}
	qa, err := s.store.ListQAComments(r.Context(), p.l.ID)
	if err != nil {
		return v, err
	}
	v.Sections = letterSections(p.cur.Content, qa)
	return v, s.evidenceOnFindings(r, p, v.Sections)
}

// readQAForm reads the QA comments typed against each section.
func readQAForm(r *http.Request) map[string]string {
	inputs := map[string]string{}
	for _, sec := range letter.Sections {
		inputs[string(sec)] = clean(r.PostForm.Get("comment-" + string(sec)))
	}
	return inputs
}

// validQA returns the comments typed, in the order of the sections, and
// what is wrong with them.
func validQA(inputs map[string]string) ([]store.NewQAComment, form.Errors) {
	var comments []store.NewQAComment
	var errs form.Errors
	for _, sec := range letter.Sections {
		t := inputs[string(sec)]
		if t == "" {
			continue
		}
		if len([]rune(t)) > letter.MaxCommentLength {
			errs.Add("comment-"+string(sec), fmt.Sprintf("Your comment must be %d characters or fewer", letter.MaxCommentLength))
		}
		comments = append(comments, store.NewQAComment{Section: sec, Comment: t})
	}
	return comments, errs
}

// POST /visits/{visitID}/letter/qa: approve, or return with comments.
func (s *Server) handleLetterQA(w http.ResponseWriter, r *http.Request) error {
	p, err := s.draftForChange(w, r)
	if err != nil {
		return err
	}
	version := formVersion(r.PostForm.Get("version"))
	inputs := readQAForm(r)
	comments, errs := validQA(inputs)
	fail := func(errs form.Errors, status int) error {
		if p2, err := s.loadDraft(r); err == nil {
			p = p2
		}
		v, err := s.letterQAView(r, p, inputs, errs)
		if err != nil {
			return err
		}
		return s.render(w, r, status, pages.LetterQA(v))
	}
	if errs.Any() {
		return fail(errs, http.StatusUnprocessableEntity)
	}
	action := letter.Approve
	if r.PostForm.Get("action") == "return" {
		action = letter.Return
	}
	facts, err := s.letterFacts(r, p, version)
	if err != nil {
		return err
	}
	facts.Comments = len(comments)
	to, err := letter.Check(p.l, action, p.actor, facts)
	if err != nil {
		if !letter.MayDo(action, p.actor) {
			return forbidden(err)
		}
		fe, _ := refusal(err)
		if action == letter.Return && len(comments) == 0 {
			fe.Field = "comment-" + string(letter.Introduction)
		}
		return fail(form.Errors{fe}, http.StatusUnprocessableEntity)
	}
	m := store.LetterMove{Action: action, From: p.l.State, To: to, Version: p.l.CurrentVersion}
	var msg string
	if action == letter.Return {
		err = s.store.ReturnLetter(r.Context(), p.d.ID, m, comments, p.u)
		msg = fmt.Sprintf("Version %d returned to the lead inspector with %s.", p.l.CurrentVersion, pluralWord(len(comments), "comment"))
	} else {
		if len(comments) > 0 {
			return fail(form.Errors{{Field: "comment-" + string(comments[0].Section), Message: "Comments go with returning the letter: remove them to approve it, or return it"}}, http.StatusUnprocessableEntity)
		}
		err = s.store.MoveLetter(r.Context(), p.d.ID, m, p.u)
		msg = fmt.Sprintf("Version %d approved.", p.l.CurrentVersion)
		if to == letter.InModeration {
			msg += " It has an area for priority action, so it goes to moderation next."
		}
	}
	if errors.Is(err, store.ErrConflict) {
		return fail(form.Errors{errLetterChanged}, http.StatusConflict)
	}
	if err != nil {
		return err
	}
	s.flash(r, msg)
	http.Redirect(w, r, p.base(), http.StatusSeeOther)
	return nil
}

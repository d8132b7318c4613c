package server

import (
	"errors"
	"fmt"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"net/http"

	"github.com/ofsted/focusedvisits/internal/letter"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/web/pages"
)

// Ofsted's responses to Cafcass's comments on the draft (DOMAIN decision
// 15: the final waits for them).

// lettersCommentsView is the page of Cafcass's submitted comments, with a
// response field for whoever may respond (letter.Respond).
func (s *Server) lettersCommentsView(r *http.Request, p letterPage, typed map[int64]string, errs map[int64]string) (pages.LetterCommentsView, error) {
	ctx := r.Context()
	v := pages.LetterCommentsView{Page: s.page(r, p.d.Reference+": comments on the draft letter"), Header: s.letterHeader(p)}
	sub, err := s.store.GetCommentSubmission(ctx, p.l.ID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		v.Submission = "Cafcass has not submitted any comments yet."
		return v, nil
	case err != nil:
		return v, err
	}
	v.Submission = fmt.Sprintf("%s submitted %s on %s", sub.ByName, pluralWord(sub.Comments, "comment"), timeline.FormatTime(sub.At))
	if sub.Late {
		v.Submission += ", after the last day for comments (late)"
	}
	v.Submission += "."
	comments, err := s.store.ListLetterComments(ctx, p.l.ID)
	if err != nil {
		return v, err
	}
	canRespond := letter.MayDo(letter.Respond, p.actor) && p.d.Status == visit.Active
	for _, sec := range letter.Sections {
		sv := pages.LetterSectionView{Code: string(sec), Heading: sec.Label()}
		for _, c := range comments {
			if c.Section != sec || !c.Submitted() {
				continue
			}
			cv := commentView(c, true)
			if canRespond {
				cv.RespondAction = visitHref(p.d) + "/letter/comments/" + c.PublicID + "/response"
				cv.ResponseField = "response-" + c.PublicID
				cv.TypedResponse = c.Response
				if t, ok := typed[c.ID]; ok {
					cv.TypedResponse = t
				}
				cv.ResponseError = errs[c.ID]
			}
			sv.Comments = append(sv.Comments, cv)
		}
		v.Sections = append(v.Sections, sv)
	}
	return v, nil
}

func (s *Server) handleLetterCommentList(w http.ResponseWriter, r *http.Request) error {
	p, err := s.sentDraftFor(r)
	if err != nil {
		return err
	}
	v, err := s.lettersCommentsView(r, p, nil, nil)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, pages.LetterComments(v))
}

func (s *Server) handleLetterCommentRespond(w http.ResponseWriter, r *http.Request) error {
	p, err := s.sentDraftFor(r)
	if err != nil {
		return err
	}
	if !letter.MayDo(letter.Respond, p.actor) {
		return forbidden(errors.New("not the visit's lead inspector"))
	}
	c, err := s.commentFor(r, p)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	resp := clean(r.PostForm.Get("response"))
	if errs := letter.ValidateResponse("response-"+c.PublicID, resp); errs.Any() {
		msg := errs[0].Message
		v, err := s.lettersCommentsView(r, p, map[int64]string{c.ID: resp}, map[int64]string{c.ID: msg})
		if err != nil {
			return err
		}
		v.Page.HasErrors = true
		for _, sec := range v.Sections {
			for _, cv := range sec.Comments {
				if cv.ResponseError != "" {
					v.Errors.Add(cv.ResponseField, cv.ResponseError)
				}
			}
		}
		return s.render(w, r, http.StatusUnprocessableEntity, pages.LetterComments(v))
	}
	err = s.store.RespondToLetterComment(r.Context(), p.d.ID, p.l.ID, c.ID, resp, p.u)
	if errors.Is(err, store.ErrConflict) {
		return badRequest(errors.New("comment not submitted"))
	}
	if err != nil {
		return err
	}
	s.flash(r, "Response saved. Cafcass will see it with the final letter.")
	http.Redirect(w, r, visitHref(p.d)+"/letter/comments", http.StatusSeeOther)
	return nil
}

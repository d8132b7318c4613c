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

// Cafcass's comments on the draft letter.

// commentsOpenFor is sentDraftFor for Cafcass's changes to its comments:
// Ofsted users get 403; once submitted (or once the final is sent) the
// comments no longer change.
func (s *Server) commentsOpenFor(r *http.Request) (letterPage, error) {
	p, err := s.sentDraftFor(r)
	if err != nil {
		return p, err
	}
	if !letter.MayDo(letter.Comment, p.actor) {
		return p, forbidden(errors.New("only Cafcass comments on the draft"))
	}
	if p.d.Status != visit.Active || p.l.FinalSent() {
		return p, badRequest(errors.New("comments are closed"))
	}
	return p, nil
}

func commentFormView(s *Server, r *http.Request, p letterPage, content letter.Content, action, heading string, c letter.NewComment, errs form.Errors) pages.CommentFormView {
	v := pages.CommentFormView{
		Page: s.page(r, heading), Caption: p.d.Reference + ": draft letter", BackHref: visitHref(p.d) + "/letter/draft",
		Action: action, Heading: heading, Body: c.Body, Errors: errs,
	}
	v.Page.HasErrors = errs.Any()
	for _, sec := range sections(content) {
		v.Sections = append(v.Sections, components.Option{Value: sec.Code, Text: sec.Heading, Checked: sec.Code == string(c.Section)})
	}
	for _, a := range letter.CommentAbouts {
		v.Abouts = append(v.Abouts, components.Option{Value: string(a), Text: a.Label(), Checked: a == c.About})
	}
	return v
}

// readCommentForm reads the comment form.
func readCommentForm(r *http.Request) letter.NewComment {
	return letter.NewComment{Section: letter.Section(r.PostForm.Get("section")), About: letter.CommentAbout(r.PostForm.Get("about")), Body: clean(r.PostForm.Get("body"))}
}

// commentForm is what the comment form pages load: the letter (comments
// open), the sent draft, and the old comment when one is changed.
type commentForm struct {
	letterPage
	content letter.Content
	old     letter.DraftComment
	action  string
	heading string
}

func (s *Server) loadCommentForm(r *http.Request, change bool) (commentForm, error) {
	var f commentForm
	var err error
	if f.letterPage, err = s.commentsOpenFor(r); err != nil {
		return f, err
	}
	f.action, f.heading = visitHref(f.d)+"/letter/draft/comments/new", "Add a comment"
	if change {
		if f.old, err = s.commentFor(r, f.letterPage); err != nil {
			return f, err
		}
		f.action, f.heading = visitHref(f.d)+"/letter/draft/comments/"+f.old.PublicID, "Change your comment"
	}
	f.content, err = s.store.SentVersion(r.Context(), f.l.ID, f.l.SentDraftVersion)
	return f, err
}

func (s *Server) renderCommentForm(w http.ResponseWriter, r *http.Request, f commentForm, c letter.NewComment, errs form.Errors) error {
	status := http.StatusOK
	if errs.Any() {
		status = http.StatusUnprocessableEntity
	}
	return s.render(w, r, status, pages.CommentForm(commentFormView(s, r, f.letterPage, f.content, f.action, f.heading, c, errs)))
}

// GET /visits/{visitID}/letter/draft/comments/new
func (s *Server) handleLetterCommentNew(w http.ResponseWriter, r *http.Request) error {
	f, err := s.loadCommentForm(r, false)
	if err != nil {
		return err
	}
	return s.renderCommentForm(w, r, f, letter.NewComment{Section: letter.Section(r.URL.Query().Get("section"))}, nil)
}

// POST /visits/{visitID}/letter/draft/comments/new
func (s *Server) handleLetterCommentCreate(w http.ResponseWriter, r *http.Request) error {
	f, err := s.loadCommentForm(r, false)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	c := readCommentForm(r)
	errs := c.Validate(f.content)
	if errs.Any() {
		return s.renderCommentForm(w, r, f, c, errs)
	}
	_, err = s.store.AddLetterComment(r.Context(), f.l.ID, f.l.SentDraftVersion, c, f.u)
	if errors.Is(err, store.ErrConflict) {
		return badRequest(errors.New("comments already submitted"))
	}
	if err != nil {
		return err
	}
	s.flash(r, "Comment saved. Check and submit your comments when you have finished.")
	http.Redirect(w, r, visitHref(f.d)+"/letter/draft#section-"+string(c.Section), http.StatusSeeOther)
	return nil
}

func (s *Server) commentFor(r *http.Request, p letterPage) (letter.DraftComment, error) {
	id, ok := publicIDParam(r, "commentID")
	if !ok {
		return letter.DraftComment{}, store.ErrNotFound
	}
	return s.store.GetLetterCommentByPublicID(r.Context(), p.l.ID, id)
}

// GET /visits/{visitID}/letter/draft/comments/{commentID}
func (s *Server) handleLetterCommentEdit(w http.ResponseWriter, r *http.Request) error {
	f, err := s.loadCommentForm(r, true)
	if err != nil {
		return err
	}
	return s.renderCommentForm(w, r, f, letter.NewComment{Section: f.old.Section, About: f.old.About, Body: f.old.Body}, nil)
}

// POST /visits/{visitID}/letter/draft/comments/{commentID}
func (s *Server) handleLetterCommentUpdate(w http.ResponseWriter, r *http.Request) error {
	f, err := s.loadCommentForm(r, true)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	c := readCommentForm(r)
	errs := c.Validate(f.content)
	if errs.Any() {
		return s.renderCommentForm(w, r, f, c, errs)
	}
	err = s.store.UpdateLetterComment(r.Context(), f.l.ID, f.old.ID, c, f.u)
	if errors.Is(err, store.ErrConflict) {
		return badRequest(errors.New("comments already submitted"))
	}
	if err != nil {
		return err
	}
	s.flash(r, "Comment changed.")
	http.Redirect(w, r, visitHref(f.d)+"/letter/draft/comments/check", http.StatusSeeOther)
	return nil
}

func (s *Server) handleLetterCommentRemove(w http.ResponseWriter, r *http.Request) error {
	p, err := s.commentsOpenFor(r)
	if err != nil {
		return err
	}
	c, err := s.commentFor(r, p)
	if err != nil {
		return err
	}
	err = s.store.DeleteLetterComment(r.Context(), p.l.ID, c.ID)
	if errors.Is(err, store.ErrConflict) {
		return badRequest(errors.New("comments already submitted"))
	}
	if err != nil {
		return err
	}
	s.flash(r, "Comment removed.")
	http.Redirect(w, r, visitHref(p.d)+"/letter/draft", http.StatusSeeOther)
	return nil
}

// commentCheck loads the check page; done reports that the comments were
// already submitted (the caller says so and goes back to the draft).
func (s *Server) commentCheck(r *http.Request) (p letterPage, v pages.CommentCheckView, late, done bool, err error) {
	if p, err = s.commentsOpenFor(r); err != nil {
		return
	}
	ctx := r.Context()
	if _, err = s.store.GetCommentSubmission(ctx, p.l.ID); err == nil {
		return p, v, false, true, nil
	} else if !errors.Is(err, store.ErrNotFound) {
		return
	}
	comments, err := s.store.ListLetterComments(ctx, p.l.ID)
	if err != nil {
		return
	}
	if late, err = letter.CommentsLate(p.plan, london, s.now()); err != nil {
		return
	}
	base := visitHref(p.d) + "/letter/draft"
	v = pages.CommentCheckView{
		Page: s.page(r, "Check your comments before you submit them"), Caption: p.d.Reference + ": draft letter",
		BackHref: base, Action: base + "/comments/check", Due: s.commentsDueWords(p), Late: late,
	}
	for _, c := range comments {
		v.Rows = append(v.Rows, pages.CommentCheckRow{Section: c.Section.Label(), About: c.About.Label(), Body: c.Body, ChangeHref: base + "/comments/" + c.PublicID})
	}
	return p, v, late, false, nil
}

func (s *Server) commentsAlreadySubmitted(w http.ResponseWriter, r *http.Request, p letterPage) error {
	s.flash(r, "Your comments have already been submitted.")
	http.Redirect(w, r, visitHref(p.d)+"/letter/draft", http.StatusSeeOther)
	return nil
}

// GET /visits/{visitID}/letter/draft/comments/check
func (s *Server) handleLetterCommentCheck(w http.ResponseWriter, r *http.Request) error {
	p, v, _, done, err := s.commentCheck(r)
	if err != nil {
		return err
	}
	if done {
		return s.commentsAlreadySubmitted(w, r, p)
	}
	return s.render(w, r, http.StatusOK, pages.CommentCheck(v))
}

// POST /visits/{visitID}/letter/draft/comments/check: submit the comments.
func (s *Server) handleLetterCommentSubmit(w http.ResponseWriter, r *http.Request) error {
	p, v, late, done, err := s.commentCheck(r)
	if err != nil {
		return err
	}
	if done {
		return s.commentsAlreadySubmitted(w, r, p)
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	n, err := s.store.SubmitLetterComments(r.Context(), p.d.ID, p.l.ID, late, p.u)
	switch {
	case errors.Is(err, store.ErrNothingToSubmit):
		v.Errors.Add("comments", "Add at least one comment before you submit")
		v.Page.HasErrors = true
		return s.render(w, r, http.StatusUnprocessableEntity, pages.CommentCheck(v))
	case errors.Is(err, store.ErrConflict):
		s.flash(r, "Your comments have already been submitted.")
	case err != nil:
		return err
	default:
		msg := fmt.Sprintf("%s sent to Ofsted.", pluralWord(n, "comment"))
		if late {
			msg += " They were sent after the last day for comments, so they are marked as late."
		}
		s.flash(r, msg)
	}
	http.Redirect(w, r, letterHref(p.d), http.StatusSeeOther)
	return nil
}

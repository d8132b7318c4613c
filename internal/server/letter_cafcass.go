package server

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"unicode/utf8"

	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/letter"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
	"github.com/ofsted/focusedvisits/web/components"
	"github.com/ofsted/focusedvisits/web/pages"
)

// Cafcass's side of the letter of findings (issue 6): the sent draft and
// its comments, the final letter under embargo, complaints, publication and
// action plans. Cafcass sees a letter only once Ofsted has sent it; before
// that, and for anything internal, it gets what a made-up id gets.

const (
	commentMax   = 5000
	complaintMax = 10000
	responseMax  = 5000
)

func letterHref(d visit.Details) string { return visitHref(d) + "/letter/cafcass" }

// resolveHref is the page for recording the resolution of a complaint.
func resolveHref(d visit.Details, c letter.Complaint) string {
	return visitHref(d) + "/letter/complaints/" + c.PublicID + "/resolve"
}

// publicationOf is where the letter stands on its way to publication, with
// the day it is due (letter.DueDate), from its complaints.
func publicationOf(p letterPage, cs []letter.Complaint) letter.Publication {
	return letter.PublicationOf(p.plan, p.cal, london, p.l.Published(), cs)
}

// sections turns a sent version into the letter's sections, in order,
// leaving out sections with nothing in them.
func sections(c letter.Content) []pages.LetterSectionView {
	var out []pages.LetterSectionView
	for _, sec := range letter.Sections {
		v := pages.LetterSectionView{Code: string(sec), Heading: sec.Label(), Paragraphs: paragraphs(c.Text(sec))}
		for _, k := range letter.Kinds {
			if k.Section() != sec {
				continue
			}
			for _, f := range c.FindingsOf(k) {
				v.Findings = append(v.Findings, pages.FindingView{Kind: k.Label(), Area: f.Area.Label(), Text: f.Text})
			}
		}
		if len(v.Paragraphs) == 0 && len(v.Findings) == 0 {
			continue
		}
		out = append(out, v)
	}
	return out
}

// paragraphs splits a section's text at its line breaks.
func paragraphs(text string) []string {
	var ps []string
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			ps = append(ps, line)
		}
	}
	return ps
}

// milestoneWords is a milestone's date or window, or "" when the plan has
// no such step.
func milestoneWords(p timeline.Plan, code string) string {
	m, ok := p.Milestone(code)
	if !ok {
		return ""
	}
	return milestoneDates(m)
}

// The letter's page.

func (s *Server) handleLetterCafcassShow(w http.ResponseWriter, r *http.Request) error {
	p, err := s.loadLetter(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	base := visitHref(p.d) + "/letter"
	v := pages.LetterCafcassView{
		Page: s.page(r, p.d.Reference+": letter of findings"), Header: s.letterHeader(p), IsCafcass: p.cafcass(),
		PriorityPlans: p.d.PriorityAction,
	}
	var complaints []letter.Complaint
	if p.has && p.l.DraftSent() {
		if complaints, err = s.store.ListComplaints(ctx, p.l.ID); err != nil {
			return err
		}
	}
	status := publicationOf(p, complaints).StatusOn(s.today())
	switch {
	case !p.has || !p.l.DraftSent():
		v.NoLetter, v.Status, v.StatusColour = true, "No letter yet", "grey"
	case !p.l.FinalSent():
		v.Status, v.StatusColour = "Draft letter sent for comments", "blue"
	default:
		v.Status, v.StatusColour = status.Label(), map[letter.PublicationStatus]string{
			letter.StatusEmbargoed: "purple", letter.StatusHeld: "red", letter.StatusDue: "orange", letter.StatusPublished: "green",
		}[status]
	}
	for _, row := range []struct{ key, code string }{
		{"Draft letter sent", timeline.CodeDraftLetter},
		{"Comments on the draft", timeline.CodeComments},
		{"Final letter sent", timeline.CodeFinalLetter},
		{"Formal complaint", timeline.CodeComplaint},
		{"Publication", timeline.CodePublication},
		{"Draft updated action plan due", timeline.CodeDraftActionPlan},
		{"Updated action plan due", timeline.CodeActionPlan},
	} {
		if words := milestoneWords(p.plan, row.code); words != "" {
			m, _ := p.plan.Milestone(row.code)
			if m.State == timeline.StateActual {
				words += " (done)"
			}
			v.Dates = append(v.Dates, components.SummaryRow{Key: row.key, Value: words})
		}
	}
	if p.has && p.l.DraftSent() {
		v.DraftHref = base + "/draft"
		if p.cafcass() && !p.l.FinalSent() {
			if _, err := s.store.GetCommentSubmission(ctx, p.l.ID); errors.Is(err, store.ErrNotFound) {
				v.CheckHref = base + "/draft/comments/check"
			} else if err != nil {
				return err
			}
		}
		if !p.cafcass() {
			v.CommentsHref = base + "/comments"
		}
	}
	if p.has && p.l.FinalSent() {
		v.FinalHref = base + "/final"
		if p.cafcass() && !p.l.Published() && p.d.Status == visit.Active {
			ok, err := letter.CanComplain(p.plan, london, s.now(), len(complaints))
			if err != nil {
				return err
			}
			if ok {
				v.ComplaintHref = base + "/complaint"
			}
		}
	}
	if p.has && p.l.Published() {
		v.PublicHref = publicHref(p.d)
	}
	for _, c := range complaints {
		v.Complaints = append(v.Complaints, s.complaintView(p, c))
	}
	if p.d.PriorityAction {
		items, codes, err := s.store.ListActionPlanItems(ctx, p.d.ID)
		if err != nil {
			return err
		}
		for i, it := range items {
			due := milestoneWords(p.plan, codes[i])
			tag := components.TagParams{Text: it.Status.Label(), Colour: it.Status.Colour()}
			v.ActionPlans = append(v.ActionPlans, components.TaskListItem{
				Title: it.Number + " " + it.Title, Href: itemHref(p.d, it), Hint: "Due by the end of " + due, Status: tag,
			})
		}
	}
	return s.render(w, r, http.StatusOK, pages.LetterCafcass(v))
}

// The sent draft and comments.

// sentDraftFor is sentLetterFor for the draft's pages: without a draft
// sent, there is nothing to see, exactly as for a made-up visit.
func (s *Server) sentDraftFor(r *http.Request) (letterPage, error) {
	p, err := s.loadLetter(r)
	if err != nil {
		return p, err
	}
	if !p.has || !p.l.DraftSent() {
		return p, store.ErrNotFound
	}
	return p, nil
}

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

func (s *Server) commentsDueWords(p letterPage) string {
	due, err := letter.CommentsDue(p.plan, london)
	if err != nil {
		return ""
	}
	return "Comments are due by the end of " + timeline.FormatDate(visit.TodayIn(due, london)) + "."
}

func commentView(c store.LetterComment, withBy bool) pages.CommentView {
	v := pages.CommentView{ID: c.PublicID, About: c.About.Label(), Body: c.Body, Late: c.Late, Response: c.Response}
	if withBy {
		v.By = c.ByName + ", " + c.At.In(london).Format("2 Jan 2006 15:04")
	}
	if c.Responded() {
		v.RespondedBy = c.RespondedBy + ", " + c.RespondedAt.In(london).Format("2 Jan 2006 15:04")
	}
	return v
}

func (s *Server) handleLetterDraftShow(w http.ResponseWriter, r *http.Request) error {
	p, err := s.sentDraftFor(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	content, err := s.store.SentVersion(ctx, p.l.ID, p.l.SentDraftVersion)
	if err != nil {
		return err
	}
	comments, err := s.store.ListLetterComments(ctx, p.l.ID)
	if err != nil {
		return err
	}
	sub, err := s.store.GetCommentSubmission(ctx, p.l.ID)
	submitted := err == nil
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if p.cafcass() {
		if err := s.store.RecordLetterView(ctx, p.d.ID, "Draft letter", p.l.SentDraftVersion, p.u); err != nil {
			return err
		}
	}
	base := visitHref(p.d) + "/letter/draft"
	v := pages.LetterDraftView{
		Page: s.page(r, p.d.Reference+": draft letter"), Header: s.letterHeader(p),
		Version: p.l.SentDraftVersion, CommentsDue: s.commentsDueWords(p),
		CanComment: p.cafcass() && !submitted && !p.l.FinalSent() && p.d.Status == visit.Active,
		CheckHref:  base + "/comments/check",
	}
	if submitted {
		v.Submitted = fmt.Sprintf("%s submitted %s on %s.", sub.ByName, pluralWord(sub.Comments, "comment"), sub.At.In(london).Format("2 Jan 2006 at 15:04"))
		if sub.Late {
			v.Submitted += " They were late."
		}
	}
	v.Sections = sections(content)
	for i := range v.Sections {
		sec := &v.Sections[i]
		if v.CanComment {
			sec.CommentHref = base + "/comments/new?section=" + sec.Code
		}
		for _, c := range comments {
			if string(c.Section) != sec.Code {
				continue
			}
			// Cafcass sees its own comments; Ofsted sees them once submitted.
			if !p.cafcass() && !c.Submitted() {
				continue
			}
			cv := commentView(c, true)
			if v.CanComment {
				cv.ChangeHref = base + "/comments/" + c.PublicID
				cv.RemoveAction = base + "/comments/" + c.PublicID + "/remove"
				v.Drafts++
			}
			if p.cafcass() && !p.l.FinalSent() {
				cv.Response = "" // Cafcass sees the responses with the final letter
				cv.RespondedBy = ""
			}
			sec.Comments = append(sec.Comments, cv)
		}
	}
	return s.render(w, r, http.StatusOK, pages.LetterDraft(v))
}

func commentFormView(s *Server, r *http.Request, p letterPage, content letter.Content, action, heading string, c store.CommentDraft, errs form.Errors) pages.CommentFormView {
	v := pages.CommentFormView{
		Page: s.page(r, heading), Caption: p.d.Reference + ": draft letter", BackHref: visitHref(p.d) + "/letter/draft",
		Action: action, Heading: heading, Body: c.Body, Errors: errs,
	}
	v.Page.HasErrors = errs.Any()
	for _, sec := range sections(content) {
		v.Sections = append(v.Sections, components.Option{Value: sec.Code, Text: sec.Heading, Checked: sec.Code == string(c.Section)})
	}
	for _, a := range store.CommentAbouts {
		v.Abouts = append(v.Abouts, components.Option{Value: string(a), Text: a.Label(), Checked: a == c.About})
	}
	return v
}

// readComment reads and checks a comment form.
func readComment(r *http.Request, content letter.Content) (store.CommentDraft, form.Errors) {
	c := store.CommentDraft{Section: letter.Section(r.PostForm.Get("section")), About: store.CommentAbout(r.PostForm.Get("about")), Body: clean(r.PostForm.Get("body"))}
	var errs form.Errors
	if _, ok := letter.ParseSection(string(c.Section)); !ok || (content.Text(c.Section) == "" && len(findingsIn(content, c.Section)) == 0) {
		errs.Add("section", "Select the section your comment is about")
	}
	switch c.About {
	case store.AboutFindings, store.AboutLetter, store.AboutProcess:
	default:
		errs.Add("about", "Select whether your comment is about the findings, the letter or the inspection process")
	}
	switch {
	case c.Body == "":
		errs.Add("body", "Enter your comment")
	case utf8.RuneCountInString(c.Body) > commentMax:
		errs.Add("body", fmt.Sprintf("Your comment must be %d characters or fewer", commentMax))
	}
	return c, errs
}

func findingsIn(c letter.Content, sec letter.Section) []letter.Finding {
	var fs []letter.Finding
	for _, f := range c.Findings {
		if f.Kind.Section() == sec {
			fs = append(fs, f)
		}
	}
	return fs
}

// commentForm is what the comment form pages load: the letter (comments
// open), the sent draft, and the old comment when one is changed.
type commentForm struct {
	letterPage
	content letter.Content
	old     store.LetterComment
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

func (s *Server) renderCommentForm(w http.ResponseWriter, r *http.Request, f commentForm, c store.CommentDraft, errs form.Errors) error {
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
	return s.renderCommentForm(w, r, f, store.CommentDraft{Section: letter.Section(r.URL.Query().Get("section"))}, nil)
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
	c, errs := readComment(r, f.content)
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

func (s *Server) commentFor(r *http.Request, p letterPage) (store.LetterComment, error) {
	id, ok := publicIDParam(r, "commentID")
	if !ok {
		return store.LetterComment{}, store.ErrNotFound
	}
	return s.store.GetLetterCommentByPublicID(r.Context(), p.l.ID, id)
}

// GET /visits/{visitID}/letter/draft/comments/{commentID}
func (s *Server) handleLetterCommentEdit(w http.ResponseWriter, r *http.Request) error {
	f, err := s.loadCommentForm(r, true)
	if err != nil {
		return err
	}
	return s.renderCommentForm(w, r, f, store.CommentDraft{Section: f.old.Section, About: f.old.About, Body: f.old.Body}, nil)
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
	c, errs := readComment(r, f.content)
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

// Ofsted's responses to the comments.

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
	v.Submission = fmt.Sprintf("%s submitted %s on %s", sub.ByName, pluralWord(sub.Comments, "comment"), sub.At.In(london).Format("2 Jan 2006 at 15:04"))
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
	msg := ""
	switch {
	case resp == "":
		msg = "Enter Ofsted’s response"
	case utf8.RuneCountInString(resp) > responseMax:
		msg = fmt.Sprintf("The response must be %d characters or fewer", responseMax)
	}
	if msg != "" {
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

// The final letter.

// sentFinalFor is sentLetterFor for the final letter's pages.
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
		if err := s.store.RecordLetterView(ctx, p.d.ID, "Final letter", p.l.FinalVersion, p.u); err != nil {
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

// Complaints.

func (s *Server) complaintView(p letterPage, c letter.Complaint) pages.ComplaintView {
	v := pages.ComplaintView{
		ID: c.PublicID, Received: c.ReceivedAt.In(london).Format("2 Jan 2006 at 15:04"), By: c.ByName, Body: c.Body, InTime: c.InTime,
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
	if !open {
		return s.render(w, r, http.StatusUnprocessableEntity, pages.ComplaintForm(v))
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	v.Body = clean(r.PostForm.Get("body"))
	switch {
	case v.Body == "":
		v.Errors.Add("body", "Enter your complaint")
	case utf8.RuneCountInString(v.Body) > complaintMax:
		v.Errors.Add("body", fmt.Sprintf("Your complaint must be %d characters or fewer", complaintMax))
	}
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
	case utf8.RuneCountInString(v.Resolution) > complaintMax:
		v.Errors.Add("resolution", fmt.Sprintf("The resolution must be %d characters or fewer", complaintMax))
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
			res.PublicationLabel, res.PlannedPublication = m.Label, milestoneDates(m)
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

package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"

	"github.com/ofsted/focusedvisits/internal/letter"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/web/components"
	"github.com/ofsted/focusedvisits/web/pages"
)

// The letter as Cafcass receives it (and Ofsted sees what Cafcass was
// sent): the sent draft and final versions, never internal drafts. A
// Cafcass user reaches only visits whose notice is recorded (visitFor), and
// for anything internal gets what a made-up id gets.

// GET /visits/{visitID}/letter/cafcass: the letter's page for Cafcass.
func (s *Server) handleLetterCafcassShow(w http.ResponseWriter, r *http.Request) error {
	p, err := s.loadLetter(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	base := visitHref(p.d) + "/letter"
	v := pages.LetterCafcassView{
		Page: s.page(r, p.d.Reference+": letter of findings"), Header: s.letterHeader(p), IsCafcass: p.cafcass(),
	}
	// Only a final letter sent says for certain that there is an area for
	// priority action; while the draft is out, the draft is what has one.
	if p.d.PriorityAction && p.has {
		v.PriorityPlans = p.l.FinalSent()
		v.PriorityDraft = p.l.DraftSent() && !p.l.FinalSent()
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
	v.Dates = letterDates(p.plan)
	if p.has && p.l.DraftSent() {
		v.DraftHref = base + "/draft"
		if letter.MayDo(letter.Comment, p.actor) && !p.l.FinalSent() {
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
		if letter.MayDo(letter.Complain, p.actor) && !p.l.Published() && p.d.Status == visit.Active {
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
	if v.PriorityPlans {
		if v.ActionPlans, err = s.actionPlanTasks(ctx, p); err != nil {
			return err
		}
	}
	return s.render(w, r, http.StatusOK, pages.LetterCafcass(v))
}

// letterDates are the letter's dates on Cafcass's page, each marked when done.
func letterDates(plan timeline.Plan) []components.SummaryRow {
	var rows []components.SummaryRow
	for _, row := range []struct{ key, code string }{
		{"Draft letter sent", timeline.CodeDraftLetter},
		{"Comments on the draft", timeline.CodeComments},
		{"Final letter sent", timeline.CodeFinalLetter},
		{"Formal complaint", timeline.CodeComplaint},
		{"Publication", timeline.CodePublication},
		{"Draft updated action plan due", timeline.CodeDraftActionPlan},
		{"Updated action plan due", timeline.CodeActionPlan},
	} {
		if words := milestoneWords(plan, row.code); words != "" {
			m, _ := plan.Milestone(row.code)
			if m.State == timeline.StateActual {
				words += " (done)"
			}
			rows = append(rows, components.SummaryRow{Key: row.key, Value: words})
		}
	}
	return rows
}

// actionPlanTasks are the action plans Cafcass owes after a letter with an
// area for priority action.
func (s *Server) actionPlanTasks(ctx context.Context, p letterPage) ([]components.TaskListItem, error) {
	items, codes, err := s.store.ListActionPlanItems(ctx, p.d.ID)
	if err != nil {
		return nil, err
	}
	var tasks []components.TaskListItem
	for i, it := range items {
		due := milestoneWords(p.plan, codes[i])
		tag := components.TagParams{Text: it.Status.Label(), Colour: it.Status.Colour()}
		tasks = append(tasks, components.TaskListItem{
			Title: it.Number + " " + it.Title, Href: itemHref(p.d, it), Hint: "Due by the end of " + due, Status: tag,
		})
	}
	return tasks, nil
}

// sentDraftFor is loadLetter for the draft's pages: without a draft
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

func (s *Server) commentsDueWords(p letterPage) string {
	due, err := letter.CommentsDue(p.plan, london)
	if err != nil {
		return ""
	}
	return "Comments are due by the end of " + timeline.FormatDate(visit.TodayIn(due, london)) + "."
}

func commentView(c letter.DraftComment, withBy bool) pages.CommentView {
	v := pages.CommentView{ID: c.PublicID, About: c.About.Label(), Body: c.Body, Late: c.Late, Response: c.Response}
	if withBy {
		v.By = c.ByName + ", " + timeline.FormatTime(c.At)
	}
	if c.Responded() {
		v.RespondedBy = c.RespondedBy + ", " + timeline.FormatTime(c.RespondedAt)
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
		if err := s.store.RecordLetterView(ctx, p.d.ID, visit.DraftLetterRead, p.l.SentDraftVersion, p.u); err != nil {
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
		v.Submitted = fmt.Sprintf("%s submitted %s on %s.", sub.ByName, pluralWord(sub.Comments, "comment"), timeline.FormatTime(sub.At))
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

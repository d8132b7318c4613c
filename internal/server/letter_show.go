package server

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/letter"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/web/components"
	"github.com/ofsted/focusedvisits/web/pages"
)

// The letter's page on Ofsted's side: where it stands, what may be done
// next (letter.Next and letter.Check), and submitting or sending it.

// GET /visits/{visitID}/letter
func (s *Server) handleLetterShow(w http.ResponseWriter, r *http.Request) error {
	p, err := s.loadDraft(r)
	if err != nil {
		return err
	}
	v, err := s.letterShowView(r, p, nil)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, pages.LetterShow(v))
}

func (s *Server) letterShowView(r *http.Request, p letterPage, errs form.Errors) (pages.LetterShowView, error) {
	ctx := r.Context()
	base := p.base()
	l := p.l
	v := pages.LetterShowView{
		Page: s.page(r, p.d.Reference+": letter of findings"), Header: s.letterHeader(p), Errors: errs, Action: base,
		State:          components.TagParams{Text: l.State.Label(), Colour: l.State.Colour()},
		PriorityAction: l.PriorityAction, HasLetter: p.has, Version: l.CurrentVersion,
		EditHref: base + "/edit", VersionsHref: base + "/versions", QAHref: base + "/qa", ModerationHref: base + "/moderation",
		SendDraftDay: timeline.FormatDate(s.today()), SendFinalDay: timeline.FormatDate(s.today()),
	}
	if !p.has {
		v.State = components.TagParams{Text: "Not started", Colour: "grey"}
	}
	if l.SentDraftVersion != 0 {
		v.CommentsHref = base + "/comments"
		v.CafcassHref = base + "/cafcass"
	}
	active := p.d.Status == visit.Active
	next := letter.Next(l, p.actor)
	can := func(a letter.Action) bool {
		for _, x := range next {
			if x == a {
				return active
			}
		}
		return false
	}
	v.CanEdit = can(letter.Save)
	v.CanSubmit = p.has && can(letter.Submit)
	v.CanQA = p.has && (can(letter.Approve) || can(letter.Return))
	v.CanModerate = p.has && (can(letter.Moderate) || can(letter.ModerateReturn))
	facts, err := s.letterFacts(r, p, 0)
	if err != nil {
		return v, err
	}
	if err := s.sendChecks(p, &v, facts, can); err != nil {
		return v, err
	}
	if p.actor.Lead && (l.State == letter.InQA || l.State == letter.InModeration) {
		v.Blocked = "The letter is with " + map[letter.State]string{letter.InQA: "the quality assurance manager", letter.InModeration: "moderation"}[l.State] + ". Saving a change takes it back to drafting."
	}
	if p.has {
		v.Summary = append(letterSummary(p), childrenSummaryRow(p, active))
		qa, err := s.store.ListQAComments(ctx, l.ID)
		if err != nil {
			return v, err
		}
		v.Sections = letterSections(p.cur.Content, qa)
		if err := s.evidenceOnFindings(r, p, v.Sections); err != nil {
			return v, err
		}
		mods, err := s.store.ListModerations(ctx, l.ID)
		if err != nil {
			return v, err
		}
		v.Moderations = moderationRows(mods, p.plan)
	}
	return v, nil
}

// sendChecks says whether the draft or the final may be sent now, and if
// not, why (letter.Check), with when the final may be sent while the
// comment window is open.
func (s *Server) sendChecks(p letterPage, v *pages.LetterShowView, facts letter.Facts, can func(letter.Action) bool) error {
	if can(letter.SendDraft) {
		if _, err := letter.Check(p.l, letter.SendDraft, p.actor, facts); err == nil {
			v.CanSendDraft = true
		} else {
			v.Blocked = err.Error()
		}
	}
	if can(letter.SendFinal) {
		if _, err := letter.Check(p.l, letter.SendFinal, p.actor, facts); err == nil {
			v.CanSendFinal = true
		} else if m, ok := p.plan.Milestone(timeline.CodeComments); ok && !facts.CommentWindowClosed {
			from, cerr := p.cal.Next(m.Last())
			if cerr != nil {
				return cerr
			}
			v.Blocked = fmt.Sprintf("%s. The comments are due by %s; you can send the final letter from %s.", err.Error(), timeline.FormatDate(m.Last()), timeline.FormatDate(from))
		} else {
			v.Blocked = err.Error() + "."
		}
	}
	return nil
}

// childrenSummaryRow says whether the summary for children and young
// people is written, with a link for the lead inspector to write it while
// they may (letter.WriteSummary).
func childrenSummaryRow(p letterPage, active bool) components.SummaryRow {
	row := components.SummaryRow{Key: letter.SummaryHeading, Value: "Not written yet: required before the letter is published"}
	if p.l.HasSummary() {
		row.Value = p.l.ChildrenSummary
	}
	if _, err := letter.Check(p.l, letter.WriteSummary, p.actor, letter.Facts{}); err == nil && active {
		row.ActionHref, row.ActionText = summaryHref(p), "Write"
		if p.l.HasSummary() {
			row.ActionText = "Change"
		}
	}
	return row
}

// letterSummary is the summary list of the letter's versions that matter.
func letterSummary(p letterPage) []components.SummaryRow {
	l := p.l
	rows := []components.SummaryRow{
		{Key: "Current version", Value: fmt.Sprintf("Version %d, saved by %s, %s", l.CurrentVersion, p.cur.AuthorName, timeWords(p.cur.CreatedAt))},
	}
	switch {
	case l.Approved():
		rows = append(rows, components.SummaryRow{Key: "QA approval", Value: fmt.Sprintf("Version %d, approved by %s, %s", l.ApprovedVersion, l.ApprovedBy, timeWords(l.ApprovedAt))})
	case l.ApprovedVersion != 0:
		rows = append(rows, components.SummaryRow{Key: "QA approval", Value: fmt.Sprintf("Lapsed: version %d was approved, the text has changed since", l.ApprovedVersion)})
	}
	if l.SentDraftVersion != 0 {
		rows = append(rows, components.SummaryRow{Key: "Draft sent", Value: fmt.Sprintf("Version %d, %s", l.SentDraftVersion, timeWords(l.DraftSentAt))})
	}
	if l.FinalVersion != 0 {
		rows = append(rows, components.SummaryRow{Key: "Final sent", Value: fmt.Sprintf("Version %d, %s", l.FinalVersion, timeWords(l.FinalSentAt))})
	}
	return rows
}

// POST /visits/{visitID}/letter: submit for QA, send the draft, send the
// final.
func (s *Server) handleLetterUpdate(w http.ResponseWriter, r *http.Request) error {
	p, err := s.draftForChange(w, r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	version := formVersion(r.PostForm.Get("version"))
	action, ok := map[string]letter.Action{"submit": letter.Submit, "send-draft": letter.SendDraft, "send-final": letter.SendFinal}[r.PostForm.Get("action")]
	if !ok {
		return badRequest(fmt.Errorf("unknown letter action %q", r.PostForm.Get("action")))
	}
	fail := func(fe form.FieldError) error {
		if p2, err := s.loadDraft(r); err == nil {
			p = p2
		}
		v, err := s.letterShowView(r, p, form.Errors{fe})
		if err != nil {
			return err
		}
		return s.render(w, r, http.StatusUnprocessableEntity, pages.LetterShow(v))
	}
	facts, err := s.letterFacts(r, p, version)
	if err != nil {
		return err
	}
	to, err := letter.Check(p.l, action, p.actor, facts)
	if err != nil {
		if fe, ok := refusal(err); ok {
			if !letter.MayDo(action, p.actor) {
				return forbidden(err)
			}
			return fail(fe)
		}
		return err
	}
	m := store.LetterMove{Action: action, From: p.l.State, To: to, Version: p.l.CurrentVersion}
	var msg string
	switch action {
	case letter.Submit:
		err = s.store.MoveLetter(ctx, p.d.ID, m, p.u)
		msg = fmt.Sprintf("Version %d submitted for QA.", p.l.CurrentVersion)
	case letter.SendDraft:
		err = s.store.SendDraftLetter(ctx, p.d.ID, m, s.today(), p.u)
		msg = fmt.Sprintf("Version %d sent to Cafcass as the draft letter.", p.l.CurrentVersion)
	case letter.SendFinal:
		err = s.store.SendFinalLetter(ctx, p.d.ID, m, s.today(), p.u)
		msg = fmt.Sprintf("Version %d sent to Cafcass as the final letter, under embargo.", p.l.CurrentVersion)
	}
	if errors.Is(err, store.ErrConflict) {
		return fail(errLetterChanged)
	}
	if err != nil {
		return err
	}
	s.flash(r, msg)
	http.Redirect(w, r, p.base(), http.StatusSeeOther)
	return nil
}

// letterSections is the version's text for the letter pages, with the QA
// comments attached to each section when given.
func letterSections(c letter.Content, comments []letter.QAComment) []pages.LetterSection {
	var out []pages.LetterSection
	for _, sec := range letter.Sections {
		ps := pages.LetterSection{Code: string(sec), Heading: sec.Label(), Text: c.Text(sec)}
		for _, k := range letter.Kinds {
			if k.Section() != sec {
				continue
			}
			for _, f := range c.FindingsOf(k) {
				ps.Findings = append(ps.Findings, pages.LetterFinding{ID: f.ID, Kind: f.Kind.Label(), Area: f.Area.Label(), Text: f.Text})
			}
		}
		for _, qc := range comments {
			if qc.Section == sec {
				ps.Comments = append(ps.Comments, qaCommentView(qc))
			}
		}
		out = append(out, ps)
	}
	return out
}

func qaCommentView(c letter.QAComment) pages.LetterQAComment {
	return pages.LetterQAComment{ID: c.ID, Version: c.Version, Section: c.Section.Label(), Comment: c.Comment, By: c.ByName, At: timeWords(c.At), Resolved: c.Resolved(), ResolvedBy: c.ResolvedBy}
}

package server

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/letter"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
	"github.com/ofsted/focusedvisits/web/components"
	"github.com/ofsted/focusedvisits/web/pages"
)

// The letter of findings, Ofsted's side: drafting, versions, QA and
// moderation, sending the draft and the final. Every route here is
// ofstedOnly and goes through visitFor, so Cafcass gets the same answer for
// a real visit as for one that does not exist, and never sees drafts, QA
// comments or moderation notes.

// letterPage is what every letter page loads, on either side: the visit
// (visitFor: a visit the user may not see is not found), its dates, the
// user as the letter's rules see them, and the letter. It changes nothing:
// publication and the action plans are the jobs' and the final letter's
// work (DOMAIN decision 16).
type letterPage struct {
	d     visit.Details
	u     user.User
	actor letter.Actor
	cal   *workday.Calendar
	plan  timeline.Plan
	l     letter.Letter // State Drafting and ID 0 when nothing has been saved
	has   bool          // a version has been saved
	// cur is the current version, for Ofsted's pages only (loadDraft).
	cur letter.Version
}

func (p letterPage) cafcass() bool { return p.actor.Cafcass }

func (s *Server) loadLetter(r *http.Request) (letterPage, error) {
	d, err := s.visitFor(r)
	if err != nil {
		return letterPage{}, err
	}
	ctx := r.Context()
	u, _ := currentUser(ctx)
	p := letterPage{d: d, u: u, actor: letter.ActorFor(u, d)}
	if p.cal, err = s.calendar(ctx); err != nil {
		return p, err
	}
	if p.plan, err = d.Dates(p.cal, london); err != nil {
		return p, err
	}
	p.l, err = s.store.GetLetter(ctx, d.ID)
	switch {
	case errors.Is(err, store.ErrNotFound):
		p.l = letter.Letter{VisitID: d.ID, State: letter.Drafting}
	case err != nil:
		return p, err
	}
	p.has = p.l.CurrentVersion > 0
	return p, nil
}

// loadDraft is loadLetter with the current version, for Ofsted's pages.
func (s *Server) loadDraft(r *http.Request) (letterPage, error) {
	p, err := s.loadLetter(r)
	if err != nil {
		return p, err
	}
	if p.cafcass() {
		// Routes here are ofstedOnly; this is the second lock.
		return letterPage{}, store.ErrNotFound
	}
	if p.has {
		p.cur, err = s.store.GetLetterVersion(r.Context(), p.l.ID, p.l.CurrentVersion)
	}
	return p, err
}

func (p letterPage) base() string { return visitHref(p.d) + "/letter" }

func (s *Server) letterHeader(p letterPage) pages.VisitHeader {
	return visitHeader(p.d, p.plan, s.today(), p.u, "letter")
}

// facts gathers what letter.Check needs for an action on the current
// version.
func (s *Server) letterFacts(r *http.Request, p letterPage, version int) (letter.Facts, error) {
	f := letter.Facts{Current: p.cur.Content, Version: version}
	if p.l.ID != 0 {
		authors, err := s.store.LetterAuthors(r.Context(), p.l.ID)
		if err != nil {
			return f, err
		}
		f.Authors = authors
		if f.PriorityActionModerated, err = s.priorityActionModerated(r, p); err != nil {
			return f, err
		}
		comments, err := s.store.ListLetterComments(r.Context(), p.l.ID)
		if err != nil {
			return f, err
		}
		for _, c := range comments {
			if c.Submitted() && !c.Responded() {
				f.Unanswered++
			}
		}
	}
	if m, ok := p.plan.Milestone(timeline.CodeComments); ok {
		f.CommentWindowClosed = !m.Last().IsZero() && m.Last().Before(s.today())
	}
	return f, nil
}

// priorityActionModerated says the current version's areas for priority
// action are word for word those of the version last moderated.
func (s *Server) priorityActionModerated(r *http.Request, p letterPage) (bool, error) {
	if p.l.ModeratedVersion == 0 {
		return false, nil
	}
	if p.l.ModeratedVersion == p.l.CurrentVersion {
		return true, nil
	}
	m, err := s.store.GetLetterVersion(r.Context(), p.l.ID, p.l.ModeratedVersion)
	if err != nil {
		return false, err
	}
	return m.Content.FindingsText(letter.KindPriorityAction) == p.cur.Content.FindingsText(letter.KindPriorityAction), nil
}

func timeWords(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(london).Format("Mon 2 Jan 2006 at 15:04")
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
				ps.Findings = append(ps.Findings, pages.LetterFinding{Kind: f.Kind.Label(), Area: f.Area.Label(), Text: f.Text})
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

func moderationRows(ms []letter.Moderation, plan timeline.Plan) []pages.LetterModerationRow {
	var out []pages.LetterModerationRow
	for _, m := range ms {
		row := pages.LetterModerationRow{Version: m.Version, Outcome: m.Outcome.Label(), Notes: m.Notes, By: m.ByName, At: timeWords(m.At)}
		for _, dc := range m.DateChanges {
			label := dc.Code
			if ms, ok := plan.Milestone(dc.Code); ok {
				label = ms.Label
			}
			w := label + ": " + timeline.FormatDate(dc.New)
			if !dc.Old.IsZero() {
				w += " (was " + timeline.FormatDate(dc.Old) + ")"
			}
			row.Dates = append(row.Dates, w)
		}
		if m.CEOToldMethod != "" {
			row.CEOTold = m.CEOToldMethod.Label() + ", " + timeWords(m.CEOToldAt)
		}
		out = append(out, row)
	}
	return out
}

// refusal turns a refused move into the error summary's line.
func refusal(err error) (form.FieldError, bool) {
	var te *letter.TransitionError
	if errors.As(err, &te) {
		return form.FieldError{Field: "letter-state", Message: te.Reason}, true
	}
	return form.FieldError{}, false
}

var errLetterChanged = form.FieldError{Field: "letter-state", Message: "Someone else changed the letter at the same time: check it again"}

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
	if can(letter.SendDraft) {
		if _, err := letter.Check(l, letter.SendDraft, p.actor, facts); err == nil {
			v.CanSendDraft = true
		} else {
			v.Blocked = err.Error()
		}
	}
	if can(letter.SendFinal) {
		if _, err := letter.Check(l, letter.SendFinal, p.actor, facts); err == nil {
			v.CanSendFinal = true
		} else if m, ok := p.plan.Milestone(timeline.CodeComments); ok && !facts.CommentWindowClosed {
			cal, cerr := s.calendar(r.Context())
			if cerr != nil {
				return v, cerr
			}
			from, cerr := cal.Next(m.Last())
			if cerr != nil {
				return v, cerr
			}
			v.Blocked = fmt.Sprintf("%s. The comments are due by %s; you can send the final letter from %s.", err.Error(), timeline.FormatDate(m.Last()), timeline.FormatDate(from))
		} else {
			v.Blocked = err.Error() + "."
		}
	}
	if p.actor.Lead && (l.State == letter.InQA || l.State == letter.InModeration) {
		v.Blocked = "The letter is with " + map[letter.State]string{letter.InQA: "the quality assurance manager", letter.InModeration: "moderation"}[l.State] + ". Saving a change takes it back to drafting."
	}
	if p.has {
		v.Summary = []components.SummaryRow{
			{Key: "Current version", Value: fmt.Sprintf("Version %d, saved by %s, %s", l.CurrentVersion, p.cur.AuthorName, timeWords(p.cur.CreatedAt))},
		}
		switch {
		case l.Approved():
			v.Summary = append(v.Summary, components.SummaryRow{Key: "QA approval", Value: fmt.Sprintf("Version %d, approved by %s, %s", l.ApprovedVersion, l.ApprovedBy, timeWords(l.ApprovedAt))})
		case l.ApprovedVersion != 0:
			v.Summary = append(v.Summary, components.SummaryRow{Key: "QA approval", Value: fmt.Sprintf("Lapsed: version %d was approved, the text has changed since", l.ApprovedVersion)})
		}
		if l.SentDraftVersion != 0 {
			v.Summary = append(v.Summary, components.SummaryRow{Key: "Draft sent", Value: fmt.Sprintf("Version %d, %s", l.SentDraftVersion, timeWords(l.DraftSentAt))})
		}
		if l.FinalVersion != 0 {
			v.Summary = append(v.Summary, components.SummaryRow{Key: "Final sent", Value: fmt.Sprintf("Version %d, %s", l.FinalVersion, timeWords(l.FinalSentAt))})
		}
		qa, err := s.store.ListQAComments(ctx, l.ID)
		if err != nil {
			return v, err
		}
		v.Sections = letterSections(p.cur.Content, qa)
		mods, err := s.store.ListModerations(ctx, l.ID)
		if err != nil {
			return v, err
		}
		v.Moderations = moderationRows(mods, p.plan)
	}
	return v, nil
}

// POST /visits/{visitID}/letter: submit for QA, send the draft, send the
// final.
func (s *Server) handleLetterUpdate(w http.ResponseWriter, r *http.Request) error {
	p, err := s.loadDraft(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	if p.d.Status != visit.Active {
		return badRequest(errors.New("the visit is cancelled"))
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

// letterInput is what the edit form carries.
type letterInput struct {
	Base     int
	Sections map[letter.Section]string
	Findings []findingInput
}

type findingInput struct {
	Kind, Area, Text string
}

func (in letterInput) blankFinding(i int) bool {
	f := in.Findings[i]
	return f.Kind == "" && f.Area == "" && f.Text == ""
}

// valid drops the blank findings from the form (so that the n-th finding
// of the form is the n-th of the content) and returns the content with
// what is wrong with it (letter.Content.Validate).
func (in *letterInput) valid() (letter.Content, form.Errors) {
	c := letter.Content{Sections: map[letter.Section]string{}}
	for _, sec := range letter.Sections {
		if t := in.Sections[sec]; t != "" {
			c.Sections[sec] = t
		}
	}
	kept := in.Findings[:0]
	for i, f := range in.Findings {
		if in.blankFinding(i) {
			continue
		}
		kept = append(kept, f)
		c.Findings = append(c.Findings, letter.Finding{Kind: letter.Kind(f.Kind), Area: letter.Area(f.Area), Text: f.Text})
	}
	in.Findings = kept
	errs := c.Validate()
	if len(in.Findings) == 0 {
		in.Findings = append(in.Findings, findingInput{})
	}
	return c, errs
}

// maxFindings bounds the findings a form may carry.
const maxFindings = 60

func readLetterForm(r *http.Request) letterInput {
	in := letterInput{Sections: map[letter.Section]string{}}
	in.Base = formVersion(r.PostForm.Get("base_version"))
	for _, sec := range letter.Sections {
		in.Sections[sec] = clean(r.PostForm.Get("section-" + string(sec)))
	}
	n, _ := strconv.Atoi(r.PostForm.Get("findings"))
	n = min(max(n, 0), maxFindings)
	for i := 1; i <= n; i++ {
		k := strconv.Itoa(i)
		in.Findings = append(in.Findings, findingInput{
			Kind: r.PostForm.Get("finding-kind-" + k), Area: r.PostForm.Get("finding-area-" + k),
			Text: clean(r.PostForm.Get("finding-text-" + k)),
		})
	}
	return in
}

func inputFrom(v letter.Version) letterInput {
	in := letterInput{Base: v.Number, Sections: map[letter.Section]string{}}
	for sec, t := range v.Sections {
		in.Sections[sec] = t
	}
	for _, f := range v.Findings {
		in.Findings = append(in.Findings, findingInput{Kind: string(f.Kind), Area: string(f.Area), Text: f.Text})
	}
	return in
}

// GET /visits/{visitID}/letter/edit
func (s *Server) handleLetterEdit(w http.ResponseWriter, r *http.Request) error {
	p, err := s.loadDraft(r)
	if err != nil {
		return err
	}
	if _, err := letter.Check(p.l, letter.Save, p.actor, letter.Facts{}); err != nil {
		return forbidden(err)
	}
	in := inputFrom(p.cur)
	if len(in.Findings) == 0 {
		in.Findings = append(in.Findings, findingInput{})
	}
	v, err := s.letterEditView(r, p, in, nil, nil)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, pages.LetterEdit(v))
}

// POST /visits/{visitID}/letter/edit: save a new version, or add or remove
// a finding's fields (which saves nothing and keeps everything typed).
func (s *Server) handleLetterSave(w http.ResponseWriter, r *http.Request) error {
	p, err := s.loadDraft(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	if p.d.Status != visit.Active {
		return badRequest(errors.New("the visit is cancelled"))
	}
	in := readLetterForm(r)
	render := func(status int, errs form.Errors, conflict *letter.Version) error {
		v, err := s.letterEditView(r, p, in, errs, conflict)
		if err != nil {
			return err
		}
		return s.render(w, r, status, pages.LetterEdit(v))
	}
	action := r.PostForm.Get("action")
	switch {
	case action == "add-finding":
		if len(in.Findings) < maxFindings {
			in.Findings = append(in.Findings, findingInput{})
		}
		return render(http.StatusOK, nil, nil)
	case strings.HasPrefix(action, "remove-"):
		i, err := strconv.Atoi(strings.TrimPrefix(action, "remove-"))
		if err == nil && i >= 1 && i <= len(in.Findings) {
			in.Findings = append(in.Findings[:i-1], in.Findings[i:]...)
		}
		return render(http.StatusOK, nil, nil)
	}

	c, errs := in.valid()
	to, err := letter.Check(p.l, letter.Save, p.actor, letter.Facts{Current: c})
	if err != nil {
		return forbidden(err)
	}
	if errs.Any() {
		return render(http.StatusUnprocessableEntity, errs, nil)
	}
	if in.Base != p.l.CurrentVersion {
		return s.letterConflict(r, p, render)
	}
	number, err := s.store.SaveLetterVersion(r.Context(), p.d.ID, in.Base, c, to, p.u)
	if errors.Is(err, store.ErrConflict) {
		if p, err = s.loadDraft(r); err != nil {
			return err
		}
		return s.letterConflict(r, p, render)
	}
	if err != nil {
		return err
	}
	msg := fmt.Sprintf("Version %d saved.", number)
	if to != p.l.State && to == letter.Drafting {
		msg += " The letter needs QA again before it is sent."
	}
	s.flash(r, msg)
	http.Redirect(w, r, p.base(), http.StatusSeeOther)
	return nil
}

// letterConflict answers a save whose base is not the current version: 409,
// the user's text kept in the form, the other version's beside it, and the
// form's base moved on so that saving again (after reading theirs) works.
func (s *Server) letterConflict(r *http.Request, p letterPage, render func(int, form.Errors, *letter.Version) error) error {
	theirs := p.cur
	errs := form.Errors{{Field: "section-" + string(letter.Introduction), Message: fmt.Sprintf(
		"%s saved version %d while you were editing. Your changes are not saved yet: compare them with theirs below, then save again",
		theirs.AuthorName, theirs.Number)}}
	return render(http.StatusConflict, errs, &theirs)
}

func (s *Server) letterEditView(r *http.Request, p letterPage, in letterInput, errs form.Errors, conflict *letter.Version) (pages.LetterEditView, error) {
	base := p.base()
	v := pages.LetterEditView{
		Page: s.page(r, p.d.Reference+": edit the letter"), Header: s.letterHeader(p), Errors: errs,
		Action: base + "/edit", CancelHref: base, BaseVersion: in.Base,
	}
	if len(errs) > 0 {
		v.Page.Title = "Error: " + v.Page.Title
	}
	switch p.l.State {
	case letter.InQA:
		v.Note = "The letter is with the quality assurance manager: saving a change takes it back to drafting, and it must be submitted again."
	case letter.Approved, letter.InModeration, letter.Moderated:
		v.Note = "The letter has been approved: saving a change lapses the approval, and it must go through QA again."
	case letter.DraftSent:
		v.Note = fmt.Sprintf("The draft (version %d) has been sent and stays as it was. What you save now becomes the final letter.", p.l.SentDraftVersion)
	}
	var open []letter.QAComment
	if p.l.ID != 0 {
		qa, err := s.store.ListQAComments(r.Context(), p.l.ID)
		if err != nil {
			return v, err
		}
		for _, c := range qa {
			if !c.Resolved() {
				open = append(open, c)
			}
		}
	}
	var started letter.Content
	if conflict != nil {
		v.BaseVersion = conflict.Number
		v.Conflict = &pages.LetterConflict{
			Version: conflict.Number, Author: conflict.AuthorName, At: timeWords(conflict.CreatedAt),
			CompareHref: fmt.Sprintf("%s/compare?a=%d&b=%d", base, max(in.Base, 1), conflict.Number),
		}
		for _, f := range conflict.Findings {
			v.Conflict.Findings = append(v.Conflict.Findings, pages.LetterFinding{Kind: f.Kind.Label(), Area: f.Area.Label(), Text: f.Text})
		}
		if in.Base > 0 {
			if b, err := s.store.GetLetterVersion(r.Context(), p.l.ID, in.Base); err == nil {
				started = b.Content
			}
		}
	}
	for _, sec := range letter.Sections {
		es := pages.LetterEditSection{Code: string(sec), Label: sec.Label(), Value: in.Sections[sec], Error: errs.For("section-" + string(sec))}
		switch sec {
		case letter.Introduction:
			es.Hint = "What the visit looked at, when, and how"
		case letter.PriorityAction:
			es.Hint = "Only when there are serious or widespread weaknesses; add each as a finding below"
		case letter.NextSteps:
			es.Hint = "What Cafcass is asked to do, including its action plan"
		}
		if conflict != nil {
			es.Theirs = conflict.Text(sec)
			es.Changed = es.Theirs != started.Text(sec) || es.Theirs != es.Value
		}
		for _, c := range open {
			if c.Section == sec {
				es.Comments = append(es.Comments, qaCommentView(c))
			}
		}
		v.Sections = append(v.Sections, es)
	}
	for i, f := range in.Findings {
		k := strconv.Itoa(i + 1)
		ef := pages.LetterEditFinding{Index: i + 1, Label: "Finding " + k, Text: f.Text,
			KindError: errs.For("finding-kind-" + k), AreaError: errs.For("finding-area-" + k), TextError: errs.For("finding-text-" + k)}
		ef.Kinds = []components.Option{{Value: "", Text: "Choose a kind", Checked: f.Kind == ""}}
		for _, kd := range letter.Kinds {
			ef.Kinds = append(ef.Kinds, components.Option{Value: string(kd), Text: kd.Label(), Checked: f.Kind == string(kd)})
		}
		ef.Areas = []components.Option{{Value: "", Text: "Choose a practice area", Checked: f.Area == ""}}
		for _, a := range letter.Areas {
			ef.Areas = append(ef.Areas, components.Option{Value: string(a), Text: a.Label(), Checked: f.Area == string(a)})
		}
		v.Findings = append(v.Findings, ef)
	}
	return v, nil
}

// GET /visits/{visitID}/letter/versions
func (s *Server) handleLetterVersions(w http.ResponseWriter, r *http.Request) error {
	p, err := s.loadDraft(r)
	if err != nil {
		return err
	}
	base := p.base()
	v := pages.LetterVersionsView{Page: s.page(r, p.d.Reference+": versions of the letter"), Header: s.letterHeader(p), BackHref: base, Action: base + "/compare", HasVersion: p.has}
	if p.has {
		vs, err := s.store.ListLetterVersions(r.Context(), p.l)
		if err != nil {
			return err
		}
		for _, x := range vs {
			row := pages.LetterVersionRow{Number: x.Number, Author: x.AuthorName, At: timeWords(x.CreatedAt), Marks: x.Marks}
			if x.Number > 1 {
				row.CompareHref = fmt.Sprintf("%s/compare?a=%d&b=%d", base, x.Number-1, x.Number)
			}
			v.Rows = append(v.Rows, row)
			v.Choices = append(v.Choices, components.Option{Value: strconv.Itoa(x.Number), Text: "Version " + strconv.Itoa(x.Number), Checked: x.Number == max(p.l.CurrentVersion-1, 1)})
			v.ChoicesB = append(v.ChoicesB, components.Option{Value: strconv.Itoa(x.Number), Text: "Version " + strconv.Itoa(x.Number), Checked: x.Number == p.l.CurrentVersion})
		}
	}
	return s.render(w, r, http.StatusOK, pages.LetterVersions(v))
}

// GET /visits/{visitID}/letter/compare?a=N&b=M
func (s *Server) handleLetterCompare(w http.ResponseWriter, r *http.Request) error {
	p, err := s.loadDraft(r)
	if err != nil {
		return err
	}
	if !p.has {
		return store.ErrNotFound
	}
	an, ok1 := queryInt(r, "a", 1, math.MaxInt32)
	bn, ok2 := queryInt(r, "b", 1, math.MaxInt32)
	if !ok1 || !ok2 {
		return notFound(errors.New("compare: a and b must be version numbers"))
	}
	ctx := r.Context()
	a, err := s.store.GetLetterVersion(ctx, p.l.ID, an)
	if err != nil {
		return err
	}
	b, err := s.store.GetLetterVersion(ctx, p.l.ID, bn)
	if err != nil {
		return err
	}
	name := func(x letter.Version) string {
		return fmt.Sprintf("Version %d (%s, %s)", x.Number, x.AuthorName, timeWords(x.CreatedAt))
	}
	v := pages.LetterCompareView{
		Page: s.page(r, fmt.Sprintf("%s: compare versions %d and %d", p.d.Reference, an, bn)), Header: s.letterHeader(p),
		BackHref: p.base() + "/versions", A: name(a), B: name(b),
		AName: fmt.Sprintf("Version %d", a.Number), BName: fmt.Sprintf("Version %d", b.Number),
	}
	add := func(heading, x, y string) {
		if x == "" && y == "" {
			return // a section neither version has
		}
		cs := letter.Diff(x, y)
		sec := pages.LetterCompareSection{Heading: heading, Changed: letter.Changed(cs)}
		for _, c := range cs {
			switch c.Op {
			case letter.Same:
				sec.Left = append(sec.Left, pages.LetterDiffChunk{Op: 0, Text: c.Text})
				sec.Right = append(sec.Right, pages.LetterDiffChunk{Op: 0, Text: c.Text})
			case letter.Removed:
				sec.Left = append(sec.Left, pages.LetterDiffChunk{Op: 2, Text: c.Text})
			case letter.Added:
				sec.Right = append(sec.Right, pages.LetterDiffChunk{Op: 1, Text: c.Text})
			}
		}
		v.Changed = v.Changed || sec.Changed
		v.Sections = append(v.Sections, sec)
	}
	for _, sec := range letter.Sections {
		add(sec.Label(), a.Text(sec), b.Text(sec))
		for _, k := range letter.Kinds {
			if k.Section() == sec {
				add(sec.Label()+": findings", a.FindingsText(k), b.FindingsText(k))
			}
		}
	}
	return s.render(w, r, http.StatusOK, pages.LetterCompare(v))
}

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
	return v, nil
}

// POST /visits/{visitID}/letter/qa: approve, or return with comments.
func (s *Server) handleLetterQA(w http.ResponseWriter, r *http.Request) error {
	p, err := s.loadDraft(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	if p.d.Status != visit.Active {
		return badRequest(errors.New("the visit is cancelled"))
	}
	version := formVersion(r.PostForm.Get("version"))
	inputs := map[string]string{}
	var comments []store.NewQAComment
	var errs form.Errors
	for _, sec := range letter.Sections {
		t := clean(r.PostForm.Get("comment-" + string(sec)))
		inputs[string(sec)] = t
		if t == "" {
			continue
		}
		if len([]rune(t)) > commentMax {
			errs.Add("comment-"+string(sec), fmt.Sprintf("Your comment must be %d characters or fewer", commentMax))
		}
		comments = append(comments, store.NewQAComment{Section: sec, Comment: t})
	}
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

func pluralWord(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// moderationInput is what the moderation form carries.
type moderationInput struct {
	Outcome  string
	Notes    string
	Dates    map[string]DateField
	Method   string
	ToldAt   DateField
	ToldTime string
}

func readModerationForm(r *http.Request, plan timeline.Plan) moderationInput {
	in := moderationInput{
		Outcome: r.PostForm.Get("outcome"), Notes: clean(r.PostForm.Get("notes")),
		Dates: map[string]DateField{}, Method: r.PostForm.Get("ceo-method"), ToldAt: dateField(r, "ceo-told"),
		ToldTime: strings.TrimSpace(r.PostForm.Get("ceo-told-time")),
	}
	for _, code := range letter.DateCodes {
		if _, ok := plan.Milestone(code); ok {
			in.Dates[code] = dateField(r, letter.DateField(code))
		}
	}
	return in
}

// valid reads the form into a moderation record: what cannot be read (a
// date or a time that is not one) is the form's to say, the rest
// letter.Moderation.Validate's, in the order of the form.
func (in moderationInput) valid(plan timeline.Plan, now time.Time) (letter.Moderation, form.Errors) {
	mod := letter.Moderation{Outcome: letter.Outcome(in.Outcome), Notes: in.Notes, CEOToldMethod: letter.CEOToldMethod(in.Method)}
	var unread form.Errors
	for _, code := range letter.DateCodes {
		m, ok := plan.Milestone(code)
		f, typed := in.Dates[code]
		if !ok || !typed || f.Blank() {
			continue
		}
		d, msg := f.Parse("The new date of " + lowerFirst(m.Label))
		if msg != "" {
			unread.AddDate(letter.DateField(code), msg)
			continue
		}
		if d != m.First() {
			mod.DateChanges = append(mod.DateChanges, letter.DateChange{Code: code, Label: m.Label, Old: m.First(), New: d})
		}
	}
	if !in.ToldAt.Blank() {
		day, msg := in.ToldAt.Parse("The date the chief executive was told")
		hh, mm := 9, 0
		if t, err := time.Parse("15:04", in.ToldTime); err == nil {
			hh, mm = t.Hour(), t.Minute()
		} else if in.ToldTime != "" && msg == "" {
			unread.Add("ceo-told-time", "Enter a time like 14:30")
		}
		if msg != "" {
			unread.AddDate("ceo-told", msg)
		} else {
			mod.CEOToldAt = time.Date(day.Year(), day.Month(), day.Day(), hh, mm, 0, 0, london)
		}
	}
	// The form's fields, in order: a field the form could not read has
	// that error, not the rules'.
	fields := []string{"outcome", "notes"}
	for _, code := range letter.DateCodes {
		fields = append(fields, letter.DateField(code))
	}
	fields = append(fields, "ceo-method", "ceo-told", "ceo-told-time")
	ruled := mod.Validate(now)
	var errs form.Errors
	for _, f := range fields {
		mine := unread.For(f) != ""
		for _, e := range append(unread, ruled...) {
			if e.Field == f && (mine == slices.Contains(unread, e)) {
				errs = append(errs, e)
			}
		}
	}
	return mod, errs
}

// GET /visits/{visitID}/letter/moderation
func (s *Server) handleLetterModerationShow(w http.ResponseWriter, r *http.Request) error {
	p, err := s.loadDraft(r)
	if err != nil {
		return err
	}
	v, err := s.letterModerationView(r, p, moderationInput{Dates: map[string]DateField{}}, nil, nil)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, pages.LetterModeration(v))
}

func (s *Server) letterModerationView(r *http.Request, p letterPage, in moderationInput, errs form.Errors, dateErrs map[string]string) (pages.LetterModerationView, error) {
	v := pages.LetterModerationView{
		Page: s.page(r, p.d.Reference+": moderate the letter"), Header: s.letterHeader(p), Errors: errs,
		Action: p.base() + "/moderation", BackHref: p.base(), Version: p.l.CurrentVersion, Notes: in.Notes,
		ToldAt: pages.LetterDateInput{Day: in.ToldAt.Day, Month: in.ToldAt.Month, Year: in.ToldAt.Year}, ToldTime: in.ToldTime,
		Sections: letterSections(p.cur.Content, nil),
	}
	if len(errs) > 0 {
		v.Page.Title = "Error: " + v.Page.Title
	}
	for _, o := range []letter.Outcome{letter.Agreed, letter.ChangesNeeded} {
		v.Outcomes = append(v.Outcomes, components.Option{Value: string(o), Text: o.Label(), Checked: in.Outcome == string(o)})
	}
	for _, m := range letter.CEOToldMethods {
		v.Methods = append(v.Methods, components.Option{Value: string(m), Text: m.Label(), Checked: in.Method == string(m)})
	}
	for _, code := range letter.DateCodes {
		m, ok := p.plan.Milestone(code)
		if !ok {
			continue
		}
		f := in.Dates[code]
		v.Dates = append(v.Dates, pages.LetterModerationDate{Code: code, Label: m.Label, Planned: milestoneDates(m),
			Input: pages.LetterDateInput{Day: f.Day, Month: f.Month, Year: f.Year}, Error: dateErrs[code]})
	}
	if p.l.ID != 0 {
		mods, err := s.store.ListModerations(r.Context(), p.l.ID)
		if err != nil {
			return v, err
		}
		v.Earlier = moderationRows(mods, p.plan)
	}
	facts, err := s.letterFacts(r, p, 0)
	if err != nil {
		return v, err
	}
	if _, err := letter.Check(p.l, letter.Moderate, p.actor, facts); err == nil {
		v.CanModerate = p.d.Status == visit.Active
	} else {
		v.Blocked = err.Error()
	}
	return v, nil
}

// POST /visits/{visitID}/letter/moderation
func (s *Server) handleLetterModeration(w http.ResponseWriter, r *http.Request) error {
	p, err := s.loadDraft(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	if p.d.Status != visit.Active {
		return badRequest(errors.New("the visit is cancelled"))
	}
	if !letter.MayDo(letter.Moderate, p.actor) {
		return forbidden(errors.New("not the visit's moderator"))
	}
	version := formVersion(r.PostForm.Get("version"))
	in := readModerationForm(r, p.plan)
	mod, errs := in.valid(p.plan, s.now())
	dateErrs := map[string]string{}
	for _, code := range letter.DateCodes {
		if msg := errs.For(letter.DateField(code)); msg != "" {
			dateErrs[code] = msg
		}
	}
	fail := func(errs form.Errors, status int) error {
		v, err := s.letterModerationView(r, p, in, errs, dateErrs)
		if err != nil {
			return err
		}
		return s.render(w, r, status, pages.LetterModeration(v))
	}
	if errs.Any() {
		return fail(errs, http.StatusUnprocessableEntity)
	}
	action := mod.Outcome.Action()
	facts, err := s.letterFacts(r, p, version)
	if err != nil {
		return err
	}
	to, err := letter.Check(p.l, action, p.actor, facts)
	if err != nil {
		if !letter.MayDo(action, p.actor) {
			return forbidden(err)
		}
		fe, _ := refusal(err)
		return fail(form.Errors{fe}, http.StatusUnprocessableEntity)
	}
	m := store.LetterMove{Action: action, From: p.l.State, To: to, Version: p.l.CurrentVersion}
	err = s.store.RecordModeration(r.Context(), p.d.ID, m, mod, p.u)
	if errors.Is(err, store.ErrConflict) {
		return fail(form.Errors{errLetterChanged}, http.StatusConflict)
	}
	if err != nil {
		return err
	}
	msg := "Moderation recorded: " + lowerFirst(mod.Outcome.Label()) + "."
	if n := len(mod.DateChanges); n > 0 {
		msg += fmt.Sprintf(" %s moved on the timeline.", pluralWord(n, "date"))
	}
	s.flash(r, msg)
	http.Redirect(w, r, p.base(), http.StatusSeeOther)
	return nil
}

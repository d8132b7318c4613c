package server

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/letter"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/web/components"
	"github.com/ofsted/focusedvisits/web/pages"
)

// Editing the letter: every save is a new version.

// letterInput is what the edit form carries.
type letterInput struct {
	Base     int
	Sections map[letter.Section]string
	Findings []findingInput
}

type findingInput struct {
	// ID is the finding's public id, carried from the version edited so
	// that the finding keeps it (and what is linked to it); "" for a new
	// finding. The store keeps only ids of the version edited.
	ID               string
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
		c.Findings = append(c.Findings, letter.Finding{ID: f.ID, Kind: letter.Kind(f.Kind), Area: letter.Area(f.Area), Text: f.Text})
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
			ID:   clean(r.PostForm.Get("finding-id-" + k)),
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
		in.Findings = append(in.Findings, findingInput{ID: f.ID, Kind: string(f.Kind), Area: string(f.Area), Text: f.Text})
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
	p, err := s.draftForChange(w, r)
	if err != nil {
		return err
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

// editNote says what saving does to the letter where it stands.
func editNote(l letter.Letter) string {
	switch l.State {
	case letter.InQA:
		return "The letter is with the quality assurance manager: saving a change takes it back to drafting, and it must be submitted again."
	case letter.Approved, letter.InModeration, letter.Moderated:
		return "The letter has been approved: saving a change lapses the approval, and it must go through QA again."
	case letter.DraftSent:
		return fmt.Sprintf("The draft (version %d) has been sent and stays as it was. What you save now becomes the final letter.", l.SentDraftVersion)
	}
	return ""
}

// editFindings are the finding fields of the edit form, with their errors.
func editFindings(in letterInput, errs form.Errors) []pages.LetterEditFinding {
	var out []pages.LetterEditFinding
	for i, f := range in.Findings {
		k := strconv.Itoa(i + 1)
		ef := pages.LetterEditFinding{Index: i + 1, ID: f.ID, Label: "Finding " + k, Text: f.Text,
			KindError: errs.For(letter.FindingField("kind", i+1)), AreaError: errs.For(letter.FindingField("area", i+1)), TextError: errs.For(letter.FindingField("text", i+1))}
		ef.Kinds = []components.Option{{Value: "", Text: "Choose a kind", Checked: f.Kind == ""}}
		for _, kd := range letter.Kinds {
			ef.Kinds = append(ef.Kinds, components.Option{Value: string(kd), Text: kd.Label(), Checked: f.Kind == string(kd)})
		}
		ef.Areas = []components.Option{{Value: "", Text: "Choose a practice area", Checked: f.Area == ""}}
		for _, a := range letter.Areas {
			ef.Areas = append(ef.Areas, components.Option{Value: string(a), Text: a.Label(), Checked: f.Area == string(a)})
		}
		out = append(out, ef)
	}
	return out
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
	v.Note = editNote(p.l)
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
		es := pages.LetterEditSection{Code: string(sec), Label: sec.Label(), Value: in.Sections[sec], Error: errs.For(letter.SectionField(sec))}
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
	v.Findings = editFindings(in, errs)
	return v, nil
}

package server

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/letter"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
	"github.com/ofsted/focusedvisits/web/pages"
)

// Every page of the letter of findings, on Ofsted's side and Cafcass's,
// starts from one letterPage: the visit (visitFor, so Cafcass gets the same
// answer for a real visit as for one that does not exist), its plan, the
// user as the letter's rules see them (letter.ActorFor) and the letter.

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
	// header is the top of the page, with the letter's tab (visitPage).
	header pages.VisitHeader
	l      letter.Letter // State Drafting and ID 0 when nothing has been saved
	has    bool          // a version has been saved
	// cur is the current version, for Ofsted's pages only (loadDraft).
	cur letter.Version
}

func (p letterPage) cafcass() bool { return p.actor.Cafcass }

func (s *Server) loadLetter(r *http.Request) (letterPage, error) {
	vp, err := s.visitPage(r, "letter")
	if err != nil {
		return letterPage{}, err
	}
	d, ctx := vp.d, r.Context()
	p := letterPage{d: d, u: vp.u, actor: letter.ActorFor(vp.u, d), cal: vp.cal, plan: vp.plan, header: vp.header}
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

// draftForChange is loadDraft for the POST routes that change the letter:
// the form read, and a cancelled visit refused.
func (s *Server) draftForChange(w http.ResponseWriter, r *http.Request) (letterPage, error) {
	p, err := s.loadDraft(r)
	if err != nil {
		return p, err
	}
	if err := parseForm(w, r); err != nil {
		return p, err
	}
	if p.d.Status != visit.Active {
		return p, badRequest(errors.New("the visit is cancelled"))
	}
	return p, nil
}

func (p letterPage) base() string { return visitHref(p.d) + "/letter" }

func (s *Server) letterHeader(p letterPage) pages.VisitHeader {
	return p.header
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
	return timeline.FormatTime(t)
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

func pluralWord(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}

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

package server

import (
	"errors"
	"net/http"
	"regexp"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/ofsted/focusedvisits/internal/letter"
	"github.com/ofsted/focusedvisits/internal/publication"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/web/pages"
)

// Publication: a letter is published on its publication date unless a
// complaint in time holds it (decision 6). There is no scheduler: the
// letter is published the first time anyone asks for it, or for the public
// list, on or after that date. The public pages read only the published
// copies (store.Publication), so nothing unpublished can reach them.

// publicationSlug is the published letter's address under /letters/.
func publicationSlug(d visit.Details) string {
	return "focused-visit-" + strings.ToLower(d.Reference)
}

// slugPattern is what a published letter's address looks like (the
// publications table checks the same); anything else names no letter.
var slugPattern = regexp.MustCompile(`^[a-z0-9-]{1,200}$`)

func publicHref(d visit.Details) string { return "/letters/" + publicationSlug(d) }

// publicationTitle names the published letter by the month of fieldwork.
func publicationTitle(p timeline.Plan) string {
	if m, ok := p.Milestone(timeline.CodeFieldwork); ok {
		return "Focused visit to Cafcass, " + m.Last().Format("January 2006")
	}
	return "Focused visit to Cafcass"
}

// publishIfDue publishes the letter when the rules allow it today, and
// reports whether it did.
func (s *Server) publishIfDue(r *http.Request, d visit.Details, plan timeline.Plan, l store.SentLetter) (bool, error) {
	if l.State != string(letter.FinalSent) || d.Status != visit.Active {
		return false, nil
	}
	ctx := r.Context()
	cs, err := s.store.ListComplaints(ctx, l.ID)
	if err != nil {
		return false, err
	}
	pc, lc := complaintFacts(cs)
	if publication.StateOf(plan, false, pc).CanPublish(s.today()) != nil {
		return false, nil
	}
	if letter.CanPublish(letter.Letter{State: letter.State(l.State)}, lc) != nil {
		return false, nil
	}
	label := "Letter published"
	if m, ok := plan.Milestone(timeline.CodePublication); ok {
		label = m.Label
	}
	err = s.store.PublishLetter(ctx, store.NewPublication{
		VisitID: d.ID, LetterID: l.ID, Slug: publicationSlug(d), Title: publicationTitle(plan), On: s.today(), Label: label,
	})
	if errors.Is(err, store.ErrConflict) {
		return false, nil // published (or held) by someone else meanwhile
	}
	return err == nil, err
}

// publishDue publishes every letter whose date has come, before the public
// pages are read.
func (s *Server) publishDue(r *http.Request) error {
	ctx := r.Context()
	ls, err := s.store.ListLettersAwaitingPublication(ctx)
	if err != nil || len(ls) == 0 {
		return err
	}
	cal, err := s.calendar(ctx)
	if err != nil {
		return err
	}
	for _, l := range ls {
		d, err := s.store.GetVisit(ctx, l.VisitID)
		if err != nil {
			return err
		}
		plan, err := d.Dates(cal, london)
		if err != nil {
			return err
		}
		if _, err := s.publishIfDue(r, d, plan, l); err != nil {
			return err
		}
	}
	return nil
}

func (s *Server) handlePublicationList(w http.ResponseWriter, r *http.Request) error {
	if err := s.publishDue(r); err != nil {
		return err
	}
	ps, err := s.store.ListPublications(r.Context())
	if err != nil {
		return err
	}
	v := pages.PublicationListView{Page: s.page(r, "Published letters")}
	for _, p := range ps {
		v.Items = append(v.Items, pages.PublicationItem{Title: p.Title, Href: "/letters/" + p.Slug, PublishedOn: timeline.FormatDate(p.PublishedOn)})
	}
	return s.render(w, r, http.StatusOK, pages.PublicationList(v))
}

func (s *Server) handlePublicationShow(w http.ResponseWriter, r *http.Request) error {
	slug := chi.URLParam(r, "slug")
	if !slugPattern.MatchString(slug) {
		return store.ErrNotFound
	}
	if err := s.publishDue(r); err != nil {
		return err
	}
	p, err := s.store.GetPublication(r.Context(), slug)
	if err != nil {
		return err
	}
	v := pages.PublicationShowView{
		Page: s.page(r, p.Title), Title: p.Title, PublishedOn: timeline.FormatDate(p.PublishedOn),
		Sections: sections(p.Content),
	}
	return s.render(w, r, http.StatusOK, pages.PublicationShow(v))
}

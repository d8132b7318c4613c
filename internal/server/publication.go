package server

import (
	"net/http"
	"regexp"

	"github.com/go-chi/chi/v5"
	"github.com/ofsted/focusedvisits/internal/letter"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/web/pages"
)

// Publication: a letter is published on its day by a scheduled job
// (internal/jobs), never by a page (DOMAIN decision 16). The public pages
// read only the published copies (store.Publication), so nothing
// unpublished can reach them, and they write nothing.

// publicationSlug is the published letter's address under /letters/.
func publicationSlug(d visit.Details) string { return letter.Slug(d.Reference) }

// slugPattern is what a published letter's address looks like (the
// publications table checks the same); anything else names no letter.
var slugPattern = regexp.MustCompile(`^[a-z0-9-]{1,200}$`)

func publicHref(d visit.Details) string { return "/letters/" + publicationSlug(d) }

func (s *Server) handlePublicationList(w http.ResponseWriter, r *http.Request) error {
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

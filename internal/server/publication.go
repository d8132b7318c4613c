package server

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"
	"github.com/ofsted/focusedvisits/internal/letter"
	"github.com/ofsted/focusedvisits/internal/letterpdf"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/web/components"
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

// summaryAnchor is where a published letter's summary for children and
// young people starts on its page.
const summaryAnchor = "#summary-for-children"

// GET /letters?year=2026
func (s *Server) handlePublicationList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	years, err := s.store.PublicationYears(ctx)
	if err != nil {
		return err
	}
	// A year with no letters (or not a year) shows them all.
	year := 0
	if y, err := strconv.Atoi(r.URL.Query().Get("year")); err == nil {
		for _, have := range years {
			if have == y {
				year = y
			}
		}
	}
	ps, err := s.store.ListPublications(ctx, year)
	if err != nil {
		return err
	}
	v := pages.PublicationListView{Page: s.page(r, "Published letters"), Showing: showingWords(len(ps), year)}
	v.Years = components.SelectParams{ID: "year", Label: "Year published", Items: []components.Option{{Value: "", Text: "All years", Checked: year == 0}}}
	for _, y := range years {
		v.Years.Items = append(v.Years.Items, components.Option{Value: strconv.Itoa(y), Text: strconv.Itoa(y), Checked: y == year})
	}
	for _, p := range ps {
		href := "/letters/" + p.Slug
		it := pages.PublicationItem{Title: p.Title, Href: href, PublishedOn: timeline.FormatDate(p.PublishedOn)}
		if strings.TrimSpace(p.Summary) != "" { // letters published before summaries were required have none
			it.SummaryHref = href + summaryAnchor
		}
		v.Items = append(v.Items, it)
	}
	return s.render(w, r, http.StatusOK, pages.PublicationList(v))
}

// showingWords says what the list shows: "Showing 3 letters published in
// 2026".
func showingWords(n int, year int) string {
	var b strings.Builder
	switch n {
	case 0:
		b.WriteString("No letters have been published")
	case 1:
		b.WriteString("Showing 1 letter published")
	default:
		b.WriteString("Showing " + strconv.Itoa(n) + " letters published")
	}
	if year != 0 {
		b.WriteString(" in " + strconv.Itoa(year))
	} else if n == 0 {
		b.WriteString(" yet")
	}
	return b.String()
}

// publication reads the published letter the URL names.
func (s *Server) publication(r *http.Request) (store.Publication, error) {
	slug := chi.URLParam(r, "slug")
	if !slugPattern.MatchString(slug) {
		return store.Publication{}, store.ErrNotFound
	}
	return s.store.GetPublication(r.Context(), slug)
}

// publishedDocument is what the page and the PDF of a published letter
// print, from the same blocks.
func publishedDocument(p store.Publication) letterpdf.Document {
	return letterpdf.Document{
		Title: p.Title, Facts: p.Header.Facts(), Blocks: letter.Blocks(p.Header, p.Content),
		SummaryHeading: letter.SummaryHeading, Summary: letter.SummaryBlocks(p.Summary),
	}
}

// GET /letters/{slug}
func (s *Server) handlePublicationShow(w http.ResponseWriter, r *http.Request) error {
	p, err := s.publication(r)
	if err != nil {
		return err
	}
	doc := publishedDocument(p)
	v := pages.PublicationShowView{
		Page: s.page(r, p.Title), Title: p.Title, Facts: doc.Facts, Blocks: doc.Blocks,
		SummaryHeading: doc.SummaryHeading, Summary: doc.Summary, PDFHref: "/letters/" + p.Slug + ".pdf",
	}
	return s.render(w, r, http.StatusOK, pages.PublicationShow(v))
}

// GET /letters/{slug}.pdf: the published letter as a PDF, to download. A
// published copy never changes, so its ETag (of the PDF's bytes) lets a
// client that has it keep it.
func (s *Server) handlePublicationPDF(w http.ResponseWriter, r *http.Request) error {
	p, err := s.publication(r)
	if err != nil {
		return err
	}
	pdf, err := letterpdf.Render(publishedDocument(p))
	if err != nil {
		return err
	}
	sum := sha256.Sum256(pdf)
	etag := `"` + hex.EncodeToString(sum[:16]) + `"`
	h := w.Header()
	h.Set("ETag", etag)
	h.Set("Cache-Control", "public, max-age=3600")
	if match := r.Header.Get("If-None-Match"); match != "" && strings.Contains(match, etag) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	h.Set("Content-Type", "application/pdf")
	h.Set("Content-Disposition", `attachment; filename="`+p.Slug+`.pdf"`)
	h.Set("Content-Length", strconv.Itoa(len(pdf)))
	_, err = w.Write(pdf)
	return err
}

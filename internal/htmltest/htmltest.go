// Package htmltest parses HTML responses for tests and checks what every
// page of the service must have.
package htmltest

import (
	"io"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// Parse reads an HTML document or fails the test.
func Parse(t testing.TB, r io.Reader) *goquery.Document {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(r)
	if err != nil {
		t.Fatalf("parse HTML: %v", err)
	}
	return doc
}

// Text is the trimmed, space-collapsed text of the selection.
func Text(s *goquery.Selection) string {
	return strings.Join(strings.Fields(s.Text()), " ")
}

// CheckPage checks the GOV.UK page template's essentials: exactly one h1, a
// non-empty title, a main#main-content, a skip link to it, and no field
// error without an error summary.
func CheckPage(t testing.TB, doc *goquery.Document) {
	t.Helper()
	if n := doc.Find("h1").Length(); n != 1 {
		t.Errorf("page has %d h1 elements, want 1", n)
	}
	if strings.TrimSpace(doc.Find("title").Text()) == "" {
		t.Error("page has no title")
	}
	if doc.Find("main#main-content").Length() != 1 {
		t.Error("page has no main#main-content")
	}
	if doc.Find(`a.govuk-skip-link[href="#main-content"]`).Length() != 1 {
		t.Error("page has no skip link")
	}
	if doc.Find(".govuk-error-message").Length() > 0 && doc.Find(".govuk-error-summary").Length() == 0 {
		t.Error("page shows field errors without an error summary")
	}
}

// ErrorSummaryLinks returns the href of each link in the error summary.
func ErrorSummaryLinks(doc *goquery.Document) []string {
	var hrefs []string
	doc.Find(".govuk-error-summary__list a").Each(func(_ int, s *goquery.Selection) {
		h, _ := s.Attr("href")
		hrefs = append(hrefs, h)
	})
	return hrefs
}

package server_test

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/ofsted/focusedvisits/internal/htmltest"
)

// TestAccessibilityStatement: the statement follows GOV.UK's model
// (issue 15.8): compliance status, the known issues, how to report a
// problem, the enforcement procedure, and when it was prepared and last
// reviewed; every page's footer links to it, signed in or not.
func TestAccessibilityStatement(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	res := ts.get(ts.client(), "/accessibility")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	doc := parse(t, res)
	htmltest.CheckPage(t, doc)
	var headings []string
	doc.Find("main h2, main h3").Each(func(_ int, s *goquery.Selection) { headings = append(headings, strings.TrimSpace(s.Text())) })
	all := strings.Join(headings, "|")
	for _, want := range []string{"How accessible this service is", "Feedback and contact information", "Reporting accessibility problems with this service",
		"Enforcement procedure", "Compliance status", "Non-accessible content", "Preparation of this accessibility statement"} {
		if !strings.Contains(all, want) {
			t.Errorf("no section %q: %q", want, all)
		}
	}
	text := htmltest.Text(doc.Find("main"))
	for _, want := range []string{"partially compliant with the Web Content Accessibility Guidelines version 2.2 AA standard",
		"Equality and Human Rights Commission", "Equality Advisory and Support Service"} {
		if !strings.Contains(text, want) {
			t.Errorf("statement lacks %q", want)
		}
	}
	if !regexp.MustCompile(`prepared on \d{1,2} [A-Z][a-z]+ 20\d\d`).MatchString(text) || !regexp.MustCompile(`last reviewed on \d{1,2} [A-Z][a-z]+ 20\d\d`).MatchString(text) {
		t.Errorf("no dates prepared and last reviewed: %q", text)
	}
	// The known issues are listed, each with the success criterion.
	if n := doc.Find("#non-accessible-content ~ ul li, [data-testid=known-issues] li").Length(); n < 2 {
		t.Errorf("%d known issues listed", n)
	}
	for _, p := range []string{"/sign-in", "/letters"} {
		if parse(t, ts.get(ts.client(), p)).Find(`footer a[href="/accessibility"]`).Length() != 1 {
			t.Errorf("%s: no footer link to the statement", p)
		}
	}
}

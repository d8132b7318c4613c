package server_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/ofsted/focusedvisits/internal/htmltest"
	"github.com/ofsted/focusedvisits/internal/letter"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

const testChildrenSummary = "Ofsted inspectors visited Cafcass to see how well it helps children.\n\nThey found that workers see children quickly and listen to them."

// writeSummary has the lead inspector write the summary for children and
// young people through its page.
func (f *cafcassLetterFixture) writeSummary(t *testing.T) {
	t.Helper()
	f.wantStatus(t, f.ts.post(f.leadC, f.base+"/children-summary", url.Values{letter.SummaryField: {testChildrenSummary}}), http.StatusSeeOther)
}

func (f *cafcassLetterFixture) slug() string {
	return "/letters/focused-visit-" + strings.ToLower(f.visit.Reference)
}

// TestPublication_SummaryForChildren: the lead inspector, and only they,
// writes the summary for children and young people before publication; the
// letter is not published without one; it is recorded in the history, is
// public only once the letter is, beside it, and cannot change afterwards
// (issue 17.7).
func TestPublication_SummaryForChildren(t *testing.T) {
	t.Parallel()
	f := newCafcassLetterFixture(t, false)
	ts := f.ts
	qamC := ts.signIn(f.qam.Email)
	page := f.base + "/children-summary"
	f.sendDraft(t)
	f.sendFinal(t)
	f.at("2025-06-19", 10)

	// The lead's letter page says it is missing and links to it.
	doc := parse(t, ts.get(f.leadC, f.base))
	if !strings.Contains(htmltest.Text(doc.Find(".govuk-summary-list")), "Not written yet: required before the letter is published") ||
		doc.Find(`a[href="`+page+`"]`).Length() != 1 {
		t.Error("the letter page does not offer the missing summary for children")
	}
	if parse(t, ts.get(qamC, f.base)).Find(`a[href="`+page+`"]`).Length() != 0 {
		t.Error("the QAM is offered the summary for children")
	}
	res := ts.get(f.leadC, page)
	f.wantStatus(t, res, http.StatusOK)
	doc = parse(t, res)
	htmltest.CheckPage(t, doc)
	if doc.Find(`.govuk-character-count[data-maxlength="1500"] textarea#children-summary`).Length() != 1 {
		t.Error("no character count for the summary")
	}
	if !strings.Contains(htmltest.Text(doc.Find("#children-summary-hint")), "12-year-old") {
		t.Error("the hint does not say who the summary is for")
	}
	// Only the lead inspector writes it.
	f.wantStatus(t, ts.get(qamC, page), http.StatusForbidden)
	f.wantStatus(t, ts.post(qamC, page, url.Values{letter.SummaryField: {"By the QAM"}}), http.StatusForbidden)
	if res := ts.post(f.ceoC, page, url.Values{letter.SummaryField: {"By Cafcass"}}); res.StatusCode == http.StatusSeeOther || res.StatusCode == http.StatusOK {
		t.Errorf("Cafcass writing the summary: status %d", res.StatusCode)
	}
	if res := ts.get(f.out, page); res.StatusCode == http.StatusOK {
		t.Error("the summary page is open to anyone")
	}
	// Required, and bounded.
	res = ts.post(f.leadC, page, url.Values{letter.SummaryField: {"  "}})
	f.wantStatus(t, res, http.StatusUnprocessableEntity)
	if parse(t, res).Find(`.govuk-error-summary__list a[href="#children-summary"]`).Length() != 1 {
		t.Error("a blank summary is refused without saying why")
	}
	f.wantStatus(t, ts.post(f.leadC, page, url.Values{letter.SummaryField: {strings.Repeat("a", letter.MaxSummaryLength+1)}}), http.StatusUnprocessableEntity)
	if l, _ := ts.Store.GetLetter(context.Background(), f.visit.ID); l.ChildrenSummary != "" {
		t.Fatalf("summary stored by a refused write: %q", l.ChildrenSummary)
	}

	// On the publication date (Mon 30 Jun) a letter without a summary is
	// not published.
	f.at("2025-06-30", 9)
	ts.runJobs()
	if l, _ := ts.Store.GetLetter(context.Background(), f.visit.ID); l.Published() {
		t.Fatal("published without a summary for children")
	}
	f.wantStatus(t, ts.get(f.out, f.slug()), http.StatusNotFound)

	// Written: recorded in the history, still not public until published.
	f.writeSummary(t)
	if countOf(f.events(t), "Summary for children and young people written") != 1 {
		t.Errorf("summary not in the history: %q", f.events(t))
	}
	f.wantStatus(t, ts.post(f.leadC, page, url.Values{letter.SummaryField: {testChildrenSummary + " More."}}), http.StatusSeeOther)
	f.wantStatus(t, ts.post(f.leadC, page, url.Values{letter.SummaryField: {testChildrenSummary}}), http.StatusSeeOther)
	if countOf(f.events(t), "Summary for children and young people changed") != 2 {
		t.Errorf("changes to the summary not in the history: %q", f.events(t))
	}
	f.wantStatus(t, ts.get(f.out, f.slug()), http.StatusNotFound)

	ts.runJobs()
	res = ts.get(f.out, f.slug())
	f.wantStatus(t, res, http.StatusOK)
	doc = parse(t, res)
	section := doc.Find("section#summary-for-children")
	if got := htmltest.Text(section.Find("h2")); got != letter.SummaryHeading {
		t.Errorf("summary heading %q", got)
	}
	if got := section.Find("p").Length(); got != 2 || !strings.Contains(htmltest.Text(section), "They found that workers see children quickly") {
		t.Errorf("summary %d paragraphs: %q", got, htmltest.Text(section))
	}
	list := parse(t, ts.get(f.out, "/letters"))
	if list.Find(`[data-testid="publications"] a[href="`+f.slug()+`#summary-for-children"]`).Length() != 1 {
		t.Error("the list does not link to the summary for children")
	}
	// Published: it no longer changes.
	f.wantStatus(t, ts.get(f.leadC, page), http.StatusForbidden)
	f.wantStatus(t, ts.post(f.leadC, page, url.Values{letter.SummaryField: {"Changed after publication"}}), http.StatusForbidden)
}

// TestPublication_LetterHeader: the published letter carries the dates of
// the visit, its addressee (the chief executive), its signatory (the lead
// inspector) and its date of publication (issue 15.7).
func TestPublication_LetterHeader(t *testing.T) {
	t.Parallel()
	f := publishedFixture(t)
	doc := parse(t, f.ts.get(f.out, f.slug()))
	htmltest.CheckPage(t, doc)
	article := doc.Find(`[data-testid="published-letter"]`)
	facts := htmltest.Text(article.Find("dl"))
	for _, want := range []string{"Date of visit:", "Tue 20 to Wed 21 May 2025", "Date of publication:", "Mon 30 Jun 2025"} {
		if !strings.Contains(facts, want) {
			t.Errorf("header %q lacks %q", facts, want)
		}
	}
	text := blockText(article)
	for _, want := range []string{
		f.ceo.Name + " " + letter.AddresseeRole + " Dear " + f.ceo.Name,
		"Yours sincerely " + f.lead.Name + " " + letter.SignatoryRole,
		"Private family law: Safeguarding checks are timely",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("letter %q lacks %q", text, want)
		}
	}
	// The print stylesheet hides what is not the letter: the links to the
	// summary and the PDF are marked so.
	if n := article.Find(`.app-no-print a[href$=".pdf"]`).Length(); n != 1 {
		t.Errorf("%d PDF links not hidden in print", n)
	}
}

// publishedFixture is the cafcass letter fixture's letter, with its
// summary, published on Mon 30 Jun 2025.
func publishedFixture(t *testing.T) *cafcassLetterFixture {
	t.Helper()
	f := newCafcassLetterFixture(t, false)
	f.sendDraft(t)
	f.sendFinal(t)
	f.writeSummary(t)
	f.at("2025-06-30", 9)
	f.ts.runJobs()
	f.wantStatus(t, f.ts.get(f.out, f.slug()), http.StatusOK)
	return f
}

// blockText is the words of a published letter's page, block by block in
// order (the caption, headings, header facts and paragraphs), leaving out
// what is not printed.
func blockText(article *goquery.Selection) string {
	article = article.Clone()
	article.Find(".app-no-print, .govuk-visually-hidden").Remove()
	var parts []string
	article.Find(".govuk-caption-l, h1, h2, dt, dd, p").Each(func(_ int, s *goquery.Selection) {
		parts = append(parts, htmltest.Text(s))
	})
	return strings.Join(strings.Fields(strings.Join(parts, " ")), " ")
}

// TestPublication_PDFSaysWhatThePageSays: the PDF of a published letter,
// read back with poppler's pdftotext, has the page's words in the page's
// order, its summary for children included; it downloads as an attachment
// and is cached by its ETag.
func TestPublication_PDFSaysWhatThePageSays(t *testing.T) {
	t.Parallel()
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") != "" || os.Getenv("REQUIRE_BROWSER") != "" { // CI, or make test
			t.Fatal("pdftotext is missing: install Debian's poppler-utils (.ci/run does)")
		}
		t.Skip("pdftotext is missing (apt-get install poppler-utils); CI and make test fail here")
	}
	f := publishedFixture(t)
	ts := f.ts
	page := blockText(parse(t, ts.get(f.out, f.slug())).Find(`[data-testid="published-letter"]`))

	res := ts.get(f.out, f.slug()+".pdf")
	f.wantStatus(t, res, http.StatusOK)
	if ct := res.Header.Get("Content-Type"); ct != "application/pdf" {
		t.Errorf("Content-Type %q", ct)
	}
	if cd := res.Header.Get("Content-Disposition"); !strings.HasPrefix(cd, "attachment;") || !strings.Contains(cd, "focused-visit-") {
		t.Errorf("Content-Disposition %q", cd)
	}
	body, err := io.ReadAll(res.Body)
	if err != nil || !bytes.HasPrefix(body, []byte("%PDF-")) {
		t.Fatalf("not a PDF (%v): %.20q", err, body)
	}
	path := filepath.Join(t.TempDir(), "letter.pdf")
	if err := os.WriteFile(path, body, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(pdftotext, "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	pdf := strings.Join(strings.Fields(string(out)), " ")
	if pdf != page {
		t.Errorf("the PDF says\n%s\nthe page says\n%s", pdf, page)
	}
	// The summary for children starts a page of its own.
	if pages := strings.Split(string(out), "\f"); len(pages) < 2 || !strings.HasPrefix(strings.TrimSpace(pages[1]), letter.SummaryHeading) {
		t.Errorf("the summary for children is not on a page of its own: %d pages", len(pages))
	}
	// Cached by its ETag; the same bytes each time.
	etag := res.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	req, _ := http.NewRequest(http.MethodGet, ts.URL+f.slug()+".pdf", nil)
	req.Header.Set("If-None-Match", etag)
	again, err := f.out.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	again.Body.Close()
	if again.StatusCode != http.StatusNotModified {
		t.Errorf("If-None-Match: status %d, want 304", again.StatusCode)
	}
	// Nothing unpublished has a PDF.
	answersAsMadeUp(t, ts, f.out, "/letters/no-such-letter.pdf", "/letters/no-such-letter")
}

// TestPublication_YearFilter: the public list can be filtered by the year
// of publication, from the years that have letters, with a GET form.
func TestPublication_YearFilter(t *testing.T) {
	t.Parallel()
	f := publishedFixture(t) // published Mon 30 Jun 2025
	ts := f.ts
	ctx := context.Background()
	// A second visit, its letter published on Tue 12 May 2026.
	d := ts.createTestVisit(f.lead, "notice", date("2026-03-02"),
		visit.Member{UserID: f.lead.ID, Role: visit.RoleLead},
		visit.Member{UserID: f.qam.ID, Role: visit.RoleQAM},
		visit.Member{UserID: f.ceo.ID, Role: visit.RoleCafcass})
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(ts.Store.RecordActual(ctx, d.ID, 0, visit.Actual{Code: "notice", Date: date("2026-03-02")}, "Notice call", f.lead))
	c := letter.Content{Sections: map[letter.Section]string{letter.Introduction: "A second letter."}}
	_, err := ts.Store.SaveLetterVersion(ctx, d.ID, 0, c, letter.Drafting, f.lead)
	must(err)
	move := func(a letter.Action, from, to letter.State, by user.User) {
		must(ts.Store.MoveLetter(ctx, d.ID, store.LetterMove{Action: a, From: from, To: to, Version: 1}, by))
	}
	move(letter.Submit, letter.Drafting, letter.InQA, f.lead)
	move(letter.Approve, letter.InQA, letter.Approved, f.qam)
	must(ts.Store.SendDraftLetter(ctx, d.ID, store.LetterMove{Action: letter.SendDraft, From: letter.Approved, To: letter.DraftSent, Version: 1}, date("2026-03-24"), f.lead))
	must(ts.Store.SendFinalLetter(ctx, d.ID, store.LetterMove{Action: letter.SendFinal, From: letter.DraftSent, To: letter.FinalSent, Version: 1}, date("2026-04-30"), f.lead))
	must(ts.Store.WriteChildrenSummary(ctx, d.ID, letter.FinalSent, "A second summary.", date("2026-04-30").At(12, 0, 0, 0, time.UTC), f.lead))
	l, err := ts.Store.GetLetter(ctx, d.ID)
	must(err)
	must(ts.Store.PublishLetter(ctx, store.NewPublication{VisitID: d.ID, LetterID: l.ID, Slug: letter.Slug(d.Reference), Title: "Focused visit to Cafcass, March 2026",
		On: workday.NewDate(2026, 5, 12), Label: "Letter published", By: &f.qam}))

	for _, c := range []struct {
		query, showing string
		letters        int
		selected       string
	}{
		{"", "Showing 2 letters published", 2, ""},
		{"?year=2026", "Showing 1 letter published in 2026", 1, "2026"},
		{"?year=2025", "Showing 1 letter published in 2025", 1, "2025"},
		{"?year=1999", "Showing 2 letters published", 2, ""},
		{"?year=not-a-year", "Showing 2 letters published", 2, ""},
	} {
		res := ts.get(f.out, "/letters"+c.query)
		f.wantStatus(t, res, http.StatusOK)
		doc := parse(t, res)
		htmltest.CheckPage(t, doc)
		if got := htmltest.Text(doc.Find(`[data-testid="showing"]`)); got != c.showing {
			t.Errorf("%s: %q, want %q", c.query, got, c.showing)
		}
		if got := doc.Find(`[data-testid="publications"] > li`).Length(); got != c.letters {
			t.Errorf("%s: %d letters, want %d", c.query, got, c.letters)
		}
		form := doc.Find(`form[method="get"][action="/letters"]`)
		var years []string
		form.Find("select#year option").Each(func(_ int, o *goquery.Selection) { years = append(years, o.AttrOr("value", "?")) })
		if strings.Join(years, ",") != ",2026,2025" || form.Find("button").Length() != 1 {
			t.Errorf("%s: years offered %q", c.query, years)
		}
		if got := form.Find("option[selected]").AttrOr("value", ""); got != c.selected {
			t.Errorf("%s: year selected %q, want %q", c.query, got, c.selected)
		}
		item := htmltest.Text(doc.Find(`[data-testid="publications"] > li`).First())
		if strings.Contains(item, " ,") {
			t.Errorf("%s: list item %q has a space before a comma", c.query, item)
		}
	}
}

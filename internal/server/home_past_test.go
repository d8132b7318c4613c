package server_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/ofsted/focusedvisits/internal/htmltest"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// TestStartPage_PastVisitsPaged (issue 16.2): the start page lists the
// visits under way, and the past ones (published or cancelled) apart, ten a
// page, latest first, so that it reads only what it shows however many
// visits a person has been on; the calendar reads only the visits near its
// month.
func TestStartPage_PastVisitsPaged(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	ts.setClock(time.Date(2025, 12, 1, 10, 0, 0, 0, londonTZ))
	ctx := context.Background()
	lead := ts.addUser(user.LeadInspector, "lead@example.gov.uk")
	team := visit.Member{UserID: lead.ID, Role: visit.RoleLead}
	// 12 visits published in 2024 and one cancelled, then two to come.
	var past []string
	for i := range 12 {
		d := ts.createTestVisit(lead, timeline.CodeNotice, workday.NewDate(2024, time.January, 9).AddDays(14*i), team)
		if err := ts.Store.RecordActual(ctx, d.ID, 0, visit.Actual{Code: timeline.CodePublication, Date: d.AnchorDate.AddDays(60)}, "Published", lead); err != nil {
			t.Fatal(err)
		}
		past = append(past, d.Reference)
	}
	c := ts.createTestVisit(lead, timeline.CodeNotice, workday.NewDate(2025, time.March, 4), team)
	if err := ts.Store.CancelVisit(ctx, c.ID, 0, visit.Cancellation{Reason: "Cancelled"}, lead); err != nil {
		t.Fatal(err)
	}
	past = append(past, c.Reference)
	slices.Reverse(past)
	var open []string
	for _, day := range []int{13, 20} {
		open = append(open, ts.createTestVisit(lead, timeline.CodeNotice, workday.NewDate(2026, time.January, day), team).Reference)
	}

	cl := ts.signIn(lead.Email)
	refs := func(doc *goquery.Document, table string) []string {
		var rs []string
		doc.Find(`[data-testid=` + table + `] tbody tr`).Each(func(_ int, s *goquery.Selection) {
			rs = append(rs, htmltest.Text(s.Find("td a").First()))
		})
		return rs
	}
	doc := parse(t, ts.get(cl, "/"))
	htmltest.CheckPage(t, doc)
	if got := refs(doc, "visits"); !slices.Equal(got, open) {
		t.Errorf("visits under way %q, want %q", got, open)
	}
	if got := refs(doc, "past-visits"); !slices.Equal(got, past[:10]) {
		t.Errorf("past visits, page 1: %q, want %q", got, past[:10])
	}
	next := doc.Find(`.govuk-pagination__next a`).AttrOr("href", "")
	if next != "/?past=2#past-visits" || doc.Find(`.govuk-pagination__prev`).Length() != 0 {
		t.Fatalf("page 1 links: next %q, previous %d", next, doc.Find(`.govuk-pagination__prev`).Length())
	}
	doc = parse(t, ts.get(cl, next))
	htmltest.CheckPage(t, doc)
	if got := refs(doc, "past-visits"); !slices.Equal(got, past[10:]) {
		t.Errorf("past visits, page 2: %q, want %q", got, past[10:])
	}
	if doc.Find(`.govuk-pagination__next`).Length() != 0 || doc.Find(`.govuk-pagination__prev a`).AttrOr("href", "") != "/#past-visits" {
		t.Error("page 2 links wrong")
	}
	// A page past the last says so; a page that is not a number is the first.
	doc = parse(t, ts.get(cl, "/?past=9"))
	if len(refs(doc, "past-visits")) != 0 || doc.Find(`.govuk-pagination__prev`).Length() != 1 {
		t.Error("page 9: want no rows and a link back")
	}
	if res := ts.get(cl, "/?past=x"); res.StatusCode != http.StatusOK {
		t.Errorf("?past=x: status %d", res.StatusCode)
	}

	// The calendar shows a month's visits and reads no visit anchored more
	// than a year from it.
	doc = parse(t, ts.get(cl, "/calendar?month=1&year=2026"))
	text := htmltest.Text(doc.Find("main"))
	for _, ref := range open {
		if !strings.Contains(text, ref) {
			t.Errorf("January 2026 lacks %s", ref)
		}
	}
	doc = parse(t, ts.get(cl, "/calendar?month=2&year=2024"))
	if text := htmltest.Text(doc.Find("main")); !strings.Contains(text, past[len(past)-1]) {
		t.Errorf("February 2024 lacks %s", past[len(past)-1])
	}
}

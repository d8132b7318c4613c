package server_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/ofsted/focusedvisits/internal/htmltest"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// TestCalendarMonth_CompactEntries (issue 15.9): each visit's entry in a
// day cell is a short label, the visit's reference in one unbroken piece
// after a marker of its kind, with the full wording for screen readers;
// the legend above the grid names every marker the month uses, by letter
// as well as colour.
func TestCalendarMonth_CompactEntries(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	people := newCalPeople(ts)
	id := calVisit(t, ts, people, workday.NewDate(2025, time.April, 24))
	if err := ts.Store.AddClosureDay(context.Background(), workday.NewDate(2025, time.April, 29), "Staff training day", people.lead.ID); err != nil {
		t.Fatal(err)
	}
	d, _ := calPlan(t, ts, id)
	res := ts.get(ts.signIn(people.lead.Email), "/calendar?month=2025-04")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status %d", res.StatusCode)
	}
	doc := parse(t, res)
	htmltest.CheckPage(t, doc)

	legend := doc.Find(`[data-testid="calendar-legend"]`)
	if legend.Length() != 1 {
		t.Fatalf("%d calendar legends, want 1", legend.Length())
	}
	if legend.Nodes[0].Parent == nil || goquery.NewDocumentFromNode(legend.Nodes[0]).Find("table").Length() != 0 {
		t.Error("the legend is inside the grid")
	}
	// The legend's items by category: the marker's letter and its meaning.
	type item struct{ mark, text string }
	items := map[string]item{}
	legend.Find("[data-category]").Each(func(_ int, s *goquery.Selection) {
		c, _ := s.Attr("data-category")
		mark := s.Find(".app-calendar__mark")
		if h, _ := mark.Attr("aria-hidden"); h != "true" {
			t.Errorf("legend %s: the marker is not hidden from screen readers (the words say it)", c)
		}
		items[c] = item{mark: htmltest.Text(mark), text: strings.TrimSpace(strings.TrimPrefix(htmltest.Text(s), htmltest.Text(mark)))}
	})
	marks := map[string]string{}
	for c, it := range items {
		if len([]rune(it.mark)) != 1 || it.text == "" {
			t.Errorf("legend %s: marker %q, meaning %q; want one letter and words", c, it.mark, it.text)
		}
		if other, ok := marks[it.mark]; ok {
			t.Errorf("legend: %s and %s share the marker %q", c, other, it.mark)
		}
		marks[it.mark] = c
	}

	// Every entry's marker is in the legend, with the same letter.
	used := map[string]bool{}
	grid := doc.Find("table.app-calendar__table")
	grid.Find(".app-calendar__entry").Each(func(_ int, s *goquery.Selection) {
		c, _ := s.Attr("data-category")
		used[c] = true
		it, ok := items[c]
		if !ok {
			t.Errorf("an entry of category %q (%q) is not in the legend", c, htmltest.Text(s))
			return
		}
		if got := htmltest.Text(s.Find(".app-calendar__mark")); got != it.mark {
			t.Errorf("an entry of category %q is marked %q, the legend says %q", c, got, it.mark)
		}
	})
	for c := range items {
		if !used[c] {
			t.Errorf("the legend names %q, which the month does not use", c)
		}
	}
	for _, c := range []string{"call", "due", "team", "fieldwork", "holiday", "closure"} {
		if !used[c] {
			t.Errorf("April 2025 has no entry of category %q", c)
		}
	}
	if it := items["fieldwork"]; !strings.Contains(it.text, "Fieldwork") {
		t.Errorf("the legend explains fieldwork as %q", it.text)
	}

	// A visit's entry shows its reference alone, as one word, and says the
	// rest to screen readers (and on narrow screens, where the grid is a
	// list, application.css shows it).
	links := grid.Find(`.app-calendar__entry a[href="` + ts.visitPath(id) + `"]`)
	if links.Length() == 0 {
		t.Fatal("no links to the visit in the grid")
	}
	links.Each(func(_ int, a *goquery.Selection) {
		ref := a.Find(".app-calendar__ref")
		if got := htmltest.Text(ref); got != d.Reference {
			t.Errorf("an entry's label reads %q, want the reference %q alone", got, d.Reference)
		}
		visible := a.Clone()
		visible.Find(".app-calendar__detail, .app-calendar__mark").Remove()
		if got := htmltest.Text(visible); got != d.Reference {
			t.Errorf("an entry shows %q, want only %q (and its marker)", got, d.Reference)
		}
		if hidden := htmltest.Text(a.Find(".app-calendar__detail")); !strings.HasPrefix(hidden, ":") || len(hidden) < 5 {
			t.Errorf("an entry tells screen readers %q, want the milestone's wording", hidden)
		}
	})
	notice := dayCell(doc, 14).Find(".app-calendar__entry")
	if c, _ := notice.Attr("data-category"); c != "call" || !strings.Contains(htmltest.Text(notice), d.Reference+": Notice call") {
		t.Errorf("Mon 14 Apr 2025: category %q, %q; want the notice call", c, htmltest.Text(notice))
	}
}

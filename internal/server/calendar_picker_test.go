package server_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/htmltest"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// TestCalendarMonth_Picker (issue 13.1): the month calendar has a month and
// year picker, a GET form that works without JavaScript, beside the links to
// the months before and after; a year typed wrong is an error beside it.
func TestCalendarMonth_Picker(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	ts.setClock(time.Date(2026, 12, 1, 10, 0, 0, 0, londonTZ))
	people := newCalPeople(ts)
	id := calVisit(t, ts, people, workday.NewDate(2025, time.April, 24))
	lead := ts.signIn(people.lead.Email)

	// The form, as a browser without JavaScript sends it.
	doc := parse(t, ts.get(lead, "/calendar"))
	picker := doc.Find(`form[data-testid=month-picker]`)
	if m, _ := picker.Attr("method"); m != "get" || picker.AttrOr("action", "") != "/calendar" {
		t.Fatalf("picker: method %q, action %q", m, picker.AttrOr("action", ""))
	}
	if got := htmltest.Text(picker.Find(`select[name=month] option[selected]`)); got != "December" {
		t.Errorf("month chosen %q, want this month, December", got)
	}
	if got := picker.Find(`input[name=year]`).AttrOr("value", ""); got != "2026" {
		t.Errorf("year %q, want 2026", got)
	}
	if picker.Find(`select[name=month] option`).Length() != 12 || picker.Find(`button`).Length() != 1 {
		t.Error("the picker does not offer the 12 months and a button")
	}
	if doc.Find(`.govuk-pagination a[rel=prev]`).Length() != 1 || doc.Find(`.govuk-pagination a[rel=next]`).Length() != 1 {
		t.Error("the links to the months before and after are gone")
	}

	res := ts.get(lead, "/calendar?month=4&year=2025")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("April 2025: status %d", res.StatusCode)
	}
	doc = parse(t, res)
	htmltest.CheckPage(t, doc)
	if got := htmltest.Text(doc.Find("table caption")); got != "April 2025" {
		t.Errorf("caption %q, want April 2025", got)
	}
	if doc.Find(`a[href="`+ts.visitPath(id)+`"]`).Length() == 0 {
		t.Error("April 2025 does not show the visit")
	}
	if got := htmltest.Text(doc.Find(`select[name=month] option[selected]`)); got != "April" {
		t.Errorf("month chosen %q, want April", got)
	}

	// A year typed wrong: the error beside the picker, and the month chosen
	// in this year.
	res = ts.get(lead, "/calendar?month=4&year=20255")
	if res.StatusCode != http.StatusBadRequest {
		t.Errorf("year 20255: status %d, want 400", res.StatusCode)
	}
	doc = parse(t, res)
	htmltest.CheckPage(t, doc)
	if href, _ := doc.Find(`.govuk-error-summary a`).Attr("href"); href != "#year" {
		t.Errorf("error summary links to %q, want #year", href)
	}
	if got := htmltest.Text(doc.Find(`#year-error`)); !strings.Contains(got, fmt.Sprintf("Enter a year from %d to %d", workday.FirstYear, workday.LastYear)) {
		t.Errorf("year error %q", got)
	}
	if got := doc.Find(`input[name=year]`).AttrOr("value", ""); got != "20255" {
		t.Errorf("the year typed is not kept: %q", got)
	}
	if !strings.HasPrefix(doc.Find("title").Text(), "Error: ") {
		t.Errorf("title %q lacks the Error: prefix", doc.Find("title").Text())
	}
	if got := htmltest.Text(doc.Find("table caption")); got != "April 2026" {
		t.Errorf("caption %q, want April 2026", got)
	}
	// A month that is none is a bad request.
	for _, bad := range []string{"month=13&year=2025", "month=0&year=2025", "month=April&year=2025", "year=2025"} {
		if res := ts.get(lead, "/calendar?"+bad); res.StatusCode != http.StatusBadRequest {
			t.Errorf("%s: status %d, want 400", bad, res.StatusCode)
		}
	}
}

package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ofsted/focusedvisits/internal/htmltest"
	"github.com/ofsted/focusedvisits/internal/user"
)

// TestVisitCancel_ReasonAndInternalNote (DOMAIN decision 18): a
// cancellation has a reason Cafcass is shown and, separately, an internal
// note it never sees, on any page or in any calendar; the form says which is
// which; both are in the visit's history.
func TestVisitCancel_ReasonAndInternalNote(t *testing.T) {
	t.Parallel()
	f := newRequestFixture(t)
	f.setRequest(t)
	f.recordNotice(t) // Cafcass sees the visit from now on
	ts := f.ts
	admin := ts.addUser(user.Admin, "admin@example.gov.uk")
	adminC := ts.signIn(admin.Email)
	ceoFeed := calLink(t, ts, f.ceoC)
	leadFeed := calLink(t, ts, f.leadC)

	const reason = "The chief executive is on leave; Ofsted will rearrange the visit"
	const note = "Two inspectors off sick this week (internal)"
	path := f.base + "/cancel"

	doc := parse(t, ts.get(f.leadC, path))
	htmltest.CheckPage(t, doc)
	reasonHint := htmltest.Text(doc.Find("#reason-hint"))
	noteHint := htmltest.Text(doc.Find("#note-hint"))
	if !strings.Contains(reasonHint, "Cafcass will see") {
		t.Errorf("the reason's hint %q does not say Cafcass sees it", reasonHint)
	}
	if !strings.Contains(noteHint, "Cafcass will not see") {
		t.Errorf("the note's hint %q does not say Cafcass does not see it", noteHint)
	}
	for _, id := range []string{"reason", "note"} {
		if d, _ := doc.Find("textarea#" + id).Attr("aria-describedby"); !strings.Contains(d, id+"-hint") {
			t.Errorf("textarea #%s is not described by its hint: %q", id, d)
		}
	}

	// A note without a reason: the note is kept on the page.
	res := ts.post(f.leadC, path, url.Values{"note": {note}, "version": {"0"}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("no reason: status %d", res.StatusCode)
	}
	doc = parse(t, res)
	wantErrors(t, doc, "#reason")
	if got := doc.Find("textarea#note").Text(); got != note {
		t.Errorf("the note typed is not kept: %q", got)
	}
	res = ts.post(f.leadC, path, url.Values{"reason": {reason}, "note": {strings.Repeat("x", 2001)}})
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("long note: status %d", res.StatusCode)
	}
	wantErrors(t, parse(t, res), "#note")

	res = ts.post(f.leadC, path, url.Values{"reason": {reason}, "note": {note}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("cancel: status %d", res.StatusCode)
	}

	// Ofsted: the visit page shows both, each labelled; so does the history.
	body := htmltest.Text(parse(t, ts.get(f.leadC, f.base)).Find("[data-testid=cancelled]"))
	if !strings.Contains(body, reason) || !strings.Contains(body, note) || !strings.Contains(body, "not shown to Cafcass") {
		t.Errorf("the lead's visit page shows %q", body)
	}
	history := htmltest.Text(parse(t, ts.get(f.leadC, f.base+"/history")).Find("main"))
	if !strings.Contains(history, reason) || !strings.Contains(history, note) {
		t.Errorf("the history lacks the reason or the note: %q", history)
	}
	csv := readAll(t, ts.get(adminC, f.base+"/history.csv").Body)
	if !strings.Contains(csv, reason) || !strings.Contains(csv, note) {
		t.Errorf("the history export lacks the reason or the note")
	}

	// Cafcass: the reason where the visit is shown, the note nowhere.
	page := readAll(t, ts.get(f.ceoC, f.base).Body)
	if !strings.Contains(page, reason) {
		t.Errorf("Cafcass is not shown the reason")
	}
	for _, p := range []string{f.base, "/", f.base + "/request", "/calendar?month=2025-04", f.base + "/calendar.ics", ceoFeed,
		f.itemPath(t, "CL.1"), f.base + "/letter/cafcass", f.base + "/case-sample"} {
		res := ts.get(f.ceoC, p)
		b := readAll(t, res.Body)
		if res.StatusCode >= 500 {
			t.Errorf("Cafcass %s: status %d", p, res.StatusCode)
		}
		if strings.Contains(b, "Two inspectors off sick") {
			t.Errorf("Cafcass sees the internal note on %s", p)
		}
	}
	for _, p := range []string{f.base + "/calendar.ics", ceoFeed} {
		if b := unfoldICS(readAll(t, ts.get(f.ceoC, p).Body)); !strings.Contains(b, "The chief executive is on leave") {
			t.Errorf("Cafcass's calendar %s lacks the reason", p)
		}
	}
	// Calendars leave the service: not even Ofsted's carry the note.
	for _, p := range []string{f.base + "/calendar.ics", leadFeed} {
		if b := unfoldICS(readAll(t, ts.get(f.leadC, p).Body)); strings.Contains(b, "Two inspectors off sick") {
			t.Errorf("the lead's calendar %s carries the internal note", p)
		}
	}
}

// unfoldICS joins iCalendar's folded lines and unescapes its text, so that
// a sentence can be looked for.
func unfoldICS(s string) string {
	s = strings.ReplaceAll(s, "\r\n ", "")
	s = strings.ReplaceAll(s, "\n ", "")
	return strings.NewReplacer(`\,`, ",", `\;`, ";", `\n`, "\n", `\\`, `\`).Replace(s)
}

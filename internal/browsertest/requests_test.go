package browsertest_test

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/browsertest"
	"github.com/ofsted/focusedvisits/internal/demo"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// requestToday is the server's fixed "today" for the information request
// journey: Tuesday 15 April 2025, day 2 of a visit whose notice call was on
// Monday 14 April. Good Friday (18 April) and Easter Monday (21 April) fall
// in its notice week, so day 3 is Wed 16 Apr and day 5 is Tue 22 Apr.
var requestToday = workday.NewDate(2025, time.April, 15)

// requestNotice is the notice day of the visit the journey works on.
var requestNotice = workday.NewDate(2025, time.April, 14)

// startRequestApp is startAppAt that also creates, through the store, a
// visit planned from the notice day requestNotice, led by the demo lead
// inspector with the demo QAM, SAO and Cafcass chief executive, and returns
// its id. Nothing is recorded on it yet: the test gives notice in the
// browser.
func startRequestApp(t *testing.T) (string, map[user.Role]demo.Credential, string) {
	t.Helper()
	var path string
	now := tenAM(requestToday)
	a := startDemoApp(t, requestToday, func() time.Time { return now }, func(a *demoApp) {
		path = "/visits/" + a.newVisit(t, requestNotice).PublicID
	})
	return a.URL, a.ByRole, path
}

// childListHeader is the Annex A header row, as the demo list has it.
const childListHeader = "Case ref,Child ID,Case name,Gender,Ethnicity,Disability (Y/N),DOB,Lead application,Law type,Case type,Practitioner,Team,Service area,Local authority,Court,Case start date,Case end date,Child seen (Y/N),Section 7 filed,Audit (Y/N)\n"

// badChildList has three rows with one error each: an impossible date of
// birth (row 3), a law type that is neither public nor private (row 4) and
// a Y/N field that is neither (row 5). Rows 2 and 6 are right.
const badChildList = childListHeader +
	"CF-2001,1,Re A,F,White British,N,14/03/2016,C100,Private,s7,Priya Patel,Team 4,South East,,Medway,01/10/2024,07/04/2025,Y,N,N\n" +
	"CF-2002,1,Re B,M,White British,N,31/02/2017,C100,Private,s7,Priya Patel,Team 4,South East,,Medway,01/10/2024,07/04/2025,Y,N,N\n" +
	"CF-2003,1,Re C,F,Asian British,N,05/05/2019,C100,civil,s7,Omar Okafor,Team 2,London,,Central Family Court,01/10/2024,08/04/2025,Y,N,N\n" +
	"CF-2004,1,Re D,M,Black British,N,21/07/2020,C110A,Public,s31,Omar Okafor,Team 2,London,Kent,Medway,01/10/2024,09/04/2025,maybe,N,N\n" +
	"CF-2005,1,Re E,F,Mixed,Y,12/12/2012,C100,Private,s8,Priya Patel,Team 4,South East,,Medway,01/10/2024,10/04/2025,Y,N,N\n"

// goodChildList is badChildList corrected: five rows, none raising an
// error or a query.
const goodChildList = childListHeader +
	"CF-2001,1,Re A,F,White British,N,14/03/2016,C100,Private,s7,Priya Patel,Team 4,South East,,Medway,01/10/2024,07/04/2025,Y,N,N\n" +
	"CF-2002,1,Re B,M,White British,N,28/02/2017,C100,Private,s7,Priya Patel,Team 4,South East,,Medway,01/10/2024,07/04/2025,Y,N,N\n" +
	"CF-2003,1,Re C,F,Asian British,N,05/05/2019,C100,Private,s7,Omar Okafor,Team 2,London,,Central Family Court,01/10/2024,08/04/2025,Y,N,N\n" +
	"CF-2004,1,Re D,M,Black British,N,21/07/2020,C110A,Public,s31,Omar Okafor,Team 2,London,Kent,Medway,01/10/2024,09/04/2025,Y,N,N\n" +
	"CF-2005,1,Re E,F,Mixed,Y,12/12/2012,C100,Private,s8,Priya Patel,Team 4,South East,,Medway,01/10/2024,10/04/2025,Y,N,N\n"

// minimalPDF is a small, valid one-page PDF.
const minimalPDF = "%PDF-1.4\n" +
	"1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" +
	"2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj\n" +
	"3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >> endobj\n" +
	"trailer << /Root 1 0 R >>\n" +
	"%%EOF\n"

// writeFile writes body to name in dir and returns its path.
func writeFile(t *testing.T, dir, name string, body []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, body, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// taskHref is the href of the task list link whose text begins with the
// item number.
func taskHref(t *testing.T, b *browsertest.Browser, number string) string {
	t.Helper()
	var href string
	b.Eval(`(() => {
		const a = [...document.querySelectorAll('a.govuk-task-list__link')].find(a => a.textContent.trim().startsWith(`+jsQuote(number+" ")+`));
		return a ? a.getAttribute('href') : '';
	})()`, &href)
	if href == "" {
		t.Fatalf("no task list link for item %s on %s", number, b.Path())
	}
	return href
}

func jsQuote(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`).Replace(s) + `"`
}

// issueRow is one row of a child-level list's issues table.
type issueRow struct{ Row, Column, Problem string }

// issueTable reads the table with the CSS selector (list-errors, say).
func issueTable(b *browsertest.Browser, selector string) []issueRow {
	var rows [][]string
	b.Eval(`[...document.querySelectorAll(`+jsQuote(selector+" tbody tr")+`)].map(tr => [...tr.cells].map(c => c.textContent.trim().replace(/\s+/g, ' ')))`, &rows)
	out := make([]issueRow, 0, len(rows))
	for _, r := range rows {
		for len(r) < 3 {
			r = append(r, "")
		}
		out = append(out, issueRow{r[0], r[1], r[2]})
	}
	return out
}

// download fetches href in the page, with the signed-in user's session, and
// returns the response's status, Content-Disposition and body.
func download(t *testing.T, b *browsertest.Browser, href string) (int, string, []byte) {
	t.Helper()
	var res struct {
		Status      int    `json:"status"`
		Disposition string `json:"disposition"`
		Body        string `json:"body"`
	}
	b.Eval(`fetch(`+jsQuote(href)+`, {credentials: 'same-origin'}).then(async r => {
		const bytes = new Uint8Array(await r.arrayBuffer());
		let s = '';
		for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
		return {status: r.status, disposition: r.headers.get('Content-Disposition') || '', body: btoa(s)};
	})`, &res)
	body, err := base64.StdEncoding.DecodeString(res.Body)
	if err != nil {
		t.Fatalf("decoding the download of %s: %v", href, err)
	}
	return res.Status, res.Disposition, body
}

// TestRequestJourney is issue 5's "must show": after notice the Cafcass
// chief executive reads the information request, uploads a child-level
// list with errors and sees them row by row, uploads it corrected and sees
// it accepted, uploads a document whose name lacks the item number and sees
// it prefixed; then the lead inspector downloads that document, byte for
// byte, and reads the child-level data summary. Every page passes axe.
func TestRequestJourney(t *testing.T) {
	t.Parallel()
	base, creds, visitPath := startRequestApp(t)
	lead, ceo := creds[user.LeadInspector], creds[user.CafcassCEO]
	dir := t.TempDir()
	b := browsertest.New(t, base)

	// The lead inspector sets the information request (the whole
	// catalogue, ticked by default) and records the notice call.
	signInAs(t, b, lead)
	b.Visit(visitPath + "/request/edit")
	if got, want := b.Text("h1"), "Choose the information to request"; got != want {
		t.Errorf("request form h1 = %q, want %q", got, want)
	}
	if n, all := b.Count(`input[name="item"]:checked`), b.Count(`input[name="item"]`); n == 0 || n != all {
		t.Errorf("%d of %d catalogue items ticked on a new request, want all", n, all)
	}
	b.Submit(mainSubmit)
	if got := b.Path(); got != visitPath+"/request" {
		t.Fatalf("after saving the request, at %s (h1 %q), want %s/request", got, b.Text("h1"), visitPath)
	}
	if got := flash(b); !strings.HasPrefix(got, "Information request saved") {
		t.Errorf("flash = %q, want Information request saved", got)
	}
	b.Visit(visitPath)
	b.Follow(`tr[data-code="notice"] a[href="` + visitPath + `/milestones/notice/record"]`)
	fillDate(b, "date", "14", "4", "2025")
	b.Fill("#time", "09:05")
	b.Click("#confirm")
	b.Submit(`main form button[value="save"]`)
	if got, want := flash(b), "Notice call recorded. Cafcass can now see the visit"; got != want {
		t.Errorf("flash = %q, want %q", got, want)
	}
	signOut(t, b)

	// 1. The Cafcass chief executive reads the request as a task list,
	// grouped by due date.
	signInAs(t, b, ceo)
	b.Follow(`table[data-testid="visits"] a[href="` + visitPath + `"]`)
	b.Follow(`nav.app-sub-navigation a[href="` + visitPath + `/request"]`)
	if n := b.Count(`nav.app-sub-navigation a[aria-current="page"][href$="/request"]`); n != 1 {
		t.Errorf("the Information request tab is not marked current")
	}
	var headings []string
	b.Eval(`[...document.querySelectorAll('[data-testid="due-heading"]')].map(h => h.textContent.trim())`, &headings)
	for _, want := range []string{
		"Due by the end of day 3, Wed 16 Apr 2025, 23:59",
		"Due by the end of day 5, Tue 22 Apr 2025, 23:59",
	} {
		found := false
		for _, h := range headings {
			found = found || h == want
		}
		if !found {
			t.Errorf("due headings %q, want one %q", headings, want)
		}
	}
	if n := b.Count(".govuk-task-list .govuk-task-list__item"); n < 3 {
		t.Errorf("%d items in the task list, want the whole catalogue", n)
	}
	if got := b.Text(`[data-testid="request-summary"]`); !strings.HasPrefix(got, "0 of ") {
		t.Errorf("request summary = %q, want nothing submitted yet", got)
	}
	b.Screenshot("cafcass-request-task-list")
	requestPath := b.Path()

	// 2. The child-level list, with errors.
	cl := taskHref(t, b, "CL.1")
	b.Follow(`a.govuk-task-list__link[href="` + cl + `"]`)
	if got := b.Text("h1"); !strings.HasPrefix(got, "CL.1 ") {
		t.Errorf("item h1 = %q, want CL.1 …", got)
	}
	b.Follow(`#files a[href="` + cl + `/child-list"]`)
	if got := b.Path(); got != cl+"/child-list" {
		t.Fatalf("the upload link went to %s, want %s/child-list", got, cl)
	}
	fillDate(b, "covers-from", "31", "3", "2025")
	fillDate(b, "covers-to", "13", "4", "2025")
	b.UploadFiles("#file", writeFile(t, dir, "CL.1 closed cases.csv", []byte(badChildList)))
	b.Screenshot("child-list-form-filled")
	uploadList := `form[action="` + cl + `/child-list"] button[type="submit"]`
	b.Submit(uploadList)
	if got, want := b.Status(), http.StatusUnprocessableEntity; got != want {
		t.Errorf("a list with errors answered %d, want %d", got, want)
	}
	if got := b.Text(".govuk-error-summary__title"); got != "There is a problem" {
		t.Errorf("error summary title = %q", got)
	}
	if n := b.Count(`.govuk-error-summary__list a[href="#list-errors"]`); n != 1 {
		t.Errorf("the error summary has %d links to #list-errors, want 1", n)
	} else if got := b.Text(`.govuk-error-summary__list a[href="#list-errors"]`); !strings.Contains(got, "3 errors") {
		t.Errorf("error summary says %q, want 3 errors", got)
	}
	if !b.HasFocus(".govuk-error-summary") {
		t.Errorf("the error summary does not have focus")
	}
	errs := issueTable(b, "#list-errors")
	t.Logf("errors table: %q", errs)
	for _, want := range []struct{ row, column string }{
		{"3", "DOB"},
		{"4", "Law type"},
		{"5", "Child seen"},
	} {
		found := false
		for _, e := range errs {
			found = found || (e.Row == want.row && strings.Contains(e.Column, want.column) && e.Problem != "")
		}
		if !found {
			t.Errorf("no error for row %s, column %s in %q", want.row, want.column, errs)
		}
	}
	if len(errs) != 3 {
		t.Errorf("%d errors, want 3: %q", len(errs), errs)
	}
	// The dates entered are kept for the next try.
	var from []string
	b.Eval(`["covers-from-day","covers-from-month","covers-from-year"].map(id => document.getElementById(id).value)`, &from)
	if strings.Join(from, "/") != "31/3/2025" {
		t.Errorf("covers-from after the errors = %q, want 31/3/2025 kept", from)
	}
	b.Screenshot("child-list-errors")

	// Following the summary's link moves to the table.
	b.Click(`.govuk-error-summary__list a[href="#list-errors"]`)

	// 3. The corrected list.
	b.UploadFiles("#file", writeFile(t, dir, "CL.1 closed cases corrected.csv", []byte(goodChildList)))
	b.Submit(uploadList)
	if got := b.Path(); got != cl+"/child-list" {
		t.Fatalf("after the corrected list, at %s (h1 %q), want %s/child-list", got, b.Text("h1"), cl)
	}
	if got, want := flash(b), "List accepted with 5 rows."; got != want {
		t.Errorf("flash = %q, want %q", got, want)
	}
	if got, want := b.Text(`[data-testid="accepted"]`), "The list was accepted with 5 rows."; got != want {
		t.Errorf("result = %q, want %q", got, want)
	}
	if n := b.Count("#list-errors, #list-queries"); n != 0 {
		t.Errorf("an accepted clean list shows %d issue tables", n)
	}
	b.Screenshot("child-list-accepted")

	// 4. A document whose name lacks the item number.
	b.Visit(requestPath)
	doc := taskHref(t, b, "1.03")
	b.Follow(`a.govuk-task-list__link[href="` + doc + `"]`)
	if got := b.Text("h1"); !strings.HasPrefix(got, "1.03 ") {
		t.Errorf("item h1 = %q, want 1.03 …", got)
	}
	pdf := []byte(minimalPDF)
	b.UploadFiles(`#files input[type="file"][name="files"]`, writeFile(t, dir, "MI report.pdf", pdf))
	var chosen string
	b.Eval(`(document.querySelector('.govuk-file-upload-button__status') || {}).textContent || ''`, &chosen)
	if chosen != "" && !strings.Contains(chosen, "MI report.pdf") {
		t.Errorf("the file upload says %q, want the chosen file's name", chosen)
	}
	b.Screenshot("document-chosen")
	b.Submit(`form[action="` + doc + `/files"] button[type="submit"]`)
	if got := b.Path(); got != doc {
		t.Fatalf("after uploading, at %s (h1 %q), want %s", got, b.Text("h1"), doc)
	}
	if got, want := flash(b), "1 file uploaded. We added the item number: 1.03 MI report.pdf."; got != want {
		t.Errorf("flash = %q, want %q", got, want)
	}
	if got, want := b.Text(`[data-testid="file-link"]`), "1.03 MI report.pdf"; got != want {
		t.Errorf("file listed as %q, want %q", got, want)
	}
	// The digest is Ofsted's check: Cafcass is not shown it (issue 15.5).
	if n := b.Count(`[data-testid="file-sha"]`); n != 0 {
		t.Errorf("Cafcass is shown %d SHA-256 digests", n)
	}
	b.Screenshot("document-uploaded")
	signOut(t, b)

	// 5. The lead inspector downloads it, byte for byte.
	signInAs(t, b, lead)
	b.Visit(requestPath)
	b.Follow(`a.govuk-task-list__link[href="` + doc + `"]`)
	if got := b.Text(`[data-testid="file-link"]`); got != "1.03 MI report.pdf" {
		t.Errorf("the lead sees the file as %q", got)
	}
	sum := sha256.Sum256(pdf)
	wantSHA := hex.EncodeToString(sum[:])
	var shownSHA string
	b.Eval(`document.querySelector('[data-testid="file-sha"]').getAttribute('title')`, &shownSHA)
	if shownSHA != wantSHA {
		t.Errorf("the page shows the lead SHA-256 %s, want %s", shownSHA, wantSHA)
	}
	var href string
	b.Eval(`document.querySelector('[data-testid="file-link"]').getAttribute('href')`, &href)
	status, disposition, body := download(t, b, href)
	if status != http.StatusOK {
		t.Fatalf("downloading %s answered %d", href, status)
	}
	if !strings.HasPrefix(disposition, "attachment;") || !strings.Contains(disposition, `filename="1.03 MI report.pdf"`) {
		t.Errorf("Content-Disposition = %q, want an attachment named 1.03 MI report.pdf", disposition)
	}
	got := sha256.Sum256(body)
	if hex.EncodeToString(got[:]) != wantSHA || len(body) != len(pdf) {
		t.Errorf("downloaded %d bytes with SHA-256 %x, want %d bytes with %s", len(body), got, len(pdf), wantSHA)
	}
	b.Screenshot("lead-document")

	// 6. The child-level data summary.
	b.Visit(visitPath)
	b.Follow(`nav.app-sub-navigation a[href="` + visitPath + `/child-data"]`)
	if got := b.Text(`[data-testid="row-count"]`); got != "5" {
		t.Errorf("child-level data rows = %q, want 5", got)
	}
	summary := b.Text(`[data-testid="summary"]`)
	for _, want := range []string{"By law type", "Private 4", "Public 1", "By team", "Team 4 (South East) 3", "Team 2 (London) 2"} {
		if !strings.Contains(summary, want) {
			t.Errorf("summary %q lacks %q", summary, want)
		}
	}
	if n := b.Count(`[data-testid="child-rows"] tbody tr`); n != 5 {
		t.Errorf("%d rows in the table, want 5", n)
	}
	b.Screenshot("lead-child-data")
}

package server_test

import (
	"bytes"
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/xuri/excelize/v2"

	"github.com/ofsted/focusedvisits/internal/annexa"
	"github.com/ofsted/focusedvisits/internal/childdata"
	"github.com/ofsted/focusedvisits/internal/htmltest"
	"github.com/ofsted/focusedvisits/internal/user"
)

// TestChildListUpload_ShowsColumnsAndTemplates: the upload page lists the
// columns the list needs, required and optional, each with an example, and
// offers CSV and Excel templates whose headers are those columns, which
// the check matches one for one (issue 15.1).
func TestChildListUpload_ShowsColumnsAndTemplates(t *testing.T) {
	t.Parallel()
	f, path := newChildListFixture(t)
	doc := parse(t, f.ts.get(f.ceoC, path))
	htmltest.CheckPage(t, doc)
	// The fixture's visit (April 2025) asks for December 2024's list.
	schema := childdata.AnnexA2024()
	rows := doc.Find("[data-testid=list-columns] tbody tr")
	if rows.Length() != len(schema.Fields) {
		t.Fatalf("%d columns listed, want %d: %q", rows.Length(), len(schema.Fields), htmltest.Text(doc.Find("[data-testid=list-columns]")))
	}
	rows.Each(func(i int, r *goquery.Selection) {
		fd := schema.Fields[i]
		cells := r.Find("th, td")
		if got := htmltest.Text(cells.Eq(0)); got != fd.Label {
			t.Errorf("column %d: %q, want %q", i+1, got, fd.Label)
		}
		req := map[bool]string{true: "Required", false: "Optional"}[fd.Required]
		if got := htmltest.Text(cells.Eq(1)); got != req {
			t.Errorf("%s: %q, want %q", fd.Label, got, req)
		}
		if got := htmltest.Text(cells.Eq(2)); got == "" || !strings.Contains(got, fd.Example) {
			t.Errorf("%s: example %q, want %q", fd.Label, got, fd.Example)
		}
	})

	for _, ext := range []string{"csv", "xlsx"} {
		href, ok := doc.Find(`a[href$="/child-list/template.` + ext + `"]`).Attr("href")
		if !ok {
			t.Fatalf("no %s template offered", ext)
		}
		res := f.ts.get(f.ceoC, href)
		body := readAll(t, res.Body)
		if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Disposition"), "attachment") {
			t.Fatalf("%s template: %d, %q", ext, res.StatusCode, res.Header.Get("Content-Disposition"))
		}
		var header []string
		if ext == "csv" {
			recs, err := csv.NewReader(strings.NewReader(body)).ReadAll()
			if err != nil || len(recs) != 1 {
				t.Fatalf("csv template: %d rows, %v", len(recs), err)
			}
			header = recs[0]
		} else {
			x, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
			if err != nil {
				t.Fatal(err)
			}
			sheetRows, err := x.GetRows(x.GetSheetList()[0])
			if err != nil || len(sheetRows) != 1 {
				t.Fatalf("xlsx template: %d rows on the first sheet, %v", len(sheetRows), err)
			}
			header = sheetRows[0]
			x.Close()
		}
		h, issues := schema.MatchHeader(header)
		if len(issues) != 0 || h == nil {
			t.Errorf("%s template header %q: issues %v", ext, header, issues)
		}
		if len(header) != len(schema.Fields) {
			t.Errorf("%s template: %d columns, want %d", ext, len(header), len(schema.Fields))
		}
	}
	// Someone who may not see the list gets what a missing page gets.
	href, _ := doc.Find(`a[href$="/child-list/template.csv"]`).Attr("href")
	qam := f.ts.addUser(user.QAM, "qam@example.gov.uk")
	if res := f.ts.get(f.ts.signIn(qam.Email), href); res.StatusCode != http.StatusNotFound {
		t.Errorf("the QAM gets the template: %d", res.StatusCode)
	}
}

// TestChildList_CorrectedAfterReturn: after Ofsted returns a list and
// Cafcass sends a corrected one that is accepted, the item has one status
// (in progress, not "Returned" with the old reason) and the list it
// replaces is an earlier version of the one file, not a second file.
func TestChildList_CorrectedAfterReturn(t *testing.T) {
	t.Parallel()
	f, path := newChildListFixture(t)
	if res := f.postList(t, f.ceoC, path, coverApril("list.csv", []byte(goodList()))); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("first list: %d", res.StatusCode)
	}
	f.act(t, f.ceoC, "CL.1", "submit", http.StatusSeeOther, nil)
	f.act(t, f.leadC, "CL.1", "return", http.StatusSeeOther, url.Values{"return-reason": {"Cases closed on 11 April are missing"}})
	fixed := goodList() + cdListRow(7, "Private", "s7", "Team 1", "South East") + "\n"
	if res := f.postList(t, f.ceoC, path, coverApril("list corrected.csv", []byte(fixed))); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("corrected list: %d", res.StatusCode)
	}
	if it := f.items(t)["CL.1"]; it.Status != annexa.InProgress || it.StatusReason != "" {
		t.Errorf("item after the corrected list: %s %q, want in progress with no reason", it.Status, it.StatusReason)
	}
	item := f.itemPath(t, "CL.1")
	doc := parse(t, f.ts.get(f.ceoC, item))
	if got := htmltest.Text(doc.Find("[data-testid=item-status]")); got != "In progress" {
		t.Errorf("item status %q, want In progress", got)
	}
	if doc.Find("[data-testid=item-reason]").Length() != 0 {
		t.Errorf("the old reason is still shown: %q", htmltest.Text(doc.Find("[data-testid=item-reason]")))
	}
	files := doc.Find("[data-testid=file]")
	if files.Length() != 1 || !strings.Contains(htmltest.Text(files.Find("[data-testid=file-link]")), "list corrected.csv") {
		t.Fatalf("files %q, want the corrected list alone as the current file", htmltest.Text(doc.Find("[data-testid=item-files]")))
	}
	if got := htmltest.Text(files.Find("[data-testid=earlier-version]")); files.Find("[data-testid=earlier-version]").Length() != 1 || !strings.Contains(got, "Version 1") {
		t.Errorf("earlier versions %q, want the returned list as version 1", got)
	}
	task := parse(t, f.ts.get(f.ceoC, f.base+"/request")).Find(`.govuk-task-list__item:contains("CL.1")`)
	if got := htmltest.Text(task); strings.Contains(got, "Returned") || !strings.Contains(got, "In progress") {
		t.Errorf("task list row %q, want In progress and nothing of the return", got)
	}
}

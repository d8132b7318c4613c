package server_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"fmt"
	"hash/crc32"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/ofsted/focusedvisits/internal/htmltest"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/xuri/excelize/v2"
)

// bigList is a valid list of n rows.
func bigList(n int) []byte {
	var b strings.Builder
	b.WriteString(cdListHeader + "\n")
	for i := range n {
		law, typ := "Private", "s7"
		if i%3 == 0 {
			law, typ = "Public", "s31"
		}
		b.WriteString(cdListRow(i, law, typ, fmt.Sprintf("Team %d", i%2), "South East") + "\n")
	}
	return []byte(b.String())
}

// TestChildList_ParallelImportsToOneItem posts the same valid 2,000-row list
// to one item several times at once, as two people (or one impatient one)
// might: each answer is the list accepted (303) or a clear 409, never a
// server error, and the item ends with exactly one current list.
func TestChildList_ParallelImportsToOneItem(t *testing.T) {
	t.Parallel()
	f, path := newChildListFixture(t)
	list := bigList(2000)
	const n = 6
	statuses := make([]int, n)
	bodies := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			res := f.postList(t, f.ceoC, path, coverApril("list.csv", list))
			statuses[i] = res.StatusCode
			if res.StatusCode != http.StatusSeeOther {
				bodies[i] = htmltest.Text(parse(t, res).Find("main"))
			}
		})
	}
	wg.Wait()
	t.Logf("statuses: %v", statuses)
	accepted := 0
	for i, st := range statuses {
		switch st {
		case http.StatusSeeOther:
			accepted++
		case http.StatusConflict:
			if !strings.Contains(bodies[i], "Another list is being checked") {
				t.Errorf("409 without the explanation: %q", bodies[i])
			}
		case http.StatusServiceUnavailable:
			// On a slow machine a list may wait longer than IMPORT_QUEUE_WAIT
			// for a place: it is asked to try again, which is also clear.
			if !strings.Contains(bodies[i], "Try again in a few minutes") {
				t.Errorf("503 without the explanation: %q", bodies[i])
			}
		default:
			t.Errorf("upload %d: status %d: %s", i, st, bodies[i])
		}
	}
	if accepted == 0 {
		t.Errorf("no upload was accepted: %v", statuses)
	}
	if rows, files, _ := f.stored(t); rows != 2000 || files != 1 {
		t.Errorf("%d rows and %d current files stored, want 2000 and 1 (%v)", rows, files, statuses)
	}
}

// TestFileUpload_ParallelSameNameToOneItem uploads a file of the same name
// to a not-started item several times at once: every upload is stored (each
// a new version) or answered 409, never a server error.
func TestFileUpload_ParallelSameNameToOneItem(t *testing.T) {
	t.Parallel()
	f := newUploadFixture(t, nil, true)
	item := f.itemPath(t, "1.01")
	const n = 8
	statuses := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			res := f.upload(t, f.ceoC, item, filePart{"1.01 policy.pdf", pdf})
			statuses[i] = res.StatusCode
		})
	}
	wg.Wait()
	stored := 0
	for i, st := range statuses {
		switch st {
		case http.StatusSeeOther:
			stored++
		case http.StatusConflict:
		default:
			t.Errorf("upload %d: status %d", i, st)
		}
	}
	files, _ := f.stored(t)
	if files != stored {
		t.Errorf("%d uploads answered 303 but %d versions stored (%v)", stored, files, statuses)
	}
	if st := f.items(t)["1.01"].Status; st != "in_progress" {
		t.Errorf("item status %s, want in_progress", st)
	}
}

// TestFiles_FrozenOnceSubmitted: once Cafcass submits an item it is offered
// no upload or removal, and a request made anyway (an old page, a crafted
// post) is answered 409 with the reason, changing nothing, until Ofsted
// returns the item (DOMAIN decision 18).
func TestFiles_FrozenOnceSubmitted(t *testing.T) {
	t.Parallel()
	f := newUploadFixture(t, nil, true)
	item := f.itemPath(t, "1.01")
	if res := f.upload(t, f.ceoC, item, filePart{"1.01 policy.pdf", pdf}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d", res.StatusCode)
	}
	doc := parse(t, f.ts.get(f.ceoC, item))
	remove := doc.Find(`a[href$="/remove"]`).AttrOr("href", "")
	if remove == "" || doc.Find(`form[action$="/files"]`).Length() != 1 {
		t.Fatal("before submitting, Cafcass is not offered removal and upload")
	}
	f.act(t, f.ceoC, "1.01", "submit", http.StatusSeeOther, nil)

	doc = parse(t, f.ts.get(f.ceoC, item))
	if doc.Find(`a[href$="/remove"]`).Length() != 0 || doc.Find(`form[action$="/files"]`).Length() != 0 {
		t.Error("after submitting, Cafcass is still offered removal or upload")
	}
	if got := htmltest.Text(doc.Find("#files .govuk-inset-text")); !strings.Contains(got, "cannot be changed unless Ofsted returns it") {
		t.Errorf("no reason given on the page: %q", got)
	}
	wantFrozen := func(what string, res *http.Response) {
		t.Helper()
		if res.StatusCode != http.StatusConflict {
			t.Errorf("%s: status %d, want 409", what, res.StatusCode)
			return
		}
		doc := parse(t, res)
		wantErrors(t, doc, "#files")
		if got := htmltest.Text(doc.Find(".govuk-error-summary")); !strings.Contains(got, "its files can") {
			t.Errorf("%s: error summary %q", what, got)
		}
	}
	wantFrozen("remove page", f.ts.get(f.ceoC, remove))
	wantFrozen("remove", f.ts.post(f.ceoC, remove, nil))
	wantFrozen("replace", f.upload(t, f.ceoC, item, filePart{"1.01 policy.pdf", pdf}))
	wantFrozen("add", f.upload(t, f.ceoC, item, filePart{"1.01 other.pdf", pdf}))
	if files, _ := f.stored(t); files != 1 {
		t.Errorf("%d files stored, want the one submitted", files)
	}

	// Accepted: still frozen for Cafcass.
	f.act(t, f.leadC, "1.01", "accept", http.StatusSeeOther, nil)
	wantFrozen("remove once accepted", f.ts.post(f.ceoC, remove, nil))

	// A child-level list: the upload form is not offered once submitted,
	// and a list posted anyway is refused; once returned, it is taken.
	cl := f.itemPath(t, "CL.1")
	if res := f.postList(t, f.ceoC, cl+"/child-list", coverApril("list.csv", []byte(goodList()))); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("list: %d", res.StatusCode)
	}
	f.act(t, f.ceoC, "CL.1", "submit", http.StatusSeeOther, nil)
	doc = parse(t, f.ts.get(f.ceoC, cl+"/child-list"))
	if doc.Find(`input[type=file]`).Length() != 0 || !strings.Contains(htmltest.Text(doc.Find("#upload")), "submitted") {
		t.Error("the list page still offers an upload once submitted, or does not say why not")
	}
	res := f.postList(t, f.ceoC, cl+"/child-list", coverApril("list.csv", []byte(goodList())))
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("list posted to a submitted item: status %d", res.StatusCode)
	}
	wantErrors(t, parse(t, res), "#upload")
	lists, err := f.ts.Store.CurrentChildLists(context.Background(), f.visit.ID)
	if err != nil || len(lists) != 1 {
		t.Fatalf("lists %v, %v", lists, err)
	}
	f.act(t, f.saoC, "CL.1", "return", http.StatusSeeOther, url.Values{"return-reason": {"Please add the audit column"}})
	if res := f.postList(t, f.ceoC, cl+"/child-list", coverApril("list.csv", []byte(goodList()))); res.StatusCode != http.StatusSeeOther {
		t.Errorf("list to a returned item: status %d", res.StatusCode)
	}
}

// TestFiles_SubmitRacingRemoval submits an item and removes its only file at
// the same moment, many times: whichever comes first wins, the other is
// refused with a clear answer, and an item is never left submitted without
// a file.
func TestFiles_SubmitRacingRemoval(t *testing.T) {
	t.Parallel()
	f := newUploadFixture(t, nil, true)
	ctx := context.Background()
	for round := range 10 {
		number := "1.01"
		// Start each round with the item in progress and one file.
		it := f.items(t)[number]
		if it.Status == "submitted" {
			f.act(t, f.leadC, number, "return", http.StatusSeeOther, url.Values{"return-reason": {"Round over"}})
		}
		path := f.itemPath(t, number)
		name := fmt.Sprintf("1.01 round %d.pdf", round)
		if res := f.upload(t, f.ceoC, path, filePart{name, pdf}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("round %d: upload %d", round, res.StatusCode)
		}
		docs, err := f.ts.Store.ListItemFiles(ctx, it.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			if d.Current.Name != name {
				if _, err := f.ts.Store.RemoveFile(ctx, f.visit.ID, d.Current.ID, f.lead); err != nil {
					t.Fatal(err)
				}
				continue
			}
			it = f.items(t)[number]
			var wg sync.WaitGroup
			var submit, remove int
			wg.Go(func() {
				submit = f.ts.post(f.ceoC, path+"/submit", nil).StatusCode
			})
			wg.Go(func() {
				remove = f.ts.post(f.ceoC, f.base+"/files/"+d.Current.PublicID+"/remove", nil).StatusCode
			})
			wg.Wait()
			if submit >= 500 || remove >= 500 {
				t.Errorf("round %d: submit %d, remove %d", round, submit, remove)
			}
			n, err := f.ts.Store.CountItemFiles(ctx, it.ID)
			if err != nil {
				t.Fatal(err)
			}
			if st := f.items(t)[number].Status; st == "submitted" && n == 0 {
				t.Errorf("round %d: submitted with no file (submit %d, remove %d)", round, submit, remove)
			}
		}
	}
}

// xlsxList is a list given as CSV (no quotes) as an Excel workbook.
func xlsxList(t *testing.T, csv string) []byte {
	t.Helper()
	x := excelize.NewFile()
	defer x.Close()
	for r, line := range strings.Split(strings.TrimSpace(csv), "\n") {
		for c, v := range strings.Split(line, ",") {
			cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
			_ = x.SetCellValue("Sheet1", cell, v)
		}
	}
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// withStylesBomb returns the workbook with its xl/styles.xml replaced by n
// bytes of spaces, deflated; declared, when not 0, is the size the zip's
// directory claims for it.
func withStylesBomb(t *testing.T, xlsx []byte, n int, declared uint64) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(xlsx), int64(len(xlsx)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		if f.Name == "xl/styles.xml" {
			continue
		}
		if err := zw.Copy(f); err != nil {
			t.Fatal(err)
		}
	}
	body := append(append([]byte(`<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`), bytes.Repeat([]byte(" "), n)...), "</styleSheet>"...)
	var raw bytes.Buffer
	fl, _ := flate.NewWriter(&raw, flate.BestCompression)
	fl.Write(body)
	fl.Close()
	size := uint64(len(body))
	if declared != 0 {
		size = declared
	}
	w, err := zw.CreateRaw(&zip.FileHeader{Name: "xl/styles.xml", Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(body),
		CompressedSize64: uint64(raw.Len()), UncompressedSize64: size})
	if err != nil {
		t.Fatal(err)
	}
	w.Write(raw.Bytes())
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// TestChildList_OverTheLimitsRefused: lists over the import limits (an
// Excel bomb, honest or lying about its size; a CSV line too long; too many
// rows) are refused with the limit named in the error summary, on the file
// input, and nothing of them is kept; a list within the limits is taken.
func TestChildList_OverTheLimitsRefused(t *testing.T) {
	t.Parallel()
	f := newUploadFixture(t, map[string]string{
		"IMPORT_MAX_UNZIPPED_BYTES": "4194304", "IMPORT_MAX_PART_BYTES": "1048576",
		"IMPORT_MAX_LINE_BYTES": "1024", "IMPORT_MAX_ROWS": "5",
	}, true)
	path := f.itemPath(t, "CL.1") + "/child-list"
	tooMany := goodList() // 6 rows
	fewer := strings.Join(strings.Split(tooMany, "\n")[:6], "\n") + "\n"
	good := xlsxList(t, fewer)
	long := strings.Replace(fewer, "Sam Smith", strings.Repeat("Sam Smith ", 120), 1)
	for _, tt := range []struct {
		name, file string
		content    []byte
		want       string
	}{
		{"Excel bomb", "list.xlsx", withStylesBomb(t, good, 8<<20, 0), "The file is too large once unzipped: the limit is 4 MB"},
		{"Excel bomb lying about its size", "list.xlsx", withStylesBomb(t, good, 8<<20, 1024),
			"The file is too large once unzipped: its part xl/styles.xml is over 1 MB, the limit for each part other than the worksheet"},
		{"CSV line too long", "list.csv", []byte(long), "Row 2 is longer than the limit of 1 KB"},
		{"too many rows", "list.csv", []byte(tooMany), "The list has more than 5 rows, the limit: split it into smaller lists"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := f.postList(t, f.ceoC, path, coverApril(tt.file, tt.content))
			if res.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d", res.StatusCode)
			}
			doc := parse(t, res)
			wantErrors(t, doc, "#file")
			if got := htmltest.Text(doc.Find(".govuk-error-summary__list")); got != tt.want {
				t.Errorf("error summary %q, want %q", got, tt.want)
			}
		})
	}
	if rows, _, _ := f.requestFixture.stored(t); rows != 0 {
		t.Errorf("%d rows stored from lists over the limits", rows)
	}
	if files, _ := f.stored(t); files != 0 {
		t.Errorf("%d files kept from lists over the limits", files)
	}
	if res := f.postList(t, f.ceoC, path, coverApril("list.xlsx", withStylesBomb(t, good, 900<<10, 0))); res.StatusCode != http.StatusSeeOther {
		t.Errorf("a list within the limits: status %d: %s", res.StatusCode, htmltest.Text(parse(t, res).Find(".govuk-error-summary")))
	}
}

// TestChildList_BusyAsksToTryAgain: with every place for checking a list
// taken (IMPORT_MAX_CONCURRENT=1, one import held inside the database) and
// no waiting, another upload is answered 503 with a clear "try again" on
// the page and nothing kept; the held import then finishes normally.
func TestChildList_BusyAsksToTryAgain(t *testing.T) {
	t.Parallel()
	f := newUploadFixture(t, map[string]string{"IMPORT_MAX_CONCURRENT": "1", "IMPORT_QUEUE_WAIT": "0s"}, true)
	ctx := context.Background()
	path := f.itemPath(t, "CL.1") + "/child-list"
	other, err := f.ts.Store.AddCustomItem(ctx, f.visit.ID, store.NewItem{Number: "CL.2", Title: "Open cases", DueDay: 3, Kind: "child_list"}, f.lead)
	if err != nil {
		t.Fatal(err)
	}
	otherItem, err := f.ts.Store.GetItem(ctx, f.visit.ID, other)
	if err != nil {
		t.Fatal(err)
	}
	otherPath := f.base + "/request/items/" + otherItem.PublicID + "/child-list"

	// Hold the first import inside its transaction: it has its place and
	// waits to attach the rows it copied to child_rows.
	tx, err := f.pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	if _, err := tx.Exec(ctx, `LOCK TABLE child_rows IN EXCLUSIVE MODE`); err != nil {
		t.Fatal(err)
	}
	first := make(chan int, 1)
	go func() { first <- f.postList(t, f.ceoC, path, coverApril("list.csv", []byte(goodList()))).StatusCode }()
	for waiting := 0; waiting == 0; {
		select {
		case st := <-first:
			t.Fatalf("the first upload finished (%d) while it should wait", st)
		default:
		}
		err := f.pool.QueryRow(ctx, `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%child_rows%'`).Scan(&waiting)
		if err != nil {
			t.Fatal(err)
		}
	}

	res := f.postList(t, f.ceoC, otherPath, coverApril("list.csv", []byte(goodList())))
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Retry-After") == "" {
		t.Fatalf("second upload: status %d, Retry-After %q", res.StatusCode, res.Header.Get("Retry-After"))
	}
	doc := parse(t, res)
	wantErrors(t, doc, "#file")
	if got := htmltest.Text(doc.Find(".govuk-error-summary__list")); !strings.Contains(got, "Try again in a few minutes") {
		t.Errorf("error summary %q", got)
	}
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	if st := <-first; st != http.StatusSeeOther {
		t.Errorf("first upload: status %d", st)
	}
	var staged int
	if err := f.pool.QueryRow(ctx, `SELECT count(*) FROM files WHERE NOT complete`).Scan(&staged); err != nil || staged != 0 {
		t.Errorf("%d staged files left behind (%v)", staged, err)
	}
}

// TestChildList_StreamedWorkbookAccepted: a large list written by a
// streaming writer (excelize's StreamWriter here; openpyxl does the same)
// has its worksheet first and [Content_Types].xml last, beyond the head the
// type check sees; it is a workbook all the same and is accepted.
func TestChildList_StreamedWorkbookAccepted(t *testing.T) {
	t.Parallel()
	f, path := newChildListFixture(t)
	x := excelize.NewFile()
	defer x.Close()
	sw, err := x.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	const n = 3000
	for r, line := range strings.Split(strings.TrimSpace(string(bigList(n))), "\n") {
		var row []any
		for _, v := range strings.Split(line, ",") {
			row = append(row, v)
		}
		cell, _ := excelize.CoordinatesToCellName(1, r+1)
		if err := sw.SetRow(cell, row); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		t.Fatal(err)
	}
	head := buf.Bytes()[:64<<10]
	if bytes.Contains(head, []byte("[Content_Types].xml")) {
		t.Fatal("the test file names its content types early: it tests nothing")
	}
	res := f.postList(t, f.ceoC, path, coverApril("CL.1 streamed.xlsx", buf.Bytes()))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("status %d: %s", res.StatusCode, htmltest.Text(parse(t, res).Find(".govuk-error-summary")))
	}
	if rows, files, _ := f.stored(t); rows != n || files != 1 {
		t.Errorf("%d rows and %d files stored, want %d and 1", rows, files, n)
	}
}

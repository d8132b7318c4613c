package server_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/ofsted/focusedvisits/internal/config"
	"github.com/ofsted/focusedvisits/internal/dbtest"
	"github.com/ofsted/focusedvisits/internal/htmltest"
	"github.com/ofsted/focusedvisits/internal/publicid"
	"github.com/ofsted/focusedvisits/internal/server"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
)

// newTestServerWithPool is newTestServer that also gives the pool, so that
// upload tests can count the rows left in files and file_chunks.
func newTestServerWithPool(t testing.TB, env map[string]string) (*testServer, *pgxpool.Pool) {
	t.Helper()
	pool := dbtest.New(t)
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	sm := server.NewSessionManager(cfg, pool)
	st := store.New(pool)
	var tt *testing.T
	if x, ok := t.(*testing.T); ok {
		tt = x
	}
	ts := &testServer{t: tt, Store: st, Cfg: cfg}
	ts.App = server.New(server.Deps{Config: cfg, Store: st, Sessions: sm, Now: func() time.Time {
		return time.Now().Add(time.Duration(ts.offset.Load()) * time.Second)
	}})
	ts.Server = httptest.NewServer(ts.App)
	t.Cleanup(ts.Server.Close)
	return ts, pool
}

type uploadFixture struct {
	*requestFixture
	pool *pgxpool.Pool
}

// newUploadFixture is the request fixture (the B.4 visit with its lead, SAO,
// team inspector and Cafcass chief executive, and the whole catalogue
// requested) over a server with the given settings; notice is given when
// notice is set.
func newUploadFixture(t *testing.T, env map[string]string, notice bool) *uploadFixture {
	t.Helper()
	ts, pool := newTestServerWithPool(t, env)
	ts.setClock(time.Date(2025, 4, 14, 10, 0, 0, 0, londonTZ))
	f := &requestFixture{ts: ts}
	f.lead = ts.addUser(user.LeadInspector, "lead@example.gov.uk")
	f.sao = ts.addUser(user.SAO, "sao@example.gov.uk")
	f.team = ts.addUser(user.TeamInspector, "team@example.gov.uk")
	f.ceo = ts.addUser(user.CafcassCEO, "ceo@example.gov.uk")
	f.visit = ts.createTestVisit(f.lead, "notice", date("2025-04-14"),
		visit.Member{UserID: f.lead.ID, Role: visit.RoleLead},
		visit.Member{UserID: f.team.ID, Role: visit.RoleTeam},
		visit.Member{UserID: f.sao.ID, Role: visit.RoleSAO},
		visit.Member{UserID: f.ceo.ID, Role: visit.RoleCafcass})
	f.base = "/visits/" + f.visit.PublicID
	f.leadC, f.saoC, f.teamC, f.ceoC = ts.signIn(f.lead.Email), ts.signIn(f.sao.Email), ts.signIn(f.team.Email), ts.signIn(f.ceo.Email)
	f.setRequest(t)
	if notice {
		f.recordNotice(t)
	}
	return &uploadFixture{requestFixture: f, pool: pool}
}

// stored counts the rows in files and file_chunks.
func (f *uploadFixture) stored(t *testing.T) (files, chunks int) {
	t.Helper()
	ctx := context.Background()
	if err := f.pool.QueryRow(ctx, `SELECT count(*) FROM files`).Scan(&files); err != nil {
		t.Fatal(err)
	}
	if err := f.pool.QueryRow(ctx, `SELECT count(*) FROM file_chunks`).Scan(&chunks); err != nil {
		t.Fatal(err)
	}
	return files, chunks
}

func (f *uploadFixture) wantNothingStored(t *testing.T, what string) {
	t.Helper()
	if files, chunks := f.stored(t); files != 0 || chunks != 0 {
		t.Errorf("%s: %d files and %d chunks stored, want none", what, files, chunks)
	}
}

type filePart struct {
	name    string
	content []byte
}

func multipartBody(t *testing.T, parts ...filePart) (*bytes.Buffer, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for _, p := range parts {
		w, err := mw.CreateFormFile("files", p.name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(p.content)
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	return &b, mw.FormDataContentType()
}

// upload posts the files, chosen together, to an item's upload form.
func (f *uploadFixture) upload(t *testing.T, c *http.Client, itemPath string, parts ...filePart) *http.Response {
	t.Helper()
	body, ct := multipartBody(t, parts...)
	req, err := http.NewRequest(http.MethodPost, f.ts.URL+itemPath+"/files", body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", ct)
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	return res
}

func docx(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml"} {
		w, _ := z.Create(name)
		w.Write([]byte("<xml>" + name + "</xml>"))
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

var pdf = []byte("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")

// fileLinks maps each file name listed on an item page to its download link.
func fileLinks(t *testing.T, doc interface {
	Find(string) *goquery.Selection
}) map[string]string {
	t.Helper()
	m := map[string]string{}
	doc.Find("[data-testid=file-link]").Each(func(_ int, s *goquery.Selection) {
		href, _ := s.Attr("href")
		m[htmltest.Text(s)] = href
	})
	return m
}

func TestFileUpload_SeveralFilesPrefixedAndDownloadedIdentical(t *testing.T) {
	t.Parallel()
	f := newUploadFixture(t, nil, true)
	item := f.itemPath(t, "1.03")
	csv := []byte("team,cases\nNorth,12\nSouth,9\n")
	big := bytes.Repeat([]byte("line of text in a long file\n"), 100_000) // 2.8 MB: three chunks
	res := f.upload(t, f.ceoC, item,
		filePart{"1.03 MI report.pdf", pdf},
		filePart{"Practice standards.docx", docx(t)},
		filePart{`C:\fakepath\1.03-caseloads.csv`, csv},
		filePart{"notes.txt", big},
	)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != item+"#files" {
		t.Fatalf("upload: %d %q: %s", res.StatusCode, res.Header.Get("Location"), htmltest.Text(parse(t, res).Find(".govuk-error-summary")))
	}
	doc := parse(t, f.ts.get(f.ceoC, item))
	banner := htmltest.Text(doc.Find(".govuk-notification-banner"))
	if !strings.Contains(banner, "4 files uploaded. We added the item number: 1.03 Practice standards.docx, 1.03 notes.txt.") {
		t.Errorf("banner %q", banner)
	}
	links := fileLinks(t, doc)
	want := map[string][]byte{
		"1.03 MI report.pdf": pdf, "1.03 Practice standards.docx": docx(t), "1.03-caseloads.csv": csv, "1.03 notes.txt": big,
	}
	if len(links) != len(want) {
		t.Fatalf("listed %v", links)
	}
	// Uploading starts the item.
	if st := taskStatuses(parse(t, f.ts.get(f.ceoC, f.base+"/request")))["1.03"]; st != "In progress" {
		t.Errorf("item status %q after upload", st)
	}

	// The lead inspector downloads each one byte-for-byte, as an attachment.
	types := map[string]string{
		"1.03 MI report.pdf":           "application/pdf",
		"1.03 Practice standards.docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
		"1.03-caseloads.csv":           "text/csv",
		"1.03 notes.txt":               "text/plain",
	}
	for name, content := range want {
		href, ok := links[name]
		if !ok {
			t.Errorf("%s not listed: %v", name, links)
			continue
		}
		res := f.ts.get(f.leadC, href)
		got := readAll(t, res.Body)
		sum := sha256.Sum256(content)
		if res.StatusCode != http.StatusOK || got != string(content) {
			t.Errorf("%s: status %d, %d bytes, want %d identical", name, res.StatusCode, len(got), len(content))
		}
		h := res.Header
		if h.Get("Content-Type") != types[name] || h.Get("X-Content-Type-Options") != "nosniff" ||
			h.Get("Content-Length") != fmt.Sprint(len(content)) ||
			h.Get("Content-Disposition") != fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, name, url.PathEscape(name)) ||
			h.Get("Digest") != "sha-256="+hex.EncodeToString(sum[:]) {
			t.Errorf("%s: headers %v", name, h)
		}
	}
	// The digests are Ofsted's check, shown to Ofsted only (issue 15.5).
	if n := doc.Find("[data-testid=file-sha]").Length(); n != 0 {
		t.Errorf("%d SHA-256s shown to Cafcass", n)
	}
	shas := parse(t, f.ts.get(f.leadC, item)).Find("[data-testid=file-sha]")
	if shas.Length() != 4 {
		t.Errorf("%d SHA-256s shown to the lead inspector", shas.Length())
	}

	// A file with the same name replaces the current one; the earlier
	// version is kept and can still be downloaded.
	res = f.upload(t, f.ceoC, item, filePart{"MI report.pdf", append(pdf, "% second\n"...)})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("replace: %d", res.StatusCode)
	}
	doc = parse(t, f.ts.get(f.leadC, item))
	row := doc.Find("[data-testid=file]").FilterFunction(func(_ int, s *goquery.Selection) bool {
		return htmltest.Text(s.Find("[data-testid=file-link]")) == "1.03 MI report.pdf"
	})
	if !strings.Contains(htmltest.Text(row), "version 2") || row.Find("[data-testid=earlier-version]").Length() != 1 {
		t.Fatalf("replaced file row: %s", htmltest.Text(row))
	}
	if row.Find("a:contains('Remove')").Length() != 1 {
		t.Error("the lead inspector cannot remove a file")
	}
	earlier, _ := row.Find("[data-testid=earlier-version] a").Attr("href")
	if got := readAll(t, f.ts.get(f.leadC, earlier).Body); got != string(pdf) {
		t.Errorf("earlier version reads %q", got)
	}
	// A team inspector sees and downloads, but has no remove link or form.
	doc = parse(t, f.ts.get(f.teamC, item))
	if doc.Find("input[type=file]").Length() != 0 || doc.Find("a:contains('Remove')").Length() != 0 {
		t.Error("team inspector may upload or remove")
	}
	if res := f.ts.get(f.teamC, links["1.03-caseloads.csv"]); res.StatusCode != http.StatusOK {
		t.Errorf("team inspector download: %d", res.StatusCode)
	}

	events, err := f.ts.Store.ListEvents(context.Background(), f.visit.ID)
	if err != nil {
		t.Fatal(err)
	}
	var history []string
	for _, e := range events {
		history = append(history, e.Words().Action+": "+e.Words().Detail)
	}
	all := strings.Join(history, "\n")
	for _, want := range []string{
		"File uploaded: 1.03 Practice standards.docx (",
		"File uploaded: 1.03 notes.txt (2.7 MB, sha256 ",
		"File uploaded: 1.03 MI report.pdf (",
		"version 2, replacing version 1",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("history lacks %q", want)
		}
	}
	// Downloads are recorded apart from the history's lines (a GET never
	// writes domain data), and the history page shows them.
	if strings.Contains(all, "File downloaded") {
		t.Error("a download is a line of visit_events")
	}
	if page := strings.Join(historyLines(t, f.ts, f.leadC, f.visit.PublicID), "\n"); !strings.Contains(page, "File downloaded: 1.03-caseloads.csv (") {
		t.Errorf("the history page lacks the download:\n%s", page)
	}
}

func TestFileUpload_RejectionsStoreNothing(t *testing.T) {
	t.Parallel()
	f := newUploadFixture(t, map[string]string{"UPLOAD_MAX_BYTES": "1024"}, true)
	item := f.itemPath(t, "1.03")
	for _, tc := range []struct {
		name   string
		parts  []filePart
		status int
		msgs   []string
	}{
		{"too big", []filePart{{"1.03 big.txt", bytes.Repeat([]byte("a"), 1025)}}, http.StatusRequestEntityTooLarge,
			[]string{"1.03 big.txt must be smaller than 1 KB"}},
		{"a program named .pdf", []filePart{{"1.03 report.pdf", []byte("MZ\x90\x00\x03\x00\x00\x00\x04\x00")}}, http.StatusUnprocessableEntity,
			[]string{"1.03 report.pdf must be a PDF: its content is a different type of file"}},
		{"a web page named .pdf", []filePart{{"1.03 report.pdf", []byte("<!DOCTYPE html><script>alert(1)</script>")}}, http.StatusUnprocessableEntity,
			[]string{"1.03 report.pdf must be a PDF: its content is a different type of file"}},
		{"an SVG named .txt", []filePart{{"1.03 a.txt", []byte(`<?xml version="1.0"?><svg onload="alert(1)"/>`)}}, http.StatusUnprocessableEntity,
			[]string{"1.03 a.txt must be a plain text file: its content is a different type of file"}},
		{"a program", []filePart{{"setup.exe", []byte("MZ")}}, http.StatusUnprocessableEntity,
			[]string{"setup.exe must be a PDF, Word, Excel, CSV, PowerPoint, image (PNG, JPEG or GIF) or plain text file"}},
		{"an empty file", []filePart{{"1.03 a.csv", nil}}, http.StatusUnprocessableEntity, []string{"1.03 a.csv is empty"}},
		{"no file", nil, http.StatusUnprocessableEntity, []string{"Select a file"}},
		// One good file and two bad: nothing is stored, every problem is shown.
		{"good and bad together", []filePart{
			{"1.03 fine.pdf", pdf}, {"1.03 fake.docx", pdf}, {"1.03 big.csv", bytes.Repeat([]byte("a,b\n"), 300)},
		}, http.StatusRequestEntityTooLarge, []string{
			"1.03 fake.docx must be a Word document: its content is a different type of file",
			"1.03 big.csv must be smaller than 1 KB",
		}},
	} {
		res := f.upload(t, f.ceoC, item, tc.parts...)
		if res.StatusCode != tc.status {
			t.Errorf("%s: status %d, want %d", tc.name, res.StatusCode, tc.status)
		}
		doc := parse(t, res)
		var got []string
		doc.Find(".govuk-error-summary__list a").Each(func(_ int, s *goquery.Selection) {
			got = append(got, htmltest.Text(s))
			if href, _ := s.Attr("href"); href != "#file-upload" || doc.Find("input#file-upload[type=file][multiple]").Length() != 1 {
				t.Errorf("%s: error links to %q, not the file input", tc.name, href)
			}
		})
		if strings.Join(got, "|") != strings.Join(tc.msgs, "|") {
			t.Errorf("%s: errors %q, want %q", tc.name, got, tc.msgs)
		}
		if msg := htmltest.Text(doc.Find("#file-upload-error")); !strings.Contains(msg, tc.msgs[0]) {
			t.Errorf("%s: input error %q", tc.name, msg)
		}
		if h1 := htmltest.Text(doc.Find("h1")); !strings.Contains(h1, "1.03") {
			t.Errorf("%s: not the item page: %q", tc.name, h1)
		}
		f.wantNothingStored(t, tc.name)
	}
	// Within the limit is fine.
	if res := f.upload(t, f.ceoC, item, filePart{"1.03 ok.txt", bytes.Repeat([]byte("a"), 1024)}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("at the limit: %d", res.StatusCode)
	}
}

// failAfter gives the first n bytes of r, then fails: a connection cut off
// midway through an upload.
type failAfter struct {
	r io.Reader
	n int
}

func (f *failAfter) Read(p []byte) (int, error) {
	if f.n <= 0 {
		return 0, errors.New("connection lost")
	}
	if len(p) > f.n {
		p = p[:f.n]
	}
	k, err := f.r.Read(p)
	f.n -= k
	return k, err
}

func TestFileUpload_CutOffMidwayLeavesNothing(t *testing.T) {
	t.Parallel()
	f := newUploadFixture(t, nil, true)
	item := f.itemPath(t, "1.03")
	// The first file arrives whole, the second is cut off after 3 MiB.
	body, ct := multipartBody(t, filePart{"1.03 first.pdf", pdf}, filePart{"1.03 second.txt", bytes.Repeat([]byte("text\n"), 2<<20)})
	req, _ := http.NewRequest(http.MethodPost, f.ts.URL+item+"/files", &failAfter{r: body, n: 3 << 20})
	req.Header.Set("Content-Type", ct)
	req.ContentLength = int64(body.Len())
	if res, err := f.ceoC.Do(req); err == nil {
		res.Body.Close()
		t.Fatalf("upload cut off: status %d, want a failed request", res.StatusCode)
	}
	// The handler notices the cut when its next read fails; give it time.
	deadline := time.Now().Add(10 * time.Second)
	for {
		files, chunks := f.stored(t)
		if files == 0 && chunks == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d files and %d chunks left after a cut-off upload", files, chunks)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestFileAccess_CafcassBeforeNoticeAndOtherVisitsGetTheSame404(t *testing.T) {
	t.Parallel()
	f := newUploadFixture(t, nil, false)
	item := f.itemPath(t, "1.03")
	// The lead inspector may upload on Cafcass's behalf before notice.
	if res := f.upload(t, f.leadC, item, filePart{"1.03 a.pdf", pdf}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("lead upload: %d", res.StatusCode)
	}
	docs, err := f.ts.Store.ListItemFiles(context.Background(), f.items(t)["1.03"].ID)
	if err != nil || len(docs) != 1 {
		t.Fatalf("files %v %v", docs, err)
	}
	file := f.base + "/files/" + docs[0].Current.PublicID

	// Another visit with its own file.
	other := f.ts.createTestVisit(f.lead, "notice", date("2025-06-02"), visit.Member{UserID: f.lead.ID, Role: visit.RoleLead})
	otherItem, err := f.ts.Store.AddCustomItem(context.Background(), other.ID, store.NewItem{Number: "9.01", Kind: "custom", Title: "Other", DueDay: 3}, f.lead)
	if err != nil {
		t.Fatal(err)
	}
	otherFile, err := f.ts.Store.SaveFile(context.Background(), store.NewFile{VisitID: other.ID, ItemID: otherItem, Name: "9.01 x.txt", OriginalName: "x.txt", ContentType: "text/plain"}, strings.NewReader("secret"), f.lead)
	if err != nil {
		t.Fatal(err)
	}

	nonce := regexp.MustCompile(`nonce="[^"]*"`)
	answer := func(c *http.Client, method, path string) (int, string) {
		var res *http.Response
		if method == http.MethodGet {
			res = f.ts.get(c, path)
		} else if strings.HasSuffix(path, "/files") {
			res = f.upload(t, c, strings.TrimSuffix(path, "/files"), filePart{"1.03 b.pdf", pdf})
		} else {
			res = f.ts.post(c, path, url.Values{})
		}
		return res.StatusCode, nonce.ReplaceAllString(readAll(t, res.Body), "")
	}
	madeUp := map[*http.Client]string{}
	for _, c := range []*http.Client{f.ceoC, f.leadC} {
		f.ts.get(c, "/") // show any flash message first
		_, madeUp[c] = answer(c, http.MethodGet, "/visits/"+publicid.New()+"/files/"+publicid.New())
	}
	for _, tc := range []struct {
		c            *http.Client
		method, path string
	}{
		{f.ceoC, http.MethodGet, file},
		{f.ceoC, http.MethodGet, file + "/remove"},
		{f.ceoC, http.MethodPost, file + "/remove"},
		{f.ceoC, http.MethodPost, item + "/files"},
		{f.ceoC, http.MethodGet, f.base + "/files/987654"},
		{f.leadC, http.MethodGet, f.base + "/files/" + otherFile.PublicID},
		{f.leadC, http.MethodGet, "/visits/" + other.PublicID + "/files/" + docs[0].Current.PublicID},
		{f.leadC, http.MethodGet, f.base + "/files/abc"},
	} {
		status, body := answer(tc.c, tc.method, tc.path)
		if status != http.StatusNotFound || body != madeUp[tc.c] {
			t.Errorf("%s %s: %d (same body as a made-up id: %v)", tc.method, tc.path, status, body == madeUp[tc.c])
		}
	}
	if files, _ := f.stored(t); files != 2 {
		t.Errorf("%d files stored, want 2", files)
	}

	// Team inspectors download but may not upload or remove.
	if res := f.upload(t, f.teamC, item, filePart{"1.03 b.pdf", pdf}); res.StatusCode != http.StatusForbidden {
		t.Errorf("team inspector upload: %d", res.StatusCode)
	}
	if res := f.ts.post(f.teamC, file+"/remove", nil); res.StatusCode != http.StatusForbidden {
		t.Errorf("team inspector remove: %d", res.StatusCode)
	}

	// After notice, Cafcass downloads and removes, with a confirmation.
	f.recordNotice(t)
	if res := f.ts.get(f.ceoC, file); res.StatusCode != http.StatusOK || readAll(t, res.Body) != string(pdf) {
		t.Errorf("Cafcass download after notice: %d", res.StatusCode)
	}
	doc := parse(t, f.ts.get(f.ceoC, file+"/remove"))
	if h1 := htmltest.Text(doc.Find("h1")); h1 != "Are you sure you want to remove 1.03 a.pdf?" {
		t.Errorf("confirm page h1 %q", h1)
	}
	res := f.ts.post(f.ceoC, file+"/remove", url.Values{})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != item+"#files" {
		t.Fatalf("remove: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	if res := f.ts.get(f.leadC, file); res.StatusCode != http.StatusNotFound {
		t.Errorf("removed file download: %d", res.StatusCode)
	}
	if n := parse(t, f.ts.get(f.leadC, item)).Find("[data-testid=file]").Length(); n != 0 {
		t.Errorf("%d files listed after removal", n)
	}
	if files, _ := f.stored(t); files != 2 {
		t.Errorf("removal deleted the row: %d files", files)
	}
	events, _ := f.ts.Store.ListEvents(context.Background(), f.visit.ID)
	if w := events[0].Words(); w.Action != "File removed" || !strings.HasPrefix(w.Detail, "1.03 a.pdf (") || events[0].UserID != f.ceo.ID {
		t.Errorf("last event %+v", events[0])
	}
}

package store_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/ofsted/focusedvisits/internal/annexa"
	"github.com/ofsted/focusedvisits/internal/dbtest"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/upload"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

type fileFixture struct {
	pool   *pgxpool.Pool
	st     *store.Store
	lead   user.User
	visit  int64
	item   int64
	other  int64 // another visit
	otherI int64 // an item of the other visit
}

func newFileFixture(t *testing.T) fileFixture {
	t.Helper()
	ctx := context.Background()
	pool := dbtest.New(t)
	st := store.New(pool)
	lead, err := st.CreateUser(ctx, user.New{Email: "lead@example.gov.uk", Name: "Lena Lead", Role: user.LeadInspector}, "x")
	if err != nil {
		t.Fatal(err)
	}
	f := fileFixture{pool: pool, st: st, lead: lead}
	newVisit := func() int64 {
		id, err := st.CreateVisit(ctx, store.NewVisit{
			TemplateID: timeline.FocusedVisit, TemplateVersion: "2021-03-17", AnchorCode: "notice",
			AnchorDate: workday.NewDate(2025, 5, 12), Members: []visit.Member{{UserID: lead.ID, Role: visit.RoleLead}},
		}, lead)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	// Items are added with SQL here: the request's own store methods are
	// another part of the service.
	newItem := func(visitID int64, number string) int64 {
		var id int64
		err := pool.QueryRow(ctx, `INSERT INTO request_items (visit_id, number, kind, title, due_day)
			VALUES ($1, $2, 'document', 'Management information', 3) RETURNING id`, visitID, number).Scan(&id)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	f.visit, f.other = newVisit(), newVisit()
	f.item, f.otherI = newItem(f.visit, "1.03"), newItem(f.other, "1.03")
	return f
}

func (f fileFixture) counts(t *testing.T) (files, chunks int) {
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

func (f fileFixture) newFile(name string) store.NewFile {
	return store.NewFile{VisitID: f.visit, ItemID: f.item, Name: name, OriginalName: name, ContentType: "text/plain"}
}

// failingReader gives n bytes of content, then an error: an upload cut off.
type failingReader struct{ n int }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, errors.New("connection reset")
	}
	k := min(len(p), r.n)
	for i := range p[:k] {
		p[i] = 'x'
	}
	r.n -= k
	return k, nil
}

func TestSaveFile_StreamsInChunksAndReadsBackIdentical(t *testing.T) {
	t.Parallel()
	f := newFileFixture(t)
	ctx := context.Background()
	content := bytes.Repeat([]byte("0123456789abcdef"), (5*upload.ChunkSize/2)/16+7) // 2.5 chunks and a bit
	saved, err := f.st.SaveFile(ctx, f.newFile("1.03 MI.txt"), bytes.NewReader(content), f.lead)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(content)
	if saved.Size != int64(len(content)) || !bytes.Equal(saved.SHA256, sum[:]) || saved.Version != 1 {
		t.Fatalf("saved %+v", saved)
	}
	if _, chunks := f.counts(t); chunks != 3 {
		t.Errorf("%d chunks, want 3", chunks)
	}
	got, err := f.st.GetFile(ctx, f.visit, saved.ID)
	if err != nil {
		t.Fatal(err)
	}
	// Through WriteTo (io.Copy) and through Read.
	var out bytes.Buffer
	if _, err := io.Copy(&out, f.st.OpenFile(ctx, got)); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), content) {
		t.Error("WriteTo: content differs")
	}
	b, err := io.ReadAll(io.LimitReader(f.st.OpenFile(ctx, got), 1<<30))
	if err != nil || !bytes.Equal(b, content) {
		t.Errorf("Read: content differs (%v)", err)
	}
	// Another visit's id answers as a made-up one.
	if _, err := f.st.GetFile(ctx, f.other, saved.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("other visit: %v", err)
	}
	// An item of another visit cannot be written to through this visit.
	n := f.newFile("1.03 x.txt")
	n.ItemID = f.otherI
	if _, err := f.st.SaveFile(ctx, n, strings.NewReader("x"), f.lead); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("other visit's item: %v", err)
	}
	evs, err := f.st.ListEvents(ctx, f.visit)
	if err != nil {
		t.Fatal(err)
	}
	if w := evs[0].Words(); w.Action != "File uploaded" || !strings.Contains(w.Detail, "1.03 MI.txt (2.5 MB, sha256 ") {
		t.Errorf("history: %+v", evs[0])
	}
}

func TestSaveFile_FailuresLeaveNothing(t *testing.T) {
	t.Parallel()
	f := newFileFixture(t)
	ctx := context.Background()
	for name, tc := range map[string]struct {
		r    io.Reader
		max  int64
		want error
	}{
		"cut off midway":   {&failingReader{n: 3*upload.ChunkSize + 100}, 0, nil},
		"too large":        {bytes.NewReader(make([]byte, 2*upload.ChunkSize+1)), 2 * upload.ChunkSize, upload.ErrTooLarge},
		"empty":            {strings.NewReader(""), 0, upload.ErrEmpty},
		"one byte too big": {strings.NewReader("12345"), 4, upload.ErrTooLarge},
	} {
		n := f.newFile("1.03 x.txt")
		n.MaxBytes = tc.max
		_, err := f.st.SaveFile(ctx, n, tc.r, f.lead)
		if err == nil || (tc.want != nil && !errors.Is(err, tc.want)) {
			t.Errorf("%s: err %v, want %v", name, err, tc.want)
		}
		if files, chunks := f.counts(t); files != 0 || chunks != 0 {
			t.Errorf("%s: %d files and %d chunks left", name, files, chunks)
		}
	}
	// Exactly at the limit is fine.
	n := f.newFile("1.03 x.txt")
	n.MaxBytes = 5
	if _, err := f.st.SaveFile(ctx, n, strings.NewReader("12345"), f.lead); err != nil {
		t.Errorf("at the limit: %v", err)
	}
}

func TestSaveFile_StagedFilesStayInvisibleUntilCommitted(t *testing.T) {
	t.Parallel()
	f := newFileFixture(t)
	ctx := context.Background()
	staged, err := f.st.StageFile(ctx, f.newFile("1.03 a.txt"), strings.NewReader("a"), f.lead)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.GetFile(ctx, f.visit, staged.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("staged file visible: %v", err)
	}
	if docs, _ := f.st.ListItemFiles(ctx, f.item); len(docs) != 0 {
		t.Errorf("staged file listed")
	}
	f.st.DiscardFiles(ctx, staged.ID)
	if files, chunks := f.counts(t); files != 0 || chunks != 0 {
		t.Errorf("discard left %d files and %d chunks", files, chunks)
	}
}

func TestSaveFile_ReplacingKeepsEarlierVersionsAndRemovalIsRecorded(t *testing.T) {
	t.Parallel()
	f := newFileFixture(t)
	ctx := context.Background()
	v1, err := f.st.SaveFile(ctx, f.newFile("1.03 MI.txt"), strings.NewReader("first"), f.lead)
	if err != nil {
		t.Fatal(err)
	}
	v2, err := f.st.SaveFile(ctx, f.newFile("1.03 MI.txt"), strings.NewReader("second"), f.lead)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.SaveFile(ctx, f.newFile("1.03 other.txt"), strings.NewReader("other"), f.lead); err != nil {
		t.Fatal(err)
	}
	if v2.Version != 2 || v2.Replaces != v1.ID {
		t.Errorf("v2 %+v", v2)
	}
	docs, err := f.st.ListItemFiles(ctx, f.item)
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 2 || docs[0].Current.ID != v2.ID || len(docs[0].Earlier) != 1 || docs[0].Earlier[0].ID != v1.ID || !docs[0].Earlier[0].Superseded {
		t.Fatalf("documents %+v", docs)
	}
	if n, _ := f.st.CountItemFiles(ctx, f.item); n != 2 {
		t.Errorf("count %d, want 2", n)
	}
	if m, _ := f.st.CountFilesByItem(ctx, f.visit); m[f.item] != 2 {
		t.Errorf("count by item %v", m)
	}
	// The earlier version still reads back.
	old, err := f.st.GetFile(ctx, f.visit, v1.ID)
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := io.ReadAll(f.st.OpenFile(ctx, old)); string(b) != "first" {
		t.Errorf("v1 reads %q", b)
	}
	if err := f.st.RecordFileDownload(ctx, old, f.lead); err != nil {
		t.Fatal(err)
	}
	// The download is in the record of views, not in the history.
	views, err := f.st.ListMaterialViews(ctx, f.visit)
	if err != nil || len(views) != 1 || views[0].What != visit.FileDownloaded || views[0].FileID != old.ID ||
		!strings.HasPrefix(views[0].Description, "1.03 MI.txt (5 bytes, sha256 ") || views[0].ByName != "Lena Lead" {
		t.Errorf("views %+v, %v", views, err)
	}
	if _, err := f.st.RemoveFile(ctx, f.other, v2.ID, f.lead); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("remove through another visit: %v", err)
	}
	if _, err := f.st.RemoveFile(ctx, f.visit, v2.ID, f.lead); err != nil {
		t.Fatal(err)
	}
	docs, _ = f.st.ListItemFiles(ctx, f.item)
	if len(docs) != 1 || docs[0].Current.Name != "1.03 other.txt" {
		t.Errorf("after removal: %+v", docs)
	}
	if _, err := f.st.GetFile(ctx, f.visit, v1.ID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("removed earlier version: %v", err)
	}
	// Removed, not deleted.
	if files, _ := f.counts(t); files != 3 {
		t.Errorf("%d file rows, want 3 kept", files)
	}
	// A new upload of the name after removal starts the next version.
	v3, err := f.st.SaveFile(ctx, f.newFile("1.03 MI.txt"), strings.NewReader("third"), f.lead)
	if err != nil || v3.Version != 3 || v3.Replaces != 0 {
		t.Errorf("after removal: %+v, %v", v3, err)
	}
	evs, _ := f.st.ListEvents(ctx, f.visit)
	var actions []string
	for _, e := range evs {
		actions = append(actions, e.Words().Action+": "+e.Words().Detail)
	}
	all := strings.Join(actions, "\n")
	if strings.Contains(all, "File downloaded") {
		t.Errorf("a download is in the history:\n%s", all)
	}
	for _, want := range []string{
		"File uploaded: 1.03 MI.txt (6 bytes, sha256 ",
		"version 2, replacing version 1 on item 1.03",
		"File removed: 1.03 MI.txt (6 bytes, sha256 ",
		"with its earlier version",
	} {
		if !strings.Contains(all, want) {
			t.Errorf("history lacks %q:\n%s", want, all)
		}
	}
}

func TestOpenFile_DetectsCorruption(t *testing.T) {
	t.Parallel()
	f := newFileFixture(t)
	ctx := context.Background()
	saved, err := f.st.SaveFile(ctx, f.newFile("1.03 a.txt"), strings.NewReader("hello"), f.lead)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.pool.Exec(ctx, `UPDATE file_chunks SET data = 'jello'::bytea WHERE file_id = $1`, saved.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := io.ReadAll(f.st.OpenFile(ctx, saved)); !errors.Is(err, store.ErrCorrupt) {
		t.Errorf("got %v, want ErrCorrupt", err)
	}
}

// TestFiles_FrozenForCafcassOnceSubmitted: the store applies DOMAIN decision
// 18 itself, with the item locked, whatever the page offered: once Cafcass
// has submitted an item it can neither add, replace nor remove its files
// until Ofsted returns it; Ofsted can. And a submission needs a file at the
// moment it is made.
func TestFiles_FrozenForCafcassOnceSubmitted(t *testing.T) {
	t.Parallel()
	f := newFileFixture(t)
	ctx := context.Background()
	ceo, err := f.st.CreateUser(ctx, user.New{Email: "ceo@example.gov.uk", Name: "Chris CEO", Role: user.CafcassCEO}, "x")
	if err != nil {
		t.Fatal(err)
	}
	status := func() annexa.Status {
		t.Helper()
		it, err := f.st.GetItem(ctx, f.visit, f.item)
		if err != nil {
			t.Fatal(err)
		}
		return it.Status
	}
	if err := f.st.SetItemStatus(ctx, f.item, annexa.NotStarted, annexa.Submitted, "", ceo); !errors.Is(err, annexa.ErrNoFiles) {
		t.Fatalf("submitted with no file: %v", err)
	}
	v1, err := f.st.SaveFile(ctx, f.newFile("1.03 MI.txt"), strings.NewReader("first"), ceo)
	if err != nil {
		t.Fatal(err)
	}
	if st := status(); st != annexa.InProgress {
		t.Fatalf("Cafcass's upload left the item %s, want in progress", st)
	}
	if err := f.st.SetItemStatus(ctx, f.item, annexa.InProgress, annexa.Submitted, "", ceo); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.RemoveFile(ctx, f.visit, v1.ID, ceo); !errors.Is(err, annexa.ErrFilesFrozen) {
		t.Errorf("Cafcass removed a file of a submitted item: %v", err)
	}
	if _, err := f.st.SaveFile(ctx, f.newFile("1.03 MI.txt"), strings.NewReader("second"), ceo); !errors.Is(err, annexa.ErrFilesFrozen) {
		t.Errorf("Cafcass replaced a file of a submitted item: %v", err)
	}
	if files, chunks := f.counts(t); files != 1 || chunks != 1 {
		t.Errorf("%d files and %d chunks stored, want the first only", files, chunks)
	}
	if err := f.st.SetItemStatus(ctx, f.item, annexa.Submitted, annexa.Accepted, "", f.lead); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.RemoveFile(ctx, f.visit, v1.ID, ceo); !errors.Is(err, annexa.ErrFilesFrozen) {
		t.Errorf("Cafcass removed a file of an accepted item: %v", err)
	}
	// Ofsted's own changes are not limited by the status.
	v2, err := f.st.SaveFile(ctx, f.newFile("1.03 note.txt"), strings.NewReader("note"), f.lead)
	if err != nil {
		t.Fatalf("the lead cannot add a file to an accepted item: %v", err)
	}
	if _, err := f.st.RemoveFile(ctx, f.visit, v2.ID, f.lead); err != nil {
		t.Errorf("the lead cannot remove their file: %v", err)
	}
	if st := status(); st != annexa.Accepted {
		t.Errorf("item %s, want still accepted", st)
	}
}

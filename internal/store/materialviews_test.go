package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// TestMaterialViews_AppendOnly: reading a letter sent to Cafcass and
// downloading a file are recorded in material_views, not in the visit's
// history, listed newest first for one visit; the database refuses to
// change, delete or truncate the record, and it survives the retention job
// that deletes the files themselves.
func TestMaterialViews_AppendOnly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newCDFixture(t)
	ceo, err := f.st.CreateUser(ctx, user.New{Email: "ceo@cafcass.example", Name: "Cara Chief", Role: user.CafcassCEO}, "x")
	if err != nil {
		t.Fatal(err)
	}
	if l, _ := f.importCSV(t, cdCSV(3)); !l.Accepted() {
		t.Fatal("list not accepted")
	}
	docs, err := f.st.ListItemFiles(ctx, f.item)
	if err != nil || len(docs) != 1 {
		t.Fatalf("files %+v, %v", docs, err)
	}
	file := docs[0].Current
	eventsBefore, err := f.st.ListEvents(ctx, f.visit)
	if err != nil {
		t.Fatal(err)
	}

	if err := f.st.RecordLetterView(ctx, f.visit, visit.DraftLetterRead, 2, ceo); err != nil {
		t.Fatal(err)
	}
	if err := f.st.RecordFileDownload(ctx, file, f.inspector); err != nil {
		t.Fatal(err)
	}
	if err := f.st.RecordLetterView(ctx, f.visit, visit.FinalLetterRead, 3, ceo); err != nil {
		t.Fatal(err)
	}
	// A file is not a letter.
	if err := f.st.RecordLetterView(ctx, f.visit, visit.FileDownloaded, 1, ceo); err == nil {
		t.Error("a file recorded as a letter read")
	}

	views, err := f.st.ListMaterialViews(ctx, f.visit)
	if err != nil || len(views) != 3 {
		t.Fatalf("views %+v, %v", views, err)
	}
	final, dl, draft := views[0], views[1], views[2]
	if final.What != visit.FinalLetterRead || final.LetterVersion != 3 || final.ByName != "Cara Chief" || final.ByRole != user.CafcassCEO ||
		final.FileID != 0 || final.At.Before(dl.At) || dl.At.Before(draft.At) || draft.At.IsZero() {
		t.Errorf("final letter read: %+v", final)
	}
	if got := draft.Detail(); got != "Version 2, read by Cara Chief (Cafcass chief executive)" {
		t.Errorf("draft letter read: %q", got)
	}
	if dl.What != visit.FileDownloaded || dl.FileID != file.ID || dl.LetterVersion != 0 || dl.ByRole != user.TeamInspector ||
		!strings.HasPrefix(dl.Detail(), "CL.1 list.csv (") || !strings.Contains(dl.Detail(), ", sha256 "+file.ShortDigest()+"…)") {
		t.Errorf("download: %+v, %q", dl, dl.Detail())
	}
	if other, err := f.st.ListMaterialViews(ctx, f.visit+1); err != nil || len(other) != 0 {
		t.Errorf("another visit's record: %+v, %v", other, err)
	}
	// Nothing went into the history.
	if events, _ := f.st.ListEvents(ctx, f.visit); len(events) != len(eventsBefore) {
		t.Errorf("%d history lines, %d before the views", len(events), len(eventsBefore))
	}

	for _, sql := range []string{
		`UPDATE material_views SET user_id = user_id`,
		`DELETE FROM material_views`,
		`TRUNCATE material_views`,
	} {
		if _, err := f.pool.Exec(ctx, sql); err == nil {
			t.Errorf("%s: allowed", sql)
		}
	}
	// An unknown kind of material is refused.
	if _, err := f.pool.Exec(ctx, `INSERT INTO material_views (viewed_at, visit_id, user_id, user_role, what) VALUES (now(), $1, $2, 'qam', 'letter')`,
		f.visit, f.lead.ID); err == nil {
		t.Error("an unknown kind of material was recorded")
	}

	// The retention job deletes the file, not the record of who downloaded it.
	if err := f.st.RecordActual(ctx, f.visit, 0, visit.Actual{Code: "publication", Date: workday.NewDate(2025, 11, 3)}, "Publication", f.lead); err != nil {
		t.Fatal(err)
	}
	r, err := f.st.DeleteChildData(ctx, f.visit, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), time.Now(), 365)
	if err != nil || r.Files != 1 {
		t.Fatalf("retention deleted %+v, %v", r, err)
	}
	after, err := f.st.ListMaterialViews(ctx, f.visit)
	if err != nil || len(after) != 3 || after[1].Detail() != dl.Detail() {
		t.Errorf("after retention: %+v, %v", after, err)
	}
}

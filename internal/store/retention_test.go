package store_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// TestRetention: a visit published on Mon 3 Nov 2025 keeps its children's
// data for 365 days, then loses its child rows, issues, sample and files in
// one go, with a record and a history line; another visit keeps everything,
// and a second run does nothing.
func TestRetention(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newCDFixture(t)
	london, _ := time.LoadLocation("Europe/London")

	// The published visit: an accepted list of 10, one other document, one
	// sample case.
	if l, _ := f.importCSV(t, cdCSV(10)); !l.Accepted() {
		t.Fatal("list not accepted")
	}
	if _, err := f.st.SaveFile(ctx, store.NewFile{VisitID: f.visit, ItemID: f.item, Name: "CL.1 notes.pdf", OriginalName: "notes.pdf", ContentType: "application/pdf"},
		bytes.NewReader([]byte("%PDF-1.4 notes")), f.lead); err != nil {
		t.Fatal(err)
	}
	if err := f.st.AddToSample(ctx, f.visit, "C0000000", "K0", "Long case", f.inspector.ID, f.lead); err != nil {
		t.Fatal(err)
	}
	if err := f.st.RecordActual(ctx, f.visit, 0, visit.Actual{Code: "publication", Date: workday.NewDate(2025, 11, 3)}, "Publication", f.lead); err != nil {
		t.Fatal(err)
	}

	// Another visit, not published, with a file of its own.
	other, err := f.st.CreateVisit(ctx, store.NewVisit{
		TemplateID: timeline.FocusedVisit, TemplateVersion: "2021-03-17", AnchorCode: "notice",
		AnchorDate: workday.NewDate(2025, 10, 20), Members: []visit.Member{{UserID: f.lead.ID, Role: visit.RoleLead}},
	}, f.lead)
	if err != nil {
		t.Fatal(err)
	}
	var otherItem int64
	if err := f.pool.QueryRow(ctx, `INSERT INTO request_items (visit_id, number, kind, title, due_day)
		VALUES ($1, '1.01', 'document', 'Policies', 3) RETURNING id`, other).Scan(&otherItem); err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.SaveFile(ctx, store.NewFile{VisitID: other, ItemID: otherItem, Name: "1.01 policy.pdf", OriginalName: "policy.pdf", ContentType: "application/pdf"},
		bytes.NewReader([]byte("%PDF-1.4 policy")), f.lead); err != nil {
		t.Fatal(err)
	}

	held := func() string {
		q := func(sql string) int { return f.count(t, fmt.Sprintf(sql, f.visit)) }
		return fmt.Sprintf("rows=%d samples=%d files=%d chunks=%d",
			q(`SELECT count(*) FROM child_rows r JOIN child_lists l ON l.id = r.list_id WHERE l.visit_id = %d`),
			q(`SELECT count(*) FROM case_samples WHERE visit_id = %d`),
			q(`SELECT count(*) FROM files WHERE visit_id = %d`),
			q(`SELECT count(*) FROM file_chunks c JOIN files f ON f.id = c.file_id WHERE f.visit_id = %d`))
	}
	if got, want := held(), "rows=10 samples=1 files=2 chunks=2"; got != want {
		t.Fatalf("before: %s, want %s", got, want)
	}
	const days = 365
	retention := days * 24 * time.Hour
	run := func(now time.Time) []store.Retained {
		t.Helper()
		ids, err := f.st.VisitsPastRetention(ctx, now.Add(-retention))
		if err != nil {
			t.Fatal(err)
		}
		var out []store.Retained
		for _, id := range ids {
			r, err := f.st.DeleteChildData(ctx, id, now.Add(-retention), now, days)
			if err != nil {
				t.Fatal(err)
			}
			out = append(out, r)
		}
		return out
	}

	// A day before the period ends: nothing goes, even when asked directly.
	early := time.Date(2026, 11, 2, 12, 0, 0, 0, london)
	if got := run(early); len(got) != 0 {
		t.Fatalf("before the period ended: %+v", got)
	}
	if r, err := f.st.DeleteChildData(ctx, f.visit, early.Add(-retention), early, days); err != nil || r.Rows+r.Files != 0 {
		t.Fatalf("direct call before the period ended: %+v %v", r, err)
	}
	if got, want := held(), "rows=10 samples=1 files=2 chunks=2"; got != want {
		t.Fatalf("before the period ended: %s, want %s", got, want)
	}

	// After it: everything goes, in one record.
	late := time.Date(2026, 11, 4, 9, 0, 0, 0, london)
	got := run(late)
	if len(got) != 1 || got[0].VisitID != f.visit || got[0].Rows != 10 || got[0].Samples != 1 || got[0].Files != 2 {
		t.Fatalf("after the period: %+v", got)
	}
	if got, want := held(), "rows=0 samples=0 files=0 chunks=0"; got != want {
		t.Errorf("after: %s, want %s", got, want)
	}
	// The list's record (name, counts) stays, without its file.
	if n := f.count(t, fmt.Sprintf(`SELECT count(*) FROM child_lists WHERE visit_id = %d AND file_id IS NULL AND row_count = 10`, f.visit)); n != 1 {
		t.Errorf("child list record: %d, want 1 kept without its file", n)
	}
	log, err := f.st.RetentionLog(ctx, f.visit)
	if err != nil {
		t.Fatal(err)
	}
	if len(log) != 1 || log[0].Rows != 10 || log[0].Files != 2 || !log[0].DeletedAt.Equal(late) ||
		!log[0].PublishedAt.Equal(time.Date(2025, 11, 3, 0, 0, 0, 0, london)) {
		t.Errorf("retention log: %+v", log)
	}
	events, err := f.st.ListEvents(ctx, f.visit)
	if err != nil {
		t.Fatal(err)
	}
	if len(events) == 0 || events[0].Words().Action != "Children's data deleted under the retention policy: 10 rows, 2 files" ||
		events[0].UserID != 0 || !strings.Contains(events[0].Words().Detail, "kept for 365 days") {
		t.Errorf("history: %+v", events[0])
	}
	// The unpublished visit keeps its file.
	if n := f.count(t, fmt.Sprintf(`SELECT count(*) FROM files WHERE visit_id = %d`, other)); n != 1 {
		t.Errorf("unpublished visit: %d files, want 1", n)
	}

	// Idempotent: a second run finds nothing and records nothing.
	if got := run(late.Add(time.Hour)); len(got) != 0 {
		t.Errorf("second run: %+v", got)
	}
	if r, err := f.st.DeleteChildData(ctx, f.visit, late.Add(-retention), late, days); err != nil || r.Rows+r.Files+r.Samples != 0 {
		t.Errorf("second direct call: %+v %v", r, err)
	}
	if n := f.count(t, `SELECT count(*) FROM retention_log`); n != 1 {
		t.Errorf("retention log rows: %d, want 1", n)
	}
}

package migrations_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/upload"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// TestMaterialViewsMigration: the migration that creates material_views
// (00027_create_material_views.sql) moves the views that were
// lines of the history (a letter read by Cafcass, a file downloaded) into
// material_views, keeping who, when, the letter's version and the file, so
// they read as they did; the rest of the history stays. Rolling it back
// puts them back in the history with the words they had.
func TestMaterialViewsMigration(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, p := migratedDB(t)
	st := store.New(pool)
	lead, err := st.CreateUser(ctx, user.New{Email: "lead@example.gov.uk", Name: "Lena Lead", Role: user.LeadInspector}, "x")
	if err != nil {
		t.Fatal(err)
	}
	ceo, err := st.CreateUser(ctx, user.New{Email: "ceo@cafcass.example", Name: "Cara Chief", Role: user.CafcassCEO}, "x")
	if err != nil {
		t.Fatal(err)
	}
	visitID, err := st.CreateVisit(ctx, store.NewVisit{
		TemplateID: timeline.FocusedVisit, TemplateVersion: "2021-03-17", AnchorCode: "notice",
		AnchorDate: workday.NewDate(2025, 5, 12), Members: []visit.Member{{UserID: lead.ID, Role: visit.RoleLead}},
	}, lead)
	if err != nil {
		t.Fatal(err)
	}
	var itemID int64
	if err := pool.QueryRow(ctx, `INSERT INTO request_items (visit_id, number, kind, title, due_day)
		VALUES ($1, '1.03', 'document', 'Management information', 3) RETURNING id`, visitID).Scan(&itemID); err != nil {
		t.Fatal(err)
	}
	newFile := store.NewFile{VisitID: visitID, ItemID: itemID, Name: "1.03 MI.txt", OriginalName: "MI.txt", ContentType: "text/plain"}
	if _, err := st.SaveFile(ctx, newFile, strings.NewReader("first"), lead); err != nil {
		t.Fatal(err)
	}
	v2, err := st.SaveFile(ctx, newFile, strings.NewReader("second!"), lead)
	if err != nil {
		t.Fatal(err)
	}

	version := versionOf(t, "create_material_views")
	if _, err := p.DownTo(ctx, version-1); err != nil {
		t.Fatalf("down to before %d: %v", version, err)
	}
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := pool.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	// The structured history (migration 00026) records a line as a kind
	// with params, and no detail. Where this migration comes before it, the
	// test gives visit_events those columns for a while.
	var structured bool
	if err := pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = 'visit_events' AND column_name = 'kind')`).Scan(&structured); err != nil {
		t.Fatal(err)
	}
	if !structured {
		exec(`ALTER TABLE visit_events ADD COLUMN kind text NOT NULL DEFAULT 'legacy', ADD COLUMN params jsonb NOT NULL DEFAULT '{}'`)
	}

	// The views as the service wrote them into the history before: as
	// words, then as kinds with params.
	at := time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC)
	download := fmt.Sprintf("1.03 MI.txt (%s, sha256 %s…), version 2", upload.FormatSize(v2.Size), v2.ShortDigest())
	old := []struct {
		user                 int64
		kind, action, detail string
		params               string
	}{
		{ceo.ID, "legacy", "Draft letter viewed by Cafcass", "Version 1, read by Cara Chief (Cafcass chief executive)", "{}"},
		{lead.ID, "legacy", "File downloaded", download, "{}"},
		{ceo.ID, "legacy", "Final letter viewed by Cafcass", "Version 3, read by Cara Chief (Cafcass chief executive)", "{}"},
		{lead.ID, "legacy", "File downloaded", "1.03 gone.txt (5 bytes, sha256 00000000…)", "{}"},
		{ceo.ID, "letter.draft_viewed", "Draft letter viewed by Cafcass", "", `{"version": 2, "name": "Cara Chief", "user_role": "cafcass_ceo"}`},
		{lead.ID, "file.downloaded", "File downloaded", "",
			fmt.Sprintf(`{"file": "1.03 MI.txt", "size": %d, "sha256": "%s", "version": 2}`, v2.Size, v2.Digest())},
	}
	for i, e := range old {
		exec(`INSERT INTO visit_events (visit_id, at, user_id, kind, action, detail, params) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
			visitID, at.Add(time.Duration(i)*time.Minute), e.user, e.kind, e.action, e.detail, e.params)
	}
	// The history's lines as stored, read with SQL: the store's own reading
	// may need columns of later migrations, rolled back here.
	history := func() []string {
		t.Helper()
		rows, err := pool.Query(ctx, `SELECT action || ': ' || detail FROM visit_events WHERE visit_id = $1`, visitID)
		if err != nil {
			t.Fatal(err)
		}
		out, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			t.Fatal(err)
		}
		slices.Sort(out)
		return out
	}
	before := history()

	if _, err := p.UpTo(ctx, version); err != nil {
		t.Fatalf("up to %d: %v", version, err)
	}
	views, err := st.ListMaterialViews(ctx, visitID)
	if err != nil || len(views) != len(old) {
		t.Fatalf("views %+v, %v", views, err)
	}
	// Newest first, each as the history showed it.
	readBy := func(v int) string { return fmt.Sprintf("Version %d, read by Cara Chief (Cafcass chief executive)", v) }
	want := []struct {
		what    visit.Material
		by      int64
		version int
		file    int64
		detail  string
	}{
		{visit.FileDownloaded, lead.ID, 0, v2.ID, download},
		{visit.DraftLetterRead, ceo.ID, 2, 0, readBy(2)},
		{visit.FileDownloaded, lead.ID, 0, 0, old[3].detail},
		{visit.FinalLetterRead, ceo.ID, 3, 0, readBy(3)},
		{visit.FileDownloaded, lead.ID, 0, v2.ID, download},
		{visit.DraftLetterRead, ceo.ID, 1, 0, readBy(1)},
	}
	for i, w := range want {
		v := views[i]
		if v.What != w.what || v.UserID != w.by || v.LetterVersion != w.version || v.FileID != w.file || v.Detail() != w.detail ||
			!v.At.Equal(at.Add(time.Duration(len(old)-1-i)*time.Minute)) {
			t.Errorf("view %d: %+v (%q), want %+v", i, v, v.Detail(), w)
		}
	}
	var roles []string
	rows, _ := pool.Query(ctx, `SELECT DISTINCT user_role FROM material_views WHERE what <> 'file'`)
	if roles, err = pgx.CollectRows(rows, pgx.RowTo[string]); err != nil || !slices.Equal(roles, []string{string(user.CafcassCEO)}) {
		t.Errorf("roles %q, %v", roles, err)
	}
	after := history()
	for _, h := range after {
		if strings.Contains(h, "viewed by Cafcass") || strings.HasPrefix(h, "File downloaded") {
			t.Errorf("still in the history: %s", h)
		}
	}
	if len(after) != len(before)-len(old) {
		t.Errorf("%d history lines after, %d before, %d moved", len(after), len(before), len(old))
	}

	// Rolled back, every view is a line of the history again, with the
	// words it was shown with.
	if _, err := p.DownTo(ctx, version-1); err != nil {
		t.Fatalf("down to before %d again: %v", version, err)
	}
	wantBack := slices.DeleteFunc(slices.Clone(before), func(h string) bool {
		return h == "Draft letter viewed by Cafcass: " || h == "File downloaded: " // the lines with params
	})
	wantBack = append(wantBack, "Draft letter viewed by Cafcass: "+readBy(2), "File downloaded: "+download)
	slices.Sort(wantBack)
	if back := history(); !slices.Equal(back, wantBack) {
		t.Errorf("after rolling back:\n%s\nwant\n%s", strings.Join(back, "\n"), strings.Join(wantBack, "\n"))
	}
	var legacy int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM visit_events WHERE kind = 'legacy' AND (action LIKE '%viewed by Cafcass' OR action = 'File downloaded')`).Scan(&legacy); err != nil || legacy != len(old) {
		t.Errorf("%d views back as legacy lines, want %d (%v)", legacy, len(old), err)
	}
	if !structured {
		exec(`ALTER TABLE visit_events DROP COLUMN kind, DROP COLUMN params`)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatalf("up again: %v", err)
	}
}

package migrations_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/upload"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// TestMaterialViewsMigration: migration 00022 moves the views that were
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

	if _, err := p.DownTo(ctx, 21); err != nil {
		t.Fatalf("down to 21: %v", err)
	}
	// The views as the service wrote them into the history before 00022.
	at := time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC)
	download := fmt.Sprintf("1.03 MI.txt (%s, sha256 %s…), version 2", upload.FormatSize(v2.Size), v2.ShortDigest())
	old := []struct {
		user           int64
		action, detail string
	}{
		{ceo.ID, "Draft letter viewed by Cafcass", "Version 1, read by Cara Chief (Cafcass chief executive)"},
		{lead.ID, "File downloaded", download},
		{ceo.ID, "Final letter viewed by Cafcass", "Version 3, read by Cara Chief (Cafcass chief executive)"},
		{lead.ID, "File downloaded", "1.03 gone.txt (5 bytes, sha256 00000000…)"},
	}
	for i, e := range old {
		if _, err := pool.Exec(ctx, `INSERT INTO visit_events (visit_id, at, user_id, action, detail) VALUES ($1, $2, $3, $4, $5)`,
			visitID, at.Add(time.Duration(i)*time.Minute), e.user, e.action, e.detail); err != nil {
			t.Fatal(err)
		}
	}
	history := func() []string {
		t.Helper()
		events, err := st.ListEvents(ctx, visitID)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range events {
			out = append(out, e.Action+": "+e.Detail)
		}
		slices.Sort(out)
		return out
	}
	before := history()

	if _, err := p.UpTo(ctx, 22); err != nil {
		t.Fatalf("up to 22: %v", err)
	}
	views, err := st.ListMaterialViews(ctx, visitID)
	if err != nil || len(views) != len(old) {
		t.Fatalf("views %+v, %v", views, err)
	}
	// Newest first.
	want := []struct {
		what    visit.Material
		by      int64
		version int
		file    int64
		detail  string
	}{
		{visit.FileDownloaded, lead.ID, 0, 0, old[3].detail},
		{visit.FinalLetterRead, ceo.ID, 3, 0, old[2].detail},
		{visit.FileDownloaded, lead.ID, 0, v2.ID, download},
		{visit.DraftLetterRead, ceo.ID, 1, 0, old[0].detail},
	}
	for i, w := range want {
		v := views[i]
		if v.What != w.what || v.UserID != w.by || v.LetterVersion != w.version || v.FileID != w.file || v.Detail() != w.detail ||
			!v.At.Equal(at.Add(time.Duration(len(old)-1-i)*time.Minute)) {
			t.Errorf("view %d: %+v (%q), want %+v", i, v, v.Detail(), w)
		}
	}
	var role string
	if err := pool.QueryRow(ctx, `SELECT user_role FROM material_views WHERE what = 'draft_letter'`).Scan(&role); err != nil || role != string(user.CafcassCEO) {
		t.Errorf("role %q, %v", role, err)
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

	if _, err := p.DownTo(ctx, 21); err != nil {
		t.Fatalf("down to 21 again: %v", err)
	}
	if back := history(); !slices.Equal(back, before) {
		t.Errorf("after rolling back:\n%s\nwant\n%s", strings.Join(back, "\n"), strings.Join(before, "\n"))
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatalf("up again: %v", err)
	}
}

package migrations_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/pressly/goose/v3"

	"github.com/ofsted/focusedvisits/internal/dbtest"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
	"github.com/ofsted/focusedvisits/migrations"
)

// TestStripIDsFromWarnings: migration 00032 takes the database ids out of
// scheduling warnings stored before they were worded without them, both in
// the warnings accepted and in their history lines, and leaves the rest of
// the text (issue 15.4).
func TestStripIDsFromWarnings(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := dbtest.URL(t)
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p, err := goose.NewProvider(goose.DialectPostgres, db, migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.DownTo(ctx, 31); err != nil {
		t.Fatalf("down to 31: %v", err)
	}
	st := store.New(pool)
	lead, err := st.CreateUser(ctx, user.New{Email: "lead@example.gov.uk", Name: "Leila Lead", Role: user.LeadInspector}, "x")
	if err != nil {
		t.Fatal(err)
	}
	const old = "Leila Lead (#2) is on fieldwork for another visit (FV-2026-0003) on Tue 8 Dec 2026."
	day, err := workday.ParseDate("2026-12-01")
	if err != nil {
		t.Fatal(err)
	}
	id, err := st.CreateVisit(ctx, store.NewVisit{
		TemplateID: timeline.FocusedVisit, TemplateVersion: "2021-03-17", AnchorCode: "notice", AnchorDate: day,
		Members:     []visit.Member{{UserID: lead.ID, Role: visit.RoleLead}},
		Acceptances: []visit.Acceptance{{Code: "inspector-clash", Message: old, Reason: "Agreed (#1 priority)"}},
	}, lead)
	if err != nil {
		t.Fatal(err)
	}
	// The history line as it was written then.
	var event int64
	err = pool.QueryRow(ctx, `INSERT INTO visit_events (visit_id, user_id, kind, action, detail)
		VALUES ($1, $2, 'legacy', 'Scheduling warning accepted', $3) RETURNING id`, id, lead.ID, old+" Reason: Agreed (#1 priority)").Scan(&event)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatalf("up: %v", err)
	}
	const want = "Leila Lead is on fieldwork for another visit (FV-2026-0003) on Tue 8 Dec 2026."
	var msg, reason, detail string
	if err := pool.QueryRow(ctx, `SELECT message, reason FROM visit_warning_acceptances`).Scan(&msg, &reason); err != nil {
		t.Fatal(err)
	}
	if msg != want || reason != "Agreed (#1 priority)" {
		t.Errorf("acceptance %q, reason %q; want %q, the reason as given", msg, reason, want)
	}
	if err := pool.QueryRow(ctx, `SELECT detail FROM visit_events WHERE id = $1`, event).Scan(&detail); err != nil {
		t.Fatal(err)
	}
	if detail != want+" Reason: Agreed (#1 priority)" {
		t.Errorf("history detail %q", detail)
	}
}

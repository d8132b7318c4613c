package migrations_test

import (
	"context"
	"database/sql"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/pressly/goose/v3"

	"github.com/ofsted/focusedvisits/internal/dbtest"
	"github.com/ofsted/focusedvisits/migrations"
)

// TestPartitionChildRows: migration 00035 keeps the rows a database holds,
// each list's in a partition of its own, with the counts and dates kept from
// them; rolled back, the rows are one table again.
func TestPartitionChildRows(t *testing.T) {
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
	if _, err := p.DownTo(ctx, 34); err != nil {
		t.Fatalf("down to 34: %v", err)
	}
	exec := func(sql string, args ...any) {
		t.Helper()
		if _, err := pool.Exec(ctx, sql, args...); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
	}
	exec(`INSERT INTO users (email, name, role, password_hash) VALUES ('lead@example.gov.uk', 'Lead', 'lead_inspector', 'x')`)
	exec(`INSERT INTO visits (reference, template_id, template_version, anchor_code, anchor_date, created_by)
		VALUES ('FV-1', 'focused-visit', '2021-03-17', 'notice', '2025-04-14', 1)`)
	exec(`INSERT INTO request_items (visit_id, number, kind, title, due_day) VALUES (1, 'CL.1', 'child_list', 'List', 3), (1, 'CL.2', 'child_list', 'List', 3)`)
	exec(`INSERT INTO child_lists (visit_id, item_id, file_name, covers_from, covers_to, status, is_current, row_count, checked_by)
		VALUES (1, 1, 'a.csv', '2025-04-01', '2025-04-11', 'accepted', true, 3, 1), (1, 2, 'b.csv', '2025-04-01', '2025-04-11', 'accepted', true, 2, 1)`)
	exec(`INSERT INTO child_rows (list_id, row_number, case_id, law_type, case_type, team, service_area, case_start, case_end) VALUES
		(1, 2, 'C1', 'public', 's31', 'T1', 'A', '2024-01-01', '2025-04-02'),
		(1, 3, 'C2', 'public', 's31', 'T1', 'A', '2024-02-01', '2025-04-03'),
		(1, 4, 'C3', 'private', 's7', 'T2', 'A', '2024-03-01', NULL),
		(2, 2, 'D1', 'private', 's7', 'T2', 'A', NULL, '2025-04-09'),
		(2, 3, 'D2', 'private', 's7', 'T2', 'A', '2023-12-01', '2025-04-10')`)
	if _, err := p.UpTo(ctx, 35); err != nil {
		t.Fatalf("up to 35: %v", err)
	}
	count := func(sql string) int {
		t.Helper()
		var n int
		if err := pool.QueryRow(ctx, sql).Scan(&n); err != nil {
			t.Fatalf("%s: %v", sql, err)
		}
		return n
	}
	if n := count(`SELECT count(*) FROM child_rows`); n != 5 {
		t.Errorf("%d rows after the migration, want 5", n)
	}
	if n := count(`SELECT count(*) FROM child_rows_1`); n != 3 {
		t.Errorf("%d rows in the first list's partition, want 3", n)
	}
	if n := count(`SELECT sum(n) FROM child_list_counts WHERE list_id = 1 AND law_type = 'public' AND team = 'T1'`); n != 2 {
		t.Errorf("%d public rows of T1 counted, want 2", n)
	}
	var from, to string
	if err := pool.QueryRow(ctx, `SELECT first_start::text, last_end::text FROM child_lists WHERE id = 2`).Scan(&from, &to); err != nil || from != "2023-12-01" || to != "2025-04-10" {
		t.Errorf("second list's dates %s to %s (%v)", from, to, err)
	}
	if _, err := p.DownTo(ctx, 34); err != nil {
		t.Fatalf("down to 28 again: %v", err)
	}
	if n := count(`SELECT count(*) FROM child_rows`); n != 5 {
		t.Errorf("%d rows after rolling back, want 5", n)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatalf("up again: %v", err)
	}
}

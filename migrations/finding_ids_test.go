package migrations_test

import (
	"context"
	"testing"

	"github.com/ofsted/focusedvisits/internal/publicid"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// TestLinkEvidenceToFindings: migration 00037 gives the findings already
// saved public ids, the finding at a position taken to be the same finding
// in every version of its letter; different positions get different ids.
func TestLinkEvidenceToFindings(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, p := migratedDB(t)
	v := versionOf(t, "link_evidence_to_findings")
	if _, err := p.DownTo(ctx, v-1); err != nil {
		t.Fatalf("down to %d: %v", v-1, err)
	}
	st := store.New(pool)
	lead, err := st.CreateUser(ctx, user.New{Email: "lead@example.gov.uk", Name: "Leila Lead", Role: user.LeadInspector}, "x")
	if err != nil {
		t.Fatal(err)
	}
	visitID, err := st.CreateVisit(ctx, store.NewVisit{
		TemplateID: timeline.FocusedVisit, TemplateVersion: "2021-03-17", AnchorCode: "notice", AnchorDate: workday.NewDate(2026, 12, 1),
		Members: []visit.Member{{UserID: lead.ID, Role: visit.RoleLead}},
	}, lead)
	if err != nil {
		t.Fatal(err)
	}
	var letterID int64
	if err := pool.QueryRow(ctx, `INSERT INTO letters (visit_id, current_version) VALUES ($1, 2) RETURNING id`, visitID).Scan(&letterID); err != nil {
		t.Fatal(err)
	}
	for number := 1; number <= 2; number++ {
		var versionID int64
		if err := pool.QueryRow(ctx, `INSERT INTO letter_versions (letter_id, number, author_id) VALUES ($1, $2, $3) RETURNING id`,
			letterID, number, lead.ID).Scan(&versionID); err != nil {
			t.Fatal(err)
		}
		for pos := 1; pos <= 2; pos++ {
			if _, err := pool.Exec(ctx, `INSERT INTO letter_findings (version_id, position, kind, practice_area, text) VALUES ($1, $2, 'strength', 'leaders', 'x')`,
				versionID, pos); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := p.UpTo(ctx, v); err != nil {
		t.Fatalf("up to %d: %v", v, err)
	}
	rows, err := pool.Query(ctx, `
		SELECT v.number, f.position, f.public_id FROM letter_findings f JOIN letter_versions v ON v.id = f.version_id
		WHERE v.letter_id = $1`, letterID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	byPosition := map[int]map[string]bool{}
	for rows.Next() {
		var number, pos int
		var id string
		if err := rows.Scan(&number, &pos, &id); err != nil {
			t.Fatal(err)
		}
		if !publicid.Valid(id) {
			t.Errorf("version %d finding %d: id %q", number, pos, id)
		}
		if byPosition[pos] == nil {
			byPosition[pos] = map[string]bool{}
		}
		byPosition[pos][id] = true
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	if len(byPosition[1]) != 1 || len(byPosition[2]) != 1 {
		t.Fatalf("ids by position across versions: %v", byPosition)
	}
	for id := range byPosition[1] {
		if byPosition[2][id] {
			t.Error("two findings of a version share an id")
		}
	}
}

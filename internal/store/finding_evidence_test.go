package store_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/fieldwork"
	"github.com/ofsted/focusedvisits/internal/letter"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// TestFindingEvidence: a finding keeps its public id in a new version when
// the version edited has it (a forged id gets a new one); links follow the
// id from version to version, are recorded in the history, and go with the
// evidence notes when the retention purge deletes them, leaving the letter
// readable (DOMAIN decision 17).
func TestFindingEvidence(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newCDFixture(t)
	for _, n := range []fieldwork.Note{
		{Area: "public_law", Focus: "seeing_children", Kind: "evidence", Body: "ONE"},
		{Area: "private_law", Focus: "early_intervention", Kind: "evidence", Body: "TWO"},
		{Area: "leaders", Focus: "capacity", Kind: "enquiry", Body: "ENQUIRY"},
	} {
		if err := f.st.AddNote(ctx, f.visit, n, f.inspector); err != nil {
			t.Fatal(err)
		}
	}
	notes, err := f.st.ListNotes(ctx, f.visit)
	if err != nil {
		t.Fatal(err)
	}
	id := map[string]string{}
	for _, n := range notes {
		id[n.Body] = n.PublicID
	}
	c := letter.Content{Findings: []letter.Finding{{Kind: letter.KindImprovement, Area: letter.PublicLaw, Text: "Guardians see children late"}}}
	if _, err := f.st.SaveLetterVersion(ctx, f.visit, 0, c, letter.Drafting, f.lead); err != nil {
		t.Fatal(err)
	}
	l, v1, err := f.st.GetCurrentLetterVersion(ctx, f.visit)
	if err != nil {
		t.Fatal(err)
	}
	finding := v1.Findings[0].ID
	if finding == "" {
		t.Fatal("the finding has no id")
	}
	if err := f.st.SetFindingEvidence(ctx, f.visit, finding, []string{id["ONE"], id["TWO"]}, f.lead); err != nil {
		t.Fatal(err)
	}
	// A line of enquiry, or a note of no such visit, is not linked.
	for _, bad := range [][]string{{id["ENQUIRY"]}, {"nosuchnote"}} {
		if err := f.st.SetFindingEvidence(ctx, f.visit, finding, bad, f.lead); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("linking %v: %v, want ErrNotFound", bad, err)
		}
	}
	// Version 2: a new finding first, the first kept (reworded) with its
	// id, a third with a forged id.
	c.Findings = []letter.Finding{
		{Kind: letter.KindStrength, Area: letter.PrivateLaw, Text: "Early work is strong"},
		{ID: finding, Kind: letter.KindImprovement, Area: letter.PublicLaw, Text: "Guardians see some children late"},
		{ID: "abcdefghjkmnpqrstvwx", Kind: letter.KindStrength, Area: letter.Leaders, Text: "Leaders know their service"},
	}
	if _, err := f.st.SaveLetterVersion(ctx, f.visit, 1, c, letter.Drafting, f.lead); err != nil {
		t.Fatal(err)
	}
	_, v2, err := f.st.GetCurrentLetterVersion(ctx, f.visit)
	if err != nil {
		t.Fatal(err)
	}
	if v2.Findings[1].ID != finding || v2.Findings[0].ID == "" || v2.Findings[0].ID == finding || v2.Findings[2].ID == "abcdefghjkmnpqrstvwx" {
		t.Errorf("ids of version 2: %q %q %q; kept %q", v2.Findings[0].ID, v2.Findings[1].ID, v2.Findings[2].ID, finding)
	}
	linked, err := f.st.ListFindingEvidence(ctx, l.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(linked[finding]); got != 2 {
		t.Errorf("notes linked to the kept finding in version 2: %d, want 2", got)
	}
	// Unlinking one.
	if err := f.st.SetFindingEvidence(ctx, f.visit, finding, []string{id["ONE"]}, f.lead); err != nil {
		t.Fatal(err)
	}
	q := func(sql string) int { return f.count(t, fmt.Sprintf(sql, f.visit)) }
	events := func() string {
		return fmt.Sprintf("linked=%d unlinked=%d",
			q(`SELECT count(*) FROM visit_events WHERE visit_id = %d AND kind = 'letter.evidence_linked'`),
			q(`SELECT count(*) FROM visit_events WHERE visit_id = %d AND kind = 'letter.evidence_unlinked'`))
	}
	if got, want := events(), "linked=2 unlinked=1"; got != want {
		t.Errorf("history: %s, want %s", got, want)
	}
	links := func() int {
		return q(`SELECT count(*) FROM finding_evidence fe JOIN letters l ON l.id = fe.letter_id WHERE l.visit_id = %d`)
	}
	if n := links(); n != 1 {
		t.Fatalf("links before the purge: %d, want 1", n)
	}
	if err := f.st.RecordActual(ctx, f.visit, 0, visit.Actual{Code: "publication", Date: workday.NewDate(2025, 11, 3)}, "Publication", f.lead); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 10, 12, 0, 0, 0, time.UTC)
	if _, err := f.st.DeleteChildData(ctx, f.visit, now.Add(-365*24*time.Hour), now, 365); err != nil {
		t.Fatal(err)
	}
	if n := links(); n != 0 {
		t.Errorf("links after the purge: %d, want 0", n)
	}
	_, after, err := f.st.GetCurrentLetterVersion(ctx, f.visit)
	if err != nil || len(after.Findings) != 3 || after.Findings[1].Text != "Guardians see some children late" {
		t.Errorf("the letter after the purge: %+v, %v", after.Findings, err)
	}
	if linked, err := f.st.ListFindingEvidence(ctx, l.ID); err != nil || len(linked) != 0 {
		t.Errorf("evidence linked after the purge: %v, %v", linked, err)
	}
}

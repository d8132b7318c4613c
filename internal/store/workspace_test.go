package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/fieldwork"
	"github.com/ofsted/focusedvisits/internal/history"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// TestWorkspaceRetention: the retention purge removes the fieldwork plan
// (it hangs on the case sample: children's data) and every evidence note
// (about a case or the visit as a whole), and keeps the set-up call
// record and the conversations with stakeholders, which hold none (DOMAIN
// decision 17).
func TestWorkspaceRetention(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newCDFixture(t)
	if l, _ := f.importCSV(t, cdCSV(3)); !l.Accepted() {
		t.Fatal("list not accepted")
	}
	if err := f.st.AddToSample(ctx, f.visit, "C0000000", "K0", "Long case", f.inspector.ID, f.lead); err != nil {
		t.Fatal(err)
	}
	sample, err := f.st.ListSample(ctx, f.visit)
	if err != nil {
		t.Fatal(err)
	}
	setUp := fieldwork.SetUpCall{HeldOn: workday.NewDate(2025, 10, 13), PrioritiesProtocol: "no", RecordAccess: "platform",
		EvidenceMix: "mixed", AuditList: "Ten private law cases", InternalNotes: "Chief executive new in post"}
	if err := f.st.SaveSetUpCall(ctx, f.visit, setUp, f.lead); err != nil {
		t.Fatal(err)
	}
	if err := f.st.AddConversation(ctx, f.visit, fieldwork.Conversation{Kind: "judiciary", Who: "Designated family judge",
		HeldOn: workday.NewDate(2025, 10, 14), HeldBy: f.lead.ID, Note: "Delays in listing"}, f.lead); err != nil {
		t.Fatal(err)
	}
	if err := f.st.SaveDiscussion(ctx, f.visit, fieldwork.Discussion{SamplePublicID: sample[0].PublicID, InspectorID: f.inspector.ID,
		Day: workday.NewDate(2025, 10, 22), Start: 10 * 60, Minutes: 60, Mode: "video", Practitioner: "Pat", Note: "Ask about delay"}, "", f.lead); err != nil {
		t.Fatal(err)
	}
	for _, about := range []string{sample[0].PublicID, ""} {
		if err := f.st.AddNote(ctx, f.visit, fieldwork.Note{SamplePublicID: about, Area: "private_law", Focus: "seeing_children",
			Kind: "evidence", Body: "Seen at school, by video"}, f.inspector); err != nil {
			t.Fatal(err)
		}
	}
	if err := f.st.RecordActual(ctx, f.visit, 0, visit.Actual{Code: "publication", Date: workday.NewDate(2025, 11, 3)}, "Publication", f.lead); err != nil {
		t.Fatal(err)
	}
	held := func() string {
		q := func(sql string) int { return f.count(t, fmt.Sprintf(sql, f.visit)) }
		return fmt.Sprintf("setup=%d conversations=%d discussions=%d evidence=%d",
			q(`SELECT count(*) FROM setup_calls WHERE visit_id = %d`),
			q(`SELECT count(*) FROM stakeholder_conversations WHERE visit_id = %d`),
			q(`SELECT count(*) FROM case_discussions WHERE visit_id = %d`),
			q(`SELECT count(*) FROM evidence_notes WHERE visit_id = %d`))
	}
	if got, want := held(), "setup=1 conversations=1 discussions=1 evidence=2"; got != want {
		t.Fatalf("before: %s, want %s", got, want)
	}
	now := time.Date(2026, 11, 10, 12, 0, 0, 0, time.UTC)
	r, err := f.st.DeleteChildData(ctx, f.visit, now.Add(-365*24*time.Hour), now, 365)
	if err != nil {
		t.Fatal(err)
	}
	if r.Evidence != 2 {
		t.Errorf("evidence notes counted: %d, want 2", r.Evidence)
	}
	if got, want := held(), "setup=1 conversations=1 discussions=0 evidence=0"; got != want {
		t.Fatalf("after the purge: %s, want %s", got, want)
	}
	c, ok, err := f.st.GetSetUpCall(ctx, f.visit)
	if err != nil || !ok || c.AuditList != setUp.AuditList {
		t.Fatalf("set-up call after the purge: %+v %v %v", c, ok, err)
	}
}

// TestSaveSetUpCall: a first record writes a history line for each field;
// a change writes one for each field changed; a stale version is refused.
func TestSaveSetUpCall(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newCDFixture(t)
	c := fieldwork.SetUpCall{HeldOn: workday.NewDate(2025, 10, 13), PrioritiesProtocol: "no", RecordAccess: "laptops",
		EvidenceMix: "on_site", AuditList: "Eight cases"}
	if err := f.st.SaveSetUpCall(ctx, f.visit, c, f.lead); err != nil {
		t.Fatal(err)
	}
	events := func(kind history.Kind) int {
		return f.count(t, fmt.Sprintf(`SELECT count(*) FROM visit_events WHERE visit_id = %d AND kind = '%s'`, f.visit, kind))
	}
	if n := events(history.SetUpRecorded); n != len(fieldwork.SetUpFields) {
		t.Errorf("first record: %d history lines, want %d", n, len(fieldwork.SetUpFields))
	}
	c.Version = 1
	c.AuditList = "Nine cases"
	if err := f.st.SaveSetUpCall(ctx, f.visit, c, f.lead); err != nil {
		t.Fatal(err)
	}
	if n := events(history.SetUpChanged); n != 1 {
		t.Errorf("one field changed: %d history lines, want 1", n)
	}
	if n := f.count(t, fmt.Sprintf(`SELECT count(*) FROM visit_events WHERE visit_id = %d AND params->>'old_value' = 'Eight cases' AND params->>'value' = 'Nine cases'`, f.visit)); n != 1 {
		t.Errorf("the change's old and new values: %d lines, want 1", n)
	}
	if err := f.st.SaveSetUpCall(ctx, f.visit, c, f.lead); err != store.ErrConflict {
		t.Errorf("stale version: %v, want ErrConflict", err)
	}
}

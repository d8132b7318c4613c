package demo

import (
	"context"
	"fmt"

	"github.com/ofsted/focusedvisits/internal/fieldwork"
	"github.com/ofsted/focusedvisits/internal/letter"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/user"
)

// linkDemoEvidence gives the letter's area for priority action what it
// rests on (issue 17.4): two evidence notes from fieldwork, linked to the
// finding by the lead inspector, so that the QAM and the moderator have
// something to read at /letter/evidence.
func linkDemoEvidence(ctx context.Context, tx *store.Store, visitID int64, users map[user.Role][]user.User) error {
	lead, team := users[user.LeadInspector][0], users[user.TeamInspector][0]
	_, v, err := tx.GetCurrentLetterVersion(ctx, visitID)
	if err != nil {
		return fmt.Errorf("demo evidence: %w", err)
	}
	finding := ""
	for _, f := range v.Findings {
		if f.Kind == letter.KindPriorityAction {
			finding = f.ID
		}
	}
	if finding == "" {
		return fmt.Errorf("demo evidence: the letter has no area for priority action")
	}
	for _, n := range []struct {
		fieldwork.Note
		by user.User
	}{
		{fieldwork.Note{Area: "public_law", Focus: "guardian_prioritisation", Kind: "evidence",
			Body: "Caseload figures for the South East, Midlands and North West teams: guardians hold 25 to 31 cases each, against the service's own ceiling of 22."}, lead},
		{fieldwork.Note{Area: "public_law", Focus: "seeing_children", Kind: "evidence",
			Body: "In five of the eight public law cases discussed, the guardian first saw the child after the first hearing; practitioners said caseloads left no time to do so sooner."}, team},
	} {
		if err := tx.AddNote(ctx, visitID, n.Note, n.by); err != nil {
			return fmt.Errorf("demo evidence: %w", err)
		}
	}
	notes, err := tx.ListNotes(ctx, visitID)
	if err != nil {
		return fmt.Errorf("demo evidence: %w", err)
	}
	var ids []string
	for _, n := range notes {
		ids = append(ids, n.PublicID)
	}
	if err := tx.SetFindingEvidence(ctx, visitID, finding, ids, lead); err != nil {
		return fmt.Errorf("demo evidence: %w", err)
	}
	return nil
}

package store

import (
	"context"
	"fmt"
	"slices"
	"strconv"

	"github.com/jackc/pgx/v5"
	"github.com/ofsted/focusedvisits/internal/fieldwork"
	"github.com/ofsted/focusedvisits/internal/history"
	"github.com/ofsted/focusedvisits/internal/user"
)

// Evidence linked to the letter's findings (issue 17, item 4; migration
// 00037). A link names the letter, the finding's public id (the same in
// every version that keeps the finding) and an evidence note; it goes with
// the note when the retention purge deletes it. Who may link, and who may
// read what is linked, is for fieldwork.Check.

// ListFindingEvidence returns the evidence notes linked to each finding of
// the letter, by the finding's public id, each list by practice area, focus
// point and time. It includes links to findings the current version no
// longer has: the caller shows those of the findings it shows.
func (s *Store) ListFindingEvidence(ctx context.Context, letterID int64) (map[string][]fieldwork.Note, error) {
	rows, _ := s.db.Query(ctx, `SELECT fe.finding_id, `+noteColumns+`
		FROM finding_evidence fe JOIN evidence_notes n ON n.id = fe.note_id `+noteJoins+`
		WHERE fe.letter_id = $1 `+noteOrder, letterID)
	type linked struct {
		Finding string
		fieldwork.Note
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[linked])
	if err != nil {
		return nil, fmt.Errorf("store: evidence linked to letter %d: %w", letterID, err)
	}
	out := map[string][]fieldwork.Note{}
	for _, l := range list {
		out[l.Finding] = append(out[l.Finding], l.Note)
	}
	return out, nil
}

// CountFindingEvidence returns how many evidence notes are linked to each
// finding of the letter, by the finding's public id: no children's data.
func (s *Store) CountFindingEvidence(ctx context.Context, letterID int64) (map[string]int, error) {
	rows, _ := s.db.Query(ctx, `SELECT finding_id, count(*) FROM finding_evidence WHERE letter_id = $1 GROUP BY finding_id`, letterID)
	out := map[string]int{}
	var id string
	var n int
	_, err := pgx.ForEachRow(rows, []any{&id, &n}, func() error {
		out[id] = n
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: count evidence linked to letter %d: %w", letterID, err)
	}
	return out, nil
}

// SetFindingEvidence makes the evidence notes with the public ids exactly
// those linked to the finding of the visit's letter, with a line in the
// history for each note linked and each unlinked. The finding must be in
// the letter's current version, and every note an evidence note of the
// visit (fieldwork.Linkable); otherwise it is ErrNotFound and nothing
// changes.
func (s *Store) SetFindingEvidence(ctx context.Context, visitID int64, findingID string, notes []string, by user.User) error {
	return s.WithTx(ctx, func(tx *Store) error {
		l, err := tx.lockLetter(ctx, visitID)
		if err != nil {
			return err
		}
		var position int
		var kind, area string
		err = tx.db.QueryRow(ctx, `
			SELECT f.position, f.kind, f.practice_area
			FROM letter_findings f JOIN letter_versions v ON v.id = f.version_id
			WHERE v.letter_id = $1 AND v.number = $2 AND f.public_id = $3`, l.ID, l.CurrentVersion, findingID).Scan(&position, &kind, &area)
		if err != nil {
			return notFound(err, "finding %s of letter %d", findingID, l.ID)
		}
		type note struct {
			ID                int64
			PublicID          string
			Area, Focus, Kind string
			Linked            bool
		}
		rows, _ := tx.db.Query(ctx, `
			SELECT n.id, n.public_id, n.area, n.focus, n.kind,
				EXISTS (SELECT 1 FROM finding_evidence fe WHERE fe.letter_id = $2 AND fe.finding_id = $3 AND fe.note_id = n.id)
			FROM evidence_notes n WHERE n.visit_id = $1 ORDER BY n.area, n.focus, n.created_at, n.id`, visitID, l.ID, findingID)
		all, err := pgx.CollectRows(rows, pgx.RowToStructByPos[note])
		if err != nil {
			return fmt.Errorf("store: evidence of visit %d: %w", visitID, err)
		}
		want := map[string]bool{}
		for _, id := range notes {
			want[id] = true
		}
		for _, n := range all {
			if want[n.PublicID] && !fieldwork.Linkable(fieldwork.Note{Kind: n.Kind}) {
				return fmt.Errorf("store: note %s of visit %d is not evidence: %w", n.PublicID, visitID, ErrNotFound)
			}
			delete(want, n.PublicID)
		}
		if len(want) > 0 {
			return fmt.Errorf("store: %d notes not of visit %d: %w", len(want), visitID, ErrNotFound)
		}
		for _, n := range all {
			chosen := slices.Contains(notes, n.PublicID)
			if chosen == n.Linked {
				continue
			}
			kindOfLine := history.EvidenceLinked
			if chosen {
				_, err = tx.db.Exec(ctx, `INSERT INTO finding_evidence (letter_id, finding_id, note_id, linked_by) VALUES ($1, $2, $3, $4)`,
					l.ID, findingID, n.ID, by.ID)
			} else {
				kindOfLine = history.EvidenceUnlinked
				_, err = tx.db.Exec(ctx, `DELETE FROM finding_evidence WHERE letter_id = $1 AND finding_id = $2 AND note_id = $3`,
					l.ID, findingID, n.ID)
			}
			if err != nil {
				return fmt.Errorf("store: link note %s to finding %s of letter %d: %w", n.PublicID, findingID, l.ID, err)
			}
			// The line names the finding and the note's area and focus
			// point, never the note or its case.
			if err := tx.addEvent(ctx, visitID, by.ID, history.Event{Kind: kindOfLine, Params: history.Params{
				Version: l.CurrentVersion, Item: strconv.Itoa(position), Label: kind, Section: area, Code: n.Area, Focus: n.Focus}}); err != nil {
				return err
			}
		}
		return nil
	})
}

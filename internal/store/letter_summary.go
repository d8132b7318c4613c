package store

import (
	"context"
	"fmt"

	"github.com/ofsted/focusedvisits/internal/history"
	"github.com/ofsted/focusedvisits/internal/letter"
	"github.com/ofsted/focusedvisits/internal/user"
)

// WriteChildrenSummary keeps the summary for children and young people of
// a visit's letter, written by the lead inspector (the caller checked
// letter.Check(…, letter.WriteSummary, …)), and records it in the visit's
// history. A letter published meanwhile, or in another state than the
// caller saw, is ErrConflict; the same text again changes nothing.
func (s *Store) WriteChildrenSummary(ctx context.Context, visitID int64, from letter.State, text string, by user.User) error {
	return s.WithTx(ctx, func(tx *Store) error {
		l, err := tx.lockLetter(ctx, visitID)
		if err != nil {
			return err
		}
		if l.State != from || l.State == letter.Published {
			return ErrConflict
		}
		if l.ChildrenSummary == text {
			return nil
		}
		if _, err := tx.db.Exec(ctx, `UPDATE letters SET children_summary = $2, updated_at = now(), revision = revision + 1 WHERE id = $1`, l.ID, text); err != nil {
			return fmt.Errorf("store: write summary of letter %d: %w", l.ID, err)
		}
		kind := history.LetterSummaryChanged
		if l.ChildrenSummary == "" {
			kind = history.LetterSummaryWritten
		}
		return tx.addEvent(ctx, visitID, by.ID, history.Event{Kind: kind, Params: history.Params{Text: text}})
	})
}

package store

import (
	"context"
	"fmt"
	"time"

	"github.com/ofsted/focusedvisits/internal/history"
	"github.com/ofsted/focusedvisits/internal/letter"
	"github.com/ofsted/focusedvisits/internal/user"
)

// WriteChildrenSummary keeps the summary for children and young people of
// a visit's letter, written by the lead inspector (the caller checked
// letter.Check(…, letter.WriteSummary, …)), and records it in the visit's
// history. at is when, by the service's clock: the first writing is kept,
// since the letter may be published only from then. A letter published
// meanwhile, or in another state than the caller saw, is ErrConflict; the
// same text again changes nothing.
func (s *Store) WriteChildrenSummary(ctx context.Context, visitID int64, from letter.State, text string, at time.Time, by user.User) error {
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
		if _, err := tx.db.Exec(ctx, `UPDATE letters SET children_summary = $2, children_summary_at = CASE WHEN $2 = '' THEN NULL ELSE COALESCE(children_summary_at, $3) END,
			updated_at = now(), revision = revision + 1 WHERE id = $1`, l.ID, text, at); err != nil {
			return fmt.Errorf("store: write summary of letter %d: %w", l.ID, err)
		}
		kind := history.LetterSummaryChanged
		if l.ChildrenSummary == "" {
			kind = history.LetterSummaryWritten
		}
		return tx.addEvent(ctx, visitID, by.ID, history.Event{Kind: kind, Params: history.Params{Text: text}})
	})
}

// ChildrenSummaryWrittenAt is when the summary for children and young
// people of the letter was first written, or the zero time if it has none.
func (s *Store) ChildrenSummaryWrittenAt(ctx context.Context, letterID int64) (time.Time, error) {
	var at *time.Time
	if err := s.db.QueryRow(ctx, `SELECT children_summary_at FROM letters WHERE id = $1`, letterID).Scan(&at); err != nil {
		return time.Time{}, notFound(err, "letter %d", letterID)
	}
	if at == nil {
		return time.Time{}, nil
	}
	return *at, nil
}

package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/ofsted/focusedvisits/internal/feedback"
	"github.com/ofsted/focusedvisits/internal/history"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
)

// Feedback from children and young people (issue 17, item 6): a visit's
// code and the answers given with it. The answers are children's data
// (DOMAIN decision 17): DeleteChildData deletes them.

// FeedbackCode is a visit's code and when it was made.
type FeedbackCode struct {
	Code      string // as stored, without the hyphen (feedback.FormatCode)
	CreatedAt time.Time
}

// MakeFeedbackCode makes the visit's code, if it has none, and records it
// in the history; it returns the visit's code either way.
func (s *Store) MakeFeedbackCode(ctx context.Context, visitID int64, by user.User) (string, error) {
	var code string
	err := s.WithTx(ctx, func(tx *Store) error {
		var err error
		code, err = tx.makeFeedbackCode(ctx, visitID, by.ID)
		return err
	})
	return code, err
}

// makeFeedbackCode makes the visit's code in the transaction, if it has
// none (when notice is given, and on demand), and records it in the
// history. A code already taken by another visit (one chance in 10^11 or
// so) is tried again with another.
func (s *Store) makeFeedbackCode(ctx context.Context, visitID, byID int64) (string, error) {
	var by *int64
	if byID != 0 {
		by = &byID
	}
	for range 5 {
		c, err := feedback.NewCode()
		if err != nil {
			return "", fmt.Errorf("store: make feedback code: %w", err)
		}
		var made string
		err = s.db.QueryRow(ctx, `
			INSERT INTO feedback_codes (visit_id, code, created_by) VALUES ($1, $2, $3)
			ON CONFLICT DO NOTHING RETURNING code`, visitID, c, by).Scan(&made)
		if err == nil {
			return made, s.addEvent(ctx, visitID, byID, history.Event{Kind: history.FeedbackCodeMade,
				Params: history.Params{Text: feedback.FormatCode(made)}})
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return "", fmt.Errorf("store: make feedback code of visit %d: %w", visitID, err)
		}
		var have string
		err = s.db.QueryRow(ctx, `SELECT code FROM feedback_codes WHERE visit_id = $1`, visitID).Scan(&have)
		if err == nil {
			return have, nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return "", fmt.Errorf("store: read feedback code of visit %d: %w", visitID, err)
		}
	}
	return "", fmt.Errorf("store: make feedback code of visit %d: every code tried was taken", visitID)
}

// GetFeedbackCode returns the visit's code; ErrNotFound when it has none.
func (s *Store) GetFeedbackCode(ctx context.Context, visitID int64) (FeedbackCode, error) {
	var c FeedbackCode
	err := s.db.QueryRow(ctx, `SELECT code, created_at FROM feedback_codes WHERE visit_id = $1`, visitID).Scan(&c.Code, &c.CreatedAt)
	if err != nil {
		return FeedbackCode{}, notFound(err, "get feedback code of visit %d", visitID)
	}
	return c, nil
}

// FeedbackVisit returns the visit whose code it is, if notice of it has
// been given and it is not cancelled; ErrNotFound otherwise, the same for a
// code that does not exist (DOMAIN decision 9). One query: the public form
// asks it on every request that names a code.
func (s *Store) FeedbackVisit(ctx context.Context, code string) (visit.Details, error) {
	d, err := scanVisit(s.db.QueryRow(ctx, selectVisits+`
		WHERE v.id = (SELECT visit_id FROM feedback_codes WHERE code = $1)
		AND v.notice_given_at IS NOT NULL AND v.status = 'active'`, code))
	if err != nil {
		return visit.Details{}, notFound(err, "find visit by feedback code")
	}
	return d, nil
}

// AddFeedback stores one child's answers, as feedback.Answer.Clean left
// them, with the time only: nothing of who sent them.
func (s *Store) AddFeedback(ctx context.Context, visitID int64, a feedback.Answer, at time.Time) error {
	_, err := s.db.Exec(ctx, `
		INSERT INTO feedback_answers (visit_id, helped, listened, anything, age, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		visitID, a.Helped, a.Listened, a.Anything, a.Age, at)
	if err != nil {
		return fmt.Errorf("store: add feedback to visit %d: %w", visitID, err)
	}
	return nil
}

// FeedbackAnswer is one child's answers as stored.
type FeedbackAnswer struct {
	feedback.Answer
	CreatedAt time.Time
}

// ListFeedback returns the visit's answers, newest first.
func (s *Store) ListFeedback(ctx context.Context, visitID int64) ([]FeedbackAnswer, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT helped, listened, anything, age, created_at FROM feedback_answers WHERE visit_id = $1 ORDER BY id DESC`, visitID)
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (FeedbackAnswer, error) {
		var a FeedbackAnswer
		err := row.Scan(&a.Helped, &a.Listened, &a.Anything, &a.Age, &a.CreatedAt)
		return a, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: list feedback of visit %d: %w", visitID, err)
	}
	return list, nil
}

package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// ClosureDay is a day an administrator has closed, on top of bank holidays.
type ClosureDay struct {
	Date      workday.Date
	Reason    string
	CreatedBy string
	CreatedAt time.Time
}

// ListClosureDays returns every closure day, earliest first.
func (s *Store) ListClosureDays(ctx context.Context) ([]ClosureDay, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT c.day, c.reason, COALESCE(u.name, ''), c.created_at
		FROM closure_days c LEFT JOIN users u ON u.id = c.created_by ORDER BY c.day`)
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ClosureDay, error) {
		var c ClosureDay
		var d pgtype.Date
		err := r.Scan(&d, &c.Reason, &c.CreatedBy, &c.CreatedAt)
		c.Date = fromPGDate(d)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: list closure days: %w", err)
	}
	return list, nil
}

// Closures returns the closure days as the calendar engine takes them.
func (s *Store) Closures(ctx context.Context) ([]workday.Closure, error) {
	days, err := s.ListClosureDays(ctx)
	if err != nil {
		return nil, err
	}
	cs := make([]workday.Closure, len(days))
	for i, d := range days {
		cs[i] = workday.Closure{Date: d.Date, Reason: d.Reason}
	}
	return cs, nil
}

// AddClosureDay closes a day. A day already closed gives ErrConflict.
func (s *Store) AddClosureDay(ctx context.Context, day workday.Date, reason string, by int64) error {
	_, err := s.db.Exec(ctx, `INSERT INTO closure_days (day, reason, created_by) VALUES ($1, $2, $3)`, pgDate(day), reason, by)
	if isUniqueViolation(err) {
		return ErrConflict
	}
	if err != nil {
		return fmt.Errorf("store: add closure day: %w", err)
	}
	return nil
}

// DeleteClosureDay reopens a day.
func (s *Store) DeleteClosureDay(ctx context.Context, day workday.Date) error {
	tag, err := s.db.Exec(ctx, `DELETE FROM closure_days WHERE day = $1`, pgDate(day))
	if err != nil {
		return fmt.Errorf("store: delete closure day: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return ErrNotFound
	}
	return nil
}

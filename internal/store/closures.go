package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/ofsted/focusedvisits/internal/notify"
	"github.com/ofsted/focusedvisits/internal/user"
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

// CalendarState is the closure days at one calendar version, with how
// often and when last they were changed (closure_day_changes): a change
// moves visits' dates without changing the visits, so calendar files count
// it in their SEQUENCE and LAST-MODIFIED. Every change to the closure days
// moves the version and is recorded in the same transaction, so all of it
// is a function of the version and is kept with it.
type CalendarState struct {
	Version  int64
	Closures []workday.Closure
	// Changes only grows (closure_day_changes is never deleted from), so
	// a later version never has fewer.
	Changes    int
	LastChange time.Time // zero before the first change
}

// CalendarClosures returns the calendar's state, read in one statement.
func (s *Store) CalendarClosures(ctx context.Context) (CalendarState, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT cv.version, ch.n, ch.last, c.day, COALESCE(c.reason, '')
		FROM calendar_versions cv
		CROSS JOIN (SELECT count(*) AS n, max(changed_at) AS last FROM closure_day_changes) ch
		LEFT JOIN closure_days c ON true ORDER BY c.day`)
	var (
		st     CalendarState
		last   *time.Time
		d      pgtype.Date
		reason string
	)
	_, err := pgx.ForEachRow(rows, []any{&st.Version, &st.Changes, &last, &d, &reason}, func() error {
		if d.Valid {
			st.Closures = append(st.Closures, workday.Closure{Date: fromPGDate(d), Reason: reason})
		}
		return nil
	})
	if err != nil {
		return CalendarState{}, fmt.Errorf("store: calendar closures: %w", err)
	}
	if last != nil {
		st.LastChange = *last
	}
	return st, nil
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

// GetClosureDay returns the closure day on day.
func (s *Store) GetClosureDay(ctx context.Context, day workday.Date) (ClosureDay, error) {
	var c ClosureDay
	var d pgtype.Date
	err := s.db.QueryRow(ctx, `
		SELECT c.day, c.reason, COALESCE(u.name, ''), c.created_at
		FROM closure_days c LEFT JOIN users u ON u.id = c.created_by WHERE c.day = $1`, pgDate(day)).
		Scan(&d, &c.Reason, &c.CreatedBy, &c.CreatedAt)
	if err != nil {
		return ClosureDay{}, notFound(err, "get closure day %s", day)
	}
	c.Date = fromPGDate(d)
	return c, nil
}

// ClosureChange is one line of the closure days' history.
type ClosureChange struct {
	ID          int64
	Date        workday.Date
	Change      string // "added" or "removed"
	Reason      string // the closure day's reason
	Why         string // why it was removed
	VisitsMoved int
	ChangedBy   string
	ChangedAt   time.Time
}

// ListClosureChanges returns the closure days' history, newest first, at
// most limit lines.
func (s *Store) ListClosureChanges(ctx context.Context, limit int) ([]ClosureChange, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT c.id, c.day, c.change, c.reason, c.why, c.visits_moved, COALESCE(u.name, 'The service'), c.changed_at
		FROM closure_day_changes c LEFT JOIN users u ON u.id = c.changed_by
		ORDER BY c.changed_at DESC, c.id DESC LIMIT $1`, limit)
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ClosureChange, error) {
		var c ClosureChange
		var d pgtype.Date
		err := r.Scan(&c.ID, &d, &c.Change, &c.Reason, &c.Why, &c.VisitsMoved, &c.ChangedBy, &c.ChangedAt)
		c.Date = fromPGDate(d)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: list closure day changes: %w", err)
	}
	return list, nil
}

// CloseDay adds a closure day and, in the same transaction, records the
// change in the closure days' history and the dates it moved in each
// visit's history (moved, computed by the caller; visits counts the visits
// among them). A day already closed gives ErrConflict.
func (s *Store) CloseDay(ctx context.Context, day workday.Date, reason string, by user.User, moved []Event, visits int) error {
	return s.WithTx(ctx, func(tx *Store) error {
		if err := tx.AddClosureDay(ctx, day, reason, by.ID); err != nil {
			return err
		}
		return tx.closureChanged(ctx, day, "added", reason, "", by, moved, visits)
	})
}

// ReopenDay removes a closure day, with why, recording it as CloseDay does.
// A day not closed gives ErrNotFound.
func (s *Store) ReopenDay(ctx context.Context, day workday.Date, why string, by user.User, moved []Event, visits int) error {
	return s.WithTx(ctx, func(tx *Store) error {
		var reason string
		err := tx.db.QueryRow(ctx, `DELETE FROM closure_days WHERE day = $1 RETURNING reason`, pgDate(day)).Scan(&reason)
		if err != nil {
			return notFound(err, "remove closure day %s", day)
		}
		return tx.closureChanged(ctx, day, "removed", reason, why, by, moved, visits)
	})
}

func (s *Store) closureChanged(ctx context.Context, day workday.Date, change, reason, why string, by user.User, moved []Event, visits int) error {
	_, err := s.db.Exec(ctx, `
		INSERT INTO closure_day_changes (day, change, reason, why, visits_moved, changed_by) VALUES ($1, $2, $3, $4, $5, $6)`,
		pgDate(day), change, reason, why, visits, by.ID)
	if err != nil {
		return fmt.Errorf("store: record closure day %s %s: %w", day, change, err)
	}
	var ids []int64
	for _, e := range moved {
		if err := s.addEvent(ctx, e.VisitID, e.UserID, e.Event); err != nil {
			return err
		}
		if !slices.Contains(ids, e.VisitID) {
			ids = append(ids, e.VisitID)
		}
	}
	// Dates that moved after notice: the chief executive must be told in
	// writing, and the lead is asked to record it, or, once the service
	// emails, to add a covering note to its email (DOMAIN decision 14).
	if _, err := s.db.Exec(ctx, `UPDATE visits SET ceo_to_tell = true WHERE id = ANY($1) AND notice_given_at IS NOT NULL`, ids); err != nil {
		return fmt.Errorf("store: mark visits whose chief executive is to be told: %w", err)
	}
	return s.tellClosure(ctx, day, change, ids)
}

// tellClosure emails the chief executive of each visit (after notice)
// whose dates the closure day moved, with the dates before and after.
func (s *Store) tellClosure(ctx context.Context, day workday.Date, change string, ids []int64) error {
	if len(ids) == 0 {
		return nil
	}
	after, err := s.Closures(ctx)
	if err != nil {
		return err
	}
	before := slices.DeleteFunc(slices.Clone(after), func(c workday.Closure) bool { return c.Date == day })
	why := "Ofsted added a closure day, " + notify.Day(day) + ", which is no longer a working day"
	if change == "removed" {
		before = append(before, workday.Closure{Date: day})
		why = "Ofsted removed a closure day, " + notify.Day(day) + ", which is a working day again"
	}
	calBefore := workday.EnglandAndWales().WithClosures(before)
	calAfter := workday.EnglandAndWales().WithClosures(after)
	for _, id := range ids {
		d, err := s.GetVisit(ctx, id)
		if err != nil {
			return err
		}
		if !d.NoticeGiven() {
			continue
		}
		was, err := s.AboutOf(d, calBefore)
		if err != nil {
			return err
		}
		now, err := s.AboutOf(d, calAfter)
		if err != nil {
			return err
		}
		if err := s.QueueMessages(ctx, now.DatesChanged(notify.PlanChanges(was.Plan, now.Plan), why, "")...); err != nil {
			return err
		}
	}
	return nil
}

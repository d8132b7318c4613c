package store

import (
	"context"
	"errors"
	"fmt"
	"github.com/ofsted/focusedvisits/internal/history"
	"github.com/ofsted/focusedvisits/internal/visit"
	"maps"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// DeferralStatus is where a deferral request stands.
type DeferralStatus string

// The states of a deferral request.
const (
	DeferralRequested DeferralStatus = "requested"
	DeferralGranted   DeferralStatus = "granted"
	DeferralRefused   DeferralStatus = "refused"
)

// Label is the status as a tag shows it.
func (s DeferralStatus) Label() string {
	switch s {
	case DeferralGranted:
		return "Granted"
	case DeferralRefused:
		return "Refused"
	}
	return "Awaiting decision"
}

// Deferral is a request to defer a visit, and Ofsted's decision on it.
type Deferral struct {
	ID       int64
	PublicID string // names the request in URLs
	VisitID  int64
	// RequestedBy is who asked, as they are to be named ("Chris Chief,
	// Cafcass chief executive").
	RequestedBy string
	RequestedOn workday.Date
	Reason      string
	// RecordedBy is who entered the request: the lead inspector who was
	// asked, or (later) the Cafcass user who asked in the service.
	RecordedBy string
	RecordedAt time.Time

	Status         DeferralStatus
	DecidedBy      string
	DecidedAt      time.Time
	DecisionReason string
	// The visit's anchor before and after a granted deferral.
	OldAnchorCode string
	OldAnchorDate workday.Date
	NewAnchorCode string
	NewAnchorDate workday.Date
}

// NewDeferral is a deferral request to record.
type NewDeferral struct {
	VisitID     int64
	RequestedBy string
	RequestedOn workday.Date
	Reason      string
}

// CreateDeferral records a deferral request, by whoever entered it, and
// notes it in the visit's history.
func (s *Store) CreateDeferral(ctx context.Context, n NewDeferral, by user.User) (int64, error) {
	var id int64
	err := s.WithTx(ctx, func(tx *Store) error {
		err := tx.db.QueryRow(ctx, `
			INSERT INTO visit_deferrals (visit_id, requested_by, requested_on, reason, recorded_by)
			VALUES ($1, $2, $3, $4, $5) RETURNING id`,
			n.VisitID, n.RequestedBy, pgDate(n.RequestedOn), n.Reason, by.ID).Scan(&id)
		if err != nil {
			return fmt.Errorf("store: create deferral on visit %d: %w", n.VisitID, err)
		}
		return tx.addEvent(ctx, n.VisitID, by.ID, history.Event{Kind: history.DeferralRequested,
			Params: history.Params{Name: n.RequestedBy, On: n.RequestedOn, Reason: n.Reason}})
	})
	return id, err
}

const deferralColumns = `d.id, d.public_id, d.visit_id, d.requested_by, d.requested_on, d.reason, r.name, d.recorded_at,
	d.status, COALESCE(du.name, ''), d.decided_at, d.decision_reason,
	d.old_anchor_code, d.old_anchor_date, d.new_anchor_code, d.new_anchor_date`

const deferralFrom = ` FROM visit_deferrals d JOIN users r ON r.id = d.recorded_by LEFT JOIN users du ON du.id = d.decided_by`

func scanDeferral(row pgx.Row) (Deferral, error) {
	var d Deferral
	var on, oldDay, newDay pgtype.Date
	var decided pgtype.Timestamptz
	err := row.Scan(&d.ID, &d.PublicID, &d.VisitID, &d.RequestedBy, &on, &d.Reason, &d.RecordedBy, &d.RecordedAt,
		&d.Status, &d.DecidedBy, &decided, &d.DecisionReason,
		&d.OldAnchorCode, &oldDay, &d.NewAnchorCode, &newDay)
	d.RequestedOn, d.OldAnchorDate, d.NewAnchorDate = fromPGDate(on), fromPGDate(oldDay), fromPGDate(newDay)
	if decided.Valid {
		d.DecidedAt = decided.Time
	}
	return d, err
}

// ListDeferrals returns a visit's deferral requests, newest first.
func (s *Store) ListDeferrals(ctx context.Context, visitID int64) ([]Deferral, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+deferralColumns+deferralFrom+` WHERE d.visit_id = $1 ORDER BY d.id DESC`, visitID)
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Deferral, error) { return scanDeferral(r) })
	if err != nil {
		return nil, fmt.Errorf("store: list deferrals of visit %d: %w", visitID, err)
	}
	return list, nil
}

// GetDeferral returns a deferral request of a visit. A request of another
// visit is ErrNotFound.
func (s *Store) GetDeferral(ctx context.Context, visitID, id int64) (Deferral, error) {
	d, err := scanDeferral(s.db.QueryRow(ctx, `SELECT `+deferralColumns+deferralFrom+` WHERE d.visit_id = $1 AND d.id = $2`, visitID, id))
	if err != nil {
		return Deferral{}, notFound(err, "get deferral %d of visit %d", id, visitID)
	}
	return d, nil
}

// GetDeferralByPublicID is GetDeferral for the request with the public id.
func (s *Store) GetDeferralByPublicID(ctx context.Context, visitID int64, publicID string) (Deferral, error) {
	d, err := scanDeferral(s.db.QueryRow(ctx, `SELECT `+deferralColumns+deferralFrom+` WHERE d.visit_id = $1 AND d.public_id = $2`, visitID, publicID))
	if err != nil {
		return Deferral{}, notFound(err, "get deferral %s of visit %d", publicID, visitID)
	}
	return d, nil
}

// DeferralDecision is Ofsted's decision on a deferral request.
type DeferralDecision struct {
	VisitID    int64
	DeferralID int64
	Grant      bool
	Reason     string
	// For a grant: the visit's version the new dates were worked out
	// from, the change to the visit, and one history line per date that
	// moves (history.DeferralDateMoved).
	Version int
	Update  UpdateVisit
	Moved   []history.Event
	// ClearOverrides are the dates set by hand that move with the new
	// plan, by code, with their milestones' labels.
	ClearOverrides map[string]string
	// Told records that the chief executive was told, after notice.
	Told visit.CEOTold
	// CEONote is the lead's covering note to the chief executive, sent
	// with the service's email of the new dates after notice.
	CEONote string
}

// DecideDeferral records the decision on a request still awaiting one
// (ErrConflict otherwise). Granting also moves the visit (UpdateVisit, which
// fails with ErrConflict when the visit changed since Version) and records
// the dates that moved, all in one transaction.
//
// After notice, a grant emails the chief executive the dates that moved,
// with dd.CEONote as the lead's covering note (DOMAIN decision 14).
func (s *Store) DecideDeferral(ctx context.Context, dd DeferralDecision, by user.User) error {
	return s.WithTx(ctx, func(tx *Store) error {
		return tx.tellDatesChanged(ctx, dd.VisitID, "Ofsted granted Cafcass's request to defer the visit", dd.CEONote, func() error {
			return tx.decideDeferral(ctx, dd, by)
		})
	})
}

func (s *Store) decideDeferral(ctx context.Context, dd DeferralDecision, by user.User) error {
	return s.WithTx(ctx, func(tx *Store) error {
		status := DeferralRefused
		if dd.Grant {
			status = DeferralGranted
		}
		var requestedBy string
		var requestedOn pgtype.Date
		err := tx.db.QueryRow(ctx, `
			UPDATE visit_deferrals SET status = $3, decided_by = $4, decided_at = now(), decision_reason = $5
			WHERE visit_id = $1 AND id = $2 AND status = 'requested'
			RETURNING requested_by, requested_on`,
			dd.VisitID, dd.DeferralID, status, by.ID, dd.Reason).Scan(&requestedBy, &requestedOn)
		if errors.Is(err, pgx.ErrNoRows) {
			if _, err := tx.GetDeferral(ctx, dd.VisitID, dd.DeferralID); err != nil {
				return err
			}
			return ErrConflict
		}
		if err != nil {
			return fmt.Errorf("store: decide deferral %d: %w", dd.DeferralID, err)
		}
		if !dd.Grant {
			return tx.addEvent(ctx, dd.VisitID, by.ID, history.Event{Kind: history.DeferralRefused,
				Params: history.Params{Name: requestedBy, On: fromPGDate(requestedOn), Reason: dd.Reason}})
		}

		old, err := tx.GetVisit(ctx, dd.VisitID)
		if err != nil {
			return err
		}
		if _, err := tx.db.Exec(ctx, `
			UPDATE visit_deferrals SET old_anchor_code = $2, old_anchor_date = $3, new_anchor_code = $4, new_anchor_date = $5
			WHERE id = $1`, dd.DeferralID, old.AnchorCode, pgDate(old.AnchorDate), dd.Update.AnchorCode, pgDate(dd.Update.AnchorDate)); err != nil {
			return fmt.Errorf("store: note dates of deferral %d: %w", dd.DeferralID, err)
		}
		u := dd.Update
		u.Kind = history.DeferralGranted
		u.Params.Name, u.Params.On, u.Params.Reason = requestedBy, fromPGDate(requestedOn), dd.Reason
		if err := tx.UpdateVisit(ctx, dd.VisitID, dd.Version, u, by); err != nil {
			return err
		}
		for _, code := range slices.Sorted(maps.Keys(dd.ClearOverrides)) {
			if err := tx.ClearOverride(ctx, dd.VisitID, 0, code, dd.ClearOverrides[code], by); err != nil {
				return err
			}
		}
		if err := tx.addCEOTold(ctx, dd.VisitID, by, dd.Told); err != nil {
			return err
		}
		for _, e := range dd.Moved {
			if err := tx.addEvent(ctx, dd.VisitID, by.ID, e); err != nil {
				return err
			}
		}
		return nil
	})
}

// OriginalAnchor is what a visit was planned from before the first of its
// deferrals (as ListDeferrals gives them) that was granted (DOMAIN decision
// 11: the planned column keeps the original plan); ok is false when none was.
func OriginalAnchor(dfs []Deferral) (code string, day workday.Date, ok bool) {
	var first Deferral
	for _, df := range dfs {
		if df.Status != DeferralGranted || df.OldAnchorDate.IsZero() {
			continue
		}
		if !ok || df.DecidedAt.Before(first.DecidedAt) || (df.DecidedAt.Equal(first.DecidedAt) && df.ID < first.ID) {
			first, ok = df, true
		}
	}
	return first.OldAnchorCode, first.OldAnchorDate, ok
}

package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
)

// NewChildDataView is one view or download of children's data, to record
// (DOMAIN decision 17): who, when, which visit, which kind of record.
type NewChildDataView struct {
	VisitID int64
	UserID  int64
	Role    user.Role // the viewer's role at the time
	Record  visit.ChildRecord
	At      time.Time
}

// ChildDataView is a recorded view, with the names people read.
type ChildDataView struct {
	ID             int64
	At             time.Time
	VisitID        int64
	VisitPublicID  string
	VisitReference string
	UserID         int64
	UserName       string
	Role           user.Role
	Record         visit.ChildRecord
}

// ChildDataViewsPerPage is how many views a page of the record shows.
const ChildDataViewsPerPage = 50

// ChildDataViewFilter chooses the views to list: one visit's (VisitID) or
// every visit's (0), a page at a time from 1.
type ChildDataViewFilter struct {
	VisitID int64
	Page    int
}

// ChildDataViewPage is one page of the record, newest first.
type ChildDataViewPage struct {
	Views []ChildDataView
	Total int
	Page  int // the page shown: the one asked for, within 1..Pages
	Pages int // at least 1
}

// RecordChildDataView appends a view to the record of who viewed children's
// data. The record is append-only: the database refuses to change or delete
// its rows.
func (s *Store) RecordChildDataView(ctx context.Context, v NewChildDataView) error {
	_, err := s.db.Exec(ctx, `INSERT INTO child_data_views (viewed_at, visit_id, user_id, user_role, record)
		VALUES ($1, $2, $3, $4, $5)`, v.At, v.VisitID, v.UserID, string(v.Role), string(v.Record))
	if err != nil {
		return fmt.Errorf("store: record %s view of visit %d by user %d: %w", v.Record, v.VisitID, v.UserID, err)
	}
	return nil
}

// ListChildDataViews returns a page of the record of who viewed children's
// data, newest first (the order they were recorded in, latest first). A
// page past the last gives the last.
func (s *Store) ListChildDataViews(ctx context.Context, f ChildDataViewFilter) (ChildDataViewPage, error) {
	var p ChildDataViewPage
	err := s.db.QueryRow(ctx, `SELECT count(*) FROM child_data_views WHERE $1 = 0 OR visit_id = $1`, f.VisitID).Scan(&p.Total)
	if err != nil {
		return p, fmt.Errorf("store: count child data views: %w", err)
	}
	p.Pages = max(1, (p.Total+ChildDataViewsPerPage-1)/ChildDataViewsPerPage)
	p.Page = min(max(f.Page, 1), p.Pages)
	rows, _ := s.db.Query(ctx, `
		SELECT cv.id, cv.viewed_at, cv.visit_id, v.public_id, v.reference, cv.user_id, u.name, cv.user_role, cv.record
		FROM child_data_views cv JOIN visits v ON v.id = cv.visit_id JOIN users u ON u.id = cv.user_id
		WHERE $1 = 0 OR cv.visit_id = $1
		ORDER BY cv.id DESC LIMIT $2 OFFSET $3`, f.VisitID, ChildDataViewsPerPage, (p.Page-1)*ChildDataViewsPerPage)
	p.Views, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (ChildDataView, error) {
		var v ChildDataView
		err := r.Scan(&v.ID, &v.At, &v.VisitID, &v.VisitPublicID, &v.VisitReference, &v.UserID, &v.UserName, &v.Role, &v.Record)
		return v, err
	})
	if err != nil {
		return p, fmt.Errorf("store: list child data views: %w", err)
	}
	return p, nil
}

package store

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/ofsted/focusedvisits/internal/history"
	"github.com/ofsted/focusedvisits/internal/workday"
)

var londonLoc = workday.London

// Retained is what the retention job deleted from one visit.
type Retained struct {
	VisitID     int64
	Reference   string
	PublishedAt time.Time
	Lists       int // child-level lists whose rows and issues went
	Rows        int // child_rows
	Issues      int // child_list_issues
	Samples     int // case_samples
	Evidence    int // evidence_notes (those about a case would go with the sample too)
	Contacts    int // family_contacts: contacts with children, parents and carers
	Checks      int // views_checks and office_checks (their notes may name a child)
	Feedback    int // feedback_answers from children and young people
	Files       int // files (with their chunks)
	Bytes       int64
	DeletedAt   time.Time
}

// publishedAtSQL is when a visit's letter was published: the letter's
// published_at or the recorded 'publication' step (its day, from midnight in
// London), whichever is earlier.
const publishedAtSQL = `LEAST(
	(SELECT l.published_at FROM letters l WHERE l.visit_id = v.id AND l.state = 'published'),
	(SELECT (a.day::timestamp AT TIME ZONE 'Europe/London') FROM visit_actuals a WHERE a.visit_id = v.id AND a.code = 'publication'))`

// holdsChildDataSQL says whether a visit still holds anything the retention
// job deletes.
const holdsChildDataSQL = `(
	EXISTS (SELECT 1 FROM child_lists cl JOIN child_rows cr ON cr.list_id = cl.id WHERE cl.visit_id = v.id)
	OR EXISTS (SELECT 1 FROM child_lists cl JOIN child_list_issues ci ON ci.list_id = cl.id WHERE cl.visit_id = v.id)
	OR EXISTS (SELECT 1 FROM case_samples cs WHERE cs.visit_id = v.id)
	OR EXISTS (SELECT 1 FROM evidence_notes en WHERE en.visit_id = v.id)
	OR EXISTS (SELECT 1 FROM family_contacts fc WHERE fc.visit_id = v.id)
	OR EXISTS (SELECT 1 FROM views_checks vc WHERE vc.visit_id = v.id)
	OR EXISTS (SELECT 1 FROM office_checks oc WHERE oc.visit_id = v.id)
	OR EXISTS (SELECT 1 FROM feedback_answers fa WHERE fa.visit_id = v.id)
	OR EXISTS (SELECT 1 FROM files f WHERE f.visit_id = v.id))`

// VisitsPastRetention lists the visits published before cutoff that still
// hold child-level rows, issues, sample cases or files, oldest first.
func (s *Store) VisitsPastRetention(ctx context.Context, cutoff time.Time) ([]int64, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT id FROM (SELECT v.id, `+publishedAtSQL+` AS published_at FROM visits v WHERE `+holdsChildDataSQL+`) p
		WHERE published_at < $1 ORDER BY published_at, id`, cutoff)
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("store: visits past retention: %w", err)
	}
	return ids, nil
}

// DeleteChildData deletes, in one transaction, a visit's child-level rows,
// their issues, its case sample and every file uploaded to it, if the
// visit's letter was published before cutoff; it writes a retention_log row
// and a line in the visit's history saying what went. It returns what was
// deleted (zero counts and no record when there was nothing, or the visit
// is not yet due), so running it twice is harmless.
func (s *Store) DeleteChildData(ctx context.Context, visitID int64, cutoff, now time.Time, retentionDays int) (Retained, error) {
	r := Retained{VisitID: visitID, DeletedAt: now}
	err := s.WithTx(ctx, func(tx *Store) error {
		// Lock the visit so that an upload or a second job waits.
		var published *time.Time
		err := tx.db.QueryRow(ctx, `SELECT v.reference, `+publishedAtSQL+` FROM visits v WHERE v.id = $1 FOR UPDATE`, visitID).
			Scan(&r.Reference, &published)
		if err != nil {
			return notFound(err, "lock visit %d for retention", visitID)
		}
		if published == nil || !published.Before(cutoff) {
			return nil
		}
		r.PublishedAt = *published
		err = tx.db.QueryRow(ctx, `
			WITH lists AS (SELECT id FROM child_lists WHERE visit_id = $1),
			del_rows AS (DELETE FROM child_rows WHERE list_id IN (SELECT id FROM lists) RETURNING list_id),
			del_issues AS (DELETE FROM child_list_issues WHERE list_id IN (SELECT id FROM lists) RETURNING list_id)
			SELECT (SELECT count(*) FROM del_rows), (SELECT count(*) FROM del_issues),
				(SELECT count(DISTINCT list_id) FROM (SELECT list_id FROM del_rows UNION SELECT list_id FROM del_issues) l)`,
			visitID).Scan(&r.Rows, &r.Issues, &r.Lists)
		if err != nil {
			return fmt.Errorf("store: delete child rows of visit %d: %w", visitID, err)
		}
		// The counts and dates kept from the rows go with them.
		if _, err := tx.db.Exec(ctx, `
			WITH lists AS (SELECT id FROM child_lists WHERE visit_id = $1),
			counts AS (DELETE FROM child_list_counts WHERE list_id IN (SELECT id FROM lists))
			UPDATE child_lists SET first_start = NULL, last_start = NULL, first_end = NULL, last_end = NULL
			WHERE id IN (SELECT id FROM lists)`, visitID); err != nil {
			return fmt.Errorf("store: delete child data summary of visit %d: %w", visitID, err)
		}
		// Evidence notes first: those about a case would otherwise go
		// uncounted with the sample.
		tag, err := tx.db.Exec(ctx, `DELETE FROM evidence_notes WHERE visit_id = $1`, visitID)
		if err != nil {
			return fmt.Errorf("store: delete evidence notes of visit %d: %w", visitID, err)
		}
		r.Evidence = int(tag.RowsAffected())
		// Contacts and the two checks likewise, before the sample.
		err = tx.db.QueryRow(ctx, `
			WITH c AS (DELETE FROM family_contacts WHERE visit_id = $1 RETURNING 1),
			vc AS (DELETE FROM views_checks WHERE visit_id = $1 RETURNING 1),
			oc AS (DELETE FROM office_checks WHERE visit_id = $1 RETURNING 1)
			SELECT (SELECT count(*) FROM c), (SELECT count(*) FROM vc) + (SELECT count(*) FROM oc)`, visitID).Scan(&r.Contacts, &r.Checks)
		if err != nil {
			return fmt.Errorf("store: delete contacts and checks of visit %d: %w", visitID, err)
		}
		tag, err = tx.db.Exec(ctx, `DELETE FROM feedback_answers WHERE visit_id = $1`, visitID)
		if err != nil {
			return fmt.Errorf("store: delete feedback of visit %d: %w", visitID, err)
		}
		r.Feedback = int(tag.RowsAffected())
		tag, err = tx.db.Exec(ctx, `DELETE FROM case_samples WHERE visit_id = $1`, visitID)
		if err != nil {
			return fmt.Errorf("store: delete case sample of visit %d: %w", visitID, err)
		}
		r.Samples = int(tag.RowsAffected())
		// file_chunks go by ON DELETE CASCADE; child_lists.file_id is set NULL.
		err = tx.db.QueryRow(ctx, `
			WITH del AS (DELETE FROM files WHERE visit_id = $1 RETURNING size)
			SELECT count(*), COALESCE(sum(size), 0) FROM del`, visitID).Scan(&r.Files, &r.Bytes)
		if err != nil {
			return fmt.Errorf("store: delete files of visit %d: %w", visitID, err)
		}
		if r.Rows+r.Issues+r.Samples+r.Files+r.Evidence+r.Contacts+r.Checks+r.Feedback == 0 {
			return nil
		}
		if _, err := tx.db.Exec(ctx, `
			INSERT INTO retention_log (visit_id, published_at, retention_days, child_lists, child_rows, child_issues, case_samples, files, file_bytes, deleted_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			visitID, r.PublishedAt, retentionDays, r.Lists, r.Rows, r.Issues, r.Samples, r.Files, r.Bytes, now); err != nil {
			return fmt.Errorf("store: log retention of visit %d: %w", visitID, err)
		}
		return tx.addEvent(ctx, visitID, 0, history.Event{Kind: history.ChildDataDeletedUnderRetention, Params: history.Params{
			Published: workday.DateOf(r.PublishedAt.In(londonLoc)), Days: retentionDays,
			Rows: r.Rows, Issues: r.Issues, Samples: r.Samples, Files: r.Files, Evidence: r.Evidence,
			Contacts: r.Contacts, Checks: r.Checks, Feedback: r.Feedback}})
	})
	if err != nil {
		return Retained{}, err
	}
	return r, nil
}

// RetentionLog returns what the retention job deleted from a visit, newest first.
func (s *Store) RetentionLog(ctx context.Context, visitID int64) ([]Retained, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT r.visit_id, v.reference, r.published_at, r.child_lists, r.child_rows, r.child_issues, r.case_samples, r.files, r.file_bytes, r.deleted_at
		FROM retention_log r JOIN visits v ON v.id = r.visit_id
		WHERE r.visit_id = $1 ORDER BY r.id DESC`, visitID)
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (Retained, error) {
		var r Retained
		err := row.Scan(&r.VisitID, &r.Reference, &r.PublishedAt, &r.Lists, &r.Rows, &r.Issues, &r.Samples, &r.Files, &r.Bytes, &r.DeletedAt)
		return r, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: retention log of visit %d: %w", visitID, err)
	}
	return list, nil
}

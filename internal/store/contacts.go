package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/ofsted/focusedvisits/internal/fieldwork"
	"github.com/ofsted/focusedvisits/internal/history"
	"github.com/ofsted/focusedvisits/internal/user"
)

// Children, parents and carers (issue 17, item 5): contacts with what they
// said, and the two checks of the Young People's Board. Children's data
// (DOMAIN decision 17): the retention purge deletes all of it.

// sampleOf finds (and locks, so that contacts about one case are recorded
// one at a time) the visit's sample case with the public id.
func (tx *Store) sampleOf(ctx context.Context, visitID int64, publicID string) (id *int64, caseID, childID string, err error) {
	if publicID == "" {
		return nil, "", "", nil
	}
	var n int64
	err = tx.db.QueryRow(ctx, `SELECT id, case_id, child_id FROM case_samples WHERE public_id = $1 AND visit_id = $2 FOR UPDATE`,
		publicID, visitID).Scan(&n, &caseID, &childID)
	if err != nil {
		return nil, "", "", notFound(err, "sample case %s of visit %d", publicID, visitID)
	}
	return &n, caseID, childID, nil
}

// AddContact records a contact, with a line in the history (never what was
// said). A child's contact rests on the contact with the public id
// agreement: if that is not, or no longer, the standing answer of a parent
// or carer of the same case agreeing to the child being contacted (see
// fieldwork.Standing: one recorded since withdrew or declined), it is
// ErrConflict and nothing is recorded. A case not in the visit's sample is
// ErrNotFound.
func (s *Store) AddContact(ctx context.Context, visitID int64, c fieldwork.Contact, agreement string, by user.User) error {
	return s.WithTx(ctx, func(tx *Store) error {
		sampleID, caseID, childID, err := tx.sampleOf(ctx, visitID, c.SamplePublicID)
		if err != nil {
			return err
		}
		var agreementID *int64
		if c.Who == "child" {
			var id int64
			err := tx.db.QueryRow(ctx, `
				SELECT a.id FROM family_contacts a
				WHERE a.public_id = $1 AND a.sample_id = $2 AND a.who <> 'child' AND a.agreement = 'agreed' AND a.held_on <= $3
				AND NOT EXISTS (SELECT 1 FROM family_contacts l
					WHERE l.sample_id = $2 AND l.agreement <> '' AND l.held_on <= $3 AND l.id <> a.id
					AND (l.held_on > a.held_on OR (l.held_on = a.held_on AND l.id > a.id)))`,
				agreement, sampleID, pgDate(c.HeldOn)).Scan(&id)
			if err != nil {
				if errors.Is(err, pgx.ErrNoRows) {
					return ErrConflict
				}
				return fmt.Errorf("store: agreement for a child contact on visit %d: %w", visitID, err)
			}
			agreementID = &id
		}
		var inspector string
		err = tx.db.QueryRow(ctx, `
			WITH ins AS (
				INSERT INTO family_contacts (visit_id, sample_id, who, description, mode, held_on, inspector_id, said, agreement, agreement_id, recorded_by)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING inspector_id)
			SELECT u.name FROM ins JOIN users u ON u.id = ins.inspector_id`,
			visitID, sampleID, c.Who, c.Description, c.Mode, pgDate(c.HeldOn), c.InspectorID, c.Said, c.Agreement, agreementID, by.ID).Scan(&inspector)
		if err != nil {
			return fmt.Errorf("store: add contact to visit %d: %w", visitID, err)
		}
		return tx.addEvent(ctx, visitID, by.ID, history.Event{Kind: history.ContactRecorded, Params: history.Params{
			Case: caseID, Child: childID, Code: c.Who, Mode: c.Mode, On: c.HeldOn, Name: inspector, Value: c.Agreement}})
	})
}

// ListContacts returns the visit's contacts, oldest first (by day, then in
// the order recorded: the order fieldwork.Standing reads them in).
func (s *Store) ListContacts(ctx context.Context, visitID int64) ([]fieldwork.Contact, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT c.public_id, coalesce(cs.public_id, ''), coalesce(cs.case_id, ''), coalesce(cs.child_id, ''),
			c.who, c.description, c.mode, c.held_on, c.inspector_id, u.name, c.said, c.agreement,
			coalesce(a.public_id, ''), c.recorded_at
		FROM family_contacts c JOIN users u ON u.id = c.inspector_id
		LEFT JOIN case_samples cs ON cs.id = c.sample_id
		LEFT JOIN family_contacts a ON a.id = c.agreement_id
		WHERE c.visit_id = $1
		ORDER BY c.held_on, c.id`, visitID)
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (fieldwork.Contact, error) {
		var c fieldwork.Contact
		var held pgtype.Date
		err := row.Scan(&c.PublicID, &c.SamplePublicID, &c.CaseID, &c.ChildID, &c.Who, &c.Description, &c.Mode, &held,
			&c.InspectorID, &c.InspectorName, &c.Said, &c.Agreement, &c.AgreementPublicID, &c.RecordedAt)
		c.HeldOn = fromPGDate(held)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: contacts of visit %d: %w", visitID, err)
	}
	return list, nil
}

// AddViewsCheck records a judgement of how well children's views are heard,
// with a line in the history (never the notes).
func (s *Store) AddViewsCheck(ctx context.Context, visitID int64, v fieldwork.ViewsCheck, by user.User) error {
	return s.WithTx(ctx, func(tx *Store) error {
		sampleID, caseID, childID, err := tx.sampleOf(ctx, visitID, v.SamplePublicID)
		if err != nil {
			return err
		}
		if _, err := tx.db.Exec(ctx, `INSERT INTO views_checks (visit_id, sample_id, judgement, notes, recorded_by) VALUES ($1, $2, $3, $4, $5)`,
			visitID, sampleID, v.Judgement, v.Notes, by.ID); err != nil {
			return fmt.Errorf("store: add views check to visit %d: %w", visitID, err)
		}
		return tx.addEvent(ctx, visitID, by.ID, history.Event{Kind: history.ViewsCheckRecorded, Params: history.Params{
			Case: caseID, Child: childID, Code: v.Judgement}})
	})
}

// ListViewsChecks returns the visit's judgements of how well children's
// views are heard, oldest first.
func (s *Store) ListViewsChecks(ctx context.Context, visitID int64) ([]fieldwork.ViewsCheck, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT coalesce(cs.public_id, ''), coalesce(cs.case_id, ''), coalesce(cs.child_id, ''), v.judgement, v.notes, u.name, v.recorded_at
		FROM views_checks v JOIN users u ON u.id = v.recorded_by
		LEFT JOIN case_samples cs ON cs.id = v.sample_id
		WHERE v.visit_id = $1 ORDER BY v.recorded_at, v.id`, visitID)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[fieldwork.ViewsCheck])
	if err != nil {
		return nil, fmt.Errorf("store: views checks of visit %d: %w", visitID, err)
	}
	return list, nil
}

// AddOfficeCheck records how welcoming an office is, with a line in the
// history (the office and how many checks were met; never the notes).
func (s *Store) AddOfficeCheck(ctx context.Context, visitID int64, o fieldwork.OfficeCheck, by user.User) error {
	return s.WithTx(ctx, func(tx *Store) error {
		items := o.Items
		if items == nil {
			items = []string{}
		}
		if _, err := tx.db.Exec(ctx, `INSERT INTO office_checks (visit_id, office, visited_on, items, notes, recorded_by) VALUES ($1, $2, $3, $4, $5, $6)`,
			visitID, o.Office, pgDate(o.VisitedOn), items, o.Notes, by.ID); err != nil {
			return fmt.Errorf("store: add office check to visit %d: %w", visitID, err)
		}
		return tx.addEvent(ctx, visitID, by.ID, history.Event{Kind: history.OfficeCheckRecorded, Params: history.Params{
			Text: o.Office, On: o.VisitedOn, Count: len(o.Items)}})
	})
}

// ListOfficeChecks returns the visit's office checks, by day visited.
func (s *Store) ListOfficeChecks(ctx context.Context, visitID int64) ([]fieldwork.OfficeCheck, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT o.office, o.visited_on, o.items, o.notes, u.name, o.recorded_at
		FROM office_checks o JOIN users u ON u.id = o.recorded_by
		WHERE o.visit_id = $1 ORDER BY o.visited_on, o.id`, visitID)
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (fieldwork.OfficeCheck, error) {
		var o fieldwork.OfficeCheck
		var on pgtype.Date
		err := row.Scan(&o.Office, &on, &o.Items, &o.Notes, &o.ByName, &o.RecordedAt)
		o.VisitedOn = fromPGDate(on)
		return o, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: office checks of visit %d: %w", visitID, err)
	}
	return list, nil
}

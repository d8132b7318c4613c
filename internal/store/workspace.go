package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/ofsted/focusedvisits/internal/fieldwork"
	"github.com/ofsted/focusedvisits/internal/history"
	"github.com/ofsted/focusedvisits/internal/user"
)

// The visit workspace (issue 17): the set-up call record, conversations
// with stakeholders and the fieldwork plan. Every change is in the visit's
// history.

// GetSetUpCall returns the visit's set-up call record and whether there is
// one.
func (s *Store) GetSetUpCall(ctx context.Context, visitID int64) (fieldwork.SetUpCall, bool, error) {
	var c fieldwork.SetUpCall
	var held pgtype.Date
	err := s.db.QueryRow(ctx, `
		SELECT held_on, oversight_changes, priorities_protocol, offices, working_practice, record_access, evidence_mix,
			evidence_detail, audit_list, adjustments, other_agreed, internal_notes, version
		FROM setup_calls WHERE visit_id = $1`, visitID).Scan(&held, &c.OversightChanges, &c.PrioritiesProtocol, &c.Offices,
		&c.WorkingPractice, &c.RecordAccess, &c.EvidenceMix, &c.EvidenceDetail, &c.AuditList, &c.Adjustments, &c.OtherAgreed,
		&c.InternalNotes, &c.Version)
	if errors.Is(err, pgx.ErrNoRows) {
		return fieldwork.SetUpCall{}, false, nil
	}
	if err != nil {
		return fieldwork.SetUpCall{}, false, fmt.Errorf("store: set-up call of visit %d: %w", visitID, err)
	}
	c.HeldOn = fromPGDate(held)
	return c, true, nil
}

// SaveSetUpCall records the set-up call or changes its record, if the
// record is still at c.Version (0 for a first record; else ErrConflict),
// with one line in the history for each field that changed.
func (s *Store) SaveSetUpCall(ctx context.Context, visitID int64, c fieldwork.SetUpCall, by user.User) error {
	return s.WithTx(ctx, func(tx *Store) error {
		if _, err := tx.db.Exec(ctx, `SELECT 1 FROM visits WHERE id = $1 FOR NO KEY UPDATE`, visitID); err != nil {
			return fmt.Errorf("store: lock visit %d: %w", visitID, err)
		}
		before, had, err := tx.GetSetUpCall(ctx, visitID)
		if err != nil {
			return err
		}
		if before.Version != c.Version {
			return ErrConflict
		}
		_, err = tx.db.Exec(ctx, `
			INSERT INTO setup_calls (visit_id, held_on, oversight_changes, priorities_protocol, offices, working_practice, record_access,
				evidence_mix, evidence_detail, audit_list, adjustments, other_agreed, internal_notes, updated_by)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
			ON CONFLICT (visit_id) DO UPDATE SET held_on = $2, oversight_changes = $3, priorities_protocol = $4, offices = $5,
				working_practice = $6, record_access = $7, evidence_mix = $8, evidence_detail = $9, audit_list = $10,
				adjustments = $11, other_agreed = $12, internal_notes = $13, updated_by = $14, updated_at = now(),
				version = setup_calls.version + 1`,
			visitID, pgDate(c.HeldOn), c.OversightChanges, c.PrioritiesProtocol, c.Offices, c.WorkingPractice, c.RecordAccess,
			c.EvidenceMix, c.EvidenceDetail, c.AuditList, c.Adjustments, c.OtherAgreed, c.InternalNotes, by.ID)
		if err != nil {
			return fmt.Errorf("store: save set-up call of visit %d: %w", visitID, err)
		}
		kind := history.SetUpRecorded
		if had {
			kind = history.SetUpChanged
		}
		for _, f := range fieldwork.Changes(before, c) {
			old := ""
			if had {
				old = f.Value(before)
			}
			e := history.Event{Kind: kind, Params: history.Params{Label: f.Label, OldValue: old, Value: f.Value(c)}}
			if err := tx.addEvent(ctx, visitID, by.ID, e); err != nil {
				return err
			}
		}
		return nil
	})
}

// ListConversations returns the visit's conversations with stakeholders,
// by date.
func (s *Store) ListConversations(ctx context.Context, visitID int64) ([]fieldwork.Conversation, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT c.public_id, c.kind, c.who, c.held_on, c.held_by, u.name, c.note, c.recorded_at
		FROM stakeholder_conversations c JOIN users u ON u.id = c.held_by
		WHERE c.visit_id = $1 ORDER BY c.held_on, c.id`, visitID)
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (fieldwork.Conversation, error) {
		var c fieldwork.Conversation
		var held pgtype.Date
		err := row.Scan(&c.PublicID, &c.Kind, &c.Who, &held, &c.HeldBy, &c.HeldByName, &c.Note, &c.RecordedAt)
		c.HeldOn = fromPGDate(held)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: conversations of visit %d: %w", visitID, err)
	}
	return list, nil
}

// AddConversation records a conversation with a stakeholder, and a line in
// the history.
func (s *Store) AddConversation(ctx context.Context, visitID int64, c fieldwork.Conversation, by user.User) error {
	return s.WithTx(ctx, func(tx *Store) error {
		var heldBy string
		err := tx.db.QueryRow(ctx, `
			WITH ins AS (INSERT INTO stakeholder_conversations (visit_id, kind, who, held_on, held_by, note, recorded_by)
				VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING held_by)
			SELECT u.name FROM ins JOIN users u ON u.id = ins.held_by`,
			visitID, c.Kind, c.Who, pgDate(c.HeldOn), c.HeldBy, c.Note, by.ID).Scan(&heldBy)
		if err != nil {
			return fmt.Errorf("store: add conversation to visit %d: %w", visitID, err)
		}
		return tx.addEvent(ctx, visitID, by.ID, history.Event{Kind: history.StakeholderRecorded,
			Params: history.Params{Code: c.Kind, Text: c.Who, On: c.HeldOn, Name: heldBy}})
	})
}

// PlanCase is a case of the sample on the fieldwork plan, with its
// discussion once planned. Reason is Ofsted's alone.
type PlanCase struct {
	SamplePublicID string
	CaseID         string
	ChildID        string
	Reason         string
	// The inspector the sample gave the case to.
	SampleInspectorID int64
	Planned           bool
	Discussion        fieldwork.Discussion
	UpdatedAt         time.Time
}

// ListFieldworkPlan returns every case of the visit's sample with its
// discussion, planned ones first by day and time, then the rest by case.
func (s *Store) ListFieldworkPlan(ctx context.Context, visitID int64) ([]PlanCase, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT cs.public_id, cs.case_id, cs.child_id, cs.reason, cs.inspector_id, d.sample_id IS NOT NULL,
			coalesce(d.inspector_id, cs.inspector_id), coalesce(i.name, si.name), d.day,
			coalesce(extract(hour FROM d.starts_at)::int * 60 + extract(minute FROM d.starts_at)::int, 0),
			coalesce(d.minutes, 0), coalesce(d.mode, ''), coalesce(d.practitioner, ''), coalesce(d.manager, ''),
			coalesce(d.note, ''), coalesce(d.updated_at, cs.selected_at)
		FROM case_samples cs
		JOIN users si ON si.id = cs.inspector_id
		LEFT JOIN case_discussions d ON d.sample_id = cs.id
		LEFT JOIN users i ON i.id = d.inspector_id
		WHERE cs.visit_id = $1
		ORDER BY d.day NULLS LAST, d.starts_at, cs.case_id, cs.child_id`, visitID)
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (PlanCase, error) {
		var p PlanCase
		var day pgtype.Date
		d := &p.Discussion
		err := row.Scan(&p.SamplePublicID, &p.CaseID, &p.ChildID, &p.Reason, &p.SampleInspectorID, &p.Planned,
			&d.InspectorID, &d.InspectorName, &day, &d.Start, &d.Minutes, &d.Mode, &d.Practitioner, &d.Manager, &d.Note, &p.UpdatedAt)
		d.Day = fromPGDate(day)
		d.SamplePublicID, d.CaseID, d.ChildID = p.SamplePublicID, p.CaseID, p.ChildID
		return p, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: fieldwork plan of visit %d: %w", visitID, err)
	}
	return list, nil
}

// Discussions are the planned discussions of a plan.
func Discussions(plan []PlanCase) []fieldwork.Discussion {
	var out []fieldwork.Discussion
	for _, p := range plan {
		if p.Planned {
			out = append(out, p.Discussion)
		}
	}
	return out
}

// SaveDiscussion plans (or changes) the discussion of the sample case with
// the public id, with a line in the history naming the case (children's
// data: see Event.NamesChildCase) and, when the lead went ahead despite a
// clash, which. A case not in the visit's sample is ErrNotFound.
func (s *Store) SaveDiscussion(ctx context.Context, visitID int64, d fieldwork.Discussion, clash string, by user.User) error {
	return s.WithTx(ctx, func(tx *Store) error {
		var sampleID int64
		var caseID, childID string
		var had bool
		err := tx.db.QueryRow(ctx, `
			SELECT cs.id, cs.case_id, cs.child_id, EXISTS (SELECT 1 FROM case_discussions d WHERE d.sample_id = cs.id)
			FROM case_samples cs WHERE cs.public_id = $1 AND cs.visit_id = $2 FOR UPDATE`,
			d.SamplePublicID, visitID).Scan(&sampleID, &caseID, &childID, &had)
		if err != nil {
			return notFound(err, "plan discussion of sample case %s of visit %d", d.SamplePublicID, visitID)
		}
		var inspector string
		err = tx.db.QueryRow(ctx, `
			WITH up AS (
				INSERT INTO case_discussions (sample_id, visit_id, inspector_id, day, starts_at, minutes, mode, practitioner, manager, note, updated_by)
				VALUES ($1, $2, $3, $4, make_time($5 / 60, $5 % 60, 0), $6, $7, $8, $9, $10, $11)
				ON CONFLICT (sample_id) DO UPDATE SET inspector_id = $3, day = $4, starts_at = make_time($5 / 60, $5 % 60, 0),
					minutes = $6, mode = $7, practitioner = $8, manager = $9, note = $10, updated_by = $11, updated_at = now()
				RETURNING inspector_id)
			SELECT u.name FROM up JOIN users u ON u.id = up.inspector_id`,
			sampleID, visitID, d.InspectorID, pgDate(d.Day), d.Start, d.Minutes, d.Mode, d.Practitioner, d.Manager, d.Note, by.ID).Scan(&inspector)
		if err != nil {
			return fmt.Errorf("store: plan discussion of sample case %d: %w", sampleID, err)
		}
		kind := history.DiscussionPlanned
		if had {
			kind = history.DiscussionChanged
		}
		return tx.addEvent(ctx, visitID, by.ID, history.Event{Kind: kind, Params: history.Params{
			Case: caseID, Child: childID, Dates: history.Day(d.Day), Start: d.Start, Minutes: d.Minutes,
			Mode: d.Mode, Name: inspector, Warning: clash}})
	})
}

// AddNote records an evidence note (about the sample case with n's public
// id, or the visit as a whole), with a line in the history. A case not in
// the visit's sample is ErrNotFound.
func (s *Store) AddNote(ctx context.Context, visitID int64, n fieldwork.Note, by user.User) error {
	return s.WithTx(ctx, func(tx *Store) error {
		var sampleID *int64
		var caseID, childID string
		if n.SamplePublicID != "" {
			var id int64
			err := tx.db.QueryRow(ctx, `SELECT id, case_id, child_id FROM case_samples WHERE public_id = $1 AND visit_id = $2`,
				n.SamplePublicID, visitID).Scan(&id, &caseID, &childID)
			if err != nil {
				return notFound(err, "evidence about sample case %s of visit %d", n.SamplePublicID, visitID)
			}
			sampleID = &id
		}
		_, err := tx.db.Exec(ctx, `
			INSERT INTO evidence_notes (visit_id, sample_id, area, focus, kind, body, author_id)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, visitID, sampleID, n.Area, n.Focus, n.Kind, n.Body, by.ID)
		if err != nil {
			return fmt.Errorf("store: add evidence to visit %d: %w", visitID, err)
		}
		// The line names the area, the focus point and the case (children's
		// data: see history.Event.NamesChildCase), never the note.
		return tx.addEvent(ctx, visitID, by.ID, history.Event{Kind: history.EvidenceRecorded, Params: history.Params{
			Case: caseID, Child: childID, Code: n.Area, Focus: n.Focus, Enquiry: n.Kind == "enquiry"}})
	})
}

// ListNotes returns every evidence note of the visit, by practice area,
// focus point and time. Which of them a user may read is for
// fieldwork.NoteVisible.
// noteColumns are an evidence note n's columns in fieldwork.Note's order,
// with noteJoins for its author and case; noteOrder lists notes by practice
// area, focus point and time.
const (
	noteColumns = `n.public_id, coalesce(cs.public_id, ''), coalesce(cs.case_id, ''), coalesce(cs.child_id, ''),
		n.area, n.focus, n.kind, n.body, n.author_id, u.name, n.created_at`
	noteJoins = `JOIN users u ON u.id = n.author_id LEFT JOIN case_samples cs ON cs.id = n.sample_id`
	noteOrder = `ORDER BY n.area, n.focus, n.created_at, n.id`
)

func (s *Store) ListNotes(ctx context.Context, visitID int64) ([]fieldwork.Note, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+noteColumns+` FROM evidence_notes n `+noteJoins+` WHERE n.visit_id = $1 `+noteOrder, visitID)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[fieldwork.Note])
	if err != nil {
		return nil, fmt.Errorf("store: evidence of visit %d: %w", visitID, err)
	}
	return list, nil
}

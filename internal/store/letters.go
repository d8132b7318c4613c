package store

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/ofsted/focusedvisits/internal/history"
	"github.com/ofsted/focusedvisits/internal/letter"
	"github.com/ofsted/focusedvisits/internal/notify"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// The letter of findings. The rules (who may do what, from which state) are
// letter.Check's; the store applies a move the caller checked, refusing with
// ErrConflict when the letter is no longer where the caller saw it, and
// records every change in the visit's history.

const letterColumns = `l.id, l.visit_id, l.state, l.current_version, COALESCE(l.approved_version, 0), COALESCE(ua.name, ''), l.approved_at,
	l.priority_action, COALESCE(l.moderated_version, 0), COALESCE(l.sent_draft_version, 0), l.draft_sent_at,
	COALESCE(l.final_version, 0), l.final_sent_at, l.held_at, l.hold_reason, l.published_at, l.created_at, l.updated_at, l.revision, l.children_summary`

const letterFrom = ` FROM letters l LEFT JOIN users ua ON ua.id = l.approved_by `

func scanLetter(row pgx.Row) (letter.Letter, error) {
	var l letter.Letter
	dest, scanned := letterDest(&l)
	err := row.Scan(dest...)
	scanned()
	return l, err
}

// letterDest returns where letterColumns scan into l, and what to call once
// they have, for queries that read more than the letter.
func letterDest(l *letter.Letter) ([]any, func()) {
	var approved, draftSent, finalSent, held, published pgtype.Timestamptz
	dest := []any{&l.ID, &l.VisitID, &l.State, &l.CurrentVersion, &l.ApprovedVersion, &l.ApprovedBy, &approved,
		&l.PriorityAction, &l.ModeratedVersion, &l.SentDraftVersion, &draftSent,
		&l.FinalVersion, &finalSent, &held, &l.HoldReason, &published, &l.CreatedAt, &l.UpdatedAt, &l.Revision, &l.ChildrenSummary}
	return dest, func() {
		l.ApprovedAt, l.DraftSentAt, l.FinalSentAt, l.HeldAt, l.PublishedAt = ts(approved), ts(draftSent), ts(finalSent), ts(held), ts(published)
	}
}

func ts(t pgtype.Timestamptz) time.Time {
	if t.Valid {
		return t.Time
	}
	return time.Time{}
}

// GetLetter returns the letter of a visit; ErrNotFound when there is none
// yet. Whether the asker may see it is the caller's rule.
func (s *Store) GetLetter(ctx context.Context, visitID int64) (letter.Letter, error) {
	l, err := scanLetter(s.db.QueryRow(ctx, `SELECT `+letterColumns+letterFrom+`WHERE l.visit_id = $1`, visitID))
	if err != nil {
		return letter.Letter{}, notFound(err, "get letter of visit %d", visitID)
	}
	return l, nil
}

// lockLetter reads the letter of a visit for update, inside a transaction.
func (s *Store) lockLetter(ctx context.Context, visitID int64) (letter.Letter, error) {
	l, err := scanLetter(s.db.QueryRow(ctx, `SELECT `+letterColumns+letterFrom+`WHERE l.visit_id = $1 FOR UPDATE OF l`, visitID))
	if err != nil {
		return letter.Letter{}, notFound(err, "lock letter of visit %d", visitID)
	}
	return l, nil
}

// GetLetterVersion returns one version of a letter with its findings;
// ErrNotFound when there is no such version.
func (s *Store) GetLetterVersion(ctx context.Context, letterID int64, number int) (letter.Version, error) {
	var v letter.Version
	var sections []byte
	err := s.db.QueryRow(ctx, `
		SELECT v.id, v.letter_id, v.number, v.base_version, v.sections, v.author_id, u.name, v.created_at
		FROM letter_versions v JOIN users u ON u.id = v.author_id
		WHERE v.letter_id = $1 AND v.number = $2`, letterID, number).
		Scan(&v.ID, &v.LetterID, &v.Number, &v.BaseVersion, &sections, &v.AuthorID, &v.AuthorName, &v.CreatedAt)
	if err != nil {
		return letter.Version{}, notFound(err, "get version %d of letter %d", number, letterID)
	}
	if err := json.Unmarshal(sections, &v.Sections); err != nil {
		return letter.Version{}, fmt.Errorf("store: sections of version %d of letter %d: %w", number, letterID, err)
	}
	rows, _ := s.db.Query(ctx, `SELECT public_id, kind, practice_area, text FROM letter_findings WHERE version_id = $1 ORDER BY position`, v.ID)
	v.Findings, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (letter.Finding, error) {
		var f letter.Finding
		err := r.Scan(&f.ID, &f.Kind, &f.Area, &f.Text)
		return f, err
	})
	if err != nil {
		return letter.Version{}, fmt.Errorf("store: findings of version %d of letter %d: %w", number, letterID, err)
	}
	return v, nil
}

// GetCurrentLetterVersion returns a visit's letter and its current version
// (a zero Version when nothing has been saved yet).
func (s *Store) GetCurrentLetterVersion(ctx context.Context, visitID int64) (letter.Letter, letter.Version, error) {
	l, err := s.GetLetter(ctx, visitID)
	if err != nil || l.CurrentVersion == 0 {
		return l, letter.Version{}, err
	}
	v, err := s.GetLetterVersion(ctx, l.ID, l.CurrentVersion)
	return l, v, err
}

// ListLetterVersions lists a letter's versions, newest first, each marked
// with what it became.
func (s *Store) ListLetterVersions(ctx context.Context, l letter.Letter) ([]letter.VersionSummary, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT v.number, u.name, v.created_at
		FROM letter_versions v JOIN users u ON u.id = v.author_id
		WHERE v.letter_id = $1 ORDER BY v.number DESC`, l.ID)
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (letter.VersionSummary, error) {
		var v letter.VersionSummary
		err := r.Scan(&v.Number, &v.AuthorName, &v.CreatedAt)
		if v.Number == l.CurrentVersion {
			v.Marks = append(v.Marks, "Current")
		}
		if v.Number == l.ApprovedVersion {
			v.Marks = append(v.Marks, "Approved by QA")
		}
		if v.Number == l.ModeratedVersion {
			v.Marks = append(v.Marks, "Moderated")
		}
		if v.Number == l.SentDraftVersion {
			v.Marks = append(v.Marks, "Sent as the draft")
		}
		if v.Number == l.FinalVersion {
			v.Marks = append(v.Marks, "Sent as the final")
		}
		return v, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: list versions of letter %d: %w", l.ID, err)
	}
	return list, nil
}

// LetterAuthors returns the users who wrote any version of a letter.
func (s *Store) LetterAuthors(ctx context.Context, letterID int64) ([]int64, error) {
	rows, _ := s.db.Query(ctx, `SELECT DISTINCT author_id FROM letter_versions WHERE letter_id = $1 ORDER BY author_id`, letterID)
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("store: authors of letter %d: %w", letterID, err)
	}
	return ids, nil
}

// SaveLetterVersion saves the content as a new version of the visit's
// letter (creating the letter with its first save) and moves the letter to
// the state letter.Check gave for the save. base is the version the author
// started from: when it is not the current version someone else saved in
// between, and the save fails with ErrConflict, writing nothing. It returns
// the new version's number.
func (s *Store) SaveLetterVersion(ctx context.Context, visitID int64, base int, c letter.Content, to letter.State, by user.User) (int, error) {
	sections, err := json.Marshal(c.Sections)
	if err != nil {
		return 0, fmt.Errorf("store: save letter of visit %d: %w", visitID, err)
	}
	if sections == nil || string(sections) == "null" {
		sections = []byte("{}")
	}
	var number int
	err = s.WithTx(ctx, func(tx *Store) error {
		if _, err := tx.db.Exec(ctx, `INSERT INTO letters (visit_id) VALUES ($1) ON CONFLICT (visit_id) DO NOTHING`, visitID); err != nil {
			return fmt.Errorf("store: create letter of visit %d: %w", visitID, err)
		}
		l, err := tx.lockLetter(ctx, visitID)
		if err != nil {
			return err
		}
		if l.CurrentVersion != base {
			return ErrConflict
		}
		number = l.CurrentVersion + 1
		var versionID int64
		err = tx.db.QueryRow(ctx, `
			INSERT INTO letter_versions (letter_id, number, sections, base_version, author_id) VALUES ($1, $2, $3, $4, $5)
			RETURNING id`, l.ID, number, sections, base, by.ID).Scan(&versionID)
		if err != nil {
			return fmt.Errorf("store: save version %d of letter %d: %w", number, l.ID, err)
		}
		// A finding keeps its public id only when the version it was
		// edited from has a finding with that id (and only once): anything
		// else the form carries is a new finding, with a new id.
		rows, _ := tx.db.Query(ctx, `
			SELECT f.public_id FROM letter_findings f JOIN letter_versions v ON v.id = f.version_id
			WHERE v.letter_id = $1 AND v.number = $2`, l.ID, l.CurrentVersion)
		kept, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return fmt.Errorf("store: findings of letter %d: %w", l.ID, err)
		}
		keep := map[string]bool{}
		for _, id := range kept {
			keep[id] = true
		}
		for i, f := range c.Findings {
			id := ""
			if keep[f.ID] {
				id, keep[f.ID] = f.ID, false
			}
			if _, err := tx.db.Exec(ctx, `
				INSERT INTO letter_findings (version_id, position, kind, practice_area, text, public_id)
				VALUES ($1, $2, $3, $4, $5, coalesce(nullif($6, ''), new_public_id()))`,
				versionID, i+1, f.Kind, f.Area, f.Text, id); err != nil {
				return fmt.Errorf("store: save finding %d of letter %d: %w", i+1, l.ID, err)
			}
		}
		if _, err := tx.db.Exec(ctx, `
			UPDATE letters SET current_version = $2, state = $3, priority_action = $4, updated_at = now(), revision = revision + 1
			WHERE id = $1`, l.ID, number, to, c.HasPriorityAction()); err != nil {
			return fmt.Errorf("store: update letter %d: %w", l.ID, err)
		}
		if err := tx.addEvent(ctx, visitID, by.ID, history.Event{Kind: history.LetterSaved,
			Params: history.Params{OldVersion: l.CurrentVersion, Version: number}}); err != nil {
			return err
		}
		if to != l.State {
			if err := tx.addEvent(ctx, visitID, by.ID, history.Event{Kind: history.LetterStateChangedBySave,
				Params: history.Params{OldState: string(l.State), State: string(to)}}); err != nil {
				return err
			}
		}
		if c.HasPriorityAction() != l.PriorityAction && l.CurrentVersion > 0 {
			if err := tx.addEvent(ctx, visitID, by.ID, history.Event{Kind: history.LetterPriorityActionChanged,
				Params: history.Params{Before: l.PriorityAction, After: c.HasPriorityAction()}}); err != nil {
				return err
			}
		}
		return nil
	})
	return number, err
}

// LetterMove is a state change the caller checked with letter.Check.
type LetterMove struct {
	Action letter.Action
	From   letter.State
	To     letter.State
	// Version is the current version the caller saw: if another version
	// was saved since, the move fails with ErrConflict.
	Version int
	// Reason is a hold's reason, kept with the letter and in the history.
	Reason string
}

// MoveLetter applies a checked move to a visit's letter and records it in
// the visit's history. What the move marks follows its action: Approve
// marks the version approved (and the open QA comments resolved), Moderate
// the version moderated, SendDraft and SendFinal freeze the version sent,
// Hold and Release set and clear the hold (Reason is its reason), Publish
// the time of publication. It fails with ErrConflict when the letter is not
// in m.From or its current version is not m.Version.
//
// Sending the draft or the final is SendDraftLetter / SendFinalLetter,
// which also record the event on the visit's timeline, and publishing is
// PublishLetter, which writes the public copy the public pages read: a
// publication through MoveLetter would mark the letter published with
// nothing at /letters, so MoveLetter refuses those three moves.
func (s *Store) MoveLetter(ctx context.Context, visitID int64, m LetterMove, by user.User) error {
	switch m.Action {
	case letter.SendDraft, letter.SendFinal, letter.Publish:
		return fmt.Errorf("store: MoveLetter cannot %s: use SendDraftLetter, SendFinalLetter or PublishLetter", m.Action)
	}
	return s.WithTx(ctx, func(tx *Store) error { return tx.moveLetter(ctx, visitID, m, history.Params{}, by) })
}

// moveLetter applies the move and records it in the history, with the
// params given (the number of QA comments, a moderation's outcome) and the
// move's states, version and reason.
func (s *Store) moveLetter(ctx context.Context, visitID int64, m LetterMove, p history.Params, by user.User) error {
	kind, ok := history.LetterMoved(m.Action)
	if !ok {
		return fmt.Errorf("store: the letter cannot %s", m.Action)
	}
	l, err := s.lockLetter(ctx, visitID)
	if err != nil {
		return err
	}
	if l.State != m.From || (m.Version != 0 && l.CurrentVersion != m.Version) {
		return ErrConflict
	}
	var byID *int64
	if by.ID != 0 {
		byID = &by.ID
	}
	set, args := "", []any{l.ID, m.To}
	switch m.Action {
	case letter.Approve:
		set, args = `, approved_version = current_version, approved_by = $3, approved_at = now()`, append(args, byID)
		if _, err := s.db.Exec(ctx, `UPDATE letter_qa_comments SET resolved_at = now(), resolved_by = $2 WHERE letter_id = $1 AND resolved_at IS NULL`, l.ID, byID); err != nil {
			return fmt.Errorf("store: resolve QA comments of letter %d: %w", l.ID, err)
		}
	case letter.Moderate:
		set = `, moderated_version = current_version`
	case letter.SendDraft:
		set, args = `, sent_draft_version = current_version, draft_sent_at = now(), draft_sent_by = $3`, append(args, byID)
	case letter.SendFinal:
		set, args = `, final_version = current_version, final_sent_at = now(), final_sent_by = $3`, append(args, byID)
	case letter.Hold:
		set, args = `, held_at = now(), hold_reason = $3`, append(args, m.Reason)
	case letter.Release:
		set = `, held_at = NULL, hold_reason = ''`
	case letter.Publish:
		set = `, published_at = now()`
	}
	if _, err := s.db.Exec(ctx, `UPDATE letters SET state = $2, updated_at = now(), revision = revision + 1`+set+` WHERE id = $1`, args...); err != nil {
		return fmt.Errorf("store: move letter %d to %s: %w", l.ID, m.To, err)
	}
	p.Action, p.OldState, p.State, p.Version, p.Reason = string(m.Action), string(l.State), string(m.To), l.CurrentVersion, m.Reason
	if err := s.addEvent(ctx, visitID, by.ID, history.Event{Kind: kind, Params: p}); err != nil {
		return err
	}
	// Who acts next is told (sending to Cafcass is told by sendLetter).
	return s.tell(ctx, visitID, func(a notify.About) []notify.Message { return a.LetterMoved(m.Action, m.To) })
}

// NewQAComment is a QAM's comment on a section of the version they read.
type NewQAComment struct {
	Section letter.Section
	Comment string
}

// ReturnLetter records the QAM's comments on the current version and
// returns the letter to the lead inspector (m.Action is letter.Return).
func (s *Store) ReturnLetter(ctx context.Context, visitID int64, m LetterMove, comments []NewQAComment, by user.User) error {
	return s.WithTx(ctx, func(tx *Store) error {
		l, err := tx.GetLetter(ctx, visitID)
		if err != nil {
			return err
		}
		for _, c := range comments {
			if _, err := tx.db.Exec(ctx, `INSERT INTO letter_qa_comments (letter_id, version, section, comment, by_user) VALUES ($1, $2, $3, $4, $5)`,
				l.ID, l.CurrentVersion, c.Section, c.Comment, by.ID); err != nil {
				return fmt.Errorf("store: add QA comment to letter %d: %w", l.ID, err)
			}
		}
		return tx.moveLetter(ctx, visitID, m, history.Params{Count: len(comments)}, by)
	})
}

// ListQAComments returns a letter's QA comments, oldest first (Ofsted only).
func (s *Store) ListQAComments(ctx context.Context, letterID int64) ([]letter.QAComment, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT c.id, c.version, c.section, c.comment, u.name, c.at, c.resolved_at, COALESCE(r.name, '')
		FROM letter_qa_comments c JOIN users u ON u.id = c.by_user LEFT JOIN users r ON r.id = c.resolved_by
		WHERE c.letter_id = $1 ORDER BY c.id`, letterID)
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (letter.QAComment, error) {
		var c letter.QAComment
		var resolved pgtype.Timestamptz
		err := r.Scan(&c.ID, &c.Version, &c.Section, &c.Comment, &c.ByName, &c.At, &resolved, &c.ResolvedBy)
		c.ResolvedAt = ts(resolved)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: list QA comments of letter %d: %w", letterID, err)
	}
	return list, nil
}

// ResolveQAComment marks a QA comment dealt with.
func (s *Store) ResolveQAComment(ctx context.Context, visitID, commentID int64, by user.User) error {
	return s.WithTx(ctx, func(tx *Store) error {
		var section string
		err := tx.db.QueryRow(ctx, `
			UPDATE letter_qa_comments c SET resolved_at = now(), resolved_by = $3
			FROM letters l WHERE l.id = c.letter_id AND l.visit_id = $1 AND c.id = $2 AND c.resolved_at IS NULL
			RETURNING c.section`, visitID, commentID, by.ID).Scan(&section)
		if err != nil {
			return notFound(err, "resolve QA comment %d", commentID)
		}
		return tx.addEvent(ctx, visitID, by.ID, history.Event{Kind: history.LetterQACommentResolved, Params: history.Params{Section: section}})
	})
}

// RecordModeration records the moderation of the current version, moves
// the letter (m.Action is letter.Moderate or letter.ModerateReturn) and sets
// each date moderation moved as an override on the visit's plan, with a
// reason naming how and when the CEO was told.
func (s *Store) RecordModeration(ctx context.Context, visitID int64, m LetterMove, mod letter.Moderation, by user.User) error {
	if errs := mod.Validate(time.Time{}); errs.Any() {
		return fmt.Errorf("store: moderation of visit %d: %s", visitID, errs[0].Message)
	}
	return s.WithTx(ctx, func(tx *Store) error {
		return tx.tellDatesChanged(ctx, visitID, "the letter of findings was moderated", "", func() error {
			return tx.recordModeration(ctx, visitID, m, mod, by)
		})
	})
}

func (s *Store) recordModeration(ctx context.Context, visitID int64, m LetterMove, mod letter.Moderation, by user.User) error {
	if errs := mod.Validate(time.Time{}); errs.Any() {
		return fmt.Errorf("store: moderation of visit %d: %s", visitID, errs[0].Message)
	}
	return s.WithTx(ctx, func(tx *Store) error {
		l, err := tx.GetLetter(ctx, visitID)
		if err != nil {
			return err
		}
		var told *time.Time
		if !mod.CEOToldAt.IsZero() {
			told = &mod.CEOToldAt
		}
		var id int64
		err = tx.db.QueryRow(ctx, `
			INSERT INTO letter_moderations (letter_id, version, outcome, notes, ceo_told_method, ceo_told_at, by_user)
			VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`,
			l.ID, l.CurrentVersion, mod.Outcome, mod.Notes, mod.CEOToldMethod, told, by.ID).Scan(&id)
		if err != nil {
			return fmt.Errorf("store: record moderation of letter %d: %w", l.ID, err)
		}
		for _, d := range mod.DateChanges {
			if _, err := tx.db.Exec(ctx, `INSERT INTO letter_moderation_dates (moderation_id, code, old_day, new_day) VALUES ($1, $2, $3, $4)`,
				id, d.Code, pgDate(d.Old), pgDate(d.New)); err != nil {
				return fmt.Errorf("store: record moderation date %s: %w", d.Code, err)
			}
			o := visit.Override{Code: d.Code, Date: d.New, Reason: mod.OverrideReason()}
			e := history.Event{Kind: history.LetterModerationMovedDate, Params: history.Params{
				Label: d.Label, OldDates: history.Day(d.Old), Method: string(mod.CEOToldMethod), At: mod.CEOToldAt}}
			if err := tx.setOverride(ctx, visitID, 0, o, e, by); err != nil {
				return err
			}
		}
		return tx.moveLetter(ctx, visitID, m, history.Params{Outcome: string(mod.Outcome)}, by)
	})
}

// ListModerations returns a letter's moderation records, oldest first
// (Ofsted only: the notes are internal).
func (s *Store) ListModerations(ctx context.Context, letterID int64) ([]letter.Moderation, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT m.id, m.version, m.outcome, m.notes, m.ceo_told_method, m.ceo_told_at, u.name, m.at
		FROM letter_moderations m JOIN users u ON u.id = m.by_user
		WHERE m.letter_id = $1 ORDER BY m.id`, letterID)
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (letter.Moderation, error) {
		var m letter.Moderation
		var told pgtype.Timestamptz
		err := r.Scan(&m.ID, &m.Version, &m.Outcome, &m.Notes, &m.CEOToldMethod, &told, &m.ByName, &m.At)
		m.CEOToldAt = ts(told)
		return m, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: list moderations of letter %d: %w", letterID, err)
	}
	for i := range list {
		rows, _ := s.db.Query(ctx, `SELECT code, old_day, new_day FROM letter_moderation_dates WHERE moderation_id = $1 ORDER BY new_day, code`, list[i].ID)
		var d letter.DateChange
		var old, nu pgtype.Date
		_, err := pgx.ForEachRow(rows, []any{&d.Code, &old, &nu}, func() error {
			d.Old, d.New = fromPGDate(old), fromPGDate(nu)
			list[i].DateChanges = append(list[i].DateChanges, d)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("store: moderation dates: %w", err)
		}
	}
	return list, nil
}

// SendDraftLetter sends the current version to Cafcass for comments: the
// letter moves (m.Action is letter.SendDraft), the version sent is frozen,
// and the actual "draft sent" event is recorded on the day given, so the
// comments deadline follows it (decision 6).
func (s *Store) SendDraftLetter(ctx context.Context, visitID int64, m LetterMove, day workday.Date, by user.User) error {
	return s.sendLetter(ctx, visitID, m, timeline.CodeDraftLetter, day, by)
}

// SendFinalLetter sends the current version as the final letter, under
// embargo: the letter moves (m.Action is letter.SendFinal), the version is
// frozen as the final, and the actual "final sent" event is recorded, so
// the complaint window, publication and action plans follow it. A letter
// with an area for priority action adds the action plans to the visit's
// request in the same transaction (StartActionPlans).
func (s *Store) SendFinalLetter(ctx context.Context, visitID int64, m LetterMove, day workday.Date, by user.User) error {
	return s.sendLetter(ctx, visitID, m, timeline.CodeFinalLetter, day, by)
}

// sendLetter moves the letter and records the milestone code as done on
// day; the history names the milestone as the template does.
func (s *Store) sendLetter(ctx context.Context, visitID int64, m LetterMove, code string, day workday.Date, by user.User) error {
	if m.Action != letter.SendDraft && m.Action != letter.SendFinal {
		return errors.New("store: sendLetter: not a send")
	}
	return s.WithTx(ctx, func(tx *Store) error {
		if err := tx.moveLetter(ctx, visitID, m, history.Params{}, by); err != nil {
			return err
		}
		if err := tx.RecordActual(ctx, visitID, 0, visit.Actual{Code: code, Date: day}, "", by); err != nil {
			return err
		}
		// The letter decides whether the visit has a priority action once
		// it goes to Cafcass: the action plan deadlines hang on it.
		l, err := tx.GetLetter(ctx, visitID)
		if err != nil {
			return err
		}
		var old bool
		if err := tx.db.QueryRow(ctx, `SELECT priority_action FROM visits WHERE id = $1`, visitID).Scan(&old); err != nil {
			return fmt.Errorf("store: read visit %d: %w", visitID, err)
		}
		if old != l.PriorityAction {
			if _, err := tx.db.Exec(ctx, `UPDATE visits SET priority_action = $2 WHERE id = $1`, visitID, l.PriorityAction); err != nil {
				return fmt.Errorf("store: set priority action on visit %d: %w", visitID, err)
			}
			if err := tx.addEvent(ctx, visitID, by.ID, history.Event{Kind: history.VisitPriorityActionFromSend,
				Params: history.Params{Action: string(m.Action), Before: old, After: l.PriorityAction}}); err != nil {
				return err
			}
		}
		final := code == timeline.CodeFinalLetter
		if err := tx.tell(ctx, visitID, func(a notify.About) []notify.Message { return a.LetterSent(final) }); err != nil {
			return err
		}
		// A final letter with an area for priority action asks for the
		// action plans as it goes, in the same transaction (decision 7).
		if final && l.PriorityAction {
			if _, err := tx.StartActionPlans(ctx, visitID, ActionPlanItems, by); err != nil {
				return err
			}
		}
		return nil
	})
}

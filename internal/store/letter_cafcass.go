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

// Cafcass's side of the letter of findings: the sent draft and final
// versions, comments on the draft, complaints, publication and action plans
// (migration 00010). The letter itself, its versions and its Ofsted-side
// states belong to letters.go.

// ComplaintHoldReason is the hold reason a complaint in time sets; resolving
// the last such complaint lifts only a hold with this reason.
const ComplaintHoldReason = "A complaint received in time is being considered"

func tsOf(t pgtype.Timestamptz) time.Time {
	if t.Valid {
		return t.Time
	}
	return time.Time{}
}

// ListLettersAwaitingPublication returns the letters whose final version is
// with Cafcass and that are neither held nor published.
func (s *Store) ListLettersAwaitingPublication(ctx context.Context) ([]letter.Letter, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+letterColumns+letterFrom+`
		WHERE l.state = 'final_sent' AND l.final_version IS NOT NULL ORDER BY l.id`)
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (letter.Letter, error) { return scanLetter(r) })
	if err != nil {
		return nil, fmt.Errorf("store: letters awaiting publication: %w", err)
	}
	return list, nil
}

// SentVersion returns the content of one version of a letter: the sent
// draft or the final. The caller names the version from the letter, so an
// internal draft is never asked for.
func (s *Store) SentVersion(ctx context.Context, letterID int64, number int) (letter.Content, error) {
	var versionID int64
	var raw []byte
	err := s.db.QueryRow(ctx, `SELECT id, sections FROM letter_versions WHERE letter_id = $1 AND number = $2`, letterID, number).Scan(&versionID, &raw)
	if err != nil {
		return letter.Content{}, notFound(err, "letter %d version %d", letterID, number)
	}
	c := letter.Content{Sections: map[letter.Section]string{}}
	if err := json.Unmarshal(raw, &c.Sections); err != nil {
		return c, fmt.Errorf("store: sections of letter %d version %d: %w", letterID, number, err)
	}
	rows, _ := s.db.Query(ctx, `SELECT kind, practice_area, text FROM letter_findings WHERE version_id = $1 ORDER BY position`, versionID)
	var f letter.Finding
	_, err = pgx.ForEachRow(rows, []any{&f.Kind, &f.Area, &f.Text}, func() error {
		c.Findings = append(c.Findings, f)
		return nil
	})
	if err != nil {
		return c, fmt.Errorf("store: findings of letter %d version %d: %w", letterID, number, err)
	}
	return c, nil
}

// Comments on the draft.

const commentSelect = `SELECT c.id, c.public_id, c.letter_id, c.version, c.section, c.about, c.body, u.name, c.at, c.submitted_at, c.late,
	c.response, COALESCE(r.name, ''), c.responded_at
	FROM letter_comments c JOIN users u ON u.id = c.by_user LEFT JOIN users r ON r.id = c.responded_by`

func scanComment(row pgx.Row) (letter.DraftComment, error) {
	var c letter.DraftComment
	var sub, resp pgtype.Timestamptz
	err := row.Scan(&c.ID, &c.PublicID, &c.LetterID, &c.Version, &c.Section, &c.About, &c.Body, &c.ByName, &c.At, &sub, &c.Late,
		&c.Response, &c.RespondedBy, &resp)
	c.SubmittedAt, c.RespondedAt = tsOf(sub), tsOf(resp)
	return c, err
}

// ListLetterComments returns a letter's comments in section order, then
// in the order they were written.
func (s *Store) ListLetterComments(ctx context.Context, letterID int64) ([]letter.DraftComment, error) {
	rows, _ := s.db.Query(ctx, commentSelect+` WHERE c.letter_id = $1
		ORDER BY array_position(ARRAY['introduction','strengths','improvement','priority_action','next_steps'], c.section), c.id`, letterID)
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (letter.DraftComment, error) { return scanComment(r) })
	if err != nil {
		return nil, fmt.Errorf("store: comments on letter %d: %w", letterID, err)
	}
	return list, nil
}

// GetLetterComment returns a comment on the letter; one on another letter
// is ErrNotFound.
func (s *Store) GetLetterComment(ctx context.Context, letterID, id int64) (letter.DraftComment, error) {
	c, err := scanComment(s.db.QueryRow(ctx, commentSelect+` WHERE c.letter_id = $1 AND c.id = $2`, letterID, id))
	if err != nil {
		return c, notFound(err, "comment %d on letter %d", id, letterID)
	}
	return c, nil
}

// GetLetterCommentByPublicID is GetLetterComment for the comment with the
// public id.
func (s *Store) GetLetterCommentByPublicID(ctx context.Context, letterID int64, publicID string) (letter.DraftComment, error) {
	c, err := scanComment(s.db.QueryRow(ctx, commentSelect+` WHERE c.letter_id = $1 AND c.public_id = $2`, letterID, publicID))
	if err != nil {
		return c, notFound(err, "comment %s on letter %d", publicID, letterID)
	}
	return c, nil
}

// commentsOpen fails with ErrConflict once the letter's comments have been
// submitted: they are submitted once, and then no longer change.
func (s *Store) commentsOpen(ctx context.Context, letterID int64) error {
	// Lock the letter, so a submission cannot slip between check and write.
	if _, err := s.db.Exec(ctx, `SELECT id FROM letters WHERE id = $1 FOR UPDATE`, letterID); err != nil {
		return fmt.Errorf("store: lock letter %d: %w", letterID, err)
	}
	var done bool
	if err := s.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM letter_comment_submissions WHERE letter_id = $1)`, letterID).Scan(&done); err != nil {
		return fmt.Errorf("store: comments of letter %d: %w", letterID, err)
	}
	if done {
		return ErrConflict
	}
	return nil
}

// AddLetterComment adds a comment to the letter's draft list; ErrConflict
// once the comments have been submitted.
func (s *Store) AddLetterComment(ctx context.Context, letterID int64, version int, c letter.NewComment, by user.User) (int64, error) {
	var id int64
	err := s.WithTx(ctx, func(tx *Store) error {
		if err := tx.commentsOpen(ctx, letterID); err != nil {
			return err
		}
		err := tx.db.QueryRow(ctx, `INSERT INTO letter_comments (letter_id, version, section, about, body, by_user)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, letterID, version, c.Section, c.About, c.Body, by.ID).Scan(&id)
		if err != nil {
			return fmt.Errorf("store: add comment to letter %d: %w", letterID, err)
		}
		return nil
	})
	return id, err
}

// UpdateLetterComment changes a comment of the draft list; ErrConflict once
// the comments have been submitted.
func (s *Store) UpdateLetterComment(ctx context.Context, letterID, id int64, c letter.NewComment, by user.User) error {
	return s.WithTx(ctx, func(tx *Store) error {
		if err := tx.commentsOpen(ctx, letterID); err != nil {
			return err
		}
		tag, err := tx.db.Exec(ctx, `UPDATE letter_comments SET section = $3, about = $4, body = $5, updated_at = now()
			WHERE letter_id = $1 AND id = $2`, letterID, id, c.Section, c.About, c.Body)
		if err != nil {
			return fmt.Errorf("store: change comment %d: %w", id, err)
		}
		if tag.RowsAffected() == 0 {
			return ErrNotFound
		}
		return nil
	})
}

// DeleteLetterComment takes a comment off the draft list; ErrConflict once
// the comments have been submitted.
func (s *Store) DeleteLetterComment(ctx context.Context, letterID, id int64) error {
	return s.WithTx(ctx, func(tx *Store) error {
		if err := tx.commentsOpen(ctx, letterID); err != nil {
			return err
		}
		tag, err := tx.db.Exec(ctx, `DELETE FROM letter_comments WHERE letter_id = $1 AND id = $2`, letterID, id)
		if err != nil {
			return fmt.Errorf("store: remove comment %d: %w", id, err)
		}
		if tag.RowsAffected() == 0 {
			return ErrNotFound
		}
		return nil
	})
}

// CommentSubmission is the one submission of a letter's comments.
type CommentSubmission struct {
	ByName   string
	At       time.Time
	Late     bool
	Comments int
}

// GetCommentSubmission returns the submission of a letter's comments;
// ErrNotFound before they are submitted.
func (s *Store) GetCommentSubmission(ctx context.Context, letterID int64) (CommentSubmission, error) {
	var c CommentSubmission
	err := s.db.QueryRow(ctx, `SELECT u.name, s.submitted_at, s.late, s.comments
		FROM letter_comment_submissions s JOIN users u ON u.id = s.submitted_by WHERE s.letter_id = $1`, letterID).
		Scan(&c.ByName, &c.At, &c.Late, &c.Comments)
	if err != nil {
		return c, notFound(err, "comment submission of letter %d", letterID)
	}
	return c, nil
}

// ErrNothingToSubmit means the draft list of comments is empty.
var ErrNothingToSubmit = errors.New("store: no comments to submit")

// SubmitLetterComments sends the draft list of comments to Ofsted, once:
// ErrConflict if they were already submitted, ErrNothingToSubmit if there
// are none. late marks them late (accepted all the same).
func (s *Store) SubmitLetterComments(ctx context.Context, visitID, letterID int64, late bool, by user.User) (int, error) {
	var n int
	err := s.WithTx(ctx, func(tx *Store) error {
		if err := tx.commentsOpen(ctx, letterID); err != nil {
			return err
		}
		tag, err := tx.db.Exec(ctx, `UPDATE letter_comments SET submitted_at = now(), late = $2 WHERE letter_id = $1`, letterID, late)
		if err != nil {
			return fmt.Errorf("store: submit comments on letter %d: %w", letterID, err)
		}
		n = int(tag.RowsAffected())
		if n == 0 {
			return ErrNothingToSubmit
		}
		if _, err := tx.db.Exec(ctx, `INSERT INTO letter_comment_submissions (letter_id, submitted_by, late, comments) VALUES ($1, $2, $3, $4)`,
			letterID, by.ID, late, n); err != nil {
			if isUniqueViolation(err) {
				return ErrConflict
			}
			return fmt.Errorf("store: record submission of comments on letter %d: %w", letterID, err)
		}
		if err := tx.addEvent(ctx, visitID, by.ID, history.Event{Kind: history.LetterCommentsSubmitted, Params: history.Params{Count: n, Late: late}}); err != nil {
			return err
		}
		return tx.tell(ctx, visitID, notify.About.CommentsSubmitted)
	})
	return n, err
}

// RespondToLetterComment records (or changes) Ofsted's response to a
// submitted comment; a comment not yet submitted is ErrConflict.
func (s *Store) RespondToLetterComment(ctx context.Context, visitID, letterID, id int64, response string, by user.User) error {
	return s.WithTx(ctx, func(tx *Store) error {
		var section string
		var submitted pgtype.Timestamptz
		err := tx.db.QueryRow(ctx, `SELECT section, submitted_at FROM letter_comments WHERE letter_id = $1 AND id = $2 FOR UPDATE`, letterID, id).Scan(&section, &submitted)
		if err != nil {
			return notFound(err, "comment %d on letter %d", id, letterID)
		}
		if !submitted.Valid {
			return ErrConflict
		}
		if _, err := tx.db.Exec(ctx, `UPDATE letter_comments SET response = $3, responded_by = $4, responded_at = now() WHERE letter_id = $1 AND id = $2`,
			letterID, id, response, by.ID); err != nil {
			return fmt.Errorf("store: respond to comment %d: %w", id, err)
		}
		return tx.addEvent(ctx, visitID, by.ID, history.Event{Kind: history.LetterCommentAnswered, Params: history.Params{Section: section}})
	})
}

// Complaints.

const complaintSelect = `SELECT c.id, c.public_id, c.letter_id, c.body, u.name, c.received_at, c.in_time, c.resolution,
	COALESCE(r.name, ''), c.resolved_at, c.new_publication_date
	FROM complaints c JOIN users u ON u.id = c.by_user LEFT JOIN users r ON r.id = c.resolved_by`

func scanComplaint(row pgx.Row) (letter.Complaint, error) {
	var c letter.Complaint
	var resolved pgtype.Timestamptz
	var day pgtype.Date
	err := row.Scan(&c.ID, &c.PublicID, &c.LetterID, &c.Body, &c.ByName, &c.ReceivedAt, &c.InTime, &c.Resolution, &c.ResolvedBy, &resolved, &day)
	c.ResolvedAt, c.NewPublicationDate = tsOf(resolved), fromPGDate(day)
	return c, err
}

// ListComplaints returns a letter's complaints, oldest first.
func (s *Store) ListComplaints(ctx context.Context, letterID int64) ([]letter.Complaint, error) {
	rows, _ := s.db.Query(ctx, complaintSelect+` WHERE c.letter_id = $1 ORDER BY c.id`, letterID)
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (letter.Complaint, error) { return scanComplaint(r) })
	if err != nil {
		return nil, fmt.Errorf("store: complaints about letter %d: %w", letterID, err)
	}
	return list, nil
}

// GetComplaint returns a complaint about the letter; one about another
// letter is ErrNotFound.
func (s *Store) GetComplaint(ctx context.Context, letterID, id int64) (letter.Complaint, error) {
	c, err := scanComplaint(s.db.QueryRow(ctx, complaintSelect+` WHERE c.letter_id = $1 AND c.id = $2`, letterID, id))
	if err != nil {
		return c, notFound(err, "complaint %d about letter %d", id, letterID)
	}
	return c, nil
}

// GetComplaintByPublicID is GetComplaint for the complaint with the public
// id.
func (s *Store) GetComplaintByPublicID(ctx context.Context, letterID int64, publicID string) (letter.Complaint, error) {
	c, err := scanComplaint(s.db.QueryRow(ctx, complaintSelect+` WHERE c.letter_id = $1 AND c.public_id = $2`, letterID, publicID))
	if err != nil {
		return c, notFound(err, "complaint %s about letter %d", publicID, letterID)
	}
	return c, nil
}

// CreateComplaint records a complaint about the final letter. One in time
// holds publication (the letter goes on hold); a late one is recorded as
// late and holds nothing. A letter already published is ErrConflict.
func (s *Store) CreateComplaint(ctx context.Context, visitID, letterID int64, body string, inTime bool, by user.User) (int64, error) {
	var id int64
	err := s.WithTx(ctx, func(tx *Store) error {
		var state string
		if err := tx.db.QueryRow(ctx, `SELECT state FROM letters WHERE id = $1 FOR UPDATE`, letterID).Scan(&state); err != nil {
			return notFound(err, "lock letter %d", letterID)
		}
		if state == "published" {
			return ErrConflict
		}
		if err := tx.db.QueryRow(ctx, `INSERT INTO complaints (letter_id, body, by_user, in_time) VALUES ($1, $2, $3, $4) RETURNING id`,
			letterID, body, by.ID, inTime).Scan(&id); err != nil {
			return fmt.Errorf("store: record complaint about letter %d: %w", letterID, err)
		}
		if inTime {
			if _, err := tx.db.Exec(ctx, `UPDATE letters SET state = 'on_hold', held_at = now(), hold_reason = $2,
				updated_at = now(), revision = revision + 1 WHERE id = $1 AND state = 'final_sent'`, letterID, ComplaintHoldReason); err != nil {
				return fmt.Errorf("store: hold letter %d: %w", letterID, err)
			}
		}
		if err := tx.addEvent(ctx, visitID, by.ID, history.Event{Kind: history.LetterComplaintReceived, Params: history.Params{InTime: inTime}}); err != nil {
			return err
		}
		return tx.tell(ctx, visitID, func(a notify.About) []notify.Message { return a.ComplaintMade(inTime) })
	})
	return id, err
}

// Resolution is Ofsted's record of how a complaint was resolved.
type Resolution struct {
	Text string
	// NewPublicationDate is required for a complaint in time: publication
	// moves to it (an override of the publication date, with the reason).
	NewPublicationDate workday.Date
	// PublicationLabel and PlannedPublication describe the date in the
	// visit's history (the milestone's label, the date it replaces).
	PublicationLabel   string
	PlannedPublication history.Span
	// At is when it was resolved, by the service's clock; zero means now.
	// Publication waits for the working day after it (decision 16).
	At time.Time
}

// ResolveComplaint records a complaint's resolution. For a complaint in
// time it sets the new publication date and, when no other complaint in time
// is unresolved, lifts the hold. A complaint already resolved is
// ErrConflict.
func (s *Store) ResolveComplaint(ctx context.Context, visitID, letterID, id int64, res Resolution, by user.User) error {
	return s.WithTx(ctx, func(tx *Store) error {
		return tx.tellDatesChanged(ctx, visitID, "Ofsted resolved the complaint", "", func() error {
			return tx.resolveComplaint(ctx, visitID, letterID, id, res, by)
		})
	})
}

func (s *Store) resolveComplaint(ctx context.Context, visitID, letterID, id int64, res Resolution, by user.User) error {
	return s.WithTx(ctx, func(tx *Store) error {
		var inTime bool
		var at *time.Time
		if !res.At.IsZero() {
			at = &res.At
		}
		err := tx.db.QueryRow(ctx, `UPDATE complaints SET resolution = $3, resolved_by = $4, resolved_at = COALESCE($6, now()), new_publication_date = $5
			WHERE letter_id = $1 AND id = $2 AND resolved_at IS NULL RETURNING in_time`,
			letterID, id, res.Text, by.ID, pgDate(res.NewPublicationDate), at).Scan(&inTime)
		if errors.Is(err, pgx.ErrNoRows) {
			if _, err := tx.GetComplaint(ctx, letterID, id); err != nil {
				return err
			}
			return ErrConflict
		}
		if err != nil {
			return fmt.Errorf("store: resolve complaint %d: %w", id, err)
		}
		if err := tx.addEvent(ctx, visitID, by.ID, history.Event{Kind: history.LetterComplaintResolved, Params: history.Params{Text: res.Text}}); err != nil {
			return err
		}
		if !inTime {
			return nil
		}
		o := visit.Override{Code: "publication", Date: res.NewPublicationDate, Reason: "Complaint resolved: " + res.Text}
		e := history.Event{Kind: history.LetterComplaintMovedPublication,
			Params: history.Params{Label: res.PublicationLabel, OldDates: res.PlannedPublication, Text: res.Text}}
		if err := tx.setOverride(ctx, visitID, 0, o, e, by); err != nil {
			return err
		}
		var open bool
		if err := tx.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM complaints WHERE letter_id = $1 AND in_time AND resolved_at IS NULL)`, letterID).Scan(&open); err != nil {
			return fmt.Errorf("store: open complaints of letter %d: %w", letterID, err)
		}
		if open {
			return nil
		}
		_, err = tx.db.Exec(ctx, `UPDATE letters SET state = 'final_sent', held_at = NULL, hold_reason = '', updated_at = now(), revision = revision + 1
			WHERE id = $1 AND state = 'on_hold' AND hold_reason = $2`, letterID, ComplaintHoldReason)
		if err != nil {
			return fmt.Errorf("store: lift hold on letter %d: %w", letterID, err)
		}
		return nil
	})
}

// Publication.

// Publication is a published letter as the public reads it.
type Publication struct {
	LetterID    int64
	Slug        string
	Title       string
	PublishedOn workday.Date
	Version     int
	Content     letter.Content
	PublishedAt time.Time
	// Header is what the letter says about itself (its dates, addressee
	// and signatory), as it was when published.
	Header letter.Header
	// Summary is the summary for children and young people.
	Summary string
}

// NewPublication is what publishing a letter takes.
type NewPublication struct {
	VisitID  int64
	LetterID int64
	Slug     string
	Title    string
	On       workday.Date
	// Label names the publication step in the visit's history.
	Label string
	// By is who published it; nil when the service did, on its date.
	By *user.User
	// Header is the letter's header (letter.NewHeader); its title and
	// publication day are Title and On.
	Header letter.Header
}

type findingJSON struct {
	Kind letter.Kind `json:"kind"`
	Area letter.Area `json:"area"`
	Text string      `json:"text"`
}

// PublishLetter publishes a letter whose final version is with Cafcass: it
// copies the final version into publications (the only table the public
// pages read), marks the letter published and records publication as done
// on the visit's timeline. A letter that is not final_sent (on hold,
// already published, or not yet final) is ErrConflict: the caller has
// checked the rules (letter.Check), and this is the last guard.
func (s *Store) PublishLetter(ctx context.Context, p NewPublication) error {
	return s.WithTx(ctx, func(tx *Store) error {
		var state string
		var final *int
		err := tx.db.QueryRow(ctx, `SELECT state, final_version FROM letters WHERE id = $1 AND visit_id = $2 FOR UPDATE`, p.LetterID, p.VisitID).Scan(&state, &final)
		if err != nil {
			return notFound(err, "lock letter %d", p.LetterID)
		}
		if state != "final_sent" || final == nil {
			return ErrConflict
		}
		var held bool
		if err := tx.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM complaints WHERE letter_id = $1 AND in_time AND resolved_at IS NULL)`, p.LetterID).Scan(&held); err != nil {
			return fmt.Errorf("store: complaints of letter %d: %w", p.LetterID, err)
		}
		if held {
			return ErrConflict
		}
		var summary string
		if err := tx.db.QueryRow(ctx, `SELECT children_summary FROM letters WHERE id = $1`, p.LetterID).Scan(&summary); err != nil {
			return fmt.Errorf("store: summary of letter %d: %w", p.LetterID, err)
		}
		c, err := tx.SentVersion(ctx, p.LetterID, *final)
		if err != nil {
			return err
		}
		sections, err := json.Marshal(c.Sections)
		if err != nil {
			return err
		}
		fs := make([]findingJSON, 0, len(c.Findings))
		for _, f := range c.Findings {
			fs = append(fs, findingJSON{Kind: f.Kind, Area: f.Area, Text: f.Text})
		}
		findings, err := json.Marshal(fs)
		if err != nil {
			return err
		}
		var byID *int64
		if p.By != nil {
			byID = &p.By.ID
		}
		h := p.Header
		if _, err := tx.db.Exec(ctx, `INSERT INTO publications (letter_id, slug, title, published_on, version, sections, findings, published_by,
				visit_from, visit_to, addressee, addressee_role, signatory, signatory_role, children_summary)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`, p.LetterID, p.Slug, p.Title, pgDate(p.On), *final, sections, findings, byID,
			pgDate(h.VisitFrom), pgDate(h.VisitTo), h.Addressee, h.AddresseeRole, h.Signatory, h.SignatoryRole, summary); err != nil {
			if isUniqueViolation(err) {
				return ErrConflict
			}
			return fmt.Errorf("store: publish letter %d: %w", p.LetterID, err)
		}
		if _, err := tx.db.Exec(ctx, `UPDATE letters SET state = 'published', published_at = now(), updated_at = now(), revision = revision + 1 WHERE id = $1`, p.LetterID); err != nil {
			return fmt.Errorf("store: mark letter %d published: %w", p.LetterID, err)
		}
		// The timeline's record needs a recorder: the publisher, or for
		// the service the visit's lead inspector (else its creator), while
		// the history line says the service did it.
		var recorder int64
		if p.By != nil {
			recorder = p.By.ID
		} else if err := tx.db.QueryRow(ctx, `SELECT COALESCE((SELECT user_id FROM visit_members WHERE visit_id = v.id AND role = 'lead_inspector' LIMIT 1), v.created_by)
			FROM visits v WHERE v.id = $1`, p.VisitID).Scan(&recorder); err != nil {
			return fmt.Errorf("store: recorder of visit %d: %w", p.VisitID, err)
		}
		if _, err := tx.db.Exec(ctx, `INSERT INTO visit_actuals (visit_id, code, day, recorded_by) VALUES ($1, 'publication', $2, $3)
			ON CONFLICT (visit_id, code) DO UPDATE SET day = EXCLUDED.day, recorded_by = EXCLUDED.recorded_by, recorded_at = now()`,
			p.VisitID, pgDate(p.On), recorder); err != nil {
			return fmt.Errorf("store: record publication of visit %d: %w", p.VisitID, err)
		}
		if err := tx.touch(ctx, p.VisitID, 0); err != nil {
			return err
		}
		var who int64
		e := history.Event{Kind: history.LetterPublished, Params: history.Params{
			Milestone: timeline.CodePublication, Label: p.Label, Dates: history.Day(p.On), Slug: p.Slug}}
		if p.By != nil {
			who, e.Params.Name = p.By.ID, p.By.Name
		}
		if err := tx.addEvent(ctx, p.VisitID, who, e); err != nil {
			return err
		}
		return tx.tell(ctx, p.VisitID, func(a notify.About) []notify.Message { return a.Published("/letters/"+p.Slug, p.On) })
	})
}

const publicationSelect = `SELECT letter_id, slug, title, published_on, version, sections, findings, published_at,
	visit_from, visit_to, addressee, addressee_role, signatory, signatory_role, children_summary FROM publications`

func scanPublication(row pgx.Row) (Publication, error) {
	var p Publication
	var on, from, to pgtype.Date
	var sections, findings []byte
	h := &p.Header
	if err := row.Scan(&p.LetterID, &p.Slug, &p.Title, &on, &p.Version, &sections, &findings, &p.PublishedAt,
		&from, &to, &h.Addressee, &h.AddresseeRole, &h.Signatory, &h.SignatoryRole, &p.Summary); err != nil {
		return p, err
	}
	p.PublishedOn = fromPGDate(on)
	h.Title, h.PublishedOn, h.VisitFrom, h.VisitTo = p.Title, p.PublishedOn, fromPGDate(from), fromPGDate(to)
	p.Content.Sections = map[letter.Section]string{}
	if err := json.Unmarshal(sections, &p.Content.Sections); err != nil {
		return p, err
	}
	var fs []findingJSON
	if err := json.Unmarshal(findings, &fs); err != nil {
		return p, err
	}
	for _, f := range fs {
		p.Content.Findings = append(p.Content.Findings, letter.Finding{Kind: f.Kind, Area: f.Area, Text: f.Text})
	}
	return p, nil
}

// ListPublications returns the letters published in the year (every year
// when year is 0), newest first.
func (s *Store) ListPublications(ctx context.Context, year int) ([]Publication, error) {
	from, to := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(year+1, 1, 1, 0, 0, 0, 0, time.UTC)
	rows, _ := s.db.Query(ctx, publicationSelect+` WHERE $1 = 0 OR (published_on >= $2 AND published_on < $3)
		ORDER BY published_on DESC, letter_id DESC`, year, from, to)
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Publication, error) { return scanPublication(r) })
	if err != nil {
		return nil, fmt.Errorf("store: list publications: %w", err)
	}
	return list, nil
}

// PublicationYears returns the years in which letters were published,
// newest first.
func (s *Store) PublicationYears(ctx context.Context) ([]int, error) {
	rows, _ := s.db.Query(ctx, `SELECT DISTINCT extract(year FROM published_on)::int AS year FROM publications ORDER BY year DESC`)
	years, err := pgx.CollectRows(rows, pgx.RowTo[int])
	if err != nil {
		return nil, fmt.Errorf("store: publication years: %w", err)
	}
	return years, nil
}

// GetPublication returns a published letter by its slug; ErrNotFound for
// any slug not published.
func (s *Store) GetPublication(ctx context.Context, slug string) (Publication, error) {
	p, err := scanPublication(s.db.QueryRow(ctx, publicationSelect+` WHERE slug = $1`, slug))
	if err != nil {
		return p, notFound(err, "publication %q", slug)
	}
	return p, nil
}

// Action plans.

// The request item numbers of the action plans (B.6 AP2 and AP3).
const (
	DraftActionPlanNumber = "AP.1"
	ActionPlanNumber      = "AP.2"
)

// ActionPlanItem is a plan to ask for when the final letter has a priority
// action: its number, title, what to send and the plan milestone it is due by.
type ActionPlanItem struct {
	Number, Title, Description, DueCode string
}

// ActionPlanItems are the plans asked for when the final letter has a
// priority action (B.6 AP2 and AP3; decision 7).
var ActionPlanItems = []ActionPlanItem{
	{Number: DraftActionPlanNumber, Title: "Draft updated action plan for the priority action", DueCode: timeline.CodeDraftActionPlan,
		Description: "A draft of Cafcass’s updated action plan responding to the area for priority action, within 20 working days of the final letter."},
	{Number: ActionPlanNumber, Title: "Updated action plan for the priority action", DueCode: timeline.CodeActionPlan,
		Description: "Cafcass’s updated action plan responding to the area for priority action, within 70 working days of the final letter."},
}

// StartActionPlans marks the visit as having a priority action (so the plan
// gains its action-plan deadlines) and adds the action plans to its request
// as items AP.1 and AP.2, due by the milestones named. It is idempotent and
// reports whether it changed anything.
func (s *Store) StartActionPlans(ctx context.Context, visitID int64, items []ActionPlanItem, by user.User) (bool, error) {
	changed, added := false, false
	err := s.WithTx(ctx, func(tx *Store) error {
		tag, err := tx.db.Exec(ctx, `UPDATE visits SET priority_action = true, version = version + 1, updated_at = now()
			WHERE id = $1 AND NOT priority_action`, visitID)
		if err != nil {
			return fmt.Errorf("store: priority action on visit %d: %w", visitID, err)
		}
		if tag.RowsAffected() > 0 {
			changed = true
			if err := tx.addEvent(ctx, visitID, by.ID, history.Event{Kind: history.VisitPriorityActionFromFinal}); err != nil {
				return err
			}
		}
		for _, it := range items {
			tag, err := tx.db.Exec(ctx, `
				INSERT INTO request_items (visit_id, number, kind, title, description, due_day, due_code, position)
				VALUES ($1, $2, 'custom', $3, $4, 8, $5, 2000 + (SELECT count(*) FROM request_items WHERE visit_id = $1))
				ON CONFLICT (visit_id, number) DO NOTHING`, visitID, it.Number, it.Title, it.Description, it.DueCode)
			if err != nil {
				return fmt.Errorf("store: add %s to visit %d: %w", it.Number, visitID, err)
			}
			if tag.RowsAffected() > 0 {
				changed, added = true, true
				if err := tx.addEvent(ctx, visitID, by.ID, history.Event{Kind: history.RequestActionPlanAsked,
					Params: history.Params{Item: it.Number, Title: it.Title}}); err != nil {
					return err
				}
			}
		}
		if !added {
			return nil
		}
		return tx.tell(ctx, visitID, notify.About.ActionPlansDue)
	})
	return changed, err
}

// ListActionPlanItems returns the visit's action plan items (those due by a
// plan milestone), with the milestone each is due by.
func (s *Store) ListActionPlanItems(ctx context.Context, visitID int64) ([]RequestItem, []string, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+itemColumns+`, due_code FROM request_items WHERE visit_id = $1 AND due_code IS NOT NULL ORDER BY number`, visitID)
	var items []RequestItem
	var codes []string
	for rows.Next() {
		var it RequestItem
		var from, to pgtype.Date
		var submitted pgtype.Timestamptz
		var code string
		if err := rows.Scan(&it.ID, &it.PublicID, &it.VisitID, &it.Number, &it.Kind, &it.Title, &it.Description, &it.CatalogueVersion,
			&it.DueDay, &it.Status, &it.StatusReason, &from, &to, &it.Position, &submitted, &it.CreatedAt, &it.UpdatedAt, &code); err != nil {
			rows.Close()
			return nil, nil, fmt.Errorf("store: action plans of visit %d: %w", visitID, err)
		}
		it.CoversFrom, it.CoversTo, it.SubmittedAt = fromPGDate(from), fromPGDate(to), tsOf(submitted)
		items = append(items, it)
		codes = append(codes, code)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, fmt.Errorf("store: action plans of visit %d: %w", visitID, err)
	}
	return items, codes, nil
}

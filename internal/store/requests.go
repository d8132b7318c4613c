package store

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/ofsted/focusedvisits/internal/annexa"
	"github.com/ofsted/focusedvisits/internal/history"
	"github.com/ofsted/focusedvisits/internal/notify"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// RequestItem is one item of a visit's information request (Annex A): one
// the lead inspector picked from the catalogue, or one of their own.
type RequestItem struct {
	ID       int64
	PublicID string // names the item in URLs
	VisitID  int64
	// Number is the item's number ("1.03", "CL.1"); documents' file names
	// begin with it.
	Number      string
	Kind        annexa.Kind
	Title       string
	Description string
	// CatalogueVersion is the Annex A version the item came from; "" for
	// the lead inspector's own items.
	CatalogueVersion string
	// DueDay is the notice-week day by the end of which the item is due.
	DueDay int
	Status annexa.Status
	// StatusReason is why Ofsted returned the item, or Cafcass's
	// explanation of why it is not held; "" otherwise.
	StatusReason string
	// CoversFrom and CoversTo are the dates a child-level list covers;
	// zero until Cafcass gives them.
	CoversFrom, CoversTo workday.Date
	Position             int
	SubmittedAt          time.Time // zero until first submitted
	CreatedAt, UpdatedAt time.Time
}

// HasCoverage reports whether the item states the dates it covers.
func (it RequestItem) HasCoverage() bool { return !it.CoversFrom.IsZero() && !it.CoversTo.IsZero() }

const itemColumns = `id, public_id, visit_id, number, kind, title, description, catalogue_version, due_day, status,
	status_reason, covers_from, covers_to, position, submitted_at, created_at, updated_at`

func scanItem(row pgx.Row) (RequestItem, error) {
	var it RequestItem
	var from, to pgtype.Date
	var submitted pgtype.Timestamptz
	err := row.Scan(&it.ID, &it.PublicID, &it.VisitID, &it.Number, &it.Kind, &it.Title, &it.Description, &it.CatalogueVersion,
		&it.DueDay, &it.Status, &it.StatusReason, &from, &to, &it.Position, &submitted, &it.CreatedAt, &it.UpdatedAt)
	it.CoversFrom, it.CoversTo = fromPGDate(from), fromPGDate(to)
	if submitted.Valid {
		it.SubmittedAt = submitted.Time
	}
	return it, err
}

// ListItems returns a visit's request items, by due day and then in
// catalogue order.
func (s *Store) ListItems(ctx context.Context, visitID int64) ([]RequestItem, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+itemColumns+` FROM request_items WHERE visit_id = $1 ORDER BY due_day, position, id`, visitID)
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (RequestItem, error) { return scanItem(r) })
	if err != nil {
		return nil, fmt.Errorf("store: list request items of visit %d: %w", visitID, err)
	}
	return list, nil
}

// GetItem returns an item of a visit's request. An item of another visit is
// ErrNotFound, so a URL cannot reach across visits.
func (s *Store) GetItem(ctx context.Context, visitID, itemID int64) (RequestItem, error) {
	it, err := scanItem(s.db.QueryRow(ctx, `SELECT `+itemColumns+` FROM request_items WHERE visit_id = $1 AND id = $2`, visitID, itemID))
	if err != nil {
		return RequestItem{}, notFound(err, "get request item %d of visit %d", itemID, visitID)
	}
	return it, nil
}

// GetItemByPublicID returns the item of a visit's request with the public
// id; an item of another visit is ErrNotFound, as one that does not exist.
func (s *Store) GetItemByPublicID(ctx context.Context, visitID int64, publicID string) (RequestItem, error) {
	it, err := scanItem(s.db.QueryRow(ctx, `SELECT `+itemColumns+` FROM request_items WHERE visit_id = $1 AND public_id = $2`, visitID, publicID))
	if err != nil {
		return RequestItem{}, notFound(err, "get request item %s of visit %d", publicID, visitID)
	}
	return it, nil
}

// lockItem locks a visit's item for the rest of the transaction and returns
// it as it is now. Every change to an item's files, child-level list or
// status takes this lock first, so that they happen one at a time, always
// taking their locks in the same order (the item, then what hangs on it),
// and see the item's latest status. The lock is FOR NO KEY UPDATE: it
// queues the item's other changes but not inserts that merely refer to the
// item (a file being staged), which would otherwise wait holding a pool
// connection that the import's check needs. An item of another visit is
// ErrNotFound.
func (s *Store) lockItem(ctx context.Context, visitID, itemID int64) (RequestItem, error) {
	it, err := scanItem(s.db.QueryRow(ctx, `SELECT `+itemColumns+` FROM request_items WHERE visit_id = $1 AND id = $2 FOR NO KEY UPDATE`, visitID, itemID))
	if err != nil {
		return RequestItem{}, notFound(err, "lock request item %d of visit %d", itemID, visitID)
	}
	return it, nil
}

// ItemHasFiles reports whether an item has at least one current file (see
// CountItemFiles): what submitting it needs.
func (s *Store) ItemHasFiles(ctx context.Context, itemID int64) (bool, error) {
	n, err := s.CountItemFiles(ctx, itemID)
	return n > 0, err
}

// Pick is an item chosen for a visit's request, with its due day.
type Pick struct {
	Number string
	DueDay int
}

// SetRequest makes a visit's request the picks, in one transaction: catalogue
// items picked and not yet on the request are added from the catalogue of
// the version; items already on it get the due day picked; items not picked
// are taken off, except those Cafcass has started on (any file, any status
// beyond not started, any question), which are kept. It returns the numbers
// kept against the picks. A pick that is neither on the request nor in the
// catalogue is an error.
func (s *Store) SetRequest(ctx context.Context, visitID int64, version string, picks []Pick, by user.User) (kept []string, err error) {
	cat, err := annexa.Lookup(version)
	if err != nil {
		return nil, err
	}
	err = s.WithTx(ctx, func(tx *Store) error {
		kept = kept[:0]
		// Lock the visit's items against a concurrent change of the request.
		if _, err := tx.db.Exec(ctx, `SELECT id FROM visits WHERE id = $1 FOR NO KEY UPDATE`, visitID); err != nil {
			return fmt.Errorf("store: lock visit %d: %w", visitID, err)
		}
		have, err := tx.ListItems(ctx, visitID)
		if err != nil {
			return err
		}
		byNumber := map[string]RequestItem{}
		for _, it := range have {
			byNumber[it.Number] = it
		}
		picked := map[string]bool{}
		var added []history.ItemDay
		var changed []history.DayChange
		for _, p := range picks {
			picked[p.Number] = true
			if p.DueDay < annexa.FirstDay || p.DueDay > annexa.LastDay {
				return fmt.Errorf("store: item %s due on day %d", p.Number, p.DueDay)
			}
			if it, ok := byNumber[p.Number]; ok {
				if it.DueDay != p.DueDay {
					if _, err := tx.db.Exec(ctx, `UPDATE request_items SET due_day = $2, updated_at = now() WHERE id = $1`, it.ID, p.DueDay); err != nil {
						return fmt.Errorf("store: due day of item %d: %w", it.ID, err)
					}
					changed = append(changed, history.DayChange{Number: p.Number, From: it.DueDay, To: p.DueDay})
				}
				continue
			}
			ci, ok := cat.Item(p.Number)
			if !ok {
				return fmt.Errorf("store: item %s is not in Annex A %s", p.Number, version)
			}
			pos := slices.IndexFunc(cat.Items, func(c annexa.Item) bool { return c.Number == p.Number })
			_, err := tx.db.Exec(ctx, `
				INSERT INTO request_items (visit_id, number, kind, title, description, catalogue_version, due_day, position)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
				visitID, ci.Number, ci.Kind, ci.Title, ci.Description, cat.Version, p.DueDay, pos)
			if err != nil {
				return fmt.Errorf("store: add item %s to visit %d: %w", p.Number, visitID, err)
			}
			added = append(added, history.ItemDay{Number: p.Number, Day: p.DueDay})
		}
		var drop []int64
		var dropped []string
		for _, it := range have {
			if !picked[it.Number] {
				drop = append(drop, it.ID)
			}
		}
		if len(drop) > 0 {
			rows, _ := tx.db.Query(ctx, `
				DELETE FROM request_items ri
				WHERE ri.visit_id = $1 AND ri.id = ANY($2) AND ri.status = 'not_started'
				  AND ri.due_code IS NULL -- action plans are set by the final letter, not by the picks
				  AND NOT EXISTS (SELECT 1 FROM item_questions q WHERE q.item_id = ri.id)
				  AND NOT EXISTS (SELECT 1 FROM files f WHERE f.item_id = ri.id)
				RETURNING ri.number`, visitID, drop)
			var err error
			dropped, err = pgx.CollectRows(rows, pgx.RowTo[string])
			if err != nil {
				return fmt.Errorf("store: take items off visit %d: %w", visitID, err)
			}
			for _, it := range have {
				if !picked[it.Number] && !slices.Contains(dropped, it.Number) {
					kept = append(kept, it.Number)
				}
			}
		}
		if len(added)+len(changed)+len(dropped)+len(kept) == 0 {
			return nil
		}
		slices.Sort(dropped)
		kind := history.RequestChanged
		if len(have) == 0 {
			kind = history.RequestSet
		}
		return tx.addEvent(ctx, visitID, by.ID, history.Event{Kind: kind,
			Params: history.Params{Added: added, Changed: changed, Dropped: dropped, Kept: kept}})
	})
	return kept, err
}

// NewItem is an item the lead inspector adds of their own.
type NewItem struct {
	Number      string
	Title       string
	Description string
	DueDay      int
	// Kind is annexa.Custom unless the lead asks for another child-level
	// list (annexa.ChildList), which then needs its dates.
	Kind annexa.Kind
}

// AddCustomItem adds an item of the lead inspector's own to a visit's
// request. A number already on the request is ErrConflict.
func (s *Store) AddCustomItem(ctx context.Context, visitID int64, n NewItem, by user.User) (int64, error) {
	if n.Kind == "" {
		n.Kind = annexa.Custom
	}
	var id int64
	err := s.WithTx(ctx, func(tx *Store) error {
		err := tx.db.QueryRow(ctx, `
			INSERT INTO request_items (visit_id, number, kind, title, description, due_day, position)
			VALUES ($1, $2, $3, $4, $5, $6, 1000 + (SELECT count(*) FROM request_items WHERE visit_id = $1))
			RETURNING id`, visitID, n.Number, n.Kind, n.Title, n.Description, n.DueDay).Scan(&id)
		if isUniqueViolation(err) {
			return ErrConflict
		}
		if err != nil {
			return fmt.Errorf("store: add item %s to visit %d: %w", n.Number, visitID, err)
		}
		return tx.addEvent(ctx, visitID, by.ID, history.Event{Kind: history.RequestItemAdded,
			Params: history.Params{Item: n.Number, Title: n.Title, Day: n.DueDay}})
	})
	return id, err
}

// SetItemStatus moves an item from one status to another, with the reason
// (returned) or explanation (not held), and notes it in the visit's history
// ("Item 1.03 submitted"). The rules are annexa.Check's, applied by the
// caller; here, with the item locked, it checks only what may have changed
// since: that the item is still in status from (ErrConflict if someone
// moved it first) and, for a submission, that it still has a file
// (annexa.ErrNoFiles if the last one was removed meanwhile).
func (s *Store) SetItemStatus(ctx context.Context, itemID int64, from, to annexa.Status, reason string, by user.User) error {
	if to != annexa.Returned && to != annexa.NotHeld {
		reason = ""
	}
	kind, ok := history.ItemMoved(to)
	if !ok {
		return fmt.Errorf("store: no item moves to %q", to)
	}
	return s.WithTx(ctx, func(tx *Store) error {
		var visitID int64
		var number string
		var status annexa.Status
		err := tx.db.QueryRow(ctx, `SELECT visit_id, number, status FROM request_items WHERE id = $1 FOR NO KEY UPDATE`, itemID).
			Scan(&visitID, &number, &status)
		if err != nil {
			return notFound(err, "lock item %d", itemID)
		}
		if status != from {
			return ErrConflict
		}
		if to == annexa.Submitted {
			has, err := tx.ItemHasFiles(ctx, itemID)
			if err != nil {
				return err
			}
			if !has {
				return annexa.ErrNoFiles
			}
		}
		_, err = tx.db.Exec(ctx, `
			UPDATE request_items SET status = $2, status_reason = $3, updated_at = now(),
				submitted_at = CASE WHEN $2 = 'submitted' THEN now() ELSE submitted_at END
			WHERE id = $1`, itemID, to, reason)
		if err != nil {
			return fmt.Errorf("store: set status of item %d: %w", itemID, err)
		}
		if err := tx.addEvent(ctx, visitID, by.ID, history.Event{Kind: kind,
			Params: history.Params{Item: number, OldStatus: string(from), Status: string(to), Reason: reason}}); err != nil {
			return err
		}
		switch to {
		case annexa.Returned:
			return tx.tellItem(ctx, visitID, itemID, func(a notify.About, it notify.Item) []notify.Message { return a.ItemReturned(it) })
		case annexa.Submitted:
			today := tx.today()
			return tx.tellItem(ctx, visitID, itemID, func(a notify.About, it notify.Item) []notify.Message { return a.ItemSubmitted(it, today) })
		}
		return nil
	})
}

// tellItem queues what fn says an event on a visit's item causes.
func (s *Store) tellItem(ctx context.Context, visitID, itemID int64, fn func(notify.About, notify.Item) []notify.Message) error {
	it, err := s.GetItem(ctx, visitID, itemID)
	if err != nil {
		return err
	}
	var actionPlan bool
	if err := s.db.QueryRow(ctx, `SELECT due_code IS NOT NULL FROM request_items WHERE id = $1`, itemID).Scan(&actionPlan); err != nil {
		return fmt.Errorf("store: item %d: %w", itemID, err)
	}
	return s.tell(ctx, visitID, func(a notify.About) []notify.Message {
		return fn(a, notify.Item{PublicID: it.PublicID, Number: it.Number, Title: it.Title, ActionPlan: actionPlan})
	})
}

// SetCoverage records the dates a child-level list covers.
func (s *Store) SetCoverage(ctx context.Context, itemID int64, from, to workday.Date, by user.User) error {
	return s.WithTx(ctx, func(tx *Store) error {
		var visitID int64
		var number string
		var oldFrom, oldTo pgtype.Date
		err := tx.db.QueryRow(ctx, `
			UPDATE request_items n SET covers_from = $2, covers_to = $3, updated_at = now()
			FROM request_items o WHERE n.id = $1 AND o.id = n.id
			RETURNING n.visit_id, n.number, o.covers_from, o.covers_to`, itemID, pgDate(from), pgDate(to)).
			Scan(&visitID, &number, &oldFrom, &oldTo)
		if err != nil {
			return notFound(err, "set dates of item %d", itemID)
		}
		return tx.addEvent(ctx, visitID, by.ID, history.Event{Kind: history.ItemDatesCoveredSet, Params: history.Params{
			Item: number, OldDates: history.Days(fromPGDate(oldFrom), fromPGDate(oldTo)), Dates: history.Days(from, to)}})
	})
}

// Question is a question Cafcass asked about an item, and the answer.
type Question struct {
	ID       int64
	PublicID string // names the question in forms
	ItemID   int64
	Question string
	// AddressedTo is the Ofsted member asked (0 for anyone on the visit).
	AddressedTo     int64
	AddressedToName string
	AskedBy         int64
	AskedByName     string
	AskedAt         time.Time
	Answer          string
	AnsweredByName  string
	AnsweredAt      time.Time // zero until answered
}

// Answered reports whether the question has an answer.
func (q Question) Answered() bool { return !q.AnsweredAt.IsZero() }

// AskQuestion records a question about an item, addressed to an Ofsted
// member of the visit (0 for no one in particular), and returns its public
// id.
func (s *Store) AskQuestion(ctx context.Context, itemID, addressedTo int64, question string, by user.User) (string, error) {
	var id string
	err := s.WithTx(ctx, func(tx *Store) error {
		var to *int64
		if addressedTo != 0 {
			to = &addressedTo
		}
		err := tx.db.QueryRow(ctx, `
			INSERT INTO item_questions (item_id, addressed_to, question, asked_by)
			VALUES ($1, $2, $3, $4) RETURNING public_id`, itemID, to, question, by.ID).Scan(&id)
		if err != nil {
			return fmt.Errorf("store: ask about item %d: %w", itemID, err)
		}
		visitID, err := tx.itemEvent(ctx, itemID, by, history.ItemQuestionAsked, question)
		if err != nil {
			return err
		}
		return tx.tellItem(ctx, visitID, itemID, func(a notify.About, it notify.Item) []notify.Message {
			var asked []notify.Recipient
			for _, m := range a.Visit.Members {
				if m.UserID == addressedTo && !m.UserRole.IsCafcass() {
					asked = []notify.Recipient{notify.RecipientOf(m)}
				}
			}
			return a.QuestionAsked(it, asked)
		})
	})
	return id, err
}

// AnswerQuestion records the answer to the question with the public id
// about an item. A question already answered is ErrConflict; one of another
// item ErrNotFound.
func (s *Store) AnswerQuestion(ctx context.Context, itemID int64, questionID string, answer string, by user.User) error {
	return s.WithTx(ctx, func(tx *Store) error {
		tag, err := tx.db.Exec(ctx, `
			UPDATE item_questions SET answer = $3, answered_by = $4, answered_at = now()
			WHERE item_id = $1 AND public_id = $2 AND answered_at IS NULL`, itemID, questionID, answer, by.ID)
		if err != nil {
			return fmt.Errorf("store: answer question %s: %w", questionID, err)
		}
		if tag.RowsAffected() == 0 {
			var exists bool
			if err := tx.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM item_questions WHERE item_id = $1 AND public_id = $2)`, itemID, questionID).Scan(&exists); err != nil {
				return fmt.Errorf("store: question %s: %w", questionID, err)
			}
			if !exists {
				return ErrNotFound
			}
			return ErrConflict
		}
		visitID, err := tx.itemEvent(ctx, itemID, by, history.ItemQuestionAnswered, answer)
		if err != nil {
			return err
		}
		var asker user.User
		if err := tx.db.QueryRow(ctx, `SELECT u.id, u.email, u.name, u.role FROM item_questions q JOIN users u ON u.id = q.asked_by
			WHERE q.item_id = $1 AND q.public_id = $2`, itemID, questionID).Scan(&asker.ID, &asker.Email, &asker.Name, &asker.Role); err != nil {
			return fmt.Errorf("store: asker of question %s: %w", questionID, err)
		}
		return tx.tellItem(ctx, visitID, itemID, func(a notify.About, it notify.Item) []notify.Message {
			return a.QuestionAnswered(it, recipientOf(asker))
		})
	})
}

// recipientOf is a user as a message's recipient.
func recipientOf(u user.User) notify.Recipient {
	return notify.Recipient{UserID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role}
}

// itemEvent notes a question or an answer about an item in its visit's
// history, with the item's number, and returns the visit's id.
func (s *Store) itemEvent(ctx context.Context, itemID int64, by user.User, kind history.Kind, text string) (int64, error) {
	var visitID int64
	var number string
	if err := s.db.QueryRow(ctx, `SELECT visit_id, number FROM request_items WHERE id = $1`, itemID).Scan(&visitID, &number); err != nil {
		return 0, notFound(err, "item %d", itemID)
	}
	return visitID, s.addEvent(ctx, visitID, by.ID, history.Event{Kind: kind, Params: history.Params{Item: number, Text: text}})
}

// ListQuestions returns the questions about an item, oldest first.
func (s *Store) ListQuestions(ctx context.Context, itemID int64) ([]Question, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT q.id, q.public_id, q.item_id, q.question, COALESCE(q.addressed_to, 0), COALESCE(t.name, ''),
			q.asked_by, a.name, q.asked_at, q.answer, COALESCE(b.name, ''), q.answered_at
		FROM item_questions q
		JOIN users a ON a.id = q.asked_by
		LEFT JOIN users t ON t.id = q.addressed_to
		LEFT JOIN users b ON b.id = q.answered_by
		WHERE q.item_id = $1 ORDER BY q.id`, itemID)
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Question, error) {
		var q Question
		var answered pgtype.Timestamptz
		err := r.Scan(&q.ID, &q.PublicID, &q.ItemID, &q.Question, &q.AddressedTo, &q.AddressedToName,
			&q.AskedBy, &q.AskedByName, &q.AskedAt, &q.Answer, &q.AnsweredByName, &answered)
		if answered.Valid {
			q.AnsweredAt = answered.Time
		}
		return q, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: questions about item %d: %w", itemID, err)
	}
	return list, nil
}

// CountOpenQuestions returns how many questions about a visit's items are
// not yet answered.
func (s *Store) CountOpenQuestions(ctx context.Context, visitID int64) (int, error) {
	var n int
	err := s.db.QueryRow(ctx, `
		SELECT count(*) FROM item_questions q JOIN request_items i ON i.id = q.item_id
		WHERE i.visit_id = $1 AND q.answered_at IS NULL`, visitID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: open questions of visit %d: %w", visitID, err)
	}
	return n, nil
}

package store

import (
	"context"
	"errors"
	"fmt"
	"github.com/ofsted/focusedvisits/internal/history"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/ofsted/focusedvisits/internal/annexa"
	"github.com/ofsted/focusedvisits/internal/notify"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// Outbox is what the store needs to word the messages it queues: the
// service's address (BASE_URL), which their links start with, and its
// clock, which decides the day of a once-a-day message. The zero value
// links to http://localhost:8080 and uses time.Now.
type Outbox struct {
	BaseURL string
	Now     func() time.Time
}

// WithOutbox returns the store wording its messages with o.
func (s *Store) WithOutbox(o Outbox) *Store {
	c := *s
	c.out = o
	return &c
}

func (s *Store) base() string {
	if s.out.BaseURL == "" {
		return "http://localhost:8080"
	}
	return strings.TrimRight(s.out.BaseURL, "/")
}

func (s *Store) now() time.Time {
	if s.out.Now == nil {
		return time.Now()
	}
	return s.out.Now()
}

// today is the day in Europe/London by the store's clock.
func (s *Store) today() workday.Date { return visit.TodayIn(s.now(), workday.London) }

// QueueMessages writes messages to the outbox, to be delivered by a job.
// Call it inside the transaction of the event that causes them (WithTx), so
// a message exists exactly when its event does. A message refused by
// notify.Check (to Cafcass before notice, DOMAIN decision 19) is an error:
// callers decide who to tell, and must not ask for that. A message whose
// DedupeKey was already queued is left out silently. Each message queued
// about a visit is in the visit's history.
func (s *Store) QueueMessages(ctx context.Context, msgs ...notify.Message) error {
	for _, m := range msgs {
		if err := s.queueAndRecord(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

// queueAndRecord queues one message as its recipient's preferences have it
// (notify.Disposition) and, when it is about a visit, notes it in the
// visit's history: the one place a queued message reaches the history.
func (s *Store) queueAndRecord(ctx context.Context, m notify.Message) error {
	r, err := notify.Render(m)
	if err != nil {
		return fmt.Errorf("store: queue %s to %s: %w", m.Template, m.To.Email, err)
	}
	pref, active := notify.EachMessage, true
	if m.To.UserID != 0 {
		err := s.db.QueryRow(ctx, `
			SELECT u.active, COALESCE(p.information, 'each')
			FROM users u LEFT JOIN message_preferences p ON p.user_id = u.id WHERE u.id = $1`, m.To.UserID).Scan(&active, &pref)
		if err != nil {
			return notFound(err, "recipient %d of %s", m.To.UserID, m.Template)
		}
	}
	status, why := notify.Disposition(r.Kind, pref, active)
	queued, err := s.insertMessage(ctx, m, r, status, why)
	if err != nil || !queued || m.VisitID == 0 {
		return err
	}
	return s.addEvent(ctx, m.VisitID, 0, history.Event{Kind: history.MessageQueued, Params: history.Params{
		Name: recipientWords(m.To), Title: r.Subject, Label: m.Template + ", " + string(r.Kind), Status: string(status), Reason: why}})
}

func recipientWords(r notify.Recipient) string {
	if r.Name == "" {
		return r.Email
	}
	return r.Name + " <" + r.Email + ">"
}

// insertMessage writes a worded message with its status; queued is false
// when its dedupe key was taken.
func (s *Store) insertMessage(ctx context.Context, m notify.Message, r notify.Rendered, status notify.Status, why string) (queued bool, err error) {
	var visitID, userID, dedupe any
	if m.VisitID != 0 {
		visitID = m.VisitID
	}
	if m.To.UserID != 0 {
		userID = m.To.UserID
	}
	if m.DedupeKey != "" {
		dedupe = m.DedupeKey
	}
	// Written at the service's clock, which the digest's 08:00 is read by.
	tag, err := s.db.Exec(ctx, `
		INSERT INTO outbox_messages (template, kind, visit_id, user_id, to_address, to_name, subject, body, dedupe_key, status, last_error, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
		ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING`,
		m.Template, string(r.Kind), visitID, userID, m.To.Email, m.To.Name, r.Subject, r.Body, dedupe, string(status), why, s.now())
	if err != nil {
		return false, fmt.Errorf("store: queue %s to %s: %w", m.Template, m.To.Email, err)
	}
	return tag.RowsAffected() == 1, nil
}

// calendar is the working-day calendar with the closure days stored.
func (s *Store) calendar(ctx context.Context) (*workday.Calendar, error) {
	cs, err := s.Closures(ctx)
	if err != nil {
		return nil, err
	}
	return workday.EnglandAndWales().WithClosures(cs), nil
}

// About loads a visit as its messages need it (notify.About): its record,
// team and plan as they stand.
func (s *Store) About(ctx context.Context, visitID int64) (notify.About, error) {
	d, err := s.GetVisit(ctx, visitID)
	if err != nil {
		return notify.About{}, err
	}
	cal, err := s.calendar(ctx)
	if err != nil {
		return notify.About{}, err
	}
	return s.AboutOf(d, cal)
}

// AboutOf is About for a visit already loaded, under the calendar.
func (s *Store) AboutOf(d visit.Details, cal *workday.Calendar) (notify.About, error) {
	p, err := d.Dates(cal, workday.London)
	if err != nil {
		return notify.About{}, fmt.Errorf("store: plan of visit %d: %w", d.ID, err)
	}
	return notify.About{Visit: d, Plan: p, Base: s.base()}, nil
}

// tell queues the messages fn says the visit's event causes, as the visit
// stands now (inside the event's transaction, so after the event).
func (s *Store) tell(ctx context.Context, visitID int64, fn func(notify.About) []notify.Message) error {
	a, err := s.About(ctx, visitID)
	if err != nil {
		return err
	}
	return s.QueueMessages(ctx, fn(a)...)
}

// tellDatesChanged runs change, a change to the visit's dates inside a
// transaction, and then, once notice is given, tells the chief executive
// in writing of every date that moved (DOMAIN decision 14), with why and
// the lead's covering note. A change made inside another (a deferral
// that re-plans the visit) is told once, by the outer one.
func (s *Store) tellDatesChanged(ctx context.Context, visitID int64, why, note string, change func() error) error {
	var noticed bool
	err := s.db.QueryRow(ctx, `SELECT notice_given_at IS NOT NULL FROM visits WHERE id = $1`, visitID).Scan(&noticed)
	if s.changingDates || errors.Is(err, pgx.ErrNoRows) || err == nil && !noticed {
		return change() // told by the outer change; or no such visit; or nothing to tell
	}
	if err != nil {
		return fmt.Errorf("store: notice of visit %d: %w", visitID, err)
	}
	before, err := s.About(ctx, visitID)
	if err != nil {
		return err
	}
	s.changingDates = true
	err = change()
	s.changingDates = false
	if err != nil {
		return err
	}
	after, err := s.About(ctx, visitID)
	if err != nil {
		return err
	}
	return s.QueueMessages(ctx, after.DatesChanged(notify.PlanChanges(before.Plan, after.Plan), why, note)...)
}

// OutboxMessage is a message of the outbox as administrators read it.
type OutboxMessage struct {
	ID        int64
	PublicID  string
	CreatedAt time.Time
	Template  string
	Kind      notify.Kind
	// VisitID is the visit it is about (0 for none), with its reference
	// and public id.
	VisitID        int64
	VisitReference string
	VisitPublicID  string
	UserID         int64
	ToAddress      string
	ToName         string
	Subject        string
	Body           string
	Status         notify.Status
	Attempts       int
	LastError      string
	LastAttemptAt  time.Time
	NextAttemptAt  time.Time
	SentAt         time.Time
	// DigestPublicID is the digest a held message went out in.
	DigestPublicID string
	RetriedAt      time.Time
	RetriedBy      string
}

const outboxColumns = `m.id, m.public_id, m.created_at, m.template, m.kind, COALESCE(m.visit_id, 0), COALESCE(v.reference, ''), COALESCE(v.public_id, ''),
	COALESCE(m.user_id, 0), m.to_address, m.to_name, m.subject, m.body, m.status, m.attempts, m.last_error,
	m.last_attempt_at, m.next_attempt_at, m.sent_at, COALESCE(d.public_id, ''), m.retried_at, COALESCE(r.name, '')`

const outboxFrom = ` FROM outbox_messages m
	LEFT JOIN visits v ON v.id = m.visit_id
	LEFT JOIN outbox_messages d ON d.id = m.digest_id
	LEFT JOIN users r ON r.id = m.retried_by`

func scanMessage(row pgx.Row) (OutboxMessage, error) {
	var m OutboxMessage
	var last, next, sent, retried pgtype.Timestamptz
	err := row.Scan(&m.ID, &m.PublicID, &m.CreatedAt, &m.Template, &m.Kind, &m.VisitID, &m.VisitReference, &m.VisitPublicID,
		&m.UserID, &m.ToAddress, &m.ToName, &m.Subject, &m.Body, &m.Status, &m.Attempts, &m.LastError,
		&last, &next, &sent, &m.DigestPublicID, &retried, &m.RetriedBy)
	m.LastAttemptAt, m.NextAttemptAt, m.SentAt, m.RetriedAt = ts(last), ts(next), ts(sent), ts(retried)
	return m, err
}

// MessageFilter chooses the messages listed: those with the status (all
// when empty), newest first, Limit of them after skipping Offset.
type MessageFilter struct {
	Status notify.Status
	Limit  int
	Offset int
}

// ListMessages returns the messages the filter chooses and how many it
// matches in all.
func (s *Store) ListMessages(ctx context.Context, f MessageFilter) ([]OutboxMessage, int, error) {
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	rows, _ := s.db.Query(ctx, `SELECT `+outboxColumns+outboxFrom+`
		WHERE ($1 = '' OR m.status = $1) ORDER BY m.id DESC LIMIT $2 OFFSET $3`, string(f.Status), limit, f.Offset)
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (OutboxMessage, error) { return scanMessage(r) })
	if err != nil {
		return nil, 0, fmt.Errorf("store: list messages: %w", err)
	}
	var n int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM outbox_messages WHERE ($1 = '' OR status = $1)`, string(f.Status)).Scan(&n); err != nil {
		return nil, 0, fmt.Errorf("store: count messages: %w", err)
	}
	return list, n, nil
}

// CountMessages returns how many messages have each status.
func (s *Store) CountMessages(ctx context.Context) (map[notify.Status]int, error) {
	rows, _ := s.db.Query(ctx, `SELECT status, count(*) FROM outbox_messages GROUP BY status`)
	out := map[notify.Status]int{}
	var st notify.Status
	var n int
	_, err := pgx.ForEachRow(rows, []any{&st, &n}, func() error { out[st] = n; return nil })
	if err != nil {
		return nil, fmt.Errorf("store: count messages: %w", err)
	}
	return out, nil
}

// CountFailedMessages returns how many messages failed and wait for an
// administrator, for the administrators' start page.
func (s *Store) CountFailedMessages(ctx context.Context) (int, error) {
	var n int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM outbox_messages WHERE status = 'failed'`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count failed messages: %w", err)
	}
	return n, nil
}

// GetMessage returns the message with the public id.
func (s *Store) GetMessage(ctx context.Context, publicID string) (OutboxMessage, error) {
	m, err := scanMessage(s.db.QueryRow(ctx, `SELECT `+outboxColumns+outboxFrom+` WHERE m.public_id = $1`, publicID))
	if err != nil {
		return m, notFound(err, "get message %s", publicID)
	}
	return m, nil
}

// ListVisitMessages returns the messages about a visit with one of the
// templates (every template when none is named), newest first.
func (s *Store) ListVisitMessages(ctx context.Context, visitID int64, templates ...string) ([]OutboxMessage, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+outboxColumns+outboxFrom+`
		WHERE m.visit_id = $1 AND (cardinality($2::text[]) = 0 OR m.template = ANY($2)) ORDER BY m.id DESC`, visitID, templates)
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (OutboxMessage, error) { return scanMessage(r) })
	if err != nil {
		return nil, fmt.Errorf("store: messages of visit %d: %w", visitID, err)
	}
	return list, nil
}

// RetryMessage queues a failed message again, with its attempts counted
// afresh, recording who asked and when (and, for a message about a visit,
// a line in its history). notify.CheckRetry decides; a message that is
// not failed (any more) is ErrConflict.
func (s *Store) RetryMessage(ctx context.Context, publicID string, by user.User) error {
	return s.WithTx(ctx, func(tx *Store) error {
		var id, visitID int64
		var status notify.Status
		var to, subject string
		err := tx.db.QueryRow(ctx, `SELECT id, COALESCE(visit_id, 0), status, to_address, subject FROM outbox_messages WHERE public_id = $1 FOR UPDATE`, publicID).
			Scan(&id, &visitID, &status, &to, &subject)
		if err != nil {
			return notFound(err, "retry message %s", publicID)
		}
		if err := notify.CheckRetry(by.Role == user.Admin, status); err != nil {
			return ErrConflict
		}
		if _, err := tx.db.Exec(ctx, `UPDATE outbox_messages SET status = 'queued', attempts = 0, next_attempt_at = NULL,
			retried_at = now(), retried_by = $2 WHERE id = $1`, id, by.ID); err != nil {
			return fmt.Errorf("store: retry message %s: %w", publicID, err)
		}
		if visitID == 0 {
			return nil
		}
		return tx.addEvent(ctx, visitID, by.ID, history.Event{Kind: history.MessageRetried, Params: history.Params{Name: to, Title: subject}})
	})
}

// Delivery (internal/jobs): the job works on the messages due, one
// transaction each.

// DueMessages returns the ids of the messages waiting to be sent whose
// time has come at now (a failed attempt waits its back-off), oldest first.
func (s *Store) DueMessages(ctx context.Context, now time.Time, limit int) ([]int64, error) {
	rows, _ := s.db.Query(ctx, `SELECT id FROM outbox_messages
		WHERE status = 'queued' AND (next_attempt_at IS NULL OR next_attempt_at <= $1) ORDER BY id LIMIT $2`, now, limit)
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("store: due messages: %w", err)
	}
	return ids, nil
}

// NoMailServer is what a message not sent for want of a mail server says.
const NoMailServer = "not sent: no mail server"

// MarkNotSent marks every message waiting to be sent as not sent, for a
// service with no mail server (SMTP_URL unset), and returns how many.
// Messages another process is sending are left to it.
func (s *Store) MarkNotSent(ctx context.Context, now time.Time) (int, error) {
	tag, err := s.db.Exec(ctx, `UPDATE outbox_messages SET status = 'not_sent', last_error = $2, last_attempt_at = $1
		WHERE id IN (SELECT id FROM outbox_messages WHERE status = 'queued' FOR UPDATE SKIP LOCKED)`, now, NoMailServer)
	if err != nil {
		return 0, fmt.Errorf("store: mark messages not sent: %w", err)
	}
	return int(tag.RowsAffected()), nil
}

// Delivery is a message as the delivery job sends it.
type Delivery struct {
	ID        int64
	PublicID  string
	CreatedAt time.Time
	ToAddress string
	ToName    string
	Subject   string
	Body      string
	Attempts  int // attempts before this one
}

// Delivered is what became of one message the job tried.
type Delivered int

// What became of a message.
const (
	// NotDue: it was sent, or is being sent by another process, or is not
	// due any more: nothing was done.
	NotDue Delivered = iota
	DeliveredOK
	// DeliveryFailed: the attempt failed; it waits its back-off, or, its
	// attempts used, is failed.
	DeliveryFailed
)

// DeliverMessage sends the message id with send, if it is still waiting
// and due at now, and records the outcome in the same transaction: sent,
// or the failed attempt (with notify.Backoff before the next, and failed
// once maxAttempts are used). The message's row stays locked while send
// talks to the mail server, so no other process sends it meanwhile.
//
// A process that dies after the mail server accepted the message and
// before the transaction commits leaves it waiting, and it is sent again:
// delivery is at least once. Its Message-ID, made from its public id, is
// the same each time, so mail clients can tell the copies apart.
func (s *Store) DeliverMessage(ctx context.Context, id int64, now time.Time, maxAttempts int, send func(Delivery) error) (Delivered, error) {
	out := NotDue
	err := s.WithTx(ctx, func(tx *Store) error {
		var d Delivery
		err := tx.db.QueryRow(ctx, `SELECT id, public_id, created_at, to_address, to_name, subject, body, attempts FROM outbox_messages
			WHERE id = $1 AND status = 'queued' AND (next_attempt_at IS NULL OR next_attempt_at <= $2) FOR UPDATE SKIP LOCKED`, id, now).
			Scan(&d.ID, &d.PublicID, &d.CreatedAt, &d.ToAddress, &d.ToName, &d.Subject, &d.Body, &d.Attempts)
		if errors.Is(err, pgx.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("store: lock message %d: %w", id, err)
		}
		if sendErr := send(d); sendErr != nil {
			out = DeliveryFailed
			return tx.messageFailed(ctx, id, d.Attempts+1, now, maxAttempts, sendErr)
		}
		out = DeliveredOK
		if _, err := tx.db.Exec(ctx, `UPDATE outbox_messages SET status = 'sent', sent_at = $2, last_attempt_at = $2,
			attempts = attempts + 1, last_error = '', next_attempt_at = NULL WHERE id = $1`, id, now); err != nil {
			return fmt.Errorf("store: mark message %d sent: %w", id, err)
		}
		return nil
	})
	return out, err
}

func (s *Store) messageFailed(ctx context.Context, id int64, attempts int, now time.Time, maxAttempts int, cause error) error {
	status := notify.Queued
	if notify.GivesUp(attempts, maxAttempts) {
		status = notify.Failed
	}
	_, err := s.db.Exec(ctx, `UPDATE outbox_messages SET status = $2, attempts = $3, last_error = $4, last_attempt_at = $5, next_attempt_at = $6
		WHERE id = $1`, id, string(status), attempts, errorWords(cause), now, now.Add(notify.Backoff(attempts)))
	if err != nil {
		return fmt.Errorf("store: record failed attempt on message %d: %w", id, err)
	}
	return nil
}

// MessagesFailed records a failed attempt on each message of ids still
// waiting and due at now (when the mail server could not be reached at
// all, so none was tried on its own), as DeliverMessage does for one.
func (s *Store) MessagesFailed(ctx context.Context, ids []int64, now time.Time, maxAttempts int, cause error) error {
	return s.WithTx(ctx, func(tx *Store) error {
		rows, _ := tx.db.Query(ctx, `SELECT id, attempts FROM outbox_messages
			WHERE id = ANY($1) AND status = 'queued' AND (next_attempt_at IS NULL OR next_attempt_at <= $2)
			ORDER BY id FOR UPDATE SKIP LOCKED`, ids, now)
		var due [][2]int64
		var id, attempts int64
		if _, err := pgx.ForEachRow(rows, []any{&id, &attempts}, func() error {
			due = append(due, [2]int64{id, attempts})
			return nil
		}); err != nil {
			return fmt.Errorf("store: lock messages: %w", err)
		}
		for _, d := range due {
			if err := tx.messageFailed(ctx, d[0], int(d[1])+1, now, maxAttempts, cause); err != nil {
				return err
			}
		}
		return nil
	})
}

// errorWords is an error as a message keeps it: one line, at most 500
// characters.
func errorWords(err error) string {
	s := strings.Join(strings.Fields(err.Error()), " ")
	if r := []rune(s); len(r) > 500 {
		s = string(r[:500])
	}
	return s
}

// Preferences and the digest.

// MessagePreference returns how the user gets information messages.
func (s *Store) MessagePreference(ctx context.Context, userID int64) (notify.Preference, error) {
	p := notify.EachMessage
	err := s.db.QueryRow(ctx, `SELECT information FROM message_preferences WHERE user_id = $1`, userID).Scan(&p)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return p, fmt.Errorf("store: message preference of user %d: %w", userID, err)
	}
	return p, nil
}

// SetMessagePreference records how the user gets information messages.
// Messages already held for a digest stay held for it.
func (s *Store) SetMessagePreference(ctx context.Context, userID int64, p notify.Preference) error {
	if _, err := notify.ParsePreference(string(p)); err != nil {
		return err
	}
	_, err := s.db.Exec(ctx, `INSERT INTO message_preferences (user_id, information) VALUES ($1, $2)
		ON CONFLICT (user_id) DO UPDATE SET information = EXCLUDED.information, updated_at = now()`, userID, string(p))
	if err != nil {
		return fmt.Errorf("store: set message preference of user %d: %w", userID, err)
	}
	return nil
}

// UsersWithHeldMessages returns the users who have messages held for a
// digest before until.
func (s *Store) UsersWithHeldMessages(ctx context.Context, until time.Time) ([]int64, error) {
	rows, _ := s.db.Query(ctx, `SELECT DISTINCT user_id FROM outbox_messages WHERE status = 'digest' AND user_id IS NOT NULL AND created_at < $1
		ORDER BY user_id`, until)
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("store: users with held messages: %w", err)
	}
	return ids, nil
}

// QueueDigest gathers the messages held for the user before until into
// one digest (notify.DigestOf), queued to be sent at once, once on the
// day: a second call on the same day does nothing, and messages held
// after until wait for the next. It reports how many messages the digest
// gathered.
func (s *Store) QueueDigest(ctx context.Context, userID int64, day workday.Date, until time.Time) (int, error) {
	n := 0
	err := s.WithTx(ctx, func(tx *Store) error {
		u, err := tx.GetUser(ctx, userID)
		if err != nil {
			return err
		}
		rows, _ := tx.db.Query(ctx, `SELECT id, subject, body FROM outbox_messages WHERE user_id = $1 AND status = 'digest' AND created_at < $2
			ORDER BY id FOR UPDATE SKIP LOCKED`, userID, until)
		var ids []int64
		var held []notify.HeldMessage
		var id int64
		var h notify.HeldMessage
		if _, err := pgx.ForEachRow(rows, []any{&id, &h.Subject, &h.Body}, func() error {
			ids, held = append(ids, id), append(held, h)
			return nil
		}); err != nil {
			return fmt.Errorf("store: held messages of user %d: %w", userID, err)
		}
		if len(held) == 0 {
			return nil
		}
		to := notify.Recipient{UserID: u.ID, Email: u.Email, Name: u.Name, Role: u.Role}
		m := notify.DigestOf(to, held, tx.base())
		m.DedupeKey = fmt.Sprintf("digest:%d:%s", userID, day)
		r, err := notify.Render(m)
		if err != nil {
			return err
		}
		status, why := notify.Disposition(notify.Action, notify.EachMessage, u.Active)
		queued, err := tx.insertMessage(ctx, m, r, status, why)
		if err != nil || !queued {
			return err
		}
		if _, err := tx.db.Exec(ctx, `UPDATE outbox_messages SET status = 'digested',
			digest_id = (SELECT id FROM outbox_messages WHERE dedupe_key = $2) WHERE id = ANY($1)`, ids, m.DedupeKey); err != nil {
			return fmt.Errorf("store: mark messages of user %d digested: %w", userID, err)
		}
		n = len(held)
		return nil
	})
	return n, err
}

// ReminderFacts reads what a visit's reminders need beyond its plan
// (notify.Facts): its request's items with their due days, and whether
// Cafcass commented on the draft or complained about the final.
func (s *Store) ReminderFacts(ctx context.Context, a notify.About) (notify.Facts, error) {
	var f notify.Facts
	rows, _ := s.db.Query(ctx, `SELECT public_id, number, title, due_day, COALESCE(due_code, ''), status
		FROM request_items WHERE visit_id = $1 ORDER BY due_day, position, id`, a.Visit.ID)
	var it notify.Item
	var day int
	var code string
	var status annexa.Status
	if _, err := pgx.ForEachRow(rows, []any{&it.PublicID, &it.Number, &it.Title, &day, &code, &status}, func() error {
		it.Due, it.Done, it.ActionPlan = notify.ItemDue(a.Plan, day, code), status.Done(), code != ""
		f.Items = append(f.Items, it)
		return nil
	}); err != nil {
		return f, fmt.Errorf("store: items of visit %d: %w", a.Visit.ID, err)
	}
	err := s.db.QueryRow(ctx, `SELECT
			EXISTS (SELECT 1 FROM letter_comment_submissions c JOIN letters l ON l.id = c.letter_id WHERE l.visit_id = $1),
			EXISTS (SELECT 1 FROM complaints c JOIN letters l ON l.id = c.letter_id WHERE l.visit_id = $1)`, a.Visit.ID).
		Scan(&f.CommentsSubmitted, &f.Complained)
	if err != nil {
		return f, fmt.Errorf("store: letter of visit %d: %w", a.Visit.ID, err)
	}
	return f, nil
}

// SendCEONote emails the chief executive the lead's covering note on dates
// a closure day moved after notice (the service's own email of them was
// the written record, DOMAIN decision 14), or, with no note, records that
// none is needed; either clears the visit's reminder.
func (s *Store) SendCEONote(ctx context.Context, visitID int64, note string, by user.User) error {
	return s.WithTx(ctx, func(tx *Store) error {
		if err := tx.touch(ctx, visitID, 0); err != nil {
			return err
		}
		if _, err := tx.db.Exec(ctx, `UPDATE visits SET ceo_to_tell = false WHERE id = $1`, visitID); err != nil {
			return fmt.Errorf("store: clear chief executive to tell on visit %d: %w", visitID, err)
		}
		note = strings.TrimSpace(note)
		if note == "" {
			return tx.addEvent(ctx, visitID, by.ID, history.Event{Kind: history.CEONoteNone})
		}
		if err := tx.addEvent(ctx, visitID, by.ID, history.Event{Kind: history.CEONoteSent, Params: history.Params{Note: note}}); err != nil {
			return err
		}
		return tx.tell(ctx, visitID, func(a notify.About) []notify.Message { return a.CEONote(note) })
	})
}

package jobs

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"github.com/ofsted/focusedvisits/internal/mailer"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/visit"
)

// Email (issue 13). Messages are written to the outbox in the transaction
// of the event that causes them (internal/store, internal/notify); these
// jobs deliver them, and write the messages time causes: the reminders and
// the daily digest at 08:00 Europe/London.
//
//   - deliver_messages, every 30 seconds (and last in run-due): sends each
//     message due over SMTP, one transaction per message, marked sent in
//     the transaction that sent it. A failed attempt waits notify.Backoff
//     (by the service's clock) before the next; after SMTP_MAX_ATTEMPTS it
//     is failed, for an administrator to retry. With no mail server the
//     messages are marked not sent.
//   - send_reminders, daily at 08:00 (and when a process starts, catching
//     up a day it missed): queues each visit's reminders of the day, once
//     each (dedupe keys).
//   - send_digests, the same, on working days: gathers each person's
//     information messages held before 08:00 into one.

// DeliverMessagesArgs delivers the messages due.
type DeliverMessagesArgs struct{}

// Kind names the job kind.
func (DeliverMessagesArgs) Kind() string { return "deliver_messages" }

// InsertOpts makes it unique.
func (DeliverMessagesArgs) InsertOpts() river.InsertOpts { return insertOpts() }

// SendRemindersArgs queues the reminders of the day.
type SendRemindersArgs struct{}

// Kind names the job kind.
func (SendRemindersArgs) Kind() string { return "send_reminders" }

// InsertOpts makes it unique.
func (SendRemindersArgs) InsertOpts() river.InsertOpts { return insertOpts() }

// SendDigestsArgs queues the day's digests.
type SendDigestsArgs struct{}

// Kind names the job kind.
func (SendDigestsArgs) Kind() string { return "send_digests" }

// InsertOpts makes it unique.
func (SendDigestsArgs) InsertOpts() river.InsertOpts { return insertOpts() }

// morningHour is when reminders and digests go, Europe/London.
const morningHour = 8

// deliverEvery is how often a long-running process delivers the outbox.
const deliverEvery = 30 * time.Second

// deliverBatch is how many messages one pass of the job takes at a time.
const deliverBatch = 100

// AtLondon is a daily schedule: Hour:00 in Europe/London, whatever the
// clocks do.
type AtLondon struct{ Hour int }

// Next is the first Hour:00 in Europe/London after t.
func (a AtLondon) Next(t time.Time) time.Time {
	l := t.In(london)
	next := time.Date(l.Year(), l.Month(), l.Day(), a.Hour, 0, 0, 0, london)
	if !next.After(t) {
		next = time.Date(l.Year(), l.Month(), l.Day()+1, a.Hour, 0, 0, 0, london)
	}
	return next
}

type deliverWorker struct {
	river.WorkerDefaults[DeliverMessagesArgs]
	cfg Config
}

// Timeout lets a run outlast River's minute: each message is bounded by
// SMTP_TIMEOUT, and a server that stops answering loses the connection
// for the rest of the run.
func (w *deliverWorker) Timeout(*river.Job[DeliverMessagesArgs]) time.Duration {
	return 15 * time.Minute
}

// Work sends the messages due, until none is left or the mail server is
// lost.
func (w *deliverWorker) Work(ctx context.Context, job *river.Job[DeliverMessagesArgs]) error {
	st, now := w.cfg.Store, w.cfg.now()
	if w.cfg.Mailer == nil {
		n, err := st.MarkNotSent(ctx, now)
		if err != nil {
			return err
		}
		return river.RecordOutput(ctx, map[string]any{"not_sent": n, "why": store.NoMailServer})
	}
	sent, failed := 0, 0
	var conn *mailer.Conn
	defer func() {
		if conn != nil {
			conn.Close()
		}
	}()
	for {
		ids, err := st.DueMessages(ctx, now, deliverBatch)
		if err != nil || len(ids) == 0 {
			return errors.Join(err, river.RecordOutput(ctx, map[string]any{"sent": sent, "failed": failed}))
		}
		if conn == nil {
			if conn, err = w.cfg.Mailer.Open(ctx); err != nil {
				// Nothing can go this time: each message due counts an attempt.
				failed += len(ids)
				w.cfg.logger().Warn("jobs: mail server unreachable", "error", err, "messages", len(ids))
				return errors.Join(st.MessagesFailed(ctx, ids, now, w.cfg.mailAttempts(), err),
					river.RecordOutput(ctx, map[string]any{"sent": sent, "failed": failed, "error": err.Error()}))
			}
		}
		for _, id := range ids {
			var sendErr error
			got, err := st.DeliverMessage(ctx, id, now, w.cfg.mailAttempts(), func(d store.Delivery) error {
				sendErr = conn.Send(mailer.Message{ID: d.PublicID, To: d.ToAddress, ToName: d.ToName, Subject: d.Subject, Body: d.Body, Date: now})
				return sendErr
			})
			if err != nil {
				return err
			}
			switch got {
			case store.DeliveredOK:
				sent++
			case store.DeliveryFailed:
				failed++
				w.cfg.logger().Warn("jobs: message not delivered", "message_id", id, "error", sendErr)
				// The connection may be what failed: open a new one for
				// the next message, or stop if that cannot be done.
				conn.Drop()
				conn = nil
				if conn, err = w.cfg.Mailer.Open(ctx); err != nil {
					conn = nil
					return river.RecordOutput(ctx, map[string]any{"sent": sent, "failed": failed, "error": err.Error()})
				}
			}
		}
	}
}

type remindersWorker struct {
	river.WorkerDefaults[SendRemindersArgs]
	cfg Config
}

// Work queues the reminders of every active visit due today, from 08:00:
// each once (a second run on the day queues nothing new).
func (w *remindersWorker) Work(ctx context.Context, job *river.Job[SendRemindersArgs]) error {
	st, now := w.cfg.Store, w.cfg.now()
	today := visit.TodayIn(now, london)
	if now.In(london).Hour() < morningHour {
		return river.RecordOutput(ctx, map[string]any{"day": today.String(), "queued": 0, "why": "before 08:00"})
	}
	cal, err := calendar(ctx, st)
	if err != nil {
		return err
	}
	vs, err := st.ListActiveVisits(ctx)
	if err != nil {
		return err
	}
	queued := 0
	for _, d := range vs {
		a, err := st.AboutOf(d, cal)
		if err != nil {
			return err
		}
		facts, err := st.ReminderFacts(ctx, a)
		if err != nil {
			return err
		}
		msgs, err := a.Reminders(facts, cal, today, w.cfg.ReminderWorkingDays)
		if err != nil {
			return fmt.Errorf("reminders of visit %d: %w", d.ID, err)
		}
		if len(msgs) == 0 {
			continue
		}
		if err := st.WithTx(ctx, func(tx *store.Store) error { return tx.QueueMessages(ctx, msgs...) }); err != nil {
			return err
		}
		queued += len(msgs)
	}
	return river.RecordOutput(ctx, map[string]any{"day": today.String(), "reminders": queued})
}

type digestsWorker struct {
	river.WorkerDefaults[SendDigestsArgs]
	cfg Config
}

// Work gathers each person's held information messages into one digest,
// from 08:00 on a working day, once a day.
func (w *digestsWorker) Work(ctx context.Context, job *river.Job[SendDigestsArgs]) error {
	st, now := w.cfg.Store, w.cfg.now()
	today := visit.TodayIn(now, london)
	cal, err := calendar(ctx, st)
	if err != nil {
		return err
	}
	if working, _ := cal.IsWorkingDay(today); !working || now.In(london).Hour() < morningHour {
		return river.RecordOutput(ctx, map[string]any{"day": today.String(), "digests": 0, "why": "not a working day after 08:00"})
	}
	// The digest of the day gathers what was held before 08:00; what comes
	// after waits for the next working day's, even when this runs late.
	until := time.Date(today.Year(), today.Month(), today.Day(), morningHour, 0, 0, 0, london)
	users, err := st.UsersWithHeldMessages(ctx, until)
	if err != nil {
		return err
	}
	digests, messages := 0, 0
	for _, id := range users {
		n, err := st.QueueDigest(ctx, id, today, until)
		if err != nil {
			return err
		}
		if n > 0 {
			digests++
			messages += n
		}
	}
	return river.RecordOutput(ctx, map[string]any{"day": today.String(), "digests": digests, "messages": messages})
}

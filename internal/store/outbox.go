package store

import (
	"context"
	"fmt"

	"github.com/ofsted/focusedvisits/internal/notify"
)

// QueueMessages writes messages to the outbox, to be delivered by a job.
// Call it inside the transaction of the event that causes them (WithTx), so
// a message exists exactly when its event does. A message refused by
// notify.Check (to Cafcass before notice, DOMAIN decision 19) is an error:
// callers decide who to tell, and must not ask for that. A message whose
// DedupeKey was already queued is left out silently.
func (s *Store) QueueMessages(ctx context.Context, msgs ...notify.Message) error {
	for _, m := range msgs {
		r, err := notify.Render(m)
		if err != nil {
			return fmt.Errorf("store: queue %s to %s: %w", m.Template, m.To.Email, err)
		}
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
		_, err = s.db.Exec(ctx, `
			INSERT INTO outbox_messages (template, kind, visit_id, user_id, to_address, to_name, subject, body, dedupe_key)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
			ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL DO NOTHING`,
			m.Template, string(r.Kind), visitID, userID, m.To.Email, m.To.Name, r.Subject, r.Body, dedupe)
		if err != nil {
			return fmt.Errorf("store: queue %s to %s: %w", m.Template, m.To.Email, err)
		}
	}
	return nil
}

package store

import (
	"context"
	"fmt"
)

// DeleteExpiredSessions removes the sessions whose expiry has passed.
func (s *Store) DeleteExpiredSessions(ctx context.Context) error {
	if _, err := s.db.Exec(ctx, `DELETE FROM sessions WHERE expiry < now()`); err != nil {
		return fmt.Errorf("store: delete expired sessions: %w", err)
	}
	return nil
}

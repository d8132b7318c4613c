package server

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/jackc/pgx/v5/pgconn"
)

// TestUnavailable checks which database errors become "service
// unavailable" (503) rather than a fault of ours (500).
func TestUnavailable(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		err  error
		want bool
	}{
		{"server shutting down ends the connection", &pgconn.PgError{Code: "57P01"}, true},
		{"server crash ends the connection", fmt.Errorf("store: get user 9: %w", &pgconn.PgError{Code: "57P02"}), true},
		{"server starting up", &pgconn.PgError{Code: "57P03"}, true},
		{"connection exception", &pgconn.PgError{Code: "08006"}, true},
		{"unique violation is ours", &pgconn.PgError{Code: "23505"}, false},
		{"query cancelled is not an outage", &pgconn.PgError{Code: "57014"}, false},
		{"plain error", errors.New("boom"), false},
	}
	for _, tt := range tests {
		if got := unavailable(tt.err); got != tt.want {
			t.Errorf("%s: unavailable(%v) = %v, want %v", tt.name, tt.err, got, tt.want)
		}
	}
}

// failingStore is a session store whose database has gone away.
type failingStore struct{}

func (failingStore) Find(string) ([]byte, bool, error) { return nil, false, nil }
func (failingStore) Commit(string, []byte, time.Time) error {
	return fmt.Errorf("commit: %w", &pgconn.PgError{Code: "57P01"})
}
func (failingStore) Delete(string) error { return nil }

// TestSessionError_SaveFailsAfterHandler: when the session cannot be saved
// as the handler answers (here a 303 after a write), the client gets one
// clean 503 page, not the redirect and not a torn response.
func TestSessionError_SaveFailsAfterHandler(t *testing.T) {
	t.Parallel()
	sm := scs.New()
	sm.Store = failingStore{}
	s := &Server{log: slog.New(slog.DiscardHandler), sessions: sm}
	sm.ErrorFunc = s.sessionError
	h := sm.LoadAndSave(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sm.Put(r.Context(), "flash", "Saved")
		http.Redirect(w, r, "/visits/1", http.StatusSeeOther)
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(&sessionGuard{ResponseWriter: rec}, httptest.NewRequest(http.MethodPost, "/visits/1/milestones/x/override", nil))
	res := rec.Result()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusServiceUnavailable || res.Header.Get("Location") != "" {
		t.Errorf("status %d, Location %q, want 503 and none", res.StatusCode, res.Header.Get("Location"))
	}
	if !strings.Contains(string(body), "Sorry, the service is unavailable") || strings.Contains(string(body), "See Other") {
		t.Errorf("body is not just the 503 page:\n%s", body)
	}
	if cl := res.Header.Get("Content-Length"); cl != "" && cl != strconv.Itoa(len(body)) {
		t.Errorf("Content-Length %s for %d bytes", cl, len(body))
	}
}

package server

import (
	"errors"
	"fmt"
	"testing"

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

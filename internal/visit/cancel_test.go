package visit_test

import (
	"strings"
	"testing"

	"github.com/ofsted/focusedvisits/internal/visit"
)

func TestCancellationCheck(t *testing.T) {
	t.Parallel()
	active := visit.Details{Visit: visit.Visit{Status: visit.Active}}
	cancelled := visit.Details{Visit: visit.Visit{Status: visit.Cancelled}}
	long := strings.Repeat("é", visit.CancelTextMax+1)
	for _, tt := range []struct {
		name string
		c    visit.Cancellation
		d    visit.Details
		want string // fields with errors, in order
	}{
		{"reason only", visit.Cancellation{Reason: "Chief executive unavailable"}, active, ""},
		{"reason and note", visit.Cancellation{Reason: "Rearranged", Note: "Staff sickness in the team"}, active, ""},
		{"reason exactly at the limit", visit.Cancellation{Reason: strings.Repeat("é", visit.CancelTextMax)}, active, ""},
		{"no reason", visit.Cancellation{Note: "Internal only"}, active, "reason"},
		{"blank reason", visit.Cancellation{Reason: "  \t "}, active, "reason"},
		{"long reason", visit.Cancellation{Reason: long}, active, "reason"},
		{"long note", visit.Cancellation{Reason: "Rearranged", Note: long}, active, "note"},
		{"no reason and a long note", visit.Cancellation{Note: long}, active, "reason note"},
		{"already cancelled", visit.Cancellation{Reason: "Again"}, cancelled, "reason"},
	} {
		var got []string
		for _, e := range tt.c.Check(tt.d) {
			got = append(got, e.Field)
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("%s: errors on %v, want %q", tt.name, got, tt.want)
		}
	}
}

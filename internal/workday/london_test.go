package workday_test

import (
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/workday"
)

func TestLondon(t *testing.T) {
	t.Parallel()
	if got := workday.London.String(); got != "Europe/London" {
		t.Fatalf("London is %q", got)
	}
	// Summer time: 23:30 UTC on 30 June is 00:30 on 1 July in London.
	at := time.Date(2025, time.June, 30, 23, 30, 0, 0, time.UTC)
	if got := workday.DateOf(at.In(workday.London)); got != workday.NewDate(2025, time.July, 1) {
		t.Fatalf("DateOf = %v", got)
	}
}

package store_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/dbtest"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/user"
)

// TestReserveSignIn_Parallel: 50 attempts reserved at once for one account
// give exactly 5 places in the run (1 to 5, once each); the other 45 read a
// full run and are not counted for the address either.
func TestReserveSignIn_Parallel(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := store.New(dbtest.New(t))
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	var mu sync.Mutex
	got := map[int]int{}
	var wg sync.WaitGroup
	for range 50 {
		wg.Go(func() {
			a, err := st.ReserveSignIn(ctx, "QAM@example.gov.uk", "192.0.2.1", now, 15*time.Minute, 5)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			got[a.Failures]++
			if a.Failures > 5 && a.AddressFailures != 0 {
				t.Errorf("a refused attempt was counted for the address: %+v", a)
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	for i := 1; i <= 5; i++ {
		if got[i] != 1 {
			t.Errorf("place %d in the run given %d times, want once", i, got[i])
		}
	}
	if got[6] != 45 {
		t.Errorf("%d attempts read a full run, want 45 (%v)", got[6], got)
	}
}

// TestReserveSignIn_Run: the run and the address count start again after
// the window, a success ends the account's run and gives the address its
// attempt back, a release gives both back.
func TestReserveSignIn_Run(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := store.New(dbtest.New(t))
	t0 := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	const window = 15 * time.Minute
	reserve := func(email string, at time.Time) user.Attempt {
		t.Helper()
		a, err := st.ReserveSignIn(ctx, email, "192.0.2.1", at, window, 3)
		if err != nil {
			t.Fatal(err)
		}
		return a
	}
	for i := 1; i <= 3; i++ {
		if a := reserve("a@example.gov.uk", t0.Add(time.Duration(i)*time.Minute)); a.Failures != i || a.AddressFailures != i {
			t.Fatalf("attempt %d: %+v", i, a)
		}
	}
	// Full: refused, and the lock counts from the last counted failure.
	if a := reserve("a@example.gov.uk", t0.Add(10*time.Minute)); a.Failures != 4 || !a.LastFailure.Equal(t0.Add(3*time.Minute)) || a.AddressFailures != 0 {
		t.Errorf("full run: %+v", a)
	}
	// Another account from the same address keeps the address busy.
	if a := reserve("other@example.gov.uk", t0.Add(12*time.Minute)); a.Failures != 1 || a.AddressFailures != 4 {
		t.Errorf("other account: %+v", a)
	}
	// The window after the last failure: a new run for the account.
	if a := reserve("a@example.gov.uk", t0.Add(18*time.Minute)); a.Failures != 1 || a.AddressFailures != 5 {
		t.Errorf("after the window: %+v", a)
	}
	// A success ends the run and gives the address its attempt back.
	if err := st.SignInSucceeded(ctx, "A@example.gov.uk", "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	if a := reserve("a@example.gov.uk", t0.Add(19*time.Minute)); a.Failures != 1 || a.AddressFailures != 5 {
		t.Errorf("after a success: %+v", a)
	}
	if a := reserve("a@example.gov.uk", t0.Add(19*time.Minute)); a.Failures != 2 || a.AddressFailures != 6 {
		t.Errorf("next failure: %+v", a)
	}
	// A release gives both back.
	if err := st.ReleaseSignIn(ctx, "a@example.gov.uk", "192.0.2.1"); err != nil {
		t.Fatal(err)
	}
	if a := reserve("a@example.gov.uk", t0.Add(20*time.Minute)); a.Failures != 2 || a.AddressFailures != 6 {
		t.Errorf("after a release: %+v", a)
	}
	// Once the address has been quiet for the window, it starts again.
	if a := reserve("c@example.gov.uk", t0.Add(35*time.Minute)); a.Failures != 1 || a.AddressFailures != 1 {
		t.Errorf("address after the window: %+v", a)
	}
	// Pruning forgets what has been quiet since before the time.
	if err := st.PruneSignInThrottle(ctx, t0.Add(36*time.Minute)); err != nil {
		t.Fatal(err)
	}
	if a := reserve("b@example.gov.uk", t0.Add(36*time.Minute)); a.Failures != 1 || a.AddressFailures != 1 {
		t.Errorf("after pruning: %+v", a)
	}
}

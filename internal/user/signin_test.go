package user_test

import (
	"context"
	"errors"
	"net/netip"
	"sync"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/user"
)

func TestSignInRules_Check(t *testing.T) {
	rules := user.SignInRules{MaxFailures: 5, Lockout: 15 * time.Minute, MaxDelay: 3 * time.Second}
	now := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name string
		a    user.Attempt
		want user.Verdict
	}{
		{"first attempt", user.Attempt{Failures: 1, LastFailure: now, AddressFailures: 1}, user.Verdict{}},
		{"fifth attempt is still checked", user.Attempt{Failures: 5, LastFailure: now, AddressFailures: 5}, user.Verdict{}},
		{"sixth is refused until the lock ends", user.Attempt{Failures: 6, LastFailure: now.Add(-5 * time.Minute)}, user.Verdict{Locked: true, RetryAfter: 10 * time.Minute}},
		{"a lock about to end still says a second", user.Attempt{Failures: 6, LastFailure: now.Add(-15 * time.Minute)}, user.Verdict{Locked: true, RetryAfter: time.Second}},
		{"address at its allowance: no delay", user.Attempt{Failures: 1, LastFailure: now, AddressFailures: 20}, user.Verdict{}},
		{"one beyond: a tenth of the delay", user.Attempt{Failures: 1, LastFailure: now, AddressFailures: 21}, user.Verdict{Delay: 300 * time.Millisecond}},
		{"far beyond: the longest delay", user.Attempt{Failures: 1, LastFailure: now, AddressFailures: 500}, user.Verdict{Delay: 3 * time.Second}},
	} {
		if got := rules.Check(tc.a, now); got != tc.want {
			t.Errorf("%s: %+v, want %+v", tc.name, got, tc.want)
		}
	}
}

func TestAddressKey(t *testing.T) {
	for in, want := range map[string]string{
		"192.0.2.7":            "192.0.2.7",
		"::ffff:192.0.2.7":     "192.0.2.7",
		"2001:db8:1:2:3:4:5:6": "2001:db8:1:2::/64",
		"2001:db8:1:2:ffff::1": "2001:db8:1:2::/64",
	} {
		if got := user.AddressKey(netip.MustParseAddr(in)); got != want {
			t.Errorf("AddressKey(%s) = %s, want %s", in, got, want)
		}
	}
	if got := user.AddressKey(netip.Addr{}); got != "unknown" {
		t.Errorf("AddressKey(invalid) = %s", got)
	}
}

// TestHasher_Bound: however many checks arrive at once, at most n hashes
// are computed at the same time, and each is computed once.
func TestHasher_Bound(t *testing.T) {
	hash, err := user.HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	h := user.NewHasher(2, time.Minute)
	var wg sync.WaitGroup
	for i := range 16 {
		wg.Go(func() {
			var err error
			switch i % 3 {
			case 0:
				_, err = h.Check(context.Background(), hash, "wrong")
			case 1:
				err = h.CheckNoUser(context.Background(), "anything")
			default:
				_, err = h.Hash(context.Background(), "a new password")
			}
			if err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if st := h.Stats(); st.Computed != 16 || st.Peak > 2 || st.Peak < 1 {
		t.Errorf("stats %+v, want 16 computed, at most 2 at once", st)
	}
}

// TestHasher_Busy: when every slot stays taken for the whole wait, a check
// (for a known or an unknown account) and a new hash fail with ErrBusy,
// compute nothing, and work again once a slot is free.
func TestHasher_Busy(t *testing.T) {
	hash, _ := user.HashPassword("correct horse battery staple")
	h := user.NewHasher(1, 10*time.Millisecond)
	release, err := h.Acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.Check(context.Background(), hash, "correct horse battery staple"); !errors.Is(err, user.ErrBusy) {
		t.Errorf("Check while busy: %v, want ErrBusy", err)
	}
	if err := h.CheckNoUser(context.Background(), "x"); !errors.Is(err, user.ErrBusy) {
		t.Errorf("CheckNoUser while busy: %v, want ErrBusy", err)
	}
	if _, err := h.Hash(context.Background(), "x"); !errors.Is(err, user.ErrBusy) {
		t.Errorf("Hash while busy: %v, want ErrBusy", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := user.NewHasher(1, time.Hour).Acquire(ctx); err != nil {
		t.Errorf("a free slot with a cancelled context: %v", err)
	}
	if st := h.Stats(); st.Computed != 0 {
		t.Errorf("%d computed while busy", st.Computed)
	}
	release()
	if ok, err := h.Check(context.Background(), hash, "correct horse battery staple"); !ok || err != nil {
		t.Errorf("Check once free: %v %v", ok, err)
	}
}

package user

import (
	"context"
	"errors"
	"sync/atomic"
	"time"
)

// ErrBusy means every password-hashing slot stayed taken for the whole
// wait: the service answers "try again shortly" rather than queueing more.
var ErrBusy = errors.New("user: too many password checks at once")

// Hasher computes password hashes, at most a fixed number at once. Each
// argon2id hash takes 19 MiB and a CPU for tens of milliseconds, so without
// a bound a burst of sign-ins (even for unknown emails) takes the memory
// and every CPU. Every hash the service computes goes through one Hasher:
// sign-in, the dummy hash for unknown emails, and password changes.
type Hasher struct {
	slots chan struct{}
	wait  time.Duration

	computed atomic.Int64
	running  atomic.Int64
	peak     atomic.Int64
}

// NewHasher returns a Hasher that computes at most n hashes at once (n is
// at least 1); a hash waits up to wait for a slot, then fails with ErrBusy.
func NewHasher(n int, wait time.Duration) *Hasher {
	return &Hasher{slots: make(chan struct{}, max(n, 1)), wait: wait}
}

// HasherStats counts what a Hasher has done.
type HasherStats struct {
	Computed int64 // hashes computed
	Peak     int64 // most computed at the same time
}

// Stats returns the counts so far.
func (h *Hasher) Stats() HasherStats {
	return HasherStats{Computed: h.computed.Load(), Peak: h.peak.Load()}
}

// Acquire takes a slot, waiting up to the Hasher's wait, and returns the
// function that gives it back. It fails with ErrBusy when no slot came free
// in time, or with ctx's error.
func (h *Hasher) Acquire(ctx context.Context) (release func(), err error) {
	select {
	case h.slots <- struct{}{}:
	default:
		t := time.NewTimer(h.wait)
		defer t.Stop()
		select {
		case h.slots <- struct{}{}:
		case <-t.C:
			return nil, ErrBusy
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	n := h.running.Add(1)
	for {
		p := h.peak.Load()
		if n <= p || h.peak.CompareAndSwap(p, n) {
			break
		}
	}
	return func() {
		h.running.Add(-1)
		<-h.slots
	}, nil
}

// run computes one hash in a slot.
func (h *Hasher) run(ctx context.Context, f func()) error {
	release, err := h.Acquire(ctx)
	if err != nil {
		return err
	}
	defer release()
	h.computed.Add(1)
	f()
	return nil
}

// Check reports whether password matches the encoded hash (see
// CheckPasswordHash).
func (h *Hasher) Check(ctx context.Context, encoded, password string) (ok bool, err error) {
	if rerr := h.run(ctx, func() { ok, err = CheckPasswordHash(encoded, password) }); rerr != nil {
		return false, rerr
	}
	return ok, err
}

// CheckNoUser spends what a password check costs, in the same slots, for an
// email that matches no account: a sign-in takes as long, and is as
// limited, whether or not the account exists.
func (h *Hasher) CheckNoUser(ctx context.Context, password string) error {
	return h.run(ctx, func() { _, _ = CheckPasswordHash(dummyHash, password) })
}

// Hash returns a new encoded hash of password (see HashPassword).
func (h *Hasher) Hash(ctx context.Context, password string) (hash string, err error) {
	if rerr := h.run(ctx, func() { hash, err = HashPassword(password) }); rerr != nil {
		return "", rerr
	}
	return hash, err
}

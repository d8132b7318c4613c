package user

import (
	"net/netip"
	"time"
)

// SignInRules limit password guessing, per account and per client address.
//
// Per account (the email address as typed, so that an unknown email behaves
// exactly as a known one): after MaxFailures wrong passwords in a row, each
// within Lockout of the one before, every attempt is refused unchecked, even
// with the right password, until Lockout has passed since the last. A right
// password ends the run.
//
// Per client address, across accounts: AddressFactor × MaxFailures failures
// are answered as usual; beyond that each answer is held back a little
// longer, up to MaxDelay, until the address has been quiet for Lockout. An
// address is never refused: behind a proxy or a shared office connection it
// is many people, and one of them must not lock out the rest.
//
// Every attempt is counted before its password is checked (the store
// reserves it atomically), so attempts sent in parallel cannot all pass a
// count taken before any of them was recorded.
type SignInRules struct {
	MaxFailures int           // SIGN_IN_MAX_FAILURES
	Lockout     time.Duration // SIGN_IN_LOCKOUT
	MaxDelay    time.Duration // SIGN_IN_ADDRESS_DELAY
}

// AddressFactor times MaxFailures is how many failures a client address may
// make, across accounts, before its answers are slowed.
const AddressFactor = 4

// addressDelaySteps is how many failures beyond its allowance take an
// address's delay to MaxDelay.
const addressDelaySteps = 10

// Attempt is a sign-in attempt as the store counted it, before its password
// is checked.
type Attempt struct {
	// Failures is the account's run of failures, this attempt included;
	// MaxFailures+1 means the run was already full, and this attempt was
	// not counted (nor was it for the address).
	Failures int
	// LastFailure is when the last counted attempt of the run was made.
	LastFailure time.Time
	// AddressFailures is the client address's failures, this attempt
	// included (0 when the attempt was not counted).
	AddressFailures int
}

// Verdict is what to do with an attempt.
type Verdict struct {
	// Locked: refuse the attempt without checking the password.
	Locked bool
	// RetryAfter is, when Locked, how long until the account may try again.
	RetryAfter time.Duration
	// Delay is how long to wait before checking the password.
	Delay time.Duration
}

// Check says what to do with an attempt made at now.
func (r SignInRules) Check(a Attempt, now time.Time) Verdict {
	if a.Failures > r.MaxFailures {
		return Verdict{Locked: true, RetryAfter: max(a.LastFailure.Add(r.Lockout).Sub(now), time.Second)}
	}
	over := a.AddressFailures - AddressFactor*r.MaxFailures
	if over <= 0 {
		return Verdict{}
	}
	return Verdict{Delay: min(r.MaxDelay*time.Duration(over)/addressDelaySteps, r.MaxDelay)}
}

// LockedAfter is when the runs of failures still lock an account at now: a
// run of MaxFailures failures (or more) whose last came after it. The
// account's next attempt reads MaxFailures+1 and is refused (Check).
func (r SignInRules) LockedAfter(now time.Time) time.Time { return now.Add(-r.Lockout) }

// AddressKey is what the sign-in limits count a client address under: an
// IPv4 address itself, an IPv6 address by its /64 network, which one
// subscriber usually holds whole (so rotating through it gains nothing).
func AddressKey(a netip.Addr) string {
	a = a.Unmap()
	if !a.IsValid() {
		return "unknown"
	}
	if a.Is6() {
		p, _ := a.Prefix(64)
		return p.String()
	}
	return a.String()
}

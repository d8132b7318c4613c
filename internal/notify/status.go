package notify

import (
	"errors"
	"fmt"
	"time"
)

// Status is where a message of the outbox stands (the outbox_messages
// status column, migration 00025).
type Status string

// The statuses of a message.
const (
	// Queued: waiting for the delivery job (again, after a failure, once
	// its back-off has passed).
	Queued Status = "queued"
	// Sent: the mail server accepted it.
	Sent Status = "sent"
	// Failed: every attempt failed; an administrator may retry it.
	Failed Status = "failed"
	// NotSent: no mail server is set (SMTP_URL), so it stays here to read.
	NotSent Status = "not_sent"
	// Held: an information message held for the recipient's digest.
	Held Status = "digest"
	// Digested: a held message that went out in a digest.
	Digested Status = "digested"
	// Skipped: not sent, and never will be (the recipient turned
	// information messages off, their account is not active, or the notice
	// it was about was withdrawn first).
	Skipped Status = "skipped"
)

// Statuses lists every status, in the order the administrators' page
// offers them.
var Statuses = []Status{Queued, Sent, Failed, NotSent, Held, Digested, Skipped}

// ParseStatus returns the status named s.
func ParseStatus(s string) (Status, error) {
	for _, st := range Statuses {
		if string(st) == s {
			return st, nil
		}
	}
	return "", fmt.Errorf("notify: unknown status %q", s)
}

// Label is the status as a tag shows it.
func (s Status) Label() string {
	switch s {
	case Queued:
		return "Waiting to be sent"
	case Sent:
		return "Sent"
	case Failed:
		return "Failed"
	case NotSent:
		return "Not sent: no mail server"
	case Held:
		return "Held for the digest"
	case Digested:
		return "Sent in a digest"
	case Skipped:
		return "Not sent"
	}
	return string(s)
}

// Colour is the GOV.UK tag colour of the status.
func (s Status) Colour() string {
	switch s {
	case Sent, Digested:
		return "green"
	case Failed:
		return "red"
	case Queued:
		return "blue"
	case Held:
		return "light-blue"
	}
	return "grey"
}

// Preference is how a person gets information messages. Action messages
// always go as they happen.
type Preference string

// The preferences.
const (
	EachMessage Preference = "each"
	InDigest    Preference = "digest"
	NoMessages  Preference = "off"
)

// Preferences are the choices offered, in order, with their words.
var Preferences = []struct {
	Value       Preference
	Label, Hint string
}{
	{EachMessage, "Send each one as it happens", ""},
	{InDigest, "Send them in one email at 8am on working days", "Messages that ask you to do something still come straight away."},
	{NoMessages, "Do not send them", "You still get every message that asks you to do something, and reminders of your deadlines."},
}

// ParsePreference returns the preference named s.
func ParsePreference(s string) (Preference, error) {
	for _, p := range Preferences {
		if string(p.Value) == s {
			return p.Value, nil
		}
	}
	return "", fmt.Errorf("notify: unknown preference %q", s)
}

// Disposition is what becomes of a message of the kind for its recipient,
// as it is queued: an action message always goes (Queued); an information
// message goes, is held for the digest or is skipped as the recipient
// chose. A recipient whose account is not active gets nothing. why says
// why a message will not go.
func Disposition(k Kind, p Preference, active bool) (s Status, why string) {
	switch {
	case !active:
		return Skipped, "not sent: the recipient's account is not active"
	case k == Action:
		return Queued, ""
	case p == InDigest:
		return Held, ""
	case p == NoMessages:
		return Skipped, "not sent: the recipient turned information messages off"
	}
	return Queued, ""
}

// ErrCannotRetry is why a message cannot be retried.
var ErrCannotRetry = errors.New("notify: only a failed message can be retried")

// CheckRetry says whether an administrator may send a message again: only
// one that failed (every attempt used). Anything else is either on its
// way, sent, or not meant to go.
func CheckRetry(admin bool, s Status) error {
	if !admin || s != Failed {
		return ErrCannotRetry
	}
	return nil
}

// Backoff is how long the delivery job waits before trying a message
// again after its attempts-th failure: attempts⁴ seconds (1 s, 16 s, 81 s,
// 4 min, 10 min, 22 min, 40 min), at most an hour.
func Backoff(attempts int) time.Duration {
	if attempts >= 8 {
		return time.Hour
	}
	d := time.Duration(attempts*attempts*attempts*attempts) * time.Second
	return min(d, time.Hour)
}

// GivesUp says whether a message whose attempts-th attempt failed has
// used all of max and is failed.
func GivesUp(attempts, max int) bool { return attempts >= max }

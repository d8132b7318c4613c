package user

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ofsted/focusedvisits/internal/form"
)

// Status is where a person's account stands.
type Status string

const (
	// Invited: an invitation was sent and no password chosen yet.
	Invited Status = "invited"
	// Active: the person can sign in.
	Active Status = "active"
	// Deactivated: the person cannot sign in; their sessions and calendar
	// link ended when they were deactivated.
	Deactivated Status = "deactivated"
)

// Label is the status as administrators read it.
func (s Status) Label() string {
	switch s {
	case Invited:
		return "Invited"
	case Active:
		return "Active"
	case Deactivated:
		return "Deactivated"
	}
	return string(s)
}

// Account is a person as administrators manage them.
type Account struct {
	User
	PublicID string
	// PasswordSet is false while an invitation waits.
	PasswordSet bool
	// TwoFactor is true once an authenticator app is set up.
	TwoFactor bool
	// Failures and LastFailure are the account's run of wrong passwords or
	// codes (see SignInRules.Locked).
	Failures    int
	LastFailure time.Time
	// InvitationExpires is when the latest invitation link ends (zero if none).
	InvitationExpires time.Time
}

// Status says where the account stands.
func (a Account) Status() Status {
	switch {
	case !a.Active:
		return Deactivated
	case !a.PasswordSet:
		return Invited
	}
	return Active
}

// Locked reports whether the account is locked by the sign-in limits at now:
// its run of failures is full and the last was within the lock-out.
func (r SignInRules) Locked(failures int, last, now time.Time) bool {
	return failures >= r.MaxFailures && now.Sub(last) < r.Lockout
}

// Invitation is what an administrator fills in to invite a person. The
// organisation follows the role.
type Invitation struct {
	Name  string
	Email string
	Role  Role
}

// Validate checks the invitation, keyed by the form's fields.
func (n *Invitation) Validate() form.Errors {
	var errs form.Errors
	n.Name = strings.TrimSpace(n.Name)
	switch {
	case n.Name == "":
		errs.Add("name", "Enter the person's full name")
	case utf8.RuneCountInString(n.Name) > 200:
		errs.Add("name", "Full name must be 200 characters or fewer")
	case !cleanText(n.Name):
		errs.Add("name", "Full name must only include letters, spaces and punctuation")
	}
	if !cleanText(n.Email) {
		errs.Add("email", "Enter an email address in the correct format, like name@example.com")
	} else if e, err := ParseEmail(n.Email); err != nil {
		errs.Add("email", err.Error())
	} else {
		n.Email = e
	}
	if _, err := ParseRole(string(n.Role)); err != nil {
		errs.Add("role", "Choose a role")
	}
	return errs
}

// cleanText reports whether s is valid UTF-8 without control characters
// (which PostgreSQL or an email header would refuse or misread).
func cleanText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, r := range s {
		if r < ' ' || r == 0x7f || (r >= 0x80 && r < 0xa0) {
			return false
		}
	}
	return true
}

// Change is one change to a person's account, as the record shows it.
type Change struct {
	At             time.Time
	PersonName     string
	PersonPublicID string
	// ByName is who made it; "" when the person did it through a link.
	ByName string
	Action Action
	Old    string
	New    string
}

// Session is one signed-in session of a person.
type Session struct {
	ID        int64
	PublicID  string
	UserAgent string
	Address   string
	CreatedAt time.Time
	LastSeen  time.Time
}

// Package user holds who uses the service: the roles, the organisations they
// belong to, and the rules for passwords and email addresses.
package user

import (
	"fmt"
	"net/mail"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ofsted/focusedvisits/internal/user/commonpasswords"
)

// Role is what a user does. Ofsted roles see the visits they are on (the
// administrator sees all); Cafcass roles see a visit only after notice is given.
type Role string

const (
	Admin         Role = "admin"
	LeadInspector Role = "lead_inspector"
	TeamInspector Role = "team_inspector"
	QAM           Role = "qam"
	SAO           Role = "sao"
	CafcassCEO    Role = "cafcass_ceo"
	CafcassDeputy Role = "cafcass_deputy"
)

// Roles lists every role in the order they are offered.
var Roles = []Role{Admin, LeadInspector, TeamInspector, QAM, SAO, CafcassCEO, CafcassDeputy}

// ParseRole returns the role named s.
func ParseRole(s string) (Role, error) {
	for _, r := range Roles {
		if string(r) == s {
			return r, nil
		}
	}
	return "", fmt.Errorf("unknown role %q", s)
}

// Label is the role's name as people say it.
func (r Role) Label() string {
	switch r {
	case Admin:
		return "Administrator"
	case LeadInspector:
		return "Lead inspector"
	case TeamInspector:
		return "Team inspector"
	case QAM:
		return "Quality assurance manager"
	case SAO:
		return "Senior analytical officer"
	case CafcassCEO:
		return "Cafcass chief executive"
	case CafcassDeputy:
		return "Cafcass deputy"
	}
	return string(r)
}

// Organisation is who a user works for.
type Organisation string

const (
	Ofsted  Organisation = "Ofsted"
	Cafcass Organisation = "Cafcass"
)

// Organisation returns the organisation the role belongs to.
func (r Role) Organisation() Organisation {
	if r == CafcassCEO || r == CafcassDeputy {
		return Cafcass
	}
	return Ofsted
}

// IsCafcass reports whether the role belongs to Cafcass.
func (r Role) IsCafcass() bool { return r.Organisation() == Cafcass }

// User is someone who can sign in.
type User struct {
	ID        int64     `db:"id"`
	Email     string    `db:"email"`
	Name      string    `db:"name"`
	Role      Role      `db:"role"`
	Active    bool      `db:"active"`
	CreatedAt time.Time `db:"created_at"`
}

// MinPasswordLength and MaxPasswordLength bound a password (the National
// Cyber Security Centre advises length over composition rules).
const (
	MinPasswordLength = 12
	MaxPasswordLength = 256
)

// New is what is needed to create a user.
type New struct {
	Email    string
	Name     string
	Role     Role
	Password string
}

// Validate reports what is wrong with n, one message per problem.
func (n New) Validate() []string {
	var errs []string
	if _, err := ParseEmail(n.Email); err != nil {
		errs = append(errs, err.Error())
	}
	if strings.TrimSpace(n.Name) == "" {
		errs = append(errs, "Enter the user's full name")
	} else if utf8.RuneCountInString(n.Name) > 200 {
		errs = append(errs, "Full name must be 200 characters or fewer")
	}
	if _, err := ParseRole(string(n.Role)); err != nil {
		errs = append(errs, "Choose a role")
	}
	if msg := CheckPassword(n.Password); msg != "" {
		errs = append(errs, msg)
	}
	return errs
}

// ParseEmail normalises an email address (trimmed, domain lower-cased) and
// rejects what is not one.
func ParseEmail(s string) (string, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return "", fmt.Errorf("Enter an email address")
	}
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || len(s) > 254 || !strings.Contains(s[strings.LastIndexByte(s, '@'):], ".") {
		return "", fmt.Errorf("Enter an email address in the correct format, like name@example.com")
	}
	at := strings.LastIndexByte(s, '@')
	return s[:at] + strings.ToLower(s[at:]), nil
}

// CheckPassword returns why a new password is not acceptable, or "". As the
// National Cyber Security Centre advises: long enough, not one of the
// common passwords on the shipped list (commonpasswords), and no rules about
// kinds of character; passwords never expire.
func CheckPassword(p string) string {
	n := utf8.RuneCountInString(p)
	switch {
	case n < MinPasswordLength:
		return fmt.Sprintf("Password must be %d characters or more", MinPasswordLength)
	case n > MaxPasswordLength:
		return fmt.Sprintf("Password must be %d characters or fewer", MaxPasswordLength)
	case commonpasswords.Contains(p):
		return "That password is too common and easy to guess: choose another, such as three or four unrelated words"
	}
	return ""
}

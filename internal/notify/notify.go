// Package notify holds the service's email messages: the catalogue of
// templates (one place, as data), how a message is worded, and the rules of
// who may be sent what (DOMAIN decision 19). It does no I/O: the store
// writes messages to the outbox in the transaction of the event that causes
// them, and a job delivers them.
package notify

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
	"text/template"

	"github.com/ofsted/focusedvisits/internal/user"
)

// Kind says whether a message asks its reader to act. Action messages
// cannot be turned off; information messages can be turned off or
// gathered in a daily digest.
type Kind string

const (
	Action      Kind = "action"
	Information Kind = "information"
)

// Template is one message of the catalogue. Subject and Body are
// text/template sources over a Message's Data; bodies are plain text in
// GOV.UK style (short sentences, the reference first, what is due and when,
// a link to the service). They never carry children's data or letter text.
type Template struct {
	Name    string
	Kind    Kind
	Subject string
	Body    string
	// Cafcass is true when the message may go to Cafcass users, which is
	// only ever after notice of the visit was recorded.
	Cafcass bool
	// Withdraws marks the one message that goes to Cafcass about a visit
	// whose notice is not (or no longer) recorded: the withdrawal of a
	// notice recorded in error (DOMAIN decision 19).
	Withdraws bool
}

// Recipient is who a message goes to.
type Recipient struct {
	UserID int64 // 0 for an address outside the service's users
	Email  string
	Name   string
	Role   user.Role
}

// Message is one email to queue.
type Message struct {
	Template string
	To       Recipient
	VisitID  int64 // 0 when not about a visit (an invitation, a password reset)
	// NoticeGiven is whether the visit's notice was recorded when the
	// message was made; Check refuses a message to Cafcass before it.
	NoticeGiven bool
	Data        map[string]string
	// DedupeKey, when set, makes the message at most once.
	DedupeKey string
}

// Rendered is a message worded from its template.
type Rendered struct {
	Kind    Kind
	Subject string
	Body    string
}

var (
	// ErrUnknownTemplate is returned for a template not in the catalogue.
	ErrUnknownTemplate = errors.New("notify: unknown template")
	// ErrBeforeNotice is returned for a message to Cafcass about a visit
	// whose notice is not recorded (DOMAIN decision 19).
	ErrBeforeNotice = errors.New("notify: nothing reaches Cafcass before notice is recorded")
	// ErrNotForCafcass is returned for a template that is never sent to Cafcass.
	ErrNotForCafcass = errors.New("notify: this message is never sent to Cafcass")
)

// Check reports whether m may be sent at all.
func Check(m Message) error {
	t, ok := catalogue[m.Template]
	if !ok {
		return fmt.Errorf("%w: %q", ErrUnknownTemplate, m.Template)
	}
	if m.To.Role.IsCafcass() {
		if !t.Cafcass {
			return ErrNotForCafcass
		}
		if m.VisitID != 0 && !m.NoticeGiven && !t.Withdraws {
			return ErrBeforeNotice
		}
	}
	if strings.TrimSpace(m.To.Email) == "" {
		return errors.New("notify: no address")
	}
	return nil
}

// Render words m from its template after checking it.
func Render(m Message) (Rendered, error) {
	if err := Check(m); err != nil {
		return Rendered{}, err
	}
	t := catalogue[m.Template]
	subject, err := execute(t.Name+" subject", t.Subject, m)
	if err != nil {
		return Rendered{}, err
	}
	body, err := execute(t.Name+" body", t.Body, m)
	if err != nil {
		return Rendered{}, err
	}
	return Rendered{Kind: t.Kind, Subject: strings.TrimSpace(subject), Body: strings.TrimSpace(body) + "\n"}, nil
}

// Lookup returns the catalogue's template named name.
func Lookup(name string) (Template, bool) {
	t, ok := catalogue[name]
	return t, ok
}

// Templates lists the catalogue in name order (for tests and the
// administrators' pages).
func Templates() []Template {
	out := make([]Template, 0, len(catalogue))
	for _, t := range catalogue {
		out = append(out, t)
	}
	sortByName(out)
	return out
}

type view struct {
	To   Recipient
	Data map[string]string
}

func execute(name, src string, m Message) (string, error) {
	tmpl, err := template.New(name).Option("missingkey=error").Parse(src)
	if err != nil {
		return "", fmt.Errorf("notify: parse %s: %w", name, err)
	}
	var b bytes.Buffer
	if err := tmpl.Execute(&b, view{To: m.To, Data: m.Data}); err != nil {
		return "", fmt.Errorf("notify: word %s: %w", name, err)
	}
	return b.String(), nil
}

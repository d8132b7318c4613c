package notify

import (
	"fmt"
	"strings"
)

// The digest (issue 13): a person may have their information messages
// gathered in one email at 08:00 on working days instead of one each. The
// messages are worded as usual when their events happen and held; the
// digest job gathers each person's into one message of its own.

// HeldMessage is an information message held for a digest, as it was worded.
type HeldMessage struct {
	Subject string
	Body    string
}

// PreferencesPath is the page where a person chooses how they get
// information messages.
const PreferencesPath = "/account/messages"

// DigestOf is the digest of the held messages, to to; base is the
// service's address (BASE_URL).
func DigestOf(to Recipient, held []HeldMessage, base string) Message {
	var b strings.Builder
	for i, h := range held {
		if i > 0 {
			b.WriteString("\n\n")
		}
		fmt.Fprintf(&b, "%d. %s\n\n%s", i+1, h.Subject, digestBody(h.Body))
	}
	count, are := fmt.Sprintf("%d messages", len(held)), "are"
	if len(held) == 1 {
		count, are = "1 message", "is"
	}
	return Message{Template: Digest, To: to, Data: map[string]string{
		"Count": count, "Are": are, "Items": b.String(), "Link": strings.TrimRight(base, "/") + PreferencesPath,
	}}
}

// digestBody is a message's body without its greeting and sign-off.
func digestBody(body string) string {
	body = strings.TrimSpace(body)
	body = strings.TrimSuffix(body, strings.TrimSpace(signOff))
	if strings.HasPrefix(body, "Dear ") {
		if i := strings.Index(body, "\n"); i >= 0 {
			body = body[i+1:]
		}
	}
	return strings.TrimSpace(body)
}

package notify_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/ofsted/focusedvisits/internal/notify"
	"github.com/ofsted/focusedvisits/internal/user"
)

var placeholder = regexp.MustCompile(`\.Data\.([A-Za-z]+)`)

// TestCatalogue_EveryTemplateWords: each template, its placeholders filled,
// words without error, with its reference and link, and ends with the
// sign-off; one to Cafcass only if it may go to Cafcass.
func TestCatalogue_EveryTemplateWords(t *testing.T) {
	if n := len(notify.Templates()); n < 20 {
		t.Fatalf("%d templates: the catalogue is not loaded", n)
	}
	for _, tmpl := range notify.Templates() {
		data := map[string]string{}
		for _, m := range placeholder.FindAllStringSubmatch(tmpl.Subject+tmpl.Body, -1) {
			data[m[1]] = "«" + m[1] + "»"
		}
		role := user.LeadInspector
		if tmpl.Cafcass {
			role = user.CafcassCEO
		}
		m := notify.Message{Template: tmpl.Name, VisitID: 1, NoticeGiven: true, Data: data,
			To: notify.Recipient{UserID: 1, Email: "someone@example.gov.uk", Name: "Sam Someone", Role: role}}
		r, err := notify.Render(m)
		if err != nil {
			t.Errorf("%s: %v", tmpl.Name, err)
			continue
		}
		// Each links to where its reader acts, but the withdrawal of a
		// notice: the visit is hidden from its reader again.
		linked := strings.Contains(r.Body, "«Link»") || strings.Contains(r.Body, "«PublicLink»") || tmpl.Name == notify.NoticeWithdrawn
		// The password reset names nobody: it is worded before the service
		// knows whether the address belongs to anyone.
		greets := strings.HasPrefix(r.Body, "Dear Sam Someone,") || tmpl.Name == "user.password_reset" && strings.HasPrefix(r.Body, "Hello,")
		if strings.Contains(r.Subject+r.Body, "<no value>") || !greets ||
			!strings.Contains(r.Body, "Do not reply to it.") || !linked {
			t.Errorf("%s words as:\n%s\n%s", tmpl.Name, r.Subject, r.Body)
		}
		// Every message about a visit names it; the digest and the messages
		// about a person's account (user.*) are about no one visit.
		if tmpl.Name != notify.Digest && !strings.HasPrefix(tmpl.Name, "user.") && !strings.Contains(r.Subject, "«Reference»") {
			t.Errorf("%s: the subject %q does not name the visit", tmpl.Name, r.Subject)
		}
		if strings.Contains(r.Subject, "\n") {
			t.Errorf("%s: a subject of more than one line", tmpl.Name)
		}
	}
}

// TestCheck_WhoMayBeSent: a template not meant for Cafcass is refused to
// Cafcass; the withdrawal of a notice goes to Cafcass after the notice is
// undone, and nothing else does.
func TestCheck_WhoMayBeSent(t *testing.T) {
	cafcass := notify.Recipient{Email: "ceo@cafcass.example", Role: user.CafcassCEO}
	if err := notify.Check(notify.Message{Template: notify.LetterForQA, VisitID: 1, NoticeGiven: true, To: cafcass}); err != notify.ErrNotForCafcass {
		t.Errorf("a QA message to Cafcass: %v", err)
	}
	if err := notify.Check(notify.Message{Template: notify.NoticeWithdrawn, VisitID: 1, To: cafcass}); err != nil {
		t.Errorf("the withdrawal after the notice was undone: %v", err)
	}
	if err := notify.Check(notify.Message{Template: notify.Reminder, VisitID: 1, To: cafcass}); err != notify.ErrBeforeNotice {
		t.Errorf("a reminder to Cafcass before notice: %v", err)
	}
	if err := notify.Check(notify.Message{Template: "visit.unknown", To: cafcass}); err == nil {
		t.Error("an unknown template was allowed")
	}
}

// TestDisposition: action messages always go; information messages as
// chosen; nothing to an account that is not active.
func TestDisposition(t *testing.T) {
	for _, c := range []struct {
		k      notify.Kind
		p      notify.Preference
		active bool
		want   notify.Status
	}{
		{notify.Action, notify.NoMessages, true, notify.Queued},
		{notify.Action, notify.InDigest, true, notify.Queued},
		{notify.Information, notify.EachMessage, true, notify.Queued},
		{notify.Information, notify.InDigest, true, notify.Held},
		{notify.Information, notify.NoMessages, true, notify.Skipped},
		{notify.Action, notify.EachMessage, false, notify.Skipped},
	} {
		if got, _ := notify.Disposition(c.k, c.p, c.active); got != c.want {
			t.Errorf("%s, %s, active %v: %s, want %s", c.k, c.p, c.active, got, c.want)
		}
	}
	for n, want := range map[int]string{1: "1s", 2: "16s", 3: "1m21s", 7: "40m1s", 8: "1h0m0s", 30: "1h0m0s"} {
		if got := notify.Backoff(n).String(); got != want {
			t.Errorf("back-off after %d: %s, want %s", n, got, want)
		}
	}
	if notify.CheckRetry(true, notify.Sent) == nil || notify.CheckRetry(false, notify.Failed) == nil || notify.CheckRetry(true, notify.Failed) != nil {
		t.Error("only an administrator retries, and only a failed message")
	}
}

package jobs_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/ofsted/focusedvisits/internal/dbtest"
	"github.com/ofsted/focusedvisits/internal/jobs"
	"github.com/ofsted/focusedvisits/internal/mailer"
	"github.com/ofsted/focusedvisits/internal/mailtest"
	"github.com/ofsted/focusedvisits/internal/notify"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
)

// mailFixture is a visit's team, a store whose clock is the test's, and a
// mail server.
type mailFixture struct {
	t     *testing.T
	st    *store.Store
	clock *clock
	smtp  *mailtest.Server
	users map[string]user.User // by a short name: lead, team, qam, moderator, sao, ceo, deputy
}

func newMailFixture(t *testing.T) *mailFixture {
	t.Helper()
	f := &mailFixture{t: t, clock: &clock{}, users: map[string]user.User{}}
	f.st = store.New(dbtest.New(t)).WithOutbox(store.Outbox{BaseURL: "https://fv.example.gov.uk", Now: f.clock.now})
	f.smtp = mailtest.Start(t)
	hash, err := user.HashPassword("correct horse battery staple")
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []struct {
		key, name string
		role      user.Role
	}{
		{"lead", "Lena Lead", user.LeadInspector}, {"team", "Tom Team", user.TeamInspector}, {"qam", "Quinn QAM", user.QAM},
		{"moderator", "Mo Moderator", user.QAM}, {"sao", "Sam SAO", user.SAO},
		{"ceo", "Cara Chief", user.CafcassCEO}, {"deputy", "Dev Deputy", user.CafcassDeputy},
	} {
		created, err := f.st.CreateUser(context.Background(), user.New{Email: u.key + "@example.gov.uk", Name: u.name, Role: u.role}, hash)
		if err != nil {
			t.Fatal(err)
		}
		f.users[u.key] = created
	}
	return f
}

func (f *mailFixture) config() jobs.Config {
	f.t.Helper()
	m, err := mailer.New(f.smtp.SMTP(), "fv.example.gov.uk")
	if err != nil {
		f.t.Fatal(err)
	}
	return jobs.Config{Store: f.st, Now: f.clock.now, RetryPolicy: shortRetry{}, Mailer: m, MailAttempts: 10, ReminderWorkingDays: 2}
}

// runAt runs the jobs due at h:m on day.
func (f *mailFixture) runAt(day string, h, m int) []jobs.Worked {
	f.t.Helper()
	f.clock.set(at(day, h, m))
	w, err := jobs.RunDue(context.Background(), f.config())
	if err != nil {
		f.t.Fatal(err)
	}
	return w
}

func (f *mailFixture) must(err error) {
	f.t.Helper()
	if err != nil {
		f.t.Fatal(err)
	}
}

// visit schedules a visit with the whole team, noticed on notice (planned
// only when recorded is false).
func (f *mailFixture) visit(notice string) int64 {
	f.t.Helper()
	u := f.users
	id, err := f.st.CreateVisit(context.Background(), store.NewVisit{
		TemplateID: timeline.FocusedVisit, TemplateVersion: "2021-03-17", AnchorCode: "notice", AnchorDate: date(notice),
		Members: []visit.Member{
			{UserID: u["lead"].ID, Role: visit.RoleLead}, {UserID: u["team"].ID, Role: visit.RoleTeam},
			{UserID: u["qam"].ID, Role: visit.RoleQAM}, {UserID: u["moderator"].ID, Role: visit.RoleModerator},
			{UserID: u["sao"].ID, Role: visit.RoleSAO},
			{UserID: u["ceo"].ID, Role: visit.RoleCafcass}, {UserID: u["deputy"].ID, Role: visit.RoleCafcass},
		},
	}, u["lead"])
	f.must(err)
	return id
}

// outbox returns every message of the outbox, oldest first.
func (f *mailFixture) outbox() []store.OutboxMessage {
	f.t.Helper()
	ms, _, err := f.st.ListMessages(context.Background(), store.MessageFilter{Limit: 1000})
	f.must(err)
	slices.Reverse(ms)
	return ms
}

// received is "address: subject" for each message the mail server has.
func received(s *mailtest.Server) []string {
	var out []string
	for _, m := range s.Messages() {
		out = append(out, strings.Join(m.To, ",")+": "+m.Subject)
	}
	return out
}

// TestDelivery_NoMailServer: with no mail server set, the messages stay in
// the outbox, marked "not sent: no mail server", and nothing is tried.
func TestDelivery_NoMailServer(t *testing.T) {
	t.Parallel()
	f := newMailFixture(t)
	ctx := context.Background()
	id := f.visit("2025-04-14")
	f.clock.set(at("2025-04-14", 9, 5))
	f.must(f.st.RecordActual(ctx, id, 0, visit.Actual{Code: "notice", Date: date("2025-04-14"), Time: "09:05"}, "Notice call", f.users["lead"]))
	cfg := f.config()
	cfg.Mailer = nil
	worked, err := jobs.RunDue(ctx, cfg)
	f.must(err)
	ms := f.outbox()
	if len(ms) != 2 {
		t.Fatalf("%d messages, want the notice to the chief executive and the deputy", len(ms))
	}
	for _, m := range ms {
		if m.Status != notify.NotSent || m.LastError != "not sent: no mail server" || m.Attempts != 0 {
			t.Errorf("message to %s: %s %q (%d attempts)", m.ToAddress, m.Status, m.LastError, m.Attempts)
		}
	}
	if !ran(worked, "deliver_messages", "not_sent", 2) {
		t.Errorf("worked %+v", worked)
	}
	if n := f.smtp.Connections(); n != 0 {
		t.Errorf("%d connections to a mail server that is not set", n)
	}
}

// TestDelivery_ServerDownThenUp: the mail server down for 60 s of the
// service's clock: each attempt fails and waits its back-off, nothing is
// lost, and once the server is back each message arrives once, with a
// Message-ID made from its public id.
func TestDelivery_ServerDownThenUp(t *testing.T) {
	t.Parallel()
	f := newMailFixture(t)
	ctx := context.Background()
	id := f.visit("2025-04-14")
	f.smtp.Stop()
	f.clock.set(at("2025-04-14", 9, 5))
	f.must(f.st.RecordActual(ctx, id, 0, visit.Actual{Code: "notice", Date: date("2025-04-14"), Time: "09:05"}, "Notice call", f.users["lead"]))
	f.runAt("2025-04-14", 9, 6) // attempt 1 fails; the next waits 1 s
	f.clock.set(at("2025-04-14", 9, 6))
	cfg := f.config()
	// The same minute: not due again for a second, so nothing is tried.
	if _, err := jobs.RunDue(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	for _, m := range f.outbox() {
		if m.Status != notify.Queued || m.Attempts != 1 || !strings.Contains(m.LastError, "connect") {
			t.Fatalf("after the first attempt: %s, %d attempts, %q", m.Status, m.Attempts, m.LastError)
		}
	}
	f.clock.set(at("2025-04-14", 9, 6).Add(30e9))
	if _, err := jobs.RunDue(ctx, f.config()); err != nil { // attempt 2 fails; the next waits 16 s
		t.Fatal(err)
	}
	f.smtp.Resume()
	f.clock.set(at("2025-04-14", 9, 7))
	if _, err := jobs.RunDue(ctx, f.config()); err != nil {
		t.Fatal(err)
	}
	got := received(f.smtp)
	slices.Sort(got)
	want := []string{
		"ceo@example.gov.uk: Ofsted focused visit FV-2025-" + fmt.Sprintf("%04d", id) + ": notice given",
		"deputy@example.gov.uk: Ofsted focused visit FV-2025-" + fmt.Sprintf("%04d", id) + ": notice given",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("received %q, want %q", got, want)
	}
	byAddress := map[string]string{}
	for _, m := range f.outbox() {
		if m.Status != notify.Sent || m.Attempts != 3 || m.LastError != "" || !m.SentAt.Equal(at("2025-04-14", 9, 7)) {
			t.Errorf("message to %s: %s after %d attempts, sent %s", m.ToAddress, m.Status, m.Attempts, m.SentAt)
		}
		byAddress[m.ToAddress] = "<" + m.PublicID + "@fv.example.gov.uk>"
	}
	for _, m := range f.smtp.Messages() {
		if m.MessageID != byAddress[m.To[0]] {
			t.Errorf("Message-ID %q, want %q", m.MessageID, byAddress[m.To[0]])
		}
	}
	// Nothing more goes on the next run.
	f.runAt("2025-04-14", 10, 0)
	if n := len(f.smtp.Messages()); n != 2 {
		t.Errorf("%d messages after another run", n)
	}
}

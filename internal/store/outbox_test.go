package store_test

import (
	"context"
	"errors"
	"github.com/ofsted/focusedvisits/internal/history"
	"strings"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/dbtest"
	"github.com/ofsted/focusedvisits/internal/notify"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// outboxFixture is a visit of the B.4 example (notice Mon 14 Apr 2025)
// with its lead, QAM, chief executive and deputy, and a store whose clock
// is now.
type outboxFixture struct {
	t                   *testing.T
	st                  *store.Store
	now                 time.Time
	lead, qam, ceo, dep user.User
	visit               int64
	ctx                 context.Context
}

func newOutboxFixture(t *testing.T) *outboxFixture {
	t.Helper()
	f := &outboxFixture{t: t, ctx: context.Background()}
	f.now = time.Date(2025, 4, 14, 9, 5, 0, 0, workday.London)
	f.st = store.New(dbtest.New(t)).WithOutbox(store.Outbox{BaseURL: "https://fv.example.gov.uk/", Now: func() time.Time { return f.now }})
	add := func(email, name string, r user.Role) user.User {
		u, err := f.st.CreateUser(f.ctx, user.New{Email: email, Name: name, Role: r}, "x")
		f.must(err)
		return u
	}
	f.lead, f.qam = add("lead@example.gov.uk", "Lena Lead", user.LeadInspector), add("qam@example.gov.uk", "Quinn QAM", user.QAM)
	f.ceo, f.dep = add("ceo@cafcass.example", "Cara Chief", user.CafcassCEO), add("deputy@cafcass.example", "Dev Deputy", user.CafcassDeputy)
	id, err := f.st.CreateVisit(f.ctx, store.NewVisit{
		TemplateID: timeline.FocusedVisit, TemplateVersion: "2021-03-17", AnchorCode: "notice", AnchorDate: workday.NewDate(2025, 4, 14),
		Members: []visit.Member{{UserID: f.lead.ID, Role: visit.RoleLead}, {UserID: f.qam.ID, Role: visit.RoleQAM},
			{UserID: f.ceo.ID, Role: visit.RoleCafcass}, {UserID: f.dep.ID, Role: visit.RoleCafcass}},
	}, f.lead)
	f.must(err)
	f.visit = id
	return f
}

func (f *outboxFixture) must(err error) {
	f.t.Helper()
	if err != nil {
		f.t.Fatal(err)
	}
}

func (f *outboxFixture) notice() {
	f.t.Helper()
	f.must(f.st.RecordActual(f.ctx, f.visit, 0, visit.Actual{Code: "notice", Date: workday.NewDate(2025, 4, 14), Time: "09:05"}, "Notice call", f.lead))
}

// messages returns the outbox, oldest first, as "template to address: status".
func (f *outboxFixture) messages() []string {
	f.t.Helper()
	ms, _, err := f.st.ListMessages(f.ctx, store.MessageFilter{Limit: 100})
	f.must(err)
	var out []string
	for i := len(ms) - 1; i >= 0; i-- {
		out = append(out, ms[i].Template+" to "+ms[i].ToAddress+": "+string(ms[i].Status))
	}
	return out
}

func equal(a, b []string) bool { return strings.Join(a, "\n") == strings.Join(b, "\n") }

// TestOutbox_NothingToCafcassBeforeNotice: scheduling and planning a visit
// tell Cafcass nothing (DOMAIN decision 19); the notice tells the chief
// executive and the deputy, once, however often it is recorded again.
func TestOutbox_NothingToCafcassBeforeNotice(t *testing.T) {
	t.Parallel()
	f := newOutboxFixture(t)
	f.must(f.st.SetOverride(f.ctx, f.visit, 0, visit.Override{Code: "team-meeting", Date: workday.NewDate(2025, 4, 22), To: workday.NewDate(2025, 4, 23), Reason: "Availability"}, "Team meeting", history.Span{}, f.lead))
	if got := f.messages(); len(got) != 0 {
		t.Fatalf("before notice: %q", got)
	}
	f.notice()
	f.notice() // recorded again (a corrected time): no second message
	want := []string{"visit.notice_given to ceo@cafcass.example: queued", "visit.notice_given to deputy@cafcass.example: queued"}
	if got := f.messages(); !equal(got, want) {
		t.Errorf("after notice: %q, want %q", got, want)
	}
	// A message to Cafcass asked for before notice is refused, not queued.
	err := f.st.QueueMessages(f.ctx, notify.Message{Template: notify.ItemReturned, VisitID: f.visit,
		To: notify.Recipient{UserID: f.ceo.ID, Email: f.ceo.Email, Role: f.ceo.Role}, Data: map[string]string{"Reference": "x", "Link": "x", "Number": "1", "Title": "t"}})
	if !errors.Is(err, notify.ErrBeforeNotice) {
		t.Errorf("queue to Cafcass before notice: %v", err)
	}
}

// TestOutbox_NoticeWithdrawn: a notice undone as recorded in error stops
// the messages to Cafcass not yet sent and, to whoever may have had one,
// sends its withdrawal (DOMAIN decision 19).
func TestOutbox_NoticeWithdrawn(t *testing.T) {
	t.Parallel()
	t.Run("before any went", func(t *testing.T) {
		t.Parallel()
		f := newOutboxFixture(t)
		f.notice()
		f.must(f.st.UndoNotice(f.ctx, f.visit, 0, "Wrong visit", f.lead))
		want := []string{"visit.notice_given to ceo@cafcass.example: skipped", "visit.notice_given to deputy@cafcass.example: skipped"}
		if got := f.messages(); !equal(got, want) {
			t.Errorf("%q, want %q", got, want)
		}
	})
	t.Run("after they went", func(t *testing.T) {
		t.Parallel()
		f := newOutboxFixture(t)
		f.notice()
		ids, err := f.st.DueMessages(f.ctx, f.now, 10)
		f.must(err)
		for _, id := range ids {
			_, err := f.st.DeliverMessage(f.ctx, id, f.now, 3, func(store.Delivery) error { return nil })
			f.must(err)
		}
		f.must(f.st.UndoNotice(f.ctx, f.visit, 0, "Wrong visit", f.lead))
		want := []string{"visit.notice_given to ceo@cafcass.example: sent", "visit.notice_given to deputy@cafcass.example: sent",
			"visit.notice_withdrawn to ceo@cafcass.example: queued", "visit.notice_withdrawn to deputy@cafcass.example: queued"}
		if got := f.messages(); !equal(got, want) {
			t.Errorf("%q, want %q", got, want)
		}
	})
}

// TestOutbox_Preferences: an action message always goes; an information
// message goes, is held for the digest, or is skipped as its recipient
// chose; an account not active gets nothing. Held messages go in one
// digest a day.
func TestOutbox_Preferences(t *testing.T) {
	t.Parallel()
	f := newOutboxFixture(t)
	f.notice()
	f.must(f.st.SetMessagePreference(f.ctx, f.ceo.ID, notify.InDigest))
	f.must(f.st.SetMessagePreference(f.ctx, f.dep.ID, notify.NoMessages))
	if p, err := f.st.MessagePreference(f.ctx, f.dep.ID); err != nil || p != notify.NoMessages {
		t.Fatalf("preference %q %v", p, err)
	}
	if p, _ := f.st.MessagePreference(f.ctx, f.lead.ID); p != notify.EachMessage {
		t.Errorf("default preference %q", p)
	}
	a, err := f.st.About(f.ctx, f.visit)
	f.must(err)
	item := notify.Item{PublicID: "x", Number: "1.01", Title: "Organisation chart"}
	var msgs []notify.Message
	for _, to := range a.Cafcass() {
		msgs = append(msgs, a.QuestionAnswered(item, to)...) // information
	}
	msgs = append(msgs, a.ItemReturned(item)...) // action
	f.must(f.st.WithTx(f.ctx, func(tx *store.Store) error { return tx.QueueMessages(f.ctx, msgs...) }))
	want := []string{
		"visit.notice_given to ceo@cafcass.example: queued", "visit.notice_given to deputy@cafcass.example: queued",
		"request.question_answered to ceo@cafcass.example: digest", "request.question_answered to deputy@cafcass.example: skipped",
		"request.item_returned to ceo@cafcass.example: queued", "request.item_returned to deputy@cafcass.example: queued",
	}
	if got := f.messages(); !equal(got, want) {
		t.Fatalf("%q, want %q", got, want)
	}
	// The digest: once on the day, gathering what was held.
	day := workday.NewDate(2025, 4, 15)
	eight := time.Date(2025, 4, 15, 8, 0, 0, 0, workday.London)
	users, err := f.st.UsersWithHeldMessages(f.ctx, eight)
	f.must(err)
	if len(users) != 1 || users[0] != f.ceo.ID {
		t.Fatalf("users with held messages %v", users)
	}
	n, err := f.st.QueueDigest(f.ctx, f.ceo.ID, day, eight)
	f.must(err)
	if n != 1 {
		t.Errorf("digest of %d messages", n)
	}
	ms, _, err := f.st.ListMessages(f.ctx, store.MessageFilter{Status: notify.Queued, Limit: 10})
	f.must(err)
	digest := ms[0]
	if digest.Template != notify.Digest || digest.ToAddress != f.ceo.Email || digest.Subject != "Ofsted focused visits: 1 message since your last digest" ||
		!strings.Contains(digest.Body, "1. Ofsted focused visit") || !strings.Contains(digest.Body, "is answered") || !strings.Contains(digest.Body, "/account/messages") {
		t.Errorf("digest %+v", digest)
	}
	held, _, err := f.st.ListMessages(f.ctx, store.MessageFilter{Status: notify.Digested, Limit: 10})
	f.must(err)
	if len(held) != 1 || held[0].DigestPublicID != digest.PublicID {
		t.Errorf("digested %+v", held)
	}
	// Another held on the day after 08:00 waits for the next day's.
	f.now = eight.Add(time.Hour)
	f.must(f.st.WithTx(f.ctx, func(tx *store.Store) error {
		return tx.QueueMessages(f.ctx, a.QuestionAnswered(item, a.Cafcass()[0])...)
	}))
	if n, err := f.st.QueueDigest(f.ctx, f.ceo.ID, day, f.now.Add(time.Hour)); err != nil || n != 0 {
		t.Errorf("second digest on the day: %d %v", n, err)
	}
	if n, err := f.st.QueueDigest(f.ctx, f.ceo.ID, day.AddDays(1), eight.Add(24*time.Hour)); err != nil || n != 1 {
		t.Errorf("next day's digest: %d %v", n, err)
	}
}

// TestOutbox_DatesChangedOnce: granting a deferral after notice re-plans
// the visit and moves dates set by hand, all in one transaction: the chief
// executive (not the deputy) gets one email with every date that moved and
// the lead's note.
func TestOutbox_DatesChangedOnce(t *testing.T) {
	t.Parallel()
	f := newOutboxFixture(t)
	f.notice()
	f.must(f.st.SetOverride(f.ctx, f.visit, 0, visit.Override{Code: "off-site-evaluation", Date: workday.NewDate(2025, 4, 22), Reason: "Travel", CEONote: "Travel is easier then."}, "Off-site evaluation", history.Span{}, f.lead))
	df, err := f.st.CreateDeferral(f.ctx, store.NewDeferral{VisitID: f.visit, RequestedBy: "Cafcass", RequestedOn: workday.NewDate(2025, 4, 14), Reason: "Away"}, f.lead)
	f.must(err)
	d, err := f.st.GetVisit(f.ctx, f.visit)
	f.must(err)
	f.must(f.st.DecideDeferral(f.ctx, store.DeferralDecision{VisitID: f.visit, DeferralID: df, Grant: true, Version: d.Version,
		Update:         store.UpdateVisit{AnchorCode: "fieldwork", AnchorDate: workday.NewDate(2025, 5, 7), PlanFromAnchor: true},
		ClearOverrides: map[string]string{"off-site-evaluation": "Team off-site evaluation"}, CEONote: "As agreed on the phone."}, f.lead))
	ms, err := f.st.ListVisitMessages(f.ctx, f.visit, notify.DatesChanged)
	f.must(err)
	if len(ms) != 2 || ms[0].ToAddress != f.ceo.Email || ms[1].ToAddress != f.ceo.Email {
		t.Fatalf("date change messages %d (want 2: the override, then the deferral): %+v", len(ms), ms)
	}
	grant, override := ms[0].Body, ms[1].Body
	for _, s := range []string{"Ofsted granted Cafcass's request to defer the visit", "- Fieldwork: was Thursday 24 and Friday 25 April 2025, now Wednesday 7 and Thursday 8 May 2025",
		"- Team off-site evaluation: was Tuesday 22 April 2025, now Tuesday 6 May 2025", "As agreed on the phone."} {
		if !strings.Contains(grant, s) {
			t.Errorf("the deferral's email does not say %q:\n%s", s, grant)
		}
	}
	if !strings.Contains(override, "- Team off-site evaluation: was Wednesday 23 April 2025, now Tuesday 22 April 2025") || !strings.Contains(override, "Travel is easier then.") {
		t.Errorf("the override's email:\n%s", override)
	}
}

// TestOutbox_RetryAndDelivery: a message that fails every attempt is
// failed after the last, with the back-off between; an administrator may
// queue it again (recorded in the visit's history), nobody else, and
// nothing that is not failed.
func TestOutbox_RetryAndDelivery(t *testing.T) {
	t.Parallel()
	f := newOutboxFixture(t)
	f.notice()
	admin, err := f.st.CreateUser(f.ctx, user.New{Email: "admin@example.gov.uk", Name: "Ada Admin", Role: user.Admin}, "x")
	f.must(err)
	ids, err := f.st.DueMessages(f.ctx, f.now, 10)
	f.must(err)
	id := ids[0]
	boom := errors.New("550 mailbox unavailable")
	for attempt := 1; attempt <= 3; attempt++ {
		got, err := f.st.DeliverMessage(f.ctx, id, f.now, 3, func(store.Delivery) error { return boom })
		f.must(err)
		if got != store.DeliveryFailed {
			t.Fatalf("attempt %d: %v", attempt, got)
		}
		if again, _ := f.st.DeliverMessage(f.ctx, id, f.now, 3, func(store.Delivery) error { return nil }); again != store.NotDue {
			t.Fatalf("attempt %d: tried again before its back-off", attempt)
		}
		f.now = f.now.Add(notify.Backoff(attempt))
	}
	if n, err := f.st.CountFailedMessages(f.ctx); err != nil || n != 1 {
		t.Fatalf("%d failed messages, %v", n, err)
	}
	ms, _, err := f.st.ListMessages(f.ctx, store.MessageFilter{Status: notify.Failed})
	f.must(err)
	m := ms[0]
	if m.Attempts != 3 || m.LastError != "550 mailbox unavailable" {
		t.Errorf("failed message %+v", m)
	}
	if err := f.st.RetryMessage(f.ctx, m.PublicID, f.lead); !errors.Is(err, store.ErrConflict) {
		t.Errorf("retry by a lead inspector: %v", err)
	}
	f.must(f.st.RetryMessage(f.ctx, m.PublicID, admin))
	if err := f.st.RetryMessage(f.ctx, m.PublicID, admin); !errors.Is(err, store.ErrConflict) {
		t.Errorf("retry of a message no longer failed: %v", err)
	}
	m, err = f.st.GetMessage(f.ctx, m.PublicID)
	f.must(err)
	if m.Status != notify.Queued || m.Attempts != 0 || m.RetriedBy != "Ada Admin" || m.RetriedAt.IsZero() {
		t.Errorf("retried message %+v", m)
	}
	if got, _ := f.st.DeliverMessage(f.ctx, id, f.now, 3, func(store.Delivery) error { return nil }); got != store.DeliveredOK {
		t.Errorf("after the retry: %v", got)
	}
	es, err := f.st.ListEvents(f.ctx, f.visit)
	f.must(err)
	if w := es[0].Words(); w.Action != "Failed email sent again" || es[0].UserName != "Ada Admin" || w.New != f.ceo.Email {
		t.Errorf("history %+v", es[0])
	}
}

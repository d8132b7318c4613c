package main

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/ofsted/focusedvisits/internal/dbtest"
	"github.com/ofsted/focusedvisits/internal/mailtest"
	"github.com/ofsted/focusedvisits/internal/notify"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/user"
)

func TestRun_RetentionRun(t *testing.T) {
	env := map[string]string{"DATABASE_URL": dbtest.URL(t), "DATA_DIR": t.TempDir(), "LOG_LEVEL": "warn", "CHILD_DATA_RETENTION_DAYS": "30"}
	var stdout, stderr strings.Builder
	err := run(context.Background(), []string{"focusedvisits", "retention", "run"}, func(k string) string { return env[k] }, strings.NewReader(""), &stdout, &stderr)
	if err != nil {
		t.Fatalf("retention run: %v\n%s", err, stderr.String())
	}
	if got := stdout.String(); !strings.Contains(got, "retention: 0 visits past 30 days") {
		t.Errorf("output %q", got)
	}
	if err := run(context.Background(), []string{"focusedvisits", "retention"}, func(k string) string { return env[k] }, strings.NewReader(""), &stdout, &stderr); err == nil {
		t.Error("retention without run: no error")
	}
}

func TestRun_JobsRunDue(t *testing.T) {
	env := map[string]string{"DATABASE_URL": dbtest.URL(t), "DATA_DIR": t.TempDir(), "LOG_LEVEL": "warn"}
	var stdout, stderr strings.Builder
	err := run(context.Background(), []string{"focusedvisits", "jobs", "run-due"}, func(k string) string { return env[k] }, strings.NewReader(""), &stdout, &stderr)
	if err != nil {
		t.Fatalf("jobs run-due: %v\n%s", err, stderr.String())
	}
	got := stdout.String()
	for _, want := range []string{"publication_sweep {}: completed (attempt 1)", "retention_sweep {}: completed (attempt 1)",
		"send_reminders {}: completed (attempt 1)", "send_digests {}: completed (attempt 1)",
		`deliver_messages {}: completed (attempt 1) {"why": "not sent: no mail server", "not_sent": 0}`, "jobs: 5 worked, 0 failed"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if err := run(context.Background(), []string{"focusedvisits", "jobs"}, func(k string) string { return env[k] }, strings.NewReader(""), &stdout, &stderr); err == nil {
		t.Error("jobs without run-due: no error")
	}
}

// TestRun_JobsRunDueSendsMail: with SMTP_URL set, run-due sends what the
// outbox holds through that server.
func TestRun_JobsRunDueSendsMail(t *testing.T) {
	url := dbtest.URL(t)
	smtp := mailtest.Start(t)
	env := map[string]string{"DATABASE_URL": url, "DATA_DIR": t.TempDir(), "LOG_LEVEL": "warn",
		"SMTP_URL": "smtp://" + smtp.Addr(), "SMTP_TLS": "none", "SMTP_FROM": "Focused visits <fv@ofsted.example>", "BASE_URL": "https://fv.example.gov.uk"}
	getenv := func(k string) string { return env[k] }
	var stdout, stderr strings.Builder
	// Migrate, and queue a message as an event would.
	if err := run(context.Background(), []string{"focusedvisits", "migrate", "up"}, getenv, strings.NewReader(""), &stdout, &stderr); err != nil {
		t.Fatalf("migrate: %v\n%s", err, stderr.String())
	}
	pool, err := pgxpool.New(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	m := notify.DigestOf(notify.Recipient{Email: "someone@example.gov.uk", Name: "Sam Someone", Role: user.QAM}, []notify.HeldMessage{{Subject: "Hello", Body: "Dear Sam,\n\nHello."}}, "https://fv.example.gov.uk")
	if err := store.New(pool).QueueMessages(context.Background(), m); err != nil {
		t.Fatal(err)
	}
	if err := run(context.Background(), []string{"focusedvisits", "jobs", "run-due"}, getenv, strings.NewReader(""), &stdout, &stderr); err != nil {
		t.Fatalf("jobs run-due: %v\n%s", err, stderr.String())
	}
	if !strings.Contains(stdout.String(), `deliver_messages {}: completed (attempt 1) {"sent": 1, "failed": 0}`) {
		t.Errorf("output:\n%s", stdout.String())
	}
	got := smtp.Messages()
	if len(got) != 1 || got[0].To[0] != "someone@example.gov.uk" || !strings.HasSuffix(got[0].MessageID, "@fv.example.gov.uk>") ||
		!strings.Contains(got[0].Header.Get("From"), "fv@ofsted.example") {
		t.Errorf("received %+v", got)
	}
}

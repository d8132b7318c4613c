package main

import (
	"context"
	"strings"
	"testing"

	"github.com/ofsted/focusedvisits/internal/dbtest"
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
	for _, want := range []string{"publication_sweep {}: completed (attempt 1)", "retention_sweep {}: completed (attempt 1)", "jobs: 2 worked, 0 failed"} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	if err := run(context.Background(), []string{"focusedvisits", "jobs"}, func(k string) string { return env[k] }, strings.NewReader(""), &stdout, &stderr); err == nil {
		t.Error("jobs without run-due: no error")
	}
}

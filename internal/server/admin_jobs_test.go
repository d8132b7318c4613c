package server_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/ofsted/focusedvisits/internal/htmltest"
	"github.com/ofsted/focusedvisits/internal/jobs"
	"github.com/ofsted/focusedvisits/internal/user"
)

// failFirst fails the first attempts of every job of a kind.
type failFirst struct {
	river.HookDefaults
	kind     string
	attempts int
}

func (f *failFirst) WorkBegin(_ context.Context, j *rivertype.JobRow) error {
	if j.Kind == f.kind && j.Attempt <= f.attempts {
		return fmt.Errorf("the database went away (attempt %d)", j.Attempt)
	}
	return nil
}

// TestJobList: administrators see the scheduled jobs: one that failed twice,
// with its error, retried and waiting for its next try, and the sweep that
// finished. Nobody else may see the page.
func TestJobList(t *testing.T) {
	t.Parallel()
	f := newCafcassLetterFixture(t, false)
	ts := f.ts
	f.sendDraft(t)
	f.sendFinal(t)
	f.writeSummary(t) // or the letter is not due to be published
	f.at("2025-06-30", 0)
	// River's own back-off: the first retry a second later, the next 16 s
	// later, so the job waits as failed.
	_, err := jobs.RunDue(context.Background(), jobs.Config{Store: ts.Store, Now: ts.now,
		Hooks: []rivertype.Hook{&failFirst{kind: "publish_letter", attempts: 2}}})
	if err != nil {
		t.Fatal(err)
	}
	admin := ts.addUser(user.Admin, "admin@example.gov.uk")
	res := ts.get(ts.signIn(admin.Email), "/admin/jobs")
	f.wantStatus(t, res, http.StatusOK)
	doc := parse(t, res)
	htmltest.CheckPage(t, doc)
	failed := doc.Find(`[data-testid="failed-jobs"] [data-testid="job"]`)
	if failed.Length() != 1 {
		t.Fatalf("%d failed jobs listed", failed.Length())
	}
	row := htmltest.Text(failed)
	for _, want := range []string{"Publish the letter", f.visit.Reference, "Will be retried", "Attempt 2 of 25", "Retried", "the database went away (attempt 2)"} {
		if !strings.Contains(row, want) {
			t.Errorf("failed job %q lacks %q", row, want)
		}
	}
	finished := htmltest.Text(doc.Find(`[data-testid="finished-jobs"]`))
	if !strings.Contains(finished, "Find the letters due to be published") || !strings.Contains(finished, "Done") || !strings.Contains(finished, "letters_due") {
		t.Errorf("finished jobs: %q", finished)
	}
	if !strings.Contains(htmltest.Text(doc.Find("h2#failed")), "Failed (1)") {
		t.Errorf("failed heading %q", htmltest.Text(doc.Find("h2#failed")))
	}
	if doc.Find(`[data-testid="running-none"]`).Length() != 1 {
		t.Error("a running job is listed")
	}
	for _, c := range []*http.Client{f.leadC, f.ceoC} {
		f.wantStatus(t, ts.get(c, "/admin/jobs"), http.StatusForbidden)
	}
}

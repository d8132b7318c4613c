package browsertest_test

import (
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/browsertest"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// TestTasks_QAMApprovesFromStartPage (issue 13): the quality assurance
// manager signs in, finds the letter waiting for QA at the top of their
// start page and approves it in two clicks: the task's link, then Approve.
// axe-core checks every page on the way.
func TestTasks_QAMApprovesFromStartPage(t *testing.T) {
	t.Parallel()
	// The demo placed around Mon 23 Nov 2026: the visit awaiting its letter
	// has version 2 back with the QAM.
	base, creds := startAppAt(t, workday.NewDate(2026, time.November, 23))
	b := browsertest.New(t, base)
	signInAs(t, b, creds[user.QAM])
	wantText(t, b, "main h2", "Your tasks")
	task := `[data-testid="tasks"] tr[data-kind="quality-assure"] td:first-child a`
	if n := b.Count(task); n != 1 {
		t.Fatalf("%d letters waiting for QA on the start page, want 1", n)
	}
	wantText(t, b, `[data-testid="tasks"] tbody tr:first-child`, "Quality assure the letter of findings")
	b.Screenshot("qam-start-page")

	clicks := 0
	b.Follow(task)
	clicks++
	if got := b.Path(); len(got) < len("/letter/qa") || got[len(got)-len("/letter/qa"):] != "/letter/qa" {
		t.Fatalf("the task leads to %s, want the letter's QA page", got)
	}
	b.Submit(`button[name="action"][value="approve"]`)
	clicks++
	wantFlash(t, b, "Version 2 approved")
	if clicks > 2 {
		t.Errorf("%d clicks from the start page to the approval, want at most 2", clicks)
	}

	// Nothing is left for the QAM; the lead inspector now has the draft to send.
	b.Visit("/")
	wantText(t, b, `[data-testid="no-tasks"]`, "You have no tasks")
	signOut(t, b)
	signInAs(t, b, creds[user.LeadInspector])
	if n := b.Count(`[data-testid="tasks"] tr[data-kind="send-draft"]`); n != 1 {
		t.Errorf("the lead inspector has %d drafts to send, want 1", n)
	}
}

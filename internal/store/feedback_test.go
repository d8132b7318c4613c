package store_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/feedback"
	"github.com/ofsted/focusedvisits/internal/history"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// TestFeedbackCodeAndRetention: a visit has no feedback code before notice
// and its code is not found by it; recording notice makes the code (once,
// with a line in the history) and the code then finds the visit; the
// retention purge deletes the answers, children's data, and counts them.
func TestFeedbackCodeAndRetention(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newCDFixture(t)
	if _, err := f.st.GetFeedbackCode(ctx, f.visit); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("code before notice: %v, want ErrNotFound", err)
	}
	if err := f.st.RecordActual(ctx, f.visit, 0, visit.Actual{Code: "notice", Date: workday.NewDate(2025, 10, 13)}, "Notice call", f.lead); err != nil {
		t.Fatal(err)
	}
	c, err := f.st.GetFeedbackCode(ctx, f.visit)
	if err != nil {
		t.Fatalf("code after notice: %v", err)
	}
	if _, ok := feedback.NormalizeCode(c.Code); !ok {
		t.Fatalf("code %q is not a code", c.Code)
	}
	if again, err := f.st.MakeFeedbackCode(ctx, f.visit, f.lead); err != nil || again != c.Code {
		t.Fatalf("making the code again: %q %v, want the same %q", again, err, c.Code)
	}
	if n := f.count(t, fmt.Sprintf(`SELECT count(*) FROM visit_events WHERE visit_id = %d AND kind = '%s'`, f.visit, history.FeedbackCodeMade)); n != 1 {
		t.Errorf("%d history lines for the code, want 1", n)
	}
	if d, err := f.st.FeedbackVisit(ctx, c.Code); err != nil || d.ID != f.visit {
		t.Fatalf("visit by code: %d %v", d.ID, err)
	}
	for _, a := range []feedback.Answer{{Listened: "yes", Helped: "She explained things"}, {Listened: "no", Age: "11_15"}} {
		if err := f.st.AddFeedback(ctx, f.visit, a, time.Now()); err != nil {
			t.Fatal(err)
		}
	}
	// Markup never reaches the table, whatever the caller.
	if err := f.st.AddFeedback(ctx, f.visit, feedback.Answer{Listened: "yes", Helped: "<b>x</b>"}, time.Now()); err == nil {
		t.Error("markup stored")
	}
	if err := f.st.RecordActual(ctx, f.visit, 0, visit.Actual{Code: "publication", Date: workday.NewDate(2025, 11, 3)}, "Publication", f.lead); err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 11, 10, 12, 0, 0, 0, time.UTC)
	ids, err := f.st.VisitsPastRetention(ctx, now.Add(-365*24*time.Hour))
	if err != nil || len(ids) != 1 {
		t.Fatalf("visits past retention: %v %v", ids, err)
	}
	r, err := f.st.DeleteChildData(ctx, f.visit, now.Add(-365*24*time.Hour), now, 365)
	if err != nil {
		t.Fatal(err)
	}
	if r.Feedback != 2 {
		t.Errorf("feedback deleted: %d, want 2", r.Feedback)
	}
	if n := f.count(t, fmt.Sprintf(`SELECT count(*) FROM feedback_answers WHERE visit_id = %d`, f.visit)); n != 0 {
		t.Errorf("%d answers left after the purge", n)
	}
	events, err := f.st.ListEvents(ctx, f.visit)
	if err != nil {
		t.Fatal(err)
	}
	said := false
	for _, e := range events {
		if e.Kind == history.ChildDataDeletedUnderRetention {
			said = strings.Contains(e.Words().Detail, "Deleted 2 feedback answers from children and young people.")
		}
	}
	if !said {
		t.Error("the history's retention line does not count the feedback")
	}
}

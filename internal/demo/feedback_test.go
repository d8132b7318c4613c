package demo

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/dbtest"
	"github.com/ofsted/focusedvisits/internal/feedback"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// TestLoadFeedback: every demo visit given notice has its feedback code,
// none without; the visit in fieldwork has a few answers, stored without
// the phone number one of them typed.
func TestLoadFeedback(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := store.New(dbtest.New(t))
	if _, err := LoadAt(ctx, st, workday.NewDate(2026, time.November, 23)); err != nil {
		t.Fatal(err)
	}
	admin, _, err := st.GetUserForSignIn(ctx, People[0].Email)
	if err != nil || admin.Role != user.Admin {
		t.Fatalf("first demo person %+v: %v", admin, err)
	}
	visits, err := st.ListVisitsFor(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	with := 0
	for _, v := range visits {
		d, err := st.GetVisit(ctx, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		_, err = st.GetFeedbackCode(ctx, v.ID)
		if has := err == nil; has != d.NoticeGiven() {
			t.Errorf("visit %s: notice given %v, has a code %v (%v)", d.Reference, d.NoticeGiven(), has, err)
		} else if err != nil && !errors.Is(err, store.ErrNotFound) {
			t.Fatal(err)
		}
		answers, err := st.ListFeedback(ctx, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(answers) == 0 {
			continue
		}
		with++
		if len(answers) != len(demoFeedback) {
			t.Errorf("visit %s: %d answers, want %d", d.Reference, len(answers), len(demoFeedback))
		}
		removed := 0
		for _, a := range answers {
			if strings.Contains(a.Helped+a.Anything, "07700") {
				t.Errorf("stored %q", a.Helped)
			}
			removed += strings.Count(a.Helped, feedback.PhoneRemoved)
		}
		if removed != 1 {
			t.Errorf("%d phone numbers removed, want 1", removed)
		}
	}
	if with != 1 {
		t.Errorf("%d visits with answers, want 1", with)
	}
}

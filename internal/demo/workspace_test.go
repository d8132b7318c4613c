package demo

import (
	"context"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/dbtest"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// TestLoadWorkspace: the demo's visit in fieldwork has a set-up call
// record, two conversations with stakeholders and a released fieldwork plan
// of three planned case discussions and two evidence notes; no other visit
// has any.
func TestLoadWorkspace(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := store.New(dbtest.New(t))
	today := workday.NewDate(2026, time.November, 23)
	if _, err := LoadAt(ctx, st, today); err != nil {
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
		_, ok, err := st.GetSetUpCall(ctx, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		if !ok {
			continue
		}
		with++
		cs, err := st.ListConversations(ctx, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		plan, err := st.ListFieldworkPlan(ctx, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		released, err := st.SampleReleased(ctx, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		notes, err := st.ListNotes(ctx, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		contacts, err := st.ListContacts(ctx, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		offices, err := st.ListOfficeChecks(ctx, v.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(contacts) != 2 || contacts[1].Who != "child" || contacts[1].AgreementPublicID != contacts[0].PublicID || len(offices) != 1 {
			t.Errorf("visit %s: contacts %+v, %d office checks", v.Reference, contacts, len(offices))
		}
		if len(cs) != 2 || len(store.Discussions(plan)) != 2 || !released.IsZero() || len(notes) != 2 {
			t.Errorf("visit %s: %d conversations, %d discussions, released %v, %d evidence notes",
				v.Reference, len(cs), len(store.Discussions(plan)), released, len(notes))
		}
	}
	if with != 1 {
		t.Errorf("%d visits with a set-up call record, want 1", with)
	}
}

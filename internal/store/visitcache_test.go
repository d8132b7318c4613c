package store_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/ofsted/focusedvisits/internal/dbtest"
	"github.com/ofsted/focusedvisits/internal/history"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// TestVisitsKeptAcrossInstances (issue 16.2): a store keeps the visits its
// lists read in full, and a change made through another store over the same
// database (another instance) to anything read with a visit (its row, its
// team, a member's name or role, events recorded, dates set by hand,
// warnings accepted, the closure days) is in the next list read through the
// first, exactly as a fresh read has it. So is a change rolled back: never.
func TestVisitsKeptAcrossInstances(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	a, b := store.New(pool), store.New(pool)
	lead, err := b.CreateUser(ctx, user.New{Email: "lead@example.gov.uk", Name: "Lead", Role: user.LeadInspector}, "x")
	if err != nil {
		t.Fatal(err)
	}
	team, err := b.CreateUser(ctx, user.New{Email: "team@example.gov.uk", Name: "Team", Role: user.TeamInspector}, "x")
	if err != nil {
		t.Fatal(err)
	}
	day := func(s string) workday.Date {
		d, err := workday.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	members := []visit.Member{{UserID: lead.ID, Role: visit.RoleLead}}
	newVisit := func(anchor string) int64 {
		id, err := b.CreateVisit(ctx, store.NewVisit{TemplateID: timeline.FocusedVisit, TemplateVersion: "2021-03-17",
			AnchorCode: timeline.CodeNotice, AnchorDate: day(anchor), Members: members}, lead)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	id, other := newVisit("2025-05-12"), newVisit("2025-06-16")

	// same checks that every list read through a (which keeps what it
	// reads) has the visit as a fresh read through b has it.
	same := func(step string) {
		t.Helper()
		want, err := b.GetVisit(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		lists := map[string]func() ([]visit.Details, error){
			"ListVisits":        func() ([]visit.Details, error) { return a.ListVisits(ctx, []int64{other, id}) },
			"ListOpenVisitsFor": func() ([]visit.Details, error) { return a.ListOpenVisitsFor(ctx, lead) },
			"ListVisitsAround": func() ([]visit.Details, error) {
				return a.ListVisitsAround(ctx, lead, day("2025-01-01"), day("2025-12-31"))
			},
		}
		for name, list := range lists {
			ds, err := list()
			if err != nil {
				t.Fatalf("%s: %s: %v", step, name, err)
			}
			var got *visit.Details
			for i := range ds {
				if ds[i].ID == id {
					got = &ds[i]
				}
			}
			if got == nil {
				t.Fatalf("%s: %s: visit %d missing from %d visits", step, name, id, len(ds))
			}
			if !reflect.DeepEqual(*got, want) {
				t.Errorf("%s: %s read\n%+v\nwant (a fresh read)\n%+v", step, name, *got, want)
			}
		}
	}
	same("first read")
	same("read again, from memory")

	for _, step := range []struct {
		name string
		do   func() error
	}{
		{"record the notice", func() error {
			return b.RecordActual(ctx, id, 0, visit.Actual{Code: timeline.CodeNotice, Date: day("2025-05-12"), Time: "09:30"}, "Notice", lead)
		}},
		{"set a date by hand", func() error {
			return b.SetOverride(ctx, id, 0, visit.Override{Code: timeline.CodeDraftLetter, Date: day("2025-06-10"), Reason: "Agreed"}, "Draft", history.Span{}, lead)
		}},
		{"add to the team, accepting a warning", func() error {
			return b.UpdateVisit(ctx, id, 0, store.UpdateVisit{AnchorCode: timeline.CodeNotice, AnchorDate: day("2025-05-12"),
				Members:     append(members, visit.Member{UserID: team.ID, Role: visit.RoleTeam}),
				Acceptances: []visit.Acceptance{{Code: "clash", Message: "Busy that week", Reason: "Cover agreed"}}}, lead)
		}},
		{"rename a member", func() error {
			_, err := pool.Exec(ctx, `UPDATE users SET name = 'Team Renamed' WHERE id = $1`, team.ID)
			return err
		}},
		{"change a recorder's email", func() error {
			_, err := pool.Exec(ctx, `UPDATE users SET email = 'lead2@example.gov.uk' WHERE id = $1`, lead.ID)
			return err
		}},
		{"close a day", func() error { return b.AddClosureDay(ctx, day("2025-06-02"), "Office move", lead.ID) }},
		{"clear the date set by hand", func() error { return b.ClearOverride(ctx, id, 0, timeline.CodeDraftLetter, "Draft", lead) }},
		{"cancel", func() error { return b.CancelVisit(ctx, id, 0, visit.Cancellation{Reason: "No longer needed"}, lead) }},
	} {
		if err := step.do(); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		if step.name == "cancel" {
			// No longer open: the other lists still have it.
			ds, err := a.ListOpenVisitsFor(ctx, lead)
			if err != nil || len(ds) != 1 || ds[0].ID != other {
				t.Fatalf("open visits after cancelling: %v, %+v", err, ds)
			}
			continue
		}
		same(step.name)
	}

	// A change read through a's own transaction, then rolled back, is
	// never served after.
	before, err := b.GetVisit(ctx, other)
	if err != nil {
		t.Fatal(err)
	}
	rollback := errors.New("roll back")
	err = a.WithTx(ctx, func(tx *store.Store) error {
		if err := tx.RecordActual(ctx, other, 0, visit.Actual{Code: timeline.CodeNotice, Date: day("2025-06-16")}, "Notice", lead); err != nil {
			return err
		}
		ds, err := tx.ListVisits(ctx, []int64{other})
		if err != nil || len(ds) != 1 || len(ds[0].Actuals) != 1 {
			t.Errorf("inside the transaction: %v, %+v", err, ds)
		}
		return rollback
	})
	if !errors.Is(err, rollback) {
		t.Fatal(err)
	}
	ds, err := a.ListVisits(ctx, []int64{other})
	if err != nil || len(ds) != 1 || !reflect.DeepEqual(ds[0], before) {
		t.Errorf("after rolling back: %v, %+v; want %+v", err, ds, before)
	}
}

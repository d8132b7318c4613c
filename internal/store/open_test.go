package store_test

import (
	"context"
	"slices"
	"testing"

	"github.com/ofsted/focusedvisits/internal/dbtest"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// TestOpenAndPastVisits (issue 16.2): a visit is open until it is
// published (or, with a priority action, until its action plans are
// accepted) and past once published or cancelled, whatever write made it
// so; the start page's two lists split a person's visits that way, the
// past ones a page at a time, latest first.
func TestOpenAndPastVisits(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	st := store.New(pool)
	lead, err := st.CreateUser(ctx, user.New{Email: "lead@example.gov.uk", Name: "Lead", Role: user.LeadInspector}, "x")
	if err != nil {
		t.Fatal(err)
	}
	other, err := st.CreateUser(ctx, user.New{Email: "other@example.gov.uk", Name: "Other", Role: user.LeadInspector}, "x")
	if err != nil {
		t.Fatal(err)
	}
	create := func(by user.User, i int) int64 {
		t.Helper()
		id, err := st.CreateVisit(ctx, store.NewVisit{TemplateID: timeline.FocusedVisit, TemplateVersion: "2021-03-17", AnchorCode: timeline.CodeNotice,
			AnchorDate: workday.NewDate(2025, 1, 6).AddDays(7 * i), Members: []visit.Member{{UserID: by.ID, Role: visit.RoleLead}}}, by)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	publish := func(id int64) {
		t.Helper()
		if err := st.RecordActual(ctx, id, 0, visit.Actual{Code: timeline.CodePublication, Date: workday.NewDate(2025, 6, 2)}, "Published", lead); err != nil {
			t.Fatal(err)
		}
	}
	var ids []int64
	for i := range 6 {
		ids = append(ids, create(lead, i))
	}
	create(other, 7) // not the lead's: in neither list
	publish(ids[0])
	publish(ids[1])
	if err := st.CancelVisit(ctx, ids[2], 0, visit.Cancellation{Reason: "Cancelled"}, lead); err != nil {
		t.Fatal(err)
	}
	// A priority action found in the final letter: open until its action
	// plans are accepted, published or not.
	if _, err := st.StartActionPlans(ctx, ids[3], store.ActionPlanItems, lead); err != nil {
		t.Fatal(err)
	}
	publish(ids[3])

	check := func(wantOpen, wantPast []int64) {
		t.Helper()
		open, err := st.ListOpenVisitsFor(ctx, lead)
		if err != nil {
			t.Fatal(err)
		}
		var got []int64
		for _, d := range open {
			got = append(got, d.ID)
		}
		if !slices.Equal(got, wantOpen) {
			t.Errorf("open visits %v, want %v", got, wantOpen)
		}
		got = nil
		for page := 0; ; page++ {
			ds, more, err := st.ListPastVisitsFor(ctx, lead, 1, page)
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range ds {
				got = append(got, d.ID)
			}
			if !more {
				break
			}
		}
		if !slices.Equal(got, wantPast) {
			t.Errorf("past visits %v, want %v (latest first)", got, wantPast)
		}
	}
	check([]int64{ids[3], ids[4], ids[5]}, []int64{ids[2], ids[1], ids[0]})

	// The action plans accepted: the visit is past. One returned again:
	// open again.
	if _, err := pool.Exec(ctx, `UPDATE request_items SET status = 'accepted' WHERE visit_id = $1`, ids[3]); err != nil {
		t.Fatal(err)
	}
	check([]int64{ids[4], ids[5]}, []int64{ids[3], ids[2], ids[1], ids[0]})
	if _, err := pool.Exec(ctx, `UPDATE request_items SET status = 'returned' WHERE visit_id = $1 AND number = $2`, ids[3], store.ActionPlanNumber); err != nil {
		t.Fatal(err)
	}
	check([]int64{ids[3], ids[4], ids[5]}, []int64{ids[2], ids[1], ids[0]})

	// A publication recorded in error and removed: open again.
	if err := st.ClearActual(ctx, ids[1], 0, timeline.CodePublication, "Published", lead); err != nil {
		t.Fatal(err)
	}
	check([]int64{ids[1], ids[3], ids[4], ids[5]}, []int64{ids[2], ids[0]})

	// The past list follows the team and the anchor date (visit_people,
	// migration 00045): the lead handed a past visit to another lead, and
	// another moved to a later day.
	if err := st.UpdateVisit(ctx, ids[2], 0, store.UpdateVisit{AnchorCode: timeline.CodeNotice, AnchorDate: workday.NewDate(2025, 1, 20),
		Members: []visit.Member{{UserID: other.ID, Role: visit.RoleLead}}}, lead); err != nil {
		t.Fatal(err)
	}
	if err := st.UpdateVisit(ctx, ids[0], 0, store.UpdateVisit{AnchorCode: timeline.CodeNotice, AnchorDate: workday.NewDate(2025, 9, 1),
		Members: []visit.Member{{UserID: lead.ID, Role: visit.RoleLead}}}, lead); err != nil {
		t.Fatal(err)
	}
	check([]int64{ids[1], ids[3], ids[4], ids[5]}, []int64{ids[0]})
	// An administrator's past visits are everyone's, latest first.
	admin, err := st.CreateUser(ctx, user.New{Email: "admin@example.gov.uk", Name: "Admin", Role: user.Admin}, "x")
	if err != nil {
		t.Fatal(err)
	}
	if ds, more, err := st.ListPastVisitsFor(ctx, admin, 10, 0); err != nil || more || len(ds) != 2 || ds[0].ID != ids[0] || ds[1].ID != ids[2] {
		t.Errorf("administrator's past visits: %v, %v, %d visits; want %d then %d", err, more, len(ds), ids[0], ids[2])
	}
	var differ int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM (
		(SELECT user_id, visit_id, anchor_date, open FROM visit_people
			EXCEPT SELECT u, v.id, v.anchor_date, v.open FROM visits v, unnest(v.member_ids) AS u)
		UNION ALL
		(SELECT u, v.id, v.anchor_date, v.open FROM visits v, unnest(v.member_ids) AS u
			EXCEPT SELECT user_id, visit_id, anchor_date, open FROM visit_people)) d`).Scan(&differ); err != nil || differ != 0 {
		t.Errorf("visit_people differs from the visits in %d rows (%v)", differ, err)
	}
}

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

// TestDetailVersionFollowsEveryChange (issue 16.2): a visit's detail
// version changes with every insert, update and delete of every row read
// with the visit, made by any statement (here plain SQL, not the store's
// methods, which also touch the visit's row), and with a change to the name,
// email or role of a person on it. Which trigger gives the new number is
// the migrations' business (00043, 00046); that one does is this test's.
func TestDetailVersionFollowsEveryChange(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	st := store.New(pool)
	lead, err := st.CreateUser(ctx, user.New{Email: "lead@example.gov.uk", Name: "Lead", Role: user.LeadInspector}, "x")
	if err != nil {
		t.Fatal(err)
	}
	team, err := st.CreateUser(ctx, user.New{Email: "team@example.gov.uk", Name: "Team", Role: user.TeamInspector}, "x")
	if err != nil {
		t.Fatal(err)
	}
	anchor, err := workday.ParseDate("2025-05-12")
	if err != nil {
		t.Fatal(err)
	}
	id, err := st.CreateVisit(ctx, store.NewVisit{TemplateID: timeline.FocusedVisit, TemplateVersion: "2021-03-17",
		AnchorCode: timeline.CodeNotice, AnchorDate: anchor, Members: []visit.Member{{UserID: lead.ID, Role: visit.RoleLead}}}, lead)
	if err != nil {
		t.Fatal(err)
	}
	version := func() int64 {
		t.Helper()
		var v int64
		if err := pool.QueryRow(ctx, `SELECT detail_version FROM visits WHERE id = $1`, id).Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}
	for _, step := range []struct{ name, sql string }{
		{"the visit's row", `UPDATE visits SET reference = reference || 'x' WHERE id = $1 AND $2 > 0`},
		{"an event recorded", `INSERT INTO visit_actuals (visit_id, code, day, recorded_by) VALUES ($1, 'notice', '2025-05-12', $2)`},
		{"an event's date", `UPDATE visit_actuals SET day = '2025-05-13' WHERE visit_id = $1 AND recorded_by = $2`},
		{"an event removed", `DELETE FROM visit_actuals WHERE visit_id = $1 AND recorded_by = $2`},
		{"a date set by hand", `INSERT INTO visit_overrides (visit_id, code, day, reason, set_by) VALUES ($1, 'draft_letter', '2025-06-10', 'Agreed', $2)`},
		{"its reason", `UPDATE visit_overrides SET reason = 'Agreed again' WHERE visit_id = $1 AND set_by = $2`},
		{"it cleared", `DELETE FROM visit_overrides WHERE visit_id = $1 AND set_by = $2`},
		{"a member added", `INSERT INTO visit_members (visit_id, user_id, role) VALUES ($1, $2, 'team_inspector')`},
		{"a member's role on it", `UPDATE visit_members SET role = 'qam' WHERE visit_id = $1 AND user_id = $2`},
		{"a member removed", `DELETE FROM visit_members WHERE visit_id = $1 AND user_id = $2`},
		{"a warning accepted", `INSERT INTO visit_warning_acceptances (visit_id, code, message, reason, accepted_by) VALUES ($1, 'clash', 'Busy', 'Cover', $2)`},
		{"its reason", `UPDATE visit_warning_acceptances SET reason = 'Cover agreed' WHERE visit_id = $1 AND accepted_by = $2`},
		{"it withdrawn", `DELETE FROM visit_warning_acceptances WHERE visit_id = $1 AND accepted_by = $2`},
		{"the lead renamed", `UPDATE users SET name = 'Lead Renamed' WHERE id = $2 AND $1 > 0`},
	} {
		who := team.ID
		if step.name == "the lead renamed" {
			who = lead.ID
		}
		before := version()
		if _, err := pool.Exec(ctx, step.sql, id, who); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		if after := version(); after == before {
			t.Errorf("%s: the detail version stayed %d", step.name, after)
		}
	}
}

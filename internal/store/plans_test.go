package store_test

import (
	"context"
	"fmt"
	"github.com/ofsted/focusedvisits/internal/history"
	"slices"
	"testing"

	"github.com/ofsted/focusedvisits/internal/dbtest"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// TestPlanVersions (issue 16.1): every stored change to what a visit's plan
// is computed from moves its plan version, in the same transaction, and
// nothing else does; every change to the closure days moves the calendar
// version. Both come back with the visit.
func TestPlanVersions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	st := store.New(pool)
	lead, err := st.CreateUser(ctx, user.New{Email: "lead@example.gov.uk", Name: "Lead", Role: user.LeadInspector}, "x")
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
	id, err := st.CreateVisit(ctx, store.NewVisit{TemplateID: timeline.FocusedVisit, TemplateVersion: "2021-03-17",
		AnchorCode: timeline.CodeNotice, AnchorDate: day("2025-05-12"), Members: members}, lead)
	if err != nil {
		t.Fatal(err)
	}
	versions := func() (int64, int64) {
		t.Helper()
		d, err := st.GetVisit(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		if d.PlanVersion == 0 || d.CalendarVersion == 0 {
			t.Fatalf("visit read without its versions: %d, %d", d.PlanVersion, d.CalendarVersion)
		}
		ds, err := st.ListVisits(ctx, []int64{id})
		if err != nil || len(ds) != 1 || ds[0].PlanVersion != d.PlanVersion || ds[0].CalendarVersion != d.CalendarVersion {
			t.Fatalf("ListVisits: %v, %+v", err, ds)
		}
		return d.PlanVersion, d.CalendarVersion
	}
	plan, cal := versions()

	for _, step := range []struct {
		name       string
		do         func() error
		plan, cals bool // whether each version moves
	}{
		{"record the notice", func() error {
			return st.RecordActual(ctx, id, 0, visit.Actual{Code: timeline.CodeNotice, Date: day("2025-05-12"), Time: "09:30"}, "Notice", lead)
		}, true, false},
		{"set a date by hand", func() error {
			return st.SetOverride(ctx, id, 0, visit.Override{Code: timeline.CodeDraftLetter, Date: day("2025-06-10"), Reason: "Agreed"}, "Draft", history.Span{}, lead)
		}, true, false},
		{"clear it", func() error { return st.ClearOverride(ctx, id, 0, timeline.CodeDraftLetter, "Draft", lead) }, true, false},
		{"edit the team only", func() error {
			return st.UpdateVisit(ctx, id, 0, store.UpdateVisit{AnchorCode: timeline.CodeNotice, AnchorDate: day("2025-05-12"), Members: members}, lead)
		}, false, false},
		{"record telling the chief executive", func() error {
			return st.RecordCEOTold(ctx, id, visit.CEOTold{}, lead)
		}, false, false},
		{"ask for a deferral", func() error {
			_, err := st.CreateDeferral(ctx, store.NewDeferral{VisitID: id, RequestedBy: "Cafcass", RequestedOn: day("2025-05-13"), Reason: "Illness"}, lead)
			return err
		}, true, false},
		{"move the anchor", func() error {
			return st.UpdateVisit(ctx, id, 0, store.UpdateVisit{AnchorCode: timeline.CodeNotice, AnchorDate: day("2025-05-19"), PlanFromAnchor: true}, lead)
		}, true, false},
		{"mark a priority action", func() error {
			return st.UpdateVisit(ctx, id, 0, store.UpdateVisit{AnchorCode: timeline.CodeNotice, AnchorDate: day("2025-05-19"), PriorityAction: true}, lead)
		}, true, false},
		{"remove a record", func() error { return st.ClearActual(ctx, id, 0, timeline.CodeNotice, "Notice", lead) }, true, false},
		{"close a day", func() error { return st.CloseDay(ctx, day("2025-05-30"), "Office move", lead, nil, 0) }, false, true},
		{"close another", func() error { return st.AddClosureDay(ctx, day("2025-06-02"), "Office move", lead.ID) }, false, true},
		{"reopen one", func() error { return st.ReopenDay(ctx, day("2025-05-30"), "Moved", lead, nil, 0) }, false, true},
		// A change recorded by plain SQL, as no store method does: the
		// calendar's kept state counts it (migration 00048).
		{"record a change alone", func() error {
			_, err := pool.Exec(ctx, `INSERT INTO closure_day_changes (day, change, reason, why, visits_moved, changed_by)
				VALUES ('2025-06-02', 'added', 'Office move', '', 0, $1)`, lead.ID)
			return err
		}, false, true},
		{"cancel", func() error { return st.CancelVisit(ctx, id, 0, visit.Cancellation{Reason: "No longer needed"}, lead) }, false, false},
	} {
		if err := step.do(); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		p, c := versions()
		if moved := p != plan; moved != step.plan {
			t.Errorf("%s: plan version %d → %d, want moved %v", step.name, plan, p, step.plan)
		}
		if moved := c != cal; moved != step.cals {
			t.Errorf("%s: calendar version %d → %d, want moved %v", step.name, cal, c, step.cals)
		}
		plan, cal = p, c
	}

	cs, err := st.CalendarClosures(ctx)
	if err != nil || cs.Version != cal || len(cs.Closures) != 1 || cs.Closures[0].Date != day("2025-06-02") {
		t.Errorf("CalendarClosures = %+v, %v; want version %d and Mon 2 Jun 2025", cs, err, cal)
	}
	// The day closed and reopened, and the change recorded alone, are
	// counted; the day added without a record (AddClosureDay) only moves
	// the version.
	if cs.Changes != 3 || cs.LastChange.IsZero() {
		t.Errorf("CalendarClosures: %d changes, last %v; want 3, set", cs.Changes, cs.LastChange)
	}
}

// TestClashCandidates: the clash check's candidates are the active visits
// planned from a date in the window that share a lead or team inspector,
// each with its inspectors, which follow its team as it changes.
func TestClashCandidates(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := store.New(dbtest.New(t))
	var us []user.User
	for i, r := range []user.Role{user.LeadInspector, user.TeamInspector, user.TeamInspector, user.QAM} {
		u, err := st.CreateUser(ctx, user.New{Email: fmt.Sprintf("u%d@example.gov.uk", i), Name: fmt.Sprintf("U%d", i), Role: r}, "x")
		if err != nil {
			t.Fatal(err)
		}
		us = append(us, u)
	}
	lead, a, b, qam := us[0], us[1], us[2], us[3]
	create := func(anchor string, ms ...visit.Member) int64 {
		t.Helper()
		day, _ := workday.ParseDate(anchor)
		id, err := st.CreateVisit(ctx, store.NewVisit{TemplateID: timeline.FocusedVisit, TemplateVersion: "2021-03-17",
			AnchorCode: timeline.CodeNotice, AnchorDate: day, Members: ms}, lead)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	mine := create("2025-05-12", visit.Member{UserID: lead.ID, Role: visit.RoleLead}, visit.Member{UserID: a.ID, Role: visit.RoleTeam})
	other := create("2025-05-19", visit.Member{UserID: b.ID, Role: visit.RoleLead}, visit.Member{UserID: a.ID, Role: visit.RoleTeam},
		visit.Member{UserID: qam.ID, Role: visit.RoleQAM})
	create("2024-05-19", visit.Member{UserID: a.ID, Role: visit.RoleTeam}) // long before
	from, to := workday.NewDate(2025, 2, 1), workday.NewDate(2025, 8, 1)
	candidates := func() []store.ClashCandidate {
		t.Helper()
		cs, err := st.ListClashCandidates(ctx, []int64{lead.ID, a.ID}, mine, from, to)
		if err != nil {
			t.Fatal(err)
		}
		return cs
	}
	cs := candidates()
	if len(cs) != 1 || cs[0].ID != other || !slices.Equal(cs[0].InspectorIDs, []int64{a.ID, b.ID}) {
		t.Fatalf("candidates %+v, want visit %d with inspectors %d and %d", cs, other, a.ID, b.ID)
	}
	// The inspector leaves the other visit's team: no candidate.
	day, _ := workday.ParseDate("2025-05-19")
	if err := st.UpdateVisit(ctx, other, 0, store.UpdateVisit{AnchorCode: timeline.CodeNotice, AnchorDate: day,
		Members: []visit.Member{{UserID: b.ID, Role: visit.RoleLead}, {UserID: a.ID, Role: visit.RoleQAM}}}, lead); err != nil {
		t.Fatal(err)
	}
	if cs := candidates(); len(cs) != 0 {
		t.Errorf("candidates %+v after the inspector left the team", cs)
	}
}

package demo_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/annexa"
	"github.com/ofsted/focusedvisits/internal/dbtest"
	"github.com/ofsted/focusedvisits/internal/demo"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/workday"
)

const seedPassword = "seed test password, not a secret"

// TestSeedTeam creates the users and checks each can sign in with the one
// password, in the role named.
func TestSeedTeam(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := store.New(dbtest.New(t))
	team, err := demo.SeedTeam(ctx, st, demo.TeamOptions{Leads: 3, Inspectors: 2, Password: seedPassword})
	if err != nil {
		t.Fatal(err)
	}
	if len(team.Leads) != 3 || len(team.Inspectors) != 2 {
		t.Fatalf("%d leads and %d inspectors, want 3 and 2", len(team.Leads), len(team.Inspectors))
	}
	emails := team.Emails()
	if len(emails) != 3+2+4 {
		t.Errorf("%d emails, want 9: %v", len(emails), emails)
	}
	want := map[string]user.Role{"lead3@ofsted.example": user.LeadInspector, "inspector2@ofsted.example": user.TeamInspector,
		"qam@ofsted.example": user.QAM, "sao@ofsted.example": user.SAO, "ceo@cafcass.example": user.CafcassCEO, "deputy@cafcass.example": user.CafcassDeputy}
	for email, role := range want {
		u, hash, err := st.GetUserForSignIn(ctx, email)
		if err != nil {
			t.Fatalf("%s: %v", email, err)
		}
		if u.Role != role {
			t.Errorf("%s is %v, want %v", email, u.Role, role)
		}
		if ok, err := user.CheckPasswordHash(hash, seedPassword); err != nil || !ok {
			t.Errorf("%s: the password does not match (%v)", email, err)
		}
	}
	if _, err := demo.SeedTeam(ctx, st, demo.TeamOptions{Leads: 1}); err == nil {
		t.Error("SeedTeam without a password: no error")
	}
}

// TestSeedVisitsSpread checks every lead leads their visits, spread either
// side of today, with what has passed recorded.
func TestSeedVisitsSpread(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := store.New(dbtest.New(t))
	today := workday.NewDate(2026, time.March, 16)
	team, err := demo.SeedTeam(ctx, st, demo.TeamOptions{Leads: 2, Inspectors: 5, Password: seedPassword})
	if err != nil {
		t.Fatal(err)
	}
	byLead, err := demo.SeedVisits(ctx, st, team, demo.VisitOptions{PerLead: 8, Today: today, Schedule: demo.Spread})
	if err != nil {
		t.Fatal(err)
	}
	if len(byLead) != 2 {
		t.Fatalf("visits for %d leads, want 2", len(byLead))
	}
	cal := workday.EnglandAndWales()
	past, future, recorded, priority := 0, 0, 0, 0
	for li, vs := range byLead {
		if len(vs) != 8 {
			t.Fatalf("lead %d leads %d visits, want 8", li+1, len(vs))
		}
		listed, err := st.ListVisitsFor(ctx, team.Leads[li])
		if err != nil {
			t.Fatal(err)
		}
		if len(listed) != 8 {
			t.Errorf("lead %d sees %d visits, want 8", li+1, len(listed))
		}
		for _, v := range vs {
			if v.Lead.ID != team.Leads[li].ID || v.Code != timeline.CodeChildData || v.PublicID == "" {
				t.Errorf("visit %d: lead %d, code %q, public id %q", v.ID, v.Lead.ID, v.Code, v.PublicID)
			}
			d, err := st.GetVisit(ctx, v.ID)
			if err != nil {
				t.Fatal(err)
			}
			if len(d.Members) != 7 {
				t.Errorf("visit %d has %d members, want 7 (lead, 2 team, QAM, SAO, 2 Cafcass)", v.ID, len(d.Members))
			}
			p, err := d.Plan(cal, time.UTC, nil)
			if err != nil {
				t.Fatal(err)
			}
			m, _ := p.Milestone(timeline.CodeChildData)
			if m.First() != v.Date {
				t.Errorf("visit %d: child-level data planned %v, seeded %v", v.ID, m.First(), v.Date)
			}
			if d.AnchorDate.Before(today) {
				past++
				if _, ok := d.Actual(timeline.CodeNotice); ok {
					recorded++
				}
			} else {
				future++
				if _, ok := d.Actual(timeline.CodeNotice); ok {
					t.Errorf("visit %d: notice %v after today recorded", v.ID, d.AnchorDate)
				}
			}
			if d.PriorityAction {
				priority++
			}
		}
	}
	if past == 0 || future == 0 || recorded != past {
		t.Errorf("%d visits before today (%d with notice recorded), %d after: want both, every past notice recorded", past, recorded, future)
	}
	if priority != 4 { // one in five of 16: visits 0, 5, 10, 15
		t.Errorf("%d visits with a priority action, want 4", priority)
	}
}

// TestSeedVisitsAhead checks the fault test's schedule: all ahead of
// today, nothing recorded.
func TestSeedVisitsAhead(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := store.New(dbtest.New(t))
	today := workday.NewDate(2026, time.March, 16)
	team, err := demo.SeedTeam(ctx, st, demo.TeamOptions{Leads: 2, Password: seedPassword})
	if err != nil {
		t.Fatal(err)
	}
	byLead, err := demo.SeedVisits(ctx, st, team, demo.VisitOptions{PerLead: 3, Today: today, Schedule: demo.Ahead, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	cal := workday.EnglandAndWales()
	for li, vs := range byLead {
		for j, v := range vs {
			d, err := st.GetVisit(ctx, v.ID)
			if err != nil {
				t.Fatal(err)
			}
			want, _ := cal.Add(today, 10+li+7*j)
			if d.AnchorDate != want {
				t.Errorf("lead %d visit %d: notice %v, want %v", li+1, j+1, d.AnchorDate, want)
			}
			if len(d.Actuals) != 0 {
				t.Errorf("visit %d: %d steps recorded, want none", v.ID, len(d.Actuals))
			}
			if len(d.Members) != 5 {
				t.Errorf("visit %d has %d members, want 5 (no team inspectors)", v.ID, len(d.Members))
			}
		}
	}
}

// TestSeedLeads: each lead's sign-in comes with the visits they lead.
func TestSeedLeads(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := store.New(dbtest.New(t))
	leads, err := demo.SeedLeads(ctx, st, demo.TeamOptions{Leads: 2, Password: seedPassword},
		demo.VisitOptions{PerLead: 2, Today: workday.NewDate(2026, time.March, 16), Schedule: demo.Ahead, Workers: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(leads) != 2 {
		t.Fatalf("%d leads, want 2", len(leads))
	}
	for i, l := range leads {
		if want := fmt.Sprintf("lead%d@ofsted.example", i+1); l.Email != want || len(l.Visits) != 2 {
			t.Errorf("lead %d: %s with %d visits, want %s with 2", i+1, l.Email, len(l.Visits), want)
		}
		for _, v := range l.Visits {
			if v.Lead.Email != l.Email || v.PublicID == "" {
				t.Errorf("%s: visit %+v", l.Email, v)
			}
		}
	}
	if _, err := demo.SeedLeads(ctx, st, demo.TeamOptions{Leads: 1}, demo.VisitOptions{PerLead: 1}); err == nil {
		t.Error("SeedLeads without a password: no error")
	}
}

// TestSeedChildListVisit checks the visit is notified and has its
// child-level list item.
func TestSeedChildListVisit(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := store.New(dbtest.New(t))
	today := workday.NewDate(2026, time.March, 16)
	team, err := demo.SeedTeam(ctx, st, demo.TeamOptions{Leads: 1, Password: seedPassword})
	if err != nil {
		t.Fatal(err)
	}
	c, err := demo.SeedChildListVisit(ctx, st, team.Leads[0], team.CEO, today)
	if err != nil {
		t.Fatal(err)
	}
	if c.Item.Kind != annexa.ChildList || c.Item.VisitID != c.VisitID || c.Item.PublicID == "" {
		t.Errorf("item %+v: want the visit's child-level list", c.Item)
	}
	d, err := st.GetVisit(ctx, c.VisitID)
	if err != nil {
		t.Fatal(err)
	}
	if a, ok := d.Actual(timeline.CodeNotice); !ok || a.Date != c.Notice {
		t.Errorf("notice recorded %v (%v), want %v", a.Date, ok, c.Notice)
	}
	if want, _ := workday.EnglandAndWales().Add(today, -5); c.Notice != want {
		t.Errorf("notice %v, want %v", c.Notice, want)
	}
	items, err := st.ListItems(ctx, c.VisitID)
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != len(annexa.Latest().Items) {
		t.Errorf("%d items requested, want the whole Annex A (%d)", len(items), len(annexa.Latest().Items))
	}
	seen, err := st.ListVisitsFor(ctx, team.CEO)
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != 1 || seen[0].ID != c.VisitID {
		t.Errorf("the Cafcass chief executive sees %d visits, want this one", len(seen))
	}
}

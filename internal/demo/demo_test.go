package demo_test

import (
	"context"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/dbtest"
	"github.com/ofsted/focusedvisits/internal/demo"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// TestLoadAt loads the demo data and checks it shows visits at every stage.
func TestLoadAt(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := store.New(dbtest.New(t))
	today := workday.NewDate(2026, time.November, 23)
	creds, err := demo.LoadAt(ctx, st, today)
	if err != nil {
		t.Fatal(err)
	}
	if len(creds) != len(demo.People) {
		t.Errorf("%d credentials, want %d", len(creds), len(demo.People))
	}
	roles := map[user.Role]bool{}
	for _, c := range creds {
		roles[c.Role] = true
	}
	if len(roles) != len(user.Roles) {
		t.Errorf("credentials for %d roles, want every one of %d", len(roles), len(user.Roles))
	}
	admin, _, err := st.GetUserForSignIn(ctx, "admin@ofsted.example")
	if err != nil {
		t.Fatal(err)
	}
	visits, err := st.ListVisitsFor(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	stages := map[string]bool{}
	cal := workday.EnglandAndWales()
	for _, d := range visits {
		p, err := d.Plan(cal, time.UTC, nil)
		if err != nil {
			t.Fatal(err)
		}
		stages[visit.Stage(d, p, today)] = true
	}
	for _, want := range []string{"Planned, notice not given", "Notice given", "Fieldwork", "Awaiting the letter", "Draft letter sent"} {
		if !stages[want] {
			t.Errorf("no demo visit at stage %q (have %v)", want, stages)
		}
	}
	// The Cafcass chief executive sees only the notified visits.
	ceo, _, err := st.GetUserForSignIn(ctx, "ceo@cafcass.example")
	if err != nil {
		t.Fatal(err)
	}
	seen, err := st.ListVisitsFor(ctx, ceo)
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) != len(visits)-1 {
		t.Errorf("Cafcass sees %d of %d visits, want all but the one not yet notified", len(seen), len(visits))
	}
}

package demo

import (
	"context"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/annexa"
	"github.com/ofsted/focusedvisits/internal/dbtest"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

func TestLoadRequests(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := store.New(dbtest.New(t))
	users := map[user.Role][]user.User{}
	for _, p := range People {
		u, err := st.CreateUser(ctx, user.New{Email: p.Email, Name: p.Name, Role: p.Role}, "x")
		if err != nil {
			t.Fatal(err)
		}
		users[p.Role] = append(users[p.Role], u)
	}
	notice := workday.NewDate(2026, time.November, 19) // Thu; today, Mon 23 Nov, is day 3
	id, err := st.CreateVisit(ctx, store.NewVisit{
		TemplateID: timeline.FocusedVisit, TemplateVersion: "2021-03-17", AnchorCode: timeline.CodeNotice, AnchorDate: notice,
		Members: []visit.Member{
			{UserID: users[user.LeadInspector][0].ID, Role: visit.RoleLead},
			{UserID: users[user.SAO][0].ID, Role: visit.RoleSAO},
			{UserID: users[user.CafcassCEO][0].ID, Role: visit.RoleCafcass},
		},
	}, users[user.LeadInspector][0])
	if err != nil {
		t.Fatal(err)
	}
	err = st.WithTx(ctx, func(tx *store.Store) error { return loadRequests(ctx, tx, id, notice, users) })
	if err != nil {
		t.Fatal(err)
	}
	items, err := st.ListItems(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	d, err := st.GetVisit(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	plan, err := d.Dates(workday.EnglandAndWales(), time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	now := workday.NewDate(2026, time.November, 23).At(10, 0, 0, 0, time.UTC)
	count := map[annexa.Status]int{}
	overdue := 0
	for _, it := range items {
		count[it.Status]++
		if annexa.Overdue(it.Status, workday.EndOfDay(plan.Days[it.DueDay-1], time.UTC), now) {
			overdue++
		}
	}
	if count[annexa.Submitted] < 2 || count[annexa.Accepted] != 1 || count[annexa.Returned] != 1 || count[annexa.NotHeld] != 1 || overdue < 1 {
		t.Errorf("statuses %v, %d overdue", count, overdue)
	}
}

package demo

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/annexa"
	"github.com/ofsted/focusedvisits/internal/dbtest"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// TestLoadChildList: the notice-week visit's child-level list is rejected
// with errors and queries of every kind the demo means to show, and no rows.
func TestLoadChildList(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := store.New(dbtest.New(t))
	today := workday.NewDate(2026, time.November, 23)
	if _, err := LoadAt(ctx, st, today); err != nil {
		t.Fatal(err)
	}
	users := map[user.Role][]user.User{}
	for _, p := range People {
		u, _, err := st.GetUserForSignIn(ctx, p.Email)
		if err != nil {
			t.Fatal(err)
		}
		users[p.Role] = append(users[p.Role], u)
	}
	visits, err := st.ListVisitsFor(ctx, users[user.Admin][0])
	if err != nil {
		t.Fatal(err)
	}
	cal := workday.EnglandAndWales()
	var d visit.Details
	for _, v := range visits {
		p, err := v.Plan(cal, time.UTC, nil)
		if err != nil {
			t.Fatal(err)
		}
		if visit.Stage(v, p, today) == "Notice given" {
			d = v
		}
	}
	if d.ID == 0 {
		t.Fatal("no visit in its notice week")
	}
	if err := st.WithTx(ctx, func(tx *store.Store) error {
		return loadChildList(ctx, tx, d.ID, d.AnchorDate, today, users)
	}); err != nil {
		t.Fatal(err)
	}
	items, err := st.ListItems(ctx, d.ID)
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(items, func(it store.RequestItem) bool { return it.Kind == annexa.ChildList })
	l, err := st.LatestChildList(ctx, d.ID, items[i].ID)
	if err != nil {
		t.Fatal(err)
	}
	if l.Accepted() || l.RowCount != 11 || l.ErrorCount != 4 || l.QueryCount != 5 {
		t.Errorf("list %+v", l)
	}
	issues, err := st.ChildListIssues(ctx, l.ID)
	if err != nil {
		t.Fatal(err)
	}
	var codes []string
	for _, is := range issues {
		codes = append(codes, is.Code)
	}
	want := []string{"law_type", "date", "dob_future", "end_before_start", "end_outside_cover", "over_18", "public_no_la", "end_outside_cover", "duplicate"}
	if !slices.Equal(codes, want) {
		t.Errorf("issues %v, want %v", codes, want)
	}
	if n, err := st.ChildRowCount(ctx, d.ID); err != nil || n != 0 {
		t.Errorf("%d rows stored, %v", n, err)
	}
}

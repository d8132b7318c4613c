package demo

import (
	"context"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/dbtest"
	"github.com/ofsted/focusedvisits/internal/letter"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

func TestLoadLetters(t *testing.T) {
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
	lead := users[user.LeadInspector][0]
	today := workday.NewDate(2026, time.November, 23)
	newVisit := func() int64 {
		id, err := st.CreateVisit(ctx, store.NewVisit{
			TemplateID: timeline.FocusedVisit, TemplateVersion: "2021-03-17", AnchorCode: timeline.CodeNotice, AnchorDate: workday.NewDate(2026, time.October, 19),
			Members: []visit.Member{{UserID: lead.ID, Role: visit.RoleLead}, {UserID: users[user.QAM][0].ID, Role: visit.RoleQAM}},
		}, lead)
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	awaiting, sent, planned := newVisit(), newVisit(), newVisit()
	for id, stage := range map[int64]string{awaiting: "awaiting the letter", sent: "draft letter sent, priority action", planned: "planned, notice not given"} {
		if err := st.WithTx(ctx, func(tx *store.Store) error { return loadLetters(ctx, tx, stage, id, today, users) }); err != nil {
			t.Fatalf("%s: %v", stage, err)
		}
	}

	l, err := st.GetLetter(ctx, awaiting)
	if err != nil || l.State != letter.InQA || l.CurrentVersion != 2 {
		t.Fatalf("awaiting the letter: %+v, %v", l, err)
	}
	qa, _ := st.ListQAComments(ctx, l.ID)
	if len(qa) != 1 || qa[0].Version != 1 || qa[0].Resolved() {
		t.Errorf("QA comments = %+v", qa)
	}

	l, err = st.GetLetter(ctx, sent)
	if err != nil || l.State != letter.DraftSent || !l.PriorityAction || l.SentDraftVersion != 1 || !l.Approved() {
		t.Fatalf("draft sent: %+v, %v", l, err)
	}
	mods, _ := st.ListModerations(ctx, l.ID)
	if len(mods) != 1 || mods[0].Outcome != letter.Agreed {
		t.Errorf("moderations = %+v", mods)
	}
	d, _ := st.GetVisit(ctx, sent)
	if a, ok := d.Actual(timeline.CodeDraftLetter); !ok || a.Date != today {
		t.Errorf("draft sent actual = %+v, %v", a, ok)
	}

	if _, err := st.GetLetter(ctx, planned); err == nil {
		t.Error("a visit before fieldwork has a letter")
	}
}

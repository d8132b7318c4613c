package store_test

import (
	"context"
	"errors"
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

func TestLetterLifecycle(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := store.New(dbtest.New(t))
	lead, err := st.CreateUser(ctx, user.New{Email: "lead@example.gov.uk", Name: "Lena Lead", Role: user.LeadInspector}, "x")
	if err != nil {
		t.Fatal(err)
	}
	qam, err := st.CreateUser(ctx, user.New{Email: "qam@example.gov.uk", Name: "Quinn QAM", Role: user.QAM}, "x")
	if err != nil {
		t.Fatal(err)
	}
	vid, err := st.CreateVisit(ctx, store.NewVisit{
		TemplateID: timeline.FocusedVisit, TemplateVersion: "2021-03-17", AnchorCode: "notice",
		AnchorDate: workday.NewDate(2025, 5, 12),
		Members:    []visit.Member{{UserID: lead.ID, Role: visit.RoleLead}, {UserID: qam.ID, Role: visit.RoleQAM}},
	}, lead)
	if err != nil {
		t.Fatal(err)
	}

	if _, err := st.GetLetter(ctx, vid); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("GetLetter before any save = %v, want ErrNotFound", err)
	}
	c := letter.Content{
		Sections: map[letter.Section]string{letter.Introduction: "We visited Cafcass."},
		Findings: []letter.Finding{
			{Kind: letter.KindStrength, Area: letter.PrivateLaw, Text: "Timely work before first hearings."},
			{Kind: letter.KindPriorityAction, Area: letter.PublicLaw, Text: "Guardians' caseloads."},
		},
	}
	n, err := st.SaveLetterVersion(ctx, vid, 0, c, letter.Drafting, lead)
	if err != nil || n != 1 {
		t.Fatalf("first save = %d, %v", n, err)
	}
	if _, err := st.SaveLetterVersion(ctx, vid, 0, c, letter.Drafting, lead); !errors.Is(err, store.ErrConflict) {
		t.Fatalf("save on a stale base = %v, want ErrConflict", err)
	}
	l, v, err := st.GetCurrentLetterVersion(ctx, vid)
	if err != nil {
		t.Fatal(err)
	}
	if l.CurrentVersion != 1 || !l.PriorityAction || l.State != letter.Drafting {
		t.Errorf("letter = %+v", l)
	}
	if v.Text(letter.Introduction) != "We visited Cafcass." || len(v.Findings) != 2 || v.Findings[1].Kind != letter.KindPriorityAction || v.AuthorName != "Lena Lead" {
		t.Errorf("version = %+v", v)
	}

	move := func(a letter.Action, from, to letter.State, by user.User) {
		t.Helper()
		if err := st.MoveLetter(ctx, vid, store.LetterMove{Action: a, From: from, To: to, Version: 1}, by); err != nil {
			t.Fatalf("%s: %v", a, err)
		}
	}
	move(letter.Submit, letter.Drafting, letter.InQA, lead)
	if err := st.MoveLetter(ctx, vid, store.LetterMove{Action: letter.Submit, From: letter.Drafting, To: letter.InQA}, lead); !errors.Is(err, store.ErrConflict) {
		t.Errorf("move from a state the letter has left = %v, want ErrConflict", err)
	}
	if err := st.ReturnLetter(ctx, vid, store.LetterMove{Action: letter.Return, From: letter.InQA, To: letter.Returned, Version: 1},
		[]store.NewQAComment{{Section: letter.Introduction, Comment: "Name the service areas."}}, qam); err != nil {
		t.Fatal(err)
	}
	l, _ = st.GetLetter(ctx, vid)
	qa, err := st.ListQAComments(ctx, l.ID)
	if err != nil || len(qa) != 1 || qa[0].Resolved() || qa[0].Section != letter.Introduction {
		t.Fatalf("QA comments = %+v, %v", qa, err)
	}
	move(letter.Submit, letter.Returned, letter.InQA, lead)
	move(letter.Approve, letter.InQA, letter.InModeration, qam)
	l, _ = st.GetLetter(ctx, vid)
	if !l.Approved() || l.ApprovedBy != "Quinn QAM" {
		t.Errorf("after approval: %+v", l)
	}
	if qa, _ := st.ListQAComments(ctx, l.ID); !qa[0].Resolved() {
		t.Errorf("approval leaves QA comments open")
	}

	told := time.Date(2025, 6, 20, 10, 0, 0, 0, time.UTC)
	mod := letter.Moderation{Outcome: letter.Agreed, Notes: "Priority action well evidenced.",
		DateChanges:   []letter.DateChange{{Code: timeline.CodeFinalLetter, Label: "Final letter sent", New: workday.NewDate(2025, 7, 30)}},
		CEOToldMethod: letter.ToldByEmail, CEOToldAt: told}
	if err := st.RecordModeration(ctx, vid, store.LetterMove{Action: letter.Moderate, From: letter.InModeration, To: letter.Moderated, Version: 1}, mod, qam); err != nil {
		t.Fatal(err)
	}
	mods, err := st.ListModerations(ctx, l.ID)
	if err != nil || len(mods) != 1 || mods[0].CEOToldMethod != letter.ToldByEmail || len(mods[0].DateChanges) != 1 {
		t.Fatalf("moderations = %+v, %v", mods, err)
	}
	d, _ := st.GetVisit(ctx, vid)
	if o, ok := d.Override(timeline.CodeFinalLetter); !ok || o.Date != workday.NewDate(2025, 7, 30) {
		t.Errorf("override of the final = %+v, %v", o, ok)
	}

	sent := workday.NewDate(2025, 6, 23)
	if err := st.SendDraftLetter(ctx, vid, store.LetterMove{Action: letter.SendDraft, From: letter.Moderated, To: letter.DraftSent, Version: 1}, sent, lead); err != nil {
		t.Fatal(err)
	}
	l, _ = st.GetLetter(ctx, vid)
	d, _ = st.GetVisit(ctx, vid)
	if a, ok := d.Actual(timeline.CodeDraftLetter); !ok || a.Date != sent {
		t.Errorf("draft sent actual = %+v, %v", a, ok)
	}
	if l.State != letter.DraftSent || l.SentDraftVersion != 1 || !d.PriorityAction {
		t.Errorf("after sending: letter %+v, visit priority action %v", l, d.PriorityAction)
	}
	// The final is prepared as new versions; the sent draft stays frozen.
	if _, err := st.SaveLetterVersion(ctx, vid, 1, c, letter.DraftSent, lead); err != nil {
		t.Fatal(err)
	}
	l, _ = st.GetLetter(ctx, vid)
	if l.SentDraftVersion != 1 || l.CurrentVersion != 2 {
		t.Errorf("after saving the final: %+v", l)
	}
	vs, err := st.ListLetterVersions(ctx, l)
	if err != nil || len(vs) != 2 || vs[1].Number != 1 {
		t.Fatalf("versions = %+v, %v", vs, err)
	}
	if want := []string{"Approved by QA", "Moderated", "Sent as the draft"}; len(vs[1].Marks) != 3 || vs[1].Marks[0] != want[0] || vs[1].Marks[2] != want[2] {
		t.Errorf("marks of version 1 = %q", vs[1].Marks)
	}
	events, _ := st.ListEvents(ctx, vid)
	seen := map[string]bool{}
	for _, e := range events {
		seen[e.Words().Action] = true
	}
	for _, a := range []letter.Action{letter.Save, letter.Submit, letter.Return, letter.Approve, letter.Moderate, letter.SendDraft} {
		if !seen[a.Label()] {
			t.Errorf("history lacks %q", a.Label())
		}
	}
}

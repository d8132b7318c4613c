package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/ofsted/focusedvisits/internal/annexa"
	"github.com/ofsted/focusedvisits/internal/dbtest"
	"github.com/ofsted/focusedvisits/internal/letter"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/tasks"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// TestLoadTaskFacts: the facts of several visits at once, only those the
// asker needs, and a letter's area for priority action moderated or not
// after a later version.
func TestLoadTaskFacts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := store.New(dbtest.New(t))
	add := func(email string, r user.Role) user.User {
		u, err := st.CreateUser(ctx, user.New{Email: email, Name: email, Role: r}, "x")
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	lead, qam, mod, ceo := add("lead@example.gov.uk", user.LeadInspector), add("qam@example.gov.uk", user.QAM),
		add("mod@example.gov.uk", user.QAM), add("ceo@example.gov.uk", user.CafcassCEO)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	newVisit := func() int64 {
		id, err := st.CreateVisit(ctx, store.NewVisit{TemplateID: timeline.FocusedVisit, TemplateVersion: "2021-03-17", AnchorCode: timeline.CodeNotice,
			AnchorDate: workday.NewDate(2025, time.April, 14), PriorityAction: true,
			Members: []visit.Member{{UserID: lead.ID, Role: visit.RoleLead}, {UserID: qam.ID, Role: visit.RoleQAM},
				{UserID: mod.ID, Role: visit.RoleModerator}, {UserID: ceo.ID, Role: visit.RoleCafcass}}}, lead)
		must(err)
		return id
	}
	// A letter with an area for priority action, moderated and sent as the
	// draft; then version 2, changing the priority action (reworded) or not.
	letterAt := func(id int64, reworded bool) {
		c := letter.Content{Sections: map[letter.Section]string{letter.Introduction: "Intro"},
			Findings: []letter.Finding{{Kind: letter.KindPriorityAction, Area: letter.PublicLaw, Text: "Caseloads are too high."}}}
		_, err := st.SaveLetterVersion(ctx, id, 0, c, letter.Drafting, lead)
		must(err)
		must(st.MoveLetter(ctx, id, store.LetterMove{Action: letter.Submit, From: letter.Drafting, To: letter.InQA, Version: 1}, lead))
		must(st.MoveLetter(ctx, id, store.LetterMove{Action: letter.Approve, From: letter.InQA, To: letter.InModeration, Version: 1}, qam))
		must(st.RecordModeration(ctx, id, store.LetterMove{Action: letter.Moderate, From: letter.InModeration, To: letter.Moderated, Version: 1},
			letter.Moderation{Outcome: letter.Agreed}, mod))
		must(st.SendDraftLetter(ctx, id, store.LetterMove{Action: letter.SendDraft, From: letter.Moderated, To: letter.DraftSent, Version: 1},
			workday.NewDate(2025, time.May, 12), lead))
		c.Sections[letter.Introduction] = "A better introduction."
		if reworded {
			c.Findings[0].Text = "Caseloads are far too high."
		}
		_, err = st.SaveLetterVersion(ctx, id, 1, c, letter.DraftSent, lead)
		must(err)
	}
	same, reworded, bare := newVisit(), newVisit(), newVisit()
	letterAt(same, false)
	letterAt(reworded, true)

	// The bare visit's request: 1.03 submitted, 1.01 accepted, the rest not
	// started; a question answered and one waiting.
	var picks []store.Pick
	for _, it := range annexa.Latest().Items {
		picks = append(picks, store.Pick{Number: it.Number, DueDay: it.DueDay})
	}
	_, err := st.SetRequest(ctx, bare, annexa.Current, picks, lead)
	must(err)
	items, err := st.ListItems(ctx, bare)
	must(err)
	byNumber := map[string]store.RequestItem{}
	for _, it := range items {
		byNumber[it.Number] = it
	}
	for _, n := range []string{"1.01", "1.03"} {
		_, err := st.SaveFile(ctx, store.NewFile{VisitID: bare, ItemID: byNumber[n].ID, Name: n + ".txt", OriginalName: n + ".txt", ContentType: "text/plain"},
			strings.NewReader("x\n"), ceo)
		must(err)
		must(st.SetItemStatus(ctx, byNumber[n].ID, annexa.InProgress, annexa.Submitted, "", ceo))
	}
	must(st.SetItemStatus(ctx, byNumber["1.01"].ID, annexa.Submitted, annexa.Accepted, "", lead))
	q, err := st.AskQuestion(ctx, byNumber["1.04"].ID, 0, "Which log?", ceo)
	must(err)
	must(st.AnswerQuestion(ctx, byNumber["1.04"].ID, q, "The summary.", lead))
	_, err = st.AskQuestion(ctx, byNumber["1.15"].ID, lead.ID, "Agency staff too?", ceo)
	must(err)

	ids := []int64{same, reworded, bare}
	f, err := st.LoadTaskFacts(ctx, ids, tasks.NeedsOf(user.LeadInspector))
	must(err)
	if l := f.Letters[same]; l.CurrentVersion != 2 || l.ModeratedVersion != 1 || !l.PriorityActionModerated || !onlyAuthor(l.Authors, lead.ID) {
		t.Errorf("letter whose priority action did not change: %+v", l)
	}
	if l := f.Letters[reworded]; l.PriorityActionModerated {
		t.Errorf("letter whose priority action was reworded counts as moderated: %+v", l)
	}
	if _, ok := f.Letters[bare]; ok {
		t.Error("a visit with no letter has one")
	}
	if got := f.Visits[bare]; got.Requested != len(picks) || got.Sent != 2 {
		t.Errorf("request %d items, %d sent; want %d and 2", got.Requested, got.Sent, len(picks))
	}
	var got []string
	for _, it := range f.Items[bare] {
		got = append(got, it.Number+" "+string(it.Status))
	}
	if diff := cmp.Diff([]string{"1.03 submitted"}, got); diff != "" {
		t.Errorf("items the lead may review (-want +got):\n%s", diff)
	}
	if qs := f.Questions[bare]; len(qs) != 1 || qs[0].Item.Number != "1.15" || qs[0].AddressedTo != lead.ID || qs[0].Answered {
		t.Errorf("questions waiting for an answer: %+v", qs)
	}
	// Cafcass's: the items still to send, and the answers.
	f, err = st.LoadTaskFacts(ctx, ids, tasks.NeedsOf(user.CafcassCEO))
	must(err)
	if n := len(f.Items[bare]); n != len(picks)-2 {
		t.Errorf("%d items for Cafcass to send, want %d", n, len(picks)-2)
	}
	if qs := f.Questions[bare]; len(qs) != 1 || qs[0].Item.Number != "1.04" || !qs[0].Answered {
		t.Errorf("answered questions: %+v", qs)
	}
	// No visits, no queries.
	if f, err := st.LoadTaskFacts(ctx, nil, tasks.NeedsOf(user.QAM)); err != nil || len(f.Visits) != 0 {
		t.Errorf("no visits: %+v, %v", f, err)
	}
}

// onlyAuthor reports whether want alone wrote the letter.
func onlyAuthor(ids []int64, want int64) bool { return len(ids) == 1 && ids[0] == want }

// TestLoadTaskFactsLeavesPlansAlone: LoadTaskFacts's statements run on
// generic plans from their first call (pg_prepared_statements counts
// them), and the setting lasts only for its own batch: the connection goes
// back to the pool planning as before.
func TestLoadTaskFactsLeavesPlansAlone(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, dbtest.URL(t)+"&pool_max_conns=1")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	st := store.New(pool)
	var before, after string
	if err := pool.QueryRow(ctx, `SHOW plan_cache_mode`).Scan(&before); err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if _, err := st.LoadTaskFacts(ctx, []int64{1, 2}, tasks.NeedsOf(user.LeadInspector)); err != nil {
			t.Fatal(err)
		}
	}
	if err := pool.QueryRow(ctx, `SHOW plan_cache_mode`).Scan(&after); err != nil || after != before {
		t.Errorf("plan_cache_mode after LoadTaskFacts: %q, %v; want %q as before", after, err, before)
	}
	// Left to itself PostgreSQL makes custom plans for a statement's first
	// five calls: none here.
	var generic, custom int
	err = pool.QueryRow(ctx, `SELECT COALESCE(sum(generic_plans), 0), COALESCE(sum(custom_plans), 0) FROM pg_prepared_statements
		WHERE statement LIKE '%FROM request_items i%'`).Scan(&generic, &custom)
	if err != nil || generic < 2 || custom != 0 {
		t.Errorf("LoadTaskFacts's items statements: %d generic plans, %d custom (%v); want 2 or more, 0", generic, custom, err)
	}
}

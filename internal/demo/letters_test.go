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
	if err != nil || l.State != letter.DraftSent || !l.PriorityAction || l.SentDraftVersion != 1 || l.ModeratedVersion != 1 || l.CurrentVersion != 2 {
		t.Fatalf("draft sent, then its priority action reworded: %+v, %v", l, err)
	}
	mods, _ := st.ListModerations(ctx, l.ID)
	if len(mods) != 1 || mods[0].Outcome != letter.Agreed {
		t.Errorf("moderations = %+v", mods)
	}
	// Its area for priority action rests on two evidence notes (issue 17.4).
	_, v, err := st.GetCurrentLetterVersion(ctx, sent)
	if err != nil {
		t.Fatal(err)
	}
	linked, err := st.ListFindingEvidence(ctx, l.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range v.Findings {
		if want := map[bool]int{true: 2}[f.Kind == letter.KindPriorityAction]; len(linked[f.ID]) != want {
			t.Errorf("%s finding rests on %d notes, want %d", f.Kind, len(linked[f.ID]), want)
		}
	}
	d, _ := st.GetVisit(ctx, sent)
	if a, ok := d.Actual(timeline.CodeDraftLetter); !ok || a.Date != today {
		t.Errorf("draft sent actual = %+v, %v", a, ok)
	}

	if _, err := st.GetLetter(ctx, planned); err == nil {
		t.Error("a visit before fieldwork has a letter")
	}
}

func TestLoadWholePath(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := store.New(dbtest.New(t))
	today := workday.NewDate(2026, time.November, 23)
	if _, err := LoadAt(ctx, st, today); err != nil {
		t.Fatal(err)
	}
	ps, err := st.ListPublications(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 {
		t.Fatalf("%d published letters, want 1", len(ps))
	}
	p := ps[0]
	// The Easter 2025 example of DOMAIN B.4.
	if p.PublishedOn != workday.NewDate(2025, time.June, 10) || p.Version != 3 || p.Title != "Focused visit to Cafcass, April 2025" {
		t.Errorf("publication = %+v", p)
	}
	// Published beside it: the summary for children and young people, and
	// the letter's header (issue 15.7, 17.7).
	if p.Summary != DemoChildrenSummary {
		t.Errorf("summary for children = %q, want the demo's", p.Summary)
	}
	if h := p.Header; h.VisitFrom.IsZero() || h.VisitTo.Before(h.VisitFrom) || h.Addressee == "" || h.Signatory == "" || h.SignatoryRole == "" {
		t.Errorf("header = %+v, want the visit's dates, its chief executive and its lead inspector", h)
	}
	if _, err := st.GetPublication(ctx, p.Slug); err != nil {
		t.Errorf("GetPublication(%q): %v", p.Slug, err)
	}

	admin, _, err := st.GetUserForSignIn(ctx, "admin@ofsted.example")
	if err != nil {
		t.Fatal(err)
	}
	visits, err := st.ListVisitsFor(ctx, admin)
	if err != nil {
		t.Fatal(err)
	}
	var published, held int
	for _, d := range visits {
		l, err := st.GetLetter(ctx, d.ID)
		if err != nil {
			continue
		}
		switch l.State {
		case letter.Published:
			published++
			if a, ok := d.Actual(timeline.CodeFinalLetter); !ok || a.Date != workday.NewDate(2025, time.May, 29) {
				t.Errorf("final sent = %+v, %v, want Thu 29 May 2025", a, ok)
			}
			sub, err := st.GetCommentSubmission(ctx, l.ID)
			if err != nil || sub.Comments != 1 || sub.Late {
				t.Errorf("comment submission = %+v, %v", sub, err)
			}
			cs, _ := st.ListLetterComments(ctx, l.ID)
			if len(cs) != 1 || !cs[0].Responded() {
				t.Errorf("comments = %+v", cs)
			}
		case letter.OnHold:
			held++
			cs, err := st.ListComplaints(ctx, l.ID)
			if err != nil || len(cs) != 1 || !cs[0].InTime || cs[0].Resolved() {
				t.Errorf("complaints = %+v, %v", cs, err)
			}
			cal := workday.EnglandAndWales()
			plan, err := d.Plan(cal, time.UTC, nil)
			if err != nil {
				t.Fatal(err)
			}
			if m, ok := plan.Milestone(timeline.CodePublication); !ok || !m.Date.Before(today) {
				t.Errorf("publication of the held letter = %+v, want before today", m)
			}
		}
	}
	if published != 1 || held != 1 {
		t.Errorf("%d published and %d held letters, want 1 and 1", published, held)
	}
}

func TestPublishedDemoBeforeEaster2025(t *testing.T) {
	t.Parallel()
	// Loaded for a day before the Easter example is over (as the browser
	// tests do), the published letter still lies in the past.
	ctx := context.Background()
	st := store.New(dbtest.New(t))
	today := workday.NewDate(2025, time.March, 3)
	if _, err := LoadAt(ctx, st, today); err != nil {
		t.Fatal(err)
	}
	ps, err := st.ListPublications(ctx, 0)
	if err != nil || len(ps) != 1 || !ps[0].PublishedOn.Before(today) {
		t.Fatalf("publications = %+v, %v", ps, err)
	}
}

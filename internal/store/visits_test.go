package store_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"testing"

	"github.com/ofsted/focusedvisits/internal/annexa"
	"github.com/ofsted/focusedvisits/internal/dbtest"
	"github.com/ofsted/focusedvisits/internal/publicid"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
	"github.com/ofsted/focusedvisits/migrations"
)

// TestGetVisitFor_AgreesWithCanSee checks that the filter the store applies
// in SQL (GetVisitFor, ListVisitsFor) and visit.CanSee give the same answer
// for every role, member or not, on visits before and after notice, active
// and cancelled: the rule is written once, in visit.VisibilityFor.
func TestGetVisitFor_AgreesWithCanSee(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := store.New(dbtest.New(t))
	var users []user.User
	for _, r := range user.Roles {
		for _, who := range []string{"on", "off"} {
			u, err := st.CreateUser(ctx, user.New{Email: fmt.Sprintf("%s-%s@example.gov.uk", r, who), Name: string(r) + " " + who, Role: r}, "x")
			if err != nil {
				t.Fatal(err)
			}
			users = append(users, u)
		}
	}
	// No one signed in: the zero user.
	users = append(users, user.User{})
	members := func(with func(user.User) bool) []visit.Member {
		var ms []visit.Member
		for _, u := range users {
			if u.ID == 0 || !with(u) {
				continue
			}
			role := map[user.Role]visit.MemberRole{
				user.Admin: visit.RoleLead, user.LeadInspector: visit.RoleLead, user.TeamInspector: visit.RoleTeam,
				user.QAM: visit.RoleQAM, user.SAO: visit.RoleSAO, user.CafcassCEO: visit.RoleCafcass, user.CafcassDeputy: visit.RoleCafcass,
			}[u.Role]
			ms = append(ms, visit.Member{UserID: u.ID, Role: role})
		}
		return ms
	}
	on := func(u user.User) bool { return strings.Contains(u.Email, "-on@") }
	lead := users[slices.IndexFunc(users, func(u user.User) bool { return u.Role == user.LeadInspector && on(u) })]
	var ids []int64
	for i, v := range []struct {
		notice, cancel bool
		team           func(user.User) bool
	}{
		{false, false, on},
		{true, false, on},
		{true, true, on},
		{false, true, on},
		{true, false, func(u user.User) bool { return u.ID == lead.ID }}, // no Cafcass member
	} {
		anchor := workday.NewDate(2025, 4, 14).AddDays(7 * i)
		id, err := st.CreateVisit(ctx, store.NewVisit{
			TemplateID: timeline.FocusedVisit, TemplateVersion: "2021-03-17", AnchorCode: "notice", AnchorDate: anchor,
			Members: members(v.team),
		}, lead)
		if err != nil {
			t.Fatal(err)
		}
		if v.notice {
			if err := st.RecordActual(ctx, id, 0, visit.Actual{Code: "notice", Date: anchor, Time: "09:00"}, "Notice call", lead); err != nil {
				t.Fatal(err)
			}
		}
		if v.cancel {
			if err := st.CancelVisit(ctx, id, 0, visit.Cancellation{Reason: "Test"}, lead); err != nil {
				t.Fatal(err)
			}
		}
		ids = append(ids, id)
	}

	seen := 0
	for _, u := range users {
		list, err := st.ListVisitsFor(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		for _, id := range ids {
			d, err := st.GetVisit(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			want := visit.CanSee(u, d)
			got, err := st.GetVisitFor(ctx, d.PublicID, u)
			switch {
			case want && err != nil:
				t.Errorf("%s (%s) on %s: CanSee, but GetVisitFor = %v", u.Email, u.Role, d.Reference, err)
			case !want && !errors.Is(err, store.ErrNotFound):
				t.Errorf("%s (%s) on %s: not CanSee, but GetVisitFor = %v", u.Email, u.Role, d.Reference, err)
			case want && (got.ID != d.ID || len(got.Members) != len(d.Members)):
				t.Errorf("%s on %s: GetVisitFor gave visit %d with %d members, want %d with %d", u.Email, d.Reference, got.ID, len(got.Members), d.ID, len(d.Members))
			}
			listed := slices.ContainsFunc(list, func(l visit.Details) bool { return l.ID == id })
			if listed != want {
				t.Errorf("%s (%s) on %s: ListVisitsFor lists it: %v, CanSee: %v", u.Email, u.Role, d.Reference, listed, want)
			}
			if want {
				seen++
			}
		}
		if _, err := st.GetVisitFor(ctx, publicid.New(), u); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s: a made-up id = %v, want ErrNotFound", u.Email, err)
		}
	}
	// The cases are not all one way.
	if total := len(users) * len(ids); seen == 0 || seen == total {
		t.Fatalf("%d of %d pairs visible: the test decides nothing", seen, total)
	}
}

// TestPublicIDs checks that every row a URL names gets a well-formed,
// distinct public id from the database (migration 00015, whose CHECK
// constraints use publicid.Pattern), and that the getters by public id find
// a row only within its own visit or letter.
func TestPublicIDs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	st := store.New(dbtest.New(t))

	sql, err := fs.ReadFile(migrations.FS, "00015_add_public_ids.sql")
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(string(sql), "'"+publicid.Pattern+"'"); n != 8 {
		t.Errorf("the migration checks publicid.Pattern on %d tables, want 8", n)
	}

	lead, err := st.CreateUser(ctx, user.New{Email: "lead@example.gov.uk", Name: "Lena Lead", Role: user.LeadInspector}, "x")
	if err != nil {
		t.Fatal(err)
	}
	ceo, err := st.CreateUser(ctx, user.New{Email: "ceo@example.gov.uk", Name: "Chris Chief", Role: user.CafcassCEO}, "x")
	if err != nil {
		t.Fatal(err)
	}
	var visits []visit.Details
	for i := range 2 {
		id, err := st.CreateVisit(ctx, store.NewVisit{
			TemplateID: timeline.FocusedVisit, TemplateVersion: "2021-03-17", AnchorCode: "notice",
			AnchorDate: workday.NewDate(2025, 4, 14).AddDays(14 * i),
			Members:    []visit.Member{{UserID: lead.ID, Role: visit.RoleLead}, {UserID: ceo.ID, Role: visit.RoleCafcass}},
		}, lead)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := st.SetRequest(ctx, id, annexa.Current, []store.Pick{{Number: "1.01", DueDay: 3}, {Number: "1.03", DueDay: 5}}, lead); err != nil {
			t.Fatal(err)
		}
		if _, err := st.CreateDeferral(ctx, store.NewDeferral{VisitID: id, RequestedBy: "Cafcass", RequestedOn: workday.NewDate(2025, 4, 14), Reason: "Away"}, lead); err != nil {
			t.Fatal(err)
		}
		d, err := st.GetVisit(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		visits = append(visits, d)
	}
	a, b := visits[0], visits[1]
	itemsA, err := st.ListItems(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	itemsB, err := st.ListItems(ctx, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	qid, err := st.AskQuestion(ctx, itemsA[0].ID, 0, "Which year?", ceo)
	if err != nil {
		t.Fatal(err)
	}
	f, err := st.SaveFile(ctx, store.NewFile{VisitID: a.ID, ItemID: itemsA[0].ID, Name: "1.01 policy.pdf", OriginalName: "policy.pdf", ContentType: "application/pdf"},
		bytes.NewReader([]byte("%PDF-1.4 policy")), ceo)
	if err != nil {
		t.Fatal(err)
	}
	dfA, err := st.ListDeferrals(ctx, a.ID)
	if err != nil {
		t.Fatal(err)
	}
	dfB, err := st.ListDeferrals(ctx, b.ID)
	if err != nil {
		t.Fatal(err)
	}

	ids := map[string]string{
		"visit A": a.PublicID, "visit B": b.PublicID, "question": qid, "file": f.PublicID,
		"deferral A": dfA[0].PublicID, "deferral B": dfB[0].PublicID,
	}
	for _, it := range append(itemsA, itemsB...) {
		ids["item "+it.Number+" of "+fmt.Sprint(it.VisitID)] = it.PublicID
	}
	seen := map[string]string{}
	for what, id := range ids {
		if !publicid.Valid(id) {
			t.Errorf("%s: public id %q is not well formed", what, id)
		}
		if other, dup := seen[id]; dup {
			t.Errorf("%s and %s share the public id %q", what, other, id)
		}
		seen[id] = what
	}

	// Found within their own visit, not through another.
	if got, err := st.GetItemByPublicID(ctx, a.ID, itemsA[0].PublicID); err != nil || got.ID != itemsA[0].ID {
		t.Errorf("item by public id = %+v, %v", got, err)
	}
	if _, err := st.GetItemByPublicID(ctx, b.ID, itemsA[0].PublicID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("A's item through B = %v, want ErrNotFound", err)
	}
	if got, err := st.GetFileByPublicID(ctx, a.ID, f.PublicID); err != nil || got.ID != f.ID {
		t.Errorf("file by public id = %+v, %v", got, err)
	}
	if _, err := st.GetFileByPublicID(ctx, b.ID, f.PublicID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("A's file through B = %v, want ErrNotFound", err)
	}
	if got, err := st.GetDeferralByPublicID(ctx, a.ID, dfA[0].PublicID); err != nil || got.ID != dfA[0].ID {
		t.Errorf("deferral by public id = %+v, %v", got, err)
	}
	if _, err := st.GetDeferralByPublicID(ctx, b.ID, dfA[0].PublicID); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("A's deferral through B = %v, want ErrNotFound", err)
	}
	if err := st.AnswerQuestion(ctx, itemsB[0].ID, qid, "2024", lead); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("answering A's question through B's item = %v, want ErrNotFound", err)
	}
	if err := st.AnswerQuestion(ctx, itemsA[0].ID, qid, "2024", lead); err != nil {
		t.Errorf("answer by public id: %v", err)
	}
}

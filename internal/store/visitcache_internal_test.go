package store

import (
	"context"
	"testing"

	"github.com/ofsted/focusedvisits/internal/dbtest"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// TestVisitsWhere_AllowsWhatItReadsInFull (DOMAIN decision 9): a visit
// read in full after the statement that found it is kept from the list if
// the filter no longer allows it, as when the notice is undone between
// the two. Here the first statement does not filter at all, which is the
// state the race leaves: the chief executive must still not get the visit.
func TestVisitsWhere_AllowsWhatItReadsInFull(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	s := New(dbtest.New(t))
	lead, err := s.CreateUser(ctx, user.New{Email: "lead@example.gov.uk", Name: "Lead", Role: user.LeadInspector}, "x")
	if err != nil {
		t.Fatal(err)
	}
	ceo, err := s.CreateUser(ctx, user.New{Email: "ceo@cafcass.example", Name: "CEO", Role: user.CafcassCEO}, "x")
	if err != nil {
		t.Fatal(err)
	}
	anchor, _ := workday.ParseDate("2026-12-07")
	id, err := s.CreateVisit(ctx, NewVisit{TemplateID: timeline.FocusedVisit, TemplateVersion: "2021-03-17",
		AnchorCode: timeline.CodeNotice, AnchorDate: anchor,
		Members: []visit.Member{{UserID: lead.ID, Role: visit.RoleLead}, {UserID: ceo.ID, Role: visit.RoleCafcass}}}, lead)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		who  user.User
		want int
	}{{ceo, 0}, {lead, 1}, {ceo, 0}} { // the last from memory
		ds, err := s.visitsWhere(ctx, visit.VisibilityFor(c.who), `WHERE v.id = $1`, []any{id}, "visit %d", id)
		if err != nil || len(ds) != c.want {
			t.Errorf("%s: %d visits, %v; want %d", c.who.Role, len(ds), err, c.want)
		}
	}
}

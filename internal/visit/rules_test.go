package visit_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
)

func TestCheck(t *testing.T) {
	t.Parallel()
	lead := user.User{ID: 1, Role: user.LeadInspector}
	otherLead := user.User{ID: 2, Role: user.LeadInspector}
	admin := user.User{ID: 3, Role: user.Admin}
	qam := user.User{ID: 4, Role: user.QAM}
	ceo := user.User{ID: 5, Role: user.CafcassCEO}
	members := []visit.Member{{UserID: 1, Role: visit.RoleLead}, {UserID: 4, Role: visit.RoleQAM}, {UserID: 5, Role: visit.RoleCafcass}}
	active := visit.Details{Visit: visit.Visit{Status: visit.Active}, Members: members}
	cancelled := visit.Details{Visit: visit.Visit{Status: visit.Cancelled}, Members: members}
	letterStep := timeline.Milestone{Code: timeline.CodeDraftLetter, RecordedBy: "letter"}
	notice := timeline.Milestone{Code: timeline.CodeNotice}
	fieldwork := timeline.Milestone{Code: timeline.CodeFieldwork}
	for _, tt := range []struct {
		name string
		a    visit.Action
		u    user.User
		d    visit.Details
		f    visit.Facts
		want error // nil, visit.ErrNotAllowed, ErrNotOffered or ErrCancelled
	}{
		{"lead edits", visit.EditVisit, lead, active, visit.Facts{}, nil},
		{"admin edits", visit.EditVisit, admin, active, visit.Facts{}, nil},
		{"another lead inspector may not edit", visit.EditVisit, otherLead, active, visit.Facts{}, visit.ErrNotAllowed},
		{"the QAM may not edit", visit.EditVisit, qam, active, visit.Facts{}, visit.ErrNotAllowed},
		{"Cafcass may not cancel", visit.CancelVisit, ceo, active, visit.Facts{}, visit.ErrNotAllowed},
		{"a cancelled visit may still be edited", visit.EditVisit, lead, cancelled, visit.Facts{}, nil},
		{"lead records notice", visit.RecordMilestone, lead, active, visit.Facts{Milestone: &notice}, nil},
		{"a letter step is not recorded on the timeline", visit.RecordMilestone, lead, active, visit.Facts{Milestone: &letterStep}, visit.ErrNotOffered},
		{"a letter step's date may be overridden", visit.OverrideMilestone, lead, active, visit.Facts{Milestone: &letterStep}, nil},
		{"nothing recorded on a cancelled visit", visit.RecordMilestone, lead, cancelled, visit.Facts{Milestone: &notice}, visit.ErrNotAllowed},
		{"no deferral of a cancelled visit", visit.DecideDeferral, admin, cancelled, visit.Facts{}, visit.ErrCancelled},
		{"the QAM may not record a deferral", visit.RecordDeferral, qam, active, visit.Facts{}, visit.ErrNotAllowed},
		{"Cafcass asks for a deferral", visit.AskDeferral, ceo, active, visit.Facts{}, nil},
		{"Ofsted records the requests it receives instead", visit.AskDeferral, lead, active, visit.Facts{}, visit.ErrNotAllowed},
		{"Cafcass may not record one", visit.RecordDeferral, ceo, active, visit.Facts{}, visit.ErrNotAllowed},
		{"nor ask to defer a cancelled visit", visit.AskDeferral, ceo, cancelled, visit.Facts{}, visit.ErrCancelled},
		{"lead removes a record", visit.RemoveRecord, lead, active, visit.Facts{Milestone: &fieldwork}, nil},
		{"but not the notice call's (an administrator undoes it)", visit.RemoveRecord, lead, active, visit.Facts{Milestone: &notice}, visit.ErrNotAllowed},
		{"a letter step's record is the letter's", visit.RemoveRecord, lead, active, visit.Facts{Milestone: &letterStep}, visit.ErrNotOffered},
		{"nothing removed on a cancelled visit", visit.RemoveRecord, lead, cancelled, visit.Facts{Milestone: &fieldwork}, visit.ErrNotAllowed},
		{"the QAM removes nothing", visit.RemoveRecord, qam, active, visit.Facts{Milestone: &fieldwork}, visit.ErrNotAllowed},
		{"Ofsted sees what is internal", visit.SeeInternal, qam, active, visit.Facts{}, nil},
		{"Cafcass does not", visit.SeeInternal, ceo, active, visit.Facts{}, visit.ErrNotAllowed},
		{"only administrators audit", visit.Audit, lead, active, visit.Facts{}, visit.ErrNotAllowed},
		{"administrators choose the lead", visit.ChooseLead, admin, visit.Details{}, visit.Facts{}, nil},
		{"a lead inspector does not", visit.ChooseLead, lead, visit.Details{}, visit.Facts{}, visit.ErrNotAllowed},
	} {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := visit.Check(tt.a, visit.ActorFor(tt.u, tt.d), tt.d, tt.f)
			switch {
			case tt.want == nil && err != nil:
				t.Fatalf("refused: %v", err)
			case tt.want != nil && !errors.Is(err, tt.want):
				t.Fatalf("got %v, want %v", err, tt.want)
			}
		})
	}
}

func TestNextIsWhatCheckAllows(t *testing.T) {
	t.Parallel()
	d := visit.Details{Visit: visit.Visit{Status: visit.Active}, Members: []visit.Member{{UserID: 1, Role: visit.RoleLead}}}
	for _, tt := range []struct {
		u    user.User
		want string
	}{
		{user.User{ID: 1, Role: user.LeadInspector}, "edit cancel record override remove_record record_deferral decide_deferral see_internal"},
		{user.User{ID: 9, Role: user.Admin}, "edit cancel record override remove_record record_deferral decide_deferral see_internal audit"},
		{user.User{ID: 7, Role: user.CafcassDeputy}, "ask_deferral"},
	} {
		var got []string
		for _, a := range visit.Next(visit.ActorFor(tt.u, d), d) {
			got = append(got, string(a))
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("%s: Next = %q, want %q", tt.u.Role, got, tt.want)
		}
	}
}

func TestTeamCheck(t *testing.T) {
	t.Parallel()
	staff := visit.NewStaff([]user.User{
		{ID: 1, Role: user.LeadInspector, Active: true}, {ID: 2, Role: user.TeamInspector, Active: true},
		{ID: 3, Role: user.QAM, Active: true}, {ID: 4, Role: user.QAM, Active: true},
		{ID: 5, Role: user.SAO, Active: true}, {ID: 6, Role: user.CafcassCEO, Active: true},
		{ID: 7, Role: user.LeadInspector, Active: false},
	})
	ok := visit.Team{Lead: 1, Team: []int64{2}, QAM: 3, SAO: []int64{5}, Cafcass: []int64{6}}
	for _, tt := range []struct {
		name string
		edit func(*visit.Team)
		want string
	}{
		{"a full team", func(*visit.Team) {}, ""},
		{"an inactive lead", func(t *visit.Team) { t.Lead = 7 }, "lead"},
		{"the lead twice", func(t *visit.Team) { t.Team = []int64{1} }, "team"},
		{"moderator is the QAM", func(t *visit.Team) { t.Moderator = 3 }, "moderator"},
		{"a moderator", func(t *visit.Team) { t.Moderator = 4 }, ""},
		{"nobody at all", func(t *visit.Team) { *t = visit.Team{} }, "lead qam sao cafcass"},
		{"Cafcass as SAO", func(t *visit.Team) { t.SAO = []int64{6} }, "sao"},
	} {
		team := ok
		team.Team = slices.Clone(ok.Team)
		tt.edit(&team)
		var got []string
		for _, e := range team.Check(staff) {
			got = append(got, e.Field)
		}
		if strings.Join(got, " ") != tt.want {
			t.Errorf("%s: errors on %q, want %q", tt.name, got, tt.want)
		}
	}
}

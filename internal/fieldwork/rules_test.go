package fieldwork_test

import (
	"errors"
	"testing"

	"github.com/ofsted/focusedvisits/internal/fieldwork"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// TestCheck: who may see and do what in the workspace, for every role on a
// visit and for people not on it; a refusal of children's data or of what
// is Ofsted's alone is ErrNotThere.
func TestCheck(t *testing.T) {
	t.Parallel()
	lead := user.User{ID: 1, Role: user.LeadInspector}
	team := user.User{ID: 2, Role: user.TeamInspector}
	qam := user.User{ID: 3, Role: user.QAM}
	sao := user.User{ID: 4, Role: user.SAO}
	ceo := user.User{ID: 5, Role: user.CafcassCEO}
	admin := user.User{ID: 6, Role: user.Admin}
	otherLead := user.User{ID: 7, Role: user.LeadInspector}
	d := visit.Details{Members: []visit.Member{
		{UserID: 1, Role: visit.RoleLead}, {UserID: 2, Role: visit.RoleTeam}, {UserID: 3, Role: visit.RoleQAM},
		{UserID: 4, Role: visit.RoleSAO}, {UserID: 5, Role: visit.RoleCafcass},
	}}
	d.Status = visit.Active
	noticed := d
	noticed.NoticeGivenAt = workday.NewDate(2025, 4, 14).Time(workday.London)
	released := fieldwork.Facts{SampleReleased: true}
	tests := []struct {
		a     fieldwork.Action
		u     user.User
		d     visit.Details
		f     fieldwork.Facts
		allow bool
		there bool // a refusal answers 403, not 404
	}{
		{fieldwork.SeeSetUp, ceo, d, released, false, false},
		{fieldwork.SeeSetUp, ceo, noticed, released, true, true},
		{fieldwork.SeeSetUpNotes, ceo, noticed, released, false, false},
		{fieldwork.SeeSetUpNotes, qam, noticed, released, true, true},
		{fieldwork.EditSetUp, lead, noticed, released, true, true},
		{fieldwork.EditSetUp, admin, noticed, released, true, true},
		{fieldwork.EditSetUp, team, noticed, released, false, true},
		{fieldwork.EditSetUp, ceo, noticed, released, false, true},
		{fieldwork.SeeStakeholders, qam, noticed, released, true, true},
		{fieldwork.SeeStakeholders, admin, noticed, released, false, false},
		{fieldwork.SeeStakeholders, ceo, noticed, released, false, false},
		{fieldwork.RecordStakeholder, team, noticed, released, true, true},
		{fieldwork.RecordStakeholder, qam, noticed, released, false, true},
		{fieldwork.SeePlan, sao, noticed, released, true, true},
		{fieldwork.SeePlan, qam, noticed, released, false, false},
		{fieldwork.SeePlan, admin, noticed, released, false, false},
		{fieldwork.PlanDiscussion, lead, noticed, released, true, true},
		{fieldwork.PlanDiscussion, team, noticed, released, false, true},
		{fieldwork.PlanDiscussion, otherLead, noticed, released, false, false},
		{fieldwork.SeeArrangements, ceo, noticed, released, true, true},
		{fieldwork.SeeArrangements, ceo, noticed, fieldwork.Facts{}, false, false},
		{fieldwork.SeeArrangements, lead, noticed, released, false, false},
		{fieldwork.SeeEvidence, sao, noticed, released, true, true},
		{fieldwork.SeeEvidence, qam, noticed, released, false, false},
		{fieldwork.SeeEvidence, ceo, noticed, released, false, false},
		{fieldwork.RecordEvidence, team, noticed, released, true, true},
		{fieldwork.RecordEvidence, sao, noticed, released, false, true},
	}
	for _, tc := range tests {
		err := fieldwork.Check(tc.a, tc.u, tc.d, tc.f)
		if (err == nil) != tc.allow {
			t.Errorf("%s by %s (user %d): %v, want allowed %v", tc.a, tc.u.Role, tc.u.ID, err, tc.allow)
			continue
		}
		if err != nil && errors.Is(err, fieldwork.ErrNotThere) == tc.there {
			t.Errorf("%s by %s (user %d): %v, want 'not there' %v", tc.a, tc.u.Role, tc.u.ID, err, !tc.there)
		}
	}
	cancelled := noticed
	cancelled.Status = visit.Cancelled
	for _, a := range []fieldwork.Action{fieldwork.EditSetUp, fieldwork.RecordStakeholder, fieldwork.PlanDiscussion, fieldwork.RecordEvidence} {
		if fieldwork.May(a, lead, cancelled, released) {
			t.Errorf("%s allowed on a cancelled visit", a)
		}
	}
}

// TestClashes: one inspector in two discussions at overlapping times on the
// same day clashes; touching end to start, another day or another inspector
// does not.
func TestClashes(t *testing.T) {
	t.Parallel()
	day := workday.NewDate(2025, 4, 23)
	plan := []fieldwork.Discussion{
		{SamplePublicID: "a", InspectorID: 1, Day: day, Start: 600, Minutes: 60},
		{SamplePublicID: "b", InspectorID: 2, Day: day, Start: 600, Minutes: 60},
		{SamplePublicID: "c", InspectorID: 1, Day: day.AddDays(1), Start: 600, Minutes: 60},
	}
	for _, tc := range []struct {
		d    fieldwork.Discussion
		want int
	}{
		{fieldwork.Discussion{SamplePublicID: "x", InspectorID: 1, Day: day, Start: 630, Minutes: 60}, 1},
		{fieldwork.Discussion{SamplePublicID: "x", InspectorID: 1, Day: day, Start: 540, Minutes: 120}, 1},
		{fieldwork.Discussion{SamplePublicID: "x", InspectorID: 1, Day: day, Start: 660, Minutes: 30}, 0},
		{fieldwork.Discussion{SamplePublicID: "x", InspectorID: 1, Day: day, Start: 570, Minutes: 30}, 0},
		{fieldwork.Discussion{SamplePublicID: "a", InspectorID: 1, Day: day, Start: 600, Minutes: 60}, 0},
		{fieldwork.Discussion{SamplePublicID: "x", InspectorID: 3, Day: day, Start: 600, Minutes: 60}, 0},
	} {
		if got := len(fieldwork.Clashes(plan, tc.d)); got != tc.want {
			t.Errorf("%+v: %d clashes, want %d", tc.d, got, tc.want)
		}
	}
}

// TestCheckLinkedEvidence: only the visit's lead inspector links evidence
// to the letter's findings; the need-to-know team and the visit's QAM and
// moderator see what is linked (DOMAIN decision 17); administrators,
// Cafcass, another QAM and people not on the visit are answered as for
// nothing there.
func TestCheckLinkedEvidence(t *testing.T) {
	t.Parallel()
	lead := user.User{ID: 1, Role: user.LeadInspector}
	team := user.User{ID: 2, Role: user.TeamInspector}
	qam := user.User{ID: 3, Role: user.QAM}
	sao := user.User{ID: 4, Role: user.SAO}
	ceo := user.User{ID: 5, Role: user.CafcassCEO}
	admin := user.User{ID: 6, Role: user.Admin}
	moderator := user.User{ID: 7, Role: user.QAM}
	otherQAM := user.User{ID: 8, Role: user.QAM}
	otherLead := user.User{ID: 9, Role: user.LeadInspector}
	d := visit.Details{Members: []visit.Member{
		{UserID: 1, Role: visit.RoleLead}, {UserID: 2, Role: visit.RoleTeam}, {UserID: 3, Role: visit.RoleQAM},
		{UserID: 4, Role: visit.RoleSAO}, {UserID: 5, Role: visit.RoleCafcass}, {UserID: 7, Role: visit.RoleModerator},
	}}
	d.Status = visit.Active
	d.NoticeGivenAt = workday.NewDate(2025, 4, 14).Time(workday.London)
	tests := []struct {
		a     fieldwork.Action
		u     user.User
		allow bool
		there bool // a refusal answers 403, not 404
	}{
		{fieldwork.LinkEvidence, lead, true, true},
		{fieldwork.LinkEvidence, team, false, true},
		{fieldwork.LinkEvidence, sao, false, true},
		{fieldwork.LinkEvidence, qam, false, false},
		{fieldwork.LinkEvidence, moderator, false, false},
		{fieldwork.LinkEvidence, admin, false, false},
		{fieldwork.LinkEvidence, ceo, false, false},
		{fieldwork.LinkEvidence, otherLead, false, false},
		{fieldwork.SeeLinkedEvidence, lead, true, true},
		{fieldwork.SeeLinkedEvidence, team, true, true},
		{fieldwork.SeeLinkedEvidence, sao, true, true},
		{fieldwork.SeeLinkedEvidence, qam, true, true},
		{fieldwork.SeeLinkedEvidence, moderator, true, true},
		{fieldwork.SeeLinkedEvidence, otherQAM, false, false},
		{fieldwork.SeeLinkedEvidence, admin, false, false},
		{fieldwork.SeeLinkedEvidence, ceo, false, false},
		{fieldwork.SeeLinkedEvidence, otherLead, false, false},
		// The QAM and the moderator never see the evidence pages themselves.
		{fieldwork.SeeEvidence, moderator, false, false},
	}
	for _, tc := range tests {
		err := fieldwork.Check(tc.a, tc.u, d, fieldwork.Facts{})
		if (err == nil) != tc.allow {
			t.Errorf("%s by %s (user %d): %v, want allowed %v", tc.a, tc.u.Role, tc.u.ID, err, tc.allow)
			continue
		}
		if err != nil && errors.Is(err, fieldwork.ErrNotThere) == tc.there {
			t.Errorf("%s by %s (user %d): %v, want 'not there' %v", tc.a, tc.u.Role, tc.u.ID, err, !tc.there)
		}
	}
	cancelled := d
	cancelled.Status = visit.Cancelled
	if fieldwork.May(fieldwork.LinkEvidence, lead, cancelled, fieldwork.Facts{}) {
		t.Error("linking allowed on a cancelled visit")
	}
	if fieldwork.Linkable(fieldwork.Note{Kind: "enquiry"}) || !fieldwork.Linkable(fieldwork.Note{Kind: "evidence"}) {
		t.Error("only evidence, not lines of enquiry, may be linked")
	}
}

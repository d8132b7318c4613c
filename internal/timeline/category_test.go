package timeline_test

import (
	"testing"

	"github.com/ofsted/focusedvisits/internal/timeline"
)

// TestMilestoneCategory: every step of the focused visit has a category a
// calendar legend names (none is "other"), and a later template's step is
// categorised by who acts and how.
func TestMilestoneCategory(t *testing.T) {
	t.Parallel()
	tmpl, err := timeline.Lookup(timeline.FocusedVisit, "")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]timeline.Category{
		timeline.CodeNotice: timeline.CategoryCall, timeline.CodeSetUpCall: timeline.CategoryCall,
		timeline.CodeChildData: timeline.CategoryDue, timeline.CodeManagementInfo: timeline.CategoryDue,
		timeline.CodeTeamMeeting: timeline.CategoryTeam, timeline.CodeOffSiteEvaluation: timeline.CategoryTeam,
		timeline.CodeFieldwork:   timeline.CategoryFieldwork,
		timeline.CodeDraftLetter: timeline.CategoryLetter, timeline.CodeFinalLetter: timeline.CategoryLetter, timeline.CodePublication: timeline.CategoryLetter,
		timeline.CodeComments: timeline.CategoryWindow, timeline.CodeComplaint: timeline.CategoryWindow,
		timeline.CodeDraftActionPlan: timeline.CategoryDue, timeline.CodeActionPlan: timeline.CategoryDue,
	}
	for _, s := range tmpl.Steps {
		got := timeline.Milestone{Code: s.Code, Kind: s.Kind, Actor: s.Actor}.Category()
		if w, ok := want[s.Code]; !ok || got != w {
			t.Errorf("step %s: category %q, want %q", s.Code, got, w)
		}
	}
	for _, tc := range []struct {
		m    timeline.Milestone
		want timeline.Category
	}{
		{timeline.Milestone{Code: "self-evaluation", Kind: timeline.KindDeadline, Actor: timeline.ActorCafcass}, timeline.CategoryDue},
		{timeline.Milestone{Code: "reply", Kind: timeline.KindWindow, Actor: timeline.ActorCafcass}, timeline.CategoryWindow},
		{timeline.Milestone{Code: "briefing", Kind: timeline.KindPoint, Actor: timeline.ActorTeam}, timeline.CategoryTeam},
		{timeline.Milestone{Code: "moderation", Kind: timeline.KindPoint, Actor: timeline.ActorQAM}, timeline.CategoryOther},
	} {
		if got := tc.m.Category(); got != tc.want {
			t.Errorf("%s: category %q, want %q", tc.m.Code, got, tc.want)
		}
	}
}

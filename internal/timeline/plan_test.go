package timeline_test

import (
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	_ "time/tzdata" // Europe/London wherever the tests run

	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/workday"
)

func london(t *testing.T) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func date(t *testing.T, s string) workday.Date {
	t.Helper()
	d, err := workday.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func focusedVisit(t *testing.T) timeline.Template {
	t.Helper()
	tpl, err := timeline.Lookup(timeline.FocusedVisit, "2021-03-17")
	if err != nil {
		t.Fatal(err)
	}
	return tpl
}

// input is a forward plan of the focused visit from the notice day.
func input(t *testing.T, notice string) timeline.Input {
	t.Helper()
	return timeline.Input{
		Template: focusedVisit(t),
		Calendar: workday.EnglandAndWales(),
		Location: london(t),
		Anchor:   date(t, notice),
	}
}

func compute(t *testing.T, in timeline.Input) timeline.Plan {
	t.Helper()
	p, err := timeline.Compute(in)
	if err != nil {
		t.Fatalf("Compute: %v", err)
	}
	return p
}

// dates lists a plan's dates by code: "2025-04-16", or "from/to" for a
// window.
func dates(p timeline.Plan) map[string]string {
	got := make(map[string]string, len(p.Milestones))
	for _, m := range p.Milestones {
		if m.Kind == timeline.KindWindow {
			got[m.Code] = m.From.String() + "/" + m.To.String()
		} else {
			got[m.Code] = m.Date.String()
		}
	}
	return got
}

func milestone(t *testing.T, p timeline.Plan, code string) timeline.Milestone {
	t.Helper()
	m, ok := p.Milestone(code)
	if !ok {
		t.Fatalf("no milestone %q in the plan", code)
	}
	return m
}

func diffDates(t *testing.T, got, want map[string]string) {
	t.Helper()
	for code, w := range want {
		if got[code] != w {
			t.Errorf("%s = %q, want %q", code, got[code], w)
		}
	}
	for code, g := range got {
		if _, ok := want[code]; !ok {
			t.Errorf("unexpected milestone %s = %q", code, g)
		}
	}
}

func TestTimelineTemplates(t *testing.T) {
	t.Parallel()
	for _, tpl := range timeline.Templates() {
		if err := tpl.Validate(); err != nil {
			t.Errorf("%s@%s: %v", tpl.ID, tpl.Version, err)
		}
	}
	latest, err := timeline.Lookup(timeline.FocusedVisit, "")
	if err != nil || latest.Version != "2021-03-17" {
		t.Errorf("Lookup latest = %q, %v; want version 2021-03-17", latest.Version, err)
	}
	if _, err := timeline.Lookup(timeline.FocusedVisit, "1999-01-01"); !errors.Is(err, timeline.ErrUnknownTemplate) {
		t.Errorf("Lookup unknown version: err = %v, want ErrUnknownTemplate", err)
	}
	if _, err := timeline.Lookup("full-inspection", ""); !errors.Is(err, timeline.ErrUnknownTemplate) {
		t.Errorf("Lookup unknown id: err = %v, want ErrUnknownTemplate", err)
	}

	// Each call gives a fresh template: changing one does not change the next.
	a := focusedVisit(t)
	a.Steps[0].Offset = 3
	if b := focusedVisit(t); b.Steps[0].Offset != 0 {
		t.Error("changing a looked-up template changed the stored one")
	}

	bad := focusedVisit(t)
	bad.Steps[2].Anchor = timeline.Ref{Code: timeline.CodeFinalLetter}
	if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), "not an earlier step") {
		t.Errorf("Validate with a forward anchor: err = %v", err)
	}
}

// The worked examples of DOMAIN B.4, planned forwards from the notice day
// and backwards from the first fieldwork day.
func TestTimelineCompute_B4(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name           string
		notice         string
		fieldworkStart string
		want           map[string]string
	}{
		{
			name: "Easter 2025", notice: "2025-04-14", fieldworkStart: "2025-04-24",
			want: map[string]string{
				"notice":                 "2025-04-14",
				"set-up-call":            "2025-04-14",
				"child-level-data":       "2025-04-16",
				"team-meeting":           "2025-04-17/2025-04-22",
				"management-information": "2025-04-22",
				"off-site-evaluation":    "2025-04-23",
				"fieldwork":              "2025-04-24/2025-04-25",
				"draft-letter":           "2025-05-12",
				"comments":               "2025-05-13/2025-05-19",
				"final-letter":           "2025-05-29",
				"complaint":              "2025-05-30/2025-06-05",
				"publication":            "2025-06-10",
			},
		},
		{
			name: "spring bank holiday 2024", notice: "2024-05-20", fieldworkStart: "2024-05-29",
			want: map[string]string{
				"notice":                 "2024-05-20",
				"set-up-call":            "2024-05-20",
				"child-level-data":       "2024-05-22",
				"team-meeting":           "2024-05-23/2024-05-24",
				"management-information": "2024-05-24",
				"off-site-evaluation":    "2024-05-28",
				"fieldwork":              "2024-05-29/2024-05-30",
				"draft-letter":           "2024-06-13",
				"comments":               "2024-06-14/2024-06-20",
				"final-letter":           "2024-07-01",
				"complaint":              "2024-07-02/2024-07-08",
				"publication":            "2024-07-11",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			fwd := compute(t, input(t, tt.notice))
			diffDates(t, dates(fwd), tt.want)
			if len(fwd.Warnings) != 0 {
				t.Errorf("warnings %v, want none", fwd.Warnings)
			}
			if fwd.Provisional {
				t.Error("plan is provisional, want not")
			}
			for _, m := range fwd.Milestones {
				if m.State != timeline.StatePlanned {
					t.Errorf("%s: state %s, want planned", m.Code, m.State)
				}
			}

			in := input(t, tt.fieldworkStart)
			in.AnchorCode = timeline.CodeFieldwork
			back := compute(t, in)
			diffDates(t, dates(back), tt.want)
			// The same plan, except for how the notice day was found.
			fn, bn := &fwd.Milestones[0], &back.Milestones[0]
			if !strings.Contains(bn.Explanation, "6 working days before the first fieldwork day") {
				t.Errorf("backward notice explanation %q", bn.Explanation)
			}
			fn.Explanation, fn.Counted = "", workday.Explanation{}
			bn.Explanation, bn.Counted = "", workday.Explanation{}
			if !reflect.DeepEqual(fwd, back) {
				t.Errorf("planning backwards gave a different plan:\n%+v\nwant\n%+v", back, fwd)
			}
		})
	}
}

func TestTimelineCompute_explanations(t *testing.T) {
	t.Parallel()
	p := compute(t, input(t, "2025-04-14"))
	tests := []struct{ code, want string }{
		{timeline.CodeDraftLetter, "Mon 12 May 2025: 10 working days after the last fieldwork day, Fri 25 Apr; skipped Sat 26 and Sun 27 Apr, Sat 3 to Mon 5 May (Mon 5 May: Early May bank holiday), Sat 10 and Sun 11 May"},
		{timeline.CodeNotice, "Mon 14 Apr 2025: chosen as the day of the notice call"},
		{timeline.CodeSetUpCall, "Mon 14 Apr 2025: on the day of the notice call"},
		{timeline.CodeChildData, "Wed 16 Apr 2025: 2 working days after the notice call, Mon 14 Apr"},
		{timeline.CodeManagementInfo, "Tue 22 Apr 2025: 4 working days after the notice call, Mon 14 Apr; skipped Fri 18 to Mon 21 Apr (Fri 18 Apr: Good Friday; Mon 21 Apr: Easter Monday)"},
		{timeline.CodeFieldwork, "Thu 24 to Fri 25 Apr 2025: 6 to 7 working days after the notice call, Mon 14 Apr; skipped Fri 18 to Mon 21 Apr (Fri 18 Apr: Good Friday; Mon 21 Apr: Easter Monday)"},
		{timeline.CodeComments, "Tue 13 to Mon 19 May 2025: 11 to 15 working days after the last fieldwork day, Fri 25 Apr; skipped Sat 26 and Sun 27 Apr, Sat 3 to Mon 5 May (Mon 5 May: Early May bank holiday), Sat 10 and Sun 11 May, Sat 17 and Sun 18 May"},
	}
	for _, tt := range tests {
		if got := milestone(t, p, tt.code).Explanation; got != tt.want {
			t.Errorf("%s explanation\n got %q\nwant %q", tt.code, got, tt.want)
		}
	}
	// The structured explanation is workday's.
	d := milestone(t, p, timeline.CodeDraftLetter)
	if d.Counted.From != date(t, "2025-04-25") || d.Counted.N != 10 || d.Counted.Result != d.Date || len(d.Counted.Skipped) != 7 {
		t.Errorf("draft Counted = %+v", d.Counted)
	}
	if d.CountedFrom != (timeline.Ref{Code: timeline.CodeFieldwork, End: true}) {
		t.Errorf("draft CountedFrom = %+v", d.CountedFrom)
	}
	if d.Source.Key != "S2:L132" || d.Actor != timeline.ActorLeadInspector || d.ActorLabel != "Lead inspector" {
		t.Errorf("draft source %+v, actor %q %q", d.Source, d.Actor, d.ActorLabel)
	}
}

func TestTimelineCompute_timesAndDays(t *testing.T) {
	t.Parallel()
	loc := london(t)
	p := compute(t, input(t, "2025-04-14"))
	n := milestone(t, p, timeline.CodeNotice)
	if want := time.Date(2025, time.April, 14, 9, 0, 0, 0, loc); !n.StartsAt.Equal(want) || n.TimeNote != "09:00" || !n.DueAt.IsZero() {
		t.Errorf("notice StartsAt %v, TimeNote %q, DueAt %v", n.StartsAt, n.TimeNote, n.DueAt)
	}
	if s := milestone(t, p, timeline.CodeSetUpCall); s.TimeNote != "afternoon" || !s.StartsAt.IsZero() {
		t.Errorf("set-up call TimeNote %q, StartsAt %v", s.TimeNote, s.StartsAt)
	}
	c := milestone(t, p, timeline.CodeChildData)
	if want := time.Date(2025, time.April, 17, 0, 0, 0, 0, loc).Add(-time.Nanosecond); !c.DueAt.Equal(want) || c.TimeNote != "by the end of the day" {
		t.Errorf("child data DueAt %v, TimeNote %q", c.DueAt, c.TimeNote)
	}
	cm := milestone(t, p, timeline.CodeComments)
	if want := time.Date(2025, time.May, 20, 0, 0, 0, 0, loc).Add(-time.Nanosecond); !cm.DueAt.Equal(want) {
		t.Errorf("comments DueAt %v, want %v", cm.DueAt, want)
	}
	if f := milestone(t, p, timeline.CodeFieldwork); !f.DueAt.IsZero() || !f.Date.IsZero() {
		t.Errorf("fieldwork DueAt %v, Date %v; want zero", f.DueAt, f.Date)
	}

	wantDays := map[string]string{
		timeline.CodeNotice: "Day 1", timeline.CodeSetUpCall: "Day 1", timeline.CodeChildData: "Day 3",
		timeline.CodeTeamMeeting: "Days 4 and 5", timeline.CodeManagementInfo: "Day 5",
		timeline.CodeOffSiteEvaluation: "Day 6", timeline.CodeFieldwork: "Days 7 and 8",
		timeline.CodeDraftLetter: "", timeline.CodePublication: "",
	}
	for code, want := range wantDays {
		if got := milestone(t, p, code).Day; got != want {
			t.Errorf("%s Day = %q, want %q", code, got, want)
		}
	}
	if len(p.Days) != 8 || p.Days[4] != date(t, "2025-04-22") || p.DayNumber(date(t, "2025-04-18")) != 0 {
		t.Errorf("Days = %v", p.Days)
	}
	if got := p.DayLabel(date(t, "2025-04-15"), date(t, "2025-04-17")); got != "Days 2 to 4" {
		t.Errorf("DayLabel = %q", got)
	}
}

// Decision 6: once an event is recorded, what hangs on it re-anchors.
func TestTimelineCompute_actual(t *testing.T) {
	t.Parallel()
	base := map[string]string{
		"notice":                 "2025-04-14",
		"set-up-call":            "2025-04-14",
		"child-level-data":       "2025-04-16",
		"team-meeting":           "2025-04-17/2025-04-22",
		"management-information": "2025-04-22",
		"off-site-evaluation":    "2025-04-23",
		"fieldwork":              "2025-04-24/2025-04-25",
		"draft-letter":           "2025-05-12",
		"comments":               "2025-05-13/2025-05-19",
		"final-letter":           "2025-05-29",
		"complaint":              "2025-05-30/2025-06-05",
		"publication":            "2025-06-10",
	}
	with := func(changes map[string]string) map[string]string {
		m := make(map[string]string, len(base))
		for k, v := range base {
			m[k] = v
		}
		for k, v := range changes {
			m[k] = v
		}
		return m
	}
	tests := []struct {
		name   string
		actual map[string]timeline.Actual
		want   map[string]string
	}{
		{
			name:   "draft sent 2 days late moves the comments deadline, not the final letter",
			actual: map[string]timeline.Actual{"draft-letter": {Date: date(t, "2025-05-14")}},
			want:   with(map[string]string{"draft-letter": "2025-05-14", "comments": "2025-05-15/2025-05-21"}),
		},
		{
			name:   "final sent a day late moves the complaint window and publication",
			actual: map[string]timeline.Actual{"final-letter": {Date: date(t, "2025-05-30")}},
			want:   with(map[string]string{"final-letter": "2025-05-30", "complaint": "2025-06-02/2025-06-06", "publication": "2025-06-11"}),
		},
		{
			name:   "draft sent on time keeps every date",
			actual: map[string]timeline.Actual{"draft-letter": {Date: date(t, "2025-05-12")}},
			want:   base,
		},
		{
			name:   "fieldwork a day later moves the letters",
			actual: map[string]timeline.Actual{"fieldwork": {Date: date(t, "2025-04-25")}},
			want: with(map[string]string{
				"fieldwork": "2025-04-25/2025-04-28", "draft-letter": "2025-05-13", "comments": "2025-05-14/2025-05-20",
				"final-letter": "2025-05-30", "complaint": "2025-06-02/2025-06-06", "publication": "2025-06-11",
			}),
		},
		{
			name:   "notice a day later moves the notice week and the letters",
			actual: map[string]timeline.Actual{"notice": {Date: date(t, "2025-04-15")}},
			want: with(map[string]string{
				"notice": "2025-04-15", "set-up-call": "2025-04-15", "child-level-data": "2025-04-17",
				"team-meeting": "2025-04-22/2025-04-23", "management-information": "2025-04-23",
				"off-site-evaluation": "2025-04-24", "fieldwork": "2025-04-25/2025-04-28",
				"draft-letter": "2025-05-13", "comments": "2025-05-14/2025-05-20",
				"final-letter": "2025-05-30", "complaint": "2025-06-02/2025-06-06", "publication": "2025-06-11",
			}),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := input(t, "2025-04-14")
			in.Actual = tt.actual
			p := compute(t, in)
			diffDates(t, dates(p), tt.want)
			for code := range tt.actual {
				if m := milestone(t, p, code); m.State != timeline.StateActual || !strings.HasPrefix(m.Explanation, "Recorded as done ") {
					t.Errorf("%s: state %s, explanation %q", code, m.State, m.Explanation)
				}
			}
		})
	}

	in := input(t, "2025-04-14")
	in.Actual = map[string]timeline.Actual{"draft-letter": {Date: date(t, "2025-05-14")}}
	p := compute(t, in)
	if got, want := milestone(t, p, "draft-letter").Explanation, "Recorded as done on Wed 14 May 2025"; got != want {
		t.Errorf("draft explanation %q, want %q", got, want)
	}
	c := milestone(t, p, "comments")
	if want := "Thu 15 to Wed 21 May 2025: 1 to 5 working days after the draft letter was sent, Wed 14 May; skipped Sat 17 and Sun 18 May"; c.Explanation != want {
		t.Errorf("comments explanation\n got %q\nwant %q", c.Explanation, want)
	}
	if c.State != timeline.StatePlanned || c.CountedFrom.Code != "draft-letter" {
		t.Errorf("comments state %s, counted from %+v", c.State, c.CountedFrom)
	}
	if want := time.Date(2025, time.May, 22, 0, 0, 0, 0, london(t)).Add(-time.Nanosecond); !c.DueAt.Equal(want) {
		t.Errorf("comments DueAt %v, want %v", c.DueAt, want)
	}
	fw := milestone(t, compute(t, func() timeline.Input {
		in := input(t, "2025-04-14")
		in.Actual = map[string]timeline.Actual{"fieldwork": {Date: date(t, "2025-04-24"), To: date(t, "2025-04-25")}}
		return in
	}()), "fieldwork")
	if fw.Explanation != "Recorded as done from Thu 24 to Fri 25 Apr 2025" {
		t.Errorf("fieldwork explanation %q", fw.Explanation)
	}
}

func TestTimelineCompute_overrides(t *testing.T) {
	t.Parallel()
	in := input(t, "2025-04-14")
	in.Overrides = map[string]timeline.Override{
		"draft-letter": {Date: date(t, "2025-05-16"), Reason: "Extra moderation for the priority action"},
		"publication":  {Date: date(t, "2025-06-20"), Reason: "Held while a complaint is considered"},
	}
	p := compute(t, in)
	diffDates(t, dates(p), map[string]string{
		"notice":                 "2025-04-14",
		"set-up-call":            "2025-04-14",
		"child-level-data":       "2025-04-16",
		"team-meeting":           "2025-04-17/2025-04-22",
		"management-information": "2025-04-22",
		"off-site-evaluation":    "2025-04-23",
		"fieldwork":              "2025-04-24/2025-04-25",
		"draft-letter":           "2025-05-16",
		"comments":               "2025-05-19/2025-05-23", // re-anchored on the overridden draft
		"final-letter":           "2025-05-29",
		"complaint":              "2025-05-30/2025-06-05",
		"publication":            "2025-06-20",
	})
	d := milestone(t, p, "draft-letter")
	if d.State != timeline.StateOverridden || d.Reason != "Extra moderation for the priority action" ||
		d.Explanation != "Set by hand: Extra moderation for the priority action" {
		t.Errorf("draft %s %q %q", d.State, d.Reason, d.Explanation)
	}

	// Moving the notice and recording the final letter moves what is
	// planned, never what was set by hand.
	in.Anchor = date(t, "2025-04-22")
	in.Actual = map[string]timeline.Actual{"final-letter": {Date: date(t, "2025-06-02")}}
	p = compute(t, in)
	got := dates(p)
	if got["draft-letter"] != "2025-05-16" || got["publication"] != "2025-06-20" {
		t.Errorf("overridden dates moved: draft %s, publication %s", got["draft-letter"], got["publication"])
	}
	if got["fieldwork"] != "2025-04-30/2025-05-01" || got["complaint"] != "2025-06-03/2025-06-09" {
		t.Errorf("planned dates did not move: fieldwork %s, complaint %s", got["fieldwork"], got["complaint"])
	}

	// What hangs on an overridden milestone uses the overridden date.
	in = input(t, "2025-04-14")
	in.Overrides = map[string]timeline.Override{
		"fieldwork": {Date: date(t, "2025-04-29"), Reason: "Chief executive on leave"},
	}
	p = compute(t, in)
	diffDates(t, dates(p), map[string]string{
		"notice":                 "2025-04-14",
		"set-up-call":            "2025-04-14",
		"child-level-data":       "2025-04-16",
		"team-meeting":           "2025-04-17/2025-04-22",
		"management-information": "2025-04-22",
		"off-site-evaluation":    "2025-04-23",
		"fieldwork":              "2025-04-29/2025-04-30", // the planned 2 days
		"draft-letter":           "2025-05-15",
		"comments":               "2025-05-16/2025-05-22",
		"final-letter":           "2025-06-03",
		"complaint":              "2025-06-04/2025-06-10",
		"publication":            "2025-06-13",
	})
	if got := milestone(t, p, "fieldwork").Day; got != "" {
		t.Errorf("fieldwork outside the numbered days labelled %q", got)
	}
}

func TestTimelineCompute_priorityAction(t *testing.T) {
	t.Parallel()
	in := input(t, "2025-04-14")
	p := compute(t, in)
	if _, ok := p.Milestone(timeline.CodeDraftActionPlan); ok {
		t.Error("action plan deadline without a priority action")
	}
	if len(p.Milestones) != 12 {
		t.Errorf("%d milestones, want 12", len(p.Milestones))
	}

	in.Conditions = []timeline.Condition{timeline.PriorityAction}
	p = compute(t, in)
	got := dates(p)
	if got["draft-action-plan"] != "2025-06-26" || got["action-plan"] != "2025-09-05" {
		t.Errorf("action plans due %s and %s, want 2025-06-26 and 2025-09-05", got["draft-action-plan"], got["action-plan"])
	}
	if m := milestone(t, p, "action-plan"); m.Kind != timeline.KindDeadline || m.DueAt.IsZero() || m.Actor != timeline.ActorCafcass {
		t.Errorf("action plan %+v", m)
	}

	// They count from the final letter as actually sent.
	in.Actual = map[string]timeline.Actual{"final-letter": {Date: date(t, "2025-06-02")}}
	if got := dates(compute(t, in)); got["draft-action-plan"] != "2025-06-30" {
		t.Errorf("draft action plan due %s after the final was sent on 2 Jun, want 2025-06-30", got["draft-action-plan"])
	}
}

func TestTimelineCompute_warnings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		in     func(timeline.Input) timeline.Input
		notice string
		want   []timeline.Warning
	}{
		{
			name: "fieldwork on a Monday", notice: "2025-02-21",
			want: []timeline.Warning{{
				Code: timeline.WarnFieldworkStartDay, Milestone: "fieldwork",
				Message: "Fieldwork starts on a Monday (Mon 3 Mar 2025). It usually starts on a Tuesday, Wednesday or Thursday.",
			}},
		},
		{
			name: "notice on a bank holiday", notice: "2025-05-05",
			want: []timeline.Warning{{
				Code: timeline.WarnNoticeNotWorkingDay, Milestone: "notice",
				Message: "The notice day, Mon 5 May 2025, is not a working day (Early May bank holiday).",
			}},
		},
		{
			name: "Thursday fieldwork before Good Friday", notice: "2025-04-09",
			want: []timeline.Warning{{
				Code: timeline.WarnFieldworkNotConsecutive, Milestone: "fieldwork",
				Message: "The fieldwork days are not consecutive: fieldwork runs from Thu 17 to Tue 22 Apr 2025, and Fri 18 to Mon 21 Apr are not working days. The fieldwork days are usually consecutive.",
			}},
		},
		{
			name: "Friday fieldwork over a weekend", notice: "2025-03-06",
			want: []timeline.Warning{{
				Code: timeline.WarnFieldworkStartDay, Milestone: "fieldwork",
				Message: "Fieldwork starts on a Friday (Fri 14 Mar 2025). It usually starts on a Tuesday, Wednesday or Thursday.",
			}, {
				Code: timeline.WarnFieldworkNotConsecutive, Milestone: "fieldwork",
				Message: "The fieldwork days are not consecutive: fieldwork runs from Fri 14 to Mon 17 Mar 2025, and Sat 15 to Sun 16 Mar are not working days. The fieldwork days are usually consecutive.",
			}},
		},
		{
			name: "inspector on another visit's fieldwork", notice: "2025-04-14",
			in: func(in timeline.Input) timeline.Input {
				in.Inspectors = []string{"Asha Patel", "Ben Jones", "Cara Lee"}
				in.OtherVisits = []timeline.OtherVisit{
					{Name: "FV-2025-07", From: date(t, "2025-04-25"), To: date(t, "2025-04-28"), Inspectors: []string{"Dev Shah", "Ben Jones"}},
					{Name: "FV-2025-08", From: date(t, "2025-04-28"), To: date(t, "2025-04-29"), Inspectors: []string{"Asha Patel"}},
					{Name: "FV-2025-06", From: date(t, "2025-04-23"), To: date(t, "2025-04-24"), Inspectors: []string{"Cara Lee", "Asha Patel"}},
				}
				return in
			},
			want: []timeline.Warning{{
				Code: timeline.WarnInspectorClash, Milestone: "fieldwork",
				Message: "Ben Jones is on fieldwork for FV-2025-07 on Fri 25 Apr 2025.",
			}, {
				Code: timeline.WarnInspectorClash, Milestone: "fieldwork",
				Message: "Asha Patel and Cara Lee are on fieldwork for FV-2025-06 on Thu 24 Apr 2025.",
			}},
		},
		{
			name: "notice on a closure day", notice: "2025-12-29",
			in: func(in timeline.Input) timeline.Input {
				in.Calendar = in.Calendar.WithClosures([]workday.Closure{{Date: date(t, "2025-12-29"), Reason: "Christmas shutdown"}})
				return in
			},
			want: []timeline.Warning{{
				Code: timeline.WarnNoticeNotWorkingDay, Milestone: "notice",
				Message: "The notice day, Mon 29 Dec 2025, is not a working day (Office closure: Christmas shutdown).",
			}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			in := input(t, tt.notice)
			if tt.in != nil {
				in = tt.in(in)
			}
			p := compute(t, in)
			if !reflect.DeepEqual(p.Warnings, tt.want) {
				t.Errorf("warnings\n got %#v\nwant %#v", p.Warnings, tt.want)
			}
			// The plan without the other visits, then the clash check
			// alone, gives the same warnings (what a kept plan relies on).
			alone := in
			alone.OtherVisits = nil
			q := compute(t, alone)
			if got := append(q.Warnings, timeline.ClashWarnings(q, in)...); !reflect.DeepEqual(got, p.Warnings) && len(got)+len(p.Warnings) > 0 {
				t.Errorf("warnings without other visits, then ClashWarnings\n got %#v\nwant %#v", got, p.Warnings)
			}
		})
	}
}

func TestTimelineClashes(t *testing.T) {
	t.Parallel()
	others := []timeline.OtherVisit{
		{Name: "A", From: date(t, "2025-04-20"), To: date(t, "2025-04-23"), Inspectors: []string{"X"}},
		{Name: "B", From: date(t, "2025-04-25"), To: date(t, "2025-04-30"), Inspectors: []string{"Y", "X"}},
	}
	got := timeline.Clashes(date(t, "2025-04-24"), date(t, "2025-04-25"), []string{"X", "Y", "Z"}, others)
	want := []timeline.Clash{
		{Inspector: "X", Visit: "B", From: date(t, "2025-04-25"), To: date(t, "2025-04-25")},
		{Inspector: "Y", Visit: "B", From: date(t, "2025-04-25"), To: date(t, "2025-04-25")},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Clashes = %+v, want %+v", got, want)
	}
}

func TestTimelineCompute_closures(t *testing.T) {
	t.Parallel()
	in := input(t, "2025-04-14")
	in.Calendar = in.Calendar.WithClosures([]workday.Closure{{Date: date(t, "2025-04-16"), Reason: "Staff training day"}})
	p := compute(t, in)
	c := milestone(t, p, timeline.CodeChildData)
	if want := "Thu 17 Apr 2025: 2 working days after the notice call, Mon 14 Apr; skipped Wed 16 Apr (Wed 16 Apr: Office closure: Staff training day)"; c.Explanation != want {
		t.Errorf("explanation\n got %q\nwant %q", c.Explanation, want)
	}
	if c.Day != "Day 3" {
		t.Errorf("Day = %q, want Day 3", c.Day)
	}
}

func TestTimelineCompute_provisional(t *testing.T) {
	t.Parallel()
	_, last := workday.EnglandAndWales().OfficialYears()
	in := input(t, "2025-04-14")
	in.Anchor = workday.NewDate(last+1, time.March, 3)
	p := compute(t, in)
	if !p.Provisional || !p.Milestones[0].Provisional {
		t.Errorf("plan in %d not provisional", last+1)
	}
	// A plan that runs into the next year is provisional only from there.
	in.Anchor = workday.NewDate(last, time.November, 22)
	p = compute(t, in)
	if !p.Provisional || p.Milestones[0].Provisional || !milestone(t, p, timeline.CodePublication).Provisional {
		t.Errorf("plan from Nov %d: provisional %v, notice %v", last, p.Provisional, p.Milestones[0].Provisional)
	}
}

func TestTimelineCompute_errors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		in   func(timeline.Input) timeline.Input
		want string
	}{
		{"no calendar", func(in timeline.Input) timeline.Input { in.Calendar = nil; return in }, "no calendar"},
		{"no location", func(in timeline.Input) timeline.Input { in.Location = nil; return in }, "no location"},
		{"no anchor", func(in timeline.Input) timeline.Input { in.Anchor = workday.Date{}; return in }, "no anchor"},
		{"no template", func(in timeline.Input) timeline.Input { in.Template = timeline.Template{}; return in }, "no ID"},
		{"unknown step", func(in timeline.Input) timeline.Input {
			in.Actual = map[string]timeline.Actual{"zz": {Date: in.Anchor}, "aa": {Date: in.Anchor}}
			return in
		}, `actual date for unknown step "aa"` + "\n" + `actual date for unknown step "zz"`},
		{"override without a reason", func(in timeline.Input) timeline.Input {
			in.Overrides = map[string]timeline.Override{"draft-letter": {Date: in.Anchor}}
			return in
		}, `override for step "draft-letter" has no reason`},
		{"action plan without a priority action", func(in timeline.Input) timeline.Input {
			in.Actual = map[string]timeline.Actual{"action-plan": {Date: in.Anchor}}
			return in
		}, `applies only when "priority-action"`},
		{"window ends before it starts", func(in timeline.Input) timeline.Input {
			in.Actual = map[string]timeline.Actual{"fieldwork": {Date: in.Anchor, To: in.Anchor.AddDays(-1)}}
			return in
		}, "ends (2025-04-13) before it starts"},
		{"end date on a point", func(in timeline.Input) timeline.Input {
			in.Actual = map[string]timeline.Actual{"notice": {Date: in.Anchor, To: in.Anchor.AddDays(1)}}
			return in
		}, "not a window"},
		{"plan from an unknown step", func(in timeline.Input) timeline.Input { in.AnchorCode = "lunch"; return in }, `cannot plan from step "lunch"`},
		{"outside the calendar", func(in timeline.Input) timeline.Input { in.Anchor = workday.NewDate(2100, 12, 20); return in }, "outside the supported dates"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := timeline.Compute(tt.in(input(t, "2025-04-14")))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}
}

// The same input gives the same plan, whatever the order of map iteration.
func TestTimelineCompute_deterministic(t *testing.T) {
	t.Parallel()
	in := input(t, "2025-04-14")
	in.Conditions = []timeline.Condition{timeline.PriorityAction}
	in.Actual = map[string]timeline.Actual{
		"notice": {Date: date(t, "2025-04-14")}, "fieldwork": {Date: date(t, "2025-04-24")},
		"draft-letter": {Date: date(t, "2025-05-13")}, "final-letter": {Date: date(t, "2025-05-30")},
	}
	in.Overrides = map[string]timeline.Override{
		"publication": {Date: date(t, "2025-06-20"), Reason: "Complaint"},
		"comments":    {Date: date(t, "2025-05-14"), Reason: "Agreed with the chief executive"},
		"action-plan": {Date: date(t, "2025-09-30"), Reason: "Summer"},
	}
	in.Inspectors = []string{"A", "B", "C", "D"}
	in.OtherVisits = []timeline.OtherVisit{{Name: "V", From: in.Anchor, To: in.Anchor.AddDays(30), Inspectors: []string{"D", "C", "B", "A"}}}
	first := compute(t, in)
	for range 50 {
		if p := compute(t, in); !reflect.DeepEqual(p, first) {
			t.Fatalf("plans differ:\n%+v\n%+v", p, first)
		}
	}
}

// TestTimelineCompute_brief checks that a brief plan has the same dates and
// warnings as a full one, without the explanations.
func TestTimelineCompute_brief(t *testing.T) {
	for _, anchor := range []string{"", timeline.CodeFieldwork} {
		in := input(t, "2025-04-14")
		if anchor != "" {
			in.AnchorCode, in.Anchor = anchor, date(t, "2025-04-24")
		}
		in.Actual = map[string]timeline.Actual{timeline.CodeDraftLetter: {Date: date(t, "2025-05-14")}}
		full := compute(t, in)
		in.Brief = true
		brief := compute(t, in)
		diffDates(t, dates(brief), dates(full))
		if len(brief.Warnings) != len(full.Warnings) {
			t.Errorf("warnings %v, want %v", brief.Warnings, full.Warnings)
		}
		for _, m := range brief.Milestones {
			if m.Explanation != "" {
				t.Errorf("%s: brief plan explains %q", m.Code, m.Explanation)
			}
		}
	}
}

// TestTimelineCompute_lateDraft: DOMAIN decision 12. A draft sent late never
// leaves the final inside the comment window: the final is planned for the
// later of (last fieldwork day + 22) and the working day after the window
// closes, publication 8 working days after the final, and the explanation
// says why. Brief plans give the same dates.
func TestTimelineCompute_lateDraft(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name                    string
		draft                   string
		comments, final, public string
		pushed                  bool
	}{
		// Easter 2025 visit: fieldwork ends Fri 25 Apr; final Thu 29 May.
		{"on time", "2025-05-12", "2025-05-13/2025-05-19", "2025-05-29", "2025-06-10", false},
		{"late by a day: the window still closes before the final", "2025-05-13", "2025-05-14/2025-05-20", "2025-05-29", "2025-06-10", false},
		// Mon 26 May 2025 is a bank holiday.
		{"window closes the day before the final", "2025-05-20", "2025-05-21/2025-05-28", "2025-05-29", "2025-06-10", false},
		{"window closes on the planned final day", "2025-05-21", "2025-05-22/2025-05-29", "2025-05-30", "2025-06-11", true},
		{"window closes after the planned final day", "2025-05-22", "2025-05-23/2025-05-30", "2025-06-02", "2025-06-12", true},
		// The example of issue 12: draft Fri 23 May, comments to Mon 2 Jun.
		{"draft Fri 23 May: comments to Mon 2 Jun", "2025-05-23", "2025-05-27/2025-06-02", "2025-06-03", "2025-06-13", true},
	}
	for _, tt := range tests {
		for _, brief := range []bool{false, true} {
			in := input(t, "2025-04-14")
			in.Brief = brief
			in.Actual = map[string]timeline.Actual{"draft-letter": {Date: date(t, tt.draft)}}
			p := compute(t, in)
			got := dates(p)
			if got["comments"] != tt.comments || got["final-letter"] != tt.final || got["publication"] != tt.public {
				t.Errorf("%s (brief %v): comments %s, final %s, publication %s; want %s, %s, %s",
					tt.name, brief, got["comments"], got["final-letter"], got["publication"], tt.comments, tt.final, tt.public)
			}
			if brief {
				continue
			}
			f := milestone(t, p, "final-letter")
			if tt.pushed != strings.Contains(f.Explanation, "after the last day for comments") {
				t.Errorf("%s: final explained %q", tt.name, f.Explanation)
			}
			c := milestone(t, p, "comments")
			if !f.Date.After(c.To) {
				t.Errorf("%s: final %s inside the comment window to %s", tt.name, f.Date, c.To)
			}
		}
	}
	// A final actually sent re-anchors publication as before.
	in := input(t, "2025-04-14")
	in.Actual = map[string]timeline.Actual{"draft-letter": {Date: date(t, "2025-05-23")}, "final-letter": {Date: date(t, "2025-06-04")}}
	if got := dates(compute(t, in))["publication"]; got != "2025-06-16" {
		t.Errorf("publication after a final sent Wed 4 Jun = %s, want 2025-06-16", got)
	}
}

// TestTimelineCompute_optionalWindows: the comment and complaint windows are
// optional (DOMAIN decision 13) and open only once the letter that opens
// them was sent; the letter's steps are recorded only by the letter.
func TestTimelineCompute_optionalWindows(t *testing.T) {
	t.Parallel()
	in := input(t, "2025-04-14")
	p := compute(t, in)
	for _, code := range []string{"comments", "complaint"} {
		m := milestone(t, p, code)
		if !m.Optional || m.Opened {
			t.Errorf("%s: optional %v, opened %v before any letter was sent", code, m.Optional, m.Opened)
		}
	}
	in.Actual = map[string]timeline.Actual{"draft-letter": {Date: date(t, "2025-05-12")}}
	p = compute(t, in)
	if m := milestone(t, p, "comments"); !m.Opened {
		t.Error("comments window not opened by the draft")
	}
	if m := milestone(t, p, "complaint"); m.Opened {
		t.Error("complaint window opened without a final")
	}
	for _, code := range []string{"draft-letter", "comments", "final-letter", "complaint", "publication"} {
		if m := milestone(t, p, code); m.RecordedBy != timeline.RecordedByLetter {
			t.Errorf("%s recorded by %q, want the letter", code, m.RecordedBy)
		}
	}
	for _, code := range []string{"notice", "fieldwork", "child-level-data"} {
		if m := milestone(t, p, code); m.RecordedBy != "" || m.Optional {
			t.Errorf("%s: recorded by %q, optional %v", code, m.RecordedBy, m.Optional)
		}
	}
}

// TestTimelineCompute_moreWarnings: planning back from a day that is not a
// working day, fieldwork of the wrong length, and a notice day in the past
// are warned about (issue 12, item 8).
func TestTimelineCompute_moreWarnings(t *testing.T) {
	t.Parallel()
	codes := func(p timeline.Plan) []timeline.WarningCode {
		var cs []timeline.WarningCode
		for _, w := range p.Warnings {
			cs = append(cs, w.Code)
		}
		return cs
	}
	// Good Friday 26 Mar 2027 as the first fieldwork day.
	in := input(t, "2027-03-26")
	in.AnchorCode = timeline.CodeFieldwork
	p := compute(t, in)
	fw := milestone(t, p, "fieldwork")
	if !slices.Contains(codes(p), timeline.WarnAnchorNotWorkingDay) {
		t.Fatalf("no warning planning back from Good Friday: %v", codes(p))
	}
	for _, w := range p.Warnings {
		if w.Code == timeline.WarnAnchorNotWorkingDay {
			for _, want := range []string{"Fri 26 Mar 2027", "Good Friday", timeline.FormatDate(fw.From)} {
				if !strings.Contains(w.Message, want) {
					t.Errorf("message %q lacks %q", w.Message, want)
				}
			}
		}
	}
	// A working day to plan back from gives no such warning.
	in = input(t, "2027-03-24")
	in.AnchorCode = timeline.CodeFieldwork
	if slices.Contains(codes(compute(t, in)), timeline.WarnAnchorNotWorkingDay) {
		t.Error("warned planning back from a working day")
	}

	// Fieldwork set by hand to three days, Tue 22 to Thu 24 Apr 2025.
	in = input(t, "2025-04-14")
	in.Overrides = map[string]timeline.Override{"fieldwork": {Date: date(t, "2025-04-22"), To: date(t, "2025-04-24"), Reason: "longer"}}
	p = compute(t, in)
	if !slices.Contains(codes(p), timeline.WarnFieldworkLength) {
		t.Errorf("three fieldwork days not warned: %v", codes(p))
	}
	// Two days set by hand are fine.
	in.Overrides = map[string]timeline.Override{"fieldwork": {Date: date(t, "2025-04-23"), To: date(t, "2025-04-24"), Reason: "moved"}}
	if cs := codes(compute(t, in)); slices.Contains(cs, timeline.WarnFieldworkLength) {
		t.Errorf("two fieldwork days warned: %v", cs)
	}

	// A notice day in the past, not recorded, when checked on a day.
	in = input(t, "2025-04-14")
	in.Today = date(t, "2025-04-15")
	if !slices.Contains(codes(compute(t, in)), timeline.WarnNoticePast) {
		t.Error("notice in the past not warned")
	}
	in.Today = date(t, "2025-04-14")
	if slices.Contains(codes(compute(t, in)), timeline.WarnNoticePast) {
		t.Error("notice today warned")
	}
	in.Today = date(t, "2025-04-15")
	in.Actual = map[string]timeline.Actual{"notice": {Date: date(t, "2025-04-14")}}
	if slices.Contains(codes(compute(t, in)), timeline.WarnNoticePast) {
		t.Error("a recorded notice warned as in the past")
	}
}

// TestTimelineCompute_rebased: DOMAIN decision 11. A deferral granted after
// notice recounts every milestone not done from the new first fieldwork
// day; the recorded notice stays, and the notice-week milestones are
// counted back as if notice were 6 working days before the new fieldwork.
func TestTimelineCompute_rebased(t *testing.T) {
	t.Parallel()
	for _, brief := range []bool{false, true} {
		in := input(t, "2025-06-04") // the new first fieldwork day, Wed 4 Jun 2025
		in.Brief = brief
		in.AnchorCode = timeline.CodeFieldwork
		in.Rebased = true
		in.Actual = map[string]timeline.Actual{"notice": {Date: date(t, "2025-04-14")}}
		p := compute(t, in)
		got := dates(p)
		want := map[string]string{
			"notice":                 "2025-04-14", // as recorded
			"set-up-call":            "2025-05-27",
			"child-level-data":       "2025-05-29", // new fieldwork - 4
			"team-meeting":           "2025-05-30/2025-06-02",
			"management-information": "2025-06-02", // new fieldwork - 2
			"off-site-evaluation":    "2025-06-03",
			"fieldwork":              "2025-06-04/2025-06-05",
			"draft-letter":           "2025-06-19",
			"comments":               "2025-06-20/2025-06-26",
			"final-letter":           "2025-07-07",
			"complaint":              "2025-07-08/2025-07-14",
			"publication":            "2025-07-17",
		}
		diffDates(t, got, want)
		if brief {
			continue
		}
		if e := milestone(t, p, "child-level-data").Explanation; !strings.Contains(e, "the notice day as the new plan has it, Tue 27 May") {
			t.Errorf("day 3 explained %q", e)
		}
		if m := milestone(t, p, "notice"); m.State != timeline.StateActual {
			t.Errorf("notice state %s", m.State)
		}
	}
	// Without the rebase the recorded notice governs, as before.
	in := input(t, "2025-06-04")
	in.AnchorCode = timeline.CodeFieldwork
	in.Actual = map[string]timeline.Actual{"notice": {Date: date(t, "2025-04-14")}}
	if got := dates(compute(t, in))["fieldwork"]; got != "2025-04-24/2025-04-25" {
		t.Errorf("fieldwork without a rebase %s", got)
	}
}

package visit_test

import (
	"strings"
	"testing"

	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

func TestDeferralRequestForm_Valid(t *testing.T) {
	t.Parallel()
	ok := visit.DeferralRequestForm{RequestedBy: "Cara Chief", RequestedOn: dateInput("2025-05-14"), Reason: "Inspection clash"}
	for _, tt := range []struct {
		name string
		edit func(*visit.DeferralRequestForm)
		want []string
	}{
		{"a request", func(*visit.DeferralRequestForm) {}, nil},
		{"who asked", func(f *visit.DeferralRequestForm) { f.RequestedBy = "" }, []string{"requested-by:Enter who asked for the deferral"}},
		{"in at most 200 characters", func(f *visit.DeferralRequestForm) { f.RequestedBy = strings.Repeat("n", 201) },
			[]string{"requested-by:Who asked must be 200 characters or fewer"}},
		{"when", func(f *visit.DeferralRequestForm) { f.RequestedOn = form.Date{} }, []string{"requested-on:Enter the date they asked"}},
		{"today or earlier", func(f *visit.DeferralRequestForm) { f.RequestedOn = dateInput("2025-05-15") },
			[]string{"requested-on:The date they asked must be today or in the past"}},
		{"why", func(f *visit.DeferralRequestForm) { f.Reason = "" }, []string{"reason:Enter why they want the visit deferred"}},
		{"in at most 2000 characters", func(f *visit.DeferralRequestForm) { f.Reason = strings.Repeat("r", 2001) },
			[]string{"reason:Why must be 2000 characters or fewer"}},
		{"in the form's order", func(f *visit.DeferralRequestForm) { *f = visit.DeferralRequestForm{} },
			[]string{"requested-by:", "requested-on:", "reason:"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := ok
			tt.edit(&f)
			_, errs := f.Valid(today)
			wantFields(t, errs, tt.want...)
		})
	}
	req, _ := ok.Valid(today)
	if req != (visit.DeferralRequest{RequestedBy: "Cara Chief", RequestedOn: today, Reason: "Inspection clash"}) {
		t.Errorf("request %+v", req)
	}
}

func TestValidDeferralAsk(t *testing.T) {
	t.Parallel()
	wantFields(t, visit.ValidDeferralAsk("Our data lead is away"))
	wantFields(t, visit.ValidDeferralAsk(""), "reason:Enter why you want the visit deferred")
	wantFields(t, visit.ValidDeferralAsk(strings.Repeat("r", 2001)), "reason:Why must be 2000 characters or fewer")
}

func TestDeferralDecisionForm_Valid(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name string
		f    visit.DeferralDecisionForm
		want []string
	}{
		{"a grant from a new fieldwork day", visit.DeferralDecisionForm{Decision: visit.GrantDeferral, Anchor: timeline.CodeFieldwork, NewDate: dateInput("2025-06-10")}, nil},
		{"a decision is needed", visit.DeferralDecisionForm{}, []string{"decision:Select whether you grant the deferral"}},
		{"a grant says what the plan counts from", visit.DeferralDecisionForm{Decision: visit.GrantDeferral, Anchor: "day3", NewDate: dateInput("2025-06-10")},
			[]string{"anchor:Select how you want to plan the new dates"}},
		{"and from when", visit.DeferralDecisionForm{Decision: visit.GrantDeferral, Anchor: timeline.CodeNotice},
			[]string{"new-date:Enter the new date"}},
		{"a refusal says why", visit.DeferralDecisionForm{Decision: visit.RefuseDeferral}, []string{"decision-reason:Enter why you are refusing the deferral"}},
		{"in at most 2000 characters", visit.DeferralDecisionForm{Decision: visit.RefuseDeferral, Reason: strings.Repeat("r", 2001)},
			[]string{"decision-reason:Reason for your decision must be 2000 characters or fewer"}},
		{"in the form's order", visit.DeferralDecisionForm{Decision: visit.GrantDeferral, NewDate: form.Date{Day: "1"}, Reason: strings.Repeat("r", 2001)},
			[]string{"anchor:", "new-date:The new date must include a month and a year", "decision-reason:"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := tt.f.Valid()
			wantFields(t, errs, tt.want...)
		})
	}
	dd, _ := visit.DeferralDecisionForm{Decision: visit.GrantDeferral, Anchor: timeline.CodeNotice, NewDate: dateInput("2025-06-02"), Reason: "Agreed"}.Valid()
	if dd != (visit.DeferralDecision{Grant: true, AnchorCode: timeline.CodeNotice, AnchorDate: workday.NewDate(2025, 6, 2), Reason: "Agreed"}) {
		t.Errorf("grant %+v", dd)
	}
	if dd, _ := (visit.DeferralDecisionForm{Decision: visit.RefuseDeferral, Reason: "No"}).Valid(); dd.Grant || dd.Reason != "No" {
		t.Errorf("refusal %+v", dd)
	}
}

func TestDeferralGrantForm_Valid(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		name     string
		d        visit.Details
		warnings int
		f        visit.DeferralGrantForm
		want     []string
	}{
		{"before notice nothing more", visit.Details{}, 0, visit.DeferralGrantForm{}, nil},
		{"after notice the chief executive is told (decision 14)", noticed, 0, visit.DeferralGrantForm{},
			[]string{"ceo-told-method:", "ceo-told:Enter"}},
		{"told in writing", noticed, 0, visit.DeferralGrantForm{Told: toldOK}, nil},
		{"dates that break scheduling rules need a reason", visit.Details{}, 2, visit.DeferralGrantForm{},
			[]string{"accept-reason:Enter why you are going ahead with dates that break scheduling rules"}},
		{"of at most 2000 characters", visit.Details{}, 1, visit.DeferralGrantForm{AcceptReason: strings.Repeat("r", 2001)},
			[]string{"accept-reason:Your reason must be 2000 characters or fewer"}},
		{"in the check page's order", noticed, 1, visit.DeferralGrantForm{Told: visit.CEOToldForm{Method: "email"}},
			[]string{"ceo-told:Enter", "accept-reason:Enter"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, errs := tt.f.Valid(tt.d, tt.warnings, today)
			wantFields(t, errs, tt.want...)
		})
	}
	if told, _ := (visit.DeferralGrantForm{Told: toldOK}).Valid(visit.Details{}, 0, today); !told.IsZero() {
		t.Errorf("told recorded before notice: %+v", told)
	}
}

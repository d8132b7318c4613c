package fieldwork_test

import (
	"strings"
	"testing"

	"github.com/ofsted/focusedvisits/internal/fieldwork"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// TestCheckContact: a child is contacted only once a parent's or carer's
// agreement is recorded for the same case, on or before the day; an answer
// declined or withdrawn since stops it; the agreement found is the one the
// contact rests on.
func TestCheckContact(t *testing.T) {
	t.Parallel()
	day := workday.NewDate(2025, 4, 23)
	agreed := fieldwork.Contact{PublicID: "agree-a", SamplePublicID: "a", Who: "parent", HeldOn: day, Agreement: "agreed"}
	otherCase := fieldwork.Contact{PublicID: "agree-b", SamplePublicID: "b", Who: "carer", HeldOn: day, Agreement: "agreed"}
	withdrawn := fieldwork.Contact{PublicID: "withdraw-a", SamplePublicID: "a", Who: "carer", HeldOn: day.AddDays(1), Agreement: "withdrawn"}
	noAnswer := fieldwork.Contact{PublicID: "talk-a", SamplePublicID: "a", Who: "parent", HeldOn: day.AddDays(1)}
	declined := fieldwork.Contact{PublicID: "decline-c", SamplePublicID: "c", Who: "parent", HeldOn: day, Agreement: "declined"}
	facts := func(earlier ...fieldwork.Contact) fieldwork.ContactFacts {
		return fieldwork.ContactFacts{Today: day.AddDays(5), Samples: []string{"a", "b", "c"}, Inspectors: []int64{1}, Earlier: earlier}
	}
	child := func(sample string, on workday.Date) fieldwork.Contact {
		return fieldwork.Contact{SamplePublicID: sample, Who: "child", Description: "Child, 11", Mode: "video", HeldOn: on, InspectorID: 1, Said: "They listened."}
	}
	for _, tc := range []struct {
		name      string
		c         fieldwork.Contact
		f         fieldwork.ContactFacts
		field     string // the first error's field, "" for none
		message   string
		agreement string
	}{
		{"no agreement at all", child("a", day), facts(), "who", fieldwork.NoAgreementMessage, ""},
		{"agreement for another case", child("a", day), facts(otherCase), "who", fieldwork.NoAgreementMessage, ""},
		{"agreement recorded", child("a", day), facts(agreed), "", "", "agree-a"},
		{"agreement after the contact's day", child("a", day.AddDays(-1)), facts(agreed), "who", fieldwork.NoAgreementMessage, ""},
		{"a contact with no answer leaves the agreement standing", child("a", day.AddDays(2)), facts(agreed, noAnswer), "", "", "agree-a"},
		{"withdrawn later", child("a", day.AddDays(1)), facts(agreed, withdrawn), "who", fieldwork.WithdrawnMessage, ""},
		{"withdrawn after the contact's day", child("a", day), facts(agreed, withdrawn), "", "", "agree-a"},
		{"declined", child("c", day), facts(declined), "who", fieldwork.DeclinedMessage, ""},
		{"a child needs a case", child("", day), facts(agreed), "case", "", ""},
		{"a child gives no answer", func() fieldwork.Contact { c := child("a", day); c.Agreement = "agreed"; return c }(), facts(agreed), "agreement", "", ""},
		{"an answer needs a case", fieldwork.Contact{Who: "parent", Description: "Mother", Mode: "phone", HeldOn: day, InspectorID: 1, Said: "Yes.", Agreement: "agreed"}, facts(), "agreement", "", ""},
		{"a parent needs no agreement", fieldwork.Contact{SamplePublicID: "a", Who: "parent", Description: "Mother", Mode: "phone", HeldOn: day, InspectorID: 1, Said: "Yes.", Agreement: "agreed"}, facts(), "", "", ""},
		{"in the future", fieldwork.Contact{Who: "parent", Description: "Mother", Mode: "phone", HeldOn: day.AddDays(6), InspectorID: 1, Said: "Yes."}, facts(), "held-on", "", ""},
		{"not the visit's inspector", fieldwork.Contact{Who: "carer", Description: "Foster carer", Mode: "phone", HeldOn: day, InspectorID: 2, Said: "Yes."}, facts(), "inspector", "", ""},
		{"nothing said", fieldwork.Contact{Who: "carer", Description: "Foster carer", Mode: "phone", HeldOn: day, InspectorID: 1, Said: " "}, facts(), "said", "", ""},
	} {
		errs, agreement := fieldwork.CheckContact(tc.c, tc.f)
		switch {
		case tc.field == "" && errs.Any():
			t.Errorf("%s: %v", tc.name, errs)
		case tc.field != "" && (!errs.Any() || errs[0].Field != tc.field):
			t.Errorf("%s: %v, want an error on %s", tc.name, errs, tc.field)
		case tc.message != "" && errs[0].Message != tc.message:
			t.Errorf("%s: %q, want %q", tc.name, errs[0].Message, tc.message)
		}
		if agreement != tc.agreement {
			t.Errorf("%s: rests on %q, want %q", tc.name, agreement, tc.agreement)
		}
	}
}

// TestCheckChecks: the two checks of the Young People's Board.
func TestCheckChecks(t *testing.T) {
	t.Parallel()
	if errs := fieldwork.CheckViews(fieldwork.ViewsCheck{Judgement: "partly"}, nil); errs.Any() {
		t.Errorf("a judgement about the visit: %v", errs)
	}
	if errs := fieldwork.CheckViews(fieldwork.ViewsCheck{SamplePublicID: "x", Judgement: "great"}, []string{"a"}); len(errs) != 2 {
		t.Errorf("an unknown case and judgement: %v", errs)
	}
	today := workday.NewDate(2025, 4, 23)
	ok := fieldwork.OfficeCheck{Office: "Coventry", VisitedOn: today, Items: []string{"clean", "feedback_box"}}
	if errs := fieldwork.CheckOffice(ok, "", today); errs.Any() {
		t.Errorf("an office check: %v", errs)
	}
	bad := fieldwork.OfficeCheck{Office: " ", VisitedOn: today.AddDays(1), Items: []string{"pool table"}, Notes: strings.Repeat("x", fieldwork.MaxText+1)}
	if errs := fieldwork.CheckOffice(bad, "", today); len(errs) != 4 {
		t.Errorf("a bad office check: %v", errs)
	}
}

// TestCheckContacts: contacts are children's data; QAM, administrators and
// Cafcass are refused as if they were not there.
func TestCheckContacts(t *testing.T) {
	t.Parallel()
	d := visit.Details{Members: []visit.Member{
		{UserID: 1, Role: visit.RoleLead}, {UserID: 2, Role: visit.RoleTeam}, {UserID: 3, Role: visit.RoleQAM},
		{UserID: 4, Role: visit.RoleSAO}, {UserID: 5, Role: visit.RoleCafcass}, {UserID: 7, Role: visit.RoleModerator},
	}}
	d.Status = visit.Active
	for _, tc := range []struct {
		u     user.User
		allow bool
	}{
		{user.User{ID: 1, Role: user.LeadInspector}, true},
		{user.User{ID: 2, Role: user.TeamInspector}, true},
		{user.User{ID: 4, Role: user.SAO}, true},
		{user.User{ID: 3, Role: user.QAM}, false},
		{user.User{ID: 7, Role: user.QAM}, false},
		{user.User{ID: 5, Role: user.CafcassCEO}, false},
		{user.User{ID: 6, Role: user.Admin}, false},
		{user.User{ID: 8, Role: user.LeadInspector}, false},
	} {
		for _, a := range []fieldwork.Action{fieldwork.SeeContacts, fieldwork.RecordContact} {
			err := fieldwork.Check(a, tc.u, d, fieldwork.Facts{})
			if (err == nil) != tc.allow {
				t.Errorf("%s by %s %d: %v", a, tc.u.Role, tc.u.ID, err)
			}
		}
	}
	d.Status = visit.Cancelled
	if fieldwork.May(fieldwork.RecordContact, user.User{ID: 1, Role: user.LeadInspector}, d, fieldwork.Facts{}) {
		t.Error("a contact recorded on a cancelled visit")
	}
}

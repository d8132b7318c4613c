package fieldwork

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// Children, parents and carers (issue 17, item 5). Inspectors talk to
// children, parents and carers by phone or video (the guidance, seed 002:
// "Inspectors may use video calls to engage with children, parents and
// carers"), or face to face where that is agreed; they talk to a child only
// if the child's parents or carers agree (seed 000: "we will talk to
// children on the telephone ... if their parents or carers agree with
// this"). All of it is children's data (DOMAIN decision 17).

// ContactWho is who was contacted.
var ContactWho = []Choice{{"parent", "Parent"}, {"carer", "Carer"}, {"child", "Child"}}

// ContactModes are how a contact is held: phone and video first (the
// guidance), in person where the visit's arrangements allow.
var ContactModes = []Choice{{"phone", "Phone"}, {"video", "Video"}, {"in_person", "In person"}}

// Agreements are a parent's or carer's answer about contacting the child.
// "none" stands for no answer ("" as stored).
var Agreements = []Choice{
	{"none", "Not asked, or no change"},
	{"agreed", "Agreed to the child being contacted"},
	{"declined", "Did not agree to the child being contacted"},
	{"withdrawn", "Withdrew their agreement to the child being contacted"},
}

// WhoLabel, ContactModeLabel and AgreementLabel are the words of a value.
func WhoLabel(v string) string         { return labelOf(ContactWho, v) }
func ContactModeLabel(v string) string { return labelOf(ContactModes, v) }
func AgreementLabel(v string) string {
	if v == "" {
		v = "none"
	}
	return labelOf(Agreements, v)
}

// Contact is a contact with a child, a parent or a carer, with what they
// said, about one sampled case or none. A parent's or carer's contact may
// record their answer about contacting the child; a child's contact rests
// on the contact that recorded the agreement (same case).
type Contact struct {
	PublicID       string
	SamplePublicID string // "" for no case
	CaseID         string
	ChildID        string
	Who            string // one of ContactWho
	Description    string // "Mother", "Child, 11": no names needed
	Mode           string // one of ContactModes
	HeldOn         workday.Date
	InspectorID    int64
	InspectorName  string
	Said           string
	Agreement      string // "", "agreed", "declined" or "withdrawn" (a parent or carer)
	// AgreementPublicID is, for a child, the contact that recorded the
	// agreement the contact rests on.
	AgreementPublicID string
	RecordedAt        time.Time
}

// IsAnswer reports whether the contact records a parent's or carer's
// answer about contacting the child.
func (c Contact) IsAnswer() bool { return c.Who != "child" && c.Agreement != "" }

// Standing is the answer that stands for a case on a day: the latest answer
// recorded by a parent or carer of the case on or before the day (contacts
// in the order they were recorded break ties). ok is false when there is
// none. earlier are the visit's contacts, oldest first.
func Standing(earlier []Contact, samplePublicID string, day workday.Date) (answer Contact, ok bool) {
	for _, c := range earlier {
		if c.SamplePublicID != samplePublicID || !c.IsAnswer() || c.HeldOn.After(day) {
			continue
		}
		if !ok || !c.HeldOn.Before(answer.HeldOn) {
			answer, ok = c, true
		}
	}
	return answer, ok
}

// The refusals of a child contact, as the error summary says them.
const (
	NoAgreementMessage        = "You cannot record a contact with a child until a parent's or carer's agreement is recorded for this case"
	DeclinedMessage           = "You cannot record a contact with this child: a parent or carer did not agree to the child being contacted"
	WithdrawnMessage          = "You cannot record a contact with this child: a parent or carer withdrew their agreement"
	childNeedsCaseMessage     = "Select the case: a child is contacted only about a case in the sample"
	answerNeedsCaseMessage    = "Select the case the parent's or carer's answer is about"
	childGivesNoAnswerMessage = "Only a parent or carer answers for the child: select 'Not asked, or no change'"
)

// MaxDescription bounds who a contact was with.
const MaxDescription = 200

// ContactFacts are what CheckContact needs beyond the contact.
type ContactFacts struct {
	DateMsg    string       // how the day parsed ("" when it did)
	Today      workday.Date // a contact recorded happened (DOMAIN decision 10)
	Samples    []string     // the public ids of the visit's sampled cases
	Inspectors []int64      // who may have held it: the visit's lead and team inspectors
	Earlier    []Contact    // the visit's contacts so far, oldest first
}

// CheckContact checks a contact, keyed by form field in order. For a child
// it also finds the agreement the contact rests on: a child is contacted
// only once a parent's or carer's agreement is recorded for the case, and
// not after it was declined or withdrawn. agreement is the public id of that
// agreement's contact ("" for a parent or carer, or when refused).
func CheckContact(c Contact, f ContactFacts) (errs form.Errors, agreement string) {
	if c.SamplePublicID != "" {
		ok := false
		for _, s := range f.Samples {
			ok = ok || s == c.SamplePublicID
		}
		if !ok {
			errs.Add("case", "Select a case in the sample, or no case")
		}
	}
	if !known(ContactWho, c.Who) {
		errs.Add("who", "Select who you contacted")
	}
	switch {
	case strings.TrimSpace(c.Description) == "":
		errs.Add("description", "Describe who you contacted, for example Mother or Child, 11")
	case utf8.RuneCountInString(c.Description) > MaxDescription:
		errs.Add("description", fmt.Sprintf("The description must be %d characters or fewer", MaxDescription))
	}
	if !known(ContactModes, c.Mode) {
		errs.Add("mode", "Select how you contacted them")
	}
	switch {
	case f.DateMsg != "":
		errs.AddDate("held-on", f.DateMsg)
	case c.HeldOn.After(f.Today):
		errs.AddDate("held-on", "The date of the contact must be today or in the past")
	}
	ok := false
	for _, id := range f.Inspectors {
		ok = ok || id == c.InspectorID
	}
	if !ok {
		errs.Add("inspector", "Select the inspector who made the contact")
	}
	switch {
	case strings.TrimSpace(c.Said) == "":
		errs.Add("said", "Enter what they said")
	case utf8.RuneCountInString(c.Said) > MaxText:
		errs.Add("said", fmt.Sprintf("What they said must be %d characters or fewer", MaxText))
	}
	a := c.Agreement
	if a == "" {
		a = "none"
	}
	switch {
	case !known(Agreements, a):
		errs.Add("agreement", "Select the parent's or carer's answer about contacting the child")
	case c.Who == "child" && c.Agreement != "":
		errs.Add("agreement", childGivesNoAnswerMessage)
	case c.Who != "child" && c.Agreement != "" && c.SamplePublicID == "":
		errs.Add("agreement", answerNeedsCaseMessage)
	}
	if c.Who != "child" {
		return errs, ""
	}
	if c.SamplePublicID == "" {
		errs.Add("case", childNeedsCaseMessage)
		return errs, ""
	}
	day := c.HeldOn
	if f.DateMsg != "" {
		day = f.Today
	}
	answer, found := Standing(f.Earlier, c.SamplePublicID, day)
	switch {
	case !found:
		errs.Add("who", NoAgreementMessage)
	case answer.Agreement == "declined":
		errs.Add("who", DeclinedMessage)
	case answer.Agreement == "withdrawn":
		errs.Add("who", WithdrawnMessage)
	case !errs.Any():
		return errs, answer.PublicID
	}
	return errs, ""
}

// ViewsJudgements are the judgements of how well children's views are
// heard (the Young People's Board's first check, seed 000: "how well Cafcass
// makes sure children and young people's views are always heard").
var ViewsJudgements = []Choice{
	{"well", "Children's views are heard well"},
	{"partly", "Children's views are heard in part"},
	{"not_well", "Children's views are not heard well enough"},
}

// ViewsLabel is the words of a judgement.
func ViewsLabel(v string) string { return labelOf(ViewsJudgements, v) }

// ViewsCheck is a judgement of how well children's views are heard, about
// the visit as a whole or one sampled case, with notes (which may name a
// child: children's data).
type ViewsCheck struct {
	SamplePublicID string
	CaseID         string
	ChildID        string
	Judgement      string
	Notes          string
	ByName         string
	RecordedAt     time.Time
}

// CheckViews checks a judgement, keyed by form field in order.
func CheckViews(v ViewsCheck, samples []string) form.Errors {
	var errs form.Errors
	if v.SamplePublicID != "" {
		ok := false
		for _, s := range samples {
			ok = ok || s == v.SamplePublicID
		}
		if !ok {
			errs.Add("case", "Select a case in the sample, or the visit as a whole")
		}
	}
	if !known(ViewsJudgements, v.Judgement) {
		errs.Add("judgement", "Select how well children's views are heard")
	}
	if utf8.RuneCountInString(v.Notes) > MaxText {
		errs.Add("notes", fmt.Sprintf("The notes must be %d characters or fewer", MaxText))
	}
	return errs
}

// OfficeChecklist is how welcoming an office is where children and young
// people meet Cafcass workers (the Young People's Board's second check,
// seed 000), in the board's words: "clean and friendly offices made a big
// difference to a child's experience of Cafcass"; a feedback box ("most
// offices have one of these") and a paper survey to leave in it; and
// information in a different format, "such as large print or Braille".
var OfficeChecklist = []Choice{
	{"clean", "The office is clean"},
	{"friendly", "The office is friendly to children and young people"},
	{"meeting_place", "There is a welcoming place where children and young people meet Cafcass workers"},
	{"feedback_box", "There is a feedback box children and young people can use"},
	{"paper_survey", "Paper surveys are left for children and young people to fill in"},
	{"other_formats", "Information for children is available in other formats, such as large print or Braille"},
}

// OfficeItemLabel is the words of a checklist item.
func OfficeItemLabel(v string) string { return labelOf(OfficeChecklist, v) }

// OfficeCheck is how welcoming an office visited is: the checklist items
// seen, and notes (treated as children's data: they may name a child).
type OfficeCheck struct {
	Office     string
	VisitedOn  workday.Date
	Items      []string // codes of OfficeChecklist seen
	Notes      string
	ByName     string
	RecordedAt time.Time
}

// MaxOffice bounds an office's name.
const MaxOffice = 200

// CheckOffice checks an office check, keyed by form field in order.
func CheckOffice(o OfficeCheck, dateMsg string, today workday.Date) form.Errors {
	var errs form.Errors
	switch {
	case strings.TrimSpace(o.Office) == "":
		errs.Add("office", "Enter the office you visited")
	case utf8.RuneCountInString(o.Office) > MaxOffice:
		errs.Add("office", fmt.Sprintf("The office must be %d characters or fewer", MaxOffice))
	}
	switch {
	case dateMsg != "":
		errs.AddDate("visited-on", dateMsg)
	case o.VisitedOn.After(today):
		errs.AddDate("visited-on", "The date of the visit to the office must be today or in the past")
	}
	for _, it := range o.Items {
		if !known(OfficeChecklist, it) {
			errs.Add("items", "Select what you saw from the list")
			break
		}
	}
	if utf8.RuneCountInString(o.Notes) > MaxText {
		errs.Add("notes", fmt.Sprintf("The notes must be %d characters or fewer", MaxText))
	}
	return errs
}

// The actions on contacts and the two checks.
const (
	// SeeContacts: contacts with children, parents and carers and the two
	// checks (the visit's lead, team inspectors and SAOs: children's data).
	SeeContacts Action = "see_contacts"
	// RecordContact: record a contact or a check (the same people, while
	// the visit is active).
	RecordContact Action = "record_contact"
)

// checkContacts is Check for the contact actions.
func checkContacts(a Action, u user.User, d visit.Details) error {
	refuse := func(err error, reason string) error { return &RuleError{Action: a, Reason: reason, err: err} }
	if !visit.CanSeeChildData(u, d) {
		return refuse(ErrNotThere, "contacts with children and families are children's data")
	}
	if a == RecordContact && d.Status != visit.Active {
		return refuse(ErrNotAllowed, "the visit is cancelled")
	}
	return nil
}

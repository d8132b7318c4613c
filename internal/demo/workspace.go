package demo

import (
	"context"
	"fmt"

	"github.com/ofsted/focusedvisits/internal/fieldwork"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// loadWorkspace fills the visit workspace (issue 17) of the visit in
// fieldwork, for a newcomer to see it in use: the set-up call record (with
// an internal note Cafcass never sees), two conversations with
// stakeholders, and a fieldwork plan of three sampled cases from an
// accepted child-level list, released to Cafcass, with their discussions
// on the two fieldwork days (today and the next working day), with a first
// evidence note and a line of enquiry.
func loadWorkspace(ctx context.Context, tx *store.Store, visitID int64, notice, today workday.Date, users map[user.Role][]user.User) error {
	cal := workday.EnglandAndWales()
	lead := users[user.LeadInspector][0]
	team := users[user.TeamInspector][0]
	err := tx.SaveSetUpCall(ctx, visitID, fieldwork.SetUpCall{
		HeldOn:             notice,
		OversightChanges:   "A new director of operations for the South East started in September.",
		PrioritiesProtocol: "no",
		Offices:            "Milton Keynes and Chatham are open; most practitioners work from home three days a week.",
		WorkingPractice:    "First hearings are mostly remote; guardians see children in person.",
		RecordAccess:       "platform",
		EvidenceMix:        "mixed",
		EvidenceDetail:     "Two inspectors at Chatham on both fieldwork days; the others join case discussions by video.",
		AuditList:          "Cafcass will audit six private law and four public law cases closed in the last six months.",
		Adjustments:        "One practitioner needs breaks every hour.",
		OtherAgreed:        "A daily check-in call at 16:00 with the head of practice.",
		InternalNotes:      "The chief executive was unsure whether the list of audits would be ready by day 5: check on day 3.",
	}, lead)
	if err != nil {
		return fmt.Errorf("demo set-up call: %w", err)
	}
	for i, c := range []fieldwork.Conversation{
		{Kind: "judiciary", Who: "Designated family judge, Medway", Note: "Reports delays in section 7 reports since the summer; praises the quality of guardians' analysis."},
		{Kind: "local_authority", Who: "Head of children's services, Kent", Note: "Good joint working on pre-proceedings; concern about late allocation of guardians in two recent cases."},
	} {
		c.HeldOn, err = cal.Add(notice, i+1)
		if err != nil {
			return err
		}
		c.HeldBy = lead.ID
		if err := tx.AddConversation(ctx, visitID, c, lead); err != nil {
			return fmt.Errorf("demo conversation: %w", err)
		}
	}

	// The fieldwork plan of the sample the request's loader chose
	// (loadFieldworkRequest: an accepted list, two cases, not yet released
	// to Cafcass, so the analyst still has the release to do).
	sample, err := tx.ListSample(ctx, visitID)
	if err != nil {
		return err
	}
	tomorrow, err := cal.Add(today, 1)
	if err != nil {
		return err
	}
	plans := map[string]fieldwork.Discussion{
		"CF-1001": {InspectorID: team.ID, Day: today, Start: 10 * 60, Minutes: 60, Mode: "in_person", Practitioner: "Priya Patel", Manager: "Alex Brown", Note: "Ask how both children's wishes were heard."},
		"CF-1002": {InspectorID: lead.ID, Day: tomorrow, Start: 14 * 60, Minutes: 90, Mode: "video", Practitioner: "Sam Okafor", Manager: "Alex Brown"},
	}
	for _, s := range sample {
		p := plans[s.CaseID]
		p.SamplePublicID = s.PublicID
		if err := tx.SaveDiscussion(ctx, visitID, p, "", lead); err != nil {
			return fmt.Errorf("demo discussion %s: %w", s.CaseID, err)
		}
	}
	// Evidence from the first morning of fieldwork, and a line of enquiry.
	for _, n := range []struct {
		fieldwork.Note
		by user.User
	}{
		{fieldwork.Note{SamplePublicID: sample[0].PublicID, Area: "private_law", Focus: "seeing_children", Kind: "evidence",
			Body: "The child was seen by video before the first hearing; the practitioner explained why an office visit was not possible."}, team},
		{fieldwork.Note{Area: "leaders", Focus: "line_of_sight", Kind: "enquiry",
			Body: "Ask the head of practice how audit findings reach practitioners."}, lead},
	} {
		if err := tx.AddNote(ctx, visitID, n.Note, n.by); err != nil {
			return fmt.Errorf("demo evidence: %w", err)
		}
	}
	return loadContacts(ctx, tx, visitID, sample[0].PublicID, today, lead, team)
}

// loadContacts records, on the first fieldwork day, a mother's agreement to
// her child being contacted, the contact with the child that rests on it,
// and the check of the office at Chatham (issue 17, item 5).
func loadContacts(ctx context.Context, tx *store.Store, visitID int64, sample string, today workday.Date, lead, team user.User) error {
	parent := fieldwork.Contact{SamplePublicID: sample, Who: "parent", Description: "Mother", Mode: "phone", HeldOn: today, InspectorID: team.ID,
		Said: "The guardian explained the court's decision clearly; she felt her daughter's wishes were taken seriously.", Agreement: "agreed"}
	if err := tx.AddContact(ctx, visitID, parent, "", team); err != nil {
		return fmt.Errorf("demo parent contact: %w", err)
	}
	contacts, err := tx.ListContacts(ctx, visitID)
	if err != nil {
		return err
	}
	child := fieldwork.Contact{SamplePublicID: sample, Who: "child", Description: "Child, 11", Mode: "video", HeldOn: today, InspectorID: team.ID,
		Said: "She liked talking to her guardian at school and knew what the judge had decided and why."}
	if err := tx.AddContact(ctx, visitID, child, contacts[len(contacts)-1].PublicID, team); err != nil {
		return fmt.Errorf("demo child contact: %w", err)
	}
	office := fieldwork.OfficeCheck{Office: "Chatham", VisitedOn: today, Items: []string{"clean", "friendly", "meeting_place", "feedback_box"},
		Notes: "A bright family room with toys; no paper surveys by the feedback box."}
	if err := tx.AddOfficeCheck(ctx, visitID, office, lead); err != nil {
		return fmt.Errorf("demo office check: %w", err)
	}
	return nil
}

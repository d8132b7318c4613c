package demo

import (
	"context"
	"fmt"
	"strings"

	"github.com/ofsted/focusedvisits/internal/annexa"
	"github.com/ofsted/focusedvisits/internal/childdata"
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
	lead, ceo := users[user.LeadInspector][0], users[user.CafcassCEO][0]
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

	// An accepted child-level list and a sample from it.
	if _, err := tx.SetRequest(ctx, visitID, annexa.Current, []store.Pick{{Number: "CL.1", DueDay: 3}}, lead); err != nil {
		return fmt.Errorf("demo request: %w", err)
	}
	items, err := tx.ListItems(ctx, visitID)
	if err != nil {
		return err
	}
	var item *store.RequestItem
	for i := range items {
		if items[i].Kind == annexa.ChildList {
			item = &items[i]
		}
	}
	if item == nil {
		return fmt.Errorf("demo: visit %d has no child-level list item", visitID)
	}
	cover := childdata.DateRange{From: notice.AddDays(-14), To: notice.AddDays(-1)}
	d := func(x workday.Date) string { return x.Format("02/01/2006") }
	var b strings.Builder
	b.WriteString("Case ref,Child ID,Case name,Gender,Ethnicity,Disability (Y/N),DOB,Lead application,Law type,Case type,Practitioner,Team,Service area,Local authority,Court,Case start date,Case end date,Child seen (Y/N),Section 7 filed,Audit (Y/N)\n")
	for _, r := range [][]string{
		{"CF-2001", "1", "Re J", "14/03/2016", "Private", "s7", "", "Priya Patel"},
		{"CF-2002", "1", "Re K", "21/07/2020", "Public", "s31", "Kent", "Sam Okafor"},
		{"CF-2003", "1", "Re L", "02/11/2018", "Private", "s8", "", "Jo Whitfield"},
	} {
		fmt.Fprintf(&b, "%s,%s,%s,F,White British,N,%s,C100,%s,%s,%s,Team 4,South East,%s,Medway,%s,%s,Y,N,N\n",
			r[0], r[1], r[2], r[3], r[4], r[5], r[7], r[6], d(cover.From.AddDays(-200)), d(cover.From.AddDays(3)))
	}
	csv := b.String()
	_, _, err = tx.ImportChildList(ctx, store.NewChildList{VisitID: visitID, ItemID: item.ID, FileName: item.Number + " closed cases.csv", Cover: cover},
		func(accept func(*childdata.Row) error) (*childdata.Result, error) {
			return childdata.Check(childdata.NewCSV(strings.NewReader(csv)), cover, childdata.Options{Today: today, Accept: accept})
		}, ceo)
	if err != nil {
		return fmt.Errorf("demo child list: %w", err)
	}
	for _, s := range []struct{ caseID, reason string }{
		{"CF-2001", "Private law: a child not seen before the first hearing"},
		{"CF-2002", "Public law: a guardian allocated late"},
		{"CF-2003", "Private law: recommendations changed after the section 7 report"},
	} {
		if err := tx.AddToSample(ctx, visitID, s.caseID, "1", s.reason, team.ID, lead); err != nil {
			return fmt.Errorf("demo sample %s: %w", s.caseID, err)
		}
	}
	if err := tx.ReleaseSample(ctx, visitID, lead); err != nil {
		return err
	}
	sample, err := tx.ListSample(ctx, visitID)
	if err != nil {
		return err
	}
	tomorrow, err := cal.Add(today, 1)
	if err != nil {
		return err
	}
	plans := map[string]fieldwork.Discussion{
		"CF-2001": {InspectorID: team.ID, Day: today, Start: 10 * 60, Minutes: 60, Mode: "in_person", Practitioner: "Priya Patel", Manager: "Alex Brown", Note: "Ask why the child was seen only after the first hearing."},
		"CF-2002": {InspectorID: lead.ID, Day: today, Start: 14 * 60, Minutes: 90, Mode: "video", Practitioner: "Sam Okafor", Manager: "Alex Brown"},
		"CF-2003": {InspectorID: team.ID, Day: tomorrow, Start: 9*60 + 30, Minutes: 60, Mode: "phone", Practitioner: "Jo Whitfield"},
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
	return nil
}

package demo

import (
	"context"
	"fmt"

	"github.com/ofsted/focusedvisits/internal/letter"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// loadLetters gives the demo visits past fieldwork their letter of
// findings, as far as their stage goes:
//
//   - "awaiting the letter": version 1 returned by the QAM with a comment on
//     the introduction, version 2 written in answer and back in QA;
//   - "draft letter sent, priority action": a letter with an area for
//     priority action, approved, moderated (internal notes), and sent as the
//     draft on the day the stage recorded.
//
// Other stages have no letter. Call it from loadVisits once a stage's
// events are recorded: loadLetters(ctx, tx, st.name, id, today, users).
func loadLetters(ctx context.Context, tx *store.Store, stageName string, visitID int64, today workday.Date, users map[user.Role][]user.User) error {
	lead, qam := users[user.LeadInspector][0], users[user.QAM][0]
	save := func(base int, c letter.Content, to letter.State) error {
		_, err := tx.SaveLetterVersion(ctx, visitID, base, c, to, lead)
		return err
	}
	move := func(a letter.Action, from, to letter.State, version int, by user.User) error {
		return tx.MoveLetter(ctx, visitID, store.LetterMove{Action: a, From: from, To: to, Version: version}, by)
	}
	switch stageName {
	case "awaiting the letter":
		first := demoLetter(false)
		first.Sections[letter.Introduction] = "Ofsted carried out a focused visit of Cafcass. Inspectors looked at private and public law practice and at the impact of leaders."
		if err := save(0, first, letter.Drafting); err != nil {
			return fmt.Errorf("demo letter: %w", err)
		}
		if err := move(letter.Submit, letter.Drafting, letter.InQA, 1, lead); err != nil {
			return fmt.Errorf("demo letter: %w", err)
		}
		if err := tx.ReturnLetter(ctx, visitID, store.LetterMove{Action: letter.Return, From: letter.InQA, To: letter.Returned, Version: 1},
			[]store.NewQAComment{{Section: letter.Introduction, Comment: "Say when the visit took place, how inspectors worked (on site or remotely) and which service areas they looked at."}}, qam); err != nil {
			return fmt.Errorf("demo letter: %w", err)
		}
		if err := save(1, demoLetter(false), letter.Returned); err != nil {
			return fmt.Errorf("demo letter: %w", err)
		}
		return move(letter.Submit, letter.Returned, letter.InQA, 2, lead)

	case "draft letter sent, priority action":
		if err := save(0, demoLetter(true), letter.Drafting); err != nil {
			return fmt.Errorf("demo letter: %w", err)
		}
		if err := move(letter.Submit, letter.Drafting, letter.InQA, 1, lead); err != nil {
			return fmt.Errorf("demo letter: %w", err)
		}
		if err := move(letter.Approve, letter.InQA, letter.InModeration, 1, qam); err != nil {
			return fmt.Errorf("demo letter: %w", err)
		}
		mod := letter.Moderation{Outcome: letter.Agreed,
			Notes: "The priority action is well evidenced: caseload figures for three service areas and eight of the cases sampled. The dates stand."}
		if err := tx.RecordModeration(ctx, visitID, store.LetterMove{Action: letter.Moderate, From: letter.InModeration, To: letter.Moderated, Version: 1}, mod, qam); err != nil {
			return fmt.Errorf("demo letter: %w", err)
		}
		day := today
		if a, ok := recorded(ctx, tx, visitID, timeline.CodeDraftLetter); ok {
			day = a.Date
		}
		return tx.SendDraftLetter(ctx, visitID, store.LetterMove{Action: letter.SendDraft, From: letter.Moderated, To: letter.DraftSent, Version: 1}, day, lead)
	}
	return nil
}

// demoLetter is a plausible focused-visit letter, with or without an area
// for priority action.
func demoLetter(priority bool) letter.Content {
	c := letter.Content{
		Sections: map[letter.Section]string{
			letter.Introduction: "Ofsted carried out a focused visit of Cafcass over two days, working remotely and in the Midlands and South East service areas. Inspectors looked at private and public law practice and at the impact of leaders.\n\nInspectors spoke with practitioners and managers, and looked at the records of 40 children.",
			letter.Strengths:    "Practitioners know the children they work with well, and their work is child-centred.",
			letter.Improvement:  "Leaders have a clear view of where practice needs to improve, but have not yet made the changes they planned.",
			letter.NextSteps:    "Cafcass should update its existing action plan and send it with its next self-evaluation.",
		},
		Findings: []letter.Finding{
			{Kind: letter.KindStrength, Area: letter.PrivateLaw, Text: "Work before first hearings is timely and makes sure children's safety is considered early."},
			{Kind: letter.KindStrength, Area: letter.Leaders, Text: "Leaders use the prioritisation protocol well to direct work where the risk to children is greatest."},
			{Kind: letter.KindImprovement, Area: letter.PublicLaw, Text: "Recording of why and where children are seen is not always clear."},
		},
	}
	if priority {
		c.Sections[letter.PriorityAction] = "Inspectors found a serious weakness that needs action now."
		c.Sections[letter.NextSteps] = "Cafcass should send a draft updated action plan within 20 working days of the final letter, and its updated plan within 70 working days."
		c.Findings = append(c.Findings, letter.Finding{Kind: letter.KindPriorityAction, Area: letter.PublicLaw,
			Text: "Children's guardians in three service areas hold too many cases to see every child in good time; leaders must reduce caseloads."})
	}
	return c
}

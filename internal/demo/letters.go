package demo

import (
	"context"
	"fmt"
	"time"

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
//     draft on the day the stage recorded; then version 2, its area for
//     priority action reworded, waiting for the moderator;
//   - stageComplaintHolds: the whole path to a final letter under embargo,
//     with a complaint made in time and not resolved, so publication (due
//     before today) is held;
//   - stagePublished: the whole path to publication: returned once by QA,
//     approved, sent, a comment from the chief executive with Ofsted's
//     response, a revised final, published on its date by the scheduled
//     jobs LoadAt runs (see loadWholePath).
//
// Other stages have no letter. Call it from loadVisits once a stage's
// events are recorded: loadLetters(ctx, tx, st.name, id, today, users).
func loadLetters(ctx context.Context, tx *store.Store, stageName string, visitID int64, today workday.Date, users map[user.Role][]user.User) error {
	lead, qam, moderator := users[user.LeadInspector][0], users[user.QAM][0], users[user.QAM][1]
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
		if err := tx.RecordModeration(ctx, visitID, store.LetterMove{Action: letter.Moderate, From: letter.InModeration, To: letter.Moderated, Version: 1}, mod, moderator); err != nil {
			return fmt.Errorf("demo letter: %w", err)
		}
		day := today
		if a, ok := recorded(ctx, tx, visitID, timeline.CodeDraftLetter); ok {
			day = a.Date
		}
		if err := tx.SendDraftLetter(ctx, visitID, store.LetterMove{Action: letter.SendDraft, From: letter.Moderated, To: letter.DraftSent, Version: 1}, day, lead); err != nil {
			return fmt.Errorf("demo letter: %w", err)
		}
		// Preparing the final, the lead inspector sharpens the area for
		// priority action: the moderator must moderate it again before the
		// final goes (DOMAIN decision 14).
		final := demoLetter(true)
		final.Findings[len(final.Findings)-1].Text = "Children's guardians in three service areas hold too many cases to see every child before the first hearing; leaders must reduce caseloads there within three months."
		if _, err := tx.SaveLetterVersion(ctx, visitID, 1, final, letter.DraftSent, lead); err != nil {
			return fmt.Errorf("demo letter: %w", err)
		}
		return linkDemoEvidence(ctx, tx, visitID, users)

	case stagePublished, stageComplaintHolds:
		if err := loadWholePath(ctx, tx, visitID, stageName == stagePublished, users); err != nil {
			return fmt.Errorf("demo letter (%s): %w", stageName, err)
		}
	}
	return nil
}

// The stages whose letter goes the whole path.
const (
	stagePublished      = "letter published"
	stageComplaintHolds = "final letter under embargo, complaint in time"
)

// easterNotice is the notice day of DOMAIN B.4's Easter 2025 example: the
// draft goes on Mon 12 May, comments are due Mon 19 May, the final goes on
// Thu 29 May and the letter is published on Tue 10 Jun 2025.
var easterNotice = workday.NewDate(2025, time.April, 14)

// publishedNotice is the notice day of the published demo visit: the
// Easter 2025 example when it is well past, else otherwise (so that demo
// data loaded for an earlier day, as tests do, is still in the past).
func publishedNotice(cal *workday.Calendar, today, otherwise workday.Date) workday.Date {
	if last, err := cal.Add(easterNotice, 60); err == nil && last.Before(today) {
		return easterNotice
	}
	return otherwise
}

// loadWholePath takes a visit past fieldwork through the whole path, each
// step on its planned day: version 1 returned by the QAM with a comment,
// version 2 approved and sent as the draft; a comment from the chief
// executive on the findings, submitted in time, with Ofsted's response;
// version 3 (answering it) sent as the final. Then, when publish is set, the
// letter is left for the scheduled jobs to publish on its publication date;
// otherwise the chief executive makes a complaint in time, which holds
// publication.
func loadWholePath(ctx context.Context, tx *store.Store, visitID int64, publish bool, users map[user.Role][]user.User) error {
	lead, qam, ceo := users[user.LeadInspector][0], users[user.QAM][0], users[user.CafcassCEO][0]
	d, err := tx.GetVisit(ctx, visitID)
	if err != nil {
		return err
	}
	plan, err := d.Plan(workday.EnglandAndWales(), time.UTC, nil)
	if err != nil {
		return err
	}
	day := func(code string) (workday.Date, error) {
		m, ok := plan.Milestone(code)
		if !ok {
			return workday.Date{}, fmt.Errorf("no %s on the plan", code)
		}
		return m.First(), nil
	}
	move := func(a letter.Action, from, to letter.State, version int, by user.User) error {
		return tx.MoveLetter(ctx, visitID, store.LetterMove{Action: a, From: from, To: to, Version: version}, by)
	}

	first := demoLetter(false)
	first.Sections[letter.Introduction] = "Ofsted carried out a focused visit of Cafcass. Inspectors looked at private and public law practice and at the impact of leaders."
	if _, err := tx.SaveLetterVersion(ctx, visitID, 0, first, letter.Drafting, lead); err != nil {
		return err
	}
	if err := move(letter.Submit, letter.Drafting, letter.InQA, 1, lead); err != nil {
		return err
	}
	if err := tx.ReturnLetter(ctx, visitID, store.LetterMove{Action: letter.Return, From: letter.InQA, To: letter.Returned, Version: 1},
		[]store.NewQAComment{{Section: letter.Introduction, Comment: "Say when the visit took place, how inspectors worked and which service areas they looked at."}}, qam); err != nil {
		return err
	}
	draft := demoLetter(false)
	if _, err := tx.SaveLetterVersion(ctx, visitID, 1, draft, letter.Returned, lead); err != nil {
		return err
	}
	if err := move(letter.Submit, letter.Returned, letter.InQA, 2, lead); err != nil {
		return err
	}
	if err := move(letter.Approve, letter.InQA, letter.Approved, 2, qam); err != nil {
		return err
	}
	sent, err := day(timeline.CodeDraftLetter)
	if err != nil {
		return err
	}
	if err := tx.SendDraftLetter(ctx, visitID, store.LetterMove{Action: letter.SendDraft, From: letter.Approved, To: letter.DraftSent, Version: 2}, sent, lead); err != nil {
		return err
	}

	l, err := tx.GetLetter(ctx, visitID)
	if err != nil {
		return err
	}
	cid, err := tx.AddLetterComment(ctx, l.ID, 2, letter.NewComment{Section: letter.Strengths, About: letter.AboutFindings,
		Body: "The first strength should say that work before first hearings is timely in every service area, not only in the two visited: our national figures show this."}, ceo)
	if err != nil {
		return err
	}
	if _, err := tx.SubmitLetterComments(ctx, visitID, l.ID, false, ceo); err != nil {
		return err
	}
	if err := tx.RespondToLetterComment(ctx, visitID, l.ID, cid,
		"Inspectors saw work before first hearings in the two service areas visited only. The final letter says so, and notes the national figures Cafcass gave.", lead); err != nil {
		return err
	}
	final := demoLetter(false)
	final.Sections[letter.Strengths] = "Practitioners know the children they work with well, and their work is child-centred. In the two service areas visited, work before first hearings is timely; Cafcass's national figures show the same across the country."
	if _, err := tx.SaveLetterVersion(ctx, visitID, 2, final, letter.DraftSent, lead); err != nil {
		return err
	}
	finalDay, err := day(timeline.CodeFinalLetter)
	if err != nil {
		return err
	}
	if err := tx.SendFinalLetter(ctx, visitID, store.LetterMove{Action: letter.SendFinal, From: letter.DraftSent, To: letter.FinalSent, Version: 3}, finalDay, lead); err != nil {
		return err
	}
	// The lead inspector writes the summary for children and young people,
	// published beside the letter.
	if err := tx.WriteChildrenSummary(ctx, visitID, letter.FinalSent, DemoChildrenSummary, finalDay.At(12, 0, 0, 0, time.UTC), lead); err != nil {
		return err
	}

	if !publish {
		_, err := tx.CreateComplaint(ctx, visitID, l.ID,
			"The letter says leaders have not made the changes they planned. The new supervision framework began in every service area before the visit; the evidence was sent with item 1.04 and was not considered.", true, ceo)
		return err
	}
	// Publication is the scheduled jobs' work: LoadAt runs the jobs due once
	// the demo is stored, which publishes it, stamped with its date.
	return nil
}

// DemoChildrenSummary is the demo letter's summary for children and young
// people.
const DemoChildrenSummary = "Ofsted inspectors visited Cafcass. Cafcass helps family courts decide what is best for children.\n\n" +
	"Inspectors found that Cafcass workers know the children they help well, and listen to them. They check early that children are safe.\n\n" +
	"Cafcass needs to write down more clearly when and where workers see children. Its leaders know what needs to get better and are working on it."

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

package tasks

import (
	"slices"
	"strings"

	"github.com/ofsted/focusedvisits/internal/annexa"
	"github.com/ofsted/focusedvisits/internal/letter"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// builder gathers one visit's tasks for one person.
type builder struct {
	in   Input
	v    Visit
	u    user.User
	base string // the visit's page
	// horizon is the last day a task that waits for its day is listed.
	horizon workday.Date
	out     []Task
}

func visitTasks(in Input, v Visit) []Task {
	b := &builder{in: in, v: v, u: in.User, base: "/visits/" + v.PublicID}
	b.horizon = b.nextDay(in.Today, Horizon)
	b.lead()
	b.qualityAssurance()
	b.team()
	b.analyst()
	b.cafcass()
	b.sampled()
	return b.out
}

// add adds a task due by the end of due, from the plan milestone code ("" when
// the deadline is not a milestone's date).
func (b *builder) add(k Kind, what, href string, due workday.Date, code string) {
	b.out = append(b.out, Task{Kind: k, What: what, Visit: b.v.Reference, VisitHref: b.base, Href: href,
		Due: due, Milestone: code, Status: statusBy(due, b.in.Today)})
}

// milestone is the plan's milestone with the code (zero if the plan has none).
func (b *builder) milestone(code string) timeline.Milestone {
	m, _ := b.v.Plan.Milestone(code)
	return m
}

// nextDay is n working days after d (d itself beyond the calendar's span).
func (b *builder) nextDay(d workday.Date, n int) workday.Date {
	if b.in.Calendar == nil || d.IsZero() {
		return d
	}
	next, err := b.in.Calendar.Add(d, n)
	if err != nil {
		return d
	}
	return next
}

// is reports whether the person is on the visit as r with the user role the
// visit role asks for.
func (b *builder) is(r visit.MemberRole, as user.Role) bool {
	return b.u.Role == as && slices.ContainsFunc(b.v.Members, func(m visit.Member) bool { return m.UserID == b.u.ID && m.Role == r })
}

func (b *builder) itemHref(it Item) string { return b.base + "/request/items/" + it.PublicID }

func (b *builder) itemFacts(it Item) annexa.Facts {
	return annexa.Facts{Status: it.Status, Kind: it.Kind, VisitActive: b.v.Status == visit.Active}
}

// lead: the lead inspector's tasks.
func (b *builder) lead() {
	a := visit.ActorFor(b.u, b.v.Details)
	if !a.Lead {
		return
	}
	today := b.in.Today
	fieldwork := b.milestone(timeline.CodeFieldwork)
	// The notice call, on its day (DOMAIN decision 10: a recorded date is
	// today or earlier).
	if m, ok := b.v.Plan.Milestone(timeline.CodeNotice); ok && m.State != timeline.StateActual && !today.Before(m.Date) &&
		visit.May(visit.RecordMilestone, a, b.v.Details, visit.Facts{Milestone: &m}) {
		b.add(RecordNotice, "Record the notice call to the Cafcass chief executive", b.base+"/milestones/"+m.Code+"/record", m.Date, m.Code)
	}
	// The information request, asked for in the notice call: until
	// fieldwork, once notice is near.
	if notice := b.milestone(timeline.CodeNotice); b.v.Requested == 0 && visit.May(visit.EditVisit, a, b.v.Details, visit.Facts{}) &&
		today.Before(fieldwork.First()) && !notice.First().After(b.horizon) {
		b.add(SetUpRequest, "Choose the information to ask Cafcass for", b.base+"/request/edit", notice.First(), notice.Code)
	}
	b.review(false)
	b.answer(true)
	b.letterSteps()
	if b.v.CEOToTell && visit.May(visit.EditVisit, a, b.v.Details, visit.Facts{}) {
		b.add(RecordCEOTold, "Record how you told the Cafcass chief executive of the new dates", b.base+"/ceo-told", today, "")
	}
	for _, id := range b.v.Deferrals {
		if visit.May(visit.DecideDeferral, a, b.v.Details, visit.Facts{}) {
			b.add(DecideDeferral, "Decide on Cafcass’s request to defer the visit", b.base+"/deferrals/"+id+"/decide", fieldwork.First(), fieldwork.Code)
		}
	}
}

// review lists the submitted items the person may accept or return (only
// the child-level and audited-case lists when lists is set), each due by
// the team's off-site evaluation (day 6), which works from them, or by its
// own deadline if that is later (the action plans).
func (b *builder) review(lists bool) {
	aa := annexa.ActorFor(b.u, b.v.Details)
	eval := b.milestone(timeline.CodeOffSiteEvaluation)
	for _, it := range b.v.Items {
		if lists && !it.Kind.HoldsChildData() || !annexa.May(annexa.Accept, aa, b.itemFacts(it)) {
			continue
		}
		what := "Review " + it.Number + " " + it.Title + ": accept it or return it to Cafcass"
		if it.Kind.HoldsChildData() {
			what = "Check " + it.Number + " " + it.Title + ": accept it or return it to Cafcass"
		}
		due, code := eval.Date, eval.Code
		if it.Due.After(due) {
			due, code = it.Due, ""
		}
		b.add(ReviewItem, what, b.itemHref(it), due, code)
	}
}

// answer lists the questions waiting for the person's answer: those put to
// them, and (for the lead inspector) those put to no one in particular; each
// due when its item is, so that Cafcass has the answer in time.
func (b *builder) answer(lead bool) {
	aa := annexa.ActorFor(b.u, b.v.Details)
	for _, q := range b.v.Questions {
		if q.Answered || !(q.AddressedTo == b.u.ID || lead && q.AddressedTo == 0) || !annexa.May(annexa.Answer, aa, b.itemFacts(q.Item)) {
			continue
		}
		b.add(AnswerQuestion, "Answer Cafcass’s question about "+q.Item.Number+" "+q.Item.Title, b.itemHref(q.Item), q.Item.Due, "")
	}
}

// letterSteps are the lead inspector's steps of the letter of findings, each
// due by the letter's date on the plan.
func (b *builder) letterSteps() {
	la := letter.ActorFor(b.u, b.v.Details)
	l := b.v.Letter
	if l.ID == 0 {
		l.State = letter.Drafting // none yet: it starts as a draft
	}
	next := letter.Next(l, la)
	draft, final := b.milestone(timeline.CodeDraftLetter), b.milestone(timeline.CodeFinalLetter)
	fieldwork := b.milestone(timeline.CodeFieldwork)
	facts := b.v.LetterFacts
	facts.CommentWindowClosed = b.in.Today.After(b.milestone(timeline.CodeComments).Last())
	switch {
	case slices.Contains(next, letter.Submit) && draft.State != timeline.StateActual && !b.in.Today.Before(fieldwork.First()):
		what, href := "Write the letter of findings and submit it for quality assurance", b.base+"/letter"
		if l.CurrentVersion == 0 {
			href += "/edit"
		}
		if l.State == letter.Returned {
			what = "Revise the letter of findings returned by quality assurance and submit it again"
		}
		b.add(WriteLetter, what, href, draft.Date, draft.Code)
	case check(l, letter.SendDraft, la, facts):
		b.add(SendDraft, "Send the draft letter to Cafcass for comments", b.base+"/letter", draft.Date, draft.Code)
	}
	if n := facts.Unanswered; n > 0 && slices.Contains(next, letter.Respond) {
		b.add(RespondComments, "Respond to "+counted(n, "comment", "comments")+" Cafcass made on the draft letter", b.base+"/letter/comments", final.Date, final.Code)
	}
	if check(l, letter.SendFinal, la, facts) {
		b.add(SendFinal, "Send the final letter to Cafcass", b.base+"/letter", final.Date, final.Code)
	}
	// The summary for children and young people: the letter is not
	// published without it, so once the final is sent it is a task due by
	// the publication date.
	if l.FinalSent() && strings.TrimSpace(l.ChildrenSummary) == "" && check(l, letter.WriteSummary, la, facts) {
		pub := b.milestone(timeline.CodePublication)
		b.add(WriteSummary, "Write the summary for children and young people: the letter is not published without it", b.base+"/letter/children-summary", pub.Date, pub.Code)
	}
	if slices.Contains(next, letter.Resolve) {
		pub := b.milestone(timeline.CodePublication)
		for _, c := range b.v.Complaints {
			if !c.Resolved() {
				b.add(ResolveComplaint, "Record the outcome of Cafcass’s complaint about the final letter", b.base+"/letter/complaints/"+c.PublicID+"/resolve", pub.Date, pub.Code)
			}
		}
	}
}

// check reports whether the letter's rules let the actor take the step now.
func check(l letter.Letter, a letter.Action, by letter.Actor, f letter.Facts) bool {
	_, err := letter.Check(l, a, by, f)
	return err == nil
}

// qualityAssurance: letters waiting for the visit's QAM, and for its
// moderator (DOMAIN decision 14).
func (b *builder) qualityAssurance() {
	la := letter.ActorFor(b.u, b.v.Details)
	l, facts := b.v.Letter, b.v.LetterFacts
	if l.ID == 0 || !la.QAM && !la.Moderator {
		return
	}
	draft := b.milestone(timeline.CodeDraftLetter)
	if la.QAM && check(l, letter.Approve, la, facts) {
		b.add(QualityAssure, "Quality assure the letter of findings: approve it or return it", b.base+"/letter/qa", draft.Date, draft.Code)
	}
	if la.Moderator && check(l, letter.Moderate, la, facts) {
		due := draft
		if l.DraftSent() { // an area for priority action changed after the draft went
			due = b.milestone(timeline.CodeFinalLetter)
		}
		b.add(Moderate, "Moderate the letter’s area for priority action", b.base+"/letter/moderation", due.Date, due.Code)
	}
}

// team: a team inspector's fieldwork days, from Horizon working days before
// to the last of them.
func (b *builder) team() {
	if !b.is(visit.RoleTeam, user.TeamInspector) {
		return
	}
	fw := b.milestone(timeline.CodeFieldwork)
	today := b.in.Today
	if fw.State == timeline.StateActual || today.After(fw.Last()) || fw.First().After(b.horizon) {
		return
	}
	t := Task{Kind: Fieldwork, What: "Fieldwork", Visit: b.v.Reference, VisitHref: b.base, Href: b.base,
		From: fw.First(), Due: fw.Last(), Milestone: fw.Code, Status: Upcoming}
	switch {
	case today == fw.Last():
		t.Status = DueToday
	case !today.Before(fw.First()):
		t.Status = InProgress
	}
	b.out = append(b.out, t)
}

// sampled: the cases of the released sample given to the person, to read
// by the end of fieldwork.
func (b *builder) sampled() {
	n := b.v.Sampled[b.u.ID]
	fw := b.milestone(timeline.CodeFieldwork)
	if n == 0 || !b.v.SampleReleased || b.in.Today.After(fw.Last()) || !visit.CanSeeChildRecord(b.u, b.v.Details, visit.CaseSample, false) {
		return
	}
	b.add(SampledCases, "Read the "+counted(n, "sampled case", "sampled cases")+" given to you", b.base+"/case-sample", fw.Last(), fw.Code)
}

// analyst: a senior analytical officer's lists to check, questions put to
// them, and the case sample to choose and release before fieldwork.
func (b *builder) analyst() {
	if !b.is(visit.RoleSAO, user.SAO) {
		return
	}
	b.review(true)
	b.answer(false)
	fw := b.milestone(timeline.CodeFieldwork)
	if b.v.ChildRows && !b.v.SampleReleased && !b.in.Today.After(fw.Last()) && annexa.CanChooseSample(b.u, b.v.Details) {
		eval := b.milestone(timeline.CodeOffSiteEvaluation)
		b.add(ChooseSample, "Choose the case sample and release it to Cafcass", b.base+"/child-data", eval.Date, eval.Code)
	}
}

// cafcass: the items Cafcass must send (or send again), the answers to its
// questions about them, and the draft letter to comment on while the
// window is open (optional: never overdue).
func (b *builder) cafcass() {
	if !b.u.Role.IsCafcass() {
		return
	}
	aa := annexa.ActorFor(b.u, b.v.Details)
	for _, it := range b.v.Items {
		if !annexa.May(annexa.Submit, aa, b.itemFacts(it)) {
			continue
		}
		what := "Send " + it.Number + " " + it.Title
		if it.Status == annexa.Returned {
			what = "Send " + it.Number + " " + it.Title + " again: Ofsted returned it"
		}
		b.add(SendItem, what, b.itemHref(it), it.Due, "")
	}
	for _, q := range b.v.Questions {
		if q.Answered && annexa.May(annexa.Submit, aa, b.itemFacts(q.Item)) {
			b.add(ReadAnswer, "Read Ofsted’s answer to your question about "+q.Item.Number+" "+q.Item.Title, b.itemHref(q.Item), q.Item.Due, "")
			b.out[len(b.out)-1].Status = ToDo // something to read is never overdue
		}
	}
	comments := b.milestone(timeline.CodeComments)
	if !b.v.CommentsSubmitted && visit.ProgressOf(comments, b.in.Today) == visit.Open &&
		slices.Contains(letter.Next(b.v.Letter, letter.ActorFor(b.u, b.v.Details)), letter.Comment) {
		b.add(CommentOnDraft, "Comment on the draft letter, if you wish to", b.base+"/letter/draft", comments.Last(), comments.Code)
		b.out[len(b.out)-1].From, b.out[len(b.out)-1].Status = comments.First(), Open
	}
}

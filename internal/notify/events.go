package notify

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ofsted/focusedvisits/internal/letter"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// Who is told what (issue 13, DOMAIN decision 19). Each event the service
// records has a function here that says which messages it causes: to
// whom, with which template and data. The store calls it inside the
// transaction of the event, so a message exists exactly when its event
// does. Nothing goes to Cafcass before the visit's notice is recorded:
// Cafcass is then nobody.

// About is a visit as its messages need it: its record and team, its plan
// (every date from the working-day engine, after the event), and the
// service's address, which links start with.
type About struct {
	Visit visit.Details
	Plan  timeline.Plan
	// Base is the service's address (BASE_URL), without a trailing slash.
	Base string
}

// Item is an item of the visit's information request, as messages name it.
type Item struct {
	PublicID string
	Number   string
	Title    string
	// Due is the day it is due by the end of; Done says Cafcass has dealt
	// with it (submitted, accepted or not held). Reminders read both.
	Due  workday.Date
	Done bool
	// ActionPlan marks an action plan (AP.1, AP.2), due by the plan.
	ActionPlan bool
}

// Link is the absolute address of a path of the service.
func (a About) Link(path string) string { return strings.TrimRight(a.Base, "/") + path }

// VisitPath is the path of the visit's page.
func (a About) VisitPath() string { return "/visits/" + a.Visit.PublicID }

func (a About) itemPath(it Item) string { return a.VisitPath() + "/request/items/" + it.PublicID }

// message is a message about the visit, with the data every visit message
// has (Reference, and Link to path, the visit's page when path is "").
func (a About) message(template string, to Recipient, path string, data map[string]string) Message {
	if path == "" {
		path = a.VisitPath()
	}
	d := map[string]string{"Reference": a.Visit.Reference, "Link": a.Link(path)}
	for k, v := range data {
		d[k] = v
	}
	return Message{Template: template, To: to, VisitID: a.Visit.ID, NoticeGiven: a.Visit.NoticeGiven(), Data: d}
}

// each is the message to each recipient.
func (a About) each(template string, to []Recipient, path string, data map[string]string) []Message {
	out := make([]Message, 0, len(to))
	for _, r := range to {
		out = append(out, a.message(template, r, path, data))
	}
	return out
}

// RecipientOf is a member of a visit as a message's recipient.
func RecipientOf(m visit.Member) Recipient {
	return Recipient{UserID: m.UserID, Email: m.Email, Name: m.Name, Role: m.UserRole}
}

func (a About) as(roles ...visit.MemberRole) []Recipient {
	var out []Recipient
	for _, m := range a.Visit.Members {
		if slices.Contains(roles, m.Role) && !slices.ContainsFunc(out, func(r Recipient) bool { return r.UserID == m.UserID }) {
			out = append(out, RecipientOf(m))
		}
	}
	return out
}

// Cafcass are the visit's Cafcass people (the chief executive and
// deputies who received notice): nobody before notice is recorded.
func (a About) Cafcass() []Recipient {
	if !a.Visit.NoticeGiven() {
		return nil
	}
	return a.as(visit.RoleCafcass)
}

// ChiefExecutive is who is told of date changes in writing (DOMAIN
// decision 14): the visit's Cafcass chief executive, or its Cafcass people
// when none of them is the chief executive; nobody before notice.
func (a About) ChiefExecutive() []Recipient {
	all := a.Cafcass()
	var ceo []Recipient
	for _, r := range all {
		if r.Role == user.CafcassCEO {
			ceo = append(ceo, r)
		}
	}
	if len(ceo) == 0 {
		return all
	}
	return ceo
}

// Lead is the visit's lead inspector.
func (a About) Lead() []Recipient { return a.as(visit.RoleLead) }

// LeadAndQAM are the lead inspector and the quality assurance manager.
func (a About) LeadAndQAM() []Recipient { return a.as(visit.RoleLead, visit.RoleQAM) }

// Team is every Ofsted member of the visit.
func (a About) Team() []Recipient {
	return a.as(visit.RoleLead, visit.RoleTeam, visit.RoleQAM, visit.RoleModerator, visit.RoleSAO)
}

func (a About) leadName() string {
	if l, ok := a.Visit.Lead(); ok {
		return l.Name
	}
	return "the lead inspector"
}

// on is the day of the plan's milestone ("" when the plan has none): its
// last day, or its first with first set.
func (a About) on(code string, first bool) string {
	m, ok := a.Plan.Milestone(code)
	if !ok {
		return ""
	}
	if first {
		return Day(m.First())
	}
	return Day(m.Last())
}

// NoticeGiven tells Cafcass of the visit, what is due and when.
func (a About) NoticeGiven() []Message {
	fieldwork := ""
	if m, ok := a.Plan.Milestone(timeline.CodeFieldwork); ok {
		fieldwork = Days(m.First(), m.Last())
	}
	return a.each(NoticeGiven, a.Cafcass(), "", map[string]string{
		"ChildDataDue":   a.on(timeline.CodeChildData, false),
		"InformationDue": a.on(timeline.CodeManagementInfo, false),
		"Fieldwork":      fieldwork,
	})
}

// NoticeWithdrawn tells who had been told of the visit that its notice,
// recorded in error, is withdrawn.
func (a About) NoticeWithdrawn(to []Recipient) []Message {
	return a.each(NoticeWithdrawn, to, "", nil)
}

// DateChange is one date of the plan that moved, as people read it.
type DateChange struct {
	Label    string
	Old, New string
}

// PlanChanges are the milestones whose dates differ between two plans of
// one visit, leaving out those recorded as done (which never move).
func PlanChanges(before, after timeline.Plan) []DateChange {
	var out []DateChange
	for _, m := range after.Milestones {
		if m.State == timeline.StateActual {
			continue
		}
		b, ok := before.Milestone(m.Code)
		if !ok || (b.First() == m.First() && b.Last() == m.Last()) {
			continue
		}
		out = append(out, DateChange{Label: m.Label, Old: Days(b.First(), b.Last()), New: Days(m.First(), m.Last())})
	}
	return out
}

// DatesChanged is the written record of a date change after notice, to
// the chief executive, with the old and new dates (DOMAIN decision 14), why
// they changed and the lead's covering note, if any.
func (a About) DatesChanged(changes []DateChange, why, note string) []Message {
	if len(changes) == 0 {
		return nil
	}
	var b strings.Builder
	for i, c := range changes {
		if i > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(&b, "- %s: was %s, now %s", c.Label, c.Old, c.New)
	}
	return a.each(DatesChanged, a.ChiefExecutive(), "", map[string]string{
		"Why": why, "Changes": b.String(), "Note": strings.TrimSpace(note), "Lead": a.leadName(),
	})
}

// CEONote is the lead's covering note after the dates changed.
func (a About) CEONote(note string) []Message {
	return a.each(CEONote, a.ChiefExecutive(), "", map[string]string{"Note": strings.TrimSpace(note), "Lead": a.leadName()})
}

func itemData(it Item) map[string]string {
	return map[string]string{"Number": it.Number, "Title": it.Title}
}

// ItemReturned tells Cafcass an item came back to them.
func (a About) ItemReturned(it Item) []Message {
	return a.each(ItemReturned, a.Cafcass(), a.itemPath(it), itemData(it))
}

// QuestionAnswered tells who asked a question that it is answered.
func (a About) QuestionAnswered(it Item, asker Recipient) []Message {
	if asker.Role.IsCafcass() && !a.Visit.NoticeGiven() {
		return nil
	}
	return []Message{a.message(QuestionAnswered, asker, a.itemPath(it), itemData(it))}
}

// QuestionAsked tells who was asked (the lead when nobody was named).
func (a About) QuestionAsked(it Item, asked []Recipient) []Message {
	if len(asked) == 0 {
		asked = a.Lead()
	}
	return a.each(QuestionAsked, asked, a.itemPath(it), itemData(it))
}

// ItemSubmitted tells the lead what Cafcass sent: an action plan each time,
// other items once a working day (its dedupe key), on the day today.
func (a About) ItemSubmitted(it Item, today workday.Date) []Message {
	if it.ActionPlan {
		return a.each(ActionPlanReceived, a.Lead(), a.itemPath(it), itemData(it))
	}
	data := itemData(it)
	data["Today"] = Day(today)
	ms := a.each(ItemsSubmitted, a.Lead(), a.VisitPath()+"/request", data)
	for i := range ms {
		ms[i].DedupeKey = fmt.Sprintf("items-submitted:%d:%d:%s", a.Visit.ID, ms[i].To.UserID, today)
	}
	return ms
}

// ActionPlansDue asks Cafcass for the action plans, with their dates.
func (a About) ActionPlansDue() []Message {
	return a.each(ActionPlansDue, a.Cafcass(), a.VisitPath()+"/request", map[string]string{
		"DraftPlanDue": a.on(timeline.CodeDraftActionPlan, false),
		"PlanDue":      a.on(timeline.CodeActionPlan, false),
	})
}

// ChildListChecked tells who sent a child-level list how its check went:
// counts only, never a row.
func (a About) ChildListChecked(it Item, sender Recipient, accepted bool, rows, errs, queries int) []Message {
	if sender.Role.IsCafcass() && !a.Visit.NoticeGiven() {
		return nil
	}
	path := a.itemPath(it) + "/child-list"
	data := map[string]string{"Number": it.Number, "Rows": plural(rows, "row"), "Queries": plural(queries, "query"), "Errors": plural(errs, "error")}
	if accepted {
		return []Message{a.message(ChildListAccepted, sender, path, data)}
	}
	return []Message{a.message(ChildListRejected, sender, path, data)}
}

func plural(n int, word string) string {
	switch {
	case n == 1:
		return "1 " + word
	case strings.HasSuffix(word, "y"):
		return fmt.Sprintf("%d %sies", n, strings.TrimSuffix(word, "y"))
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// LetterMoved tells who acts next on the letter of findings: the QAM when
// it is submitted, the moderator when it waits for moderation, the lead
// when it is returned, approved or moderated. Sending it to Cafcass is
// LetterSent.
func (a About) LetterMoved(action letter.Action, to letter.State) []Message {
	letterPath := a.VisitPath() + "/letter"
	draftDue := a.on(timeline.CodeDraftLetter, true)
	switch action {
	case letter.Submit:
		return a.each(LetterForQA, a.as(visit.RoleQAM), letterPath+"/qa", map[string]string{"Lead": a.leadName(), "DraftDue": draftDue})
	case letter.Approve:
		if to == letter.InModeration {
			return a.each(LetterForModeration, a.as(visit.RoleModerator), letterPath+"/moderation", map[string]string{"DraftDue": draftDue})
		}
		return a.each(LetterApproved, a.Lead(), letterPath, map[string]string{
			"Outcome": "approved by quality assurance", "Next": "Send the draft to Cafcass on " + draftDue + "."})
	case letter.Moderate:
		next := "Send the draft to Cafcass on " + draftDue + "."
		if to == letter.DraftSent {
			next = "Send the final letter on " + a.on(timeline.CodeFinalLetter, true) + ", once each comment from Cafcass has a response."
		}
		return a.each(LetterApproved, a.Lead(), letterPath, map[string]string{"Outcome": "moderated", "Next": next})
	case letter.Return:
		return a.each(LetterReturned, a.Lead(), letterPath, map[string]string{"By": "quality assurance"})
	case letter.ModerateReturn:
		return a.each(LetterReturned, a.Lead(), letterPath, map[string]string{"By": "moderation"})
	}
	return nil
}

// LetterSent tells Cafcass the draft (final false) or final letter is
// theirs to read, with the dates that now follow from it.
func (a About) LetterSent(final bool) []Message {
	if !final {
		return a.each(DraftSent, a.Cafcass(), a.VisitPath()+"/letter/draft", map[string]string{
			"CommentsBy": a.on(timeline.CodeComments, false), "FinalDue": a.on(timeline.CodeFinalLetter, true)})
	}
	return a.each(FinalSent, a.Cafcass(), a.VisitPath()+"/letter/final", map[string]string{
		"ComplaintBy": a.on(timeline.CodeComplaint, false), "PublicationDue": a.on(timeline.CodePublication, true)})
}

// CommentsSubmitted tells the lead and the QAM that Cafcass commented.
func (a About) CommentsSubmitted() []Message {
	return a.each(CommentsSubmitted, a.LeadAndQAM(), a.VisitPath()+"/letter/comments", map[string]string{
		"FinalDue": a.on(timeline.CodeFinalLetter, true)})
}

// ComplaintMade tells the lead and the QAM of a complaint.
func (a About) ComplaintMade(inTime bool) []Message {
	hold := "It was made after the last day for a complaint, so publication is not held."
	if inTime {
		hold = "It was made in time, so publication is held until you record how it was resolved."
	}
	return a.each(ComplaintMade, a.LeadAndQAM(), a.VisitPath()+"/letter", map[string]string{"Hold": hold})
}

// Published tells the team and Cafcass the letter is public at path.
func (a About) Published(path string, on workday.Date) []Message {
	to := append(a.Team(), a.Cafcass()...)
	return a.each(Published, to, "", map[string]string{"PublicLink": a.Link(path), "PublishedOn": Day(on)})
}

// Day words a date for a message: "Friday 12 June 2026".
func Day(d workday.Date) string {
	if d.IsZero() {
		return "a date not yet set"
	}
	return d.Format("Monday 2 January 2006")
}

// Days words a day or a run of days: "Tuesday 9 and Wednesday 10 June
// 2026", "Friday 30 May to Tuesday 3 June 2025".
func Days(from, to workday.Date) string {
	if to.IsZero() || to == from {
		return Day(from)
	}
	join := " to "
	if to == from.AddDays(1) {
		join = " and "
	}
	switch {
	case from.Year() != to.Year():
		return Day(from) + join + Day(to)
	case from.Month() != to.Month():
		return from.Format("Monday 2 January") + join + Day(to)
	}
	return from.Format("Monday 2") + join + Day(to)
}

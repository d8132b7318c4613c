package notify

import "sort"

// catalogue is every message the service sends, by name. Add a message
// here, with sample data in catalogue_test.go; the data each body uses is
// the Data map of the Message (missing keys are an error, never "<no
// value>").
//
// Data every visit message has: Reference (FV-2026-0001), Link (absolute
// URL of the page where the reader acts). Dates come from the working-day
// engine, worded by Day and Days ("Friday 12 June 2026").
//
// No template carries children's data or the letter's text (DOMAIN
// decision 19): they name the visit, what happened, what is due and when,
// and link to the service.
var catalogue = map[string]Template{}

func register(ts ...Template) {
	for _, t := range ts {
		if _, dup := catalogue[t.Name]; dup {
			panic("notify: template registered twice: " + t.Name)
		}
		catalogue[t.Name] = t
	}
}

func sortByName(ts []Template) {
	sort.Slice(ts, func(i, j int) bool { return ts[i].Name < ts[j].Name })
}

// signOff ends every message.
const signOff = `

Ofsted focused visits
This email was sent by the focused visits service. Do not reply to it.`

func init() {
	register(
		// Notice and the visit's dates (Cafcass).
		Template{
			Name: NoticeGiven, Kind: Action, Cafcass: true,
			Subject: "Ofsted focused visit {{.Data.Reference}}: notice given",
			Body: `Dear {{.To.Name}},

Ofsted has given notice of focused visit {{.Data.Reference}}.

The child-level data is due by the end of {{.Data.ChildDataDue}}.
The management information is due by the end of {{.Data.InformationDue}}.
Fieldwork is on {{.Data.Fieldwork}}.

See the visit and what Ofsted has asked for:
{{.Data.Link}}` + signOff,
		},
		Template{
			Name: NoticeWithdrawn, Kind: Action, Cafcass: true, Withdraws: true,
			Subject: "Ofsted focused visit {{.Data.Reference}}: notice withdrawn",
			Body: `Dear {{.To.Name}},

Ofsted recorded notice of focused visit {{.Data.Reference}} in error and has withdrawn it.

Please disregard the emails you had about this visit. You do not need to send anything, and the visit is no longer shown to you in the service.

Ofsted will telephone the chief executive before any visit, as usual.` + signOff,
		},
		Template{
			Name: DatesChanged, Kind: Action, Cafcass: true,
			Subject: "Ofsted focused visit {{.Data.Reference}}: the dates have changed",
			Body: `Dear {{.To.Name}},

The dates of Ofsted focused visit {{.Data.Reference}} have changed ({{.Data.Why}}).

{{.Data.Changes}}
{{- if .Data.Note}}

A note from the lead inspector, {{.Data.Lead}}:
{{.Data.Note}}
{{- end}}

This email is Ofsted's written record of the change. See the visit's dates:
{{.Data.Link}}` + signOff,
		},
		Template{
			Name: CEONote, Kind: Action, Cafcass: true,
			Subject: "Ofsted focused visit {{.Data.Reference}}: a note about the new dates",
			Body: `Dear {{.To.Name}},

The lead inspector, {{.Data.Lead}}, has added a note about the new dates of focused visit {{.Data.Reference}}:

{{.Data.Note}}

See the visit's dates:
{{.Data.Link}}` + signOff,
		},

		// The information request (Annex A).
		Template{
			Name: ItemReturned, Kind: Action, Cafcass: true,
			Subject: "Ofsted focused visit {{.Data.Reference}}: item {{.Data.Number}} returned",
			Body: `Dear {{.To.Name}},

Ofsted has returned item {{.Data.Number}}, {{.Data.Title}}, of the information request for focused visit {{.Data.Reference}}.

See why, and send it again:
{{.Data.Link}}` + signOff,
		},
		Template{
			Name: QuestionAnswered, Kind: Information, Cafcass: true,
			Subject: "Ofsted focused visit {{.Data.Reference}}: your question about item {{.Data.Number}} is answered",
			Body: `Dear {{.To.Name}},

Ofsted has answered your question about item {{.Data.Number}}, {{.Data.Title}}, of the information request for focused visit {{.Data.Reference}}.

Read the answer:
{{.Data.Link}}` + signOff,
		},
		Template{
			Name: QuestionAsked, Kind: Action,
			Subject: "Focused visit {{.Data.Reference}}: Cafcass asked about item {{.Data.Number}}",
			Body: `Dear {{.To.Name}},

Cafcass has asked you a question about item {{.Data.Number}}, {{.Data.Title}}, of the information request for focused visit {{.Data.Reference}}.

Read and answer it:
{{.Data.Link}}` + signOff,
		},
		Template{
			Name: ItemsSubmitted, Kind: Action,
			Subject: "Focused visit {{.Data.Reference}}: Cafcass is submitting items",
			Body: `Dear {{.To.Name}},

Cafcass has submitted item {{.Data.Number}}, {{.Data.Title}}, of the information request for focused visit {{.Data.Reference}} today, {{.Data.Today}}.

This is the only email about submissions today: others Cafcass submits today are on the request page. Accept each item or return it with a reason:
{{.Data.Link}}` + signOff,
		},
		Template{
			Name: ActionPlanReceived, Kind: Action,
			Subject: "Focused visit {{.Data.Reference}}: Cafcass sent {{.Data.Number}}",
			Body: `Dear {{.To.Name}},

Cafcass has sent {{.Data.Number}}, {{.Data.Title}}, for focused visit {{.Data.Reference}}.

Review it, then accept it or return it with a reason:
{{.Data.Link}}` + signOff,
		},
		Template{
			Name: ActionPlansDue, Kind: Action, Cafcass: true,
			Subject: "Ofsted focused visit {{.Data.Reference}}: action plans due",
			Body: `Dear {{.To.Name}},

The final letter of focused visit {{.Data.Reference}} has an area for priority action, so Ofsted asks for your action plans:

- the draft updated action plan, by the end of {{.Data.DraftPlanDue}}
- the updated action plan, by the end of {{.Data.PlanDue}}

Send them here:
{{.Data.Link}}` + signOff,
		},

		// Child-level data lists: only counts, never a row.
		Template{
			Name: ChildListAccepted, Kind: Information, Cafcass: true,
			Subject: "Ofsted focused visit {{.Data.Reference}}: child-level list {{.Data.Number}} accepted",
			Body: `Dear {{.To.Name}},

The child-level list you sent for item {{.Data.Number}} of focused visit {{.Data.Reference}} was checked and accepted: {{.Data.Rows}}, {{.Data.Queries}} to explain.

See the list's check:
{{.Data.Link}}` + signOff,
		},
		Template{
			Name: ChildListRejected, Kind: Action, Cafcass: true,
			Subject: "Ofsted focused visit {{.Data.Reference}}: child-level list {{.Data.Number}} has errors",
			Body: `Dear {{.To.Name}},

The child-level list you sent for item {{.Data.Number}} of focused visit {{.Data.Reference}} has {{.Data.Errors}} and was not accepted.

See the errors by row and column, correct the list and send it again:
{{.Data.Link}}` + signOff,
		},

		// The letter of findings: Ofsted's side.
		Template{
			Name: LetterForQA, Kind: Action,
			Subject: "Focused visit {{.Data.Reference}}: letter waiting for QA",
			Body: `Dear {{.To.Name}},

{{.Data.Lead}} has submitted the letter of findings of focused visit {{.Data.Reference}} for quality assurance. The draft is due to go to Cafcass on {{.Data.DraftDue}}.

Review it, then approve it or return it with comments:
{{.Data.Link}}` + signOff,
		},
		Template{
			Name: LetterForModeration, Kind: Action,
			Subject: "Focused visit {{.Data.Reference}}: letter waiting for moderation",
			Body: `Dear {{.To.Name}},

The letter of findings of focused visit {{.Data.Reference}} has an area for priority action and waits for your moderation. The draft is due to go to Cafcass on {{.Data.DraftDue}}.

Moderate it:
{{.Data.Link}}` + signOff,
		},
		Template{
			Name: LetterReturned, Kind: Action,
			Subject: "Focused visit {{.Data.Reference}}: letter returned by {{.Data.By}}",
			Body: `Dear {{.To.Name}},

The letter of findings of focused visit {{.Data.Reference}} was returned to you by {{.Data.By}}.

Read the comments and change the letter:
{{.Data.Link}}` + signOff,
		},
		Template{
			Name: LetterApproved, Kind: Action,
			Subject: "Focused visit {{.Data.Reference}}: letter {{.Data.Outcome}}",
			Body: `Dear {{.To.Name}},

The letter of findings of focused visit {{.Data.Reference}} was {{.Data.Outcome}}. {{.Data.Next}}

Go to the letter:
{{.Data.Link}}` + signOff,
		},
		Template{
			Name: CommentsSubmitted, Kind: Action,
			Subject: "Focused visit {{.Data.Reference}}: Cafcass commented on the draft letter",
			Body: `Dear {{.To.Name}},

Cafcass has submitted its comments on the draft letter of focused visit {{.Data.Reference}}. The final letter can be sent only once each comment has Ofsted's response; it is due on {{.Data.FinalDue}}.

Respond to the comments:
{{.Data.Link}}` + signOff,
		},
		Template{
			Name: ComplaintMade, Kind: Action,
			Subject: "Focused visit {{.Data.Reference}}: Cafcass made a complaint",
			Body: `Dear {{.To.Name}},

Cafcass has made a formal complaint about the final letter of focused visit {{.Data.Reference}}. {{.Data.Hold}}

Record how it was resolved:
{{.Data.Link}}` + signOff,
		},

		// The letter of findings: Cafcass's side.
		Template{
			Name: DraftSent, Kind: Action, Cafcass: true,
			Subject: "Ofsted focused visit {{.Data.Reference}}: draft letter for your comments",
			Body: `Dear {{.To.Name}},

Ofsted has sent you the draft letter of findings of focused visit {{.Data.Reference}}.

You may comment on it until the end of {{.Data.CommentsBy}}. The final letter is due on {{.Data.FinalDue}}.

Read the draft and comment:
{{.Data.Link}}` + signOff,
		},
		Template{
			Name: FinalSent, Kind: Action, Cafcass: true,
			Subject: "Ofsted focused visit {{.Data.Reference}}: final letter, under embargo",
			Body: `Dear {{.To.Name}},

Ofsted has sent you the final letter of findings of focused visit {{.Data.Reference}}. It is under embargo: do not publish or share it before Ofsted publishes it, planned for {{.Data.PublicationDue}}.

If you wish to make a formal complaint, you may until the end of {{.Data.ComplaintBy}}.

Read the final letter:
{{.Data.Link}}` + signOff,
		},
		Template{
			Name: Published, Kind: Information, Cafcass: true,
			Subject: "Ofsted focused visit {{.Data.Reference}}: letter published",
			Body: `Dear {{.To.Name}},

Ofsted published the letter of findings of focused visit {{.Data.Reference}} on {{.Data.PublishedOn}}. The embargo has ended.

Read the published letter:
{{.Data.PublicLink}}` + signOff,
		},

		// Reminders (a job at 08:00).
		Template{
			Name: Reminder, Kind: Action, Cafcass: true,
			Subject: "{{.Data.Service}} {{.Data.Reference}}: reminder, {{.Data.What}} due {{.Data.When}}",
			Body: `Dear {{.To.Name}},

This is a reminder: {{.Data.What}} for focused visit {{.Data.Reference}} {{.Data.Verb}} due by the end of {{.Data.Due}}, {{.Data.When}}.

{{.Data.Do}}
{{.Data.Link}}` + signOff,
		},
		Template{
			Name: WindowClosing, Kind: Information, Cafcass: true,
			Subject: "Ofsted focused visit {{.Data.Reference}}: the time for {{.Data.Window}} ends on {{.Data.Closes}}",
			Body: `Dear {{.To.Name}},

You may make {{.Data.Window}} of focused visit {{.Data.Reference}} until the end of {{.Data.Closes}}. You do not have to.

{{.Data.Link}}` + signOff,
		},

		// The daily digest of information messages (not about one visit).
		Template{
			Name: Digest, Kind: Information, Cafcass: true,
			Subject: "Ofsted focused visits: {{.Data.Count}} since your last digest",
			Body: `Dear {{.To.Name}},

Here {{.Data.Are}} {{.Data.Count}} you asked to have in one email each working day.

{{.Data.Items}}

Change how you get these emails:
{{.Data.Link}}` + signOff,
		},
	)
}

// The names of the catalogue's templates.
const (
	NoticeGiven         = "visit.notice_given"
	NoticeWithdrawn     = "visit.notice_withdrawn"
	DatesChanged        = "visit.dates_changed"
	CEONote             = "visit.ceo_note"
	ItemReturned        = "request.item_returned"
	QuestionAnswered    = "request.question_answered"
	QuestionAsked       = "request.question_asked"
	ItemsSubmitted      = "request.items_submitted"
	ActionPlanReceived  = "request.action_plan_received"
	ActionPlansDue      = "request.action_plans_due"
	ChildListAccepted   = "childdata.list_accepted"
	ChildListRejected   = "childdata.list_rejected"
	LetterForQA         = "letter.submitted_for_qa"
	LetterForModeration = "letter.submitted_for_moderation"
	LetterReturned      = "letter.returned"
	LetterApproved      = "letter.approved"
	CommentsSubmitted   = "letter.comments_submitted"
	ComplaintMade       = "letter.complaint_made"
	DraftSent           = "letter.draft_sent"
	FinalSent           = "letter.final_sent"
	Published           = "letter.published"
	Reminder            = "reminder.deadline"
	WindowClosing       = "reminder.window_closing"
	Digest              = "digest"
)

package timeline

import "time"

// The codes of the steps of the focused-visit template.
const (
	CodeNotice            = "notice"
	CodeSetUpCall         = "set-up-call"
	CodeChildData         = "child-level-data"
	CodeTeamMeeting       = "team-meeting"
	CodeManagementInfo    = "management-information"
	CodeOffSiteEvaluation = "off-site-evaluation"
	CodeFieldwork         = "fieldwork"
	CodeDraftLetter       = "draft-letter"
	CodeComments          = "comments"
	CodeFinalLetter       = "final-letter"
	CodeComplaint         = "complaint"
	CodePublication       = "publication"
	CodeDraftActionPlan   = "draft-action-plan"
	CodeActionPlan        = "action-plan"
)

// RecordedByLetter marks the steps that only the letter workflow records
// (DOMAIN decision 14).
const RecordedByLetter = "letter"

// FocusedVisit is the ID of the focused-visit templates.
const FocusedVisit = "focused-visit"

// focusedVisit20210317 is the focused visit of the guidance "Cafcass focused
// visits during the restart", published 17 March 2021 (seed 002; DOMAIN B.2,
// B.5, B.6 and decisions 3 to 7). Day N of the notice week is the notice
// day + (N-1) working days; the letters count from the last fieldwork day,
// and re-anchor on the letters' actual dates.
func focusedVisit20210317() Template {
	fieldworkEnd := Ref{Code: CodeFieldwork, End: true}
	notice := Ref{Code: CodeNotice}
	return Template{
		ID:              FocusedVisit,
		Version:         "2021-03-17",
		Title:           "Focused visit (restart guidance, March 2021)",
		Notice:          CodeNotice,
		Days:            8,
		Fieldwork:       CodeFieldwork,
		FieldworkStarts: []time.Weekday{time.Tuesday, time.Wednesday, time.Thursday},
		Steps: []Step{
			{
				Code: CodeNotice, Label: "Notice call to the Cafcass chief executive",
				Kind: KindPoint, Actor: ActorLeadInspector,
				Time:   TimeOfDay{Note: "09:00", Clock: true, Hour: 9},
				Phrase: "the notice call",
				Source: Source{Key: "S2:L91", Text: "The lead inspector will telephone the CEO 5 working days before fieldwork begins, at around 9am."},
			},
			{
				Code: CodeSetUpCall, Label: "Set-up call with the chief executive",
				Kind: KindPoint, Actor: ActorLeadInspector, Anchor: notice,
				Time:   TimeOfDay{Note: "afternoon"},
				Phrase: "the set-up call",
				Source: Source{Key: "S2:L91", Text: "The lead inspector will request the information listed in Annex A of the inspection framework and offer a more detailed call the same afternoon to set up the visit."},
			},
			{
				Code: CodeChildData, Label: "Child-level data lists and list of recently audited cases due",
				Kind: KindDeadline, Actor: ActorCafcass, Anchor: notice, Offset: 2, Due: true,
				Phrase: "the child-level data deadline",
				Source: Source{Key: "S2:L96", Text: "By the end of day 3, Cafcass shares child-level data lists identified by the lead inspector and a list of recently audited cases."},
			},
			{
				Code: CodeTeamMeeting, Label: "Team meeting by telephone conference",
				Kind: KindWindow, Actor: ActorTeam, Anchor: notice, Offset: 3, EndOffset: 4,
				Phrase: "the first day of the team meeting", EndPhrase: "the last day of the team meeting",
				Source: Source{Key: "S2:L93", Text: "Thursday and Friday (days 4 and 5): Telephone conference team meeting."},
			},
			{
				Code: CodeManagementInfo, Label: "Management information due",
				Kind: KindDeadline, Actor: ActorCafcass, Anchor: notice, Offset: 4, Due: true,
				Phrase: "the management information deadline",
				Source: Source{Key: "S2:L104", Text: "By the end of day 5, Cafcass shares the information it uses to manage its services. This request is based on our usual Annex A."},
			},
			{
				Code: CodeOffSiteEvaluation, Label: "Team off-site evaluation",
				Kind: KindPoint, Actor: ActorTeam, Anchor: notice, Offset: 5,
				Phrase: "the team off-site evaluation",
				Source: Source{Key: "S2:L196", Text: "Day 6: Team off-site evaluation (any necessary travel)."},
			},
			{
				Code: CodeFieldwork, Label: "Fieldwork",
				Kind: KindWindow, Actor: ActorTeam, Anchor: notice, Offset: 6, EndOffset: 7,
				Phrase: "the first fieldwork day", EndPhrase: "the last fieldwork day",
				Source: Source{Key: "S2:L250", Text: "Days 7 and 8: Fieldwork – primary evidence-gathering."},
			},
			{
				Code: CodeDraftLetter, Label: "Draft letter sent to Cafcass for comments",
				Kind: KindPoint, Actor: ActorLeadInspector, Anchor: fieldworkEnd, Offset: 10,
				RecordedBy: RecordedByLetter,
				Phrase:     "the draft letter was sent",
				Source:     Source{Key: "S2:L132", Text: "Draft letter sent to Cafcass for any comments: 10 working days after inspectors complete fieldwork."},
			},
			{
				Code: CodeComments, Label: "Cafcass comments on the draft letter",
				Kind: KindWindow, Actor: ActorCafcass, Anchor: fieldworkEnd, Offset: 11, EndOffset: 15, Due: true,
				Reanchor: Reanchor{Ref: Ref{Code: CodeDraftLetter}, Offset: 1, EndOffset: 5},
				Optional: true, RecordedBy: RecordedByLetter,
				Phrase: "the first day for comments", EndPhrase: "the last day for comments",
				Source: Source{Key: "S2:L268", Text: "Cafcass will have 5 working days after we send the draft letter to make any comments on the letter, inspection process and its findings."},
			},
			{
				Code: CodeFinalLetter, Label: "Final letter sent to Cafcass, under embargo",
				Kind: KindPoint, Actor: ActorLeadInspector, Anchor: fieldworkEnd, Offset: 22,
				NotBefore:  []Bound{{Ref: Ref{Code: CodeComments, End: true}, Offset: 1}},
				RecordedBy: RecordedByLetter,
				Phrase:     "the final letter was sent",
				Source:     Source{Key: "S2:L132", Text: "Final version of the letter sent to Cafcass (pre-publication, under embargo): 22 working days after fieldwork."},
			},
			{
				Code: CodeComplaint, Label: "Cafcass may make a formal complaint",
				Kind: KindWindow, Actor: ActorCafcass, Anchor: fieldworkEnd, Offset: 23, EndOffset: 27, Due: true,
				Reanchor: Reanchor{Ref: Ref{Code: CodeFinalLetter}, Offset: 1, EndOffset: 5},
				Optional: true, RecordedBy: RecordedByLetter,
				Phrase: "the first day for a complaint", EndPhrase: "the last day for a complaint",
				Source: Source{Key: "S2:L216", Text: "If Cafcass wishes to submit a formal complaint, it will have 5 working days after we send the final version of the letter to do so."},
			},
			{
				Code: CodePublication, Label: "Letter published on Ofsted's reports website",
				Kind: KindPoint, Actor: ActorOfsted, Anchor: fieldworkEnd, Offset: 30,
				Reanchor:   Reanchor{Ref: Ref{Code: CodeFinalLetter}, Offset: 8},
				NotBefore:  []Bound{{Ref: Ref{Code: CodeFinalLetter}, Offset: 8}},
				RecordedBy: RecordedByLetter,
				Phrase:     "publication",
				Source:     Source{Key: "S2:L216", Text: "We will usually publish the letter on our reports website 8 working days after we send the final version to Cafcass."},
			},
			{
				Code: CodeDraftActionPlan, Label: "Draft updated action plan for the priority action due",
				Kind: KindDeadline, Actor: ActorCafcass, Anchor: Ref{Code: CodeFinalLetter}, Offset: 20, Due: true,
				Condition: PriorityAction,
				Phrase:    "the draft action plan deadline",
				Source:    Source{Key: "S2:L276", Text: "We will also ask that Cafcass shares a draft of its updated action plan within 20 working days of receiving the focused visit letter."},
			},
			{
				Code: CodeActionPlan, Label: "Updated action plan for the priority action due",
				Kind: KindDeadline, Actor: ActorCafcass, Anchor: Ref{Code: CodeFinalLetter}, Offset: 70, Due: true,
				Condition: PriorityAction,
				Phrase:    "the action plan deadline",
				Source:    Source{Key: "S2:L276", Text: "If a visit highlights an area for priority action, we will ask Cafcass to share the updated action plan that responds to the priority action within 70 working days of receiving the final focused visit letter."},
			},
		},
	}
}

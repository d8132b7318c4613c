package history

// The kinds of history line. The code is stored with each line, so a kind
// once recorded keeps its code for good; its words (words.go) may change.
// Every kind declared here has words: a test reads this file and fails for
// one that has none.
const (
	// Legacy is a line recorded before kinds (migration 00026): its words
	// were stored with it and are shown as they were.
	Legacy Kind = "legacy"

	// The visit: its plan, team and dates.
	VisitCreated                 Kind = "visit.created"
	VisitWarningAccepted         Kind = "visit.warning_accepted"
	VisitAnchorChanged           Kind = "visit.anchor_changed"
	VisitPriorityActionChanged   Kind = "visit.priority_action_changed"
	VisitTeamChanged             Kind = "visit.team_changed"
	VisitCancelled               Kind = "visit.cancelled"
	VisitCancelNote              Kind = "visit.cancel_note"
	VisitStepRecorded            Kind = "visit.step_recorded"
	VisitRecordRemoved           Kind = "visit.record_removed"
	VisitNoticeUndone            Kind = "visit.notice_undone"
	VisitDateSet                 Kind = "visit.date_set"
	VisitDateSetRemoved          Kind = "visit.date_set_removed"
	VisitCEOTold                 Kind = "visit.ceo_told"
	VisitPriorityActionFromSend  Kind = "visit.priority_action_from_letter"
	VisitPriorityActionFromFinal Kind = "visit.priority_action_from_final"
	DatesMovedByClosureAdded     Kind = "visit.dates_moved_by_closure_added"
	DatesMovedByClosureRemoved   Kind = "visit.dates_moved_by_closure_removed"

	// Deferrals.
	DeferralRequested Kind = "deferral.requested"
	DeferralRefused   Kind = "deferral.refused"
	DeferralGranted   Kind = "deferral.granted"
	DeferralDateMoved Kind = "deferral.date_moved"

	// The letter of findings, as Ofsted writes and sends it.
	LetterSaved                 Kind = "letter.saved"
	LetterStateChangedBySave    Kind = "letter.state_changed_by_save"
	LetterPriorityActionChanged Kind = "letter.priority_action_changed"
	LetterSubmittedForQA        Kind = "letter.submitted_for_qa"
	LetterReturnedByQA          Kind = "letter.returned_by_qa"
	LetterApproved              Kind = "letter.approved"
	LetterModerated             Kind = "letter.moderated"
	LetterReturnedByModeration  Kind = "letter.returned_by_moderation"
	LetterDraftSent             Kind = "letter.draft_sent"
	LetterFinalSent             Kind = "letter.final_sent"
	LetterPublicationHeld       Kind = "letter.publication_held"
	LetterHoldLifted            Kind = "letter.hold_lifted"
	LetterQACommentResolved     Kind = "letter.qa_comment_resolved"
	LetterModerationMovedDate   Kind = "letter.moderation_moved_date"
	LetterPublished             Kind = "letter.published"
	// The summary for children and young people, written by the lead
	// inspector before publication (letter.WriteSummary).
	LetterSummaryWritten Kind = "letter.children_summary_written"
	LetterSummaryChanged Kind = "letter.children_summary_changed"

	// The letter as Cafcass reads, comments on and complains about it.
	LetterCommentsSubmitted         Kind = "letter.comments_submitted"
	LetterCommentAnswered           Kind = "letter.comment_answered"
	LetterComplaintReceived         Kind = "letter.complaint_received"
	LetterComplaintResolved         Kind = "letter.complaint_resolved"
	LetterComplaintMovedPublication Kind = "letter.complaint_moved_publication"

	// The information request, its items and their files.
	RequestActionPlanAsked Kind = "request.action_plan_requested"
	RequestSet             Kind = "request.set"
	RequestChanged         Kind = "request.changed"
	RequestItemAdded       Kind = "request.item_added"
	ItemStarted            Kind = "item.started"
	ItemSubmitted          Kind = "item.submitted"
	ItemAccepted           Kind = "item.accepted"
	ItemReturned           Kind = "item.returned"
	ItemNotHeld            Kind = "item.not_held"
	ItemReset              Kind = "item.reset"
	ItemDatesCoveredSet    Kind = "item.dates_covered_set"
	ItemQuestionAsked      Kind = "item.question_asked"
	ItemQuestionAnswered   Kind = "item.question_answered"
	FileUploaded           Kind = "file.uploaded"
	FileRemoved            Kind = "file.removed"

	// Children's data.
	ChildListRejected              Kind = "childdata.list_rejected"
	ChildListAccepted              Kind = "childdata.list_accepted"
	SampleCaseAdded                Kind = "sample.case_added"
	SampleCaseRemoved              Kind = "sample.case_removed"
	SampleReleased                 Kind = "sample.released"
	ChildDataDeletedUnderRetention Kind = "retention.child_data_deleted"
)

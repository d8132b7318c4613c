package history

import (
	"fmt"
	"strings"

	"github.com/ofsted/focusedvisits/internal/annexa"
	"github.com/ofsted/focusedvisits/internal/letter"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/upload"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// words says each kind of line, from its params: the one place the history's
// words are chosen. Legacy lines say what was stored with them.
var words = map[Kind]func(p Params) Line{
	Legacy: func(Params) Line { return Line{} },

	// The visit.
	VisitCreated: func(p Params) Line {
		return Line{Action: "Visit created", New: p.Reference, Detail: "Planned from " + anchor(p.Anchor, p.AnchorDate)}
	},
	VisitWarningAccepted: func(p Params) Line {
		return Line{Action: "Scheduling warning accepted", Detail: p.Message + " Reason: " + p.Reason}
	},
	VisitAnchorChanged: func(p Params) Line {
		return Line{Action: "Visit edited", Field: "Planned from", Old: anchor(p.OldAnchor, p.OldAnchorDate), New: anchor(p.Anchor, p.AnchorDate)}
	},
	VisitPriorityActionChanged: func(p Params) Line {
		return Line{Action: "Visit edited", Field: "Area for priority action", Old: yesNo(p.Before), New: yesNo(p.After)}
	},
	VisitTeamChanged: func(p Params) Line {
		return Line{Action: "Visit edited", Field: visit.MemberRole(p.Role).Label(), Old: strings.Join(p.OldNames, ", "), New: strings.Join(p.Names, ", ")}
	},
	VisitCancelled: func(p Params) Line {
		return Line{Action: "Visit cancelled", Field: "Status", Old: "Active", New: "Cancelled", Detail: "Reason shown to Cafcass: " + p.Reason}
	},
	VisitCancelNote: func(p Params) Line {
		return Line{Action: "Internal note on the cancellation", Detail: "Not shown to Cafcass: " + p.Note}
	},
	VisitStepRecorded: func(p Params) Line {
		return Line{Action: "Recorded as done", Field: milestone(p), Old: dates(p.OldDates), New: datesAt(p.Dates, p.Time)}
	},
	VisitRecordRemoved: func(p Params) Line {
		return Line{Action: "Record removed", Field: milestone(p), Old: dates(p.OldDates)}
	},
	VisitNoticeUndone: func(p Params) Line {
		return Line{Action: "Notice call record undone (recorded in error)", Field: milestone(p), Old: dates(p.OldDates), New: "not given",
			Detail: "Reason: " + p.Reason + ". Cafcass no longer sees the visit."}
	},
	VisitDateSet: func(p Params) Line {
		return dateSet(p, p.Reason)
	},
	VisitDateSetRemoved: func(p Params) Line {
		return Line{Action: "Date set by hand removed", Field: milestone(p), Old: dates(p.OldDates), New: "computed date"}
	},
	VisitCEOTold: func(p Params) Line {
		return Line{Action: "Chief executive told of the change", Detail: ceoTold(p)}
	},
	VisitPriorityActionFromSend: func(p Params) Line {
		sent := "Letter sent"
		if p.Action != "" {
			sent = letter.Action(p.Action).Label()
		}
		return Line{Action: sent, Field: "Area for priority action", Old: yesNo(p.Before), New: yesNo(p.After), Detail: "Taken from the letter's findings"}
	},
	VisitPriorityActionFromFinal: func(Params) Line {
		return Line{Action: "Final letter has an area for priority action", Field: "Area for priority action", Old: "No", New: "Yes"}
	},
	DatesMovedByClosureAdded: func(p Params) Line {
		return datesMoved(p, fmt.Sprintf("Closure day added: %s (%s)", timeline.FormatDate(p.Closure), p.ClosureReason))
	},
	DatesMovedByClosureRemoved: func(p Params) Line {
		detail := fmt.Sprintf("Closure day removed: %s (%s)", timeline.FormatDate(p.Closure), p.ClosureReason)
		if p.Why != "" {
			detail += ". Why: " + p.Why
		}
		return datesMoved(p, detail)
	},

	// Deferrals.
	DeferralRequested: func(p Params) Line {
		return Line{Action: "Deferral requested", Detail: joinSentences(requested(p), reason(p))}
	},
	DeferralRefused: func(p Params) Line {
		return Line{Action: "Deferral refused", Detail: joinSentences(requested(p), reason(p))}
	},
	DeferralGranted: func(p Params) Line {
		l := Line{Action: "Deferral granted"}
		was, now := anchor(p.OldAnchor, p.OldAnchorDate), anchor(p.Anchor, p.AnchorDate)
		if was != now {
			l.Field, l.Old, l.New = "Planned from", was, now
		}
		moved := fmt.Sprintf("Planned from %s, now from %s.", was, now)
		if !p.Dates.IsZero() {
			moved = fmt.Sprintf("Fieldwork moved from %s to %s.", dates(p.OldDates), dates(p.Dates))
		}
		l.Detail = joinSentences(moved, requested(p), reason(p))
		return l
	},
	DeferralDateMoved: func(p Params) Line {
		return Line{Action: "Deferral granted", Field: milestone(p), Old: dates(p.OldDates), New: dates(p.Dates)}
	},

	// The letter, at Ofsted.
	LetterSaved: func(p Params) Line {
		return Line{Action: letter.Save.Label(), Field: "Letter version", Old: version(p.OldVersion), New: version(p.Version)}
	},
	LetterStateChangedBySave: func(p Params) Line {
		l := Line{Action: letter.Save.Label(), Field: "Letter", Old: letter.State(p.OldState).Label(), New: letter.State(p.State).Label()}
		if from := letter.State(p.OldState); from != letter.Drafting && from != letter.Returned {
			l.Detail = "The text changed after it was submitted or approved, so it needs QA again."
		}
		return l
	},
	LetterPriorityActionChanged: func(p Params) Line {
		return Line{Action: letter.Save.Label(), Field: "Letter has an area for priority action", Old: yesNo(p.Before), New: yesNo(p.After)}
	},
	LetterSubmittedForQA:       letterMoved(letter.Submit),
	LetterReturnedByQA:         letterMoved(letter.Return),
	LetterApproved:             letterMoved(letter.Approve),
	LetterModerated:            letterMoved(letter.Moderate),
	LetterReturnedByModeration: letterMoved(letter.ModerateReturn),
	LetterDraftSent:            letterMoved(letter.SendDraft),
	LetterFinalSent:            letterMoved(letter.SendFinal),
	LetterPublicationHeld:      letterMoved(letter.Hold),
	LetterHoldLifted:           letterMoved(letter.Release),
	LetterQACommentResolved: func(p Params) Line {
		return Line{Action: "QA comment resolved", Field: "Letter", Detail: "On " + letter.Section(p.Section).Label()}
	},
	LetterModerationMovedDate: func(p Params) Line {
		return dateSet(p, fmt.Sprintf("Moved by moderation of the letter (area for priority action). Chief executive told by %s on %s",
			strings.ToLower(letter.CEOToldMethod(p.Method).Label()), timeline.FormatTime(p.At)))
	},
	LetterPublished: func(p Params) Line {
		by := "Published by the service on its publication date"
		if p.Name != "" {
			by = "Published by " + p.Name
		}
		return Line{Action: "Letter published", Field: milestone(p), New: dates(p.Dates), Detail: by + " at /letters/" + p.Slug}
	},

	LetterSummaryWritten: func(p Params) Line {
		return Line{Action: "Summary for children and young people written", Field: letter.SummaryHeading, New: p.Text}
	},
	LetterSummaryChanged: func(p Params) Line {
		return Line{Action: "Summary for children and young people changed", Field: letter.SummaryHeading, New: p.Text}
	},

	// The letter, with Cafcass.
	LetterCommentsSubmitted: func(p Params) Line {
		detail := fmt.Sprintf("%d comments, in time", p.Count)
		if p.Late {
			detail = fmt.Sprintf("%d comments, late (after the last day for comments)", p.Count)
		}
		return Line{Action: "Comments on the draft letter submitted by Cafcass", Detail: detail}
	},
	LetterCommentAnswered: func(p Params) Line {
		return Line{Action: "Response to a Cafcass comment recorded", Detail: "On " + letter.Section(p.Section).Label()}
	},
	LetterComplaintReceived: func(p Params) Line {
		detail := "Received after the last day for a complaint: recorded as late; publication is not held"
		if p.InTime {
			detail = "Received in time: publication is held until Ofsted records its resolution"
		}
		return Line{Action: "Complaint about the final letter received", Detail: detail}
	},
	LetterComplaintResolved: func(p Params) Line {
		return Line{Action: "Complaint about the final letter resolved", Detail: "Resolution: " + p.Text}
	},
	LetterComplaintMovedPublication: func(p Params) Line {
		return dateSet(p, "Complaint resolved: "+p.Text)
	},

	// The information request.
	RequestActionPlanAsked: func(p Params) Line {
		return Line{Action: "Action plan requested", Detail: p.Item + " " + p.Title}
	},
	RequestSet: func(p Params) Line {
		return Line{Action: "Information request set", Detail: requestChanges(p)}
	},
	RequestChanged: func(p Params) Line {
		return Line{Action: "Information request changed", Detail: requestChanges(p)}
	},
	RequestItemAdded: func(p Params) Line {
		return Line{Action: "Information request changed", Detail: fmt.Sprintf("Added %s %s (day %d).", p.Item, p.Title, p.Day)}
	},
	ItemStarted:   itemMoved("started"),
	ItemSubmitted: itemMoved("submitted"),
	ItemAccepted:  itemMoved("accepted"),
	ItemReturned:  itemMoved("returned"),
	ItemNotHeld:   itemMoved("marked as not held"),
	ItemReset:     itemMoved("reset"),
	ItemDatesCoveredSet: func(p Params) Line {
		return Line{Action: fmt.Sprintf("Item %s dates covered set", p.Item), Field: "Dates covered", Old: dates(p.OldDates), New: dates(p.Dates)}
	},
	ItemQuestionAsked: func(p Params) Line {
		return Line{Action: fmt.Sprintf("Question asked about item %s", p.Item), Detail: p.Text}
	},
	ItemQuestionAnswered: func(p Params) Line {
		return Line{Action: fmt.Sprintf("Question about item %s answered", p.Item), Detail: p.Text}
	},
	FileUploaded: func(p Params) Line {
		detail := file(p)
		if p.Replaced > 0 {
			detail += fmt.Sprintf("; version %d, replacing version %d", p.Version, p.Replaced)
		}
		return Line{Action: "File uploaded", Detail: detail + " on item " + p.Item}
	},
	FileRemoved: func(p Params) Line {
		detail := file(p)
		switch {
		case p.Earlier == 1:
			detail += ", with its earlier version"
		case p.Earlier > 1:
			detail += fmt.Sprintf(", with its %d earlier versions", p.Earlier)
		}
		return Line{Action: "File removed", Detail: detail}
	},

	// Children's data.
	ChildListRejected: func(p Params) Line {
		return Line{Action: "Child-level list rejected",
			Detail: fmt.Sprintf("%s: %s, %s, %s", p.File, plural(p.Rows, "row"), plural(p.Errors, "error"), plural(p.Queries, "query"))}
	},
	ChildListAccepted: func(p Params) Line {
		return Line{Action: "Child-level list accepted", Detail: fmt.Sprintf("%s: %s, %s", p.File, plural(p.Rows, "row"), plural(p.Queries, "query"))}
	},
	SampleCaseAdded: func(p Params) Line {
		return Line{Action: legacySampleAdd, New: sampleCase(p), Detail: "Inspector: " + p.Name}
	},
	SampleCaseRemoved: func(p Params) Line {
		return Line{Action: legacySampleRemove, Old: sampleCase(p)}
	},
	SampleReleased: func(Params) Line {
		return Line{Action: "Case sample released to Cafcass"}
	},
	ChildDataDeletedUnderRetention: func(p Params) Line {
		return Line{
			Action: fmt.Sprintf("Children's data deleted under the retention policy: %d rows, %d files", p.Rows, p.Files),
			Detail: fmt.Sprintf("Published %s; kept for %d days. Deleted %s, %s, %s and %s.", timeline.FormatDate(p.Published), p.Days,
				plural(p.Rows, "child-level row"), plural(p.Issues, "list issue"), plural(p.Samples, "sample case"), plural(p.Files, "file")) +
				evidenceDeleted(p.Evidence) + contactsDeleted(p.Contacts, p.Checks) + feedbackDeleted(p.Feedback),
		}
	},
}

// letterKinds are the kinds of the letter's moves, by action.
var letterKinds = map[letter.Action]Kind{
	letter.Submit: LetterSubmittedForQA, letter.Return: LetterReturnedByQA, letter.Approve: LetterApproved,
	letter.Moderate: LetterModerated, letter.ModerateReturn: LetterReturnedByModeration,
	letter.SendDraft: LetterDraftSent, letter.SendFinal: LetterFinalSent,
	letter.Hold: LetterPublicationHeld, letter.Release: LetterHoldLifted,
}

// LetterMoved is the kind of line that records the letter moved by a; false
// for an action that does not move it on its own (saving, publishing,
// Cafcass's comments and complaints have kinds of their own).
func LetterMoved(a letter.Action) (Kind, bool) {
	k, ok := letterKinds[a]
	return k, ok
}

// itemKinds are the kinds of an item's moves, by the status it moves to.
var itemKinds = map[annexa.Status]Kind{
	annexa.InProgress: ItemStarted, annexa.Submitted: ItemSubmitted, annexa.Accepted: ItemAccepted,
	annexa.Returned: ItemReturned, annexa.NotHeld: ItemNotHeld, annexa.NotStarted: ItemReset,
}

// ItemMoved is the kind of line that records an item moved to status to.
func ItemMoved(to annexa.Status) (Kind, bool) {
	k, ok := itemKinds[to]
	return k, ok
}

// letterMoved says a move of the letter: the state it left and the state it
// reached, with the version and whatever came with the move (a hold's
// reason, the number of QA comments, the moderation's outcome).
func letterMoved(a letter.Action) func(p Params) Line {
	return func(p Params) Line {
		detail := []string{version(p.Version), p.Reason}
		if a == letter.Return {
			detail = append(detail, plural(p.Count, "comment"))
		}
		if p.Outcome != "" {
			detail = append(detail, letter.Outcome(p.Outcome).Label())
		}
		return Line{Action: a.Label(), Field: "Letter", Old: letter.State(p.OldState).Label(), New: letter.State(p.State).Label(), Detail: joinDetail(detail...)}
	}
}

// itemMoved says an item's move to a status, with the reason it was
// returned or the explanation why it is not held.
func itemMoved(verb string) func(p Params) Line {
	return func(p Params) Line {
		l := Line{Action: fmt.Sprintf("Item %s %s", p.Item, verb), Field: "Status",
			Old: annexa.Status(p.OldStatus).Label(), New: annexa.Status(p.Status).Label()}
		switch annexa.Status(p.Status) {
		case annexa.Returned:
			l.Detail = "Reason: " + p.Reason
		case annexa.NotHeld:
			l.Detail = "Explanation: " + p.Reason
		}
		return l
	}
}

// dateSet says a milestone's date set by hand, and why.
func dateSet(p Params, why string) Line {
	return Line{Action: "Date set by hand", Field: milestone(p), Old: dates(p.OldDates), New: dates(p.Dates), Detail: "Reason: " + why}
}

// datesMoved says a milestone's dates moved by a change to the closure days.
func datesMoved(p Params, detail string) Line {
	return Line{Action: "Dates moved by a closure day", Field: milestone(p), Old: dates(p.OldDates), New: dates(p.Dates), Detail: detail}
}

// milestone names the line's milestone: as the visit's plan named it then,
// else as the newest procedure template names its code, else by its code.
func milestone(p Params) string {
	if p.Label != "" {
		return p.Label
	}
	ts := timeline.Templates()
	for i := len(ts) - 1; i >= 0; i-- {
		if s, ok := ts[i].Step(p.Milestone); ok {
			return s.Label
		}
	}
	return p.Milestone
}

// anchor says what a plan is counted from: "the notice day, Mon 12 May 2025".
func anchor(code string, day workday.Date) string {
	if code == timeline.CodeFieldwork {
		return "the first fieldwork day, " + timeline.FormatDate(day)
	}
	return "the notice day, " + timeline.FormatDate(day)
}

func dates(s Span) string { return timeline.FormatDates(s.From, s.To) }

func datesAt(s Span, at string) string {
	if at == "" {
		return dates(s)
	}
	return dates(s) + " at " + at
}

func yesNo(b bool) string {
	if b {
		return "Yes"
	}
	return "No"
}

func version(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("Version %d", n)
}

// ceoTold says how and when the chief executive was told, and what.
func ceoTold(p Params) string {
	how := p.Method
	for _, m := range visit.CEOToldMethods {
		if m.Value == p.Method {
			how = strings.ToLower(m.Label)
		}
	}
	s := "Chief executive told in writing by " + how + " on " + timeline.FormatDate(p.On)
	if p.Note != "" {
		s += ": " + p.Note
	}
	return s
}

// requested says who asked for a deferral, and when.
func requested(p Params) string {
	if p.Name == "" {
		return ""
	}
	return fmt.Sprintf("Requested by %s on %s.", p.Name, timeline.FormatDate(p.On))
}

func reason(p Params) string {
	if p.Reason == "" {
		return ""
	}
	return "Reason: " + p.Reason
}

// file names a file as the history does: "1.03 MI report.pdf (2.3 MB,
// sha256 1a2b3c4d…)".
func file(p Params) string {
	short := p.SHA256
	if len(short) > 8 {
		short = short[:8]
	}
	return fmt.Sprintf("%s (%s, sha256 %s…)", p.File, upload.FormatSize(p.Size), short)
}

func sampleCase(p Params) string {
	if p.Child == "" {
		return "Case " + p.Case
	}
	return "Case " + p.Case + ", child " + p.Child
}

// requestChanges says what changed in the information request.
func requestChanges(p Params) string {
	var out []string
	if len(p.Added) > 0 {
		var s []string
		for _, a := range p.Added {
			s = append(s, fmt.Sprintf("%s (day %d)", a.Number, a.Day))
		}
		out = append(out, "Added "+strings.Join(s, ", ")+".")
	}
	if len(p.Changed) > 0 {
		var s []string
		for _, c := range p.Changed {
			s = append(s, fmt.Sprintf("%s from day %d to day %d", c.Number, c.From, c.To))
		}
		out = append(out, "Due day changed: "+strings.Join(s, ", ")+".")
	}
	if len(p.Dropped) > 0 {
		out = append(out, "Taken off "+strings.Join(p.Dropped, ", ")+".")
	}
	if len(p.Kept) > 0 {
		out = append(out, "Kept, as Cafcass has started on them: "+strings.Join(p.Kept, ", ")+".")
	}
	return strings.Join(out, " ")
}

// joinDetail joins the parts that are not empty with ". ".
func joinDetail(parts ...string) string {
	var out []string
	for _, s := range parts {
		if s != "" {
			out = append(out, s)
		}
	}
	return strings.Join(out, ". ")
}

// joinSentences joins the sentences that are not empty with a space.
func joinSentences(parts ...string) string {
	var out []string
	for _, s := range parts {
		if s != "" {
			out = append(out, s)
		}
	}
	return strings.Join(out, " ")
}

// plural says n of a thing: "1 row", "2 rows", "3 queries".
func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	if strings.HasSuffix(word, "y") {
		return fmt.Sprintf("%d %sies", n, word[:len(word)-1])
	}
	return fmt.Sprintf("%d %ss", n, word)
}

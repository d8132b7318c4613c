package letter

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/ofsted/focusedvisits/internal/workday"
)

// State is where a letter stands on its path from first draft to
// publication. The database lists the same values (migration 00009).
type State string

// The states of a letter, in path order.
const (
	// Drafting: the lead inspector is writing (also after an approval
	// lapsed because the text changed).
	Drafting State = "drafting"
	// InQA: submitted to the visit's QAM.
	InQA State = "in_qa"
	// Returned: the QAM (or moderation) sent it back with comments.
	Returned State = "returned"
	// Approved: the QAM approved the current version; without a priority
	// action it may be sent.
	Approved State = "approved"
	// InModeration: approved, with a priority action, awaiting moderation.
	InModeration State = "in_moderation"
	// Moderated: moderation agreed it; it may be sent.
	Moderated State = "moderated"
	// DraftSent: the draft went to Cafcass for comments (frozen as
	// SentDraftVersion); the lead inspector prepares the final.
	DraftSent State = "draft_sent"
	// FinalSent: the final went to Cafcass under embargo.
	FinalSent State = "final_sent"
	// OnHold: publication is held (a complaint in time, or another reason).
	OnHold State = "on_hold"
	// Published: public, on the reports pages.
	Published State = "published"
)

// States lists every state in path order.
var States = []State{Drafting, InQA, Returned, Approved, InModeration, Moderated, DraftSent, FinalSent, OnHold, Published}

// Label is the state as a tag shows it.
func (s State) Label() string {
	switch s {
	case Drafting:
		return "Drafting"
	case InQA:
		return "With QA"
	case Returned:
		return "Returned by QA"
	case Approved:
		return "Approved"
	case InModeration:
		return "Awaiting moderation"
	case Moderated:
		return "Moderated"
	case DraftSent:
		return "Draft sent"
	case FinalSent:
		return "Final sent (embargoed)"
	case OnHold:
		return "Publication held"
	case Published:
		return "Published"
	}
	return string(s)
}

// Colour is the GOV.UK tag colour of the state ("" for the default).
func (s State) Colour() string {
	switch s {
	case Drafting:
		return "grey"
	case InQA, InModeration:
		return "blue"
	case Returned:
		return "orange"
	case Approved, Moderated:
		return "turquoise"
	case DraftSent:
		return "purple"
	case OnHold:
		return "red"
	case Published:
		return "green"
	}
	return ""
}

// Editable reports whether a save (a new version) is allowed in the state.
func (s State) Editable() bool {
	_, ok := findRule(Save, s, false)
	return ok
}

// Action is something done to a letter.
type Action string

// The actions on a letter.
const (
	Save           Action = "save"
	Submit         Action = "submit"
	Return         Action = "return"
	Approve        Action = "approve"
	Moderate       Action = "moderate"
	ModerateReturn Action = "moderate_return"
	SendDraft      Action = "send_draft"
	SendFinal      Action = "send_final"
	Hold           Action = "hold"
	Release        Action = "release"
	Publish        Action = "publish"
	// Cafcass's side and Ofsted's answers to it; none of these moves the
	// letter to another state.
	Comment  Action = "comment"  // Cafcass comments on the sent draft
	Respond  Action = "respond"  // Ofsted responds to Cafcass's comments
	Complain Action = "complain" // Cafcass complains about the final
	Resolve  Action = "resolve"  // Ofsted records a complaint's resolution
	// WriteSummary: the lead inspector writes the summary for children
	// and young people (summary.go); it moves nothing.
	WriteSummary Action = "write_summary"
)

// Label is the action as the history names it.
func (a Action) Label() string {
	switch a {
	case Save:
		return "Letter saved"
	case Submit:
		return "Letter submitted for QA"
	case Return:
		return "Letter returned by QA"
	case Approve:
		return "Letter approved"
	case Moderate:
		return "Letter moderated"
	case ModerateReturn:
		return "Letter returned by moderation"
	case SendDraft:
		return "Draft letter sent"
	case SendFinal:
		return "Final letter sent"
	case Hold:
		return "Publication held"
	case Release:
		return "Publication hold lifted"
	case Publish:
		return "Letter published"
	case Comment:
		return "Comment on the draft"
	case Respond:
		return "Response to a comment"
	case Complain:
		return "Complaint about the final letter"
	case Resolve:
		return "Complaint resolved"
	case WriteSummary:
		return "Summary for children and young people written"
	}
	return string(a)
}

// Duty is who may do an action.
type Duty string

// The duties.
const (
	// DutyLead: the visit's lead inspector.
	DutyLead Duty = "lead"
	// DutyQAM: the visit's quality assurance manager.
	DutyQAM Duty = "qam"
	// DutyModerator: the visit's moderator, a QAM other than the visit's
	// own (DOMAIN decision 14).
	DutyModerator Duty = "moderator"
	// DutyOfsted: any Ofsted member of the visit, or an administrator.
	DutyOfsted Duty = "ofsted"
	// DutySystem: the service itself (publication on its date).
	DutySystem Duty = "system"
	// DutyAdmin: an administrator of the service.
	DutyAdmin Duty = "admin"
	// DutyCafcass: a Cafcass user the visit is shown to.
	DutyCafcass Duty = "cafcass"
)

func (d Duty) words() string {
	switch d {
	case DutyLead:
		return "the visit's lead inspector"
	case DutyQAM:
		return "the visit's quality assurance manager"
	case DutyModerator:
		return "the visit's moderator"
	case DutyOfsted:
		return "an Ofsted member of the visit"
	case DutySystem:
		return "the service"
	case DutyAdmin:
		return "an administrator"
	case DutyCafcass:
		return "Cafcass"
	}
	return string(d)
}

// Actor is who is acting, as the rules need to know them.
type Actor struct {
	UserID int64
	Admin  bool
	Lead   bool // the visit's lead inspector
	QAM    bool // the visit's quality assurance manager
	// Moderator: the visit's moderator (DOMAIN decision 14).
	Moderator bool
	Ofsted    bool // an Ofsted member of the visit (or an administrator)
	Cafcass   bool
	System    bool
}

// Has reports whether the actor holds the duty. Cafcass holds only
// DutyCafcass.
func (a Actor) Has(d Duty) bool {
	if a.Cafcass || d == DutyCafcass {
		return a.Cafcass && d == DutyCafcass
	}
	switch d {
	case DutyLead:
		return a.Lead
	case DutyQAM:
		return a.QAM
	case DutyModerator:
		return a.Moderator
	case DutyOfsted:
		return a.Ofsted || a.Admin || a.Lead || a.QAM || a.Moderator
	case DutySystem:
		return a.System
	case DutyAdmin:
		return a.Admin
	}
	return false
}

// Condition limits a rule to letters with or without a priority action.
type Condition int

// The conditions.
const (
	Any Condition = iota
	WithPriorityAction
	WithoutPriorityAction
)

func (c Condition) holds(pa bool) bool {
	return c == Any || (c == WithPriorityAction) == pa
}

// Rule is one allowed move.
type Rule struct {
	Action Action
	From   State
	To     State
	Who    []Duty
	When   Condition
}

// Rules is the letter's whole state machine: a move not listed here is not
// allowed. Further checks (not by an author, an empty letter, the approved
// version, the comment window, complaints) are in Check.
var Rules = []Rule{
	{Save, Drafting, Drafting, []Duty{DutyLead}, Any},
	{Save, Returned, Returned, []Duty{DutyLead}, Any},
	// A change after submission or approval lapses it: back to drafting.
	{Save, InQA, Drafting, []Duty{DutyLead}, Any},
	{Save, Approved, Drafting, []Duty{DutyLead}, Any},
	{Save, InModeration, Drafting, []Duty{DutyLead}, Any},
	{Save, Moderated, Drafting, []Duty{DutyLead}, Any},
	// After the draft is sent the lead inspector prepares the final.
	{Save, DraftSent, DraftSent, []Duty{DutyLead}, Any},

	{Submit, Drafting, InQA, []Duty{DutyLead}, Any},
	{Submit, Returned, InQA, []Duty{DutyLead}, Any},

	{Return, InQA, Returned, []Duty{DutyQAM}, Any},
	{Approve, InQA, Approved, []Duty{DutyQAM}, WithoutPriorityAction},
	{Approve, InQA, InModeration, []Duty{DutyQAM}, WithPriorityAction},

	{Moderate, InModeration, Moderated, []Duty{DutyModerator}, WithPriorityAction},
	{ModerateReturn, InModeration, Returned, []Duty{DutyModerator}, Any},

	{SendDraft, Approved, DraftSent, []Duty{DutyLead}, WithoutPriorityAction},
	{SendDraft, Moderated, DraftSent, []Duty{DutyLead}, WithPriorityAction},

	// An area for priority action added after the draft was sent needs
	// moderation before the final is sent (DOMAIN decision 14).
	{Moderate, DraftSent, DraftSent, []Duty{DutyModerator}, WithPriorityAction},
	{ModerateReturn, DraftSent, DraftSent, []Duty{DutyModerator}, WithPriorityAction},

	{SendFinal, DraftSent, FinalSent, []Duty{DutyLead}, Any},

	{Hold, FinalSent, OnHold, []Duty{DutyOfsted}, Any},
	{Release, OnHold, FinalSent, []Duty{DutyOfsted}, Any},
	{Publish, FinalSent, Published, []Duty{DutySystem, DutyOfsted}, Any},

	// Cafcass may comment on the draft until the final is sent; the lead
	// inspector (or an administrator) responds to each comment.
	{Comment, DraftSent, DraftSent, []Duty{DutyCafcass}, Any},
	{Respond, DraftSent, DraftSent, []Duty{DutyLead, DutyAdmin}, Any},
	{Respond, FinalSent, FinalSent, []Duty{DutyLead, DutyAdmin}, Any},
	{Respond, OnHold, OnHold, []Duty{DutyLead, DutyAdmin}, Any},
	{Respond, Published, Published, []Duty{DutyLead, DutyAdmin}, Any},
	// Cafcass may complain about the final while the complaint window is
	// open (CanComplain); the lead inspector records the resolution.
	{Complain, FinalSent, FinalSent, []Duty{DutyCafcass}, Any},
	{Complain, OnHold, OnHold, []Duty{DutyCafcass}, Any},
	{Resolve, FinalSent, FinalSent, []Duty{DutyLead, DutyAdmin}, Any},
	{Resolve, OnHold, OnHold, []Duty{DutyLead, DutyAdmin}, Any},
	{Resolve, Published, Published, []Duty{DutyLead, DutyAdmin}, Any},
}

func init() {
	// The lead inspector writes the summary for children and young people
	// in any state before publication (summary.go).
	for _, st := range summaryStates {
		Rules = append(Rules, Rule{WriteSummary, st, st, []Duty{DutyLead}, Any})
	}
}

// MayDo reports whether any rule lets the actor do the action, whatever
// the letter's state: who may do it at all (a refusal to anyone else is
// 403, to them a reason to show).
func MayDo(a Action, by Actor) bool {
	for _, r := range Rules {
		if r.Action == a && slices.ContainsFunc(r.Who, by.Has) {
			return true
		}
	}
	return false
}

func findRule(a Action, from State, pa bool) (Rule, bool) {
	for _, r := range Rules {
		if r.Action == a && r.From == from && r.When.holds(pa) {
			return r, true
		}
	}
	return Rule{}, false
}

// Facts are what the rules need beyond the letter itself.
type Facts struct {
	// Current is the content of the current version (for Submit), or of
	// the version being saved (for Save).
	Current Content
	// Authors are the users who wrote any version of the letter: none of
	// them may approve or moderate it.
	Authors []int64
	// Version is the version number the actor saw when they acted (0: not
	// checked). Approving, moderating or sending anything but the current
	// version is refused.
	Version int
	// Comments is how many QA comments come with a return.
	Comments int
	// CommentWindowClosed reports whether Cafcass's time to comment on the
	// draft has passed (for SendFinal).
	CommentWindowClosed bool
	// PriorityActionModerated says the areas for priority action of the
	// current version are those of a moderated version (for a letter whose
	// draft was sent: DOMAIN decision 14).
	PriorityActionModerated bool
	// Unanswered is how many comments Cafcass submitted on the draft that
	// have no response from Ofsted yet (for SendFinal: DOMAIN decision 15).
	Unanswered int
	// Complaints are the letter's complaints (for Publish).
	Complaints []Complaint
	// Today is the day (Europe/London) a Publish is checked on, and
	// PublishOn the day the letter is due to be published
	// (Publication.Date). A zero Today checks no date.
	Today, PublishOn workday.Date
	// Summary is the letter's summary for children and young people (for
	// Publish: required). What is typed is checked by ValidateSummary.
	Summary string
}

// ErrNotAllowed is what every refused move wraps.
var ErrNotAllowed = errors.New("letter: not allowed")

// TransitionError is a refused move, with a reason to show the user.
type TransitionError struct {
	Action Action
	From   State
	Reason string
}

func (e *TransitionError) Error() string { return e.Reason }

// Unwrap makes errors.Is(err, ErrNotAllowed) hold.
func (e *TransitionError) Unwrap() error { return ErrNotAllowed }

func refuse(a Action, from State, format string, args ...any) error {
	return &TransitionError{Action: a, From: from, Reason: fmt.Sprintf(format, args...)}
}

// Check reports the state the letter moves to when the actor does the
// action, or a *TransitionError saying why they may not.
func Check(l Letter, a Action, by Actor, f Facts) (State, error) {
	from := l.State
	if from == "" {
		from = Drafting
	}
	pa := l.PriorityAction
	if a == Save {
		pa = f.Current.HasPriorityAction()
	}
	r, ok := findRule(a, from, pa)
	if !ok {
		return from, refuse(a, from, "%s", whyNot(a, from, pa))
	}
	if !slices.ContainsFunc(r.Who, by.Has) {
		var who []string
		for _, d := range r.Who {
			who = append(who, d.words())
		}
		return from, refuse(a, from, "Only %s can do this", strings.Join(who, " or "))
	}
	if f.Version != 0 && l.CurrentVersion != f.Version && a != Save {
		return from, refuse(a, from, "The letter has changed since you opened it (version %d is now the latest): check it again", l.CurrentVersion)
	}
	switch a {
	case Submit:
		if l.CurrentVersion == 0 || f.Current.Empty() {
			return from, refuse(a, from, "Write the letter before submitting it: it is empty")
		}
	case Return:
		if slices.Contains(f.Authors, by.UserID) {
			return from, refuse(a, from, "You cannot quality assure a letter you wrote")
		}
		if f.Comments == 0 {
			return from, refuse(a, from, "Add at least one comment saying what needs to change")
		}
	case Approve, Moderate, ModerateReturn:
		if slices.Contains(f.Authors, by.UserID) {
			return from, refuse(a, from, "You cannot approve or moderate a letter you wrote")
		}
		if from == DraftSent && f.PriorityActionModerated {
			return from, refuse(a, from, "The area for priority action in the current version has already been moderated")
		}
	case SendDraft:
		if !l.Approved() {
			return from, refuse(a, from, "The current version has not been approved: submit it for QA")
		}
		if pa && l.ModeratedVersion != l.CurrentVersion {
			return from, refuse(a, from, "The current version has not been moderated")
		}
	case SendFinal:
		if !f.CommentWindowClosed {
			return from, refuse(a, from, "Cafcass's time to comment on the draft has not ended")
		}
		if pa && !f.PriorityActionModerated {
			return from, refuse(a, from, "The area for priority action has changed since it was moderated, or was never moderated: the visit's moderator must moderate it before the final letter is sent")
		}
		if f.Unanswered > 0 {
			return from, refuse(a, from, "Respond to every comment Cafcass made on the draft before you send the final letter: %d %s no response yet",
				f.Unanswered, map[bool]string{true: "comment has", false: "comments have"}[f.Unanswered == 1])
		}
	case Publish:
		if AnyHolds(f.Complaints) {
			return from, refuse(a, from, "A complaint made in time is not resolved: publication is held until it is")
		}
		if !f.Today.IsZero() && (f.PublishOn.IsZero() || f.Today.Before(f.PublishOn)) {
			return from, refuse(a, from, "The publication date has not come")
		}
		if strings.TrimSpace(f.Summary) == "" {
			return from, refuse(a, from, "The letter has no summary for children and young people: the lead inspector must write one before it is published")
		}
	}
	return r.To, nil
}

// whyNot explains a move the table does not have.
func whyNot(a Action, from State, pa bool) string {
	switch a {
	case Save:
		return fmt.Sprintf("The letter cannot be changed once it is %s", strings.ToLower(from.Label()))
	case Submit:
		if from == InQA {
			return "The letter is already with QA"
		}
		return "Only a draft can be submitted for QA"
	case Return, Approve:
		return "Only a letter submitted for QA can be approved or returned"
	case Moderate, ModerateReturn:
		if !pa {
			return "Only a letter with an area for priority action is moderated"
		}
		return "Only an approved letter awaiting moderation can be moderated"
	case SendDraft:
		switch {
		case from == DraftSent || from == FinalSent || from == OnHold || from == Published:
			return "The draft has already been sent"
		case pa && from == Approved, from == InModeration:
			return "A letter with an area for priority action must be moderated before it is sent"
		}
		return "The letter must be approved by QA before it is sent"
	case SendFinal:
		if from == FinalSent || from == OnHold || from == Published {
			return "The final letter has already been sent"
		}
		return "The draft must be sent to Cafcass for comments before the final"
	case Hold, Release, Publish:
		return "Only a final letter that has been sent can be held, released or published"
	case WriteSummary:
		return "The summary for children and young people cannot be changed once the letter is published"
	}
	return "This cannot be done now"
}

// Next lists the actions the actor may take from the letter's state (for
// showing buttons), whatever the further checks say.
func Next(l Letter, by Actor) []Action {
	var out []Action
	for _, r := range Rules {
		if r.From == l.State && r.When.holds(l.PriorityAction) && slices.ContainsFunc(r.Who, by.Has) && !slices.Contains(out, r.Action) {
			out = append(out, r.Action)
		}
	}
	return out
}

// Package tasks says what each person must do next across their visits (issue
// 13): given who they are, today and the facts of their visits, it lists
// their tasks, each with the visit, a deadline from the visit's plan, whether
// it is overdue and a link straight to where it is done, overdue first and
// then by deadline. It does no I/O.
//
// It decides nothing of its own about who may do what: each task is offered
// because a rule of the domain package that owns it says the person may take
// that step now (visit.May, letter.Next and letter.Check, annexa.May,
// annexa.CanChooseSample, visit.CanSeeChildRecord). What it adds is the
// deadline of each step and which steps make a task for whom. Optional
// windows (DOMAIN decision 13) are never overdue, and a Cafcass user gets
// nothing of a visit before its notice is given (decision 9).
package tasks

import (
	"cmp"
	"slices"
	"strconv"

	"github.com/ofsted/focusedvisits/internal/annexa"
	"github.com/ofsted/focusedvisits/internal/letter"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// Kind is what a task asks.
type Kind string

// The kinds of task, by who does them.
const (
	// The lead inspector's.
	RecordNotice     Kind = "record-notice"
	SetUpRequest     Kind = "set-up-request"
	ReviewItem       Kind = "review-item"
	AnswerQuestion   Kind = "answer-question"
	WriteLetter      Kind = "write-letter"
	SendDraft        Kind = "send-draft"
	RespondComments  Kind = "respond-comments"
	SendFinal        Kind = "send-final"
	WriteSummary     Kind = "write-summary"
	ResolveComplaint Kind = "resolve-complaint"
	DecideDeferral   Kind = "decide-deferral"
	RecordCEOTold    Kind = "record-ceo-told"
	// The QAM's and the moderator's.
	QualityAssure Kind = "quality-assure"
	Moderate      Kind = "moderate"
	// Team inspectors' (and anyone given sampled cases).
	Fieldwork    Kind = "fieldwork"
	SampledCases Kind = "sampled-cases"
	// Senior analytical officers' (with ReviewItem for the lists and
	// AnswerQuestion).
	ChooseSample Kind = "choose-sample"
	// Cafcass's.
	SendItem       Kind = "send-item"
	ReadAnswer     Kind = "read-answer"
	CommentOnDraft Kind = "comment-on-draft"
	// Administrators'.
	FailedJobs     Kind = "failed-jobs"
	LockedAccounts Kind = "locked-accounts"
	FailedMessages Kind = "failed-messages"
)

// Status is where a task stands today.
type Status string

// The statuses of a task.
const (
	Overdue  Status = "overdue"
	DueToday Status = "due-today"
	ToDo     Status = "to-do"
	// Upcoming is a run of days not yet begun (fieldwork).
	Upcoming Status = "upcoming"
	// InProgress is a run of days under way.
	InProgress Status = "in-progress"
	// Open is an optional window while it runs: never overdue (DOMAIN
	// decision 13).
	Open Status = "open"
)

// Label is the status as its tag shows it.
func (s Status) Label() string {
	switch s {
	case Overdue:
		return "Overdue"
	case DueToday:
		return "Due today"
	case Upcoming:
		return "Coming up"
	case InProgress:
		return "In progress"
	case Open:
		return "Optional"
	}
	return "To do"
}

// Colour is the GOV.UK tag colour of the status.
func (s Status) Colour() string {
	switch s {
	case Overdue:
		return "red"
	case DueToday:
		return "orange"
	case InProgress, Open:
		return "light-blue"
	case Upcoming:
		return "grey"
	}
	return "blue"
}

// Task is one thing a person must (or, for an optional window, may) do.
type Task struct {
	Kind Kind
	// What says what to do, as the person reads it.
	What string
	// Visit is the visit's reference and VisitHref its page; both empty for
	// a task of the service itself (an administrator's).
	Visit, VisitHref string
	// Href is the page where the task is done.
	Href string
	// Due is the deadline, from the visit's plan (zero: none); From is the
	// first day of a run of days (fieldwork), else zero.
	From, Due workday.Date
	// Milestone is the code of the plan milestone whose date is Due, or ""
	// when the deadline is counted otherwise.
	Milestone string
	Status    Status
}

// Overdue reports whether the task is past its deadline.
func (t Task) Overdue() bool { return t.Status == Overdue }

// Horizon is how many working days ahead a task that waits for its day (a
// notice to prepare for, fieldwork) is listed; tasks that can be done now
// are listed whatever their deadline.
const Horizon = 10

// Item is an item of a visit's information request, as tasks need it.
type Item struct {
	PublicID, Number, Title string
	Kind                    annexa.Kind
	Status                  annexa.Status
	// Due is the day by the end of which it is due (from the plan).
	Due workday.Date
}

// Question is a question Cafcass asked about an item.
type Question struct {
	Item Item
	// AddressedTo is the Ofsted user asked (0: anyone on the visit).
	AddressedTo int64
	Answered    bool
}

// Visit is one of the person's visits with what its tasks depend on. Facts
// the person's role does not need may be left out.
type Visit struct {
	visit.Details
	// Plan is the visit's dates (visit.Details.Dates).
	Plan timeline.Plan
	// Letter is the visit's letter of findings (zero ID: none yet), and
	// LetterFacts what its rules need: the authors, whether its area for
	// priority action was moderated, the comments with no response.
	Letter      letter.Letter
	LetterFacts letter.Facts
	// CommentsSubmitted: Cafcass has submitted its comments on the draft.
	CommentsSubmitted bool
	// Complaints are the complaints not yet resolved.
	Complaints []letter.Complaint
	// Requested is how many items the information request has; Items are
	// those the person may have to act on, and Questions those about items.
	Requested int
	Items     []Item
	Questions []Question
	// Deferrals are the public ids of deferral requests awaiting a decision.
	Deferrals []string
	// ChildRows: an accepted child-level list is current.
	ChildRows bool
	// SampleReleased: the case sample was released to Cafcass; Sampled
	// counts its cases by the inspector they are given to.
	SampleReleased bool
	Sampled        map[int64]int
}

// Service is what an administrator looks after beyond the visits.
type Service struct {
	// FailedJobs are scheduled jobs that failed (waiting to be retried or
	// given up).
	FailedJobs int
	// LockedAccounts are accounts locked after too many wrong passwords.
	LockedAccounts int
	// FailedMessages are emails the mail server did not take after every
	// attempt, for an administrator to send again.
	FailedMessages int
}

// Input is everything the tasks are worked out from.
type Input struct {
	User     user.User
	Today    workday.Date
	Calendar *workday.Calendar
	Visits   []Visit
	Service  Service
}

// For lists the person's tasks, overdue first, then by deadline (those with
// none last), then by visit.
func For(in Input) []Task {
	var ts []Task
	if in.User.Role == user.Admin {
		ts = serviceTasks(in.Service)
	}
	for _, v := range in.Visits {
		// A visit the person may not see gives nothing (DOMAIN decision 9);
		// a cancelled one asks nothing more of anyone.
		if !visit.CanSee(in.User, v.Details) || v.Status != visit.Active {
			continue
		}
		ts = append(ts, visitTasks(in, v)...)
	}
	slices.SortStableFunc(ts, func(a, b Task) int {
		if a.Overdue() != b.Overdue() {
			if a.Overdue() {
				return -1
			}
			return 1
		}
		if a.Due.IsZero() != b.Due.IsZero() {
			if a.Due.IsZero() {
				return 1
			}
			return -1
		}
		return cmp.Or(a.Due.Compare(b.Due), cmp.Compare(a.Visit, b.Visit))
	})
	return ts
}

// OpenVisit reports whether a visit may still ask anything of anyone: active, and
// not published, or published with an area for priority action (whose
// action plans fall due afterwards). Only open visits need their facts
// loaded.
func OpenVisit(d visit.Details) bool {
	if d.Status != visit.Active {
		return false
	}
	_, published := d.Actual(timeline.CodePublication)
	return !published || d.PriorityAction
}

// Waiting reports whether any of the visit's facts waits for someone: an
// item or question loaded (NeedsOf), a comment without a response, a
// complaint, a deferral request, or the record that the chief executive was
// told. Once a visit is published, only these can still make a task (the
// plan's steps are done), so a published visit with none needs no plan.
func Waiting(v Visit) bool {
	return len(v.Items) > 0 || len(v.Questions) > 0 || v.LetterFacts.Unanswered > 0 || len(v.Complaints) > 0 ||
		len(v.Deferrals) > 0 || v.CEOToTell
}

// Needs says which facts of a person's visits can make their tasks, so that
// only those are loaded.
type Needs struct {
	// Items are the statuses of the items that can make a task.
	Items []annexa.Status
	// Questions: the questions about items, those answered when Answered
	// (Cafcass reads the answers), else those waiting for an answer.
	Questions, Answered bool
}

// NeedsOf is what a person with the role needs: the items the rules let
// Cafcass submit, or let Ofsted's reviewers accept, and the questions.
func NeedsOf(r user.Role) Needs {
	var n Needs
	switch {
	case r.IsCafcass():
		n = Needs{Questions: true, Answered: true}
		n.Items = statusesFor(annexa.Submit, annexa.Actor{Cafcass: true, Member: true})
	case r == user.LeadInspector || r == user.SAO:
		n = Needs{Questions: true}
		n.Items = statusesFor(annexa.Accept, annexa.Actor{Reviews: true})
	}
	return n
}

// statusesFor are the statuses in which the rules let the actor take the
// action on an item of any kind.
func statusesFor(a annexa.Action, by annexa.Actor) []annexa.Status {
	var ss []annexa.Status
	for _, s := range annexa.Statuses {
		for _, k := range []annexa.Kind{annexa.ChildList, annexa.AuditList, annexa.Document, annexa.Custom} {
			if annexa.May(a, by, annexa.Facts{Status: s, Kind: k, VisitActive: true}) {
				ss = append(ss, s)
				break
			}
		}
	}
	return ss
}

func serviceTasks(s Service) []Task {
	var ts []Task
	if s.FailedJobs > 0 {
		ts = append(ts, Task{Kind: FailedJobs, What: counted(s.FailedJobs, "scheduled job has", "scheduled jobs have") + " failed: see what went wrong",
			Href: "/admin/jobs", Status: ToDo})
	}
	if s.FailedMessages > 0 {
		ts = append(ts, Task{Kind: FailedMessages, What: counted(s.FailedMessages, "email was", "emails were") + " not delivered: retry from the Messages page",
			Href: "/admin/messages?status=failed", Status: ToDo})
	}
	if s.LockedAccounts > 0 {
		ts = append(ts, Task{Kind: LockedAccounts, What: counted(s.LockedAccounts, "account is", "accounts are") + " locked after too many wrong passwords",
			Href: "#locked-accounts", Status: ToDo})
	}
	return ts
}

// statusBy is the status of a task due by the end of due.
func statusBy(due, today workday.Date) Status {
	switch {
	case due.IsZero() || today.Before(due):
		return ToDo
	case today == due:
		return DueToday
	}
	return Overdue
}

// counted is "1 item is" or "3 items are".
func counted(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

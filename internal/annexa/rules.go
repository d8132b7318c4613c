package annexa

import (
	"errors"
	"slices"
	"strings"

	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
)

// Action is something done to an item of a visit's request.
type Action string

// The actions on an item. Each has its own POST route.
const (
	// Submit: Cafcass hands the item over.
	Submit Action = "submit"
	// MarkNotHeld: Cafcass says it does not hold the information.
	MarkNotHeld Action = "not-held"
	// Start: Cafcass takes back "not held" and starts on the item again.
	Start Action = "start"
	// Accept: Ofsted accepts what was submitted.
	Accept Action = "accept"
	// Return: Ofsted returns the item to Cafcass, with a reason.
	Return Action = "return"
	// SetCoverage: Cafcass gives the dates a child-level list covers.
	SetCoverage Action = "coverage"
	// Ask: Cafcass asks Ofsted a question about the item.
	Ask Action = "ask"
	// Answer: Ofsted answers a question about the item.
	Answer Action = "answer"
	// ChangeFiles: upload, replace or remove a file of the item, or upload
	// a child-level list.
	ChangeFiles Action = "files"
)

// Duty is who may do an action.
type Duty string

// The duties.
const (
	// DutyCafcass: Cafcass, on a visit it may see.
	DutyCafcass Duty = "cafcass"
	// DutyReviewer: who checks what Cafcass sends: the visit's lead
	// inspector (or an administrator) and its senior analytical officers.
	DutyReviewer Duty = "reviewer"
	// DutyCafcassFiles: a Cafcass member of the visit, for its files.
	DutyCafcassFiles Duty = "cafcass_files"
	// DutyOfstedFiles: the lead inspector or an administrator, for files;
	// for an item holding children's data, only if they may see it (DOMAIN
	// decision 17): never an administrator.
	DutyOfstedFiles Duty = "ofsted_files"
)

// Actor is who is acting on a visit's request, as the rules need to know
// them.
type Actor struct {
	UserID int64
	// Cafcass: a Cafcass user (who sees the visit only after notice).
	Cafcass bool
	// Member: named on the visit.
	Member bool
	// Manages: the visit's lead inspector or an administrator.
	Manages bool
	// Reviews: checks what Cafcass sends (DutyReviewer).
	Reviews bool
	// SeesChildData: on the visit's need-to-know team (DOMAIN decision 17).
	SeesChildData bool
}

// ActorFor is user u as the request rules of visit d see them: the one
// place where a role becomes what a user may do with the request.
func ActorFor(u user.User, d visit.Details) Actor {
	va := visit.ActorFor(u, d)
	a := Actor{UserID: u.ID, Cafcass: va.Cafcass, Member: d.IsMember(u.ID), Manages: va.Manages(), SeesChildData: visit.CanSeeChildData(u, d)}
	sao := u.Role == user.SAO && slices.ContainsFunc(d.Members, func(m visit.Member) bool { return m.UserID == u.ID && m.Role == visit.RoleSAO })
	a.Reviews = !a.Cafcass && (a.Manages || sao)
	return a
}

// Side is the side the actor acts for.
func (a Actor) Side() Side { return SideOf(a.Cafcass) }

// has reports whether the actor holds the duty for an item of kind k.
func (a Actor) has(d Duty, k Kind) bool {
	switch d {
	case DutyCafcass:
		return a.Cafcass
	case DutyReviewer:
		return a.Reviews
	case DutyCafcassFiles:
		return a.Cafcass && a.Member
	case DutyOfstedFiles:
		if a.Cafcass {
			return false
		}
		if k.HoldsChildData() && !a.SeesChildData {
			return false
		}
		return a.Manages
	}
	return false
}

// Facts are what the rules need to know of an item.
type Facts struct {
	Status Status
	Kind   Kind
	// VisitActive: the visit is not cancelled.
	VisitActive bool
	// HasFiles: the item has at least one file (for Submit).
	HasFiles bool
	// HasCoverage: a child-level list's dates are given (for Submit).
	HasCoverage bool
	// Reason: Ofsted's reason for returning it, or Cafcass's explanation of
	// why it is not held (for Return and MarkNotHeld).
	Reason string
}

// Rule is one allowed action: who may take it on an item in one of the
// statuses From (any status when From is nil), and the status it moves the
// item to ("" for an action that moves nothing).
type Rule struct {
	Action Action
	Who    Duty
	From   []Status
	To     Status
}

var open = []Status{NotStarted, InProgress, Returned}

// Rules are every action on an item: one not listed is not allowed.
// Cafcass starts, submits or says an item is not held, until Ofsted accepts
// it; Ofsted accepts or returns what was submitted, and may return an item
// said not to be held when it disagrees. Cafcass may take back "not held"
// while Ofsted has not decided on it. Once Cafcass has submitted an item its
// files are frozen for Cafcass, and stay so once Ofsted accepts it, until
// Ofsted returns it (DOMAIN decision 18); Ofsted's own changes to files are
// not limited by the status.
var Rules = []Rule{
	{Submit, DutyCafcass, open, Submitted},
	{MarkNotHeld, DutyCafcass, open, NotHeld},
	{Start, DutyCafcass, []Status{NotHeld}, InProgress},
	{Accept, DutyReviewer, []Status{Submitted}, Accepted},
	{Return, DutyReviewer, []Status{Submitted, NotHeld}, Returned},
	{SetCoverage, DutyCafcass, []Status{NotStarted, InProgress, Returned, NotHeld}, ""},
	{Ask, DutyCafcass, nil, ""},
	{Answer, DutyReviewer, nil, ""},
	{ChangeFiles, DutyCafcassFiles, []Status{NotStarted, InProgress, Returned, NotHeld}, ""},
	{ChangeFiles, DutyOfstedFiles, nil, ""},
}

// The reasons an action is refused.
var (
	// ErrNotYours: the actor may never do this on the item (403).
	ErrNotYours = errors.New("annexa: not yours to do")
	// ErrCancelled: the visit is cancelled (400: no page offers it).
	ErrCancelled = errors.New("annexa: the visit is cancelled")
	// ErrForbidden: not in the item's status (a form error).
	ErrForbidden      = errors.New("annexa: that change of status is not allowed")
	ErrNoFiles        = errors.New("annexa: add at least one file before submitting")
	ErrNoCoverage     = errors.New("annexa: enter the dates the list covers before submitting")
	ErrNoReason       = errors.New("annexa: give a reason")
	ErrNoExplanation  = errors.New("annexa: explain why the information is not held")
	ErrNothingChanged = errors.New("annexa: the item already has that status")
)

// ErrFilesFrozen refuses a change to the files of an item Cafcass has
// handed over (DOMAIN decision 18).
var ErrFilesFrozen = errors.New("annexa: the item has been submitted: its files cannot change unless Ofsted returns it")

// RuleError is a refused action, with the form field and message people
// read (form.FieldError's shape).
type RuleError struct {
	Action  Action
	Field   string
	Anchor  string
	Message string
	err     error
}

func (e *RuleError) Error() string { return e.Message }

// Unwrap makes errors.Is(err, ErrNotYours) (and the others) hold.
func (e *RuleError) Unwrap() error { return e.err }

// rule finds the rule for the action that the actor may take on an item of
// kind k in status s: ErrNotYours when no rule of the action is theirs,
// ErrForbidden when none is for the status.
func rule(a Action, by Actor, k Kind, s Status) (Rule, error) {
	mine := false
	for _, r := range Rules {
		if r.Action != a || !by.has(r.Who, k) {
			continue
		}
		if a == SetCoverage && !k.NeedsCoverage() {
			continue
		}
		mine = true
		if r.From == nil || slices.Contains(r.From, s) {
			return r, nil
		}
	}
	if !mine {
		return Rule{}, ErrNotYours
	}
	return Rule{}, ErrForbidden
}

// Check returns nil when the actor may take the action on the item now, with
// what it needs, or a *RuleError saying why not.
func Check(a Action, by Actor, it Facts) error {
	refuse := func(err error, field, msg string) error {
		return &RuleError{Action: a, Field: field, Message: msg, err: err}
	}
	if !it.VisitActive {
		return refuse(ErrCancelled, "status", "The visit is cancelled")
	}
	r, err := rule(a, by, it.Kind, it.Status)
	if errors.Is(err, ErrNotYours) && (!moves(a) || !by.Cafcass && !by.Reviews) {
		return refuse(ErrNotYours, "status", "You cannot do this on this item")
	}
	if err != nil {
		return Refusal(a, it.Status)
	}
	if r.To == it.Status {
		return refuse(ErrNothingChanged, "status", "The item is already "+strings.ToLower(r.To.Label()))
	}
	switch a {
	case Submit:
		if it.Kind.NeedsCoverage() && !it.HasCoverage {
			return &RuleError{Action: a, Field: "covers-from", Anchor: "covers-from-day", Message: "Enter the dates the list covers before you mark it as submitted", err: ErrNoCoverage}
		}
		if !it.HasFiles {
			return refuse(ErrNoFiles, "files", "Upload at least one file before you mark the item as submitted")
		}
	case MarkNotHeld:
		if it.Reason == "" {
			return refuse(ErrNoExplanation, "not-held-reason", "Explain why Cafcass does not hold this information")
		}
	case Return:
		if it.Reason == "" {
			return refuse(ErrNoReason, "return-reason", "Enter why you are returning the item")
		}
	}
	return nil
}

// moves reports whether the action changes an item's status. Either side
// asking for a move that is the other side's is refused as a move not
// allowed now (a form error), not as a request it may never make.
func moves(a Action) bool {
	return slices.ContainsFunc(Rules, func(r Rule) bool { return r.Action == a && r.To != "" })
}

// Refusal is the action refused by the item's status s (as read when the
// page was: a store that finds it moved since refuses with this).
func Refusal(a Action, s Status) error {
	switch a {
	case ChangeFiles:
		msg := "This item has been submitted, so its files cannot be changed unless Ofsted returns it"
		if s == Accepted {
			msg = "Ofsted has accepted this item, so its files can no longer be changed"
		}
		return &RuleError{Action: a, Field: "file", Message: msg, err: ErrFilesFrozen}
	case SetCoverage:
		return &RuleError{Action: a, Field: "covers-from", Anchor: "covers-from-day", Message: "The list has been submitted: its dates cannot change now", err: ErrForbidden}
	}
	to := map[Action]Status{Submit: Submitted, MarkNotHeld: NotHeld, Start: InProgress, Accept: Accepted, Return: Returned}[a]
	if to == s {
		return &RuleError{Action: a, Field: "status", Message: "The item is already " + strings.ToLower(to.Label()), err: ErrNothingChanged}
	}
	return &RuleError{Action: a, Field: "status", Message: "You cannot make the item " + strings.ToLower(to.Label()) + " now. It has changed since you opened the page, or it is not yours to change", err: ErrForbidden}
}

// May reports whether the actor may take the action on the item as far as
// who they are and the item's status go, whatever it still needs (files,
// dates, a reason): what a page offers.
func May(a Action, by Actor, it Facts) bool {
	err := Check(a, by, Facts{Status: it.Status, Kind: it.Kind, VisitActive: it.VisitActive, HasFiles: true, HasCoverage: true, Reason: "offered"})
	return err == nil
}

// Next lists the actions the actor may take on the item (May), for a page
// to offer.
func Next(by Actor, it Facts) []Action {
	var out []Action
	for _, a := range []Action{SetCoverage, Submit, Start, MarkNotHeld, Accept, Return, Ask, Answer, ChangeFiles} {
		if May(a, by, it) {
			out = append(out, a)
		}
	}
	return out
}

// SideOf is the side a user acts for: Cafcass's users for Cafcass, everyone
// else for Ofsted.
func SideOf(cafcass bool) Side {
	if cafcass {
		return CafcassSide
	}
	return OfstedSide
}

// CheckFiles returns nil when side may change an item's files while the
// item has status s, or ErrFilesFrozen: the ChangeFiles rule for the status
// alone (who may is the page's Check). The store applies it again inside
// the transaction that changes the files, with the item's row locked, so
// that a submission racing a removal cannot both win.
func CheckFiles(by Side, s Status) error {
	duty := DutyOfstedFiles
	if by == CafcassSide {
		duty = DutyCafcassFiles
	}
	for _, r := range Rules {
		if r.Action == ChangeFiles && r.Who == duty && (r.From == nil || slices.Contains(r.From, s)) {
			return nil
		}
	}
	return ErrFilesFrozen
}

// CanChangeFiles reports whether side may change the files of an item with
// status s: CheckFiles for pages.
func CanChangeFiles(by Side, s Status) bool { return CheckFiles(by, s) == nil }

// StartsOnUpload reports whether files added by side to an item with status
// s start it: Cafcass uploading to an item it has not started, or to one
// Ofsted returned (the correction is under way, and the return's reason no
// longer the item's status), moves it to in progress.
func StartsOnUpload(by Side, s Status) bool {
	return by == CafcassSide && (s == NotStarted || s == Returned)
}

// Askable are whom Cafcass may ask about an item: the visit's lead
// inspector and senior analytical officers.
func Askable(d visit.Details) []visit.Member {
	var ms []visit.Member
	for _, m := range d.Members {
		if m.Role == visit.RoleLead || m.Role == visit.RoleSAO {
			ms = append(ms, m)
		}
	}
	return ms
}

// CanSeeChildRecord reports whether u may see a record of children's data of
// visit d sent or made by a user with role by (visit.CanSeeChildRecord:
// Cafcass sees what Cafcass sent).
func CanSeeChildRecord(u user.User, d visit.Details, rec visit.ChildRecord, by user.Role) bool {
	return visit.CanSeeChildRecord(u, d, rec, by.IsCafcass())
}

// CanChooseSample reports whether u may choose and release the case sample
// drawn from the child-level list: the visit's lead inspector or one of its
// senior analytical officers (who may see its children's data), while the
// visit is active. Team inspectors see the rows but do not choose;
// administrators see none of it.
func CanChooseSample(u user.User, d visit.Details) bool {
	if d.Status != visit.Active || !visit.CanSeeChildData(u, d) {
		return false
	}
	return slices.ContainsFunc(d.Members, func(m visit.Member) bool {
		return m.UserID == u.ID && (m.Role == visit.RoleLead && u.Role == user.LeadInspector || m.Role == visit.RoleSAO && u.Role == user.SAO)
	})
}

// Package visit holds what a visit is: its team, what has happened, the dates
// set by hand, who may see and change it, and how its plan is computed. It
// does no I/O.
package visit

import (
	"slices"
	"strconv"
	"time"

	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// Status is whether a visit goes ahead.
type Status string

const (
	Active    Status = "active"
	Cancelled Status = "cancelled"
)

// MemberRole is what someone does on one visit.
type MemberRole string

const (
	RoleLead MemberRole = "lead_inspector"
	RoleTeam MemberRole = "team_inspector"
	RoleQAM  MemberRole = "qam"
	// RoleModerator is a QAM other than the visit's own, who moderates a
	// letter with an area for priority action (DOMAIN decision 14).
	RoleModerator MemberRole = "moderator"
	RoleSAO       MemberRole = "sao"
	RoleCafcass   MemberRole = "cafcass"
)

// Label is the member role as people say it.
func (r MemberRole) Label() string {
	switch r {
	case RoleLead:
		return "Lead inspector"
	case RoleTeam:
		return "Team inspector"
	case RoleQAM:
		return "Quality assurance manager"
	case RoleModerator:
		return "Moderator"
	case RoleSAO:
		return "Senior analytical officer"
	case RoleCafcass:
		return "Cafcass recipient of notice"
	}
	return string(r)
}

// Visit is one visit's own record.
type Visit struct {
	ID int64
	// PublicID names the visit in URLs (internal/publicid); ID never
	// leaves the service.
	PublicID        string
	Reference       string
	TemplateID      string
	TemplateVersion string
	AnchorCode      string
	AnchorDate      workday.Date
	PriorityAction  bool
	// PlanFromAnchor: a deferral granted after notice re-anchored the
	// plan (DOMAIN decision 11); see timeline.Input.Rebased.
	PlanFromAnchor bool
	// CEOToTell: a closure day moved the dates after notice and the lead
	// has not yet recorded telling the chief executive (DOMAIN decision 14).
	CEOToTell     bool
	Status        Status
	NoticeGivenAt time.Time // zero until the notice call is recorded
	CancelledAt   time.Time
	// CancelReason is shown to Cafcass; CancelNote is internal to Ofsted
	// (DOMAIN decision 18).
	CancelReason string
	CancelNote   string
	CreatedBy    int64
	CreatedAt    time.Time
	UpdatedAt    time.Time
	Version      int
	// PlanVersion goes up with every stored change to what the visit's
	// plan is computed from (anchor, template, priority action, events
	// recorded, dates set by hand, deferrals), and CalendarVersion is the
	// calendar's (its closure days') version, read with the visit: together
	// they name the plan, so a plan computed once can be kept. Zero for a
	// visit not read from the store (a draft, or a copy changed in hand).
	PlanVersion, CalendarVersion int64
	// DetailVersion is the store's number for this state of the visit and
	// of everything read with it (migration 00043): whatever is computed
	// from the visit alone can be kept by it. Zero for a visit not read
	// from the store.
	DetailVersion int64
}

// NoticeGiven reports whether the notice call has been recorded.
func (v Visit) NoticeGiven() bool { return !v.NoticeGivenAt.IsZero() }

// Member is someone on a visit.
type Member struct {
	UserID   int64
	Name     string
	Email    string
	UserRole user.Role
	Role     MemberRole
}

// Actual is an event recorded as done.
type Actual struct {
	Code       string
	Date       workday.Date
	To         workday.Date
	Time       string // "09:05" for the notice call; "" when not recorded
	RecordedBy string
	RecordedAt time.Time
}

// Override is a date set by hand.
type Override struct {
	Code   string
	Date   workday.Date
	To     workday.Date
	Reason string
	SetBy  string
	SetAt  time.Time
	// Told, when setting a date after notice, is the record that the chief
	// executive was told (kept in the history, not with the date).
	Told CEOTold
	// CEONote, after notice, is the lead's covering note to the chief
	// executive, sent with the service's email of the new dates.
	CEONote string
}

// Acceptance is a scheduling warning the lead inspector went ahead with.
type Acceptance struct {
	Code       string
	Message    string
	Reason     string
	AcceptedBy string
	AcceptedAt time.Time
}

// Details is a visit with everything its pages and plan need.
type Details struct {
	Visit
	Members     []Member
	Actuals     []Actual
	Overrides   []Override
	Acceptances []Acceptance
}

// Lead returns the lead inspector, if any.
func (d Details) Lead() (Member, bool) {
	i := slices.IndexFunc(d.Members, func(m Member) bool { return m.Role == RoleLead })
	if i < 0 {
		return Member{}, false
	}
	return d.Members[i], true
}

// MembersAs returns the members with the role, in the stored order.
func (d Details) MembersAs(r MemberRole) []Member {
	var ms []Member
	for _, m := range d.Members {
		if m.Role == r {
			ms = append(ms, m)
		}
	}
	return ms
}

// IsMember reports whether the user is on the visit in any role.
func (d Details) IsMember(userID int64) bool {
	return slices.ContainsFunc(d.Members, func(m Member) bool { return m.UserID == userID })
}

// Actual returns the recorded event with the code, if any.
func (d Details) Actual(code string) (Actual, bool) {
	i := slices.IndexFunc(d.Actuals, func(a Actual) bool { return a.Code == code })
	if i < 0 {
		return Actual{}, false
	}
	return d.Actuals[i], true
}

// Override returns the override of the code, if any.
func (d Details) Override(code string) (Override, bool) {
	i := slices.IndexFunc(d.Overrides, func(o Override) bool { return o.Code == code })
	if i < 0 {
		return Override{}, false
	}
	return d.Overrides[i], true
}

// Inspectors are the names the clash check matches: every Ofsted member
// who does fieldwork (lead and team inspectors).
func (d Details) Inspectors() []string {
	var names []string
	for _, m := range d.Members {
		if m.Role == RoleLead || m.Role == RoleTeam {
			names = append(names, InspectorKey(m.UserID, m.Name))
		}
	}
	return names
}

// InspectorKey identifies an inspector for the clash check: the name people
// read, made unique by the user id.
func InspectorKey(id int64, name string) string {
	return name + " (#" + strconv.FormatInt(id, 10) + ")"
}

// Visibility is which visits a user may know exist, as data, so that the
// store can filter by it in the query that finds a visit (a hidden visit
// then costs what a missing one costs, DOMAIN decision 9) and CanSee can
// apply it to a visit in hand: one rule, two uses, which cannot drift.
type Visibility struct {
	// All: every visit (administrators). The fields below then do not apply.
	All bool
	// MemberID: only the visits this user is on (0 matches no visit).
	MemberID int64
	// NoticeGiven: and only once their notice call is recorded (Cafcass).
	NoticeGiven bool
}

// VisibilityFor is the rule: administrators see every visit; other Ofsted
// users the visits they are on; Cafcass users the visits they are on once
// notice is given. No one signed in (user id 0) sees none.
func VisibilityFor(u user.User) Visibility {
	switch {
	case u.Role == user.Admin:
		return Visibility{All: true}
	case u.Role.IsCafcass():
		return Visibility{MemberID: u.ID, NoticeGiven: true}
	}
	return Visibility{MemberID: u.ID}
}

// Allows reports whether a visit passes the filter.
func (v Visibility) Allows(d Details) bool {
	if v.All {
		return true
	}
	if v.MemberID == 0 || !d.IsMember(v.MemberID) {
		return false
	}
	return !v.NoticeGiven || d.NoticeGiven()
}

// CanSee reports whether u may know that the visit exists
// (VisibilityFor). Everyone else must get exactly the answer a visit that
// does not exist gets.
func CanSee(u user.User, d Details) bool {
	return VisibilityFor(u).Allows(d)
}

// Input builds the timeline input for the visit.
func (d Details) Input(cal *workday.Calendar, loc *time.Location, others []timeline.OtherVisit) (timeline.Input, error) {
	t, err := timeline.Lookup(d.TemplateID, d.TemplateVersion)
	if err != nil {
		return timeline.Input{}, err
	}
	in := timeline.Input{
		Template:    t,
		Calendar:    cal,
		Location:    loc,
		Anchor:      d.AnchorDate,
		AnchorCode:  d.AnchorCode,
		Actual:      map[string]timeline.Actual{},
		Overrides:   map[string]timeline.Override{},
		Inspectors:  d.Inspectors(),
		OtherVisits: others,
		Rebased:     d.PlanFromAnchor,
	}
	in.InspectorNames = map[string]string{}
	for _, m := range d.Members {
		in.InspectorNames[InspectorKey(m.UserID, m.Name)] = m.Name
	}
	if in.AnchorCode == timeline.CodeNotice {
		in.AnchorCode = ""
	}
	for _, a := range d.Actuals {
		in.Actual[a.Code] = timeline.Actual{Date: a.Date, To: a.To}
	}
	for _, o := range d.Overrides {
		in.Overrides[o.Code] = timeline.Override{Date: o.Date, To: o.To, Reason: o.Reason}
	}
	if d.PriorityAction {
		in.Conditions = append(in.Conditions, timeline.PriorityAction)
	}
	return in, nil
}

// Plan computes the visit's timeline.
func (d Details) Plan(cal *workday.Calendar, loc *time.Location, others []timeline.OtherVisit) (timeline.Plan, error) {
	in, err := d.Input(cal, loc, others)
	if err != nil {
		return timeline.Plan{}, err
	}
	return timeline.Compute(in)
}

// Dates computes the visit's timeline without explanations: the same dates,
// several times cheaper, for pages that list many visits.
func (d Details) Dates(cal *workday.Calendar, loc *time.Location) (timeline.Plan, error) {
	in, err := d.Input(cal, loc, nil)
	if err != nil {
		return timeline.Plan{}, err
	}
	in.Brief = true
	return timeline.Compute(in)
}

// Fieldwork returns the visit's fieldwork days as another visit sees them,
// for the clash check.
func (d Details) Fieldwork(p timeline.Plan) (timeline.OtherVisit, bool) {
	m, ok := p.Milestone(timeline.CodeFieldwork)
	if !ok {
		return timeline.OtherVisit{}, false
	}
	return timeline.OtherVisit{Name: d.Reference, From: m.First(), To: m.Last(), Inspectors: d.Inspectors()}, true
}

// DeferralRebases says whether granting a deferral now re-anchors the plan
// with the notice staying as recorded (DOMAIN decision 11): so once notice
// was given.
func DeferralRebases(d Details) bool {
	_, ok := d.Actual(timeline.CodeNotice)
	return ok
}

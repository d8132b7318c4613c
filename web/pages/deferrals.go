package pages

import (
	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/web/components"
	"github.com/ofsted/focusedvisits/web/layout"
)

// DeferralItem is one deferral request as a visit's pages show it.
type DeferralItem struct {
	ID           string // the request's public id
	RequestedBy  string // "Chris Chief, Cafcass chief executive"
	RequestedOn  string // "Fri 2 May 2025"
	Reason       string
	RecordedBy   string
	Status       string // "Awaiting decision", "Granted", "Refused"
	StatusColour string
	// Decision, once made.
	DecidedBy      string
	DecidedOn      string
	DecisionReason string
	// Moved says, for a granted request, what the visit was planned from
	// before and after ("the first fieldwork day, Tue 20 May 2025").
	MovedFrom, MovedTo string
	// DecideHref links to the decision page; empty when the user may not
	// decide or the request is decided.
	DecideHref string
}

// DeferralListView is the deferrals section of a visit's page.
type DeferralListView struct {
	Deferrals []DeferralItem
	// NewHref links to the form to record a request; empty when the user
	// may not record one.
	NewHref string
}

// DeferralDateInput is what a date input shows.
type DeferralDateInput struct {
	Day, Month, Year string
}

// DeferralNewView is the form to record a deferral request.
type DeferralNewView struct {
	layout.Page
	Caption     string
	BackHref    string
	Action      string
	RequestedBy string
	RequestedOn DeferralDateInput
	Reason      string
	Errors      form.Errors
}

// DeferralDecideView is the form to grant or refuse a deferral request.
type DeferralDecideView struct {
	layout.Page
	Caption        string
	BackHref       string
	Action         string
	Request        DeferralItem
	CurrentPlan    string // "the notice day, Mon 12 May 2025"
	Version        int
	Decision       string // "grant" or "refuse"
	Anchor         string // "notice" or "fieldwork"
	NewDate        DeferralDateInput
	DecisionReason string
	Errors         form.Errors
}

// DeferralDateRow is one milestone's old and new dates.
type DeferralDateRow struct {
	Label string
	Old   string
	New   string
	Moved bool
	// Note says why a date does not move ("Recorded as done", "Set by hand").
	Note string
}

// DeferralField is a value carried in a hidden field to the next step.
type DeferralField struct {
	Name, Value string
}

// DeferralCheckView shows every old and new date side by side before a
// granted deferral is saved.
type DeferralCheckView struct {
	layout.Page
	Caption        string
	BackHref       string
	Action         string
	Request        DeferralItem
	PlanFrom       string // "The first fieldwork day, Tue 17 Jun 2025"
	DecisionReason string
	Rows           []DeferralDateRow
	Moved          int
	Warnings       []string
	NoticeRecorded string // the notice call's recorded date, when it is
	// SetByHand offers to keep each date set by hand on a milestone not
	// yet done; unticked, it moves with the plan (DOMAIN decision 11).
	SetByHand []components.Option
	// AskCEOTold asks for the record that the chief executive was told
	// of the new dates, after notice (DOMAIN decision 14).
	AskCEOTold   bool
	CEOTold      CEOToldInput
	AcceptReason string
	Hidden       []DeferralField
	Errors       form.Errors
}

package pages

import (
	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/web/components"
	"github.com/ofsted/focusedvisits/web/layout"
)

// DateValue is what a GOV.UK date input shows.
type DateValue struct {
	Day, Month, Year string
}

// Hidden is a hidden form field carried from one step to the next.
type Hidden struct {
	Name, Value string
}

// VisitFormView is the form to schedule or edit a visit.
type VisitFormView struct {
	layout.Page
	Action       string
	Caption      string
	BackHref     string
	Submit       string
	Plan         string // "notice" or "fieldwork"
	Date         DateValue
	ShowLead     bool
	Leads        []components.Option
	Team         []components.Option
	QAMs         []components.Option
	Moderators   []components.Option
	SAOs         []components.Option
	Cafcass      []components.Option
	ShowPriority bool
	Priority     bool
	Version      int
	Errors       form.Errors
}

// KeyDate is one line of a short list of dates.
type KeyDate struct {
	Label string
	Date  string
}

// VisitWarningsView asks the lead inspector to go back or go ahead, with a
// reason, when the plan breaks a scheduling rule.
type VisitWarningsView struct {
	layout.Page
	Action   string
	Hidden   []Hidden
	Warnings []string
	Dates    []KeyDate
	Reason   string
	Errors   form.Errors
}

// VisitTab is one of a visit's sub-pages.
type VisitTab struct {
	Text, Href string
	Current    bool
}

// VisitHeader is what every page of a visit shows at the top.
type VisitHeader struct {
	Href        string // the visit's page, /visits/{public id}
	Reference   string
	Title       string
	Stage       string
	StageColour string
	Tabs        []VisitTab
}

// MilestoneRow is one line of a visit's timeline.
type MilestoneRow struct {
	Code           string
	Day            string
	Label          string
	Actor          string
	Planned        string
	Current        string
	Changed        bool // the current date differs from the planned one
	StateNote      string
	TimeNote       string
	Progress       string
	ProgressColour string
	Explanation    string
	Provisional    bool
	RecordHref     string
	OverrideHref   string
}

// VisitShowView is a visit's timeline page.
type VisitShowView struct {
	layout.Page
	Header VisitHeader
	// Sample tells Cafcass the case sample was released.
	Sample       SampleNotice
	Summary      []components.SummaryRow
	CanManage    bool
	IsCafcass    bool
	Cancelled    bool
	CancelReason string // shown to Cafcass
	CancelNote   string // internal: never set for Cafcass
	Warnings     []string
	Accepted     []KeyDate // warning message and reason
	Rows         []MilestoneRow
	Provisional  bool
	ICSHref      string
	Deferrals    DeferralListView
	// ChildDataViewsHref is the record of who viewed the visit's children's
	// data, for administrators.
	ChildDataViewsHref string
	// UndoNoticeHref undoes a notice call recorded in error, for an
	// administrator on the day it was recorded; empty otherwise.
	UndoNoticeHref string
	// CEOToldHref asks the lead to record telling the chief executive of
	// dates a closure day moved after notice; empty otherwise.
	CEOToldHref string
	// CEOEmailed, once the service emails, says when it emailed the chief
	// executive the new dates (and the banner offers a covering note).
	CEOEmailed string
	// Feedback is the code for children's feedback (issue 17.6).
	Feedback FeedbackPanel
}

// HistoryRow is one change in a visit's history.
type HistoryRow struct {
	When   string
	Who    string
	Action string
	Field  string
	Old    string
	New    string
	Detail string
}

// VisitHistoryView is a visit's history page.
type VisitHistoryView struct {
	layout.Page
	Header VisitHeader
	Rows   []HistoryRow
	// ExportHref is the CSV download, for administrators only ("" hides it).
	ExportHref string
}

// MilestoneFormView records what happened or sets a date by hand.
type MilestoneFormView struct {
	layout.Page
	Header   VisitHeader
	Action   string
	BackHref string
	Label    string
	Planned  string
	Override bool // the override form, not the record form
	Window   bool
	AskTime  bool
	// AskConfirm asks the lead to confirm that recording the notice call
	// shows the visit to Cafcass now (DOMAIN decision 10).
	AskConfirm bool
	Confirm    bool
	// AskCEOTold asks for the record that the chief executive was told of
	// a date set by hand after notice (DOMAIN decision 14).
	AskCEOTold  bool
	CEOTold     CEOToldInput
	Date        DateValue
	To          DateValue
	Time        string
	Reason      string
	CanRemove   bool
	RemoveLabel string
	Version     int
	Errors      form.Errors
}

// VisitCancelView asks for the reason a visit is cancelled, which Cafcass
// sees, and an internal note, which it does not.
type VisitCancelView struct {
	layout.Page
	Header   VisitHeader
	Action   string
	BackHref string
	Reason   string
	Note     string
	Version  int
	Errors   form.Errors
}

// NoticeUndoView asks an administrator why a notice call recorded in error
// is undone.
type NoticeUndoView struct {
	layout.Page
	Header   VisitHeader
	BackHref string
	Action   string
	Recorded string
	Reason   string
	Version  int
	Errors   form.Errors
}

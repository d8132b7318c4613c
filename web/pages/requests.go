package pages

import (
	"strconv"

	"github.com/a-h/templ"
	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/web/components"
	"github.com/ofsted/focusedvisits/web/layout"
)

// RequestGroup is the items of a request due by the end of one day.
type RequestGroup struct {
	// Heading is "Due by the end of day 3, Wed 16 Apr 2025, 23:59".
	Heading string
	Items   []components.TaskListItem
}

// RequestShowView is a visit's information request: a task list of its
// items, grouped by the day they are due.
type RequestShowView struct {
	layout.Page
	Header    VisitHeader
	IsCafcass bool
	Groups    []RequestGroup
	// Counts summarise the items ("3 of 8 submitted or accepted").
	Summary  string
	Overdue  int
	EditHref string // set when the user may change the request
	AddHref  string
	// DeferralHref links Cafcass to ask for a deferral; empty otherwise.
	DeferralHref string
	// Sample tells Cafcass the case sample was released.
	Sample SampleNotice
}

// RequestEditRow is one catalogue or own item on the request form.
type RequestEditRow struct {
	Number      string
	Title       string
	Description string
	Checked     bool
	Days        []components.Option // day 1 to 8, with dates; the due day checked
	// Locked is set for an item Cafcass has started on: it stays on the
	// request whatever is ticked.
	Locked string
}

// RequestEditView is the form on which the lead inspector picks the items
// of the request and their due days.
type RequestEditView struct {
	layout.Page
	Caption  string
	BackHref string
	Action   string
	AddHref  string
	Version  string // the Annex A version, "September 2025"
	Rows     []RequestEditRow
	Errors   form.Errors
}

// RequestItemNewView is the form to add an item of the lead inspector's own.
type RequestItemNewView struct {
	layout.Page
	Caption     string
	BackHref    string
	Action      string
	Number      string
	Title       string
	Description string
	Kind        string // "custom" or "child_list"
	Days        []components.Option
	Errors      form.Errors
}

// QuestionView is a question about an item and its answer.
type QuestionView struct {
	ID         string // the question's public id
	Question   string
	AskedBy    string // "Chris Chief, 15 Apr 2025 10:02"
	AskedOf    string // "Leila Lead" or ""
	Answer     string
	AnsweredBy string
	// AnswerField is the id of its answer box; CanAnswer when the user may
	// answer it; TypedAnswer is what they typed (kept on error).
	AnswerField string
	CanAnswer   bool
	TypedAnswer string
	// Action is where its answer form posts.
	Action string
}

// RequestItemShowView is one item of a request, with what the signed-in
// user may do with it.
type RequestItemShowView struct {
	layout.Page
	Caption   string
	BackHref  string
	Action    string
	Title     string
	Number    string
	Summary   []components.SummaryRow
	Status    components.TagParams
	Overdue   bool
	Reason    string // returned reason or not-held explanation
	ReasonKey string // "Reason returned" or "Why it is not held"
	Files     templ.Component
	Questions []QuestionView

	// Cafcass actions.
	CanSubmit      bool
	CanStart       bool
	CanNotHeld     bool
	CanAsk         bool
	NeedsCoverage  bool
	CanSetCoverage bool
	CoversFrom     DeferralDateInput
	CoversTo       DeferralDateInput
	NotHeldReason  string
	Askable        []components.Option // whom to ask
	Question       string
	// Ofsted actions.
	CanAccept    bool
	CanReturn    bool
	ReturnReason string

	// Where each action's form posts.
	SubmitAction, NotHeldAction, StartAction string
	CoverageAction, AskAction                string
	AcceptAction, ReturnAction               string

	Errors form.Errors
}

// RequestDeferralView is the form on which Cafcass asks Ofsted to defer a visit.
type RequestDeferralView struct {
	layout.Page
	Caption  string
	BackHref string
	Action   string
	Reason   string
	Mine     []DeferralItem // the requests already made, status only
	Errors   form.Errors
}

func overdueText(n int) string {
	if n == 1 {
		return "1 item is overdue."
	}
	return strconv.Itoa(n) + " items are overdue."
}

func formGroupClass(err string) string {
	if err != "" {
		return "govuk-form-group govuk-form-group--error"
	}
	return "govuk-form-group"
}

// optionIDOf is the id of the i-th checkbox of a group, as the components
// name them: the first takes the group's name, so error links land on it.
func optionIDOf(name string, i int) string {
	if i == 0 {
		return name
	}
	return name + "-" + strconv.Itoa(i+1)
}

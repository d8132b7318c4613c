package pages

import (
	"strconv"

	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/web/components"
	"github.com/ofsted/focusedvisits/web/layout"
)

// The visit workspace (issue 17): the set-up call record, conversations
// with stakeholders and the fieldwork plan. Handlers copy into these views
// only what the user may see (internal/fieldwork decides).

// WorkspaceView is the workspace tab of a visit.
type WorkspaceView struct {
	layout.Page
	Header VisitHeader
	// SetUp is the set-up call record as the user may see it (no internal
	// notes for Cafcass); nil before it is recorded.
	SetUp     []components.SummaryRow
	SetUpHref string // to record or change it; "" when the user may not
	IsCafcass bool
	// ShowStakeholders: the user may see the conversations with stakeholders.
	ShowStakeholders    bool
	Conversations       []ConversationRow
	AddConversationHref string
	// FieldworkHref is the fieldwork plan (Ofsted's team) or the
	// discussions to arrange (Cafcass); "" when the user may see neither.
	FieldworkHref string
	FieldworkText string
	// EvidenceHref is the evidence by practice area; "" when the user may
	// not see it.
	EvidenceHref string
	// ContactsHref and ChecksHref are the contacts with children, parents
	// and carers, and the two checks; "" when the user may not see them.
	ContactsHref string
	ChecksHref   string
	// FeedbackHref is the children's answers on the anonymous feedback
	// form, summarised; "" when the user may not see them.
	FeedbackHref string
}

// ConversationRow is a conversation with a stakeholder.
type ConversationRow struct {
	Kind, Who, HeldOn, HeldBy, Note string
}

// SetUpFormView records or changes the set-up call.
type SetUpFormView struct {
	layout.Page
	Header   VisitHeader
	BackHref string
	Action   string
	HeldOn   DateValue
	// Values holds the text and choice fields by form field id.
	Values  map[string]string
	Version int
	Errors  form.Errors
	// The choices of the radios.
	PrioritiesProtocol, RecordAccess, EvidenceMix []components.Option
}

// Value is a field's value.
func (v SetUpFormView) Value(id string) string { return v.Values[id] }

// ConversationFormView records a conversation with a stakeholder.
type ConversationFormView struct {
	layout.Page
	Header     VisitHeader
	BackHref   string
	Action     string
	Kinds      []components.Option
	Who        string
	HeldOn     DateValue
	Inspectors []components.Option
	Note       string
	Errors     form.Errors
}

// FieldworkView is the fieldwork plan: for the visit's team, every case
// with its discussion and the user's own schedule; for Cafcass, the
// discussions to arrange.
type FieldworkView struct {
	layout.Page
	Header    VisitHeader
	IsCafcass bool
	Released  bool
	// Mine is the signed-in inspector's schedule.
	Mine []DiscussionRow
	// Rows is the whole plan (Ofsted's team).
	Rows []DiscussionRow
	// Arrangements are the discussions Cafcass must arrange.
	Arrangements []DiscussionRow
}

// DiscussionRow is a case on the fieldwork plan. Reason and Note are
// Ofsted's alone; the Cafcass view never fills them.
type DiscussionRow struct {
	CaseID, ChildID string
	Inspector       string
	Times           string // "" when not planned yet
	Mode            string
	Practitioner    string
	Manager         string
	Reason          string
	Note            string
	PlanHref        string
}

// DiscussionFormView plans a case's discussion.
type DiscussionFormView struct {
	layout.Page
	Header       VisitHeader
	BackHref     string
	Action       string
	CaseID       string
	ChildID      string
	Reason       string
	Inspectors   []components.Option
	Day          DateValue
	Start        string
	Minutes      []components.Option
	Modes        []components.Option
	Practitioner string
	Manager      string
	Note         string
	// Clashes are the same inspector's other discussions at the same time;
	// the lead may go ahead once they have seen them.
	Clashes []string
	// ClashKey names the times and inspector the clashes were shown for:
	// posted back, it says the lead saw them and goes ahead.
	ClashKey string
	Errors   form.Errors
}

func intString(n int) string { return strconv.Itoa(n) }

func orNotKnown(s string) string {
	if s == "" {
		return "not known yet"
	}
	return s
}

// EvidenceView is the evidence of a visit by practice area and focus
// point, as the user may read it.
type EvidenceView struct {
	layout.Page
	Header  VisitHeader
	AddHref string
	// All: the user sees every note (the lead, SAOs); else their own and
	// every line of enquiry.
	All   bool
	Areas []EvidenceArea
}

// EvidenceArea is a practice area's evidence.
type EvidenceArea struct {
	Label string
	Focus []EvidenceFocus
}

// EvidenceFocus is a focus point's evidence.
type EvidenceFocus struct {
	Label string
	Notes []EvidenceRow
}

// EvidenceRow is one note.
type EvidenceRow struct {
	About, Kind, Author, At, Body string
	Enquiry                       bool
}

// EvidenceFormView records an evidence note.
type EvidenceFormView struct {
	layout.Page
	Header   VisitHeader
	BackHref string
	Action   string
	Cases    []components.Option
	Focus    []components.Option
	Kinds    []components.Option
	Body     string
	Errors   form.Errors
}

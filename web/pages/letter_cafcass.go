package pages

import (
	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/letter"
	"github.com/ofsted/focusedvisits/web/components"
	"github.com/ofsted/focusedvisits/web/layout"
)

// FindingView is one finding as the letter prints it.
type FindingView struct {
	Kind, Area, Text string
}

// CommentView is a Cafcass comment on the draft, with Ofsted's response.
type CommentView struct {
	ID          string // the comment's public id
	About       string
	Body        string
	By          string
	Late        bool
	Response    string
	RespondedBy string
	// ChangeHref and RemoveAction are set while the comment is a draft.
	ChangeHref   string
	RemoveAction string
	// RespondAction is set for Ofsted users who may respond.
	RespondAction string
	ResponseField string
	TypedResponse string
	ResponseError string
}

// LetterSectionView is a section of a sent letter.
type LetterSectionView struct {
	Code        string
	Heading     string
	Paragraphs  []string
	Findings    []FindingView
	CommentHref string // "Add a comment", while comments are open
	Comments    []CommentView
}

// LetterCafcassView is the letter's page for Cafcass (and Ofsted): where the
// letter stands, its dates, what Cafcass can do, the action plans.
type LetterCafcassView struct {
	layout.Page
	Header        VisitHeader
	IsCafcass     bool
	Status        string
	StatusColour  string
	NoLetter      bool
	Dates         []components.SummaryRow
	DraftHref     string
	FinalHref     string
	CheckHref     string
	CommentsHref  string // Ofsted: respond to comments
	ComplaintHref string
	Complaints    []ComplaintView
	PriorityPlans bool
	// PriorityDraft: the draft sent for comments has an area for priority
	// action, and no final letter is sent yet.
	PriorityDraft bool
	ActionPlans   []components.TaskListItem
	PublicHref    string
}

// LetterDraftView is the sent draft, read-only, with the comments.
type LetterDraftView struct {
	layout.Page
	Header      VisitHeader
	Version     int
	CommentsDue string
	Sections    []LetterSectionView
	CanComment  bool
	Drafts      int
	CheckHref   string
	Submitted   string
}

// LetterFinalView is the final letter under embargo.
type LetterFinalView struct {
	layout.Page
	Header        VisitHeader
	Version       int
	Embargo       string // "Embargoed until …"; "" once published
	Sections      []LetterSectionView
	ComplaintHref string
	PublicHref    string
}

// CommentFormView adds or changes a comment on a section.
type CommentFormView struct {
	layout.Page
	Caption  string
	BackHref string
	Action   string
	Heading  string
	Sections []components.Option
	Abouts   []components.Option
	Body     string
	Errors   form.Errors
}

// CommentCheckRow is one comment on the check page.
type CommentCheckRow struct {
	Section    string
	About      string
	Body       string
	ChangeHref string
}

// CommentCheckView is the check-your-answers page before submitting.
type CommentCheckView struct {
	layout.Page
	Caption  string
	BackHref string
	Action   string
	Rows     []CommentCheckRow
	Due      string
	Late     bool
	Errors   form.Errors
}

// LetterCommentsView is Ofsted's list of Cafcass's comments, to respond to.
type LetterCommentsView struct {
	layout.Page
	Header     VisitHeader
	Submission string
	Sections   []LetterSectionView
	// Errors lists the response fields with errors, for the error summary.
	Errors form.Errors
}

// ComplaintView is a complaint about the final letter.
type ComplaintView struct {
	ID          string // the complaint's public id
	Received    string
	By          string
	Body        string
	InTime      bool
	Resolution  string
	ResolvedBy  string
	NewDate     string
	ResolveHref string
}

// ComplaintFormView is Cafcass's complaint form.
type ComplaintFormView struct {
	layout.Page
	Caption  string
	BackHref string
	Action   string
	Due      string
	// Closed says why no complaint can be made now (the window closed, or
	// one was made), or is empty while one can.
	Closed     string
	Body       string
	Complaints []ComplaintView
	Errors     form.Errors
}

// ComplaintResolveView records a complaint's resolution.
type ComplaintResolveView struct {
	layout.Page
	Caption    string
	BackHref   string
	Action     string
	Complaint  ComplaintView
	Resolution string
	Date       components.DateInputParams
	Errors     form.Errors
}

// PublicationItem is a published letter in the public list.
type PublicationItem struct {
	Title       string
	Href        string
	SummaryHref string
	PublishedOn string
}

// PublicationListView is the public list of published letters, filtered
// by the year they were published in.
type PublicationListView struct {
	layout.Page
	Items []PublicationItem
	// Years offers the years with letters ("" for all of them); Showing
	// says what the list shows.
	Years   components.SelectParams
	Showing string
}

// PublicationShowView is a published letter, with its summary for
// children and young people. Its words are letter.Blocks, which the PDF
// prints too.
type PublicationShowView struct {
	layout.Page
	Title          string
	Facts          []letter.Block
	Blocks         []letter.Block
	SummaryHeading string
	Summary        []letter.Block
	PDFHref        string
	PDFSize        string
}

// LetterSummaryFormView is where the lead inspector writes the summary for
// children and young people.
type LetterSummaryFormView struct {
	layout.Page
	Caption  string
	BackHref string
	Action   string
	Field    components.CharacterCountParams
	Errors   form.Errors
}

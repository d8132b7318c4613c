package pages

import (
	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/web/components"
	"github.com/ofsted/focusedvisits/web/layout"
)

// ChildIssueRow is one error or query of a child-level list, as shown.
type ChildIssueRow struct {
	Row     string // "5", or "Whole file"
	Column  string // "G (DOB)"
	Message string
}

// ChildListResult is the outcome of a list's check.
type ChildListResult struct {
	Accepted   bool
	FileName   string
	Covers     string // "6 Oct 2025 to 17 Oct 2025"
	CheckedBy  string // "Chris Chief, Mon 13 Oct 2025 10:04"
	Rows       int
	ErrorCount int
	QueryCount int
	Errors     []ChildIssueRow
	Queries    []ChildIssueRow
	// Shown* say how many of each kind are listed, when fewer than all.
	FileHref string
}

// ChildListUploadView is the page to upload a child-level list and see how
// the last one was checked.
type ChildListUploadView struct {
	layout.Page
	Caption   string
	BackHref  string
	Action    string
	ItemTitle string
	CanUpload bool
	// Frozen, when set, says why the signed-in user, who could otherwise,
	// may not upload a list now (the item was submitted).
	Frozen    string
	MaxSize   string
	From, To  DeferralDateInput
	Errors    form.Errors
	Result    *ChildListResult
	CaseTypes []string
	// Columns are the list's columns, in the templates' order.
	Columns []ChildListColumn
	// TemplateCSV and TemplateXLSX download an empty list.
	TemplateCSV, TemplateXLSX string
}

// ChildListColumn is one column a child-level list may have.
type ChildListColumn struct {
	Label    string
	Required string // "Required" or "Optional"
	Example  string
	Note     string // when it applies, if not always
}

// ChildCount is a value and how many rows have it.
type ChildCount struct {
	Label string
	N     int
}

// ChildRowView is one row of the analysts' table.
type ChildRowView struct {
	CaseID, ChildID, CaseName, DOB, Law, CaseType, Practitioner, Team, Area, Start, End, Seen string
	Sampled                                                                                   bool
	AddHref                                                                                   string
}

// ChildSortLink is a sortable column heading.
type ChildSortLink struct {
	Label string
	Href  string
	// Sort is "ascending", "descending" or "none" (aria-sort).
	Sort string
}

// SampleRow is a case in the sample, as Ofsted sees it.
type SampleRow struct {
	// RemoveAction is where the form taking the case out of the sample posts.
	RemoveAction string
	CaseID       string
	ChildID      string
	CaseName     string
	Inspector    string
	Reason       string
	Selected     string
	InList       bool
}

// ChildDataView is the analysts' and inspectors' page.
type ChildDataView struct {
	layout.Page
	Header VisitHeader
	Lists  []string
	Rows   int
	// Covers are the dates the rows' cases closed and started, a row each.
	Covers        []components.SummaryRow
	ByLaw         []ChildCount
	ByCaseType    []ChildCount
	ByServiceArea []ChildCount
	ByTeam        []ChildCount
	// The filter form.
	Law, CaseType, Area, Team []components.Option
	Search                    string
	Sort                      string
	Desc                      bool
	Columns                   []ChildSortLink
	Table                     []ChildRowView
	Total                     int
	Showing                   string // "Showing 51 to 100 of 230 rows"
	Pagination                components.PaginationParams
	// The sample.
	Sample       []SampleRow
	CanSample    bool
	Released     string // when released, or ""
	ReleaseHref  string
	CafcassHref  string
	SampleErrors form.Errors
}

// ChildSampleNewView is the form to add a case to the sample.
type ChildSampleNewView struct {
	layout.Page
	Caption    string
	BackHref   string
	Action     string
	CaseID     string
	ChildID    string
	Summary    []components.SummaryRow
	Reason     string
	Inspectors []components.Option
	Errors     form.Errors
}

// CaseSampleRow is a case in the released sample, as Cafcass sees it: no
// reason.
type CaseSampleRow struct {
	CaseID, ChildID, CaseName, Inspector string
}

// CaseSampleView is the released sample for Cafcass, and for Ofsted's
// need-to-know team what Cafcass sees (or will see once it is released).
type CaseSampleView struct {
	layout.Page
	Header   VisitHeader
	Released string
	Rows     []CaseSampleRow
	// ForOfsted: the reader is Ofsted's, and reads Ofsted's words.
	ForOfsted bool
	// ChildDataHref is Ofsted's page of the sample and the rows.
	ChildDataHref string
}

// SampleNotice tells Cafcass, on its visit and request pages, that Ofsted
// released the case sample, and links to it; empty until then.
type SampleNotice struct {
	Href     string
	Released string // the day
}

// ChildSampleReleaseView asks to confirm releasing the case sample to
// Cafcass, listing what Cafcass will see; once released, it says when.
type ChildSampleReleaseView struct {
	layout.Page
	Caption  string
	BackHref string
	Action   string
	Rows     []CaseSampleRow
	Released string
}

// ChildDataViewRow is one view of children's data in the record: who, when,
// which visit, which kind of record; never the data.
type ChildDataViewRow struct {
	When, Who, Role  string
	Visit, VisitHref string
	Record           string
}

// ChildDataViewsView is the record of who viewed children's data, for
// administrators: every visit's, or one visit's (OneVisit), newest first.
type ChildDataViewsView struct {
	layout.Page
	Caption    string // the visit's reference, for one visit
	BackHref   string // the visit, for one visit
	AllHref    string // every visit's record
	OneVisit   bool
	Rows       []ChildDataViewRow
	Total      int
	Showing    string
	Pagination components.PaginationParams
}

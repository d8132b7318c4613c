package pages

import (
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/web/components"
	"github.com/ofsted/focusedvisits/web/layout"
)

// HomeView is a signed-in user's start page: their tasks first, then their
// visits (an administrator's: every visit, searched and paged).
type HomeView struct {
	layout.Page
	Name      string
	Role      user.Role
	CanCreate bool
	Tasks     []TaskRow
	// TaskCounts says how many tasks are overdue and due today ("" when
	// none is either).
	TaskCounts string
	Visits     []VisitSummary
	// Past are a page of the person's past visits (published or
	// cancelled), latest first, with links to the pages either side; nil
	// for administrators, whose search lists every visit.
	Past                   []VisitSummary
	PastPrevious, PastNext *components.PaginationLink
	// Search is the administrator's search of every visit; nil for others.
	Search *VisitSearchView
	// Locked are the accounts locked after wrong passwords (administrators).
	Locked []LockedAccountRow
}

// TaskRow is one of the person's tasks.
type TaskRow struct {
	What, Href string
	// Visit is the visit's reference and VisitHref its page ("" for a task
	// of the service itself).
	Visit, VisitHref string
	// Deadline is the date (or days) it is due; "" when it has none.
	Deadline     string
	Status       string
	StatusColour string
	// Kind and Milestone (the plan milestone whose date is the deadline,
	// if any) mark the row for tests.
	Kind, Milestone string
}

// VisitSummary is a visit on the start page.
type VisitSummary struct {
	Href        string
	Reference   string
	Notice      string
	Fieldwork   string
	Stage       string
	StageColour string
	Role        string
	// Lead is the lead inspector's name (administrators' list).
	Lead string
	// Request is the information request's progress, for Cafcass users.
	Request string
}

// VisitSearchView is the administrator's search of every visit: the
// filters as chosen, what was found, and the pages.
type VisitSearchView struct {
	Reference string
	Stages    []components.Option
	Leads     []components.Option
	Year      string
	// YearError says why the year typed was not used.
	YearError string
	// Showing says which of how many visits are listed.
	Showing        string
	Previous, Next *components.PaginationLink
}

// LockedAccountRow is an account refused sign-in until Until.
type LockedAccountRow struct {
	Name, Email, Until string
}

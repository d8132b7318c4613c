package pages

import (
	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/web/layout"
)

// ClosureRow is one closure day in the list.
type ClosureRow struct {
	Date    string // "Fri 9 May 2025"
	ISO     string // "2025-05-09", for links
	Reason  string
	AddedBy string
	AddedOn string
	Past    bool
}

// ClosureChangeRow is one line of the closure days' history.
type ClosureChangeRow struct {
	At          string
	Date        string
	Change      string // "Added" or "Removed"
	Reason      string
	Why         string
	By          string
	VisitsMoved int
}

// ClosureListView lists the closure days and their history
// (administrators only).
type ClosureListView struct {
	layout.Page
	Closures []ClosureRow
	Changes  []ClosureChangeRow
}

// ClosureNewView is the form to add a closure day.
type ClosureNewView struct {
	layout.Page
	Day, Month, Year string
	Reason           string
	Errors           form.Errors
}

// ClosureRemoveView asks an administrator to confirm removing a closure day,
// and why.
type ClosureRemoveView struct {
	layout.Page
	Date        string
	ISO         string
	Reason      string
	AddedBy     string
	VisitsMoved int
	Why         string
	Errors      form.Errors
}

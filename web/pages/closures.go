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
	// Moves are the visits whose dates move, and how.
	Moves  []ClosureMove
	Why    string
	Errors form.Errors
}

// ClosureMove is an open visit whose dates a change of the closure days
// moves.
type ClosureMove struct {
	Visit string // its reference
	Href  string
	Dates []ClosureMoveDate
}

// ClosureMoveDate is one date that moves: the milestone, before and after.
type ClosureMoveDate struct {
	Label, Old, New string
}

// ClosureCheckView shows a closure day about to be added and what it moves,
// to confirm; the form's values go with it.
type ClosureCheckView struct {
	layout.Page
	Date, Reason     string
	Day, Month, Year string
	Moves            []ClosureMove
}

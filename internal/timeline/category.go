package timeline

// Category is the sort of thing a milestone is, as the month calendar
// marks it: a handful that a legend can explain, whatever the template.
type Category string

// The categories, in the order a legend lists them.
const (
	// CategoryCall is a call with Cafcass: the notice call, the set-up call.
	CategoryCall Category = "call"
	// CategoryDue is something Cafcass must send by the end of the day.
	CategoryDue Category = "due"
	// CategoryTeam is the inspection team's own work away from Cafcass: its
	// meeting, its off-site evaluation.
	CategoryTeam Category = "team"
	// CategoryFieldwork is a day of fieldwork.
	CategoryFieldwork Category = "fieldwork"
	// CategoryLetter is the letter of findings sent or published.
	CategoryLetter Category = "letter"
	// CategoryWindow is a window Cafcass may use (comments, a complaint).
	CategoryWindow Category = "window"
	// CategoryOther is any other step.
	CategoryOther Category = "other"
)

// Categories are the milestone categories in legend order.
var Categories = []Category{CategoryCall, CategoryDue, CategoryTeam, CategoryFieldwork, CategoryLetter, CategoryWindow, CategoryOther}

// Category is the milestone's category: by its code for the focused
// visit's steps, else by who acts and how (so that a later template's
// steps are marked too).
func (m Milestone) Category() Category {
	switch m.Code {
	case CodeNotice, CodeSetUpCall:
		return CategoryCall
	case CodeTeamMeeting, CodeOffSiteEvaluation:
		return CategoryTeam
	case CodeFieldwork:
		return CategoryFieldwork
	case CodeDraftLetter, CodeFinalLetter, CodePublication:
		return CategoryLetter
	}
	switch {
	case m.Actor == ActorCafcass && m.Kind == KindDeadline:
		return CategoryDue
	case m.Actor == ActorCafcass && m.Kind == KindWindow:
		return CategoryWindow
	case m.Actor == ActorTeam:
		return CategoryTeam
	}
	return CategoryOther
}

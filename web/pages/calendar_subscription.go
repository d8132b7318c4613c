package pages

import "github.com/ofsted/focusedvisits/web/layout"

// CalendarSubscriptionView is the page of the user's private calendar link.
// Only the link's hash is kept, so the link itself is shown once, right
// after it is made.
type CalendarSubscriptionView struct {
	layout.Page
	// Link is the new private link; empty except right after it was made.
	Link string
	// HasLink is set when the user has a link (shown or not).
	HasLink bool
	// CreatedOn is when the current link was made ("Mon 12 May 2025").
	CreatedOn string
}

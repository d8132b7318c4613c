package visit

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/ofsted/focusedvisits/internal/form"
)

// Cancellation is why a visit is cancelled (DOMAIN decision 18): a reason
// that Cafcass is shown, and separately an internal note that only Ofsted
// sees. Both are kept in the visit's history.
type Cancellation struct {
	// Reason is shown to Cafcass: on the visit's page and in calendars.
	Reason string
	// Note is internal to Ofsted: never shown to Cafcass, on any page or in
	// any calendar. It may be empty.
	Note string
}

// CancelTextMax bounds the reason and the note, in characters.
const CancelTextMax = 2000

// Check reports what is wrong with cancelling the visit d so, keyed by the
// form's fields ("reason", "note") in their order.
func (c Cancellation) Check(d Details) form.Errors {
	var errs form.Errors
	switch {
	case strings.TrimSpace(c.Reason) == "":
		errs.Add("reason", "Enter the reason for cancelling that Cafcass will see")
	case utf8.RuneCountInString(c.Reason) > CancelTextMax:
		errs.Add("reason", fmt.Sprintf("The reason must be %d characters or fewer", CancelTextMax))
	case d.Status == Cancelled:
		errs.Add("reason", "The visit is already cancelled")
	}
	if utf8.RuneCountInString(c.Note) > CancelTextMax {
		errs.Add("note", fmt.Sprintf("The internal note must be %d characters or fewer", CancelTextMax))
	}
	return errs
}

package visit

import (
	"errors"
	"time"

	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// ErrCannotUndoNotice is why a notice call cannot be undone.
var ErrCannotUndoNotice = errors.New("visit: the notice call cannot be undone")

// CheckUndoNotice says whether u may undo the record of the notice call as
// made in error (DOMAIN decisions 10 and 19): only an administrator, only
// on the working day it was recorded (the day of the record or of the
// call), and only for an active visit. After that Cafcass has acted on it.
func CheckUndoNotice(a Actor, d Details, now time.Time, loc *time.Location) error {
	notice, ok := d.Actual(timeline.CodeNotice)
	today := workday.DateOf(now.In(loc))
	switch {
	case !a.Admin, d.Status != Active, !ok:
		return ErrCannotUndoNotice
	case notice.Date != today && workday.DateOf(d.NoticeGivenAt.In(loc)) != today:
		return ErrCannotUndoNotice
	}
	return nil
}

// MaxUndoReason bounds the reason for undoing a notice call.
const MaxUndoReason = 2000

// CheckUndoReason checks the reason given for undoing the notice call,
// keyed by the form's field.
func CheckUndoReason(reason string) form.Errors {
	var errs form.Errors
	switch {
	case reason == "":
		errs.Add("reason", "Enter why the notice call was recorded in error")
	case len([]rune(reason)) > MaxUndoReason:
		errs.Add("reason", "The reason must be 2000 characters or fewer")
	}
	return errs
}

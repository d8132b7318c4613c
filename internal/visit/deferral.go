package visit

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// The forms of a deferral (DOMAIN decision 11): Ofsted records a request
// Cafcass made, or Cafcass asks itself; the lead grants it, with the date
// the visit is then planned from, or refuses it with a reason.

// The limits of what is typed on the deferral forms, in characters.
const (
	DeferralNameMax   = 200
	DeferralReasonMax = 2000
)

// DeferralRequest is a request for a deferral, checked.
type DeferralRequest struct {
	RequestedBy string
	RequestedOn workday.Date
	Reason      string
}

// DeferralRequestForm is the form on which Ofsted records a deferral that
// Cafcass asked for, as typed: requested-by, requested-on (a date input)
// and reason, in that order.
type DeferralRequestForm struct {
	RequestedBy string
	RequestedOn form.Date
	Reason      string
}

// Valid checks the request: who asked, on a day that is today or earlier,
// and why.
func (f DeferralRequestForm) Valid(today workday.Date) (DeferralRequest, form.Errors) {
	var errs form.Errors
	text(&errs, "requested-by", f.RequestedBy, "Enter who asked for the deferral", "Who asked", DeferralNameMax)
	on, msg := f.RequestedOn.Parse("The date they asked")
	if msg == "" && on.After(today) {
		msg = "The date they asked must be today or in the past"
	}
	if msg != "" {
		errs.AddDate("requested-on", msg)
	}
	text(&errs, "reason", f.Reason, "Enter why they want the visit deferred", "Why", DeferralReasonMax)
	return DeferralRequest{RequestedBy: f.RequestedBy, RequestedOn: on, Reason: f.Reason}, errs
}

// ValidDeferralAsk checks why Cafcass asks for a deferral, typed in the
// field reason.
func ValidDeferralAsk(reason string) form.Errors {
	var errs form.Errors
	text(&errs, "reason", reason, "Enter why you want the visit deferred", "Why", DeferralReasonMax)
	return errs
}

// text checks a text that must be given (enter is the message when it is
// not) in at most max characters (what names it in that message).
func text(errs *form.Errors, field, value, enter, what string, max int) {
	switch {
	case strings.TrimSpace(value) == "":
		errs.Add(field, enter)
	case utf8.RuneCountInString(value) > max:
		errs.Add(field, fmt.Sprintf("%s must be %d characters or fewer", what, max))
	}
}

// The decisions on a deferral request, as the form sends them.
const (
	GrantDeferral  = "grant"
	RefuseDeferral = "refuse"
)

// DeferralDecision is a decision on a deferral request, checked: a grant
// plans the visit from a new anchor (the notice day or the first fieldwork
// day); a refusal says why.
type DeferralDecision struct {
	Grant      bool
	AnchorCode string
	AnchorDate workday.Date
	Reason     string
}

// DeferralDecisionForm is the decision as typed: decision, anchor, new-date
// (a date input) and decision-reason, in the form's order.
type DeferralDecisionForm struct {
	Decision string // GrantDeferral or RefuseDeferral
	Anchor   string // timeline.CodeNotice or timeline.CodeFieldwork
	NewDate  form.Date
	Reason   string
}

// Valid checks the decision: a grant says what the new dates are planned
// from and from when, a refusal why; the reason is optional for a grant.
func (f DeferralDecisionForm) Valid() (DeferralDecision, form.Errors) {
	var errs form.Errors
	dd := DeferralDecision{Grant: f.Decision == GrantDeferral, AnchorCode: f.Anchor, Reason: f.Reason}
	switch f.Decision {
	case GrantDeferral:
		if f.Anchor != timeline.CodeNotice && f.Anchor != timeline.CodeFieldwork {
			errs.Add("anchor", "Select how you want to plan the new dates")
		}
		var msg string
		if dd.AnchorDate, msg = f.NewDate.Parse("The new date"); msg != "" {
			errs.AddDate("new-date", msg)
		}
	case RefuseDeferral:
		if f.Reason == "" {
			errs.Add("decision-reason", "Enter why you are refusing the deferral")
		}
	default:
		errs.Add("decision", "Select whether you grant the deferral")
	}
	if utf8.RuneCountInString(f.Reason) > DeferralReasonMax {
		errs.Add("decision-reason", fmt.Sprintf("Reason for your decision must be %d characters or fewer", DeferralReasonMax))
	}
	return dd, errs
}

// DeferralGrantForm is what granting asks for once the new dates are shown
// beside the old: after notice, the record that the chief executive was
// told (DOMAIN decision 14), then why dates that break scheduling rules go
// ahead (accept-reason), in the check page's order.
type DeferralGrantForm struct {
	Told         CEOToldForm
	AcceptReason string
}

// Valid checks the grant of a deferral on visit d whose new plan has
// warnings scheduling warnings. It returns the record that the chief
// executive was told (zero before notice).
func (f DeferralGrantForm) Valid(d Details, warnings int, today workday.Date) (CEOTold, form.Errors) {
	var errs form.Errors
	var told CEOTold
	if d.NoticeGiven() {
		told, errs = f.Told.Valid(today)
	}
	if warnings > 0 {
		text(&errs, "accept-reason", f.AcceptReason, "Enter why you are going ahead with dates that break scheduling rules, or change the dates", "Your reason", DeferralReasonMax)
	}
	return told, errs
}

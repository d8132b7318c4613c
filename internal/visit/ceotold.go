package visit

import (
	"fmt"
	"unicode/utf8"

	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// CEOTold records that the chief executive was told in writing of a change
// to the visit's dates after notice (DOMAIN decision 14): until the service
// sends that email itself (no mail server set), the lead records when, how
// and what was told. Once it does, the email is the record.
type CEOTold struct {
	Method string // one of CEOToldMethods
	On     workday.Date
	Note   string // what they were told (optional)
}

// CEOToldMethods are the ways of telling in writing, in the order offered.
var CEOToldMethods = []struct{ Value, Label string }{
	{"email", "Email"},
	{"letter", "Letter"},
}

// IsZero reports whether nothing was recorded.
func (t CEOTold) IsZero() bool { return t.Method == "" && t.On.IsZero() }

// Split is what the store keeps of what a form gave (CEOToldForm.Valid):
// the record that the chief executive was told, when the lead made one (no
// mail server), or else the lead's covering note to the service's email.
func (t CEOTold) Split() (told CEOTold, note string) {
	if t.IsZero() {
		return CEOTold{}, t.Note
	}
	return t, ""
}

// NeedsCEOTold says whether changing the visit's dates now must record that
// the chief executive was told: once notice was given, while the service
// sends no email itself (mailOn false: no mail server is set).
func NeedsCEOTold(d Details, mailOn bool) bool { return d.NoticeGiven() && !mailOn }

// OffersCEONote says whether changing the visit's dates now offers the
// lead a covering note: once notice was given and the service emails the
// chief executive the old and new dates itself, that email being the
// written record (DOMAIN decision 14).
func OffersCEONote(d Details, mailOn bool) bool { return d.NoticeGiven() && mailOn }

// MaxCEONote bounds the lead's covering note to the chief executive.
const MaxCEONote = 2000

// CheckCEONote checks the covering note, keyed by the form's field.
func CheckCEONote(note string) form.Errors {
	var errs form.Errors
	if len([]rune(note)) > MaxCEONote {
		errs.Add("ceo-note", "Your note must be 2000 characters or fewer")
	}
	return errs
}

// MaxCEOToldNote bounds what the lead writes of what was told.
const MaxCEOToldNote = 2000

// CEOToldForm is the record that the chief executive was told, as typed:
// its fields are ceo-told-method, ceo-told (a date input) and ceo-told-note,
// in the form's order.
type CEOToldForm struct {
	// Email is set once the service emails the chief executive itself:
	// then the form is only the lead's covering note (ceo-note).
	Email  bool
	Method string
	On     form.Date
	Note   string
}

// Valid checks the record: a way of telling in writing, a day that is today
// or earlier (DOMAIN decision 10), and a note of at most MaxCEOToldNote
// characters. The errors are keyed by the form's fields, in its order.
func (f CEOToldForm) Valid(today workday.Date) (CEOTold, form.Errors) {
	if f.Email {
		return CEOTold{Note: f.Note}, CheckCEONote(f.Note)
	}
	var errs form.Errors
	t := CEOTold{Method: f.Method, Note: f.Note}
	known := false
	for _, m := range CEOToldMethods {
		known = known || m.Value == t.Method
	}
	if !known {
		errs.Add("ceo-told-method", "Choose how you told the chief executive in writing")
	}
	var msg string
	switch t.On, msg = f.On.Parse("The date you told the chief executive"); {
	case msg != "":
		errs.AddDate("ceo-told", msg)
	case t.On.After(today):
		errs.AddDate("ceo-told", "The date you told the chief executive must be today or in the past")
	}
	if utf8.RuneCountInString(t.Note) > MaxCEOToldNote {
		errs.Add("ceo-told-note", fmt.Sprintf("What you told them must be %d characters or fewer", MaxCEOToldNote))
	}
	return t, errs
}

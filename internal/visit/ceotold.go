package visit

import (
	"fmt"
	"unicode/utf8"

	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// CEOTold records that the chief executive was told in writing of a change
// to the visit's dates after notice (DOMAIN decision 14): until the service
// sends that email itself, the lead records when, how and what was told.
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

// NeedsCEOTold says whether changing the visit's dates now must record that
// the chief executive was told: once notice was given.
func NeedsCEOTold(d Details) bool { return d.NoticeGiven() }

// MaxCEOToldNote bounds what the lead writes of what was told.
const MaxCEOToldNote = 2000

// CEOToldForm is the record that the chief executive was told, as typed:
// its fields are ceo-told-method, ceo-told (a date input) and ceo-told-note,
// in the form's order.
type CEOToldForm struct {
	Method string
	On     form.Date
	Note   string
}

// Valid checks the record: a way of telling in writing, a day that is today
// or earlier (DOMAIN decision 10), and a note of at most MaxCEOToldNote
// characters. The errors are keyed by the form's fields, in its order.
func (f CEOToldForm) Valid(today workday.Date) (CEOTold, form.Errors) {
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

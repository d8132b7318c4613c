package pages

import (
	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/web/components"
	"github.com/ofsted/focusedvisits/web/layout"
)

// CEOToldInput is the record, asked when a visit's dates change after
// notice, that the chief executive was told in writing (DOMAIN decision 14).
// With Email set the service emails the chief executive itself, and only
// the lead's covering note (Note, the field "ceo-note") is asked.
type CEOToldInput struct {
	Method string
	On     DateValue
	Note   string
	Email  bool
}

func ceoToldMethods(chosen string) []components.Option {
	var out []components.Option
	for _, m := range visit.CEOToldMethods {
		out = append(out, components.Option{Value: m.Value, Text: m.Label, Checked: m.Value == chosen})
	}
	return out
}

func ceoToldErr(errs form.Errors, field string) string { return errs.For(field) }

// CEOToldView records, after a closure day moved the dates after notice,
// that the chief executive was told in writing.
type CEOToldView struct {
	layout.Page
	Header   VisitHeader
	BackHref string
	Action   string
	CEOTold  CEOToldInput
	// Emailed says when the service emailed the chief executive the new
	// dates (with CEOTold.Email).
	Emailed string
	Errors  form.Errors
}

package pages

import (
	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/web/components"
	"github.com/ofsted/focusedvisits/web/layout"
)

// CEOToldInput is the record, asked when a visit's dates change after
// notice, that the chief executive was told in writing (DOMAIN decision 14).
type CEOToldInput struct {
	Method string
	On     DateValue
	Note   string
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
	Errors   form.Errors
}

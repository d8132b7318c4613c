// Package components holds GOV.UK Design System components as typed templ
// components. Each parameter struct mirrors the options of the Nunjucks macro
// of the same name, so the Design System's documentation maps onto them.
// Components are pure: they read nothing from the context but the CSP nonce.
package components

import (
	"strconv"
	"strings"
)

// InputParams mirrors govukInput.
type InputParams struct {
	ID           string
	Name         string // defaults to ID
	Label        string
	LabelIsPage  bool // the label is the page's h1
	Hint         string
	ErrorMessage string
	Value        string
	Type         string // defaults to "text"
	Autocomplete string
	InputMode    string
	Spellcheck   *bool
	Classes      string // e.g. "govuk-input--width-10"
}

// PasswordInputParams mirrors govukPasswordInput.
type PasswordInputParams struct {
	ID           string
	Name         string
	Label        string
	Hint         string
	ErrorMessage string
	Autocomplete string // "current-password" or "new-password"
}

// TextareaParams mirrors govukTextarea.
type TextareaParams struct {
	ID           string
	Name         string
	Label        string
	Hint         string
	ErrorMessage string
	Value        string
	Rows         int
}

// CharacterCountParams mirrors govukCharacterCount: a textarea with a
// count of the characters left, MaxLength at most.
type CharacterCountParams struct {
	TextareaParams
	MaxLength int
}

func characterCountInfo(p CharacterCountParams) string {
	return "You can enter up to " + strconv.Itoa(p.MaxLength) + " characters"
}

// ButtonParams mirrors govukButton.
type ButtonParams struct {
	Text               string
	Secondary          bool
	Warning            bool
	Href               string // a link styled as a button
	Name               string
	Value              string
	PreventDoubleClick bool
}

// Option is one choice of radios, checkboxes or a select.
type Option struct {
	Value   string
	Text    string
	Hint    string
	Checked bool
}

// RadiosParams mirrors govukRadios.
type RadiosParams struct {
	Name         string
	Legend       string
	LegendIsPage bool
	Hint         string
	ErrorMessage string
	Items        []Option
	Inline       bool
}

// SelectParams mirrors govukSelect.
type SelectParams struct {
	ID           string
	Name         string
	Label        string
	Hint         string
	ErrorMessage string
	Items        []Option
}

// DateInputParams mirrors govukDateInput. ID is the id of the day field's
// prefix: the fields are ID-day, ID-month and ID-year.
type DateInputParams struct {
	ID           string
	Name         string
	Legend       string
	LegendIsPage bool
	Hint         string
	ErrorMessage string
	Day          string
	Month        string
	Year         string
}

// SummaryRow is one row of a summary list.
type SummaryRow struct {
	Key        string
	Value      string
	ActionHref string
	ActionText string
}

// TagParams mirrors govukTag. Colour is one of grey, green, turquoise, blue,
// light-blue, purple, pink, red, orange, yellow, or "" for the default.
type TagParams struct {
	Text   string
	Colour string
}

func nameOr(name, id string) string {
	if name != "" {
		return name
	}
	return id
}

func classes(cs ...string) string {
	var b strings.Builder
	for _, c := range cs {
		if c == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(c)
	}
	return b.String()
}

func describedBy(id, hint, err string) string {
	var parts []string
	if hint != "" {
		parts = append(parts, id+"-hint")
	}
	if err != "" {
		parts = append(parts, id+"-error")
	}
	return strings.Join(parts, " ")
}

func formGroupClass(err string) string {
	if err != "" {
		return "govuk-form-group govuk-form-group--error"
	}
	return "govuk-form-group"
}

// CheckboxesParams mirrors govukCheckboxes.
type CheckboxesParams struct {
	Name         string
	Legend       string
	Hint         string
	ErrorMessage string
	Items        []Option
	Small        bool
}

// DetailsParams mirrors govukDetails.
type DetailsParams struct {
	Summary string
}

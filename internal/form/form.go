// Package form holds what every HTML form shares: the ordered list of field
// errors that the GOV.UK error summary shows.
package form

// FieldError is one validation failure. Field is the id of the input the
// error summary links to; Message is shown beside it and in the summary.
type FieldError struct {
	Field   string
	Message string
	// Anchor is the id the summary links to when it is not Field: the
	// day field of a GOV.UK date input, so that focus lands on an input.
	Anchor string
}

// Href is where the error summary's link goes.
func (fe FieldError) Href() string {
	if fe.Anchor != "" {
		return "#" + fe.Anchor
	}
	return "#" + fe.Field
}

// AddDate appends an error for the GOV.UK date input id; the summary links
// to its day field.
func (e *Errors) AddDate(id, message string) {
	*e = append(*e, FieldError{Field: id, Message: message, Anchor: id + "-day"})
}

// Errors is a form's validation failures in the order the fields appear.
type Errors []FieldError

// Add appends an error for field.
func (e *Errors) Add(field, message string) {
	*e = append(*e, FieldError{Field: field, Message: message})
}

// For returns the first message for field, or "" if it has none.
func (e Errors) For(field string) string {
	for _, fe := range e {
		if fe.Field == field {
			return fe.Message
		}
	}
	return ""
}

// Any reports whether there are errors.
func (e Errors) Any() bool { return len(e) > 0 }

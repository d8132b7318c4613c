package annexa

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ofsted/focusedvisits/internal/form"
)

// The limits of what is typed on the request's forms.
const (
	TextMax   = 2000
	TitleMax  = 200
	NumberMax = 20
)

// ParseDay reads a due day, 0 when it is not one of days 1 to 8.
func ParseDay(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < FirstDay || n > LastDay {
		return 0
	}
	return n
}

// RequestRow is one line of the request form: an item, whether it is
// ticked and the due day chosen (as typed).
type RequestRow struct {
	Number string
	Ticked bool
	DueDay string
}

// Pick is an item put on the request, due by the end of a day.
type Pick struct {
	Number string
	DueDay int
}

// ValidRequest checks the request form: every row has a due day, and at
// least one item is ticked. Errors are keyed by field in the form's order.
func ValidRequest(rows []RequestRow) ([]Pick, form.Errors) {
	var errs form.Errors
	var picks []Pick
	for _, rw := range rows {
		day := ParseDay(rw.DueDay)
		if day == 0 {
			errs.Add("due-"+rw.Number, fmt.Sprintf("Choose the day by the end of which %s is due", rw.Number))
			continue
		}
		if rw.Ticked {
			picks = append(picks, Pick{Number: rw.Number, DueDay: day})
		}
	}
	if len(picks) == 0 && !errs.Any() {
		errs = append(form.Errors{{Field: "item", Message: "Select at least one item to request"}}, errs...)
	}
	return picks, errs
}

// itemNumber is what an item of one's own may be numbered: it begins a file
// name, so letters, digits, dots and hyphens only.
var itemNumber = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9.\-]*$`)

// ItemForm is the form that adds an item of the lead inspector's own.
type ItemForm struct {
	Number, Title, Description, Kind, DueDay string
}

// NewItem is an item of the lead inspector's own, checked.
type NewItem struct {
	Number, Title, Description string
	DueDay                     int
	Kind                       Kind
}

// Valid checks the form, with errors keyed by field in the form's order.
func (f ItemForm) Valid() (NewItem, form.Errors) {
	var errs form.Errors
	switch {
	case f.Number == "":
		errs.Add("number", "Enter the item number")
	case utf8.RuneCountInString(f.Number) > NumberMax:
		errs.Add("number", fmt.Sprintf("Item number must be %d characters or fewer", NumberMax))
	case !itemNumber.MatchString(f.Number):
		errs.Add("number", "Item number must only include letters, numbers, full stops and hyphens")
	}
	switch {
	case f.Title == "":
		errs.Add("title", "Enter a title")
	case utf8.RuneCountInString(f.Title) > TitleMax:
		errs.Add("title", fmt.Sprintf("Title must be %d characters or fewer", TitleMax))
	}
	if utf8.RuneCountInString(f.Description) > TextMax {
		errs.Add("description", fmt.Sprintf("What Cafcass should send must be %d characters or fewer", TextMax))
	}
	kind := Kind(f.Kind)
	if kind != Custom && kind != ChildList {
		errs.Add("kind", "Select whether it is a child-level data list")
	}
	day := ParseDay(f.DueDay)
	if day == 0 {
		errs.Add("due-day", "Choose the day by the end of which it is due")
	}
	return NewItem{Number: f.Number, Title: f.Title, Description: f.Description, DueDay: day, Kind: kind}, errs
}

// ValidReason checks a return reason or a not-held explanation typed in
// field (whether one is needed at all is Check's).
func ValidReason(field, text string) form.Errors {
	var errs form.Errors
	if utf8.RuneCountInString(text) > TextMax {
		errs.Add(field, fmt.Sprintf("Your text must be %d characters or fewer", TextMax))
	}
	return errs
}

// QuestionForm is Cafcass's question about an item.
type QuestionForm struct {
	AddressedTo string // the user id of whom it is asked
	Question    string
}

// Valid checks the question: it is asked of one of askable (the user ids of
// the visit's lead inspector and senior analytical officers) and says
// something. It returns whom it is asked of.
func (f QuestionForm) Valid(askable []int64) (int64, form.Errors) {
	var errs form.Errors
	to, _ := strconv.ParseInt(f.AddressedTo, 10, 64)
	ok := false
	for _, id := range askable {
		ok = ok || id == to && to != 0
	}
	if !ok {
		errs.Add("addressed-to", "Choose who to ask")
	}
	switch {
	case f.Question == "":
		errs.Add("question", "Enter your question")
	case utf8.RuneCountInString(f.Question) > TextMax:
		errs.Add("question", fmt.Sprintf("Your question must be %d characters or fewer", TextMax))
	}
	return to, errs
}

// ValidAnswer checks Ofsted's answer to a question, typed in field.
func ValidAnswer(field, answer string) form.Errors {
	var errs form.Errors
	switch {
	case answer == "":
		errs.Add(field, "Enter your answer")
	case utf8.RuneCountInString(answer) > TextMax:
		errs.Add(field, fmt.Sprintf("Your answer must be %d characters or fewer", TextMax))
	}
	return errs
}

package letter

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/ofsted/focusedvisits/internal/form"
)

// The summary for children and young people (issue 17.7): a few plain
// sentences about what the visit found, published beside the letter. The
// lead inspector writes it on the letter before publication; it is required
// to publish a focused visit's letter, because the letter is published on
// its date by the service and, once public, can no longer be changed: a
// summary written afterwards would never appear. It names no child and
// holds no children's data, so the retention purge leaves it alone
// (DOMAIN decision 17).

// MaxSummaryLength bounds the summary, in characters: short enough to read
// in a minute (the database checks the same).
const MaxSummaryLength = 1500

// SummaryField is the summary's form field.
const SummaryField = "children-summary"

// SummaryHeading is what the public pages and the PDF call the summary.
const SummaryHeading = "Summary for children and young people"

// ValidateSummary reports what is wrong with a summary as typed: it is
// required and bounded.
func ValidateSummary(s string) form.Errors {
	var errs form.Errors
	switch n := utf8.RuneCountInString(s); {
	case strings.TrimSpace(s) == "":
		errs.Add(SummaryField, "Enter the summary for children and young people")
	case n > MaxSummaryLength:
		errs.Add(SummaryField, fmt.Sprintf("The summary must be %d characters or fewer", MaxSummaryLength))
	}
	return errs
}

// HasSummary reports whether the letter has a summary for children.
func (l Letter) HasSummary() bool { return strings.TrimSpace(l.ChildrenSummary) != "" }

// summaryStates are the states in which the lead inspector may write the
// summary: any before publication.
var summaryStates = []State{Drafting, InQA, Returned, Approved, InModeration, Moderated, DraftSent, FinalSent, OnHold}

package pages

import (
	"fmt"
	"strconv"

	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/web/components"
	"github.com/ofsted/focusedvisits/web/layout"
)

// FeedbackCodeView is the public form's first page: enter the code.
type FeedbackCodeView struct {
	layout.Page
	Code   string // as typed
	Errors form.Errors
}

// FeedbackQuestionsView is the public form's questions, for one code.
type FeedbackQuestionsView struct {
	layout.Page
	Code     string // formatted, sent back with the answers
	Helped   string
	Listened []components.Option
	Anything string
	Ages     []components.Option
	// MaxHelped and MaxAnything are the character limits of the texts.
	MaxHelped, MaxAnything int
	Errors                 form.Errors
}

// FeedbackDoneView is the public form's confirmation, or the page that
// says to wait when too much was sent (Limited).
type FeedbackDoneView struct {
	layout.Page
	Limited bool
	Wait    string // "5 minutes"
}

// FeedbackPanel is what the visit's page shows of its feedback code.
type FeedbackPanel struct {
	// Code is the visit's code ("K7QP-M4XD"); "" when it has none or the
	// user may not see it.
	Code string
	// URL is where children and young people enter it.
	URL string
	// Closes says until when the form is open ("Thu 5 Jun 2025"), and
	// Closed that it is no longer.
	Closes string
	Closed bool
	// MakeAction makes the code, for the lead once notice is given.
	MakeAction string
	// AnswersHref is the answers, summarised, for the need-to-know team.
	AnswersHref string
	// ForCafcass: the words are for Cafcass, who passes the code on.
	ForCafcass bool
}

// Shown reports whether the panel has anything to show.
func (p FeedbackPanel) Shown() bool { return p.Code != "" || p.MakeAction != "" || p.AnswersHref != "" }

// FeedbackAnswersView is the team's summary of a visit's answers.
type FeedbackAnswersView struct {
	layout.Page
	Header   VisitHeader
	Code     string
	URL      string
	Closes   string
	Total    int
	Listened []FeedbackCount
	Ages     []FeedbackCount
	Texts    []FeedbackText
}

// FeedbackCount is how many gave an answer.
type FeedbackCount struct {
	Label string
	Count int
}

// FeedbackText is one child's written answers, with the date.
type FeedbackText struct {
	On       string
	Listened string
	Age      string
	Helped   string
	Anything string
}

func errGroup(msg string) string {
	if msg != "" {
		return " govuk-form-group--error"
	}
	return ""
}

func errTextarea(msg string) string {
	if msg != "" {
		return " govuk-textarea--error"
	}
	return ""
}

func describedByCount(id, hint, msg string) string {
	d := id + "-info"
	if hint != "" {
		d += " " + id + "-hint"
	}
	if msg != "" {
		d += " " + id + "-error"
	}
	return d
}

func thousands(n int) string {
	if n < 1000 {
		return strconv.Itoa(n)
	}
	return strconv.Itoa(n/1000) + "," + fmt.Sprintf("%03d", n%1000)
}

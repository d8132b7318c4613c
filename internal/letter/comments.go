package letter

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ofsted/focusedvisits/internal/form"
)

// Cafcass's comments on the draft letter (B.5 L3), Ofsted's responses, and
// the text of a complaint: what each may say.

// The longest texts Cafcass and Ofsted may type, in characters.
const (
	MaxCommentLength    = 5000  // a comment on the draft, or a QA comment
	MaxResponseLength   = 5000  // Ofsted's response to a comment
	MaxComplaintLength  = 10000 // a formal complaint
	MaxResolutionLength = 10000 // how a complaint was resolved
)

// CommentAbout is what a comment on the draft is about.
type CommentAbout string

// What comments may be about (B.5 L3).
const (
	AboutFindings CommentAbout = "findings"
	AboutLetter   CommentAbout = "letter"
	AboutProcess  CommentAbout = "process"
)

// CommentAbouts lists them in the order they are offered.
var CommentAbouts = []CommentAbout{AboutFindings, AboutLetter, AboutProcess}

// Label is what the comment is about, as people say it.
func (a CommentAbout) Label() string {
	switch a {
	case AboutFindings:
		return "The findings"
	case AboutLetter:
		return "The letter"
	case AboutProcess:
		return "The inspection process"
	}
	return string(a)
}

// DraftComment is a Cafcass comment on a section of the sent draft, and
// Ofsted's response.
type DraftComment struct {
	ID          int64
	PublicID    string // names the comment in URLs
	LetterID    int64
	Version     int
	Section     Section
	About       CommentAbout
	Body        string
	ByName      string
	At          time.Time
	SubmittedAt time.Time // zero while a draft
	Late        bool
	Response    string
	RespondedBy string
	RespondedAt time.Time // zero until Ofsted responds
}

// Submitted reports whether the comment has been sent to Ofsted.
func (c DraftComment) Submitted() bool { return !c.SubmittedAt.IsZero() }

// Responded reports whether Ofsted has responded.
func (c DraftComment) Responded() bool { return !c.RespondedAt.IsZero() }

// NewComment is a comment as Cafcass writes it.
type NewComment struct {
	Section Section
	About   CommentAbout
	Body    string
}

// Validate reports what is wrong with the comment on the sent draft
// content, keyed by the comment form's fields in order: it must be about a
// section with something in it.
func (c NewComment) Validate(content Content) form.Errors {
	var errs form.Errors
	if _, ok := ParseSection(string(c.Section)); !ok || (content.Text(c.Section) == "" && len(content.FindingsIn(c.Section)) == 0) {
		errs.Add("section", "Select the section your comment is about")
	}
	if !slices.Contains(CommentAbouts, c.About) {
		errs.Add("about", "Select whether your comment is about the findings, the letter or the inspection process")
	}
	textRule(&errs, "body", c.Body, "Enter your comment", "Your comment", MaxCommentLength)
	return errs
}

// FindingsIn returns the findings that go in a section, in order.
func (c Content) FindingsIn(sec Section) []Finding {
	var fs []Finding
	for _, f := range c.Findings {
		if f.Kind.Section() == sec {
			fs = append(fs, f)
		}
	}
	return fs
}

// ValidateResponse reports what is wrong with Ofsted's response to a
// comment, keyed by field.
func ValidateResponse(field, text string) form.Errors {
	var errs form.Errors
	textRule(&errs, field, text, "Enter Ofsted’s response", "The response", MaxResponseLength)
	return errs
}

// ValidateComplaint reports what is wrong with the text of a complaint,
// keyed by the complaint form's field.
func ValidateComplaint(body string) form.Errors {
	var errs form.Errors
	textRule(&errs, "body", body, "Enter your complaint", "Your complaint", MaxComplaintLength)
	return errs
}

// textRule: a text is required and bounded.
func textRule(errs *form.Errors, field, text, missing, what string, limit int) {
	switch {
	case strings.TrimSpace(text) == "":
		errs.Add(field, missing)
	case utf8.RuneCountInString(text) > limit:
		errs.Add(field, fmt.Sprintf("%s must be %d characters or fewer", what, limit))
	}
}

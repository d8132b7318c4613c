package letter_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/letter"
)

// TestNewCommentValidate: a comment is about a section with something in
// it, says what it is about, and has a bounded text; each error names its
// field, in the order of the form.
func TestNewCommentValidate(t *testing.T) {
	content := letter.Content{
		Sections: map[letter.Section]string{letter.Introduction: "We visited."},
		Findings: []letter.Finding{{Kind: letter.KindStrength, Area: letter.PublicLaw, Text: "Good."}},
	}
	for _, c := range []struct {
		name string
		c    letter.NewComment
		want form.Errors
	}{
		{"on a section's text", letter.NewComment{Section: letter.Introduction, About: letter.AboutLetter, Body: "Which months?"}, nil},
		{"on a section's findings", letter.NewComment{Section: letter.Strengths, About: letter.AboutFindings, Body: "Which teams?"}, nil},
		{"on an empty section, about nothing, saying nothing", letter.NewComment{Section: letter.NextSteps, Body: "  "}, form.Errors{
			{Field: "section", Message: "Select the section your comment is about"},
			{Field: "about", Message: "Select whether your comment is about the findings, the letter or the inspection process"},
			{Field: "body", Message: "Enter your comment"},
		}},
		{"too long", letter.NewComment{Section: letter.Introduction, About: letter.AboutProcess, Body: strings.Repeat("x", letter.MaxCommentLength+1)}, form.Errors{
			{Field: "body", Message: "Your comment must be 5000 characters or fewer"},
		}},
	} {
		if got := c.c.Validate(content); !slices.Equal(got, c.want) {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	if got := letter.ValidateResponse("response-x", ""); !slices.Equal(got, form.Errors{{Field: "response-x", Message: "Enter Ofsted’s response"}}) {
		t.Errorf("blank response: %q", got)
	}
	if got := letter.ValidateComplaint(strings.Repeat("x", letter.MaxComplaintLength+1)); !slices.Equal(got, form.Errors{{Field: "body", Message: "Your complaint must be 10000 characters or fewer"}}) {
		t.Errorf("long complaint: %q", got)
	}
}

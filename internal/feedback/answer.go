package feedback

import (
	"fmt"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/ofsted/focusedvisits/internal/form"
)

// Choice is one answer offered to a question.
type Choice struct{ Value, Label string }

// Listened is "Did you feel listened to?"
var Listened = []Choice{{"yes", "Yes"}, {"a_bit", "A bit"}, {"no", "No"}}

// Ages are the optional age ranges; none is asked.
var Ages = []Choice{{"under_11", "10 or under"}, {"11_15", "11 to 15"}, {"16_17", "16 or 17"}, {"18_plus", "18 or over"}}

// The limits of the free-text answers, in characters.
const (
	MaxHelped   = 1000
	MaxAnything = 2000
)

// MaxBodyBytes bounds the body of a request to the public form: enough for
// the longest answers in any script (3,000 characters of 4 bytes each, an
// emoji's, percent-encoded, are 36 KB), far less than anything that costs.
const MaxBodyBytes = 48 << 10

// Answer is one child's or young person's answers. Helped and Anything are
// plain text; nothing names the person.
type Answer struct {
	Helped   string // How did your Cafcass worker help you?
	Listened string // yes, a_bit or no
	Anything string // Is there anything else you want to tell us?
	Age      string // one of Ages, or "" when not said
}

// Label is the words of a choice's value ("" for none).
func Label(choices []Choice, v string) string {
	for _, c := range choices {
		if c.Value == v {
			return c.Label
		}
	}
	return ""
}

// Check checks answers as typed (see Tidy), by field: "listened" must be
// one of Listened, "age" blank or one of Ages, and the texts within their
// limits.
func (a Answer) Check() form.Errors {
	var errs form.Errors
	if n := utf8.RuneCountInString(a.Helped); n > MaxHelped {
		errs.Add("helped", fmt.Sprintf("Your answer about how your Cafcass worker helped you must be %s characters or fewer", thousands(MaxHelped)))
	}
	if Label(Listened, a.Listened) == "" {
		errs.Add("listened", "Select whether you felt listened to")
	}
	if n := utf8.RuneCountInString(a.Anything); n > MaxAnything {
		errs.Add("anything", fmt.Sprintf("What else you want to tell us must be %s characters or fewer", thousands(MaxAnything)))
	}
	if a.Age != "" && Label(Ages, a.Age) == "" {
		errs.Add("age", "Select your age, or leave it blank")
	}
	return errs
}

func thousands(n int) string {
	if n < 1000 {
		return fmt.Sprint(n)
	}
	return fmt.Sprintf("%d,%03d", n/1000, n%1000)
}

// Tidy is the answers as typed, made safe to show again and to check:
// valid UTF-8, line breaks as LF, no control characters but line breaks
// and tabs, spaces trimmed.
func Tidy(a Answer) Answer {
	return Answer{Helped: tidy(a.Helped), Listened: strings.TrimSpace(a.Listened), Anything: tidy(a.Anything), Age: strings.TrimSpace(a.Age)}
}

func tidy(s string) string {
	s = strings.ToValidUTF8(s, "")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.Map(func(r rune) rune {
		switch {
		case r == '\n' || r == '\t':
			return r
		case r == '\r':
			return '\n'
		case unicode.IsControl(r), r == '\uFEFF', r >= '\u200B' && r <= '\u200F', r >= '\u202A' && r <= '\u202E', r >= '\u2066' && r <= '\u2069':
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

// Clean is what is stored of answers that passed Check: the free text as
// plain text, without markup and without obvious identifiers (emails, phone
// numbers, postcodes), each replaced with words saying what was removed.
func (a Answer) Clean() Answer {
	a.Helped = cut(Strip(a.Helped), MaxHelped)
	a.Anything = cut(Strip(a.Anything), MaxAnything)
	return a
}

// cut keeps the first n characters of s: the words standing for what Strip
// removed can be longer than what they replace.
func cut(s string, n int) string {
	i := 0
	for j := range s {
		if i == n {
			return s[:j]
		}
		i++
	}
	return s
}

// The words that stand for what Strip removed.
const (
	EmailRemoved    = "[email address removed]"
	PhoneRemoved    = "[phone number removed]"
	PostcodeRemoved = "[postcode removed]"
)

var (
	// tags are HTML or XML tags and comments, closed or not.
	tags = regexp.MustCompile(`(?s)<!--.*?(-->|$)|</?[A-Za-z!?][^<>]*(>|$)`)
	// entities are character references a browser would read as markup.
	entities = regexp.MustCompile(`(?i)&(#x?[0-9a-f]+|lt|gt|amp|quot|apos);?`)
	emails   = regexp.MustCompile(`(?i)[a-z0-9._%+'-]+\s*(@|\(at\)|\[at\])\s*[a-z0-9-]+(\s*(\.|\(dot\)|\[dot\])\s*[a-z0-9-]+)+`)
	// phones are UK numbers (07700 900123, +44 7700 900123, (020) 7946
	// 0018, 0044 ...) and any other run of 9 or more digits, however
	// spaced or punctuated.
	phones = regexp.MustCompile(`(\+|\b00)?\(?\d(?:[\s().-]{0,2}\d){8,}`)
	// postcodes are UK postcodes, with or without the space.
	postcodes = regexp.MustCompile(`(?i)\b(GIR\s?0AA|[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?\s?\d[ABD-HJLNP-UW-Z]{2})\b`)
)

// Strip makes free text plain and anonymous: markup goes (tags, comments
// and character references, and any '<' or '>' left), then emails, phone
// numbers and postcodes are replaced with words saying so.
func Strip(s string) string {
	s = tags.ReplaceAllString(s, "")
	s = entities.ReplaceAllString(s, "")
	s = strings.NewReplacer("<", "", ">", "").Replace(s)
	s = emails.ReplaceAllString(s, EmailRemoved)
	s = phones.ReplaceAllString(s, PhoneRemoved)
	s = postcodes.ReplaceAllString(s, PostcodeRemoved)
	return strings.TrimSpace(s)
}

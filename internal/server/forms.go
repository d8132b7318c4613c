package server

import (
	"errors"
	"fmt"
	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/web/pages"
	"math"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/ofsted/focusedvisits/internal/workday"
)

// maxFormBytes bounds an ordinary (not upload) form.
const maxFormBytes = 64 << 10

// parseForm reads a bounded url-encoded form.
func parseForm(w http.ResponseWriter, r *http.Request) error {
	return parseFormUpTo(w, r, maxFormBytes)
}

// parseFormUpTo reads a url-encoded form of at most limit bytes. A body that
// did not arrive within FORM_BODY_TIMEOUT is a 408; anything else unreadable
// a 400.
func parseFormUpTo(w http.ResponseWriter, r *http.Request, limit int64) error {
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	if err := r.ParseForm(); err != nil {
		if errors.Is(err, os.ErrDeadlineExceeded) {
			return &httpError{status: http.StatusRequestTimeout, err: err}
		}
		return badRequest(err)
	}
	return nil
}

// DateField is what was typed into a GOV.UK date input, kept to show again.
type DateField struct {
	Day, Month, Year string
}

// dateField reads the day, month and year fields of the date input name.
func dateField(r *http.Request, name string) DateField {
	return DateField{
		Day:   strings.TrimSpace(r.PostForm.Get(name + "-day")),
		Month: strings.TrimSpace(r.PostForm.Get(name + "-month")),
		Year:  strings.TrimSpace(r.PostForm.Get(name + "-year")),
	}
}

// fieldOf fills a date input from a date.
func fieldOf(d workday.Date) DateField {
	if d.IsZero() {
		return DateField{}
	}
	return DateField{Day: strconv.Itoa(d.Day()), Month: strconv.Itoa(int(d.Month())), Year: strconv.Itoa(d.Year())}
}

// Blank reports whether nothing was typed.
func (f DateField) Blank() bool { return f.Day == "" && f.Month == "" && f.Year == "" }

// Parse checks the date as the GOV.UK date input pattern says, returning the
// date or the message to show. what names the date in messages ("The notice
// date"), and is lower-cased where it follows "Enter".
func (f DateField) Parse(what string) (workday.Date, string) {
	if f.Blank() {
		return workday.Date{}, "Enter " + lowerFirst(what)
	}
	var missing []string
	if f.Day == "" {
		missing = append(missing, "a day")
	}
	if f.Month == "" {
		missing = append(missing, "a month")
	}
	if f.Year == "" {
		missing = append(missing, "a year")
	}
	if len(missing) > 0 {
		return workday.Date{}, what + " must include " + strings.Join(missing, " and ")
	}
	d, err1 := strconv.Atoi(f.Day)
	m, err2 := monthOf(f.Month)
	y, err3 := strconv.Atoi(f.Year)
	if err1 != nil || err2 != nil || err3 != nil || len(f.Year) != 4 || m < 1 || m > 12 || d < 1 || d > 31 {
		return workday.Date{}, what + " must be a real date"
	}
	date := workday.NewDate(y, time.Month(m), d)
	if date.Day() != d || int(date.Month()) != m {
		return workday.Date{}, what + " must be a real date"
	}
	first, last := workday.EnglandAndWales().Span()
	if date.Before(first) || date.After(last) {
		return workday.Date{}, fmt.Sprintf("%s must be between %d and %d", what, first.Year(), last.Year())
	}
	return date, ""
}

// monthOf accepts a month number or name ("4", "04", "Apr", "April").
func monthOf(s string) (int, error) {
	if n, err := strconv.Atoi(s); err == nil {
		return n, nil
	}
	for m := time.January; m <= time.December; m++ {
		name := strings.ToLower(m.String())
		if l := strings.ToLower(s); l == name || (len(l) >= 3 && strings.HasPrefix(name, l)) {
			return int(m), nil
		}
	}
	return 0, fmt.Errorf("not a month: %q", s)
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	if strings.HasPrefix(s, "The ") {
		return "the " + s[4:]
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// formVersion reads a form's version field, the stale-form guard compared
// with an integer column. Blank means no guard (0), as before; anything
// that is not a whole number from 0 to MaxInt32 gives -1, which matches no
// version and so answers as a conflict, never as a database error
// (strconv.Atoi clamps an overflowing number and pgx then refuses it for an
// int4 column: a 500).
func formVersion(s string) int {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 || n > math.MaxInt32 {
		return -1
	}
	return n
}

// ids reads repeated form values as user ids, ignoring anything else.
func ids(vals []string) []int64 {
	var out []int64
	for _, v := range vals {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n > 0 {
			out = append(out, n)
		}
	}
	return out
}

// plainText reports whether s is valid UTF-8 without control characters:
// what an identifier typed or sent back by a form must be before it goes
// to PostgreSQL, which refuses NUL and invalid UTF-8 in text.
func plainText(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsFunc(s, unicode.IsControl)
}

// clean trims a free-text field, turns the browser's CRLF line breaks into
// LF, and removes control characters other than line breaks and tabs.
func clean(s string) string {
	s = strings.ReplaceAll(strings.TrimSpace(s), "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		if r == '\r' {
			return '\n' // a lone carriage return is a line break too
		}
		if r < 0x20 && r != '\n' && r != '\t' || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

// readCEOTold reads what telling the chief executive of a date change after
// notice asks (DOMAIN decision 14), checked by the rule: once the service
// emails them (mailOn), the lead's covering note; before, the record that
// they were told in writing.
func readCEOTold(r *http.Request, today workday.Date, mailOn bool) (visit.CEOTold, pages.CEOToldInput, form.Errors) {
	if mailOn {
		in := pages.CEOToldInput{Email: true, Note: clean(r.PostForm.Get("ceo-note"))}
		return visit.CEOTold{Note: in.Note}, in, visit.CheckCEONote(in.Note)
	}
	df := dateField(r, "ceo-told")
	in := pages.CEOToldInput{Method: r.PostForm.Get("ceo-told-method"), On: pages.DateValue(df), Note: clean(r.PostForm.Get("ceo-told-note"))}
	t := visit.CEOTold{Method: in.Method, Note: in.Note}
	var msg string
	t.On, msg = df.Parse("The date you told the chief executive")
	return t, in, visit.CheckCEOTold(t, msg, today)
}

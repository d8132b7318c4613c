package server

import (
	"errors"
	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/web/pages"
	"math"
	"net/http"
	"os"
	"strconv"
	"strings"
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

// DateField is what was typed into a GOV.UK date input (form.Date: the
// domain's form checks parse it).
type DateField = form.Date

// dateField reads the day, month and year fields of the date input name.
func dateField(r *http.Request, name string) DateField {
	return DateField{
		Day:   strings.TrimSpace(r.PostForm.Get(name + "-day")),
		Month: strings.TrimSpace(r.PostForm.Get(name + "-month")),
		Year:  strings.TrimSpace(r.PostForm.Get(name + "-year")),
	}
}

// fieldOf fills a date input from a date.
func fieldOf(d workday.Date) DateField { return form.DateOf(d) }

func lowerFirst(s string) string { return form.LowerFirst(s) }

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

// readCEOToldForm reads what telling the chief executive of a date change
// after notice asks (DOMAIN decision 14), as typed: once the service emails
// them (mailOn), the lead's covering note; before, the record that they
// were told in writing.
func readCEOToldForm(r *http.Request, mailOn bool) visit.CEOToldForm {
	if mailOn {
		return visit.CEOToldForm{Email: true, Note: clean(r.PostForm.Get("ceo-note"))}
	}
	return visit.CEOToldForm{Method: r.PostForm.Get("ceo-told-method"), On: dateField(r, "ceo-told"), Note: clean(r.PostForm.Get("ceo-told-note"))}
}

// ceoToldInput is the record as typed, to show again.
func ceoToldInput(f visit.CEOToldForm) pages.CEOToldInput {
	return pages.CEOToldInput{Email: f.Email, Method: f.Method, On: pages.DateValue(f.On), Note: f.Note}
}

// readCEOTold reads the record or note and checks it (visit.CEOToldForm.Valid).
func readCEOTold(r *http.Request, today workday.Date, mailOn bool) (visit.CEOTold, pages.CEOToldInput, form.Errors) {
	f := readCEOToldForm(r, mailOn)
	t, errs := f.Valid(today)
	return t, ceoToldInput(f), errs
}

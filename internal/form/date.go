package form

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/ofsted/focusedvisits/internal/workday"
)

// Date is what was typed into a GOV.UK date input, kept to show again.
type Date struct {
	Day, Month, Year string
}

// DateOf fills a date input from a date (blank for the zero date).
func DateOf(d workday.Date) Date {
	if d.IsZero() {
		return Date{}
	}
	return Date{Day: strconv.Itoa(d.Day()), Month: strconv.Itoa(int(d.Month())), Year: strconv.Itoa(d.Year())}
}

// Blank reports whether nothing was typed.
func (f Date) Blank() bool { return f.Day == "" && f.Month == "" && f.Year == "" }

// Parse checks the date as the GOV.UK date input pattern says, returning the
// date or the message to show. what names the date in messages ("The notice
// date"), and is lower-cased where it follows "Enter".
func (f Date) Parse(what string) (workday.Date, string) {
	if f.Blank() {
		return workday.Date{}, "Enter " + LowerFirst(what)
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

// LowerFirst is a sentence's subject put in the middle of another: "The
// notice day" becomes "the notice day".
func LowerFirst(s string) string {
	if s == "" {
		return s
	}
	if strings.HasPrefix(s, "The ") {
		return "the " + s[4:]
	}
	return strings.ToLower(s[:1]) + s[1:]
}

package form

import (
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/ofsted/focusedvisits/internal/workday"
)

// FuzzDate: any day, month and year typed into a GOV.UK date input give
// either a real date in the calendar's span that reads back the same, or a
// message; never a panic.
func FuzzDate(f *testing.F) {
	for _, s := range [][3]string{
		{"14", "4", "2025"}, {"29", "2", "2024"}, {"29", "2", "2025"}, {"31", "April", "2025"},
		{"1", "sept", "2025"}, {"", "", ""}, {"1", "", "2025"}, {"0", "0", "0000"}, {"-1", "-1", "-2025"},
		{"99999999999999999999", "13", "20255"}, {"١", "٤", "٢٠٢٥"}, {"1\x00", "ja", "2025"}, {"+1", "+4", "+202"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	first, last := workday.EnglandAndWales().Span()
	f.Fuzz(func(t *testing.T, day, month, year string) {
		fd := Date{Day: day, Month: month, Year: year}
		d, msg := fd.Parse("The notice day")
		if msg == "" {
			if d.IsZero() || d.Before(first) || d.After(last) {
				t.Fatalf("%q: accepted %v outside %v–%v", fd, d, first, last)
			}
			if again, msg := DateOf(d).Parse("The notice day"); msg != "" || again != d {
				t.Fatalf("%q: %v reads back as %v %q", fd, d, again, msg)
			}
			return
		}
		if !d.IsZero() {
			t.Fatalf("%q: message %q with a date %v", fd, msg, d)
		}
		// The message never repeats what was typed (it could be anything).
		if !utf8.ValidString(msg) || !strings.HasPrefix(msg, "The notice day ") && !strings.HasPrefix(msg, "Enter the notice day") {
			t.Fatalf("%q: message %q", fd, msg)
		}
	})
}

// FuzzMonthOf: a month is a number or an English name of at least three
// letters; whatever is accepted as a name is a real month.
func FuzzMonthOf(f *testing.F) {
	for _, s := range []string{"4", "04", "Apr", "april", "APRIL", "ma", "may", "sept", "septembre", "0", "-3", "13", "", "ß", "\u0130"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := monthOf(s)
		if err != nil {
			return
		}
		if _, numErr := strconv.Atoi(s); numErr != nil {
			if m < 1 || m > 12 {
				t.Fatalf("monthOf(%q) = %d", s, m)
			}
			name := strings.ToLower(time.Month(m).String())
			if !strings.HasPrefix(name, strings.ToLower(s)) {
				t.Fatalf("monthOf(%q) = %s", s, name)
			}
		}
	})
}

package timeline

import (
	"fmt"
	"strings"
	"time"

	"github.com/ofsted/focusedvisits/internal/workday"
)

// The layouts of dates people read (GOV.UK style, with the weekday).
const (
	layoutFull     = "Mon 2 Jan 2006"
	layoutNoYear   = "Mon 2 Jan"
	layoutDayMonth = "Mon 2"
)

// FormatDate formats d as "Mon 12 May 2025".
func FormatDate(d workday.Date) string { return d.Format(layoutFull) }

// FormatTime formats the instant t as people read when something happened,
// in Europe/London: "Mon 12 May 2025 at 14:05".
func FormatTime(t time.Time) string {
	return t.In(workday.London).Format(layoutFull + " at 15:04")
}

// FormatDay formats the day of the instant t in Europe/London: "Mon 12 May
// 2025".
func FormatDay(t time.Time) string { return FormatDate(workday.DateOf(t.In(workday.London))) }

// FormatDates formats a day or a run of days, as short as is clear:
// "Mon 12 May 2025", "Thu 24 to Fri 25 Apr 2025", "Wed 30 Apr to Thu 1 May
// 2025", "Wed 31 Dec 2025 to Fri 2 Jan 2026".
func FormatDates(from, to workday.Date) string {
	switch {
	case to.IsZero() || from == to:
		return FormatDate(from)
	case from.Year() != to.Year():
		return FormatDate(from) + " to " + FormatDate(to)
	case from.Month() != to.Month():
		return from.Format(layoutNoYear) + " to " + FormatDate(to)
	}
	return from.Format(layoutDayMonth) + " to " + FormatDate(to)
}

// onDates says when something happened: "on Mon 12 May 2025", "from Thu 24
// to Fri 25 Apr 2025".
func onDates(from, to workday.Date) string {
	if from == to {
		return "on " + FormatDate(from)
	}
	return "from " + FormatDates(from, to)
}

// dateNear formats d, leaving out the year when it is ref's year.
func dateNear(d, ref workday.Date) string {
	if d.Year() == ref.Year() {
		return d.Format(layoutNoYear)
	}
	return FormatDate(d)
}

// workingDays says how many working days: "1 working day", "11 to 15
// working days". Negative counts are given as positive.
func workingDays(n, end int) string {
	n, end = abs(n), abs(end)
	switch {
	case n != end:
		return fmt.Sprintf("%d to %d working days", n, end)
	case n == 1:
		return "1 working day"
	}
	return fmt.Sprintf("%d working days", n)
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}

// explain writes the explanation of a planned date or window counted off
// to endOff working days from the date e counts from, named by phrase:
//
//	Mon 12 May 2025: 10 working days after the last fieldwork day, Fri 25 Apr; skipped Sat 26 and Sun 27 Apr, …
func explain(from, to workday.Date, off, endOff int, phrase string, e workday.Explanation) string {
	var b strings.Builder
	b.WriteString(FormatDates(from, to))
	b.WriteString(": ")
	switch {
	case off == 0 && endOff == 0:
		b.WriteString("on the day of ")
		b.WriteString(phrase)
	default:
		b.WriteString(workingDays(off, endOff))
		if endOff < 0 {
			b.WriteString(" before ")
		} else {
			b.WriteString(" after ")
		}
		b.WriteString(phrase)
		b.WriteString(", ")
		b.WriteString(dateNear(e.From, to))
	}
	if s := skipped(e); s != "" {
		b.WriteString("; ")
		b.WriteString(s)
	}
	return b.String()
}

// skipped is the part of e's own wording that lists the days it did not
// count, "skipped Sat 26 and Sun 27 Apr, …", or "" when it skipped none. The
// wording is workday's, so every explanation in the service reads alike.
func skipped(e workday.Explanation) string {
	if len(e.Skipped) == 0 {
		return ""
	}
	s := e.String()
	if i := strings.Index(s, "; skipped "); i >= 0 {
		return s[i+len("; "):]
	}
	return ""
}

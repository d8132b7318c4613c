package workday

import (
	"strconv"
	"strings"
)

// Skip is a day that a working-day count passed over, and why it is not a
// working day (see Calendar.IsWorkingDay).
type Skip struct {
	Date   Date
	Reason string
}

// Explanation is an Add shown step by step: Result is the N-th working day
// after From (before it when N < 0), and Skipped lists, in date order, the
// days strictly between From and Result that did not count.
type Explanation struct {
	From    Date
	N       int
	Result  Date
	Skipped []Skip
}

// Explain returns the explanation of Add(d, n).
func (c *Calendar) Explain(d Date, n int) (Explanation, error) {
	r, err := c.Add(d, n)
	if err != nil {
		return Explanation{}, err
	}
	e := Explanation{From: d, N: n, Result: r}
	lo, hi := d, r
	if hi.Before(lo) {
		lo, hi = hi, lo
	}
	for x := lo.AddDays(1); x.Before(hi); x = x.AddDays(1) {
		if ok, why := c.IsWorkingDay(x); !ok {
			e.Skipped = append(e.Skipped, Skip{Date: x, Reason: why})
		}
	}
	return e, nil
}

// String explains in words, for example "10 working days after Fri 25 Apr
// 2025; skipped Sat 26 and Sun 27 Apr, Sat 3 to Mon 5 May (Mon 5 May: Early
// May bank holiday), Sat 10 and Sun 11 May". Runs of consecutive skipped
// days are shown as ranges, and the days skipped for a reason other than
// being a Saturday or Sunday are named in brackets after their run. A year
// is shown on a skipped day only when it differs from From's.
func (e Explanation) String() string {
	var b strings.Builder
	n, dir := e.N, "after"
	if n < 0 {
		n, dir = -n, "before"
	}
	b.WriteString(strconv.Itoa(n))
	if n == 1 {
		b.WriteString(" working day ")
	} else {
		b.WriteString(" working days ")
	}
	b.WriteString(dir + " " + e.From.Format("Mon 2 Jan 2006"))
	if e.N == 0 {
		b.WriteString(": the date itself")
		return b.String()
	}
	if len(e.Skipped) == 0 {
		b.WriteString("; no days skipped")
		return b.String()
	}
	b.WriteString("; skipped ")
	for i, j := 0, 0; i < len(e.Skipped); i = j {
		// The run is Skipped[i:j]: consecutive calendar days.
		for j = i + 1; j < len(e.Skipped) && e.Skipped[j].Date == e.Skipped[j-1].Date.AddDays(1); j++ {
		}
		if i > 0 {
			b.WriteString(", ")
		}
		first, last := e.Skipped[i].Date, e.Skipped[j-1].Date
		switch j - i {
		case 1:
			b.WriteString(e.day(first))
		case 2:
			b.WriteString(e.start(first, last) + " and " + e.day(last))
		default:
			b.WriteString(e.start(first, last) + " to " + e.day(last))
		}
		named := 0
		for _, s := range e.Skipped[i:j] {
			if s.Reason == "Saturday" || s.Reason == "Sunday" {
				continue
			}
			if named == 0 {
				b.WriteString(" (")
			} else {
				b.WriteString("; ")
			}
			named++
			b.WriteString(e.day(s.Date) + ": " + s.Reason)
		}
		if named > 0 {
			b.WriteString(")")
		}
	}
	return b.String()
}

// day formats d as "Mon 2 Jan", with the year when it is not From's.
func (e Explanation) day(d Date) string {
	if d.Year() != e.From.Year() {
		return d.Format("Mon 2 Jan 2006")
	}
	return d.Format("Mon 2 Jan")
}

// start formats the first day of a run that ends on last, leaving out what
// the last day's format repeats: "Sat 3" when both are in the same month.
func (e Explanation) start(first, last Date) string {
	switch {
	case first.Year() != last.Year():
		return first.Format("Mon 2 Jan 2006")
	case first.Month() != last.Month():
		return first.Format("Mon 2 Jan")
	}
	return first.Format("Mon 2")
}

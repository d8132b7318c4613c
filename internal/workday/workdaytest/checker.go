// Package workdaytest is an independent, deliberately slow model of the
// England and Wales working-day calendar, for checking package workday.
//
// It shares no code or data with workday: it works on time.Time dates (UTC
// midnight), finds Easter with a different algorithm (Knuth's version of
// Gauss's), writes the substitute-day rules as a table of weekdays, keeps its
// own hard-coded list of the special days proclaimed since 1995, and counts
// working days one calendar day at a time.
package workdaytest

import (
	"fmt"
	"time"
)

// Checker answers working-day questions the slow way. The zero value is not
// usable; call New.
type Checker struct {
	off map[int64]bool // non-working weekdays, keyed by days since 1970-01-01
}

// moved are the regular holidays that a proclamation moved away (the day is
// an ordinary working day that year), and extra the days proclaimed as
// holidays (one-offs, and the days the moved holidays moved to).
var (
	moved = []string{
		"1995-05-01", // early May moved to 8 May (VE Day 50)
		"2002-05-27", // spring moved to 4 Jun (Golden Jubilee)
		"2012-05-28", // spring moved to 4 Jun (Diamond Jubilee)
		"2020-05-04", // early May moved to 8 May (VE Day 75)
		"2022-05-30", // spring moved to 2 Jun (Platinum Jubilee)
	}
	extra = []string{
		"1995-05-08", "1999-12-31", "2002-06-03", "2002-06-04", "2011-04-29",
		"2012-06-04", "2012-06-05", "2020-05-08", "2022-06-02", "2022-06-03",
		"2022-09-19", "2023-05-08",
	}
)

// Special returns the checker's list of special days: those moved away
// (now working days) and those proclaimed (not working days).
func Special() (movedAway, proclaimed []string) {
	return append([]string(nil), moved...), append([]string(nil), extra...)
}

// New returns a checker for the years from first to last, with the given
// closure days ("2006-01-02").
func New(first, last int, closures ...string) *Checker {
	c := &Checker{off: make(map[int64]bool)}
	for y := first; y <= last; y++ {
		for _, d := range holidays(y) {
			c.off[key(d)] = true
		}
	}
	for _, s := range moved {
		delete(c.off, key(Parse(s)))
	}
	for _, s := range extra {
		c.off[key(Parse(s))] = true
	}
	for _, s := range closures {
		c.off[key(Parse(s))] = true
	}
	return c
}

// key returns the days from 1970-01-01 to t's date in UTC.
func key(t time.Time) int64 {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// holidays returns the regular bank holidays of year y (no proclamations).
func holidays(y int) []time.Time {
	var hs []time.Time
	switch day(y, time.January, 1).Weekday() {
	case time.Saturday:
		hs = append(hs, day(y, time.January, 3))
	case time.Sunday:
		hs = append(hs, day(y, time.January, 2))
	default:
		hs = append(hs, day(y, time.January, 1))
	}
	e := easter(y)
	hs = append(hs, e.AddDate(0, 0, -2), e.AddDate(0, 0, 1))
	for d := 1; ; d++ { // first Monday in May
		if t := day(y, time.May, d); t.Weekday() == time.Monday {
			hs = append(hs, t)
			break
		}
	}
	for _, m := range []time.Month{time.May, time.August} { // last Mondays
		for d := 31; ; d-- {
			if t := day(y, m, d); t.Weekday() == time.Monday {
				hs = append(hs, t)
				break
			}
		}
	}
	// Christmas Day and Boxing Day by the weekday of 25 December.
	switch day(y, time.December, 25).Weekday() {
	case time.Friday: // Boxing Day on Saturday: Monday 28
		hs = append(hs, day(y, time.December, 25), day(y, time.December, 28))
	case time.Saturday: // both at the weekend: Monday 27 and Tuesday 28
		hs = append(hs, day(y, time.December, 27), day(y, time.December, 28))
	case time.Sunday: // Boxing Day Monday 26, Christmas substitute Tuesday 27
		hs = append(hs, day(y, time.December, 26), day(y, time.December, 27))
	default:
		hs = append(hs, day(y, time.December, 25), day(y, time.December, 26))
	}
	return hs
}

// easter returns Easter Sunday by Gauss's method as Knuth gives it (The Art
// of Computer Programming, vol. 1, 1.3.2, exercise 14).
func easter(y int) time.Time {
	g := y%19 + 1
	c := y/100 + 1
	x := 3*c/4 - 12
	z := (8*c+5)/25 - 5
	d := 5*y/4 - x - 10
	e := (11*g + 20 + z - x) % 30
	if (e == 25 && g > 11) || e == 24 {
		e++
	}
	n := 44 - e
	if n < 21 {
		n += 30
	}
	n = n + 7 - (d+n)%7
	if n > 31 {
		return day(y, time.April, n-31)
	}
	return day(y, time.March, n)
}

// IsWorkingDay reports whether t's date (in UTC) is a working day.
func (c *Checker) IsWorkingDay(t time.Time) bool {
	if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
		return false
	}
	return !c.off[key(t)]
}

// IsHoliday reports whether t's date is a bank holiday or closure on a weekday.
func (c *Checker) IsHoliday(t time.Time) bool { return c.off[key(t)] }

// Add steps one day at a time to the n-th working day after t (before, n < 0).
func (c *Checker) Add(t time.Time, n int) time.Time {
	step := 1
	if n < 0 {
		step, n = -1, -n
	}
	for n > 0 {
		t = t.AddDate(0, 0, step)
		if c.IsWorkingDay(t) {
			n--
		}
	}
	return t
}

// Between counts the working days in (a, b], or minus those in (b, a].
func (c *Checker) Between(a, b time.Time) int {
	sign := 1
	if b.Before(a) {
		a, b, sign = b, a, -1
	}
	n := 0
	for t := a.AddDate(0, 0, 1); !t.After(b); t = t.AddDate(0, 0, 1) {
		if c.IsWorkingDay(t) {
			n++
		}
	}
	return sign * n
}

// Parse parses "2006-01-02" as a UTC date, panicking on a bad string (test
// data only).
func Parse(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(fmt.Sprintf("workdaytest: %v", err))
	}
	return t
}

package workday_test

import (
	"testing"

	"github.com/ofsted/focusedvisits/internal/workday"
	"github.com/ofsted/focusedvisits/internal/workday/workdaytest"
)

// fuzzDate maps any integer onto a date in the calendar's span.
func fuzzDate(c *workday.Calendar, i int) workday.Date {
	first, last := c.Span()
	span := last.DaysSince(first) + 1
	return first.AddDays(((i % span) + span) % span)
}

// fuzzN maps any integer onto an offset of at most a few years of working days.
func fuzzN(n int) int { return n % 1000 }

// seed adds a corpus that plain go test runs: holidays, year ends, the
// span's edges, and the DOMAIN examples.
func seed(f *testing.F) {
	for _, s := range []struct{ day, n int }{
		{0, 1}, {0, -1}, {-1, 5}, {-1, -5}, {12_888, 10}, {12_888, -10}, // around 1990 and 2025
		{13_036, 30}, {13_039, -22}, {11_687, 70}, {11_687, -70}, {40_000, 400}, {1, 999}, {-2, -999},
		{8_765, 0}, {11_840, 7}, {5_000, 22},
	} {
		f.Add(s.day, s.n)
	}
}

// FuzzAddThenBack: for a working day d, Add(Add(d, n), -n) == d.
func FuzzAddThenBack(f *testing.F) {
	seed(f)
	c := workday.EnglandAndWales()
	f.Fuzz(func(t *testing.T, day, n int) {
		d, n := fuzzDate(c, day), fuzzN(n)
		if ok, _ := c.IsWorkingDay(d); !ok {
			if d, _ = c.Next(d); d.IsZero() {
				return
			}
		}
		r, err := c.Add(d, n)
		if err != nil {
			return // out of the span
		}
		back, err := c.Add(r, -n)
		if err != nil || back != d {
			t.Fatalf("Add(Add(%s, %d) = %s, %d) = %v, %v", d, n, r, -n, back, err)
		}
	})
}

// FuzzBetweenAdd: Between(d, Add(d, n)) == n when n >= 0 or d is a working
// day. Counting backwards from a day that is not a working day, the (a, b]
// convention leaves the start out of Add but Between's (b, a] has no working
// day to drop, so the count is one short: n+1.
func FuzzBetweenAdd(f *testing.F) {
	seed(f)
	c := workday.EnglandAndWales()
	f.Fuzz(func(t *testing.T, day, n int) {
		d, n := fuzzDate(c, day), fuzzN(n)
		r, err := c.Add(d, n)
		if err != nil {
			return
		}
		want := n
		if ok, _ := c.IsWorkingDay(d); n < 0 && !ok {
			want = n + 1
		}
		if got, err := c.Between(d, r); err != nil || got != want {
			t.Fatalf("Between(%s, Add(%s, %d) = %s) = %d, %v; want %d", d, d, n, r, got, err, want)
		}
		if got, _ := c.Between(r, d); got != -want {
			t.Fatalf("Between(%s, %s) = %d, want %d", r, d, got, -want)
		}
		if n != 0 {
			if ok, _ := c.IsWorkingDay(r); !ok {
				t.Fatalf("Add(%s, %d) = %s, not a working day", d, n, r)
			}
		}
	})
}

// FuzzMonotonic: Add is non-decreasing in the date and increasing in n, and
// Between is non-decreasing in its second argument.
func FuzzMonotonic(f *testing.F) {
	seed(f)
	c := workday.EnglandAndWales()
	f.Fuzz(func(t *testing.T, day, n int) {
		d, n := fuzzDate(c, day), fuzzN(n)
		e := d.AddDays(1)
		r1, err1 := c.Add(d, n)
		r2, err2 := c.Add(e, n)
		if err1 == nil && err2 == nil && r2.Before(r1) {
			t.Fatalf("Add(%s, %d) = %s after Add(%s, %d) = %s", d, n, r1, e, n, r2)
		}
		r3, err3 := c.Add(d, n+1)
		if err1 == nil && err3 == nil && !r1.Before(r3) && n != 0 && n != -1 {
			t.Fatalf("Add(%s, %d) = %s not before Add(%s, %d) = %s", d, n, r1, d, n+1, r3)
		}
		b1, err1 := c.Between(d, d.AddDays(n))
		b2, err2 := c.Between(d, d.AddDays(n+1))
		if err1 == nil && err2 == nil && (b2 < b1 || b2 > b1+1) {
			t.Fatalf("Between(%s, +%d) = %d, Between(+%d) = %d", d, n, b1, n+1, b2)
		}
	})
}

// FuzzNaive: Add, Between and IsWorkingDay agree with the day-by-day loop
// of the independent checker.
func FuzzNaive(f *testing.F) {
	seed(f)
	c := workday.EnglandAndWales()
	ck := workdaytest.New(workday.FirstYear, workday.LastYear)
	f.Fuzz(func(t *testing.T, day, n int) {
		d, n := fuzzDate(c, day), fuzzN(n)
		ok, _ := c.IsWorkingDay(d)
		if want := ck.IsWorkingDay(toTime(d)); ok != want {
			t.Fatalf("IsWorkingDay(%s) = %v, checker %v", d, ok, want)
		}
		if r, err := c.Add(d, n); err == nil {
			if want := fromTime(ck.Add(toTime(d), n)); r != want {
				t.Fatalf("Add(%s, %d) = %s, checker %s", d, n, r, want)
			}
		}
		e := d.AddDays(n)
		if b, err := c.Between(d, e); err == nil {
			if want := ck.Between(toTime(d), toTime(e)); b != want {
				t.Fatalf("Between(%s, %s) = %d, checker %d", d, e, b, want)
			}
		}
	})
}

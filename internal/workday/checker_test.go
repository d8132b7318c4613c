package workday_test

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/workday"
	"github.com/ofsted/focusedvisits/internal/workday/workdaytest"
)

// toTime and fromTime cross between the engine's dates and the checker's.
func toTime(d workday.Date) time.Time   { return d.Time(time.UTC) }
func fromTime(t time.Time) workday.Date { return workday.DateOf(t) }

// TestAgainstChecker compares the engine with the independent checker of
// package workdaytest: every day of the span, every special day, and a
// large random sample of Add and Between.
func TestAgainstChecker(t *testing.T) {
	c := workday.EnglandAndWales()
	ck := workdaytest.New(workday.FirstYear, workday.LastYear)

	first, last := c.Span()
	for d := first; !d.After(last); d = d.AddDays(1) {
		got, why := c.IsWorkingDay(d)
		if want := ck.IsWorkingDay(toTime(d)); got != want {
			t.Errorf("IsWorkingDay(%s) = %v (%q), checker says %v", d, got, why, want)
		}
	}

	moved, proclaimed := workdaytest.Special()
	for _, s := range append(moved, proclaimed...) {
		d := date(t, s)
		for n := -12; n <= 12; n++ {
			got, err := c.Add(d, n)
			if want := fromTime(ck.Add(toTime(d), n)); err != nil || got != want {
				t.Errorf("Add(%s, %d) = %v, %v; checker says %v", d, n, got, err, want)
			}
		}
	}

	n := 200_000
	if testing.Short() {
		n = 20_000
	}
	rng := rand.New(rand.NewPCG(1, 2))
	lo := workday.NewDate(1995, time.January, 1)
	days := workday.NewDate(2060, time.December, 31).DaysSince(lo) + 1
	for range n {
		d := lo.AddDays(rng.IntN(days))
		k := rng.IntN(141) - 70
		got, err := c.Add(d, k)
		if want := fromTime(ck.Add(toTime(d), k)); err != nil || got != want {
			t.Fatalf("Add(%s, %d) = %v, %v; checker says %v", d, k, got, err, want)
		}
		e := d.AddDays(rng.IntN(201) - 100)
		b, err := c.Between(d, e)
		if want := ck.Between(toTime(d), toTime(e)); err != nil || b != want {
			t.Fatalf("Between(%s, %s) = %d, %v; checker says %d", d, e, b, err, want)
		}
	}
}

// TestClosuresAgainstChecker does the same with closure days layered on.
func TestClosuresAgainstChecker(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	lo := workday.NewDate(2020, time.January, 1)
	var cs []workday.Closure
	var ss []string
	for range 300 {
		d := lo.AddDays(rng.IntN(3650))
		cs = append(cs, workday.Closure{Date: d, Reason: "test"})
		ss = append(ss, d.String())
	}
	c := workday.EnglandAndWales().WithClosures(cs)
	ck := workdaytest.New(workday.FirstYear, workday.LastYear, ss...)
	for range 20_000 {
		d := lo.AddDays(rng.IntN(3650))
		k := rng.IntN(141) - 70
		got, err := c.Add(d, k)
		if want := fromTime(ck.Add(toTime(d), k)); err != nil || got != want {
			t.Fatalf("Add(%s, %d) = %v, %v; checker says %v", d, k, got, err, want)
		}
		ok, _ := c.IsWorkingDay(d)
		if want := ck.IsWorkingDay(toTime(d)); ok != want {
			t.Fatalf("IsWorkingDay(%s) = %v, checker says %v", d, ok, want)
		}
	}
}

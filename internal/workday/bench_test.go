package workday_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/gb"

	"github.com/ofsted/focusedvisits/internal/workday"
)

var benchNs = []int{5, 10, 22, 30, 70}

// rickarCalendar is github.com/rickar/cal/v2 with its England and Wales
// holidays, the comparison for the benchmarks.
func rickarCalendar() *cal.BusinessCalendar {
	bc := cal.NewBusinessCalendar()
	bc.AddHoliday(gb.Holidays...)
	return bc
}

// benchStarts are the dates the benchmarks cycle through: a year of days.
func benchStarts() []workday.Date {
	ds := make([]workday.Date, 365)
	for i := range ds {
		ds[i] = workday.NewDate(2025, time.January, 1).AddDays(i)
	}
	return ds
}

func BenchmarkAdd(b *testing.B) {
	c := workday.EnglandAndWales()
	rc := rickarCalendar()
	starts := benchStarts()
	ts := make([]time.Time, len(starts))
	for i, d := range starts {
		ts[i] = d.Time(time.UTC)
	}
	for _, n := range benchNs {
		b.Run("ours/n="+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			var sink workday.Date
			i := 0
			for b.Loop() {
				r, err := c.Add(starts[i], n)
				if err != nil {
					b.Fatal(err)
				}
				sink = r
				if i++; i == len(starts) {
					i = 0
				}
			}
			_ = sink
		})
		b.Run("rickar/n="+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			var sink time.Time
			i := 0
			for b.Loop() {
				sink = rc.WorkdaysFrom(ts[i], n)
				if i++; i == len(ts) {
					i = 0
				}
			}
			_ = sink
		})
	}
}

func BenchmarkBetween(b *testing.B) {
	c := workday.EnglandAndWales()
	rc := rickarCalendar()
	starts := benchStarts()
	for _, n := range benchNs {
		// Each pair spans n working days; rickar counts [a, b] inclusive,
		// so it is given (a+1, b] to count the same days.
		type pair struct {
			a, b   workday.Date
			ta, tb time.Time
		}
		ps := make([]pair, len(starts))
		for i, d := range starts {
			e, _ := c.Add(d, n)
			ps[i] = pair{d, e, d.AddDays(1).Time(time.UTC), e.Time(time.UTC)}
		}
		b.Run("ours/n="+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			sink, i := 0, 0
			for b.Loop() {
				k, err := c.Between(ps[i].a, ps[i].b)
				if err != nil {
					b.Fatal(err)
				}
				sink += k
				if i++; i == len(ps) {
					i = 0
				}
			}
			_ = sink
		})
		b.Run("rickar/n="+strconv.Itoa(n), func(b *testing.B) {
			b.ReportAllocs()
			sink, i := 0, 0
			for b.Loop() {
				sink += rc.WorkdaysInRange(ps[i].ta, ps[i].tb)
				if i++; i == len(ps) {
					i = 0
				}
			}
			_ = sink
		})
	}
}

// BenchmarkWithClosures measures layering 300 closure days.
func BenchmarkWithClosures(b *testing.B) {
	c := workday.EnglandAndWales()
	cs := make([]workday.Closure, 300)
	for i := range cs {
		cs[i] = workday.Closure{Date: workday.NewDate(2020, time.January, 1).AddDays(i * 7), Reason: "closed"}
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = c.WithClosures(cs)
	}
}

package workday_test

import (
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/workday"
)

func date(t testing.TB, s string) workday.Date {
	t.Helper()
	d, err := workday.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestDomainExamples checks the worked examples of DOMAIN B.4.
func TestDomainExamples(t *testing.T) {
	c := workday.EnglandAndWales()
	tests := []struct {
		what string
		from string
		n    int
		want string
	}{
		// Easter 2025: day N = notice + (N-1).
		{"day 3", "2025-04-14", 2, "2025-04-16"},
		{"day 5", "2025-04-14", 4, "2025-04-22"},
		{"day 6", "2025-04-14", 5, "2025-04-23"},
		{"day 7", "2025-04-14", 6, "2025-04-24"},
		{"day 8", "2025-04-14", 7, "2025-04-25"},
		{"draft", "2025-04-25", 10, "2025-05-12"},
		{"comments", "2025-04-25", 15, "2025-05-19"},
		{"final", "2025-04-25", 22, "2025-05-29"},
		{"complaint", "2025-04-25", 27, "2025-06-05"},
		{"publication", "2025-04-25", 30, "2025-06-10"},
		// Backwards planning: notice = fieldwork start - 6.
		{"notice from fieldwork", "2025-04-24", -6, "2025-04-14"},
		// Spring bank holiday 2024.
		{"day 5", "2024-05-20", 4, "2024-05-24"},
		{"day 6", "2024-05-20", 5, "2024-05-28"},
		{"day 7", "2024-05-20", 6, "2024-05-29"},
		{"day 8", "2024-05-20", 7, "2024-05-30"},
		{"draft", "2024-05-30", 10, "2024-06-13"},
		{"comments", "2024-05-30", 15, "2024-06-20"},
		{"final", "2024-05-30", 22, "2024-07-01"},
		{"complaint", "2024-05-30", 27, "2024-07-08"},
		{"publication", "2024-05-30", 30, "2024-07-11"},
		// The April 2021 letter: published 30 working days after 22 Apr.
		{"publication 2021", "2021-04-22", 30, "2021-06-07"},
	}
	for _, tc := range tests {
		from, want := date(t, tc.from), date(t, tc.want)
		got, err := c.Add(from, tc.n)
		if err != nil || got != want {
			t.Errorf("%s: Add(%s, %d) = %v, %v; want %v", tc.what, tc.from, tc.n, got, err, want)
		}
		if n, err := c.Between(from, want); err != nil || n != tc.n {
			t.Errorf("%s: Between(%s, %s) = %d, %v; want %d", tc.what, tc.from, tc.want, n, err, tc.n)
		}
	}
}

func TestIsWorkingDayReasons(t *testing.T) {
	c := workday.EnglandAndWales().WithClosures([]workday.Closure{
		{Date: date(t, "2025-12-24"), Reason: "Christmas Eve shutdown"},
		{Date: date(t, "2025-12-27"), Reason: "weekend closure"},
		{Date: date(t, "2025-12-26"), Reason: "on a bank holiday"},
	})
	tests := []struct {
		d       string
		working bool
		reason  string
	}{
		{"2025-04-17", true, ""},
		{"2025-04-18", false, "Good Friday"},
		{"2025-04-19", false, "Saturday"},
		{"2025-04-20", false, "Sunday"},
		{"2025-04-21", false, "Easter Monday"},
		{"2025-12-24", false, "Office closure: Christmas Eve shutdown"},
		{"2025-12-26", false, "Boxing Day"},
		{"2025-12-27", false, "Saturday"},
		{"1989-12-31", false, "1989-12-31 is outside the supported dates 1990-01-01 to 2100-12-31"},
		{"2101-01-03", false, "2101-01-03 is outside the supported dates 1990-01-01 to 2100-12-31"},
	}
	for _, tc := range tests {
		ok, why := c.IsWorkingDay(date(t, tc.d))
		if ok != tc.working || why != tc.reason {
			t.Errorf("IsWorkingDay(%s) = %v, %q; want %v, %q", tc.d, ok, why, tc.working, tc.reason)
		}
	}
	if ok, why := c.IsWorkingDay(workday.Date{}); ok || why == "" {
		t.Errorf("IsWorkingDay(zero) = %v, %q", ok, why)
	}
}

func TestAddEdges(t *testing.T) {
	c := workday.EnglandAndWales()
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"2025-04-19", 0, "2025-04-19"},  // n = 0: the date itself, a Saturday
		{"2025-04-18", 1, "2025-04-22"},  // from a holiday
		{"2025-04-19", -1, "2025-04-17"}, // from a weekend, backwards
		{"2025-04-22", -1, "2025-04-17"},
		{"2025-04-17", 1, "2025-04-22"},
		{"2025-04-21", -2, "2025-04-16"},
		{"1990-01-01", 1, "1990-01-02"}, // first day of the span (a holiday)
		{"1990-01-02", -1, ""},          // before the span
		{"2100-12-31", 1, ""},           // after the span (a Friday)
		{"2100-12-30", 1, "2100-12-31"},
		{"2100-12-31", 0, "2100-12-31"},
		{"2101-01-01", 0, ""},
		{"1989-12-29", 1, ""},
	}
	for _, tc := range tests {
		got, err := c.Add(date(t, tc.from), tc.n)
		if tc.want == "" {
			if err == nil || !errors.Is(err, workday.ErrOutOfRange) {
				t.Errorf("Add(%s, %d) = %v, %v; want ErrOutOfRange", tc.from, tc.n, got, err)
			}
			continue
		}
		if err != nil || got.String() != tc.want {
			t.Errorf("Add(%s, %d) = %v, %v; want %s", tc.from, tc.n, got, err, tc.want)
		}
	}
	for _, n := range []int{1 << 62, -1 << 62, 1 << 20, -1 << 20} {
		if _, err := c.Add(date(t, "2025-01-01"), n); !errors.Is(err, workday.ErrOutOfRange) {
			t.Errorf("Add(_, %d): err %v", n, err)
		}
	}
	if _, err := c.Add(workday.Date{}, 1); !errors.Is(err, workday.ErrOutOfRange) {
		t.Errorf("Add(zero): err %v", err)
	}
	if d, err := c.Next(date(t, "2025-04-17")); err != nil || d != date(t, "2025-04-22") {
		t.Errorf("Next = %v, %v", d, err)
	}
	if d, err := c.Previous(date(t, "2025-04-22")); err != nil || d != date(t, "2025-04-17") {
		t.Errorf("Previous = %v, %v", d, err)
	}
	first, last := c.Span()
	if first.String() != "1990-01-01" || last.String() != "2100-12-31" {
		t.Errorf("Span = %v, %v", first, last)
	}
}

func TestBetween(t *testing.T) {
	c := workday.EnglandAndWales()
	tests := []struct {
		a, b string
		want int
	}{
		{"2025-04-14", "2025-04-24", 6},
		{"2025-04-24", "2025-04-14", -6},
		{"2025-04-17", "2025-04-21", 0}, // nothing working in (Thu, Mon]
		{"2025-04-17", "2025-04-22", 1},
		{"2025-04-18", "2025-04-17", 0},  // (17, 18] holds only Good Friday
		{"2025-04-22", "2025-04-17", -1}, // minus the count in (17, 22]
		{"2025-04-19", "2025-04-19", 0},
		{"2025-01-01", "2026-01-01", 253}, // 261 weekdays less 8 bank holidays
	}
	for _, tc := range tests {
		got, err := c.Between(date(t, tc.a), date(t, tc.b))
		if err != nil || got != tc.want {
			t.Errorf("Between(%s, %s) = %d, %v; want %d", tc.a, tc.b, got, err, tc.want)
		}
	}
	if _, err := c.Between(date(t, "1989-12-31"), date(t, "2025-01-01")); !errors.Is(err, workday.ErrOutOfRange) {
		t.Errorf("Between out of range: err %v", err)
	}
	if _, err := c.Between(date(t, "2025-01-01"), date(t, "2101-01-01")); !errors.Is(err, workday.ErrOutOfRange) {
		t.Errorf("Between out of range: err %v", err)
	}
}

func TestWithClosures(t *testing.T) {
	base := workday.EnglandAndWales()
	c := base.WithClosures([]workday.Closure{
		{Date: date(t, "2025-04-16"), Reason: "office move"},
		{Date: date(t, "2025-04-16"), Reason: "office move (revised)"},
		{Date: date(t, "1980-01-02"), Reason: "ignored: outside the span"},
		{Reason: "ignored: no date"},
	})
	if got, _ := c.Add(date(t, "2025-04-14"), 2); got != date(t, "2025-04-17") {
		t.Errorf("with closure, day 3 = %v, want 2025-04-17", got)
	}
	if got, _ := base.Add(date(t, "2025-04-14"), 2); got != date(t, "2025-04-16") {
		t.Errorf("base changed: day 3 = %v", got)
	}
	want := []workday.Closure{{Date: date(t, "2025-04-16"), Reason: "office move (revised)"}}
	if got := c.Closures(); !slices.Equal(got, want) {
		t.Errorf("Closures = %v, want %v", got, want)
	}
	if len(base.Closures()) != 0 {
		t.Error("base has closures")
	}
	// Layering again keeps the earlier closures.
	c2 := c.WithClosures([]workday.Closure{{Date: date(t, "2025-04-17"), Reason: "second"}})
	if got, _ := c2.Add(date(t, "2025-04-14"), 2); got != date(t, "2025-04-22") {
		t.Errorf("two closures: day 3 = %v, want 2025-04-22", got)
	}
	if n, _ := c2.Between(date(t, "2025-04-14"), date(t, "2025-04-24")); n != 4 {
		t.Errorf("two closures: Between = %d, want 4", n)
	}
	e, _ := c2.Explain(date(t, "2025-04-14"), 2)
	if got, want := e.String(), "2 working days after Mon 14 Apr 2025; skipped Wed 16 to Mon 21 Apr "+
		"(Wed 16 Apr: Office closure: office move (revised); Thu 17 Apr: Office closure: second; "+
		"Fri 18 Apr: Good Friday; Mon 21 Apr: Easter Monday)"; got != want {
		t.Errorf("Explain =\n%s\nwant\n%s", got, want)
	}
}

func TestExplain(t *testing.T) {
	c := workday.EnglandAndWales()
	tests := []struct {
		from string
		n    int
		want string
	}{
		{"2025-04-25", 10, "10 working days after Fri 25 Apr 2025; skipped Sat 26 and Sun 27 Apr, " +
			"Sat 3 to Mon 5 May (Mon 5 May: Early May bank holiday), Sat 10 and Sun 11 May"},
		{"2025-04-14", 1, "1 working day after Mon 14 Apr 2025; no days skipped"},
		{"2025-04-19", 0, "0 working days after Sat 19 Apr 2025: the date itself"},
		{"2025-04-22", -1, "1 working day before Tue 22 Apr 2025; skipped Fri 18 to Mon 21 Apr " +
			"(Fri 18 Apr: Good Friday; Mon 21 Apr: Easter Monday)"},
		{"2022-12-20", 8, "8 working days after Tue 20 Dec 2022; skipped Sat 24 to Tue 27 Dec " +
			"(Mon 26 Dec: Boxing Day; Tue 27 Dec: Christmas Day (substitute day)), " +
			"Sat 31 Dec 2022 to Mon 2 Jan 2023 (Mon 2 Jan 2023: New Year's Day (substitute day))"},
		{"2025-05-30", 1, "1 working day after Fri 30 May 2025; skipped Sat 31 May and Sun 1 Jun"},
		{"2025-05-23", 1, "1 working day after Fri 23 May 2025; skipped Sat 24 to Mon 26 May (Mon 26 May: Spring bank holiday)"},
	}
	for _, tc := range tests {
		e, err := c.Explain(date(t, tc.from), tc.n)
		if err != nil {
			t.Fatal(err)
		}
		if got := e.String(); got != tc.want {
			t.Errorf("Explain(%s, %d) =\n%s\nwant\n%s", tc.from, tc.n, got, tc.want)
		}
		if r, _ := c.Add(date(t, tc.from), tc.n); e.Result != r || e.From != date(t, tc.from) || e.N != tc.n {
			t.Errorf("Explain(%s, %d): %+v, Add gives %v", tc.from, tc.n, e, r)
		}
	}
	e, _ := c.Explain(date(t, "2025-04-25"), 10)
	want := []workday.Skip{
		{Date: date(t, "2025-04-26"), Reason: "Saturday"}, {Date: date(t, "2025-04-27"), Reason: "Sunday"},
		{Date: date(t, "2025-05-03"), Reason: "Saturday"}, {Date: date(t, "2025-05-04"), Reason: "Sunday"},
		{Date: date(t, "2025-05-05"), Reason: "Early May bank holiday"},
		{Date: date(t, "2025-05-10"), Reason: "Saturday"}, {Date: date(t, "2025-05-11"), Reason: "Sunday"},
	}
	if !slices.Equal(e.Skipped, want) {
		t.Errorf("Skipped = %v\nwant %v", e.Skipped, want)
	}
	if _, err := c.Explain(date(t, "2100-12-31"), 1); !errors.Is(err, workday.ErrOutOfRange) {
		t.Errorf("Explain out of range: err %v", err)
	}
}

func TestNoAllocations(t *testing.T) {
	c := workday.EnglandAndWales()
	d := date(t, "2025-04-14")
	var sink int
	allocs := testing.AllocsPerRun(1000, func() {
		r, _ := c.Add(d, 70)
		n, _ := c.Between(d, r)
		ok, _ := c.IsWorkingDay(r)
		p, _ := c.Previous(r)
		if ok {
			sink += n + p.Day()
		}
	})
	if allocs != 0 {
		t.Errorf("Add/Between/IsWorkingDay/Previous allocate %v times", allocs)
	}
	_ = sink
}

func TestConcurrentUse(t *testing.T) {
	c := workday.EnglandAndWales()
	done := make(chan error)
	for g := range 4 {
		go func() {
			d := date(t, "2025-01-01").AddDays(g)
			for i := range 1000 {
				r, err := c.Add(d, i%50)
				if err == nil {
					_, err = c.Between(d, r)
				}
				if err != nil {
					done <- err
					return
				}
			}
			done <- nil
		}()
	}
	for range 4 {
		if err := <-done; err != nil {
			t.Error(err)
		}
	}
}

func ExampleCalendar_Add() {
	c := workday.EnglandAndWales()
	notice := workday.NewDate(2025, time.April, 14)
	for _, day := range []int{1, 3, 5, 6, 7, 8} {
		d, _ := c.Add(notice, day-1)
		fmt.Printf("day %d: %s\n", day, d.Format("Mon 2 Jan 2006"))
	}
	// Output:
	// day 1: Mon 14 Apr 2025
	// day 3: Wed 16 Apr 2025
	// day 5: Tue 22 Apr 2025
	// day 6: Wed 23 Apr 2025
	// day 7: Thu 24 Apr 2025
	// day 8: Fri 25 Apr 2025
}

func ExampleCalendar_Explain() {
	c := workday.EnglandAndWales()
	e, _ := c.Explain(workday.NewDate(2025, time.April, 25), 10)
	fmt.Println(e.Result.Format("Mon 2 Jan 2006"))
	fmt.Println(e)
	// Output:
	// Mon 12 May 2025
	// 10 working days after Fri 25 Apr 2025; skipped Sat 26 and Sun 27 Apr, Sat 3 to Mon 5 May (Mon 5 May: Early May bank holiday), Sat 10 and Sun 11 May
}

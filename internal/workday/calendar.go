// Package workday is the working-day calendar: which days are working days
// in England and Wales (DOMAIN decision 1), and arithmetic on them (decision
// 2: "X working days after E" is the X-th working day after E's date, which
// itself never counts).
//
// A working day is a Monday to Friday that is neither a bank holiday nor a
// closure day. The bank holidays are the official list for 1995 to the last
// announced year (embedded data) and the usual rules outside it; closure days
// come from the caller (Calendar.WithClosures). The package does no I/O.
//
// Dates are civil dates (Date), not instants. Only EndOfDay and Date.At turn
// a date into an instant, for deadlines.
//
// Add, Between, Next and Previous take constant time and do not allocate:
// a Calendar holds, for every day of its span, the number of working days up
// to and including it, and the position of every working day.
package workday

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"
)

// The supported span of every Calendar.
const (
	FirstYear = 1990
	LastYear  = 2100
)

// ErrOutOfRange is wrapped by the errors of operations whose input or result
// falls outside the span of the calendar (FirstYear to LastYear), or whose
// input is the zero Date.
var ErrOutOfRange = errors.New("outside the supported dates 1990-01-01 to 2100-12-31")

// Closure is a day on which the office is closed: not a working day, on top
// of the bank holidays.
type Closure struct {
	Date   Date
	Reason string
}

// Calendar answers working-day questions over the dates FirstYear-01-01 to
// LastYear-12-31. It is immutable and safe for concurrent use.
type Calendar struct {
	first Date
	// cum[i] is the number of working days from first to first+i,
	// both included.
	cum []int32
	// work[k] is the day index (days since first) of the working day
	// whose ordinal is k+1.
	work []int32
	// hol is shared by every calendar built from the same holidays.
	hol *holidayData
	// closures is sorted by date, one per date; closed indexes it.
	closures []Closure
	closed   map[Date]string
}

// holidayData is the bank holidays over the span, shared and never changed.
type holidayData struct {
	firstOfficial, lastOfficial int
	byYear                      [][]Holiday // index: year - FirstYear
	name                        map[Date]string
	// off[i] is true when the day i days after FirstYear-01-01 is a
	// weekend day or a bank holiday.
	off []bool
}

// EnglandAndWales returns the built-in calendar of England and Wales bank
// holidays, with no closure days. It is built once, on first use, and shared.
func EnglandAndWales() *Calendar { return builtin() }

// builtin builds the EnglandAndWales calendar once.
var builtin = sync.OnceValue(func() *Calendar {
	l, err := parseOfficial(officialData)
	if err != nil {
		// The data is embedded and checked by the tests.
		panic("workday: embedded holiday list: " + err.Error())
	}
	return newCalendar(newHolidayData(l), nil)
})

// newHolidayData combines the official list with the rules for the other
// years of the span.
func newHolidayData(l officialList) *holidayData {
	h := &holidayData{
		firstOfficial: l.first,
		lastOfficial:  l.last,
		byYear:        make([][]Holiday, LastYear-FirstYear+1),
		name:          make(map[Date]string, 9*(LastYear-FirstYear+1)),
	}
	for y := FirstYear; y <= LastYear; y++ {
		hs := RuleHolidays(y)
		if y >= l.first && y <= l.last {
			hs = slices.Clone(l.byYear[y])
		}
		h.byYear[y-FirstYear] = hs
		for _, x := range hs {
			h.name[x.Date] = x.Name
		}
	}
	first := NewDate(FirstYear, time.January, 1)
	h.off = make([]bool, NewDate(LastYear, time.December, 31).DaysSince(first)+1)
	for i := range h.off {
		d := first.AddDays(i)
		h.off[i] = isWeekend(d) || h.name[d] != ""
	}
	return h
}

// newCalendar builds the day tables for the holidays and closures.
func newCalendar(h *holidayData, closed map[Date]string) *Calendar {
	first := NewDate(FirstYear, time.January, 1)
	days := NewDate(LastYear, time.December, 31).DaysSince(first) + 1
	c := &Calendar{
		first:  first,
		cum:    make([]int32, days),
		work:   make([]int32, 0, days*5/7+1),
		hol:    h,
		closed: closed,
	}
	for d := range closed {
		c.closures = append(c.closures, Closure{Date: d, Reason: closed[d]})
	}
	slices.SortFunc(c.closures, func(a, b Closure) int { return a.Date.Compare(b.Date) })

	off := h.off
	if len(closed) > 0 {
		off = slices.Clone(off)
		for d := range closed {
			off[d.DaysSince(first)] = true
		}
	}
	n := int32(0)
	for i := range days {
		if !off[i] {
			n++
			c.work = append(c.work, int32(i))
		}
		c.cum[i] = n
	}
	return c
}

// WithClosures returns a new calendar: c with the closure days cs added to
// its own. A closure for a day c already has replaces its reason; closures
// of zero dates or dates outside the span are ignored. A closure on a
// weekend or bank holiday is kept (Closures lists it) but changes nothing.
// c itself is unchanged.
func (c *Calendar) WithClosures(cs []Closure) *Calendar {
	closed := maps.Clone(c.closed)
	if closed == nil {
		closed = make(map[Date]string, len(cs))
	}
	first, last := c.Span()
	for _, x := range cs {
		if x.Date.Before(first) || x.Date.After(last) {
			continue
		}
		closed[x.Date] = x.Reason
	}
	return newCalendar(c.hol, closed)
}

// Closures returns the calendar's closure days, sorted by date.
func (c *Calendar) Closures() []Closure { return slices.Clone(c.closures) }

// Span returns the first and last dates the calendar covers.
func (c *Calendar) Span() (first, last Date) {
	return c.first, Date{rd: c.first.rd + int32(len(c.cum)) - 1}
}

// CheckRange returns nil when d is in the calendar's span, and otherwise an
// error wrapping ErrOutOfRange.
func (c *Calendar) CheckRange(d Date) error {
	if _, ok := c.index(d); !ok {
		return outOfRange(d)
	}
	return nil
}

// index returns d's position in the day tables, or false when d is outside
// the span (or zero).
func (c *Calendar) index(d Date) (int, bool) {
	i := int(d.rd) - int(c.first.rd)
	return i, uint(i) < uint(len(c.cum))
}

// working reports whether the day at index i is a working day.
func (c *Calendar) working(i int) bool {
	if i == 0 {
		return c.cum[0] == 1
	}
	return c.cum[i] != c.cum[i-1]
}

func outOfRange(d Date) error {
	if d.IsZero() {
		return fmt.Errorf("no date given: %w", ErrOutOfRange)
	}
	return fmt.Errorf("%s is %w", d, ErrOutOfRange)
}

// IsWorkingDay reports whether d is a working day and, when it is not, why:
// "Saturday", "Sunday", the bank holiday's name (such as "Good Friday"), or
// "Office closure: " and the closure's reason, in that order of precedence.
// A date outside the span is not a working day, with a reason saying so.
func (c *Calendar) IsWorkingDay(d Date) (bool, string) {
	i, ok := c.index(d)
	if !ok {
		return false, outOfRange(d).Error()
	}
	if c.working(i) {
		return true, ""
	}
	return false, c.reason(d)
}

// reason says why d, a day in the span that is not a working day, is not.
func (c *Calendar) reason(d Date) string {
	switch d.Weekday() {
	case time.Saturday:
		return "Saturday"
	case time.Sunday:
		return "Sunday"
	}
	if name := c.hol.name[d]; name != "" {
		return name
	}
	return "Office closure: " + c.closed[d]
}

// Add returns the n-th working day after d (n > 0) or before it (n < 0);
// d itself never counts, and need not be a working day. Add(d, 0) is d
// itself, working day or not. It fails when d or the result is outside the
// span.
func (c *Calendar) Add(d Date, n int) (Date, error) {
	i, ok := c.index(d)
	if !ok {
		return Date{}, outOfRange(d)
	}
	if n == 0 {
		return d, nil
	}
	var j int // index into work of the result
	switch {
	case n > len(c.work) || n < -len(c.work):
		return Date{}, c.beyond(d, n)
	case n > 0:
		j = int(c.cum[i]) + n - 1
	case c.working(i):
		j = int(c.cum[i]) - 1 + n
	default:
		j = int(c.cum[i]) + n
	}
	if uint(j) >= uint(len(c.work)) {
		return Date{}, c.beyond(d, n)
	}
	return Date{rd: c.first.rd + c.work[j]}, nil
}

// beyond is the error for an Add whose result is outside the span.
func (c *Calendar) beyond(d Date, n int) error {
	first, last := c.Span()
	days := "working days"
	if n == 1 || n == -1 {
		days = "working day"
	}
	if n > 0 {
		return fmt.Errorf("%d %s after %s is after %s: %w", n, days, d, last, ErrOutOfRange)
	}
	return fmt.Errorf("%d %s before %s is before %s: %w", -n, days, d, first, ErrOutOfRange)
}

// Between returns the number of working days in (a, b]: after a, up to and
// including b. When b is before a it is minus the number in (b, a], so that
// Between(a, b) == -Between(b, a). Between(d, Add(d, n)) == n when n >= 0
// or d is a working day; counting back from a day that is not a working day
// it is n+1, since (Add(d, n), d] then holds one working day fewer.
func (c *Calendar) Between(a, b Date) (int, error) {
	i, ok := c.index(a)
	if !ok {
		return 0, outOfRange(a)
	}
	j, ok := c.index(b)
	if !ok {
		return 0, outOfRange(b)
	}
	return int(c.cum[j]) - int(c.cum[i]), nil
}

// Next returns the first working day after d.
func (c *Calendar) Next(d Date) (Date, error) { return c.Add(d, 1) }

// Previous returns the last working day before d.
func (c *Calendar) Previous(d Date) (Date, error) { return c.Add(d, -1) }

// Holidays returns the bank holidays of year, sorted by date, with their
// names; those not from the official list are marked Provisional. It
// returns nil for a year outside the span. Closure days are not included
// (see Closures).
func (c *Calendar) Holidays(year int) []Holiday {
	if year < FirstYear || year > LastYear {
		return nil
	}
	return slices.Clone(c.hol.byYear[year-FirstYear])
}

// Provisional reports whether d's bank holidays are not from the official
// list: d's year is after the last officially announced year (or before
// 1995, where the list begins), so they were computed from the usual rules.
func (c *Calendar) Provisional(d Date) bool {
	y := d.Year()
	return y < c.hol.firstOfficial || y > c.hol.lastOfficial
}

// OfficialYears returns the first and last years of the official list of
// bank holidays the calendar uses.
func (c *Calendar) OfficialYears() (first, last int) {
	return c.hol.firstOfficial, c.hol.lastOfficial
}

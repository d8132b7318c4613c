package workday

import (
	"errors"
	"fmt"
	"time"
)

// Date is a civil date in the proleptic Gregorian calendar: a day, not an
// instant. It has no time of day and no location.
//
// Date values are comparable with == and usable as map keys. The zero value
// means "unset": it is not a valid date, IsZero reports true and String
// returns "". Valid dates run from 0001-01-01 to 9999-12-31.
type Date struct {
	// rd is the Rata Die day number: 0001-01-01 is 1. 0 means unset.
	rd int32
}

const (
	minRD = 1       // 0001-01-01
	maxRD = 3652059 // 9999-12-31

	// unixToRD converts days since 1970-01-01 to a Rata Die number.
	unixToRD = 719163
)

// NewDate returns the date y-m-d. Like time.Date, it normalises values out
// of their usual ranges: NewDate(2025, time.February, 29) is 1 March 2025
// and NewDate(2025, time.April, 0) is 31 March 2025. A result before
// 0001-01-01 or after 9999-12-31 gives the zero (unset) Date.
func NewDate(y int, m time.Month, d int) Date {
	// Normalise the month first, then let the day overflow into days.
	mm := int(m) - 1
	y += floorDiv(mm, 12)
	mm -= floorDiv(mm, 12) * 12
	if y < -1_000_000 || y > 1_000_000 || d < -1_000_000_000 || d > 1_000_000_000 {
		return Date{}
	}
	rd := int64(daysFromCivil(y, mm+1, 1)) + unixToRD + int64(d) - 1
	if rd < minRD || rd > maxRD {
		return Date{}
	}
	return Date{rd: int32(rd)}
}

// ErrBadDate is wrapped by the errors ParseDate and UnmarshalText return.
var ErrBadDate = errors.New("not a date in the form YYYY-MM-DD")

// ParseDate parses a date in exactly the form "2006-01-02": four-digit year,
// two-digit month and day, nothing before or after. It rejects impossible
// dates such as 2025-02-29.
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return Date{}, fmt.Errorf("%q: %w", s, ErrBadDate)
	}
	y, ok1 := digits(s[0:4])
	m, ok2 := digits(s[5:7])
	d, ok3 := digits(s[8:10])
	if !ok1 || !ok2 || !ok3 || y < 1 || m < 1 || m > 12 || d < 1 || d > daysIn(y, time.Month(m)) {
		return Date{}, fmt.Errorf("%q: %w", s, ErrBadDate)
	}
	return NewDate(y, time.Month(m), d), nil
}

// digits parses a run of ASCII digits (no signs, no spaces).
func digits(s string) (int, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// daysIn reports the number of days in month m of year y.
func daysIn(y int, m time.Month) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// DateOf returns the calendar date of t in t's own location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return NewDate(y, m, d)
}

// Today returns today's date in loc.
func Today(loc *time.Location) Date {
	return DateOf(time.Now().In(loc))
}

// IsZero reports whether d is the zero (unset) Date.
func (d Date) IsZero() bool { return d.rd == 0 }

// civil returns the year, month and day of d. The zero Date gives
// 0000-12-31, the day before 0001-01-01.
func (d Date) civil() (year int, month time.Month, day int) {
	y, m, dd := civilFromDays(int(d.rd) - unixToRD)
	return y, time.Month(m), dd
}

// Year returns d's year.
func (d Date) Year() int { y, _, _ := d.civil(); return y }

// Month returns d's month.
func (d Date) Month() time.Month { _, m, _ := d.civil(); return m }

// Day returns d's day of the month.
func (d Date) Day() int { _, _, dd := d.civil(); return dd }

// Weekday returns d's day of the week.
func (d Date) Weekday() time.Weekday {
	// 0001-01-01 (Rata Die 1) was a Monday.
	return time.Weekday(floorMod(int(d.rd), 7))
}

// AddDays returns the date n calendar days after d (before d when n < 0).
// A result outside 0001-01-01 to 9999-12-31, or any result from the zero
// Date, is the zero Date.
func (d Date) AddDays(n int) Date {
	if d.rd == 0 {
		return Date{}
	}
	rd := int64(d.rd) + int64(n)
	if n > maxRD || n < -maxRD || rd < minRD || rd > maxRD {
		return Date{}
	}
	return Date{rd: int32(rd)}
}

// DaysSince returns the number of calendar days from o to d: positive when
// d is after o.
func (d Date) DaysSince(o Date) int { return int(d.rd) - int(o.rd) }

// Before reports whether d is before o.
func (d Date) Before(o Date) bool { return d.rd < o.rd }

// After reports whether d is after o.
func (d Date) After(o Date) bool { return d.rd > o.rd }

// Compare returns -1 if d is before o, +1 if after, and 0 if they are equal.
// The zero Date sorts before every valid date.
func (d Date) Compare(o Date) int {
	switch {
	case d.rd < o.rd:
		return -1
	case d.rd > o.rd:
		return +1
	}
	return 0
}

// String returns d as "2006-01-02", or "" for the zero Date.
func (d Date) String() string {
	if d.rd == 0 {
		return ""
	}
	return string(d.appendISO(make([]byte, 0, 10)))
}

// appendISO appends d as "2006-01-02".
func (d Date) appendISO(b []byte) []byte {
	y, m, dd := d.civil()
	return append(b,
		byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+int(m)/10), byte('0'+int(m)%10), '-',
		byte('0'+dd/10), byte('0'+dd%10))
}

// Format formats d with a Go time layout, such as "Mon 2 Jan 2006". Time-of-
// day elements format as midnight UTC. The zero Date formats as "".
func (d Date) Format(layout string) string {
	if d.rd == 0 {
		return ""
	}
	return d.Time(time.UTC).Format(layout)
}

// Time returns the instant at which d starts in loc: midnight, or the first
// instant of the day if a clock change skips midnight.
func (d Date) Time(loc *time.Location) time.Time {
	y, m, dd := d.civil()
	return time.Date(y, m, dd, 0, 0, 0, 0, loc)
}

// At returns the instant when the wall clock in loc shows the given time of
// day on d. Across a clock change it follows time.Date: a time in the gap
// when clocks go forward is moved forward by the gap, and an ambiguous time
// when they go back is the earlier of the two.
func (d Date) At(hour, min, sec, nsec int, loc *time.Location) time.Time {
	y, m, dd := d.civil()
	return time.Date(y, m, dd, hour, min, sec, nsec, loc)
}

// EndOfDay returns the last instant of d in loc (23:59:59.999999999 local,
// or the instant before the next day starts if a clock change falls at
// midnight): the end of a deadline that falls due on d (DOMAIN decision 5).
func EndOfDay(d Date, loc *time.Location) time.Time {
	y, m, dd := d.civil()
	return time.Date(y, m, dd+1, 0, 0, 0, 0, loc).Add(-time.Nanosecond)
}

// MarshalText implements encoding.TextMarshaler: "2006-01-02", or empty for
// the zero Date.
func (d Date) MarshalText() ([]byte, error) {
	if d.rd == 0 {
		return []byte{}, nil
	}
	return d.appendISO(make([]byte, 0, 10)), nil
}

// AppendText implements encoding.TextAppender: it appends d as
// "2006-01-02", or nothing for the zero Date.
func (d Date) AppendText(b []byte) ([]byte, error) {
	if d.rd == 0 {
		return b, nil
	}
	return d.appendISO(b), nil
}

// UnmarshalText implements encoding.TextUnmarshaler. It accepts exactly
// "2006-01-02", or empty text for the zero Date.
func (d *Date) UnmarshalText(b []byte) error {
	if len(b) == 0 {
		*d = Date{}
		return nil
	}
	v, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

// daysFromCivil returns the number of days from 1970-01-01 to y-m-d
// (m in 1..12, d in 1..31), after Howard Hinnant's algorithm.
func daysFromCivil(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := floorDiv(y, 400)
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// civilFromDays is the inverse of daysFromCivil.
func civilFromDays(z int) (y, m, d int) {
	z += 719468
	era := floorDiv(z, 146097)
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y = yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	if mp < 10 {
		m = mp + 3
	} else {
		m = mp - 9
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

func floorDiv(a, b int) int {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorMod(a, b int) int { return a - floorDiv(a, b)*b }

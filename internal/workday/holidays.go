package workday

import (
	_ "embed"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Holiday is a bank holiday: a weekday on which nobody works.
type Holiday struct {
	Date Date
	Name string
	// Provisional is true when the day is not from the official list:
	// it was computed from the usual rules for a year the list does not
	// cover (after the last announced year, or before 1995), so a
	// proclamation could still move or add a day.
	Provisional bool
}

// The names of the regular bank holidays, as gov.uk writes them (with a
// plain apostrophe).
const (
	nameNewYear     = "New Year's Day"
	nameGoodFriday  = "Good Friday"
	nameEasterMon   = "Easter Monday"
	nameEarlyMay    = "Early May bank holiday"
	nameSpring      = "Spring bank holiday"
	nameSummer      = "Summer bank holiday"
	nameChristmas   = "Christmas Day"
	nameBoxingDay   = "Boxing Day"
	substituteNotes = " (substitute day)"
)

// officialData is the official England and Wales list: every bank holiday
// from 1995 to the last announced year, including substitute days and the
// one-off or moved days proclaimed in those years.
//
//go:embed holidays_england_wales.txt
var officialData string

// officialList is officialData parsed.
type officialList struct {
	first, last int               // the years the list covers
	byYear      map[int][]Holiday // sorted by date
}

// parseOfficial parses the embedded list. Its format: '#' comments, blank
// lines, one line "years FIRST LAST", then one line per holiday,
// "YYYY-MM-DD name".
func parseOfficial(data string) (officialList, error) {
	l := officialList{byYear: make(map[int][]Holiday)}
	for i, line := range strings.Split(data, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if rest, ok := strings.CutPrefix(line, "years "); ok {
			f := strings.Fields(rest)
			if len(f) != 2 {
				return l, fmt.Errorf("line %d: want \"years FIRST LAST\"", i+1)
			}
			var err1, err2 error
			l.first, err1 = strconv.Atoi(f[0])
			l.last, err2 = strconv.Atoi(f[1])
			if err1 != nil || err2 != nil || l.first > l.last {
				return l, fmt.Errorf("line %d: bad years", i+1)
			}
			continue
		}
		ds, name, ok := strings.Cut(line, " ")
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			return l, fmt.Errorf("line %d: want \"YYYY-MM-DD name\"", i+1)
		}
		d, err := ParseDate(ds)
		if err != nil {
			return l, fmt.Errorf("line %d: %w", i+1, err)
		}
		if wd := d.Weekday(); wd == time.Saturday || wd == time.Sunday {
			return l, fmt.Errorf("line %d: %s is a %s", i+1, d, wd)
		}
		l.byYear[d.Year()] = append(l.byYear[d.Year()], Holiday{Date: d, Name: name})
	}
	if l.first == 0 {
		return l, fmt.Errorf("no \"years\" line")
	}
	for y := l.first; y <= l.last; y++ {
		hs := l.byYear[y]
		if len(hs) == 0 {
			return l, fmt.Errorf("no holidays listed for %d", y)
		}
		if !slices.IsSortedFunc(hs, func(a, b Holiday) int { return a.Date.Compare(b.Date) }) {
			return l, fmt.Errorf("holidays of %d are not in date order", y)
		}
		for i := 1; i < len(hs); i++ {
			if hs[i].Date == hs[i-1].Date {
				return l, fmt.Errorf("%s listed twice", hs[i].Date)
			}
		}
	}
	for y := range l.byYear {
		if y < l.first || y > l.last {
			return l, fmt.Errorf("holiday in %d, outside the years %d-%d", y, l.first, l.last)
		}
	}
	return l, nil
}

// RuleHolidays returns the England and Wales bank holidays of year as the
// usual rules give them, without any one-off proclamation: New Year's Day,
// Good Friday, Easter Monday, the early May (first Monday in May), spring
// (last Monday in May) and summer (last Monday in August) bank holidays,
// Christmas Day and Boxing Day, with a substitute weekday when a fixed
// holiday falls at a weekend. The result is sorted and marked Provisional.
// Years before 1978 (when the early May holiday began) are not meaningful.
func RuleHolidays(year int) []Holiday {
	hs := make([]Holiday, 0, 8)
	add := func(d Date, name string) { hs = append(hs, Holiday{Date: d, Name: name, Provisional: true}) }

	// New Year's Day; at a weekend, the following Monday.
	if nyd := NewDate(year, time.January, 1); isWeekend(nyd) {
		add(nextMonday(nyd), nameNewYear+substituteNotes)
	} else {
		add(nyd, nameNewYear)
	}
	easter := EasterSunday(year)
	add(easter.AddDays(-2), nameGoodFriday)
	add(easter.AddDays(1), nameEasterMon)
	add(firstMonday(year, time.May), nameEarlyMay)
	add(lastMonday(year, time.May), nameSpring)
	add(lastMonday(year, time.August), nameSummer)

	// Christmas Day and Boxing Day; a day at a weekend is replaced by the
	// next weekday that is not already a holiday.
	xmas, boxing := NewDate(year, time.December, 25), NewDate(year, time.December, 26)
	taken := func(d Date) bool {
		return slices.ContainsFunc(hs, func(h Holiday) bool { return h.Date == d })
	}
	for _, h := range []struct {
		d    Date
		name string
	}{{xmas, nameChristmas}, {boxing, nameBoxingDay}} {
		if !isWeekend(h.d) {
			add(h.d, h.name)
			continue
		}
		s := h.d
		for isWeekend(s) || taken(s) || s == xmas || s == boxing {
			s = s.AddDays(1)
		}
		add(s, h.name+substituteNotes)
	}
	slices.SortFunc(hs, func(a, b Holiday) int { return a.Date.Compare(b.Date) })
	return hs
}

// EasterSunday returns the date of Easter Sunday in the Gregorian calendar
// (the anonymous Gregorian algorithm of Meeus, Jones and Butcher).
func EasterSunday(year int) Date {
	a := year % 19
	b, c := year/100, year%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return NewDate(year, time.Month(month), day)
}

func isWeekend(d Date) bool {
	wd := d.Weekday()
	return wd == time.Saturday || wd == time.Sunday
}

// nextMonday returns the first Monday after d.
func nextMonday(d Date) Date {
	return d.AddDays(floorMod(int(time.Monday)-int(d.Weekday())-1, 7) + 1)
}

// firstMonday returns the first Monday of the month.
func firstMonday(year int, m time.Month) Date {
	return nextMonday(NewDate(year, m, 0))
}

// lastMonday returns the last Monday of the month.
func lastMonday(year int, m time.Month) Date {
	return nextMonday(NewDate(year, m+1, 1).AddDays(-8))
}

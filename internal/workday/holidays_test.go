package workday

import (
	"slices"
	"strings"
	"testing"
)

func TestOfficialListParses(t *testing.T) {
	l, err := parseOfficial(officialData)
	if err != nil {
		t.Fatal(err)
	}
	if l.first != 1995 || l.last < 2027 {
		t.Errorf("official years %d-%d, want 1995 to at least 2027", l.first, l.last)
	}
	for _, bad := range []string{
		"2025-01-01 New Year's Day",                    // no years line
		"years 2025 2025\n2025-01-04 Saturday holiday", // weekend
		"years 2025 2025\n2025-13-01 Bad",              // bad date
		"years 2025 2025\n2025-01-01",                  // no name
		"years 2025 2026\n2025-01-01 New Year's Day",   // 2026 missing
		"years 2025 2025\n2026-01-01 New Year's Day",   // outside the years
		"years 2025 2025\n2025-12-25 A\n2025-01-01 B",  // out of order
		"years 2025 2025\n2025-12-25 A\n2025-12-25 B",  // twice
	} {
		if _, err := parseOfficial(bad); err == nil {
			t.Errorf("parseOfficial accepted %q", bad)
		}
	}
}

// specialYears are the years in which proclamations changed the rules.
var specialYears = []int{1995, 1999, 2002, 2011, 2012, 2020, 2022, 2023}

// TestOfficialListMatchesRules checks every ordinary year of the official
// list against the rules, so that a typo in the data shows up, and that
// special years differ from the rules exactly as proclaimed.
func TestOfficialListMatchesRules(t *testing.T) {
	l, err := parseOfficial(officialData)
	if err != nil {
		t.Fatal(err)
	}
	for y := l.first; y <= l.last; y++ {
		if slices.Contains(specialYears, y) {
			continue
		}
		got, want := l.byYear[y], RuleHolidays(y)
		for i := range want {
			want[i].Provisional = false
		}
		if !slices.Equal(got, want) {
			t.Errorf("%d: official list\n%v\nrules\n%v", y, got, want)
		}
	}
}

func TestSpecialDays(t *testing.T) {
	c := EnglandAndWales()
	tests := []struct {
		date    string
		working bool
		reason  string // substring of the reason
	}{
		{"1995-05-01", true, ""},
		{"1995-05-08", false, "VE Day"},
		{"1999-12-31", false, "Millennium"},
		{"1999-12-27", false, "Christmas Day (substitute day)"},
		{"1999-12-28", false, "Boxing Day (substitute day)"},
		{"2000-01-03", false, "New Year's Day (substitute day)"},
		{"2002-05-27", true, ""},
		{"2002-06-03", false, "Golden Jubilee"},
		{"2002-06-04", false, "Spring bank holiday"},
		{"2011-04-29", false, "Wedding"},
		{"2012-05-28", true, ""},
		{"2012-06-04", false, "Spring bank holiday"},
		{"2012-06-05", false, "Diamond Jubilee"},
		{"2020-05-04", true, ""},
		{"2020-05-08", false, "VE Day"},
		{"2022-05-30", true, ""},
		{"2022-06-02", false, "Spring bank holiday"},
		{"2022-06-03", false, "Platinum Jubilee"},
		{"2022-09-19", false, "State Funeral of Queen Elizabeth II"},
		{"2023-05-01", false, "Early May bank holiday"},
		{"2023-05-08", false, "coronation of King Charles III"},
	}
	for _, tc := range tests {
		d, _ := ParseDate(tc.date)
		ok, why := c.IsWorkingDay(d)
		if ok != tc.working || !strings.Contains(why, tc.reason) || (tc.working && why != "") {
			t.Errorf("IsWorkingDay(%s) = %v, %q; want %v, %q", tc.date, ok, why, tc.working, tc.reason)
		}
	}
}

func TestSubstituteDays(t *testing.T) {
	c := EnglandAndWales()
	// Each case: the days from 24 Dec (or 31 Dec) on, and which are off.
	tests := []struct {
		name string
		off  []string // weekday holidays
		on   []string // working weekdays nearby
	}{
		{"2004 Christmas Sat", []string{"2004-12-27", "2004-12-28"}, []string{"2004-12-24", "2004-12-29"}},
		{"2005 Christmas Sun", []string{"2005-12-26", "2005-12-27"}, []string{"2005-12-28"}},
		{"2009 Boxing Day Sat", []string{"2009-12-25", "2009-12-28"}, []string{"2009-12-24", "2009-12-29"}},
		{"2010 Christmas Sat", []string{"2010-12-27", "2010-12-28"}, []string{"2010-12-24", "2010-12-29"}},
		{"2011 Christmas Sun", []string{"2011-12-26", "2011-12-27"}, []string{"2011-12-28"}},
		{"2011 New Year Sat", []string{"2011-01-03"}, []string{"2010-12-31", "2011-01-04"}},
		{"2015 Boxing Day Sat", []string{"2015-12-25", "2015-12-28"}, []string{"2015-12-29"}},
		{"2016 Christmas Sun", []string{"2016-12-26", "2016-12-27"}, []string{"2016-12-28"}},
		{"2017 New Year Sun", []string{"2017-01-02"}, []string{"2017-01-03"}},
		{"2020 Boxing Day Sat", []string{"2020-12-25", "2020-12-28"}, []string{"2020-12-29"}},
		{"2021 Christmas Sat", []string{"2021-12-27", "2021-12-28"}, []string{"2021-12-24", "2021-12-29"}},
		{"2022 New Year Sat", []string{"2022-01-03"}, []string{"2021-12-31", "2022-01-04"}},
		{"2022 Christmas Sun", []string{"2022-12-26", "2022-12-27"}, []string{"2022-12-28"}},
		{"2023 New Year Sun", []string{"2023-01-02"}, []string{"2023-01-03"}},
		{"2026 Boxing Day Sat", []string{"2026-12-25", "2026-12-28"}, []string{"2026-12-29"}},
		{"2027 Christmas Sat", []string{"2027-12-27", "2027-12-28"}, []string{"2027-12-24", "2027-12-29"}},
		{"2028 Boxing Day Tue", []string{"2028-12-25", "2028-12-26"}, []string{"2028-12-27"}},
		{"2028 New Year Sat", []string{"2028-01-03"}, []string{"2028-01-04"}},
		{"2032 Christmas Sat", []string{"2032-12-27", "2032-12-28"}, []string{"2032-12-29"}},
		{"2033 Christmas Sun", []string{"2033-12-26", "2033-12-27"}, []string{"2033-12-28"}},
	}
	for _, tc := range tests {
		for _, s := range tc.off {
			d, _ := ParseDate(s)
			if ok, why := c.IsWorkingDay(d); ok || !strings.Contains(why, "substitute") && d.Day() != 25 && d.Day() != 26 && d.Day() != 1 {
				t.Errorf("%s: IsWorkingDay(%s) = %v, %q", tc.name, s, ok, why)
			}
		}
		for _, s := range tc.on {
			d, _ := ParseDate(s)
			if ok, why := c.IsWorkingDay(d); !ok {
				t.Errorf("%s: IsWorkingDay(%s) = %v, %q; want a working day", tc.name, s, ok, why)
			}
		}
	}
}

func TestEaster(t *testing.T) {
	for s, want := range map[int]string{
		1990: "1990-04-15", 1995: "1995-04-16", 2000: "2000-04-23", 2008: "2008-03-23",
		2011: "2011-04-24", 2019: "2019-04-21", 2024: "2024-03-31", 2025: "2025-04-20",
		2026: "2026-04-05", 2038: "2038-04-25", 2100: "2100-03-28",
	} {
		if got := EasterSunday(s).String(); got != want {
			t.Errorf("EasterSunday(%d) = %s, want %s", s, got, want)
		}
	}
}

func TestHolidaysOfYear(t *testing.T) {
	c := EnglandAndWales()
	hs := c.Holidays(2025)
	want := []string{
		"2025-01-01 New Year's Day", "2025-04-18 Good Friday", "2025-04-21 Easter Monday",
		"2025-05-05 Early May bank holiday", "2025-05-26 Spring bank holiday",
		"2025-08-25 Summer bank holiday", "2025-12-25 Christmas Day", "2025-12-26 Boxing Day",
	}
	var got []string
	for _, h := range hs {
		got = append(got, h.Date.String()+" "+h.Name)
		if h.Provisional {
			t.Errorf("%v is provisional", h)
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("Holidays(2025) =\n%q\nwant\n%q", got, want)
	}
	for _, h := range c.Holidays(2030) {
		if !h.Provisional {
			t.Errorf("2030 holiday %v not provisional", h)
		}
	}
	if len(c.Holidays(2022)) != 10 || len(c.Holidays(1989)) != 0 || len(c.Holidays(2101)) != 0 {
		t.Error("Holidays: wrong counts for 2022, 1989 or 2101")
	}
	hs[0].Name = "changed"
	if c.Holidays(2025)[0].Name == "changed" {
		t.Error("Holidays returned the calendar's own slice")
	}
	if c.Provisional(NewDate(2027, 12, 31)) || !c.Provisional(NewDate(2028, 1, 1)) || !c.Provisional(NewDate(1994, 6, 1)) {
		t.Error("Provisional wrong around the official years")
	}
	if first, last := c.OfficialYears(); first != 1995 || last != 2027 {
		t.Errorf("OfficialYears = %d, %d", first, last)
	}
}

package workday

import (
	"encoding/json"
	"errors"
	"testing"
	"time"
)

func TestDateAgreesWithTime(t *testing.T) {
	// Every day from 1600 to 2500, and a sample across the whole range.
	start := time.Date(1600, time.January, 1, 0, 0, 0, 0, time.UTC)
	d := NewDate(1600, time.January, 1)
	for tt := start; tt.Year() <= 2500; tt = tt.AddDate(0, 0, 1) {
		y, m, dd := tt.Date()
		if d.Year() != y || d.Month() != m || d.Day() != dd || d.Weekday() != tt.Weekday() {
			t.Fatalf("%v: Date %d-%d-%d %v", tt, d.Year(), d.Month(), d.Day(), d.Weekday())
		}
		if got := DateOf(tt); got != d {
			t.Fatalf("DateOf(%v) = %v, want %v", tt, got, d)
		}
		if got := d.String(); got != tt.Format(time.DateOnly) {
			t.Fatalf("String = %q, want %q", got, tt.Format(time.DateOnly))
		}
		d = d.AddDays(1)
	}
	for _, s := range []string{"0001-01-01", "0004-02-29", "1900-02-28", "2000-02-29", "9999-12-31"} {
		d, err := ParseDate(s)
		if err != nil || d.String() != s {
			t.Errorf("ParseDate(%q) = %v, %v", s, d, err)
		}
	}
}

func TestNewDateNormalises(t *testing.T) {
	tests := []struct {
		y    int
		m    time.Month
		d    int
		want string
	}{
		{2025, time.February, 29, "2025-03-01"},
		{2024, time.February, 29, "2024-02-29"},
		{2025, time.April, 0, "2025-03-31"},
		{2025, 13, 1, "2026-01-01"},
		{2025, 0, 1, "2024-12-01"},
		{2025, -11, 1, "2024-01-01"},
		{2025, time.January, 366, "2026-01-01"},
		{0, time.December, 31, ""},
		{1, time.January, 1, "0001-01-01"},
		{10000, time.January, 1, ""},
	}
	for _, tc := range tests {
		if got := NewDate(tc.y, tc.m, tc.d).String(); got != tc.want {
			t.Errorf("NewDate(%d, %d, %d) = %q, want %q", tc.y, tc.m, tc.d, got, tc.want)
		}
	}
}

func TestParseDateStrict(t *testing.T) {
	for _, s := range []string{
		"", "2025-4-14", "2025-04-14 ", " 2025-04-14", "2025/04/14", "20250414",
		"2025-02-29", "2025-04-31", "2025-13-01", "2025-00-10", "2025-01-00", "0000-01-01",
		"+025-04-14", "2025-04-1x", "14-04-2025", "2025-04-14T00:00:00Z",
	} {
		if d, err := ParseDate(s); err == nil || !errors.Is(err, ErrBadDate) {
			t.Errorf("ParseDate(%q) = %v, %v; want ErrBadDate", s, d, err)
		}
	}
}

func TestZeroDate(t *testing.T) {
	var z Date
	if !z.IsZero() || z.String() != "" || z.Format("Mon 2 Jan 2006") != "" {
		t.Errorf("zero Date: IsZero %v, String %q", z.IsZero(), z.String())
	}
	if !z.AddDays(1).IsZero() {
		t.Error("zero.AddDays(1) is not zero")
	}
	if NewDate(2025, 1, 1).IsZero() {
		t.Error("2025-01-01 IsZero")
	}
}

func TestCompare(t *testing.T) {
	a, b := NewDate(2025, 4, 14), NewDate(2025, 4, 15)
	if !a.Before(b) || a.After(b) || a.Compare(b) != -1 || b.Compare(a) != 1 || a.Compare(a) != 0 {
		t.Error("Before/After/Compare wrong")
	}
	if b.DaysSince(a) != 1 || a.DaysSince(b) != -1 {
		t.Error("DaysSince wrong")
	}
	m := map[Date]int{a: 1}
	if m[NewDate(2025, 4, 14)] != 1 {
		t.Error("Date not usable as a map key")
	}
}

func TestTextAndJSON(t *testing.T) {
	type doc struct {
		Due  Date  `json:"due"`
		Opt  Date  `json:"opt"`
		Ptrs *Date `json:"ptr"`
	}
	d := NewDate(2025, 4, 14)
	b, err := json.Marshal(doc{Due: d, Ptrs: &d})
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"due":"2025-04-14","opt":"","ptr":"2025-04-14"}`; string(b) != want {
		t.Errorf("Marshal = %s, want %s", b, want)
	}
	var got doc
	if err := json.Unmarshal(b, &got); err != nil || got.Due != d || !got.Opt.IsZero() || *got.Ptrs != d {
		t.Errorf("Unmarshal = %+v, %v", got, err)
	}
	if err := json.Unmarshal([]byte(`{"due":"2025-02-30"}`), &got); err == nil {
		t.Error("Unmarshal accepted 2025-02-30")
	}
}

func TestFormat(t *testing.T) {
	if got := NewDate(2025, 4, 25).Format("Mon 2 Jan 2006"); got != "Fri 25 Apr 2025" {
		t.Errorf("Format = %q", got)
	}
}

func TestEndOfDayAcrossClockChanges(t *testing.T) {
	london, err := time.LoadLocation("Europe/London")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	tests := []struct {
		d       Date
		wantUTC string // the instant, in UTC
		dayLen  time.Duration
	}{
		{NewDate(2025, 3, 29), "2025-03-29T23:59:59.999999999Z", 24 * time.Hour},  // GMT
		{NewDate(2025, 3, 30), "2025-03-30T22:59:59.999999999Z", 23 * time.Hour},  // clocks go forward
		{NewDate(2025, 7, 1), "2025-07-01T22:59:59.999999999Z", 24 * time.Hour},   // BST
		{NewDate(2025, 10, 26), "2025-10-26T23:59:59.999999999Z", 25 * time.Hour}, // clocks go back
		{NewDate(2024, 12, 31), "2024-12-31T23:59:59.999999999Z", 24 * time.Hour}, // GMT
	}
	for _, tc := range tests {
		end := EndOfDay(tc.d, london)
		if got := end.UTC().Format(time.RFC3339Nano); got != tc.wantUTC {
			t.Errorf("EndOfDay(%v) = %s, want %s", tc.d, got, tc.wantUTC)
		}
		if got := end.Format("15:04:05.999999999"); got != "23:59:59.999999999" {
			t.Errorf("EndOfDay(%v) local time %s", tc.d, got)
		}
		if DateOf(end) != tc.d || DateOf(end.Add(time.Nanosecond)) != tc.d.AddDays(1) {
			t.Errorf("EndOfDay(%v) is not the last instant of the day", tc.d)
		}
		if got := end.Add(time.Nanosecond).Sub(tc.d.Time(london)); got != tc.dayLen {
			t.Errorf("%v lasts %v, want %v", tc.d, got, tc.dayLen)
		}
	}
	// A configured end time: 17:00 local on both sides of a change.
	if got := NewDate(2025, 3, 31).At(17, 0, 0, 0, london).UTC().Format(time.RFC3339); got != "2025-03-31T16:00:00Z" {
		t.Errorf("At 17:00 on 31 Mar 2025 = %s", got)
	}
	if got := NewDate(2025, 3, 28).At(17, 0, 0, 0, london).UTC().Format(time.RFC3339); got != "2025-03-28T17:00:00Z" {
		t.Errorf("At 17:00 on 28 Mar 2025 = %s", got)
	}
}

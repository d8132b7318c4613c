package childdata

import (
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/ofsted/focusedvisits/internal/workday"
	"golang.org/x/text/encoding/charmap"
)

// Plausible dates: anything outside is a typing slip, not a date of birth or
// a case date.
const (
	minYear = 1900
	maxYear = 2199
)

// ParseDate reads a date as people and spreadsheets write it: ISO
// (2024-12-25), dd/mm/yyyy or d/m/yyyy (with /, - or . between), an ISO
// date-time's date part, and, when serial is true (values from an .xlsx
// file), an Excel serial date such as 45651. Two-digit years are refused as
// ambiguous.
func ParseDate(s string, serial bool) (workday.Date, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return workday.Date{}, false
	}
	if serial {
		if d, ok := excelSerial(s); ok {
			return d, true
		}
	}
	// An ISO date-time ("2024-12-25T00:00:00" or "2024-12-25 00:00:00").
	if len(s) > 10 && (s[10] == 'T' || s[10] == ' ') && s[4] == '-' {
		s = s[:10]
	}
	parts := splitDate(s)
	if len(parts) != 3 {
		return workday.Date{}, false
	}
	var y, m, d int
	var ok bool
	if len(parts[0]) == 4 {
		y, m, d, ok = atoi3(parts[0], parts[1], parts[2])
	} else if len(parts[2]) == 4 && len(parts[0]) <= 2 && len(parts[1]) <= 2 {
		d, m, y, ok = atoi3(parts[0], parts[1], parts[2])
	}
	if !ok || y < minYear || y > maxYear || m < 1 || m > 12 || d < 1 || d > 31 {
		return workday.Date{}, false
	}
	date := workday.NewDate(y, time.Month(m), d)
	if date.Day() != d {
		return workday.Date{}, false // 31/02/2024
	}
	return date, true
}

// splitDate splits on one kind of separator: /, - or .
func splitDate(s string) []string {
	for _, sep := range []string{"/", "-", "."} {
		if strings.Contains(s, sep) {
			return strings.Split(s, sep)
		}
	}
	return nil
}

func atoi3(a, b, c string) (int, int, int, bool) {
	x, ok1 := digits(a)
	y, ok2 := digits(b)
	z, ok3 := digits(c)
	return x, y, z, ok1 && ok2 && ok3
}

// digits parses 1 to 4 ASCII digits.
func digits(s string) (int, bool) {
	if len(s) == 0 || len(s) > 4 {
		return 0, false
	}
	n := 0
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return 0, false
		}
		n = n*10 + int(s[i]-'0')
	}
	return n, true
}

// excelEpoch is day 0 of Excel's 1900 date system, allowing for its
// fictitious 29 February 1900 (serials from 61 on are one day ahead).
var excelEpoch = workday.NewDate(1899, time.December, 30)

// excelSerial reads an Excel serial date (a whole or fractional number of
// days); a time of day is dropped.
func excelSerial(s string) (workday.Date, bool) {
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 61 || f > 150000 { // 1900-03-01 to about 2310
		return workday.Date{}, false
	}
	d := excelEpoch.AddDays(int(f))
	if d.Year() < minYear || d.Year() > maxYear {
		return workday.Date{}, false
	}
	return d, true
}

// ParseYesNo reads Y, N, Yes or No in any case.
func ParseYesNo(s string) (bool, bool) {
	switch strings.ToLower(strings.TrimSpace(s)) {
	case "y", "yes":
		return true, true
	case "n", "no":
		return false, true
	}
	return false, false
}

// ParseLawType reads public or private ("Public law", "PL", "Private" …).
func ParseLawType(s string) (string, bool) {
	switch Normalise(s) {
	case "public", "publiclaw", "pub", "pl":
		return Public, true
	case "private", "privatelaw", "priv", "prl", "pvt":
		return Private, true
	}
	return "", false
}

// caseTypeIndex maps each normalised spelling of a case type to it.
func (s *Schema) caseTypeIndex() map[string]int {
	idx := map[string]int{}
	for i, ct := range s.CaseTypes {
		for _, n := range append([]string{ct.Code, ct.Label}, ct.Aliases...) {
			if k := Normalise(n); k != "" {
				if _, taken := idx[k]; !taken {
					idx[k] = i
				}
			}
		}
	}
	return idx
}

// ParseCaseType finds the case type s names.
func (s *Schema) ParseCaseType(v string) (CaseTypeDef, bool) {
	i, ok := s.caseTypeIndex()[Normalise(v)]
	if !ok {
		return CaseTypeDef{}, false
	}
	return s.CaseTypes[i], true
}

// maxValueLen bounds one value, in characters.
const maxValueLen = 500

// cleanText makes a value safe to store and show: valid UTF-8 (bytes that
// are not are read as Windows-1252, as Excel's plain "CSV" export writes),
// no control characters, trimmed.
func cleanText(s string) string {
	if !utf8.ValidString(s) {
		if d, err := charmap.Windows1252.NewDecoder().String(s); err == nil {
			s = d
		} else {
			s = strings.ToValidUTF8(s, "\uFFFD")
		}
	}
	if needsClean(s) {
		s = strings.Map(func(r rune) rune {
			if r == '\t' || r == '\n' || r == '\r' {
				return ' '
			}
			if unicode.IsControl(r) || r == '\uFEFF' {
				return -1
			}
			return r
		}, s)
	}
	return strings.TrimSpace(s)
}

// needsClean reports whether s has anything cleanText would change besides
// surrounding spaces: the common case allocates nothing.
func needsClean(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 || c == 0x7f || c >= 0x80 {
			if c >= 0x80 {
				// Only the BOM and C1 controls matter among multi-byte runes.
				return strings.ContainsRune(s[i:], '\uFEFF') || strings.ContainsFunc(s[i:], unicode.IsControl)
			}
			return true
		}
	}
	return false
}

package childdata_test

import (
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/ofsted/focusedvisits/internal/childdata"
)

// FuzzNormalise: normalising never panics, is idempotent, and leaves only
// lower-case letters and digits.
func FuzzNormalise(f *testing.F) {
	for _, s := range []string{"Child seen (Y/N)", "D.O.B.", "Y/N", "y n y n", "(", "a)b(", "İstanbul", "ǅ", "\uFEFFCase ID", "yes/no yes no", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n := childdata.Normalise(s)
		if again := childdata.Normalise(n); again != n {
			t.Errorf("Normalise(%q) = %q, but Normalise(%q) = %q", s, n, n, again)
		}
		for _, r := range n {
			if !(unicode.IsLetter(r) || unicode.IsDigit(r)) || unicode.ToLower(r) != r {
				t.Errorf("Normalise(%q) = %q keeps %q", s, n, r)
			}
		}
	})
}

// FuzzMatchHeader: any header row matches each field to at most one
// column, never panics, and the issues point at real columns; a header
// built from a field's own label always matches that field.
func FuzzMatchHeader(f *testing.F) {
	f.Add(header)
	f.Add("Case ref,Case number,DOB")
	f.Add(",,,")
	f.Add("Child seen (Y/N),child_seen,CHILD SEEN")
	s := childdata.AnnexA2025()
	f.Fuzz(func(t *testing.T, line string) {
		cols := strings.Split(line, ",")
		h, issues := s.MatchHeader(cols)
		used := map[int]string{}
		for _, fd := range s.Fields {
			c := h.Column(fd.Key)
			if c < -1 || c >= len(cols) {
				t.Fatalf("%s at column %d of %d", fd.Key, c, len(cols))
			}
			if c >= 0 {
				if o, ok := used[c]; ok {
					t.Errorf("column %d matches %s and %s", c, o, fd.Key)
				}
				used[c] = fd.Key
			}
		}
		for _, is := range issues {
			if is.Row != 1 || is.Message == "" || !utf8.ValidString(is.Message) {
				t.Errorf("issue %+v", is)
			}
		}
		// Appending a field's label in a fresh column matches it unless an
		// earlier column already did (then it is a duplicate error).
		for _, fd := range s.Fields {
			if h.Has(fd.Key) {
				continue
			}
			h2, _ := s.MatchHeader(append(cols[:len(cols):len(cols)], strings.ToUpper(fd.Label)))
			if h2.Column(fd.Key) != len(cols) {
				t.Errorf("label %q appended to %q did not match", fd.Label, line)
			}
			break
		}
	})
}

// FuzzCheck: any CSV checks without panicking, with consistent counts,
// bounded issue lists, and only clean values in accepted rows.
func FuzzCheck(f *testing.F) {
	f.Add(csvOf(good))
	f.Add(csvOf(good, good, with("DOB", "31/02/2015"), with("Law type", "x"), with("Local authority", "")))
	f.Add(csvOf(with("Case end date", "45651"), with("Child seen (Y/N)", "\xff")))
	f.Add("Case ID\n\"unterminated")
	f.Add("")
	f.Add("\xEF\xBB\xBF" + header + "\n,,\n")
	f.Fuzz(func(t *testing.T, csv string) {
		accepted := 0
		res, err := childdata.Check(childdata.NewCSV(strings.NewReader(csv)), cover, childdata.Options{Today: today, MaxIssues: 5,
			Accept: func(r *childdata.Row) error {
				accepted++
				for _, v := range []string{r.CaseID, r.ChildID, r.CaseName, r.Team, r.ServiceArea, r.Practitioner} {
					if v == "" || !utf8.ValidString(v) || strings.TrimSpace(v) != v || strings.ContainsFunc(v, unicode.IsControl) {
						t.Errorf("row %d: required value %q", r.Number, v)
					}
				}
				if r.LawType != childdata.Public && r.LawType != childdata.Private {
					t.Errorf("row %d: law type %q", r.Number, r.LawType)
				}
				if r.DateOfBirth.IsZero() || r.DateOfBirth.After(today) || r.CaseEnd.Before(r.CaseStart) {
					t.Errorf("row %d: dates %v %v %v", r.Number, r.DateOfBirth, r.CaseStart, r.CaseEnd)
				}
				return nil
			}})
		if err != nil {
			t.Fatal(err)
		}
		if accepted != res.AcceptedRows || res.AcceptedRows > res.Rows {
			t.Errorf("accepted %d, AcceptedRows %d, Rows %d", accepted, res.AcceptedRows, res.Rows)
		}
		if len(res.Errors) > 5 || len(res.Queries) > 5 || res.ErrorCount < len(res.Errors) || res.QueryCount < len(res.Queries) {
			t.Errorf("issues %d/%d errors %d/%d queries", len(res.Errors), res.ErrorCount, len(res.Queries), res.QueryCount)
		}
		if res.Accepted() && res.AcceptedRows != res.Rows {
			t.Errorf("accepted list with %d of %d rows", res.AcceptedRows, res.Rows)
		}
		for _, is := range append(res.Errors, res.Queries...) {
			if is.Message == "" || !utf8.ValidString(is.Message) || is.Row < 0 {
				t.Errorf("issue %+v", is)
			}
		}
	})
}

// FuzzParseDate: a date read is a plausible date that reads back the same
// in ISO and dd/mm/yyyy.
func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2024-12-25", "25/12/2024", "5/1/2024", "45651", "1e5", "29/02/2025", "-1/-1/-1"} {
		f.Add(s, true)
	}
	f.Fuzz(func(t *testing.T, s string, serial bool) {
		d, ok := childdata.ParseDate(s, serial)
		if !ok {
			if !d.IsZero() {
				t.Errorf("ParseDate(%q) failed but returned %v", s, d)
			}
			return
		}
		if d.Year() < 1900 || d.Year() > 2199 {
			t.Errorf("ParseDate(%q) = %v", s, d)
		}
		for _, back := range []string{d.String(), d.Format("02/01/2006"), d.Format("2/1/2006")} {
			if d2, ok := childdata.ParseDate(back, false); !ok || d2 != d {
				t.Errorf("ParseDate(%q) = %v, but %q reads as %v", s, d, back, d2)
			}
		}
	})
}

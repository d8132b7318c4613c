package childdata

import (
	"fmt"
	"strings"
	"unicode"
)

// Normalise folds a header or a coded value for matching: lower case, with
// anything in brackets, every character other than letters and digits, and
// a trailing "Y/N" or "Yes/No" removed. "Child seen (Y/N)", "child_seen" and
// "CHILD SEEN" all become "childseen"; "r16.4" becomes "r164".
// Normalise(Normalise(s)) == Normalise(s).
func Normalise(s string) string {
	var words []string
	var b strings.Builder
	depth := 0
	flush := func() {
		if b.Len() > 0 {
			words = append(words, b.String())
			b.Reset()
		}
	}
	for _, r := range s {
		switch {
		case r == '(' || r == '[' || r == '{':
			depth++
			flush()
		case (r == ')' || r == ']' || r == '}') && depth > 0:
			depth--
			flush()
		case depth > 0:
		default:
			r = unicode.ToLower(r)
			if isWordRune(r) {
				b.WriteRune(r)
			} else {
				flush()
			}
		}
	}
	flush()
	if depth > 0 && len(words) == 0 {
		// An unclosed bracket: read it as text rather than lose it all.
		return normaliseFlat(s)
	}
	// Drop a trailing Y/N or Yes/No marker, but never the whole header.
	for len(words) > 1 {
		n := len(words)
		switch {
		case words[n-1] == "yn":
			words = words[:n-1]
		case n > 2 && words[n-2] == "y" && words[n-1] == "n",
			n > 2 && words[n-2] == "yes" && words[n-1] == "no":
			words = words[:n-2]
		default:
			return strings.Join(words, "")
		}
	}
	return strings.Join(words, "")
}

// normaliseFlat keeps the letters and digits of s, lower-cased.
func normaliseFlat(s string) string {
	var b strings.Builder
	for _, r := range s {
		r = unicode.ToLower(r)
		if isWordRune(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isWordRune reports whether r survives normalisation: a letter or digit
// that lower-casing leaves alone, so that normalising again changes nothing.
func isWordRune(r rune) bool {
	return (unicode.IsLetter(r) || unicode.IsDigit(r)) && unicode.ToLower(r) == r
}

// Header is how a file's columns map to a schema's fields.
type Header struct {
	schema *Schema
	// col[i] is the column (0-based) of schema field i, or -1 if absent.
	col []int
	// names are the headers as given, by column.
	names []string
}

// Column returns the column (0-based) of the field with the key, or -1.
func (h *Header) Column(key string) int {
	for i, f := range h.schema.Fields {
		if f.Key == key {
			return h.col[i]
		}
	}
	return -1
}

// Has reports whether the file has a column for the field.
func (h *Header) Has(key string) bool { return h.Column(key) >= 0 }

// Matches lists, for each field found, the header that matched it.
func (h *Header) Matches() []ColumnMatch {
	var ms []ColumnMatch
	for i, f := range h.schema.Fields {
		if c := h.col[i]; c >= 0 {
			ms = append(ms, ColumnMatch{Field: f.Key, Label: f.Label, Column: ColumnName(c), Header: h.names[c]})
		}
	}
	return ms
}

// ColumnMatch says which column of the file holds a field.
type ColumnMatch struct {
	Field, Label string
	// Column is the spreadsheet column letter ("C").
	Column string
	// Header is the header as given in the file.
	Header string
}

// ColumnName is the spreadsheet letter of a 0-based column: 0 is A, 26 AA.
func ColumnName(i int) string {
	if i < 0 {
		return ""
	}
	var b []byte
	for i++; i > 0; i = (i - 1) / 26 {
		b = append([]byte{byte('A' + (i-1)%26)}, b...)
	}
	return string(b)
}

// headerIndex maps each normalised name (key, label, aliases) to a field.
func (s *Schema) headerIndex() map[string]int {
	idx := map[string]int{}
	for i, f := range s.Fields {
		for _, n := range append([]string{f.Key, f.Label}, f.Aliases...) {
			if k := Normalise(n); k != "" {
				if _, taken := idx[k]; !taken {
					idx[k] = i
				}
			}
		}
	}
	return idx
}

// MatchHeader matches a file's header row to the schema's fields, in any
// order. A column matching no field is a query (it will be ignored); two
// columns matching one field, or a required field with no column, are
// errors. Blank headers are ignored. The issues are on row 1.
func (s *Schema) MatchHeader(headers []string) (*Header, []Issue) {
	h := &Header{schema: s, col: make([]int, len(s.Fields)), names: make([]string, len(headers))}
	for i := range h.col {
		h.col[i] = -1
	}
	idx := s.headerIndex()
	var issues []Issue
	for c, raw := range headers {
		name := cleanText(raw)
		h.names[c] = name
		key := Normalise(name)
		if key == "" {
			continue
		}
		fi, ok := idx[key]
		if !ok {
			issues = append(issues, Issue{Row: 1, Column: ColumnName(c), Header: name, Kind: Query, Code: "unknown_column",
				Message: fmt.Sprintf("Column %s (%q) is not an Annex A field and will be ignored", ColumnName(c), name)})
			continue
		}
		if prev := h.col[fi]; prev >= 0 {
			issues = append(issues, Issue{Row: 1, Column: ColumnName(c), Header: name, Field: s.Fields[fi].Key, Kind: Error, Code: "duplicate_column",
				Message: fmt.Sprintf("Columns %s and %s are both %s: keep one", ColumnName(prev), ColumnName(c), s.Fields[fi].Label)})
			continue
		}
		h.col[fi] = c
	}
	for i, f := range s.Fields {
		if f.Required && h.col[i] < 0 {
			issues = append(issues, Issue{Row: 1, Field: f.Key, Header: f.Label, Kind: Error, Code: "missing_column",
				Message: fmt.Sprintf("There is no %s column: add one", f.Label)})
		}
	}
	return h, issues
}

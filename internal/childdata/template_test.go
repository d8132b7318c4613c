package childdata_test

import (
	"bytes"
	"encoding/csv"
	"io"
	"strings"
	"testing"

	"github.com/ofsted/focusedvisits/internal/childdata"
	"github.com/ofsted/focusedvisits/internal/workday"
)

func mustDate(t *testing.T, s string) workday.Date {
	t.Helper()
	d, err := workday.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestTemplates: the CSV and Excel templates hold the header row alone, and
// it matches every field of the schema, with no issue (issue 15.1).
func TestTemplates(t *testing.T) {
	t.Parallel()
	for _, s := range []*childdata.Schema{childdata.AnnexA2024(), childdata.AnnexA2025()} {
		var c, x bytes.Buffer
		if err := s.WriteTemplateCSV(&c); err != nil {
			t.Fatal(err)
		}
		if err := s.WriteTemplateXLSX(&x); err != nil {
			t.Fatal(err)
		}
		xr, err := childdata.NewXLSX(&x, childdata.XLSXOptions{TmpDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		for name, r := range map[string]childdata.Reader{"csv": childdata.NewCSV(&c), "xlsx": xr} {
			header, err := r.Read()
			if err != nil {
				t.Fatalf("%s %s: %v", s.Name, name, err)
			}
			header = append([]string(nil), header...)
			h, issues := s.MatchHeader(header)
			if h == nil || len(issues) > 0 || len(header) != len(s.Fields) {
				t.Errorf("%s %s: header %q: %d columns, issues %v", s.Name, name, header, len(header), issues)
			}
			if row, err := r.Read(); err != io.EOF {
				t.Errorf("%s %s: a row after the header: %q, %v", s.Name, name, row, err)
			}
		}
	}
}

// TestExamplesAreAccepted: every field has an example, and a list made of
// the header and the examples is accepted without an error.
func TestExamplesAreAccepted(t *testing.T) {
	t.Parallel()
	for _, s := range []*childdata.Schema{childdata.AnnexA2024(), childdata.AnnexA2025()} {
		var b bytes.Buffer
		w := csv.NewWriter(&b)
		var ex []string
		for _, f := range s.Fields {
			if strings.TrimSpace(f.Example) == "" {
				t.Errorf("%s: %s has no example", s.Name, f.Label)
			}
			ex = append(ex, f.Example)
		}
		_ = w.Write(s.HeaderRow())
		_ = w.Write(ex)
		w.Flush()
		cover := childdata.DateRange{From: mustDate(t, "2025-03-31"), To: mustDate(t, "2025-04-11")}
		res, err := childdata.Check(childdata.NewCSV(&b), cover, childdata.Options{Schema: s, Today: mustDate(t, "2025-04-14")})
		if err != nil {
			t.Fatal(err)
		}
		if !res.Accepted() || res.Rows != 1 {
			t.Errorf("%s: the examples: %d rows, errors %v", s.Name, res.Rows, res.Errors)
		}
	}
}

// TestSchemaFor: an item of December 2024's Annex A is checked against
// December 2024's list (the six fields of September 2025 optional), any
// other against the latest.
func TestSchemaFor(t *testing.T) {
	t.Parallel()
	for v, want := range map[string]string{"2024-12": childdata.AnnexA2024().Name, "2025-09": childdata.AnnexA2025().Name, "": childdata.AnnexA2025().Name} {
		if got := childdata.SchemaFor(v).Name; got != want {
			t.Errorf("%q: %s, want %s", v, got, want)
		}
	}
}

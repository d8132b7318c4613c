package childdata_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/ofsted/focusedvisits/internal/childdata"
	"github.com/xuri/excelize/v2"
)

// readAll reads every row of an .xlsx file with the reader under test.
func readAll(t *testing.T, data []byte, l childdata.Limits) ([][]string, error) {
	t.Helper()
	r, err := childdata.NewXLSX(bytes.NewReader(data), childdata.XLSXOptions{TmpDir: t.TempDir(), Limits: l})
	if err != nil {
		return nil, err
	}
	defer r.Close()
	var rows [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			return rows, err
		}
		rows = append(rows, slices.Clone(rec))
	}
}

// trimRows drops empty cells at the end of each row, and empty rows at the
// end, which readers are free to leave out.
func trimRows(rows [][]string) [][]string {
	out := make([][]string, len(rows))
	for i, r := range rows {
		for len(r) > 0 && r[len(r)-1] == "" {
			r = r[:len(r)-1]
		}
		out[i] = r
	}
	for len(out) > 0 && len(out[len(out)-1]) == 0 {
		out = out[:len(out)-1]
	}
	return out
}

// TestNewXLSX_SameAsExcelize reads workbooks written in the ways Excel and
// other tools write them (shared strings, inline strings, rich text, sparse
// cells and rows, booleans, formulas, escapes) and compares every value
// with what excelize reads from the same file, raw.
func TestNewXLSX_SameAsExcelize(t *testing.T) {
	t.Parallel()
	build := map[string]func(f *excelize.File) error{
		"shared strings, numbers, dates, gaps": func(f *excelize.File) error {
			vals := map[string]any{
				"A1": "Case ID", "B1": "Case name", "D1": "DOB", "A2": "C0001", "B2": "Re A & B <children>",
				"D2": time.Date(2015, 2, 1, 0, 0, 0, 0, time.UTC), "E2": 45940, "F2": 3.25, "G2": true, "H2": false,
				"A5": "C0002", "C5": "  spaced  ", "Z5": "far right", "A6": "Zoë, Łódź, 東京", "B6": "line\nbreak",
				"C6": "tab\there", "D6": "_x0008_ literally", "E6": "C0001",
			}
			for cell, v := range vals {
				if err := f.SetCellValue("Sheet1", cell, v); err != nil {
					return err
				}
			}
			return f.SetCellFormula("Sheet1", "F6", "E2+1")
		},
		"rich text": func(f *excelize.File) error {
			if err := f.SetCellValue("Sheet1", "A1", "plain"); err != nil {
				return err
			}
			return f.SetCellRichText("Sheet1", "B1", []excelize.RichTextRun{
				{Text: "bold ", Font: &excelize.Font{Bold: true}}, {Text: "and not"},
			})
		},
		"stream writer": func(f *excelize.File) error {
			sw, err := f.NewStreamWriter("Sheet1")
			if err != nil {
				return err
			}
			for i := 1; i <= 50; i += 3 {
				cell, _ := excelize.CoordinatesToCellName(2, i)
				if err := sw.SetRow(cell, []any{fmt.Sprint("row ", i), i, nil, "x\r\ny", time.Date(2025, 4, i%28+1, 0, 0, 0, 0, time.UTC)}); err != nil {
					return err
				}
			}
			return sw.Flush()
		},
		"second sheet first in order": func(f *excelize.File) error {
			if _, err := f.NewSheet("Other"); err != nil {
				return err
			}
			if err := f.SetCellValue("Other", "A1", "not read"); err != nil {
				return err
			}
			return f.SetCellValue("Sheet1", "A1", "read")
		},
	}
	for name, fill := range build {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			f := excelize.NewFile()
			defer f.Close()
			if err := fill(f); err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			if err := f.Write(&buf); err != nil {
				t.Fatal(err)
			}
			want, err := f.GetRows("Sheet1", excelize.Options{RawCellValue: true})
			if err != nil {
				t.Fatal(err)
			}
			// Read back through a fresh excelize too, as written.
			g, err := excelize.OpenReader(bytes.NewReader(buf.Bytes()))
			if err != nil {
				t.Fatal(err)
			}
			defer g.Close()
			if want, err = g.GetRows(g.GetSheetList()[0], excelize.Options{RawCellValue: true}); err != nil {
				t.Fatal(err)
			}
			got, err := readAll(t, buf.Bytes(), childdata.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(trimRows(want), trimRows(got), cmpopts.EquateEmpty()); diff != "" {
				t.Errorf("rows (-excelize +ours):\n%s", diff)
			}
		})
	}
}

// part is one part of a hand-made workbook. declared, when not 0, is the
// size the zip's directory claims.
type part struct {
	name     string
	body     []byte
	declared uint64
}

var minimalParts = []part{
	{name: "[Content_Types].xml", body: []byte(`<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/></Types>`)},
	{name: "_rels/.rels", body: []byte(`<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`)},
	{name: "xl/workbook.xml", body: []byte(`<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`)},
	{name: "xl/_rels/workbook.xml.rels", body: []byte(`<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>`)},
	{name: "xl/sharedStrings.xml", body: []byte(`<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>Case ID</t></si></sst>`)},
	{name: "xl/worksheets/sheet1.xml", body: []byte(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2"><v>1</v></c></row></sheetData></worksheet>`)},
}

// workbook zips the minimal workbook with the parts given added or
// replacing its own.
func workbook(t testing.TB, extra ...part) []byte {
	t.Helper()
	parts := slices.Clone(minimalParts)
	for _, e := range extra {
		if i := slices.IndexFunc(parts, func(p part) bool { return p.name == e.name }); i >= 0 {
			parts[i] = e
		} else {
			parts = append(parts, e)
		}
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, p := range parts {
		var raw bytes.Buffer
		fl, _ := flate.NewWriter(&raw, flate.BestCompression)
		fl.Write(p.body)
		fl.Close()
		size := uint64(len(p.body))
		if p.declared != 0 {
			size = p.declared
		}
		w, err := zw.CreateRaw(&zip.FileHeader{Name: p.name, Method: zip.Deflate, CRC32: crc32.ChecksumIEEE(p.body),
			CompressedSize64: uint64(raw.Len()), UncompressedSize64: size})
		if err != nil {
			t.Fatal(err)
		}
		w.Write(raw.Bytes())
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func styles(n int) []byte {
	return append(append([]byte(`<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`),
		bytes.Repeat([]byte(" "), n)...), `</styleSheet>`...)
}

// TestNewXLSX_Limits: a workbook over a limit is refused before it costs
// what it claims, with a FormatError whose message names the limit; one
// just under the limits is read.
func TestNewXLSX_Limits(t *testing.T) {
	t.Parallel()
	l := childdata.Limits{MaxUnzipped: 4 << 20, MaxPart: 1 << 20, MaxLine: 4 << 10}
	sheet := func(rows string) part {
		return part{name: "xl/worksheets/sheet1.xml", body: []byte(`<worksheet><sheetData>` + rows + `</sheetData></worksheet>`)}
	}
	wide := `<row r="1">` + strings.Repeat(`<c t="inlineStr"><is><t>abcdefghij</t></is></c>`, 100) + `</row>`
	tests := []struct {
		name string
		data []byte
		want string // in the message; "" means it is read
	}{
		{"within the limits", workbook(t, part{name: "xl/styles.xml", body: styles(900 << 10)}), ""},
		{"styles bomb", workbook(t, part{name: "xl/styles.xml", body: styles(8 << 20)}), "the file is too large once unzipped: the limit is 4 MB"},
		{"styles bomb, declared size a lie", workbook(t, part{name: "xl/styles.xml", body: styles(8 << 20), declared: 1 << 10}),
			"its part xl/styles.xml is over 1 MB, the limit for each part other than the worksheet"},
		{"a part over its limit", workbook(t, part{name: "xl/styles.xml", body: styles(2 << 20)}), "its part xl/styles.xml is over 1 MB"},
		{"shared strings bomb", workbook(t, part{name: "xl/sharedStrings.xml", body: append(append([]byte(`<sst>`),
			bytes.Repeat([]byte(`<si><t>x</t></si>`), 2<<20/17)...), `</sst>`...)}), "its part xl/sharedStrings.xml is over 1 MB"},
		{"worksheet bomb", workbook(t, sheet(strings.Repeat(`<row/>`, 5<<20/6))), "the file is too large once unzipped: the limit is 4 MB"},
		{"worksheet bomb, declared size a lie", workbook(t, part{name: "xl/worksheets/sheet1.xml", declared: 100,
			body: []byte(`<worksheet><sheetData>` + strings.Repeat(`<row/>`, 5<<20/6) + `</sheetData></worksheet>`)}),
			"the file is too large once unzipped: the limit is 4 MB"},
		{"a row too long", workbook(t, sheet(wide)), "row 1 is longer than the limit of 4 KB"},
		{"a text too long", workbook(t, sheet(`<row><c t="inlineStr"><is><t>`+strings.Repeat("x", 5<<10)+`</t></is></c></row>`)), "longer than the limit of 4 KB"},
		{"whitespace between rows", workbook(t, sheet(`<row/>`+strings.Repeat(" ", 5<<10)+`<row/>`)), "longer than the limit of 4 KB"},
		{"a comment too long", workbook(t, sheet(`<!--`+strings.Repeat("<a>", 2<<10)+`-->`)), "longer than the limit of 4 KB"},
		{"a tag too long", workbook(t, sheet(`<row r="1" x="`+strings.Repeat(">", 5<<10)+`"/>`)), "longer than the limit of 4 KB"},
		{"a shared string too long", workbook(t, part{name: "xl/sharedStrings.xml", body: []byte(`<sst><si>` +
			strings.Repeat(`<r><t>ab</t></r>`, 400) + `</si></sst>`)}), "a text in the file is longer than the limit of 4 KB"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := readAll(t, tt.data, l)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var fe *childdata.FormatError
			if !errors.As(err, &fe) || !errors.Is(err, childdata.ErrTooLarge) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("err = %v, want a FormatError over a limit saying %q", err, tt.want)
			}
			if is := childdata.FormatIssue(fe); is.Code != "too_large" || !strings.Contains(is.Message, tt.want[1:]) {
				t.Errorf("issue %+v", is)
			}
		})
	}
}

func TestNewXLSX_DamagedAndOdd(t *testing.T) {
	t.Parallel()
	bad := workbook(t)
	// Flip a byte of the last part's compressed data: its checksum fails.
	i := bytes.LastIndex(bad, []byte("PK\x01\x02")) // the central directory
	j := bytes.LastIndex(bad[:i], []byte("sheet1.xml")) + len("sheet1.xml") + 3
	bad = slices.Clone(bad)
	bad[j] ^= 0x55
	var many bytes.Buffer
	zw := zip.NewWriter(&many)
	for i := range 10_001 {
		zw.Create(fmt.Sprint("x/", i))
	}
	zw.Close()
	for name, tt := range map[string]struct {
		data []byte
		want string
	}{
		"damaged":             {bad, "the file is damaged"},
		"too many parts":      {many.Bytes(), "more parts than a workbook may have"},
		"document type":       {workbook(t, part{name: "xl/worksheets/sheet1.xml", body: []byte(`<!DOCTYPE x [<!ENTITY a "b">]><worksheet/>`)}), "document type declaration"},
		"no sheets":           {workbook(t, part{name: "xl/workbook.xml", body: []byte(`<workbook><sheets/></workbook>`)}), "no worksheets"},
		"shared string index": {workbook(t, part{name: "xl/worksheets/sheet1.xml", body: []byte(`<worksheet><sheetData><row><c t="s"><v>7</v></c></row></sheetData></worksheet>`)}), "shared text that is not in the file"},
		"row number":          {workbook(t, part{name: "xl/worksheets/sheet1.xml", body: []byte(`<worksheet><sheetData><row r="2000000"/></sheetData></worksheet>`)}), "row number"},
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			_, err := readAll(t, tt.data, childdata.Limits{})
			var fe *childdata.FormatError
			if !errors.As(err, &fe) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want a FormatError saying %q", err, tt.want)
			}
		})
	}
	// Rows the worksheet skips are read as empty rows, so row numbers stay
	// those Excel shows.
	rows, err := readAll(t, workbook(t, part{name: "xl/worksheets/sheet1.xml", body: []byte(
		`<worksheet><sheetData><row r="1"><c r="B1" t="inlineStr"><is><t>b</t></is></c></row><row r="4"><c r="A4"><v>4</v></c></row></sheetData></worksheet>`)}), childdata.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([][]string{{"", "b"}, {}, {}, {"4"}}, rows, cmp.Comparer(func(a, b []string) bool { return slices.Equal(a, b) })); diff != "" {
		t.Errorf("rows (-want +got):\n%s", diff)
	}
}

// TestNewCSV_Limits: a line longer than the limit stops the read with a
// message naming it, whether the length is on one line or in quotes across
// many; a long file of short lines is read.
func TestNewCSV_Limits(t *testing.T) {
	t.Parallel()
	l := childdata.Limits{MaxLine: 100}
	read := func(s string) error {
		r := childdata.NewCSVWithin(strings.NewReader(s), l)
		for {
			if _, err := r.Read(); err != nil {
				if err == io.EOF {
					return nil
				}
				return err
			}
		}
	}
	if err := read(strings.Repeat("a,b,\"c,\"\"d\"\"\"\n", 10_000)); err != nil {
		t.Errorf("short lines refused: %v", err)
	}
	for name, s := range map[string]string{
		"one long line":            "a,b\n" + strings.Repeat("x", 200) + "\n",
		"quoted across many lines": "a,b\n\"" + strings.Repeat("x\n", 100) + "\"\n",
	} {
		err := read(s)
		var fe *childdata.FormatError
		if !errors.As(err, &fe) || fe.Row != 2 || !errors.Is(err, childdata.ErrTooLarge) || !strings.Contains(err.Error(), "row 2 is longer than the limit of 100 bytes") {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

// TestNewXLSX_SharedTextIsNotCopied: a row may name one long shared text in
// every cell; reading it must not copy the text for each cell (3,000 cells
// of a 60 KB text would be 180 MB a row). Not parallel: it counts the
// bytes the whole process allocates.
func TestNewXLSX_SharedTextIsNotCopied(t *testing.T) {
	long := strings.Repeat("x", 60<<10)
	row := `<row>` + strings.Repeat(`<c t="s"><v>1</v></c>`, 3000) + `</row>`
	data := workbook(t,
		part{name: "xl/sharedStrings.xml", body: []byte(`<sst><si><t>Case ID</t></si><si><t>` + long + `</t></si></sst>`)},
		part{name: "xl/worksheets/sheet1.xml", body: []byte(`<worksheet><sheetData>` + strings.Repeat(row, 10) + `</sheetData></worksheet>`)})
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	rows, err := readAll(t, data, childdata.Limits{MaxLine: 128 << 10})
	runtime.ReadMemStats(&after)
	if err != nil || len(rows) != 10 || len(rows[9]) != 3000 || rows[9][2999] != long {
		t.Fatalf("%d rows, %v", len(rows), err)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 64<<20 {
		t.Errorf("reading allocated %d MB", n>>20)
	}
}

// FuzzNewXLSX: whatever a workbook's worksheet and shared strings hold, the
// reader never panics, never returns a row wider than Excel allows, and
// fails only with a *FormatError.
func FuzzNewXLSX(f *testing.F) {
	f.Add(`<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="C1" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>`,
		`<sst><si><t>Case ID</t></si><si><r><t>a</t></r><rPh><t>b</t></rPh></si></sst>`)
	f.Add(`<worksheet><sheetData><row r="3"/><row><c r="XFD4"><v>1</v></c></row></sheetData></worksheet>`, `<sst/>`)
	f.Add(`<worksheet><sheetData><row><c t="s"><v>-1</v></c></row><!-- <row> --><![CDATA[<row>]]></sheetData></worksheet>`, `<sst><si><t>_x0041__x005F_x0042_</t></si></sst>`)
	f.Add(`<?xml version="1.0" encoding="UTF-16"?><worksheet/>`, `<!DOCTYPE x><sst/>`)
	f.Fuzz(func(t *testing.T, sheet, sst string) {
		data := workbook(t, part{name: "xl/worksheets/sheet1.xml", body: []byte(sheet)}, part{name: "xl/sharedStrings.xml", body: []byte(sst)})
		r, err := childdata.NewXLSX(bytes.NewReader(data), childdata.XLSXOptions{TmpDir: t.TempDir(), Limits: childdata.Limits{MaxLine: 4 << 10}})
		var fe *childdata.FormatError
		if err != nil {
			if !errors.As(err, &fe) {
				t.Fatalf("open: %v is not a FormatError", err)
			}
			return
		}
		defer r.Close()
		for range 2_000_000 {
			rec, err := r.Read()
			if err == io.EOF {
				return
			}
			if err != nil {
				if !errors.As(err, &fe) {
					t.Fatalf("read: %v is not a FormatError", err)
				}
				return
			}
			if len(rec) > 1<<14 {
				t.Fatalf("a row of %d cells", len(rec))
			}
		}
		t.Fatal("no end to the rows")
	})
}

package main

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"fmt"
	"hash/crc32"
	"io"
	"time"

	"github.com/xuri/excelize/v2"
)

// listHeaders are the headers of a genuine child-level list: the Annex A
// labels the checker matches (childdata.AnnexA2025), in its order.
var listHeaders = []any{
	"Case ID", "Case name", "Gender", "Ethnicity", "Disability", "Date of birth", "Lead application",
	"Law type", "Case type", "Practitioner", "Team", "Service area", "Local authority", "Court",
	"File location", "Child ID", "Case start date", "Case end date", "Child seen in person",
	"Section 7 filed", "Audit",
}

// writeGenuineList writes an .xlsx child-level list of n rows that the
// checker accepts, built as a large export would be, with excelize's
// StreamWriter: text as inline strings, dates as real Excel dates with a
// date format, every case closed within [from, to].
func writeGenuineList(w io.Writer, n int, from, to time.Time) error {
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		return err
	}
	dateStyle, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		return err
	}
	if err := sw.SetRow("A1", listHeaders); err != nil {
		return err
	}
	days := int(to.Sub(from).Hours()/24) + 1
	areas := []string{"South East", "London", "North West", "Yorkshire", "Midlands", "South West", "North East"}
	ethnicities := []string{"White British", "Mixed", "Asian British", "Black British", "Other", "Not known"}
	las := []string{"Kent", "Medway", "Surrey", "Essex", "Leeds", "Bradford", "Camden", "Devon"}
	date := func(t time.Time) excelize.Cell { return excelize.Cell{StyleID: dateStyle, Value: t} }
	row := make([]any, len(listHeaders))
	for i := range n {
		law, typ, la, s7 := "Private", "s7", "", "Y"
		if i%3 == 0 {
			law, typ, la, s7 = "Public", "s31", las[i%len(las)], "N"
		}
		end := from.AddDate(0, 0, i%days)
		gender := "F"
		if i%2 == 1 {
			gender = "M"
		}
		row[0] = fmt.Sprintf("CF-%07d", i/2)
		row[1] = fmt.Sprintf("Re %s %d (children)", string(rune('A'+i%26)), i/2)
		row[2] = gender
		row[3] = ethnicities[i%len(ethnicities)]
		row[4] = "N"
		row[5] = date(time.Date(2010+i%8, time.Month(1+i%12), 1+i%28, 0, 0, 0, 0, time.UTC))
		row[6] = "C100"
		row[7] = law
		row[8] = typ
		row[9] = fmt.Sprintf("Practitioner %d", i%2000)
		row[10] = fmt.Sprintf("Team %d", i%120)
		row[11] = areas[i%len(areas)]
		row[12] = la
		row[13] = "Medway Family Court"
		row[14] = ""
		row[15] = fmt.Sprint(1 + i%2)
		row[16] = date(end.AddDate(0, -6, 0))
		row[17] = date(end)
		row[18] = "Y"
		row[19] = s7
		row[20] = "N"
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	return f.Write(w)
}

// The parts of a minimal workbook around the bomb.
var bombParts = []struct{ name, body string }{
	{"[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>`},
	{"_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>`},
	{"xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`},
	{"xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/></Relationships>`},
	{"xl/worksheets/sheet1.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>Case ID</t></is></c></row></sheetData></worksheet>`},
}

// writeBomb writes a valid .xlsx workbook whose xl/styles.xml unzips to
// stylesBytes bytes, nearly all of them spaces, which deflate shrinks about
// a thousandfold. When lie is set, the zip's directory declares the styles
// part to be 1 KiB: a reader that trusts declared sizes lets it through.
func writeBomb(w io.Writer, stylesBytes int64, lie bool) error {
	zw := zip.NewWriter(w)
	for _, p := range bombParts {
		fw, err := zw.Create(p.name)
		if err != nil {
			return err
		}
		if _, err := io.WriteString(fw, p.body); err != nil {
			return err
		}
	}
	head := []byte(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
		`<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
	tail := []byte(`</styleSheet>`)
	pad := stylesBytes - int64(len(head)+len(tail))
	// Deflate the part once, counting and checksumming what goes in.
	var raw bytes.Buffer
	crc := crc32.NewIEEE()
	fl, err := flate.NewWriter(&raw, flate.BestCompression)
	if err != nil {
		return err
	}
	in := io.MultiWriter(fl, crc)
	if _, err := in.Write(head); err != nil {
		return err
	}
	spaces := bytes.Repeat([]byte{' '}, 1<<20)
	for left := pad; left > 0; {
		k := min(left, int64(len(spaces)))
		if _, err := in.Write(spaces[:k]); err != nil {
			return err
		}
		left -= k
	}
	if _, err := in.Write(tail); err != nil {
		return err
	}
	if err := fl.Close(); err != nil {
		return err
	}
	declared := uint64(stylesBytes)
	if lie {
		declared = 1 << 10
	}
	fw, err := zw.CreateRaw(&zip.FileHeader{
		Name: "xl/styles.xml", Method: zip.Deflate, Modified: time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC),
		CRC32: crc.Sum32(), CompressedSize64: uint64(raw.Len()), UncompressedSize64: declared,
	})
	if err != nil {
		return err
	}
	if _, err := raw.WriteTo(fw); err != nil {
		return err
	}
	return zw.Close()
}

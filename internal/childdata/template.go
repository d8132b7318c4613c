package childdata

import (
	"encoding/csv"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"
)

// SchemaFor is the child-level list of the Annex A version named as the
// request's catalogue names it ("2024-12", "2025-09"): what a list sent for
// an item of that version must hold. An unknown or empty version (an item
// the lead inspector added) gets the latest list.
func SchemaFor(annexVersion string) *Schema {
	if annexVersion == "2024-12" {
		return AnnexA2024()
	}
	return AnnexA2025()
}

// HeaderRow is the list's header row: every field's label, in order. A list
// with exactly this row matches every field.
func (s *Schema) HeaderRow() []string {
	h := make([]string, len(s.Fields))
	for i, f := range s.Fields {
		h[i] = f.Label
	}
	return h
}

// WriteTemplateCSV writes an empty list: the header row alone, for Cafcass
// to fill in (the examples are on the upload page, so that no example row
// is ever sent back as a case).
func (s *Schema) WriteTemplateCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(s.HeaderRow()); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// Template sheet names.
const (
	templateSheet = "Child-level data"
	columnsSheet  = "Columns"
)

// WriteTemplateXLSX writes an empty list as an Excel workbook: the header
// row alone on the first worksheet (the one a list is read from), its
// required columns in bold, and a second worksheet describing each column:
// whether it is required, an example and when it applies.
func (s *Schema) WriteTemplateXLSX(w io.Writer) error {
	x := excelize.NewFile()
	defer x.Close()
	if err := x.SetSheetName("Sheet1", templateSheet); err != nil {
		return err
	}
	bold, err := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	for i, f := range s.Fields {
		cell, err := excelize.CoordinatesToCellName(i+1, 1)
		if err != nil {
			return err
		}
		if err := x.SetCellStr(templateSheet, cell, f.Label); err != nil {
			return err
		}
		if f.Required {
			if err := x.SetCellStyle(templateSheet, cell, cell, bold); err != nil {
				return err
			}
		}
	}
	last, err := excelize.ColumnNumberToName(len(s.Fields))
	if err != nil {
		return err
	}
	if err := x.SetColWidth(templateSheet, "A", last, 20); err != nil {
		return err
	}
	if err := x.SetPanes(templateSheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	if _, err := x.NewSheet(columnsSheet); err != nil {
		return err
	}
	rows := [][]string{{"Column", "Required or optional", "Example", "When it applies"}}
	for _, f := range s.Fields {
		rows = append(rows, []string{f.Label, f.RequiredWord(), f.Example, f.Note})
	}
	for r, row := range rows {
		for c, v := range row {
			cell, err := excelize.CoordinatesToCellName(c+1, r+1)
			if err != nil {
				return err
			}
			if err := x.SetCellStr(columnsSheet, cell, v); err != nil {
				return err
			}
		}
	}
	if err := x.SetCellStyle(columnsSheet, "A1", "D1", bold); err != nil {
		return err
	}
	if err := x.SetColWidth(columnsSheet, "A", "D", 28); err != nil {
		return err
	}
	x.SetActiveSheet(0)
	if _, err := x.WriteTo(w); err != nil {
		return fmt.Errorf("childdata: write template: %w", err)
	}
	return nil
}

// RequiredWord is "Required" or "Optional".
func (f Field) RequiredWord() string {
	if f.Required {
		return "Required"
	}
	return "Optional"
}

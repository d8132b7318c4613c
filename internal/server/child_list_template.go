package server

import (
	"bytes"
	"net/http"
	"strings"
	"unicode"

	"github.com/ofsted/focusedvisits/internal/childdata"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/web/pages"
)

// The columns of a child-level list and its templates (issue 15.1): one
// definition, childdata's schema for the item's version of Annex A, gives
// the upload page's table, the templates and the check.

// childListSchema is the list an item's upload must hold.
func childListSchema(it store.RequestItem) *childdata.Schema {
	return childdata.SchemaFor(it.CatalogueVersion)
}

// childListColumns are the schema's columns as the upload page lists them.
func childListColumns(s *childdata.Schema) []pages.ChildListColumn {
	cols := make([]pages.ChildListColumn, len(s.Fields))
	for i, f := range s.Fields {
		cols[i] = pages.ChildListColumn{Label: f.Label, Required: f.RequiredWord(), Example: f.Example, Note: f.Note}
	}
	return cols
}

// handleChildListTemplate downloads an empty list for the item, its header
// row alone, as CSV or as an Excel workbook (by the path's extension). It
// holds no children's data, but is found only where the upload page is.
func (s *Server) handleChildListTemplate(w http.ResponseWriter, r *http.Request) error {
	_, it, err := s.childListItemFor(r)
	if err != nil {
		return err
	}
	schema := childListSchema(it)
	var b bytes.Buffer
	ext, ct := "csv", "text/csv; charset=utf-8"
	if strings.HasSuffix(r.URL.Path, ".xlsx") {
		ext, ct = "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		err = schema.WriteTemplateXLSX(&b)
	} else {
		err = schema.WriteTemplateCSV(&b)
	}
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", contentDisposition(it.Number+" child-level data template."+ext))
	_, err = w.Write(b.Bytes())
	return err
}

// sentenceCase lowers the first letter of a title that follows a verb
// ("Upload child-level data: ..."), unless it begins an abbreviation
// ("CAO", "AL.1") or a word written with capitals inside it.
func sentenceCase(title string) string {
	rs := []rune(title)
	if len(rs) < 2 || !unicode.IsUpper(rs[0]) || !unicode.IsLower(rs[1]) {
		return title
	}
	rs[0] = unicode.ToLower(rs[0])
	return string(rs)
}

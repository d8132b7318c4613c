package server

import (
	"encoding/csv"
	"fmt"
	"net/http"
	"regexp"
	"strings"
)

// csvCell makes a cell safe to open in a spreadsheet: text that begins with
// a character a spreadsheet would read as a formula (= + - @, or a tab or
// carriage return before one) gets a leading single quote (OWASP's advice
// on CSV injection).
func csvCell(s string) string {
	if s != "" && strings.ContainsRune("=+-@\t\r", rune(s[0])) {
		return "'" + s
	}
	return s
}

var unsafeFileName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// handleVisitHistoryCSV streams a visit's history, newest first, as a CSV
// download for administrators.
func (s *Server) handleVisitHistoryCSV(w http.ResponseWriter, r *http.Request) error {
	d, err := s.visitFor(r)
	if err != nil {
		return err
	}
	events, err := s.historyEvents(r.Context(), d.ID)
	if err != nil {
		return err
	}
	u, _ := currentUser(r.Context())
	lines := historyFor(u, d, events)
	name := unsafeFileName.ReplaceAllString(d.Reference, "-")
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", fmt.Sprintf(`attachment; filename="%s-history.csv"`, name))
	h.Set("Cache-Control", "no-store")
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"when", "who", "action", "field", "old", "new", "detail"}); err != nil {
		return nil // the client went away
	}
	for _, l := range lines {
		row := []string{l.At.In(london).Format("2006-01-02 15:04:05"), l.Who, l.Action, l.Field, l.Old, l.New, l.Detail}
		for i := range row {
			row[i] = csvCell(row[i])
		}
		if err := cw.Write(row); err != nil {
			return nil
		}
	}
	cw.Flush()
	return nil
}

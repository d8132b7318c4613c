package server

import (
	"github.com/ofsted/focusedvisits/internal/timeline"
	"net/http"

	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/web/pages"
)

func (s *Server) handleVisitHistory(w http.ResponseWriter, r *http.Request) error {
	p, err := s.visitPage(r, "history")
	if err != nil {
		return err
	}
	events, err := s.historyEvents(r.Context(), p.d.ID)
	if err != nil {
		return err
	}
	v := pages.VisitHistoryView{Page: s.page(r, p.d.Reference+": history"), Header: p.header}
	if visit.May(visit.Audit, p.a, p.d, visit.Facts{}) {
		v.ExportHref = visitHref(p.d) + "/history.csv"
	}
	for _, l := range historyFor(p.u, p.d, events) {
		v.Rows = append(v.Rows, pages.HistoryRow{
			When: timeline.FormatTime(l.At), Who: l.Who, Action: l.Action,
			Field: l.Field, Old: l.Old, New: l.New, Detail: l.Detail,
		})
	}
	return s.render(w, r, http.StatusOK, pages.VisitHistory(v))
}

package server

import (
	"fmt"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"net/http"
	"strconv"
	"time"

	"github.com/ofsted/focusedvisits/internal/history"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/web/components"
	"github.com/ofsted/focusedvisits/web/pages"
)

// childDataVisitFor is visitFor for the pages of a visit's children's data:
// a visit whose children's data the user may not see answers exactly as a
// visit that does not exist (DOMAIN decision 17).
func (s *Server) childDataVisitFor(r *http.Request) (visit.Details, error) {
	d, err := s.visitFor(r)
	if err != nil {
		return d, err
	}
	u, _ := currentUser(r.Context())
	if !visit.CanSeeChildData(u, d) {
		return visit.Details{}, store.ErrNotFound
	}
	return d, nil
}

// recordChildView records that the signed-in user is being shown children's
// data of the kind on the visit (DOMAIN decision 17): who, when, which
// visit, which kind, never the data. It runs before the data is sent, so
// that nothing is shown that was not recorded. Recording on a GET is the
// exception DOMAIN decision 16 allows: the record is not domain data.
func (s *Server) recordChildView(r *http.Request, d visit.Details, rec visit.ChildRecord) error {
	u, _ := currentUser(r.Context())
	return s.store.RecordChildDataView(r.Context(), store.NewChildDataView{
		VisitID: d.ID, UserID: u.ID, Role: u.Role, Record: rec, At: s.now(),
	})
}

// historyLine is a line of a visit's history in words, with when and who.
type historyLine struct {
	At  time.Time
	Who string
	history.Line
}

// historyFor is the visit's history in words (the history's table chooses
// them) as u may read it: the lines that name a child's case keep what
// happened and lose which case, unless u may see the visit's children's
// data (DOMAIN decision 17).
func historyFor(u user.User, d visit.Details, events []store.Event) []historyLine {
	see := visit.CanSeeChildData(u, d)
	out := make([]historyLine, 0, len(events))
	for _, e := range events {
		l := historyLine{At: e.At, Who: e.UserName, Line: e.Words()}
		if !see && e.NamesChildCase() {
			l.Old, l.New, l.Detail = "", "", childCaseHidden
		}
		out = append(out, l)
	}
	return out
}

// childCaseHidden stands for the case a history line names, to those who
// may not see children's data.
const childCaseHidden = "Which case is children's data: only the visit's lead inspector, team inspectors and senior analytical officers see it."

func childDataViewsHref(d visit.Details) string {
	return visitHref(d) + "/children-data-views"
}

// handleChildDataViewList is the record of who viewed children's data, on
// every visit, newest first (administrators).
func (s *Server) handleChildDataViewList(w http.ResponseWriter, r *http.Request) error {
	return s.renderChildDataViews(w, r, nil)
}

// handleVisitChildDataViewList is the record for one visit (administrators).
func (s *Server) handleVisitChildDataViewList(w http.ResponseWriter, r *http.Request) error {
	d, err := s.visitFor(r)
	if err != nil {
		return err
	}
	return s.renderChildDataViews(w, r, &d)
}

func (s *Server) renderChildDataViews(w http.ResponseWriter, r *http.Request, d *visit.Details) error {
	f := store.ChildDataViewFilter{}
	f.Page, _ = strconv.Atoi(r.URL.Query().Get("page"))
	title, base := "Who viewed children's data", "/admin/children-data-views"
	v := pages.ChildDataViewsView{AllHref: base}
	if d != nil {
		f.VisitID = d.ID
		base = childDataViewsHref(*d)
		title = "Who viewed children's data: " + d.Reference
		v.Caption, v.BackHref = d.Reference, visitHref(*d)
	}
	p, err := s.store.ListChildDataViews(r.Context(), f)
	if err != nil {
		return err
	}
	v.Page = s.page(r, title)
	v.Total, v.OneVisit = p.Total, d != nil
	for _, cv := range p.Views {
		v.Rows = append(v.Rows, pages.ChildDataViewRow{
			When: timeline.FormatTime(cv.At), Who: cv.UserName, Role: cv.Role.Label(),
			Visit: cv.VisitReference, VisitHref: "/visits/" + cv.VisitPublicID + "/children-data-views", Record: cv.Record.Label(),
		})
	}
	if p.Total > 0 {
		first := (p.Page-1)*store.ChildDataViewsPerPage + 1
		v.Showing = fmt.Sprintf("Showing %d to %d of %d views, newest first", first, first+len(p.Views)-1, p.Total)
	}
	link := func(page int) string {
		if page <= 1 {
			return base
		}
		return base + "?page=" + strconv.Itoa(page)
	}
	if p.Page > 1 {
		v.Pagination.Previous = &components.PaginationLink{Href: link(p.Page - 1), HiddenText: " page", Label: fmt.Sprintf("%d of %d", p.Page-1, p.Pages)}
	}
	if p.Page < p.Pages {
		v.Pagination.Next = &components.PaginationLink{Href: link(p.Page + 1), HiddenText: " page", Label: fmt.Sprintf("%d of %d", p.Page+1, p.Pages)}
	}
	v.Pagination.LandmarkLabel = "Pages of views"
	return s.render(w, r, http.StatusOK, pages.ChildDataViews(v))
}

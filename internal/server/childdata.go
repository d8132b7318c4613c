package server

import (
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"unicode/utf8"

	"github.com/ofsted/focusedvisits/internal/annexa"
	"github.com/ofsted/focusedvisits/internal/childdata"
	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/web/components"
	"github.com/ofsted/focusedvisits/web/pages"
)

var childLawLabels = map[string]string{childdata.Public: "Public", childdata.Private: "Private"}

func caseTypeLabel(code string) string {
	for _, ct := range childdata.DefaultCaseTypes() {
		if ct.Code == code {
			return ct.Label
		}
	}
	return code
}

func yesNoWord(b *bool) string {
	switch {
	case b == nil:
		return ""
	case *b:
		return "Yes"
	}
	return "No"
}

// childColumns are the table's sortable columns, in order. The child ID,
// law type, service area and start date go under the case ID, case type,
// team and end date, so that the table fits the page (issue 15.3); they
// can still be sorted by with ?sort=.
var childColumns = []struct{ key, label string }{
	{"case", "Case ID"}, {"dob", "Date of birth"}, {"type", "Case type"},
	{"practitioner", "Practitioner"}, {"team", "Team"}, {"end", "Closed"},
}

func (s *Server) handleChildDataShow(w http.ResponseWriter, r *http.Request) error {
	d, err := s.childDataVisitFor(r)
	if err != nil {
		return err
	}
	return s.renderChildData(w, r, d, http.StatusOK, nil)
}

func (s *Server) renderChildData(w http.ResponseWriter, r *http.Request, d visit.Details, status int, sampleErrs form.Errors) error {
	p, err := s.visitPageOf(r, d, "child-data")
	if err != nil {
		return err
	}
	ctx, u := r.Context(), p.u
	sum, err := s.store.ChildDataSummary(ctx, d.ID)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	filter := store.ChildRowFilter{
		LawType: q.Get("law"), CaseType: q.Get("type"), ServiceArea: q.Get("area"), Team: q.Get("team"),
		Search: clean(q.Get("q")), Sort: q.Get("sort"), Desc: q.Get("desc") == "1",
	}
	if utf8.RuneCountInString(filter.Search) > 100 {
		filter.Search = string([]rune(filter.Search)[:100])
	}
	if _, ok := store.ChildRowSorts[filter.Sort]; !ok {
		filter.Sort = "case"
	}
	// Pages follow from a row (keyset): after the last row shown, before
	// the first, or the last page. The page number in the link is only
	// for the "Showing" line.
	filter.After, filter.Before, filter.Last = clean(q.Get("after")), clean(q.Get("before")), q.Get("last") == "1"
	pageNo, _ := queryInt(r, "page", 1, math.MaxInt32) // 0 when not a page number
	page, err := s.store.ChildRows(ctx, sum, filter)
	if err != nil {
		return err
	}
	switch {
	case page.Prev == "":
		pageNo = 1
	case page.Next == "" || filter.Last:
		pageNo = page.Pages
	default:
		pageNo = min(max(pageNo, 2), page.Pages-1)
	}
	sample, err := s.store.ListSample(ctx, d.ID)
	if err != nil {
		return err
	}
	released, err := s.store.SampleReleased(ctx, d.ID)
	if err != nil {
		return err
	}
	can := annexa.CanChooseSample(u, d)
	base := visitHref(d) + "/child-data"
	v := pages.ChildDataView{
		Page:   s.page(r, "Child-level data, "+d.Reference),
		Header: p.header,
		Rows:   sum.Rows, Search: filter.Search, Sort: filter.Sort, Desc: filter.Desc, Total: page.Total,
		CanSample: can, ReleaseHref: base + "/sample/release", CafcassHref: visitHref(d) + "/case-sample",
		SampleErrors: sampleErrs,
	}
	v.Page.HasErrors = sampleErrs.Any()
	for _, l := range sum.Lists {
		v.Lists = append(v.Lists, fmt.Sprintf("%s: %d rows, covering %s to %s", l.FileName, l.RowCount,
			timeline.FormatDate(l.Cover.From), timeline.FormatDate(l.Cover.To)))
	}
	if !sum.FirstEnd.IsZero() {
		v.Covers = append(v.Covers, components.SummaryRow{Key: "Cases closed", Value: timeline.FormatDate(sum.FirstEnd) + " to " + timeline.FormatDate(sum.LastEnd)})
	}
	if !sum.FirstStart.IsZero() {
		v.Covers = append(v.Covers, components.SummaryRow{Key: "Cases started", Value: timeline.FormatDate(sum.FirstStart) + " to " + timeline.FormatDate(sum.LastStart)})
	}
	opts := func(chosen, all string, counts []store.Count, label func(string) string) []components.Option {
		o := []components.Option{{Value: "", Text: all, Checked: chosen == ""}}
		for _, c := range counts {
			o = append(o, components.Option{Value: c.Value, Text: label(c.Value), Checked: c.Value == chosen})
		}
		return o
	}
	same := func(s string) string { return s }
	law := func(s string) string { return childLawLabels[s] }
	for _, c := range sum.ByLaw {
		v.ByLaw = append(v.ByLaw, pages.ChildCount{Label: law(c.Value), N: c.N})
	}
	for _, c := range sum.ByCaseType {
		v.ByCaseType = append(v.ByCaseType, pages.ChildCount{Label: caseTypeLabel(c.Value), N: c.N})
	}
	for _, c := range sum.ByServiceArea {
		v.ByServiceArea = append(v.ByServiceArea, pages.ChildCount{Label: c.Value, N: c.N})
	}
	var teams []store.Count
	seenTeam := map[string]bool{}
	for _, c := range sum.ByTeam {
		v.ByTeam = append(v.ByTeam, pages.ChildCount{Label: c.Team + " (" + c.Area + ")", N: c.N})
		if !seenTeam[c.Team] {
			seenTeam[c.Team] = true
			teams = append(teams, store.Count{Value: c.Team})
		}
	}
	v.Law = opts(filter.LawType, "All", sum.ByLaw, law)
	v.CaseType = opts(filter.CaseType, "All", sum.ByCaseType, caseTypeLabel)
	v.Area = opts(filter.ServiceArea, "All", sum.ByServiceArea, same)
	v.Team = opts(filter.Team, "All", teams, same)

	link := func(sort string, desc bool, pg int, cursor ...string) string {
		p := url.Values{}
		for k, val := range map[string]string{"law": filter.LawType, "type": filter.CaseType, "area": filter.ServiceArea, "team": filter.Team, "q": filter.Search} {
			if val != "" {
				p.Set(k, val)
			}
		}
		p.Set("sort", sort)
		if desc {
			p.Set("desc", "1")
		}
		if pg > 1 {
			p.Set("page", strconv.Itoa(pg))
		}
		if len(cursor) == 2 {
			p.Set(cursor[0], cursor[1])
		}
		return base + "?" + p.Encode() + "#rows"
	}
	for _, c := range childColumns {
		sl := pages.ChildSortLink{Label: c.label, Href: link(c.key, false, 1), Sort: "none"}
		if c.key == filter.Sort {
			sl.Sort = "ascending"
			sl.Href = link(c.key, !filter.Desc, 1)
			if filter.Desc {
				sl.Sort = "descending"
			}
		}
		v.Columns = append(v.Columns, sl)
	}
	for _, row := range page.Rows {
		rv := pages.ChildRowView{
			CaseID: row.CaseID, ChildID: row.ChildID, CaseName: row.CaseName, DOB: row.DateOfBirth.Format("2/1/2006"),
			Law: law(row.LawType), CaseType: caseTypeLabel(row.CaseType), Practitioner: row.Practitioner, Team: row.Team,
			Area: row.ServiceArea, Start: row.CaseStart.Format("2/1/2006"), End: row.CaseEnd.Format("2/1/2006"),
			Seen: yesNoWord(row.ChildSeen), Sampled: row.Sampled,
		}
		if can {
			rv.AddHref = base + "/sample/new?" + url.Values{"case": {row.CaseID}, "child": {row.ChildID}}.Encode()
		}
		v.Table = append(v.Table, rv)
	}
	if page.Total == 0 || len(page.Rows) == 0 {
		v.Showing = "No rows match."
	} else {
		first := (pageNo-1)*store.ChildRowsPerPage + 1
		if pageNo == page.Pages {
			first = page.Total - len(page.Rows) + 1
		}
		v.Showing = fmt.Sprintf("Showing %d to %d of %d rows", first, first+len(page.Rows)-1, page.Total)
	}
	if page.Prev != "" {
		v.Pagination.Previous = &components.PaginationLink{Href: link(filter.Sort, filter.Desc, pageNo-1, "before", page.Prev), HiddenText: " page", Label: fmt.Sprintf("%d of %d", pageNo-1, page.Pages)}
	}
	if page.Next != "" {
		v.Pagination.Next = &components.PaginationLink{Href: link(filter.Sort, filter.Desc, pageNo+1, "after", page.Next), HiddenText: " page", Label: fmt.Sprintf("%d of %d", pageNo+1, page.Pages)}
	}
	v.Pagination.LandmarkLabel = "Pages of rows"
	for _, c := range sample {
		v.Sample = append(v.Sample, pages.SampleRow{
			RemoveAction: base + "/sample/" + c.PublicID + "/remove", CaseID: c.CaseID, ChildID: c.ChildID, CaseName: c.CaseName, Inspector: c.InspectorName,
			Reason: c.Reason, Selected: c.SelectedBy + ", " + timeline.FormatDay(c.SelectedAt), InList: c.InList,
		})
	}
	if !released.IsZero() {
		v.Released = timeline.FormatTime(released)
	}
	if err := s.recordChildView(r, d, visit.ChildRowsPage); err != nil {
		return err
	}
	return s.render(w, r, status, pages.ChildData(v))
}

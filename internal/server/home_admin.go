package server

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/tasks"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
	"github.com/ofsted/focusedvisits/web/components"
	"github.com/ofsted/focusedvisits/web/pages"
)

// The administrators' start page: the service's own tasks (failed jobs,
// locked accounts), then every visit, searched by reference, stage, year
// and lead inspector, a page at a time.

// visitsPerPage is how many visits the administrators' list shows at once.
const visitsPerPage = 25

// visitSearch is the administrators' search as the query gives it.
type visitSearch struct {
	reference string
	stage     string
	year      int
	yearText  string
	yearError string
	lead      int64
	page      int
}

// readVisitSearch reads the search from the query; a value that is not one
// the form offers is not used (a year typed wrong says why).
func readVisitSearch(r *http.Request) visitSearch {
	q := r.URL.Query()
	f := visitSearch{reference: strings.TrimSpace(q.Get("reference")), page: 1}
	if st := q.Get("stage"); slices.Contains(visit.Stages, st) {
		f.stage = st
	}
	if f.yearText = strings.TrimSpace(q.Get("year")); f.yearText != "" {
		y, ok := queryInt(r, "year", workday.FirstYear, workday.LastYear)
		if ok {
			f.year = y
		} else {
			f.yearError = fmt.Sprintf("Enter a year from %d to %d, like 2025", workday.FirstYear, workday.LastYear)
		}
	}
	if id, err := strconv.ParseInt(q.Get("lead"), 10, 64); err == nil && id > 0 {
		f.lead = id
	}
	if n, ok := queryInt(r, "page", 1, 1_000_000); ok {
		f.page = n
	}
	return f
}

// query is the search as a query string, on page n.
func (f visitSearch) query(n int) string {
	q := url.Values{}
	for k, v := range map[string]string{"reference": f.reference, "stage": f.stage, "year": f.yearText} {
		if v != "" {
			q.Set(k, v)
		}
	}
	if f.lead != 0 {
		q.Set("lead", strconv.FormatInt(f.lead, 10))
	}
	if n > 1 {
		q.Set("page", strconv.Itoa(n))
	}
	if len(q) == 0 {
		return "/"
	}
	return "/?" + q.Encode()
}

// adminHome lists the visits the search finds on v, and gathers the
// service's tasks in.
func (s *Server) adminHome(r *http.Request, v *pages.HomeView, in *tasks.Input, cal calendarAt) error {
	ctx := r.Context()
	f := readVisitSearch(r)
	sv, err := s.searchView(r, f)
	if err != nil {
		return err
	}
	v.Search = &sv
	search := store.VisitSearch{Reference: f.reference, LeadID: f.lead}
	if f.stage != "" {
		search.Stage = visit.RecordOf(f.stage)
	}
	// A year, or a stage that hangs on the dates, is decided visit by visit
	// from the plan; the query narrows the visits to count. The year is
	// the notice day's; a plan counted from the first fieldwork day, or
	// re-anchored by a deferral, may be anchored in the year after.
	sift := f.year != 0 || search.Stage.Dated
	if f.year != 0 {
		search.AnchorFrom, search.AnchorTo = workday.NewDate(f.year, time.January, 1), workday.NewDate(f.year+1, time.December, 31)
	}
	if !sift {
		search.Limit, search.Offset = visitsPerPage, (f.page-1)*visitsPerPage
	}
	ds, total, err := s.store.SearchVisits(ctx, search)
	if err != nil {
		return err
	}
	for _, d := range ds {
		p, err := s.datesOf(cal, d)
		if err != nil {
			return fmt.Errorf("visit %d: %w", d.ID, err)
		}
		sum := visitSummary(in.User, d, p, in.Today)
		notice, _ := p.Milestone(timeline.CodeNotice)
		if sift && (f.stage != "" && sum.Stage != f.stage || f.year != 0 && notice.First().Year() != f.year) {
			continue
		}
		v.Visits = append(v.Visits, sum)
	}
	if sift {
		total = len(v.Visits)
		from := min((f.page-1)*visitsPerPage, total)
		v.Visits = v.Visits[from:min(from+visitsPerPage, total)]
	}
	searchPages(&sv, f, total, len(v.Visits))
	return s.serviceTasks(r, v, in)
}

// searchView is the search form, with the choices made.
func (s *Server) searchView(r *http.Request, f visitSearch) (pages.VisitSearchView, error) {
	sv := pages.VisitSearchView{Reference: f.reference, Year: f.yearText, YearError: f.yearError}
	sv.Stages = []components.Option{{Value: "", Text: "Any stage"}}
	for _, st := range visit.Stages {
		sv.Stages = append(sv.Stages, components.Option{Value: st, Text: st, Checked: st == f.stage})
	}
	staff, err := s.staff(r)
	if err != nil {
		return sv, err
	}
	sv.Leads = []components.Option{{Value: "", Text: "Any lead inspector"}}
	for _, u := range staff.Offered(visit.RoleLead) {
		sv.Leads = append(sv.Leads, components.Option{Value: strconv.FormatInt(u.ID, 10), Text: u.Name, Checked: u.ID == f.lead})
	}
	return sv, nil
}

// searchPages says which visits are shown of how many, with links to the
// pages before and after.
func searchPages(sv *pages.VisitSearchView, f visitSearch, total, shown int) {
	first := (f.page-1)*visitsPerPage + 1
	switch {
	case total == 0:
		sv.Showing = "No visits match."
	case shown == 0:
		sv.Showing = fmt.Sprintf("There are only %d visits: this page is past the last.", total)
	case total == 1:
		sv.Showing = "Showing the only visit."
	default:
		sv.Showing = fmt.Sprintf("Showing visits %d to %d of %d.", first, first+shown-1, total)
	}
	last := (total + visitsPerPage - 1) / visitsPerPage
	if f.page > 1 && total > 0 {
		prev := min(f.page-1, last)
		sv.Previous = &components.PaginationLink{Href: f.query(prev), Label: fmt.Sprintf("Page %d of %d", prev, last)}
	}
	if f.page < last {
		sv.Next = &components.PaginationLink{Href: f.query(f.page + 1), Label: fmt.Sprintf("Page %d of %d", f.page+1, last)}
	}
}

// serviceTasks gathers the administrator's own tasks: failed scheduled jobs
// and accounts locked after wrong passwords (listed on the page).
func (s *Server) serviceTasks(r *http.Request, v *pages.HomeView, in *tasks.Input) error {
	ctx := r.Context()
	counts, err := s.store.CountJobs(ctx)
	if err != nil {
		return err
	}
	in.Service.FailedJobs = counts[store.JobsFailed]
	if in.Service.FailedMessages, err = s.store.CountFailedMessages(ctx); err != nil {
		return err
	}
	rules := s.signInRules()
	locked, err := s.store.ListLockedAccounts(ctx, rules.MaxFailures, rules.LockedAfter(s.now()), rules.Lockout)
	if err != nil {
		return err
	}
	for _, l := range locked {
		v.Locked = append(v.Locked, pages.LockedAccountRow{Name: l.Name, Email: l.Email, Until: timeline.FormatTime(l.Until)})
	}
	in.Service.LockedAccounts = len(locked)
	return nil
}

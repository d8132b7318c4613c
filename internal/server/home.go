package server

import (
	"context"
	"fmt"
	"slices"

	"net/http"
	"time"

	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"

	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/web/layout"
	"github.com/ofsted/focusedvisits/web/pages"
)

// navFor is the service navigation for a role, with the current page marked.
func navFor(role user.Role, path string) []layout.NavItem {
	items := []layout.NavItem{{Text: "Home", Href: "/"}}
	items = append(items, layout.NavItem{Text: "Calendar", Href: "/calendar"})
	if adminOnly.Allows(role) {
		items = append(items, layout.NavItem{Text: "Closure days", Href: "/closure-days"}, layout.NavItem{Text: "Users", Href: "/users"},
			layout.NavItem{Text: "Messages", Href: "/admin/messages"})
	}
	for i := range items {
		items[i].Current = items[i].Href == path
	}
	return items
}

// dueWindow is how far ahead the start page looks for deadlines.
const dueWindow = 10

// dueItem is one deadline on the start page, with what sorts it.
type dueItem struct {
	item    pages.DueItem
	overdue bool
	date    workday.Date
}

func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := currentUser(ctx)
	v := pages.HomeView{Page: s.page(r, "Home"), Name: u.Name, Role: u.Role, CanCreate: schedulers.Allows(u.Role)}
	cal, err := s.calendar(ctx)
	if err != nil {
		return err
	}
	visits, err := s.store.ListVisitsFor(ctx, u)
	if err != nil {
		return err
	}
	today := s.today()
	until, err := cal.Add(today, dueWindow)
	if err != nil {
		return err
	}
	v.DueUntil = timeline.FormatDate(until)
	var dues []dueItem
	for _, d := range visits {
		sum, due, err := s.homeVisit(r, u, d, cal, today, until)
		if err != nil {
			return err
		}
		v.Visits = append(v.Visits, sum)
		dues = append(dues, due...)
	}
	slices.SortStableFunc(dues, func(a, b dueItem) int {
		if a.overdue != b.overdue {
			if a.overdue {
				return -1
			}
			return 1
		}
		return a.date.Compare(b.date)
	})
	for _, d := range dues {
		v.Due = append(v.Due, d.item)
	}
	return s.render(w, r, http.StatusOK, pages.Home(v))
}

// homeVisit is one of the user's visits on the start page, and what of it
// is due for them by until.
func (s *Server) homeVisit(r *http.Request, u user.User, d visit.Details, cal *workday.Calendar, today, until workday.Date) (pages.VisitSummary, []dueItem, error) {
	a := visit.ActorFor(u, d)
	p, err := d.Dates(cal, london)
	if err != nil {
		return pages.VisitSummary{}, nil, err
	}
	sum := pages.VisitSummary{Href: visitHref(d), Reference: d.Reference, Stage: visit.Stage(d, p, today)}
	sum.StageColour = stageColour(sum.Stage)
	if m, ok := p.Milestone(timeline.CodeNotice); ok {
		sum.Notice = timeline.FormatDate(m.First())
	}
	if m, ok := p.Milestone(timeline.CodeFieldwork); ok {
		sum.Fieldwork = milestoneDates(m)
	}
	for _, m := range d.Members {
		if m.UserID == u.ID {
			sum.Role = m.Role.Label()
			break
		}
	}
	if a.Cafcass && d.Status == visit.Active {
		total, done, overdue, err := s.requestProgress(r, d, p)
		if err != nil {
			return sum, nil, err
		}
		if total > 0 {
			sum.Request = fmt.Sprintf("Information sent: %d of %d", done, total)
			if overdue > 0 {
				sum.Request += fmt.Sprintf(", %d overdue", overdue)
			}
		}
	}
	if d.Status != visit.Active {
		return sum, nil, nil
	}
	var dues []dueItem
	for _, m := range p.Milestones {
		if m.State == timeline.StateActual || m.DueAt.IsZero() || !a.Follows(m) {
			continue
		}
		last := m.Last()
		prog := visit.ProgressOf(m, today)
		if !prog.MustAct() && prog != visit.Open {
			continue // an optional window not open: nothing to do (DOMAIN decision 13)
		}
		if last.After(until) || prog == visit.Upcoming && m.First().After(until) {
			continue
		}
		dues = append(dues, dueItem{
			item: pages.DueItem{
				VisitHref: sum.Href, Reference: d.Reference, Label: m.Label, Date: milestoneDates(m),
				Actor: m.ActorLabel, Progress: prog.Label(), ProgressColour: prog.Colour(),
			},
			overdue: prog == visit.Overdue,
			date:    last,
		})
	}
	return sum, dues, nil
}

func stageColour(stage string) string {
	switch stage {
	case "Cancelled":
		return "grey"
	case "Planned, notice not given":
		return "purple"
	case "Fieldwork":
		return "orange"
	case "Published":
		return "green"
	}
	return "blue"
}

func (s *Server) handleAccessibility(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, pages.Accessibility(pages.AccessibilityView{Page: s.page(r, "Accessibility statement")}))
}

func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write([]byte("ok\n"))
}

// handleReadyz answers 200 when the database answers within a second, 503
// otherwise, so a load balancer stops sending traffic while it is away.
func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), time.Second)
	defer cancel()
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := s.store.Ping(ctx); err != nil {
		w.WriteHeader(http.StatusServiceUnavailable)
		_, _ = w.Write([]byte("database unavailable\n"))
		return
	}
	_, _ = w.Write([]byte("ok\n"))
}

package server

import (
	"context"
	"net/http"
	"time"

	"github.com/ofsted/focusedvisits/internal/tasks"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
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

func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u, _ := currentUser(ctx)
	v := pages.HomeView{Page: s.page(r, "Home"), Name: u.Name, Role: u.Role, CanCreate: schedulers.Allows(u.Role)}
	cal, err := s.loadCalendar(ctx)
	if err != nil {
		return err
	}
	in := tasks.Input{User: u, Today: s.today(), Calendar: cal.cal}
	if adminOnly.Allows(u.Role) { // every visit, searched, and the service's own tasks
		err = s.adminHome(r, &v, &in, cal)
	} else {
		err = s.memberHome(r, &v, &in, cal)
	}
	if err != nil {
		return err
	}
	v.Tasks, v.TaskCounts = taskRows(tasks.For(in))
	return s.render(w, r, http.StatusOK, pages.Home(v))
}

func stageColour(stage string) string {
	switch stage {
	case visit.StageCancelled:
		return "grey"
	case visit.StagePlanned:
		return "purple"
	case visit.StageFieldwork:
		return "orange"
	case visit.StagePublished:
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

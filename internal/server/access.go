package server

import (
	"net/http"
	"net/url"
	"slices"

	"github.com/go-chi/chi/v5"
	"github.com/ofsted/focusedvisits/internal/user"
)

// Access says who may use a route. Every route declares one (see route);
// a test walks the router and fails for any route without.
type Access struct {
	// Public routes need no sign-in.
	Public bool
	// Roles may use the route once signed in; ignored when Public.
	Roles []user.Role
	// NotFound answers the other signed-in roles with the 404 page, as for
	// something that is not there, rather than 403: the routes of children's
	// data (DOMAIN decision 17), whose existence is not theirs to know.
	NotFound bool
}

var (
	// public: anyone, signed in or not.
	public = Access{Public: true}
	// signedIn: any signed-in user.
	signedIn = Access{Roles: user.Roles}
	// ofstedOnly: any Ofsted role.
	ofstedOnly = Access{Roles: []user.Role{user.Admin, user.LeadInspector, user.TeamInspector, user.QAM, user.SAO}}
	// schedulers may schedule visits.
	schedulers = Access{Roles: []user.Role{user.Admin, user.LeadInspector}}
	// adminOnly: administrators.
	adminOnly = Access{Roles: []user.Role{user.Admin}}
	// cafcassOnly: Cafcass's users (their actions on the request).
	cafcassOnly = Access{Roles: []user.Role{user.CafcassCEO, user.CafcassDeputy}}
	// reviewers: the Ofsted roles who may check what Cafcass sends
	// (annexa.Check decides per visit: its lead, an administrator, its SAOs).
	reviewers = Access{Roles: []user.Role{user.Admin, user.LeadInspector, user.SAO}}
	// childDataTeam: the Ofsted roles who may be on a visit's need-to-know
	// team for children's data (visit.CanSeeChildData decides per visit);
	// to the QAM and administrators these routes are not there.
	childDataTeam = Access{Roles: []user.Role{user.LeadInspector, user.TeamInspector, user.SAO}, NotFound: true}
	// linkedEvidenceReaders: the need-to-know team and the QAM, for the
	// evidence notes linked to the letter's findings (fieldwork.Check
	// decides per visit: its QAM and moderator see those notes only); to
	// administrators and Cafcass these routes are not there.
	linkedEvidenceReaders = Access{Roles: []user.Role{user.LeadInspector, user.TeamInspector, user.SAO, user.QAM}, NotFound: true}
	// childDataShared: the need-to-know team and Cafcass, for what Cafcass
	// sent (visit.CanSeeChildRecord decides per visit and record).
	childDataShared = Access{Roles: []user.Role{user.LeadInspector, user.TeamInspector, user.SAO, user.CafcassCEO, user.CafcassDeputy}, NotFound: true}
)

// Allows reports whether a user with the role may use the route.
func (a Access) Allows(r user.Role) bool {
	return a.Public || slices.Contains(a.Roles, r)
}

// AccessFor returns the declared access of a route, by method and chi
// pattern, and whether it has one.
func (s *Server) AccessFor(method, pattern string) (Access, bool) {
	a, ok := s.rules[method+" "+pattern]
	return a, ok
}

// route registers a handler with the access it declares: the only way a
// route is added.
func (s *Server) route(r chi.Router, method, pattern string, a Access, h handlerFunc) {
	s.rules[method+" "+pattern] = a
	r.Method(method, pattern, s.guard(a, s.handle(h)))
}

// guard enforces a route's access: signed-out users go to sign-in (and come
// back afterwards), signed-in users without the role get the 403 page.
func (s *Server) guard(a Access, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if a.Public {
			next.ServeHTTP(w, r)
			return
		}
		u, ok := currentUser(r.Context())
		if !ok {
			target := "/sign-in"
			if r.Method == http.MethodGet && r.URL.Path != "/" {
				target += "?next=" + url.QueryEscape(r.URL.RequestURI())
			}
			http.Redirect(w, r, target, http.StatusSeeOther)
			return
		}
		if !a.Allows(u.Role) {
			if a.NotFound {
				s.serveError(w, r, notFound(nil))
				return
			}
			s.serveError(w, r, forbidden(nil))
			return
		}
		next.ServeHTTP(w, r)
	})
}

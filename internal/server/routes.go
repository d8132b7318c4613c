package server

import (
	"net/http"

	"github.com/go-chi/chi/v5"
	"github.com/ofsted/focusedvisits/web/static"
)

// routes is the whole URL surface of the service. Every route goes through
// s.route with the access it declares.
func (s *Server) routes(r chi.Router) {
	// Assets and health checks sit outside the access table: they carry no
	// data and must answer without a session.
	assets := static.Handler()
	r.Method(http.MethodGet, "/assets/*", assets)
	r.Method(http.MethodHead, "/assets/*", assets)
	r.Get("/healthz", s.handleHealthz)
	r.Get("/readyz", s.handleReadyz)

	s.route(r, http.MethodGet, "/sign-in", public, s.handleSignInShow)
	s.route(r, http.MethodPost, "/sign-in", public, s.handleSignInCreate)
	s.route(r, http.MethodPost, "/sign-out", public, s.handleSignOut)
	s.route(r, http.MethodGet, "/accessibility", public, s.handleAccessibility)

	s.route(r, http.MethodGet, "/", signedIn, s.handleHome)
	s.route(r, http.MethodGet, "/users", adminOnly, s.handleUserList)

	s.visitRoutes(r)
	s.deferralRoutes(r)
	s.closureRoutes(r)
	s.calendarRoutes(r)
	s.requestRoutes(r)
	s.uploadRoutes(r)
	s.childDataRoutes(r)
}

// unguarded lists the routes registered outside s.route, on purpose.
var unguarded = map[string]bool{
	"GET /assets/*":  true,
	"HEAD /assets/*": true,
	"GET /healthz":   true,
	"GET /readyz":    true,
}

// Unguarded reports whether a route is deliberately outside the access table.
func Unguarded(method, pattern string) bool { return unguarded[method+" "+pattern] }

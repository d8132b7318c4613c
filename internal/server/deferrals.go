package server

import "github.com/go-chi/chi/v5"

// deferralRoutes registers the routes of deferrals.
func (s *Server) deferralRoutes(r chi.Router) {}

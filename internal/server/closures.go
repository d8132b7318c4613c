package server

import "github.com/go-chi/chi/v5"

// closureRoutes registers the routes of closures.
func (s *Server) closureRoutes(r chi.Router) {}

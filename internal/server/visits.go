package server

import "github.com/go-chi/chi/v5"

// visitRoutes registers the routes of visits.
func (s *Server) visitRoutes(r chi.Router) {}

package server

import "github.com/go-chi/chi/v5"

// childDataRoutes registers the routes of childdata.
func (s *Server) childDataRoutes(r chi.Router) {}

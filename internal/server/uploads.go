package server

import "github.com/go-chi/chi/v5"

// uploadRoutes registers the routes of uploads.
func (s *Server) uploadRoutes(r chi.Router) {}

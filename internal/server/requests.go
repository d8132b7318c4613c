package server

import "github.com/go-chi/chi/v5"

// requestRoutes registers the routes of requests.
func (s *Server) requestRoutes(r chi.Router) {}

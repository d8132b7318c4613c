package server

import "github.com/go-chi/chi/v5"

// calendarRoutes registers the routes of calendars.
func (s *Server) calendarRoutes(r chi.Router) {}

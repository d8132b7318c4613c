package server

import (
	"bytes"
	"net/http"
	"strconv"
	"sync"

	"github.com/a-h/templ"
	"github.com/ofsted/focusedvisits/web/layout"
)

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// render writes c into a buffer first, so that a template error can still
// become a clean error page, then sends it with the status.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, c templ.Component) error {
	buf := bufPool.Get().(*bytes.Buffer)
	buf.Reset()
	defer bufPool.Put(buf)
	if err := c.Render(r.Context(), buf); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/html; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

// page is the base view model of every page: title, signed-in user, their
// navigation and any flash message (which it consumes).
func (s *Server) page(r *http.Request, title string) layout.Page {
	p := layout.Page{Title: title}
	u, ok := currentUser(r.Context())
	if !ok {
		return p
	}
	p.User = &layout.User{Name: u.Name, RoleLabel: u.Role.Label(), Organisation: string(u.Role.Organisation())}
	p.Nav = navFor(u.Role, r.URL.Path)
	if s.sessions != nil {
		p.Flash = s.sessions.PopString(r.Context(), sessionFlash)
	}
	return p
}

// flash stores a one-off success message for the next page.
func (s *Server) flash(r *http.Request, msg string) {
	s.sessions.Put(r.Context(), sessionFlash, msg)
}

package server

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/web/pages"
)

// handlerFunc is the signature of every handler: it returns an error rather
// than writing an error page itself.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle adapts a handlerFunc to http.HandlerFunc, sending any error to
// serveError.
func (s *Server) handle(h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.serveError(w, r, err)
		}
	}
}

// httpError is an error with the HTTP status it should be answered with.
type httpError struct {
	status int
	err    error
}

func (e *httpError) Error() string {
	if e.err == nil {
		return http.StatusText(e.status)
	}
	return fmt.Sprintf("%d %s: %v", e.status, http.StatusText(e.status), e.err)
}

func (e *httpError) Unwrap() error { return e.err }

func badRequest(err error) error { return &httpError{status: http.StatusBadRequest, err: err} }
func forbidden(err error) error  { return &httpError{status: http.StatusForbidden, err: err} }
func notFound(err error) error   { return &httpError{status: http.StatusNotFound, err: err} }
func methodNotAllowed() error    { return &httpError{status: http.StatusMethodNotAllowed} }

// unavailable reports whether err means the database cannot be reached, so
// that the answer is "service unavailable" rather than a fault of ours. That
// includes the server ending our connection as it shuts down or restarts
// (SQLSTATE class 57P, such as 57P01 admin_shutdown) and connection
// exceptions (class 08).
func unavailable(err error) bool {
	var connErr *pgconn.ConnectError
	var netErr net.Error
	var pgErr *pgconn.PgError
	return errors.As(err, &connErr) || errors.As(err, &netErr) ||
		errors.Is(err, context.DeadlineExceeded) || pgconn.SafeToRetry(err) ||
		errors.As(err, &pgErr) && (strings.HasPrefix(pgErr.Code, "57P") || strings.HasPrefix(pgErr.Code, "08"))
}

// serveError answers with the GOV.UK error page for err. It never shows the
// error's text to the user; a 500 or 503 is logged once, here.
func (s *Server) serveError(w http.ResponseWriter, r *http.Request, err error) {
	status := http.StatusInternalServerError
	var he *httpError
	switch {
	case errors.Is(err, store.ErrNotFound):
		status = http.StatusNotFound
	case errors.As(err, &he):
		status = he.status
	case errors.Is(err, user.ErrBusy):
		status = http.StatusTooManyRequests
	case errors.Is(r.Context().Err(), context.Canceled):
		// The client went away; nobody is left to answer.
		return
	case unavailable(err):
		status = http.StatusServiceUnavailable
	}
	if status >= 500 {
		s.log.ErrorContext(r.Context(), "request failed",
			"method", r.Method, "path", redactPath(r.URL.Path), "request_id", requestID(r.Context()),
			"status", status, "error", err)
	}
	if status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "10")
	}
	if status == http.StatusTooManyRequests && w.Header().Get("Retry-After") == "" {
		w.Header().Set("Retry-After", "5")
	}
	if status == http.StatusRequestTimeout {
		// The rest of the body may still be on its way: it must not be
		// read as the next request.
		w.Header().Set("Connection", "close")
	}
	view := pages.ErrorView{Status: status}
	// The error page must not need the database: it reads the user from the
	// request context only if the session was already loaded.
	view.Page = s.page(r, pages.ErrorTitle(status))
	if err := s.render(w, r, status, pages.Error(view)); err != nil {
		http.Error(w, http.StatusText(status), status)
	}
}

package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"unicode"
	"unicode/utf8"
)

// cleanURL refuses a request whose URL holds what no page of the service
// names and PostgreSQL refuses as text: bytes that are not UTF-8, and
// control characters (NUL among them). Such a path is a page that does not
// exist (404), such a query a bad request (400); so every value read from a
// URL is clean text before a handler sees it. Numbers are bounded where
// they are read (queryInt); ids are checked for their form (publicid).
func (s *Server) cleanURL(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !cleanText(r.URL.Path) {
			s.serveError(w, r, notFound(errors.New("path is not clean text")))
			return
		}
		if r.URL.RawQuery != "" && !cleanQuery(r.URL.RawQuery) {
			s.serveError(w, r, badRequest(errors.New("query is not clean text")))
			return
		}
		next.ServeHTTP(w, r)
	})
}

// cleanText reports whether s is UTF-8 without control characters.
func cleanText(s string) bool {
	if !utf8.ValidString(s) {
		return false
	}
	for _, c := range s {
		if unicode.IsControl(c) {
			return false
		}
	}
	return true
}

// cleanQuery reports whether a raw query string decodes, and every key and
// value in it is clean text.
func cleanQuery(raw string) bool {
	q, err := url.ParseQuery(raw)
	if err != nil {
		return false
	}
	for k, vs := range q {
		if !cleanText(k) {
			return false
		}
		for _, v := range vs {
			if !cleanText(v) {
				return false
			}
		}
	}
	return true
}

// queryInt reads a whole number between lo and hi from the query; false
// when the key is missing or holds anything else, so that a number
// PostgreSQL would refuse (an int4 overflow, say) never reaches it.
func queryInt(r *http.Request, key string, lo, hi int) (int, bool) {
	n, err := strconv.Atoi(r.URL.Query().Get(key))
	if err != nil || n < lo || n > hi {
		return 0, false
	}
	return n, true
}

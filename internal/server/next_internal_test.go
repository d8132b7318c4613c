package server

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"unicode"
)

func TestSafeNext(t *testing.T) {
	for _, tc := range []struct{ next, want string }{
		{"/users", "/users"},
		{"/visits/12?month=2025-04", "/visits/12?month=2025-04"},
		{"/visits/12/request#item-3", "/visits/12/request#item-3"},
		{"/calendar?month=2025-04&x=%2F%2Fevil", "/calendar?month=2025-04&x=%2F%2Fevil"},
		{"/", "/"},
		{"", "/"},
		{"users", "/"},
		{"//evil.example/", "/"},
		{"///evil.example/", "/"},
		{"/\\evil.example", "/"},
		{"\\/evil.example", "/"},
		{"/\t/evil.example/", "/"},
		{"/%09/evil.example/", "/"}, // as it arrives once the form is decoded
		{"\t//evil.example/", "/"},
		{"/\n/evil.example/", "/"},
		{"/\r\n/evil.example/", "/"},
		{"/ /evil.example/", "/"},
		{"/\x00/evil.example/", "/"},
		{"/\x7f/evil.example/", "/"},
		{"/\u0085/evil.example/", "/"},
		{"/visits//12", "/"},
		{"/a/b\\c", "/"},
		{"https://evil.example/", "/"},
		{"http:/evil.example/", "/"},
		{"javascript:alert(1)", "/"},
		{"/@evil.example", "/@evil.example"}, // a path on this site
		{"/\xff", "/"},
	} {
		next := tc.next
		if next == "/%09/evil.example/" {
			next, _ = url.QueryUnescape(next)
		}
		if got := safeNext(next); got != tc.want {
			t.Errorf("safeNext(%q) = %q, want %q", next, got, tc.want)
		}
	}
}

// TestSignInRedirect_StaysOnSite: what safeNext lets through is where
// http.Redirect sends the browser, byte for byte.
func TestSignInRedirect_StaysOnSite(t *testing.T) {
	for _, next := range []string{"/\t/evil.example/", "/users", "/visits/3?x=1"} {
		rec := httptest.NewRecorder()
		http.Redirect(rec, httptest.NewRequest(http.MethodPost, "/sign-in", nil), safeNext(next), http.StatusSeeOther)
		loc := rec.Header().Get("Location")
		if !sameOrigin(loc) {
			t.Errorf("next=%q: Location %q leaves the site", next, loc)
		}
	}
}

// sameOrigin reports whether a browser at the service, following loc, stays
// on it, as a WHATWG URL parser would read it: it drops tabs and newlines and
// reads backslashes as slashes before resolving.
func sameOrigin(loc string) bool {
	browser := strings.Map(func(r rune) rune {
		switch r {
		case '\t', '\n', '\r':
			return -1
		case '\\':
			return '/'
		}
		return r
	}, strings.TrimFunc(loc, func(r rune) bool { return r <= ' ' }))
	base, _ := url.Parse("https://service.example/sign-in")
	u, err := url.Parse(browser)
	if err != nil {
		return false
	}
	got := base.ResolveReference(u)
	return got.Scheme == "https" && got.Host == "service.example" && got.User == nil
}

// FuzzSafeNext: whatever comes in next, the answer is "/" or next itself,
// a single-slash path with no tab, control character or backslash, which a
// browser resolves to this site.
func FuzzSafeNext(f *testing.F) {
	for _, s := range []string{"/users", "//evil.example", "/\t/evil.example/", "/\\evil", "/visits/1?month=2025-04", "https://x", "/%2F%2Fevil", "/\u2028/evil", "/。/evil"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, next string) {
		got := safeNext(next)
		if got != "/" && got != next {
			t.Fatalf("safeNext(%q) = %q: neither / nor next", next, got)
		}
		if !strings.HasPrefix(got, "/") || strings.HasPrefix(got, "//") || strings.ContainsAny(got, "\\") ||
			strings.ContainsFunc(got, func(r rune) bool { return unicode.IsControl(r) || unicode.IsSpace(r) || r == unicode.ReplacementChar }) {
			t.Fatalf("safeNext(%q) = %q", next, got)
		}
		if !sameOrigin(got) {
			t.Fatalf("safeNext(%q) = %q leaves the site", next, got)
		}
		rec := httptest.NewRecorder()
		http.Redirect(rec, httptest.NewRequest(http.MethodPost, "/sign-in", nil), got, http.StatusSeeOther)
		if loc := rec.Header().Get("Location"); !sameOrigin(loc) {
			t.Fatalf("safeNext(%q) = %q: Location %q leaves the site", next, got, loc)
		}
	})
}

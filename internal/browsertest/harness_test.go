package browsertest

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// recorder is a testing.TB that records failures instead of failing, so the
// harness's own checks can be tested.
type recorder struct {
	testing.TB
	mu     sync.Mutex
	failed []string
}

func (r *recorder) Helper() {}

func (r *recorder) Error(args ...any) { r.add(fmt.Sprint(args...)) }

func (r *recorder) Errorf(format string, args ...any) { r.add(fmt.Sprintf(format, args...)) }

func (r *recorder) Fatal(args ...any) { r.add(fmt.Sprint(args...)); runtime.Goexit() }

func (r *recorder) Fatalf(format string, args ...any) {
	r.add(fmt.Sprintf(format, args...))
	runtime.Goexit()
}

func (r *recorder) add(s string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.failed = append(r.failed, s)
}

func (r *recorder) text() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return strings.Join(r.failed, "\n")
}

// record runs f with a recorder, as a test body (Fatal ends it), and
// returns what failed.
func record(t *testing.T, f func(tb testing.TB)) string {
	r := &recorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		f(r)
	}()
	<-done
	return r.text()
}

// page is a small, accessible page with extra markup in its head and body.
// Its empty icon stops Chromium asking for /favicon.ico.
func page(head, body string) string {
	return `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Test page</title><link rel="icon" href="data:,">` + head +
		`</head><body><main><h1>Test page</h1>` + body + `</main></body></html>`
}

func TestHarnessReportsBrokenPages(t *testing.T) {
	t.Parallel()
	pages := map[string]string{
		"/ok":           page(``, `<p>Fine.</p>`),
		"/exception":    page(``, `<script src="/throw.js"></script>`),
		"/throw.js":     `throw new Error("boom from a script");`,
		"/console":      page(``, `<script src="/console.js"></script>`),
		"/console.js":   `console.error("something went wrong");`,
		"/missing-css":  page(`<link rel="stylesheet" href="/assets/nope.css">`, ``),
		"/csp":          page(``, `<script>document.title = "inline ran";</script>`),
		"/inaccessible": page(``, `<img src="/pixel.svg"><a href="/ok"></a>`),
		"/pixel.svg":    `<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>`,
		"/bad-gateway":  page(``, `<p>Down.</p>`),
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, ok := pages[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:")
		switch {
		case strings.HasSuffix(r.URL.Path, ".js"):
			w.Header().Set("Content-Type", "text/javascript")
		case strings.HasSuffix(r.URL.Path, ".svg"):
			w.Header().Set("Content-Type", "image/svg+xml")
		default:
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
		}
		if r.URL.Path == "/bad-gateway" {
			w.WriteHeader(http.StatusBadGateway)
		}
		fmt.Fprint(w, body)
	}))
	t.Cleanup(srv.Close)

	for _, tc := range []struct {
		path string
		want []string // in the failure text; none for a clean page
	}{
		{"/ok", nil},
		{"/exception", []string{"JavaScript exception", "boom from a script"}},
		{"/console", []string{"console.error", "something went wrong"}},
		{"/missing-css", []string{"/assets/nope.css", "404"}},
		{"/csp", []string{"Content Security Policy"}},
		{"/inaccessible", []string{"image-alt", "link-name", "/pixel.svg"}},
		{"/bad-gateway", []string{"502"}},
	} {
		t.Run(strings.TrimPrefix(tc.path, "/"), func(t *testing.T) {
			t.Parallel()
			got := record(t, func(tb testing.TB) {
				b := New(tb, srv.URL)
				b.Visit(tc.path)
				b.checkProblems()
			})
			t.Logf("reported:\n%s", got)
			if tc.want == nil && got != "" {
				t.Errorf("clean page reported:\n%s", got)
			}
			for _, w := range tc.want {
				if !strings.Contains(got, w) {
					t.Errorf("failure text does not mention %q; got:\n%s", w, got)
				}
			}
		})
	}
}

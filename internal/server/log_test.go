package server_test

import (
	"bytes"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/ofsted/focusedvisits/internal/config"
	"github.com/ofsted/focusedvisits/internal/dbtest"
	"github.com/ofsted/focusedvisits/internal/server"
	"github.com/ofsted/focusedvisits/internal/store"
)

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestRequestLog checks the one line per request, and that the calendar
// feed's secret token never reaches the logs.
func TestRequestLog(t *testing.T) {
	t.Parallel()
	pool := dbtest.New(t)
	cfg, err := config.Load(func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	var logs lockedBuffer
	sm := server.NewSessionManager(cfg, pool)
	app := server.New(server.Deps{Logger: slog.New(slog.NewJSONHandler(&logs, nil)), Config: cfg, Store: store.New(pool), Sessions: sm})
	for _, p := range []string{"/sign-in", "/calendar/feed/SECRET-TOKEN-123.ics"} {
		rec := httptest.NewRecorder()
		app.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, p, nil))
	}
	out := logs.String()
	if strings.Contains(out, "SECRET-TOKEN-123") {
		t.Errorf("token in the logs:\n%s", out)
	}
	if n := strings.Count(out, `"msg":"request"`); n != 2 {
		t.Errorf("%d request lines, want 2:\n%s", n, out)
	}
	if !strings.Contains(out, `"request_id"`) || !strings.Contains(out, `"status":200`) {
		t.Errorf("request line lacks fields:\n%s", out)
	}
}

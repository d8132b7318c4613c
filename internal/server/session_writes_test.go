package server_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/user"
)

// TestSessionWrittenOnlyWhenChanged: signed-in requests that change nothing
// in the session do not write it back; its last use is recorded at most once
// a minute; and a session unused for longer than the idle timeout (an hour
// by default) ends. The stored row's xmin changes with every write.
func TestSessionWrittenOnlyWhenChanged(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, map[string]string{"SESSION_IDLE_TIMEOUT": "1h", "SESSION_LIFETIME": "12h"})
	start := time.Date(2026, 3, 2, 9, 0, 0, 0, londonTZ)
	ts.setClock(start)
	ts.addUser(user.LeadInspector, "lead@example.gov.uk")
	c := ts.signIn("lead@example.gov.uk")

	var writes int
	last := ""
	write := func() {
		t.Helper()
		var xmin string
		if err := ts.Pool.QueryRow(context.Background(), `SELECT xmin::text FROM sessions`).Scan(&xmin); err != nil {
			t.Fatal(err)
		}
		if xmin != last {
			writes++
			last = xmin
		}
	}
	write()
	writes = 0

	for range 20 {
		if res := ts.get(c, "/"); res.StatusCode != http.StatusOK {
			t.Fatalf("start page: %d", res.StatusCode)
		}
		write()
	}
	if writes != 0 {
		t.Errorf("%d session writes in 20 requests within a minute of signing in, want 0", writes)
	}

	// Each minute (and a bit) later, one request writes it once.
	for i := 1; i <= 3; i++ {
		ts.setClock(start.Add(time.Duration(i)*61*time.Second + 2*time.Second))
		for range 5 {
			ts.get(c, "/")
			write()
		}
	}
	if writes != 3 {
		t.Errorf("%d session writes over 3 minutes of requests, want 3 (one a minute)", writes)
	}

	// Over an hour idle: signed out.
	ts.setClock(start.Add(3*61*time.Second + time.Hour + time.Minute))
	res := ts.get(c, "/")
	if res.StatusCode != http.StatusSeeOther && res.Request.URL.Path != "/sign-in" {
		t.Errorf("after an idle hour: %d %s, want the sign-in page", res.StatusCode, res.Request.URL.Path)
	}
}

package server_test

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
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

// TestSessionInTheServiceCodec: a signed-in session (and one waiting for
// its second factor, and one carrying a flash message) is written in
// store.SessionCodec's own form, not its gob fallback: the values the
// service keeps are all of the types the form holds.
func TestSessionInTheServiceCodec(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	lead := ts.addUser(user.LeadInspector, "lead@example.gov.uk")
	c := ts.signIn(lead.Email)
	d := ts.createTestVisit(lead, "notice", date("2025-05-12"), visit.Member{UserID: lead.ID, Role: visit.RoleLead})
	// A flash message ("Visit updated", or the like) rides in the session.
	ts.post(c, "/visits/"+d.PublicID+"/milestones/notice/record", url.Values{"date-day": {"12"}, "date-month": {"5"}, "date-year": {"2025"}})
	rows, err := ts.Pool.Query(context.Background(), `SELECT data FROM sessions`)
	if err != nil {
		t.Fatal(err)
	}
	all, err := pgx.CollectRows(rows, pgx.RowTo[[]byte])
	if err != nil || len(all) == 0 {
		t.Fatalf("sessions: %d, %v", len(all), err)
	}
	for _, data := range all {
		if !bytes.HasPrefix(data, []byte("\x00fv1")) {
			_, values, err := store.SessionCodec{}.Decode(data)
			t.Errorf("a session written with gob: %v (%v)", values, err)
		}
	}
}

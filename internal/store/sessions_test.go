package store_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/ofsted/focusedvisits/internal/dbtest"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/user"
)

func TestDeleteExpiredSessions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	_, err := pool.Exec(ctx, `INSERT INTO sessions (token, data, expiry) VALUES
		('old', '\x00', now() - interval '1 minute'), ('live', '\x00', now() + interval '1 hour')`)
	if err != nil {
		t.Fatal(err)
	}
	if err := store.New(pool).DeleteExpiredSessions(ctx); err != nil {
		t.Fatal(err)
	}
	var tokens []string
	rows, _ := pool.Query(ctx, `SELECT token FROM sessions ORDER BY token`)
	for rows.Next() {
		var tok string
		if err := rows.Scan(&tok); err != nil {
			t.Fatal(err)
		}
		tokens = append(tokens, tok)
	}
	if rows.Err() != nil || len(tokens) != 1 || tokens[0] != "live" {
		t.Errorf("sessions left: %v (%v)", tokens, rows.Err())
	}
}

// TestSessionStore_ReadsThePersonWithTheSession (issue 16.5): a session
// written with its person is found, with what GetSignedInUser would say of
// them, by one statement, which notes its use at most once a minute; a
// session written without one (or before migration 00047), a request
// without a SessionLookup, another person and a person since deleted are
// each what the server must then read or refuse apart.
func TestSessionStore_ReadsThePersonWithTheSession(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	st := store.New(pool)
	codec := scs.GobCodec{}
	ss := store.NewSessionStore(pool, codec, "user_id", "session_id")
	u, err := st.CreateUser(ctx, user.New{Email: "lead@example.gov.uk", Name: "Lead", Role: user.LeadInspector}, "x")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	sid, err := st.StartUserSession(ctx, u.ID, "test", "127.0.0.1", start, time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	commit := func(token string, values map[string]any) {
		t.Helper()
		b, err := codec.Encode(time.Now().Add(time.Hour), values)
		if err != nil {
			t.Fatal(err)
		}
		if err := ss.CommitCtx(ctx, token, b, time.Now().Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	commit("signed-in", map[string]any{"user_id": u.ID, "session_id": sid, "flash": "Saved"})
	commit("anonymous", map[string]any{"flash": "Hello"})
	if _, err := pool.Exec(ctx, `INSERT INTO sessions (token, data, expiry) SELECT 'older', data, expiry FROM sessions WHERE token = 'signed-in'`); err != nil {
		t.Fatal(err)
	}
	seenAt := func() time.Time {
		t.Helper()
		var at time.Time
		if err := pool.QueryRow(ctx, `SELECT last_seen_at FROM user_sessions WHERE id = $1`, sid).Scan(&at); err != nil {
			t.Fatal(err)
		}
		return at.UTC()
	}
	find := func(token string, now time.Time) (context.Context, []byte) {
		t.Helper()
		lctx := store.WithSessionLookup(ctx, now)
		b, found, err := ss.FindCtx(lctx, token)
		if err != nil || !found {
			t.Fatalf("find %s: %v, found %v", token, err, found)
		}
		return lctx, b
	}

	lctx, b := find("signed-in", start.Add(30*time.Second))
	if _, values, err := codec.Decode(b); err != nil || values["flash"] != "Saved" {
		t.Fatalf("data: %v, %v", values, err)
	}
	in, ok, err := store.LookedUp(lctx, u.ID, sid)
	want, werr := st.GetSignedInUser(ctx, u.ID, sid, start)
	if !ok || err != nil || werr != nil || in != want {
		t.Fatalf("looked up %+v, %v, %v; GetSignedInUser says %+v, %v", in, err, ok, want, werr)
	}
	if !in.Live || in.User.Name != "Lead" || in.CalendarVersion == 0 {
		t.Errorf("looked up %+v", in)
	}
	if got := seenAt(); !got.Equal(start) {
		t.Errorf("seen at %v after 30 seconds, want still %v", got, start)
	}
	find("signed-in", start.Add(2*time.Minute))
	if got := seenAt(); !got.Equal(start.Add(2 * time.Minute)) {
		t.Errorf("seen at %v after 2 minutes, want %v", got, start.Add(2*time.Minute))
	}
	if _, ok, _ := store.LookedUp(lctx, u.ID+1, sid); ok {
		t.Error("looked up for another person")
	}
	if _, ok, _ := store.LookedUp(lctx, u.ID, sid+1); ok {
		t.Error("looked up for another session")
	}
	for _, token := range []string{"anonymous", "older"} {
		lctx, _ := find(token, start)
		if _, ok, _ := store.LookedUp(lctx, u.ID, sid); ok {
			t.Errorf("%s: looked up a person", token)
		}
	}
	if _, found, err := ss.FindCtx(ctx, "signed-in"); err != nil || !found {
		t.Errorf("without a lookup: %v, %v", found, err)
	}
	if _, found, err := ss.FindCtx(store.WithSessionLookup(ctx, start), "nobody"); err != nil || found {
		t.Errorf("no such session: %v, %v", found, err)
	}

	// The person's session row ended, then the person gone.
	if _, err := pool.Exec(ctx, `DELETE FROM user_sessions WHERE id = $1`, sid); err != nil {
		t.Fatal(err)
	}
	lctx, _ = find("signed-in", start)
	if in, ok, err := store.LookedUp(lctx, u.ID, sid); !ok || err != nil || in.Live {
		t.Errorf("session ended: %+v, %v, %v", in, err, ok)
	}
	if _, err := pool.Exec(ctx, `DELETE FROM users WHERE id = $1`, u.ID); err != nil {
		t.Fatal(err)
	}
	lctx, _ = find("signed-in", start)
	if _, ok, err := store.LookedUp(lctx, u.ID, sid); !ok || !errors.Is(err, store.ErrNotFound) {
		t.Errorf("person deleted: %v, %v", err, ok)
	}
}

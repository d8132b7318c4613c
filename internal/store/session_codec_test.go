package store_test

import (
	"maps"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/ofsted/focusedvisits/internal/store"
)

// TestSessionCodec: the service's sessions (strings, ints, int64s and
// bools) round-trip
// in the codec's own form; a session with any other value is written with
// gob and read back whole; sessions written with gob before the codec are
// read as they were; data cut short or changed is an error, never a panic.
func TestSessionCodec(t *testing.T) {
	t.Parallel()
	c := store.SessionCodec{}
	deadline := time.Date(2026, 12, 2, 9, 30, 15, 123456789, time.UTC)
	session := map[string]any{
		"user_id": int64(42), "session_id": int64(-7), "big": int64(1 << 60), "seen": int64(0), "epoch": 3, "negative": -1,
		"yes": true, "no": false,
		"flash": "Visit created", "next": "/visits/abc?x=1", "empty": "", "unicode": "Ymweliad â ffocws – ✓",
	}
	for _, tc := range []struct {
		name   string
		values map[string]any
	}{
		{"signed in", session},
		{"no values", map[string]any{}},
		{"another type", map[string]any{"user_id": int64(42), "ratio": 0.5}},
	} {
		b, err := c.Encode(deadline, tc.values)
		if err != nil {
			t.Fatalf("%s: encode: %v", tc.name, err)
		}
		gotDeadline, got, err := c.Decode(b)
		if err != nil {
			t.Fatalf("%s: decode: %v", tc.name, err)
		}
		if !gotDeadline.Equal(deadline) || !maps.Equal(got, tc.values) {
			t.Errorf("%s: round trip gave %v, %v; want %v, %v", tc.name, gotDeadline, got, deadline, tc.values)
		}
	}

	// Written by scs's GobCodec, as every session was before.
	old, err := scs.GobCodec{}.Encode(deadline, session)
	if err != nil {
		t.Fatal(err)
	}
	if d, got, err := c.Decode(old); err != nil || !d.Equal(deadline) || !maps.Equal(got, session) {
		t.Errorf("a gob session: %v, %v, %v; want %v, %v", d, got, err, deadline, session)
	}

	// With Gob set, as for a rolling deploy, sessions are written in the
	// form an older release reads (scs's GobCodec), and still read back.
	g, err := store.SessionCodec{Gob: true}.Encode(deadline, session)
	if err != nil {
		t.Fatal(err)
	}
	if d, got, err := (scs.GobCodec{}).Decode(g); err != nil || !d.Equal(deadline) || !maps.Equal(got, session) {
		t.Errorf("Gob: an older release reads %v, %v, %v", d, got, err)
	}
	if _, got, err := c.Decode(g); err != nil || !maps.Equal(got, session) {
		t.Errorf("Gob: read back %v, %v", got, err)
	}

	// Every shorter prefix, and a byte too many, are refused.
	b, err := c.Encode(deadline, session)
	if err != nil {
		t.Fatal(err)
	}
	for n := range len(b) {
		if _, _, err := c.Decode(b[:n]); err == nil {
			t.Errorf("the first %d of %d bytes decoded", n, len(b))
		}
	}
	if _, _, err := c.Decode(append(b[:len(b):len(b)], 0)); err == nil {
		t.Error("a byte after the values decoded")
	}
}

// FuzzSessionCodec: Decode never panics, and what it accepts encodes and
// decodes again to the same.
func FuzzSessionCodec(f *testing.F) {
	c := store.SessionCodec{}
	for _, values := range []map[string]any{{}, {"user_id": int64(1), "epoch": 2, "flash": "Saved", "ok": true}, {"a": 0.5}} {
		b, err := c.Encode(time.Unix(1_700_000_000, 5), values)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte("\x00fv1\x02\x00\xff\xff\xff\xff\x0f"))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, values, err := c.Decode(b)
		if err != nil {
			return
		}
		again, err := c.Encode(d, values)
		if err != nil {
			t.Fatalf("re-encode %v: %v", values, err)
		}
		d2, values2, err := c.Decode(again)
		if err != nil || !d2.Equal(d) || len(values2) != len(values) {
			t.Fatalf("decode again: %v, %v, %v; want %v, %v", d2, values2, err, d, values)
		}
	})
}

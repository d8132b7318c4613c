package migrations_test

import (
	"context"
	"testing"

	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivermigrate"
)

// TestRiverSchema: migrations 00017 and 00018 carry River's schema whole, as
// River's own migrator would leave it (every version of the River release in
// go.mod applied and recorded), so a River upgrade with a new schema version
// fails here until a migration brings it. Rolling both back leaves no River
// table behind, and applying them again works.
func TestRiverSchema(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool, p := migratedDB(t)
	m, err := rivermigrate.New(riverpgxv5.New(pool), nil)
	if err != nil {
		t.Fatal(err)
	}
	res, err := m.Validate(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !res.OK {
		t.Fatalf("River's migrator finds the schema out of date: %v", res.Messages)
	}
	all := m.AllVersions()
	existing, err := m.ExistingVersions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	have := len(existing)
	if have != len(all) {
		t.Fatalf("%d River versions recorded, River has %d", have, len(all))
	}

	riverTables := func() int {
		var n int
		if err := pool.QueryRow(ctx, `SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename LIKE 'river%'`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := riverTables(); n < 4 {
		t.Fatalf("%d River tables", n)
	}
	if _, err := p.DownTo(ctx, 16); err != nil {
		t.Fatalf("down to 16: %v", err)
	}
	if n := riverTables(); n != 0 {
		t.Errorf("%d River tables left after rolling back", n)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatalf("up again: %v", err)
	}
	if res, err := m.Validate(ctx, nil); err != nil || !res.OK {
		t.Fatalf("after down and up: %+v %v", res, err)
	}
}

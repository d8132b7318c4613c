package migrations_test

import (
	"context"
	"database/sql"
	"io/fs"
	"strconv"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/pressly/goose/v3"

	"github.com/ofsted/focusedvisits/internal/dbtest"
	"github.com/ofsted/focusedvisits/migrations"
)

// migratedDB is a fresh database with every migration applied: a pool on
// it, and a goose provider over it to move between versions. Both close
// when the test ends.
func migratedDB(t *testing.T) (*pgxpool.Pool, *goose.Provider) {
	t.Helper()
	url := dbtest.URL(t)
	pool, err := pgxpool.New(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	p, err := goose.NewProvider(goose.DialectPostgres, db, migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	return pool, p
}

// versionOf is the version of the migration named NNNNN_name.sql.
func versionOf(t *testing.T, name string) int64 {
	t.Helper()
	files, err := fs.Glob(migrations.FS, "*_"+name+".sql")
	if err != nil || len(files) != 1 {
		t.Fatalf("migration %s: %v, %v", name, files, err)
	}
	v, err := strconv.ParseInt(strings.SplitN(files[0], "_", 2)[0], 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

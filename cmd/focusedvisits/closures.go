package main

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// loadClosures reads the closure days an administrator has added from the
// database at databaseURL, in date order, through the store.
func loadClosures(ctx context.Context, databaseURL string) ([]workday.Closure, error) {
	pool, err := pgxpool.New(ctx, databaseURL)
	if err != nil {
		return nil, fmt.Errorf("connect to the database: %w", err)
	}
	defer pool.Close()
	cs, err := store.New(pool).Closures(ctx)
	if err != nil {
		return nil, fmt.Errorf("read closure days: %w", err)
	}
	return cs, nil
}

package main

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/ofsted/focusedvisits/internal/workday"
)

// loadClosures reads the closure days an administrator has added (table
// closure_days) from the database at databaseURL, in date order.
func loadClosures(ctx context.Context, databaseURL string) ([]workday.Closure, error) {
	conn, err := pgx.Connect(ctx, databaseURL)
	if err != nil {
		return nil, fmt.Errorf("connect to the database: %w", err)
	}
	defer conn.Close(context.WithoutCancel(ctx))

	rows, _ := conn.Query(ctx, `SELECT day, reason FROM closure_days ORDER BY day`)
	cs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (workday.Closure, error) {
		var (
			day    pgtype.Date
			reason string
		)
		if err := row.Scan(&day, &reason); err != nil {
			return workday.Closure{}, err
		}
		if !day.Valid || day.InfinityModifier != pgtype.Finite {
			return workday.Closure{}, fmt.Errorf("closure day %v is not a calendar date", day)
		}
		// pgx gives a date as midnight UTC, so its UTC calendar date is the day.
		return workday.Closure{Date: workday.DateOf(day.Time), Reason: reason}, nil
	})
	if err != nil {
		return nil, fmt.Errorf("read closure days: %w", err)
	}
	return cs, nil
}

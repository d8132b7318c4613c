package store

import (
	"time"

	"github.com/jackc/pgx/v5/pgtype"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// pgDate converts a civil date to a SQL date; the zero date is NULL.
func pgDate(d workday.Date) pgtype.Date {
	if d.IsZero() {
		return pgtype.Date{}
	}
	return pgtype.Date{Time: d.Time(time.UTC), Valid: true}
}

// fromPGDate converts a SQL date to a civil date; NULL is the zero date.
func fromPGDate(d pgtype.Date) workday.Date {
	if !d.Valid {
		return workday.Date{}
	}
	return workday.NewDate(d.Time.Year(), d.Time.Month(), d.Time.Day())
}

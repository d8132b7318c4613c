package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/migrations"
)

// retentionEvery is how often serve runs the retention job.
const retentionEvery = time.Hour

// applyRetention deletes the child-level data and uploaded files of every
// visit whose letter was published more than retention before now, one
// transaction per visit, and returns what went. A visit that fails is
// logged and skipped; the others still run, and the first error is returned.
func applyRetention(ctx context.Context, st *store.Store, now time.Time, retention time.Duration, log *slog.Logger) ([]store.Retained, error) {
	cutoff := now.Add(-retention)
	days := int(retention / (24 * time.Hour))
	ids, err := st.VisitsPastRetention(ctx, cutoff)
	if err != nil {
		return nil, err
	}
	var done []store.Retained
	var first error
	for _, id := range ids {
		r, err := st.DeleteChildData(ctx, id, cutoff, now, days)
		if err != nil {
			if ctx.Err() != nil {
				return done, ctx.Err()
			}
			log.Error("retention: deleting children's data", "visit_id", id, "error", err)
			if first == nil {
				first = err
			}
			continue
		}
		if r.Rows+r.Issues+r.Samples+r.Files == 0 {
			continue
		}
		log.Info("retention: deleted children's data", "visit_id", r.VisitID, "reference", r.Reference,
			"published_at", r.PublishedAt, "child_rows", r.Rows, "list_issues", r.Issues,
			"sample_cases", r.Samples, "files", r.Files, "file_bytes", r.Bytes)
		done = append(done, r)
	}
	return done, first
}

// retentionLoop runs the retention job at once and then every interval
// until ctx ends.
func retentionLoop(ctx context.Context, st *store.Store, now func() time.Time, retention, every time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if _, err := applyRetention(ctx, st, now(), retention, log); err != nil && ctx.Err() == nil {
			log.Warn("retention job", "error", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// cmdRetention runs the retention job once, for operators:
// focusedvisits retention run.
func cmdRetention(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) != 1 || args[0] != "run" {
		return errors.New("usage: focusedvisits retention run")
	}
	cfg, log, err := setup(getenv, stderr)
	if err != nil {
		return err
	}
	url, err := databaseURL(ctx, cfg, log)
	if err != nil {
		return err
	}
	if cfg.MigrateOnStart {
		if err := migrations.Up(ctx, url); err != nil {
			return err
		}
	}
	pool, err := openPool(ctx, cfg, url)
	if err != nil {
		return err
	}
	defer pool.Close()
	done, err := applyRetention(ctx, store.New(pool), time.Now(), cfg.ChildDataRetention, log)
	for _, r := range done {
		fmt.Fprintf(stdout, "%s: deleted %d child-level rows, %d list issues, %d sample cases, %d files (%d bytes); published %s\n",
			r.Reference, r.Rows, r.Issues, r.Samples, r.Files, r.Bytes, r.PublishedAt.Format(time.DateOnly))
	}
	fmt.Fprintf(stdout, "retention: %d visits past %d days after publication had children's data deleted\n",
		len(done), int(cfg.ChildDataRetention/(24*time.Hour)))
	return err
}

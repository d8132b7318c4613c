package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/ofsted/focusedvisits/internal/config"
	"github.com/ofsted/focusedvisits/internal/jobs"
	"github.com/ofsted/focusedvisits/internal/mailer"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/migrations"
)

// runDue runs the scheduled jobs due now (internal/jobs.RunDue) against the
// configured database and returns what they did.
func runDue(ctx context.Context, getenv func(string) string, stderr io.Writer) ([]jobs.Worked, time.Duration, error) {
	cfg, log, err := setup(getenv, stderr)
	if err != nil {
		return nil, 0, err
	}
	url, err := databaseURL(ctx, cfg, log)
	if err != nil {
		return nil, 0, err
	}
	if cfg.MigrateOnStart {
		if err := migrations.Up(ctx, url); err != nil {
			return nil, 0, err
		}
	}
	pool, err := openPool(ctx, cfg, url)
	if err != nil {
		return nil, 0, err
	}
	defer pool.Close()
	jc, err := jobsConfig(cfg, newStore(pool, cfg), log)
	if err != nil {
		return nil, 0, err
	}
	worked, err := jobs.RunDue(ctx, jc)
	return worked, cfg.ChildDataRetention, err
}

// newStore is the service's store over pool, wording its messages' links
// from BASE_URL.
func newStore(pool *pgxpool.Pool, cfg config.Config) *store.Store {
	return store.New(pool).WithOutbox(store.Outbox{BaseURL: cfg.BaseURL.String()}).WithVisitCache(cfg.VisitCacheSize)
}

// jobsConfig is what the scheduled jobs need: the store, the retention
// period, the mail server (none when SMTP_URL is unset) and the reminders.
func jobsConfig(cfg config.Config, st *store.Store, log *slog.Logger) (jobs.Config, error) {
	jc := jobs.Config{Store: st, Logger: log, Retention: cfg.ChildDataRetention,
		MailAttempts: cfg.SMTP.MaxAttempts, ReminderWorkingDays: cfg.ReminderWorkingDays}
	if cfg.SMTP.Enabled() {
		m, err := mailer.New(cfg.SMTP, cfg.BaseURL.Hostname())
		if err != nil {
			return jc, err
		}
		jc.Mailer = m
	}
	return jc, nil
}

// cmdJobs runs the scheduled jobs due now, for operators:
// focusedvisits jobs run-due.
func cmdJobs(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) != 1 || args[0] != "run-due" {
		return errors.New("usage: focusedvisits jobs run-due")
	}
	worked, _, err := runDue(ctx, getenv, stderr)
	failed := 0
	for _, w := range worked {
		line := fmt.Sprintf("job %d %s %s: %s (attempt %d)", w.ID, w.Kind, w.Args, w.State, w.Attempt)
		if w.Error != "" {
			line += ": " + w.Error
			failed++
		} else if w.Output != "" {
			line += " " + w.Output
		}
		fmt.Fprintln(stdout, line)
	}
	fmt.Fprintf(stdout, "jobs: %d worked, %d failed\n", len(worked), failed)
	return err
}

// cmdRetention is `jobs run-due` under its older name, kept for scripts:
// focusedvisits retention run. It runs every job due (the retention purge
// among them) and reports what the purge deleted.
func cmdRetention(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) != 1 || args[0] != "run" {
		return errors.New("usage: focusedvisits retention run")
	}
	worked, retention, err := runDue(ctx, getenv, stderr)
	visits := 0
	for _, w := range worked {
		if w.Kind != (jobs.PurgeChildDataArgs{}).Kind() || w.Error != "" {
			continue
		}
		var out struct {
			Reference string `json:"reference"`
			Rows      int    `json:"child_rows"`
			Issues    int    `json:"list_issues"`
			Samples   int    `json:"sample_cases"`
			Files     int    `json:"files"`
			Bytes     int64  `json:"file_bytes"`
		}
		if json.Unmarshal([]byte(w.Output), &out) != nil || out.Rows+out.Issues+out.Samples+out.Files == 0 {
			continue
		}
		visits++
		fmt.Fprintf(stdout, "%s: deleted %d child-level rows, %d list issues, %d sample cases, %d files (%d bytes)\n",
			out.Reference, out.Rows, out.Issues, out.Samples, out.Files, out.Bytes)
	}
	fmt.Fprintf(stdout, "retention: %d visits past %d days after publication had children's data deleted\n",
		visits, int(retention/(24*time.Hour)))
	return err
}

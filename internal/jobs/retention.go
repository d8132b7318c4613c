package jobs

import (
	"context"
	"encoding/json"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
)

// The job kinds of the retention purge (DOMAIN decision 17): children's data
// is deleted a set time after the visit's letter is published.

const day = 24 * time.Hour

// RetentionSweepArgs is the sweep that finds the visits whose children's
// data is past its retention period.
type RetentionSweepArgs struct{}

// Kind names the job kind.
func (RetentionSweepArgs) Kind() string { return "retention_sweep" }

// InsertOpts makes it unique.
func (RetentionSweepArgs) InsertOpts() river.InsertOpts { return insertOpts() }

// PurgeChildDataArgs deletes a visit's children's data, if its letter was
// published more than RetentionDays ago. The days travel with the job, so
// whichever process runs it keeps the period the sweep found it with.
type PurgeChildDataArgs struct {
	VisitID       int64 `json:"visit_id" river:"unique"`
	RetentionDays int   `json:"retention_days"`
}

// Kind names the job kind.
func (PurgeChildDataArgs) Kind() string { return "purge_child_data" }

// InsertOpts makes it unique per visit.
func (PurgeChildDataArgs) InsertOpts() river.InsertOpts { return insertOpts() }

type retentionSweepWorker struct {
	river.WorkerDefaults[RetentionSweepArgs]
	cfg Config
}

func (w *retentionSweepWorker) Work(ctx context.Context, job *river.Job[RetentionSweepArgs]) error {
	days := int(w.cfg.Retention / day)
	if days <= 0 {
		return river.RecordOutput(ctx, map[string]any{"visits": 0, "why": "no retention period set here"})
	}
	ids, err := w.cfg.Store.VisitsPastRetention(ctx, w.cfg.now().Add(-time.Duration(days)*day))
	if err != nil {
		return err
	}
	var jobs []river.InsertManyParams
	for _, id := range ids {
		jobs = append(jobs, river.InsertManyParams{Args: PurgeChildDataArgs{VisitID: id, RetentionDays: days}})
	}
	if len(jobs) > 0 {
		if _, err := river.ClientFromContext[pgx.Tx](ctx).InsertMany(ctx, jobs); err != nil {
			return err
		}
	}
	return river.RecordOutput(ctx, map[string]any{"visits": len(ids), "retention_days": days})
}

type purgeChildDataWorker struct {
	river.WorkerDefaults[PurgeChildDataArgs]
	cfg Config
}

// Timeout: deleting a visit's files and rows is one transaction, which may
// take more than River's default minute for a large visit.
func (w *purgeChildDataWorker) Timeout(*river.Job[PurgeChildDataArgs]) time.Duration {
	return 30 * time.Minute
}

// Work deletes the visit's children's data in one transaction, if it is
// still due (store.DeleteChildData checks again under a lock, so a second
// run deletes nothing).
func (w *purgeChildDataWorker) Work(ctx context.Context, job *river.Job[PurgeChildDataArgs]) error {
	days := job.Args.RetentionDays
	if days <= 0 {
		return river.RecordOutput(ctx, map[string]any{"deleted": false, "why": "no retention period"})
	}
	now := w.cfg.now()
	r, err := w.cfg.Store.DeleteChildData(ctx, job.Args.VisitID, now.Add(-time.Duration(days)*day), now, days)
	if err != nil {
		return err
	}
	if r.Rows+r.Issues+r.Samples+r.Files > 0 {
		w.cfg.logger().Info("jobs: children's data deleted", "visit_id", r.VisitID, "reference", r.Reference,
			"published_at", r.PublishedAt, "child_rows", r.Rows, "list_issues", r.Issues,
			"sample_cases", r.Samples, "files", r.Files, "file_bytes", r.Bytes)
	}
	return river.RecordOutput(ctx, map[string]any{
		"reference": r.Reference, "child_rows": r.Rows, "list_issues": r.Issues, "sample_cases": r.Samples,
		"files": r.Files, "file_bytes": r.Bytes,
	})
}

// outputOf is what a job recorded (river.RecordOutput), as JSON, from its
// metadata.
func outputOf(metadata []byte) string {
	var m struct {
		Output json.RawMessage `json:"output"`
	}
	if json.Unmarshal(metadata, &m) != nil || len(m.Output) == 0 {
		return ""
	}
	return string(m.Output)
}

package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
)

// The scheduled jobs' queue is River's (internal/jobs; its tables come from
// migration 00017). The queue itself is River's business; the service reads
// river_job here for the administrators' page and for `jobs run-due`.

// Job is one job of the queue as the administrators' page shows it.
type Job struct {
	ID          int64
	Kind        string
	Args        json.RawMessage
	State       string // available, scheduled, running, retryable, completed, discarded, cancelled, pending
	Attempt     int
	MaxAttempts int
	CreatedAt   time.Time
	ScheduledAt time.Time
	AttemptedAt time.Time // zero before the first attempt
	FinalizedAt time.Time // zero until it completed, was discarded or cancelled
	// Errors are the attempts that failed, oldest first.
	Errors []JobError
	// Output is what the job recorded of its work (river.RecordOutput).
	Output json.RawMessage
	// Visit is the reference of the visit the job is about, if any.
	Visit string
}

// JobError is one failed attempt of a job.
type JobError struct {
	At      time.Time `json:"at"`
	Attempt int       `json:"attempt"`
	Error   string    `json:"error"`
}

// LastError is the error of the job's last failed attempt, or "".
func (j Job) LastError() string {
	if len(j.Errors) == 0 {
		return ""
	}
	return j.Errors[len(j.Errors)-1].Error
}

// Retried reports whether the job has run more than once.
func (j Job) Retried() bool { return j.Attempt > 1 }

// JobGroup names a group of jobs on the administrators' page.
type JobGroup string

// The groups of jobs, by state.
const (
	JobsWaiting  JobGroup = "waiting"  // available, scheduled, pending: not yet run
	JobsRunning  JobGroup = "running"  // running now
	JobsFailed   JobGroup = "failed"   // retryable (to be retried) or discarded (gave up)
	JobsFinished JobGroup = "finished" // completed or cancelled
)

var jobGroupStates = map[JobGroup][]string{
	JobsWaiting:  {"available", "scheduled", "pending"},
	JobsRunning:  {"running"},
	JobsFailed:   {"retryable", "discarded"},
	JobsFinished: {"completed", "cancelled"},
}

// ListJobs returns up to limit jobs of a group: waiting ones soonest first,
// the others most recent first.
func (s *Store) ListJobs(ctx context.Context, g JobGroup, limit int) ([]Job, error) {
	states, ok := jobGroupStates[g]
	if !ok {
		return nil, fmt.Errorf("store: no job group %q", g)
	}
	order := `COALESCE(j.finalized_at, j.attempted_at, j.scheduled_at) DESC, j.id DESC`
	if g == JobsWaiting {
		order = `j.scheduled_at, j.id`
	}
	rows, _ := s.db.Query(ctx, `SELECT j.id, j.kind, j.args, j.state::text, j.attempt, j.max_attempts, j.created_at, j.scheduled_at,
			j.attempted_at, j.finalized_at, COALESCE(to_jsonb(j.errors), '[]'::jsonb), j.metadata -> 'output', COALESCE(v.reference, '')
		FROM river_job j LEFT JOIN visits v ON j.args ? 'visit_id' AND jsonb_typeof(j.args -> 'visit_id') = 'number'
			AND v.id = (j.args ->> 'visit_id')::numeric
		WHERE j.state::text = ANY($1) ORDER BY `+order+` LIMIT $2`, states, limit)
	list, err := pgx.CollectRows(rows, scanJob)
	if err != nil {
		return nil, fmt.Errorf("store: list %s jobs: %w", g, err)
	}
	return list, nil
}

func scanJob(row pgx.CollectableRow) (Job, error) {
	var j Job
	var attempted, finalized pgtype.Timestamptz
	var errs []byte
	var output []byte
	if err := row.Scan(&j.ID, &j.Kind, &j.Args, &j.State, &j.Attempt, &j.MaxAttempts, &j.CreatedAt, &j.ScheduledAt,
		&attempted, &finalized, &errs, &output, &j.Visit); err != nil {
		return j, err
	}
	j.AttemptedAt, j.FinalizedAt = tsOf(attempted), tsOf(finalized)
	if err := json.Unmarshal(errs, &j.Errors); err != nil {
		return j, fmt.Errorf("errors of job %d: %w", j.ID, err)
	}
	if len(output) > 0 && string(output) != "null" {
		j.Output = output
	}
	return j, nil
}

// CountJobs counts the jobs of each group.
func (s *Store) CountJobs(ctx context.Context) (map[JobGroup]int, error) {
	out := map[JobGroup]int{}
	rows, _ := s.db.Query(ctx, `SELECT state::text, count(*) FROM river_job GROUP BY state`)
	var state string
	var n int
	_, err := pgx.ForEachRow(rows, []any{&state, &n}, func() error {
		for g, ss := range jobGroupStates {
			for _, x := range ss {
				if x == state {
					out[g] += n
				}
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: count jobs: %w", err)
	}
	return out, nil
}

// DueJobs reports what of the queue is due now, for one job runner (River
// client) that runs what is due and stops: the ids of the jobs waiting for a
// time that has come (scheduled, or retryable after a failed attempt), how
// many jobs are ready to run, and the ids of the jobs that runner is running
// (as the database has it: River records a job's end a little after it
// ends). Jobs another runner is running are its business.
func (s *Store) DueJobs(ctx context.Context, runnerID string) (waiting []int64, available int, running []int64, err error) {
	rows, _ := s.db.Query(ctx, `SELECT id FROM river_job WHERE state IN ('scheduled', 'retryable') AND scheduled_at <= now() ORDER BY id`)
	if waiting, err = pgx.CollectRows(rows, pgx.RowTo[int64]); err != nil {
		return nil, 0, nil, fmt.Errorf("store: due jobs: %w", err)
	}
	if err = s.db.QueryRow(ctx, `SELECT count(*) FROM river_job WHERE state = 'available'`).Scan(&available); err != nil {
		return nil, 0, nil, fmt.Errorf("store: ready jobs: %w", err)
	}
	rows, _ = s.db.Query(ctx, `SELECT id FROM river_job WHERE state = 'running' AND attempted_by[cardinality(attempted_by)] = $1 ORDER BY id`, runnerID)
	if running, err = pgx.CollectRows(rows, pgx.RowTo[int64]); err != nil {
		return nil, 0, nil, fmt.Errorf("store: running jobs: %w", err)
	}
	return waiting, available, running, nil
}

// ListVisitsMissingActionPlans returns the active visits whose final letter
// has been sent with an area for priority action but whose request lacks an
// action plan item: sending the final adds them (SendFinalLetter), so these
// are only letters sent before it did.
func (s *Store) ListVisitsMissingActionPlans(ctx context.Context) ([]int64, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT v.id FROM visits v JOIN letters l ON l.visit_id = v.id
		WHERE v.status = 'active' AND v.priority_action AND l.final_version IS NOT NULL AND l.final_sent_at IS NOT NULL
			AND (SELECT count(*) FROM request_items i WHERE i.visit_id = v.id AND i.number = ANY($1)) < cardinality($1::text[])
		ORDER BY v.id`, []string{DraftActionPlanNumber, ActionPlanNumber})
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("store: visits missing action plans: %w", err)
	}
	return ids, nil
}

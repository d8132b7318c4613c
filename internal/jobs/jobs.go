// Package jobs runs what time moves (DOMAIN decision 16): publication on
// its date, the retention purge of children's data, the action plans of
// letters sent before sending the final added them, and email (mail.go):
// the delivery of the outbox, the 08:00 reminders and digests. Nothing here
// runs because someone opened a page.
//
// The queue is River's (github.com/riverqueue/river) on PostgreSQL, its
// tables created by migration 00017. Jobs are durable rows in river_job;
// PostgreSQL decides which process runs each (SELECT … FOR UPDATE SKIP
// LOCKED), so one `serve` or many can run them. A failed job is retried with
// back-off (River's policy: attempt⁴ seconds, 25 attempts) and kept with its
// errors. Every kind is idempotent and unique per visit (UniqueOpts), so a
// sweep that runs twice, or two processes enqueuing at once, never doubles a
// job.
//
// Two periodic sweeps (every hour on the hour, so at 00:00 Europe/London,
// and once when a process starts) find the work and enqueue one job per
// visit:
//
//   - publication_sweep → publish_letter for each letter whose publication
//     day has come (letter.DueDate: the planned date, or the working day
//     after a complaint that held it was resolved), stamped with that day
//     even when the job runs later; and start_action_plans for a final letter
//     with a priority action whose plans are missing;
//   - retention_sweep → purge_child_data for each visit whose letter was
//     published more than CHILD_DATA_RETENTION_DAYS ago and that still holds
//     children's data.
//
// Email has its own schedules (mail.go): deliver_messages every 30
// seconds, send_reminders and send_digests at 08:00 Europe/London.
//
// RunDue runs what is due now and returns, for `focusedvisits jobs run-due`,
// the demo loader and tests (with a fixed clock): the sweeps first, then
// the delivery of what they queued.
package jobs

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/rivertype"

	"github.com/ofsted/focusedvisits/internal/mailer"
	"github.com/ofsted/focusedvisits/internal/store"
)

// Config is what the jobs need.
type Config struct {
	// Store is the service's store over a pool (not inside a transaction).
	Store  *store.Store
	Logger *slog.Logger
	// Now is the service's clock, which decides what is due; nil is
	// time.Now. Tests fix it. (River's own bookkeeping, such as when a
	// failed job is retried, uses the real time.)
	Now func() time.Time
	// Retention is how long children's data is kept after publication
	// (CHILD_DATA_RETENTION_DAYS); zero leaves the retention purge out.
	Retention time.Duration
	// Workers is how many jobs one process runs at once; zero is 2.
	Workers int
	// RetryPolicy is when a failed job runs again; nil is River's (attempt⁴
	// seconds, with jitter). Tests give a short one.
	RetryPolicy river.ClientRetryPolicy
	// Hooks are River hooks, for tests that count the work done.
	Hooks []rivertype.Hook
	// Mailer sends the outbox's messages (internal/mailer); nil marks them
	// "not sent: no mail server".
	Mailer *mailer.Mailer
	// MailAttempts is how many times a message is tried before it is
	// failed (SMTP_MAX_ATTEMPTS); zero is 10.
	MailAttempts int
	// ReminderWorkingDays is how many working days before a deadline its
	// first reminder comes (REMINDER_WORKING_DAYS); zero sends only the one
	// on the day.
	ReminderWorkingDays int
}

func (c Config) mailAttempts() int { return cmp.Or(c.MailAttempts, 10) }

func (c Config) now() time.Time {
	if c.Now == nil {
		return time.Now()
	}
	return c.Now()
}

func (c Config) logger() *slog.Logger {
	if c.Logger == nil {
		return slog.New(slog.DiscardHandler)
	}
	return c.Logger
}

// Client is the River client the jobs run on.
type Client = river.Client[pgx.Tx]

// uniquePerVisit is the uniqueness of every job kind: one job of a kind (and
// visit, for the kinds that name one) waiting, running or to be retried at
// a time. A completed job does not count, so the next sweep may enqueue the
// kind again when there is more to do.
var uniquePerVisit = river.UniqueOpts{
	ByArgs: true,
	ByState: []rivertype.JobState{
		rivertype.JobStateAvailable, rivertype.JobStatePending, rivertype.JobStateRunning,
		rivertype.JobStateRetryable, rivertype.JobStateScheduled,
	},
}

func insertOpts() river.InsertOpts { return river.InsertOpts{UniqueOpts: uniquePerVisit} }

// newClient builds a River client with every worker. periodic adds the
// hourly sweeps (the long-running `serve`); run-due leaves them out and
// stays out of leader election, so it never takes over the queue's upkeep.
func newClient(cfg Config, periodic bool) (*Client, error) {
	if cfg.Store == nil || cfg.Store.Pool() == nil {
		return nil, errors.New("jobs: a store over a pool is needed")
	}
	workers := river.NewWorkers()
	river.AddWorker(workers, &publicationSweepWorker{cfg: cfg})
	river.AddWorker(workers, &publishLetterWorker{cfg: cfg})
	river.AddWorker(workers, &actionPlansWorker{cfg: cfg})
	river.AddWorker(workers, &retentionSweepWorker{cfg: cfg})
	river.AddWorker(workers, &purgeChildDataWorker{cfg: cfg})
	river.AddWorker(workers, &deliverWorker{cfg: cfg})
	river.AddWorker(workers, &remindersWorker{cfg: cfg})
	river.AddWorker(workers, &digestsWorker{cfg: cfg})
	rc := &river.Config{
		Logger:      cfg.logger(),
		Queues:      map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: cmp.Or(cfg.Workers, 2)}},
		Workers:     workers,
		RetryPolicy: cfg.RetryPolicy,
		Hooks:       cfg.Hooks,
	}
	if periodic {
		rc.PeriodicJobs = periodicJobs(cfg)
	} else {
		// run-due lives for seconds and waits for each job it added:
		// look for them often rather than once a second.
		rc.LeaderElectionDisabled = true
		rc.FetchCooldown, rc.FetchPollInterval = 5*time.Millisecond, 20*time.Millisecond
		rc.PollOnly = true
	}
	c, err := river.NewClient(riverpgxv5.New(cfg.Store.Pool()), rc)
	if err != nil {
		return nil, fmt.Errorf("jobs: %w", err)
	}
	return c, nil
}

// sweeps are the jobs that find the work, in the order run-due enqueues
// them: what time moves first (publication, retention, the morning's
// reminders and digests), then the delivery of the messages they queued.
func sweeps(cfg Config) [][]river.JobArgs {
	first := []river.JobArgs{PublicationSweepArgs{}}
	if cfg.Retention > 0 {
		first = append(first, RetentionSweepArgs{})
	}
	first = append(first, SendRemindersArgs{}, SendDigestsArgs{})
	return [][]river.JobArgs{first, {DeliverMessagesArgs{}}}
}

// periodicJobs enqueues the sweeps every hour on the hour, the reminders
// and digests at 08:00, each once at start too, and the delivery of the
// outbox every 30 seconds.
func periodicJobs(cfg Config) []*river.PeriodicJob {
	var out []*river.PeriodicJob
	add := func(s river.PeriodicSchedule, args river.JobArgs) {
		opts := insertOpts()
		out = append(out, river.NewPeriodicJob(s, func() (river.JobArgs, *river.InsertOpts) { return args, &opts },
			&river.PeriodicJobOpts{ID: args.Kind(), RunOnStart: true}))
	}
	add(OnTheHour{}, PublicationSweepArgs{})
	if cfg.Retention > 0 {
		add(OnTheHour{}, RetentionSweepArgs{})
	}
	add(AtLondon{Hour: morningHour}, SendRemindersArgs{})
	add(AtLondon{Hour: morningHour}, SendDigestsArgs{})
	add(river.PeriodicInterval(deliverEvery), DeliverMessagesArgs{})
	return out
}

// OnTheHour is the sweeps' schedule: the start of every hour. Europe/London
// is a whole number of hours from UTC in summer and winter, so its 00:00 is
// always one of them.
type OnTheHour struct{}

// Next is the first start of an hour after t.
func (OnTheHour) Next(t time.Time) time.Time {
	return t.Truncate(time.Hour).Add(time.Hour)
}

// Runner runs the jobs in a long-running process (`serve`).
type Runner struct {
	client *Client
}

// NewRunner builds the runner of `serve`: every worker and the hourly sweeps.
func NewRunner(cfg Config) (*Runner, error) {
	c, err := newClient(cfg, true)
	if err != nil {
		return nil, err
	}
	return &Runner{client: c}, nil
}

// Start starts working jobs until Stop (or ctx ends).
func (r *Runner) Start(ctx context.Context) error { return r.client.Start(ctx) }

// Stop stops fetching jobs and waits for those running to finish; when ctx
// ends first, it cancels them (each is one transaction, so a cancelled job
// leaves nothing half done, and it is retried later).
func (r *Runner) Stop(ctx context.Context) error {
	err := r.client.Stop(ctx)
	if ctx.Err() != nil {
		cctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		return errors.Join(err, r.client.StopAndCancel(cctx))
	}
	return err
}

// Worked is one job run-due worked, as it stood afterwards.
type Worked struct {
	ID      int64
	Kind    string
	Args    string
	State   rivertype.JobState // completed, retryable (failed, to be retried), discarded, cancelled
	Attempt int
	Output  string // what the job recorded, as JSON
	Error   string // the last error, when it failed
}

// RunDue runs what is due now: it enqueues the sweeps (publication, and
// retention when cfg.Retention is set), works every job ready to run,
// including those waiting for a time that has come (scheduled, or to be
// retried after a failure), and the jobs they enqueue, and returns once no
// job is ready or running here. Jobs another process is running are left
// to it. A failed job is retried with back-off only while its retry time
// has come, so RunDue ends even when a job keeps failing.
func RunDue(ctx context.Context, cfg Config) ([]Worked, error) {
	ended := &endedHere{ok: map[int64]bool{}}
	cfg.Hooks = append(slices.Clone(cfg.Hooks), ended)
	c, err := newClient(cfg, false)
	if err != nil {
		return nil, err
	}
	events, stopEvents := c.Subscribe(river.EventKindJobCompleted, river.EventKindJobFailed, river.EventKindJobCancelled, river.EventKindJobSnoozed)
	defer stopEvents()
	if err := c.Start(ctx); err != nil {
		return nil, fmt.Errorf("jobs: start: %w", err)
	}
	var worked []Worked
	record := func(e *river.Event) {
		if e == nil || e.Job == nil {
			return
		}
		worked = append(worked, workedOf(e.Job))
	}
	stop := func() error {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), time.Minute)
		defer cancel()
		err := c.Stop(sctx)
		for {
			select {
			case e, ok := <-events:
				if !ok {
					return err
				}
				record(e)
			default:
				return err
			}
		}
	}
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for _, phase := range sweeps(cfg) {
		for _, args := range phase {
			opts := insertOpts()
			if _, err := c.Insert(ctx, args, &opts); err != nil {
				return worked, errors.Join(fmt.Errorf("jobs: enqueue %s: %w", args.Kind(), err), stop())
			}
		}
		for {
			waiting, available, running, err := cfg.Store.DueJobs(ctx, c.ID())
			if err != nil {
				return worked, errors.Join(err, stop())
			}
			// A job that ended well here is done, though River records it
			// a moment later; one that failed is waited for, as its retry
			// may be due at once.
			ready := available + ended.unfinished(running)
			for _, id := range waiting {
				// Its time has come: run it now rather than wait for the
				// queue's upkeep to notice (jobs are idempotent, so a job
				// another process finished meanwhile is harmless to rerun).
				if _, err := c.JobRetry(ctx, id); err != nil && !errors.Is(err, river.ErrNotFound) {
					return worked, errors.Join(fmt.Errorf("jobs: run job %d now: %w", id, err), stop())
				}
			}
			if len(waiting) == 0 && ready == 0 {
				break
			}
			select {
			case e := <-events:
				record(e)
			case <-tick.C:
			case <-ctx.Done():
				return worked, errors.Join(ctx.Err(), stop())
			}
		}
	}
	return worked, stop()
}

// endedHere is a hook that notes the jobs one runner worked without an
// error.
type endedHere struct {
	river.HookDefaults
	mu sync.Mutex
	ok map[int64]bool
}

func (h *endedHere) WorkEnd(ctx context.Context, job *rivertype.JobRow, err error) error {
	if err == nil {
		h.mu.Lock()
		h.ok[job.ID] = true
		h.mu.Unlock()
	}
	return err
}

// unfinished is how many of the running jobs have not ended well here.
func (h *endedHere) unfinished(running []int64) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	n := 0
	for _, id := range running {
		if !h.ok[id] {
			n++
		}
	}
	return n
}

func workedOf(j *rivertype.JobRow) Worked {
	w := Worked{ID: j.ID, Kind: j.Kind, Args: string(j.EncodedArgs), State: j.State, Attempt: j.Attempt}
	if out := outputOf(j.Metadata); out != "" {
		w.Output = out
	}
	if n := len(j.Errors); n > 0 && j.State != rivertype.JobStateCompleted {
		w.Error = j.Errors[n-1].Error
	}
	return w
}

// Describe says what a job of the kind does, for the administrators' page.
func Describe(kind string) string {
	switch kind {
	case PublicationSweepArgs{}.Kind():
		return "Find the letters due to be published"
	case PublishLetterArgs{}.Kind():
		return "Publish the letter"
	case StartActionPlansArgs{}.Kind():
		return "Ask for the action plans"
	case RetentionSweepArgs{}.Kind():
		return "Find the children's data past its retention period"
	case PurgeChildDataArgs{}.Kind():
		return "Delete the children's data"
	case DeliverMessagesArgs{}.Kind():
		return "Send the emails waiting"
	case SendRemindersArgs{}.Kind():
		return "Queue the day's reminders"
	case SendDigestsArgs{}.Kind():
		return "Queue the day's digests"
	}
	return kind
}

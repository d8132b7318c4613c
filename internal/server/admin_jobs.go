package server

import (
	"fmt"
	"net/http"
	"time"

	"github.com/ofsted/focusedvisits/internal/jobs"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/web/pages"
)

// The administrators' page of scheduled jobs (internal/jobs): what failed
// and with which error, what is running, what waits for its time, and what
// finished lately (River keeps finished jobs for a day).

// jobsShown is how many jobs of each group the page lists.
const jobsShown = 50

func (s *Server) handleJobList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	counts, err := s.store.CountJobs(ctx)
	if err != nil {
		return err
	}
	v := pages.JobListView{
		Page:        s.page(r, "Scheduled jobs"),
		FailedCount: counts[store.JobsFailed], RunningCount: counts[store.JobsRunning],
		WaitingCount: counts[store.JobsWaiting], FinishedCount: counts[store.JobsFinished],
	}
	for _, g := range []struct {
		group store.JobGroup
		rows  *[]pages.JobRow
	}{
		{store.JobsFailed, &v.Failed}, {store.JobsRunning, &v.Running},
		{store.JobsWaiting, &v.Waiting}, {store.JobsFinished, &v.Finished},
	} {
		list, err := s.store.ListJobs(ctx, g.group, jobsShown)
		if err != nil {
			return err
		}
		for _, j := range list {
			*g.rows = append(*g.rows, jobRow(j))
		}
	}
	return s.render(w, r, http.StatusOK, pages.JobList(v))
}

// jobRow is a job as the page shows it.
func jobRow(j store.Job) pages.JobRow {
	row := pages.JobRow{
		ID: j.ID, What: jobs.Describe(j.Kind), Visit: j.Visit, Retried: j.Retried(),
		Attempts: fmt.Sprintf("Attempt %d of %d", j.Attempt, j.MaxAttempts),
	}
	at := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.In(london).Format("Mon 2 Jan 2006, 15:04:05")
	}
	switch j.State {
	case "retryable":
		row.Status, row.Colour, row.When, row.Error = "Will be retried", "orange", at(j.ScheduledAt), j.LastError()
	case "discarded":
		row.Status, row.Colour, row.When, row.Error = "Gave up", "red", at(j.FinalizedAt), j.LastError()
	case "running":
		row.Status, row.Colour, row.When = "Running", "blue", at(j.AttemptedAt)
	case "available", "pending":
		row.Status, row.Colour, row.When = "Ready to run", "light-blue", at(j.ScheduledAt)
	case "scheduled":
		row.Status, row.Colour, row.When = "Scheduled", "grey", at(j.ScheduledAt)
	case "completed":
		row.Status, row.Colour, row.When, row.Outcome = "Done", "green", at(j.FinalizedAt), string(j.Output)
	case "cancelled":
		row.Status, row.Colour, row.When, row.Error = "Cancelled", "grey", at(j.FinalizedAt), j.LastError()
	default:
		row.Status, row.Colour, row.When = j.State, "grey", at(j.ScheduledAt)
	}
	if j.Attempt == 0 {
		row.Attempts = "Not yet run"
	}
	return row
}

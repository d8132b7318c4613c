package pages

import "github.com/ofsted/focusedvisits/web/layout"

// JobListView is the administrators' page of scheduled jobs: what failed,
// what is running, what waits for its time, and what finished lately.
type JobListView struct {
	layout.Page
	Failed, Running, Waiting, Finished []JobRow
	// Counts of every job in each group (the tables show the latest only).
	FailedCount, RunningCount, WaitingCount, FinishedCount int
}

// JobRow is one job.
type JobRow struct {
	ID       int64
	What     string // what the job does
	Visit    string // the reference of the visit it is about, or ""
	Status   string
	Colour   string // the status tag's colour
	Attempts string // "Attempt 2 of 25"
	Retried  bool
	When     string // when it runs, ran or finished, as the group has it
	Error    string // the last error, for failed jobs
	Outcome  string // what it recorded of its work
}

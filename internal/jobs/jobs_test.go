package jobs_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"

	"github.com/ofsted/focusedvisits/internal/dbtest"
	"github.com/ofsted/focusedvisits/internal/jobs"
	"github.com/ofsted/focusedvisits/internal/letter"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

var london = func() *time.Location {
	l, err := time.LoadLocation("Europe/London")
	if err != nil {
		panic(err)
	}
	return l
}()

func date(s string) workday.Date {
	d, err := workday.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// at is h:m on day in Europe/London.
func at(day string, h, m int) time.Time {
	d := date(day)
	return time.Date(d.Year(), d.Month(), d.Day(), h, m, 0, 0, london)
}

// clock is a fixed clock a test moves.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) set(t time.Time) { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func (c *clock) now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

// shortRetry retries a failed job 10 ms later, so a test need not wait.
type shortRetry struct{}

func (shortRetry) NextRetry(*rivertype.JobRow) time.Time {
	return time.Now().Add(10 * time.Millisecond)
}

type fixture struct {
	st    *store.Store
	clock *clock
	lead  user.User
	qam   user.User
	ceo   user.User
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{st: store.New(dbtest.New(t)), clock: &clock{}}
	ctx := context.Background()
	add := func(r user.Role) user.User {
		hash, err := user.HashPassword("correct horse battery staple")
		if err != nil {
			t.Fatal(err)
		}
		u, err := f.st.CreateUser(ctx, user.New{Email: string(r) + "@example.gov.uk", Name: "Test " + string(r), Role: r}, hash)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	f.lead, f.qam, f.ceo = add(user.LeadInspector), add(user.QAM), add(user.CafcassCEO)
	return f
}

func (f *fixture) config() jobs.Config {
	return jobs.Config{Store: f.st, Now: f.clock.now, Retention: 365 * 24 * time.Hour, RetryPolicy: shortRetry{}}
}

func (f *fixture) runDue(t *testing.T) []jobs.Worked {
	t.Helper()
	w, err := jobs.RunDue(context.Background(), f.config())
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// letterSent makes a visit noticed on notice whose draft went on draft and
// final on final (with an area for priority action when priority is set),
// as the letter workflow records them, and returns its id.
func (f *fixture) letterSent(t *testing.T, notice, draft, final string, priority bool) int64 {
	t.Helper()
	ctx := context.Background()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	id, err := f.st.CreateVisit(ctx, store.NewVisit{
		TemplateID: timeline.FocusedVisit, TemplateVersion: "2021-03-17", AnchorCode: "notice", AnchorDate: date(notice),
		Members: []visit.Member{{UserID: f.lead.ID, Role: visit.RoleLead}, {UserID: f.qam.ID, Role: visit.RoleQAM}, {UserID: f.ceo.ID, Role: visit.RoleCafcass}},
	}, f.lead)
	must(err)
	must(f.st.RecordActual(ctx, id, 0, visit.Actual{Code: "notice", Date: date(notice)}, "Notice call", f.lead))
	c := letter.Content{
		Sections: map[letter.Section]string{letter.Introduction: "This letter summarises the findings of the focused visit."},
		Findings: []letter.Finding{{Kind: letter.KindStrength, Area: letter.PrivateLaw, Text: "Safeguarding checks are timely"}},
	}
	if priority {
		c.Sections[letter.PriorityAction] = "Leaders must act urgently."
		c.Findings = append(c.Findings, letter.Finding{Kind: letter.KindPriorityAction, Area: letter.PublicLaw, Text: "Care plans are not reviewed"})
	}
	_, err = f.st.SaveLetterVersion(ctx, id, 0, c, letter.Drafting, f.lead)
	must(err)
	must(f.st.MoveLetter(ctx, id, store.LetterMove{Action: letter.Submit, From: letter.Drafting, To: letter.InQA, Version: 1}, f.lead))
	must(f.st.MoveLetter(ctx, id, store.LetterMove{Action: letter.Approve, From: letter.InQA, To: letter.Approved, Version: 1}, f.qam))
	must(f.st.SendDraftLetter(ctx, id, store.LetterMove{Action: letter.SendDraft, From: letter.Approved, To: letter.DraftSent, Version: 1}, date(draft), f.lead))
	if final != "" {
		must(f.st.SendFinalLetter(ctx, id, store.LetterMove{Action: letter.SendFinal, From: letter.DraftSent, To: letter.FinalSent, Version: 1}, date(final), f.lead))
		must(f.st.WriteChildrenSummary(ctx, id, letter.FinalSent, "Inspectors found that Cafcass listens to children.", date(final).At(12, 0, 0, 0, time.UTC), f.lead))
	}
	return id
}

// published returns the day the visit's letter was published, or the zero
// date; and how many "Letter published" lines its history has.
func (f *fixture) published(t *testing.T, id int64) (workday.Date, int) {
	t.Helper()
	ctx := context.Background()
	d, err := f.st.GetVisit(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var on workday.Date
	if p, err := f.st.GetPublication(ctx, "focused-visit-"+lower(d.Reference)); err == nil {
		on = p.PublishedOn
	}
	es, err := f.st.ListEvents(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range es {
		if e.Words().Action == "Letter published" {
			n++
		}
	}
	if a, ok := d.Actual(timeline.CodePublication); ok && a.Date != on {
		t.Errorf("the timeline records publication on %s, the public copy %s", a.Date, on)
	}
	return on, n
}

func lower(s string) string { return string(bytes.ToLower([]byte(s))) }

// TestPublication_AtMidnightOnItsDay: a final letter sent Wed 18 Jun 2025
// is due to be published Mon 30 Jun. Nobody opens a page: the job that runs
// at 00:00 that day publishes it, stamped with that day; the same job
// running two days late still stamps it with the day it was due.
func TestPublication_AtMidnightOnItsDay(t *testing.T) {
	t.Parallel()
	t.Run("on time", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		id := f.letterSent(t, "2025-05-12", "2025-06-04", "2025-06-18", false)
		f.clock.set(at("2025-06-29", 23, 59))
		f.runDue(t)
		if on, n := f.published(t, id); !on.IsZero() || n != 0 {
			t.Fatalf("published on %s (%d history lines) the evening before its day", on, n)
		}
		f.clock.set(at("2025-06-30", 0, 0))
		worked := f.runDue(t)
		if on, n := f.published(t, id); on != date("2025-06-30") || n != 1 {
			t.Fatalf("published on %s with %d history lines, want Mon 30 Jun 2025 and 1", on, n)
		}
		if !ran(worked, "publish_letter", "published_on", "2025-06-30") {
			t.Errorf("no publish_letter job recorded the publication: %+v", worked)
		}
		// Running again publishes nothing twice.
		f.clock.set(at("2025-06-30", 1, 0))
		f.runDue(t)
		if _, n := f.published(t, id); n != 1 {
			t.Errorf("%d history lines after a second run", n)
		}
	})
	t.Run("two days late", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		id := f.letterSent(t, "2025-05-12", "2025-06-04", "2025-06-18", false)
		f.clock.set(at("2025-07-02", 0, 0))
		f.runDue(t)
		if on, n := f.published(t, id); on != date("2025-06-30") || n != 1 {
			t.Fatalf("published on %s with %d history lines, want the day it was due, Mon 30 Jun 2025", on, n)
		}
	})
	t.Run("the summary for children written late", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		ctx := context.Background()
		id := f.letterSent(t, "2025-05-12", "2025-06-04", "", false)
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		must(f.st.SendFinalLetter(ctx, id, store.LetterMove{Action: letter.SendFinal, From: letter.DraftSent, To: letter.FinalSent, Version: 1}, date("2025-06-18"), f.lead))
		f.clock.set(at("2025-06-30", 0, 0))
		f.runDue(t)
		if on, _ := f.published(t, id); !on.IsZero() {
			t.Fatal("published without its summary for children")
		}
		// Written on Thu 3 Jul; the job runs late, on Mon 7 Jul: the letter
		// is stamped with the day it could first be published, not the
		// day it was due (Mon 30 Jun), when it was not public.
		must(f.st.WriteChildrenSummary(ctx, id, letter.FinalSent, "Inspectors found that Cafcass listens to children.", at("2025-07-03", 15, 0), f.lead))
		f.clock.set(at("2025-07-07", 0, 0))
		f.runDue(t)
		if on, n := f.published(t, id); on != date("2025-07-03") || n != 1 {
			t.Fatalf("published on %s with %d history lines, want Thu 3 Jul 2025, when the summary was written", on, n)
		}
	})
	t.Run("held by a complaint, then the working day after it is resolved", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		ctx := context.Background()
		id := f.letterSent(t, "2025-05-12", "2025-06-04", "2025-06-18", false)
		l, err := f.st.GetLetter(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		cid, err := f.st.CreateComplaint(ctx, id, l.ID, "The letter misreads our audit data.", true, f.ceo)
		if err != nil {
			t.Fatal(err)
		}
		f.clock.set(at("2025-06-30", 0, 0))
		f.runDue(t)
		if on, _ := f.published(t, id); !on.IsZero() {
			t.Fatal("published while held")
		}
		// Resolved on Fri 4 Jul with the new date that same day: published
		// on the working day after, Mon 7 Jul, even when the job runs on Wed 9.
		err = f.st.ResolveComplaint(ctx, id, l.ID, cid, store.Resolution{Text: "Considered.", NewPublicationDate: date("2025-07-04"), At: at("2025-07-04", 15, 0)}, f.lead)
		if err != nil {
			t.Fatal(err)
		}
		f.clock.set(at("2025-07-04", 16, 0))
		f.runDue(t)
		if on, _ := f.published(t, id); !on.IsZero() {
			t.Fatal("published the day the complaint was resolved")
		}
		f.clock.set(at("2025-07-09", 0, 0))
		f.runDue(t)
		if on, n := f.published(t, id); on != date("2025-07-07") || n != 1 {
			t.Fatalf("published on %s (%d), want Mon 7 Jul 2025", on, n)
		}
	})
}

// ran reports whether a job of the kind recorded key: value in its output.
func ran(ws []jobs.Worked, kind, key string, value any) bool {
	for _, w := range ws {
		var out map[string]any
		if w.Kind != kind || json.Unmarshal([]byte(w.Output), &out) != nil {
			continue
		}
		if fmt.Sprint(out[key]) == fmt.Sprint(value) {
			return true
		}
	}
	return false
}

// workCounter counts how many times each job is worked, across clients.
type workCounter struct {
	river.HookDefaults
	mu     sync.Mutex
	byJob  map[int64]int
	byKind map[string]int
	fail   func(*rivertype.JobRow) error
}

func newWorkCounter() *workCounter {
	return &workCounter{byJob: map[int64]int{}, byKind: map[string]int{}}
}

func (c *workCounter) WorkBegin(ctx context.Context, job *rivertype.JobRow) error {
	c.mu.Lock()
	c.byJob[job.ID]++
	c.byKind[job.Kind]++
	c.mu.Unlock()
	if c.fail != nil {
		return c.fail(job)
	}
	return nil
}

// TestTwoRunners: two job runners (two River clients, as two processes
// running `jobs run-due` at once would be) over one database, with six
// letters due: every job is worked exactly once, each letter is published
// once.
func TestTwoRunners(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	const n = 6
	var ids []int64
	for range n {
		ids = append(ids, f.letterSent(t, "2025-05-12", "2025-06-04", "2025-06-18", false))
	}
	f.clock.set(at("2025-06-30", 0, 0))
	counter := newWorkCounter()
	var wg sync.WaitGroup
	errs := make(chan error, 2)
	var worked [2][]jobs.Worked
	for i := range 2 {
		wg.Go(func() {
			cfg := f.config()
			cfg.Hooks = []rivertype.Hook{counter}
			cfg.Workers = 1
			w, err := jobs.RunDue(context.Background(), cfg)
			worked[i] = w
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	for id, k := range counter.byJob {
		if k != 1 {
			t.Errorf("job %d worked %d times", id, k)
		}
	}
	if counter.byKind["publish_letter"] != n {
		t.Errorf("%d publish_letter jobs worked, want %d (%v)", counter.byKind["publish_letter"], n, counter.byKind)
	}
	for _, id := range ids {
		if on, k := f.published(t, id); on != date("2025-06-30") || k != 1 {
			t.Errorf("visit %d: published on %s, %d history lines", id, on, k)
		}
	}
	pubs, err := f.st.ListPublications(context.Background(), 0)
	if err != nil || len(pubs) != n {
		t.Fatalf("%d publications, want %d (%v)", len(pubs), n, err)
	}
	t.Logf("jobs worked by each runner: %d and %d", len(worked[0]), len(worked[1]))

	// The same with two long-running runners (two `serve` processes):
	// each sweeps on start; the new letters are published once each.
	f.clock.set(at("2025-07-14", 0, 0))
	var more []int64
	for range n {
		more = append(more, f.letterSent(t, "2025-05-19", "2025-06-11", "2025-06-25", false)) // due Mon 7 Jul
	}
	counter2 := newWorkCounter()
	ctx := context.Background()
	var runners []*jobs.Runner
	for range 2 {
		cfg := f.config()
		cfg.Hooks = []rivertype.Hook{counter2}
		r, err := jobs.NewRunner(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if err := r.Start(ctx); err != nil {
			t.Fatal(err)
		}
		runners = append(runners, r)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		pubs, err := f.st.ListPublications(ctx, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(pubs) == 2*n {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d letters published after two minutes", len(pubs)-n, n)
		}
		time.Sleep(50 * time.Millisecond)
	}
	for _, r := range runners {
		if err := r.Stop(ctx); err != nil {
			t.Fatal(err)
		}
	}
	for id, k := range counter2.byJob {
		if k != 1 {
			t.Errorf("long-running: job %d worked %d times", id, k)
		}
	}
	for _, id := range more {
		if on, k := f.published(t, id); on != date("2025-07-07") || k != 1 {
			t.Errorf("visit %d: published on %s, %d history lines", id, on, k)
		}
	}
}

// TestRetriedWithBackOff: a job whose attempt fails is kept with its error
// and retried after the retry policy's delay. With River's policy the first
// retry comes a second later and the second 16 s later: run-due works the
// first and returns without waiting for the second. With a short policy
// the retry succeeds in the same run.
func TestRetriedWithBackOff(t *testing.T) {
	t.Parallel()
	failing := func(attempts int) *workCounter {
		c := newWorkCounter()
		c.fail = func(j *rivertype.JobRow) error {
			if j.Kind == "publish_letter" && j.Attempt <= attempts {
				return fmt.Errorf("the database went away (attempt %d)", j.Attempt)
			}
			return nil
		}
		return c
	}
	t.Run("River's back-off", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		ctx := context.Background()
		id := f.letterSent(t, "2025-05-12", "2025-06-04", "2025-06-18", false)
		f.clock.set(at("2025-06-30", 0, 0))
		cfg := f.config()
		cfg.RetryPolicy = nil
		counter := failing(2)
		cfg.Hooks = []rivertype.Hook{counter}
		start := time.Now()
		if _, err := jobs.RunDue(ctx, cfg); err != nil {
			t.Fatal(err)
		}
		if on, _ := f.published(t, id); !on.IsZero() {
			t.Fatal("published although the job failed")
		}
		if n := counter.byKind["publish_letter"]; n != 2 {
			t.Errorf("%d attempts, want 2 (the first retry is due a second later, the next 16 s later)", n)
		}
		failed, err := f.st.ListJobs(ctx, store.JobsFailed, 10)
		if err != nil || len(failed) != 1 {
			t.Fatalf("failed jobs %+v %v", failed, err)
		}
		j := failed[0]
		if j.Kind != "publish_letter" || j.State != "retryable" || j.Attempt != 2 || len(j.Errors) != 2 || !j.Retried() ||
			j.LastError() != "the database went away (attempt 2)" || j.ScheduledAt.Sub(start) < 10*time.Second {
			t.Errorf("failed job %+v", j)
		}
	})
	t.Run("a short policy", func(t *testing.T) {
		t.Parallel()
		f := newFixture(t)
		ctx := context.Background()
		id := f.letterSent(t, "2025-05-12", "2025-06-04", "2025-06-18", false)
		f.clock.set(at("2025-06-30", 0, 0))
		cfg := f.config()
		counter := failing(1)
		cfg.Hooks = []rivertype.Hook{counter}
		if _, err := jobs.RunDue(ctx, cfg); err != nil {
			t.Fatal(err)
		}
		if on, n := f.published(t, id); on != date("2025-06-30") || n != 1 {
			t.Fatalf("after the retry: published on %s, %d lines", on, n)
		}
		done, err := f.st.ListJobs(ctx, store.JobsFinished, 10)
		if err != nil {
			t.Fatal(err)
		}
		var publish []store.Job
		for _, j := range done {
			if j.Kind == "publish_letter" {
				publish = append(publish, j)
			}
		}
		if len(publish) != 1 || publish[0].Attempt != 2 || len(publish[0].Errors) != 1 || publish[0].State != "completed" {
			t.Errorf("publish jobs %+v", publish)
		}
		if counter.byKind["publish_letter"] != 2 {
			t.Errorf("%d attempts", counter.byKind["publish_letter"])
		}
	})
}

// TestActionPlans: sending a final letter with an area for priority action
// adds the action plans in the same transaction; a letter sent before that
// (its items missing) gets them from the sweep.
func TestActionPlans(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	id := f.letterSent(t, "2025-05-12", "2025-06-04", "2025-06-18", true)
	items, _, err := f.st.ListActionPlanItems(ctx, id)
	if err != nil || len(items) != 2 {
		t.Fatalf("action plans at sending: %+v %v", items, err)
	}
	// As if sent before sending added them.
	if _, err := f.st.Pool().Exec(ctx, `DELETE FROM request_items WHERE visit_id = $1`, id); err != nil {
		t.Fatal(err)
	}
	f.clock.set(at("2025-06-19", 0, 0))
	f.runDue(t)
	items, codes, err := f.st.ListActionPlanItems(ctx, id)
	if err != nil || len(items) != 2 || codes[0] != timeline.CodeDraftActionPlan || codes[1] != timeline.CodeActionPlan {
		t.Fatalf("action plans after the sweep: %+v %v %v", items, codes, err)
	}
	// And nothing more on the next run.
	counter := newWorkCounter()
	cfg := f.config()
	cfg.Hooks = []rivertype.Hook{counter}
	if _, err := jobs.RunDue(ctx, cfg); err != nil {
		t.Fatal(err)
	}
	if counter.byKind["start_action_plans"] != 0 {
		t.Errorf("action plans job ran again: %v", counter.byKind)
	}
}

// TestRetentionPurge: 365 days after its letter was published (at 00:00 on
// its day), the retention sweep deletes a visit's files, once.
func TestRetentionPurge(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	ctx := context.Background()
	id := f.letterSent(t, "2025-05-12", "2025-06-04", "2025-06-18", false)
	// An item with a file.
	item, err := f.st.AddCustomItem(ctx, id, store.NewItem{Number: "X.1", Title: "A policy", DueDay: 3}, f.lead)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.st.SaveFile(ctx, store.NewFile{VisitID: id, ItemID: item, Name: "X.1 policy.pdf", OriginalName: "policy.pdf", ContentType: "application/pdf"},
		bytes.NewReader([]byte("%PDF-1.4 policy")), f.ceo); err != nil {
		t.Fatal(err)
	}
	f.clock.set(at("2025-06-30", 0, 0))
	f.runDue(t)
	f.clock.set(at("2026-06-29", 23, 0)) // not yet 365 days after 00:00 on 30 Jun 2025
	f.runDue(t)
	if log, _ := f.st.RetentionLog(ctx, id); len(log) != 0 {
		t.Fatalf("purged early: %+v", log)
	}
	f.clock.set(at("2026-06-30", 1, 0))
	worked := f.runDue(t)
	log, err := f.st.RetentionLog(ctx, id)
	if err != nil || len(log) != 1 || log[0].Files != 1 {
		t.Fatalf("retention log %+v %v", log, err)
	}
	if !ran(worked, "purge_child_data", "files", 1) {
		t.Errorf("worked %+v", worked)
	}
	f.clock.set(at("2026-06-30", 2, 0))
	f.runDue(t)
	if log, _ := f.st.RetentionLog(ctx, id); len(log) != 1 {
		t.Errorf("%d retention log rows after a second run", len(log))
	}
}

func TestOnTheHour(t *testing.T) {
	for _, c := range []struct{ now, want time.Time }{
		{at("2025-06-29", 23, 30), at("2025-06-30", 0, 0)},
		{at("2025-06-30", 0, 0), at("2025-06-30", 1, 0)},
		{at("2025-12-31", 23, 59), at("2026-01-01", 0, 0)},
		// The clocks go back on Sun 26 Oct 2025 and forward on Sun 29 Mar 2026.
		{at("2025-10-25", 23, 10), at("2025-10-26", 0, 0)},
		{at("2026-03-28", 23, 10), at("2026-03-29", 0, 0)},
	} {
		if got := (jobs.OnTheHour{}).Next(c.now); !got.Equal(c.want) {
			t.Errorf("after %s: %s, want %s", c.now, got.In(london), c.want)
		}
	}
}

package jobs

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"

	"github.com/ofsted/focusedvisits/internal/letter"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// london is where the service's days are counted (DOMAIN decision 5).
var london = workday.London

// The job kinds of publication.

// PublicationSweepArgs is the sweep that finds the letters due to be
// published, and the final letters whose action plans are missing.
type PublicationSweepArgs struct{}

// Kind names the job kind.
func (PublicationSweepArgs) Kind() string { return "publication_sweep" }

// InsertOpts makes it unique.
func (PublicationSweepArgs) InsertOpts() river.InsertOpts { return insertOpts() }

// PublishLetterArgs publishes a visit's letter, if its day has come.
type PublishLetterArgs struct {
	VisitID int64 `json:"visit_id" river:"unique"`
}

// Kind names the job kind.
func (PublishLetterArgs) Kind() string { return "publish_letter" }

// InsertOpts makes it unique per visit.
func (PublishLetterArgs) InsertOpts() river.InsertOpts { return insertOpts() }

// StartActionPlansArgs adds the action plans to the request of a visit whose
// final letter has an area for priority action, if they are missing.
type StartActionPlansArgs struct {
	VisitID int64 `json:"visit_id" river:"unique"`
}

// Kind names the job kind.
func (StartActionPlansArgs) Kind() string { return "start_action_plans" }

// InsertOpts makes it unique per visit.
func (StartActionPlansArgs) InsertOpts() river.InsertOpts { return insertOpts() }

// calendar is the working-day calendar with the closure days stored.
func calendar(ctx context.Context, st *store.Store) (*workday.Calendar, error) {
	cs, err := st.Closures(ctx)
	if err != nil {
		return nil, err
	}
	return workday.EnglandAndWales().WithClosures(cs), nil
}

// toPublish is a visit's letter as publication sees it.
type toPublish struct {
	d     visit.Details
	plan  timeline.Plan
	l     letter.Letter
	state letter.Publication
}

// publicationOf reads what deciding a visit's publication takes.
func publicationOf(ctx context.Context, st *store.Store, cal *workday.Calendar, d visit.Details, l letter.Letter) (toPublish, error) {
	p := toPublish{d: d, l: l}
	var err error
	if p.plan, err = d.Dates(cal, london); err != nil {
		return p, err
	}
	cs, err := st.ListComplaints(ctx, l.ID)
	if err != nil {
		return p, err
	}
	p.state = letter.PublicationOf(p.plan, cal, london, l.Published(), cs)
	return p, nil
}

// due reports whether the letter may be published on the day today, and if
// not, why: the letter's rules (letter.Check) allow the service to publish
// it on the day, and the visit is not cancelled.
func (p toPublish) due(today workday.Date) error {
	if p.d.Status != visit.Active {
		return errors.New("the visit is cancelled")
	}
	_, err := letter.Check(p.l, letter.Publish, letter.Actor{System: true},
		letter.Facts{Complaints: p.state.Complaints, Today: today, PublishOn: p.state.Date, Summary: p.l.ChildrenSummary})
	return err
}

type publicationSweepWorker struct {
	river.WorkerDefaults[PublicationSweepArgs]
	cfg Config
}

func (w *publicationSweepWorker) Work(ctx context.Context, job *river.Job[PublicationSweepArgs]) error {
	st := w.cfg.Store
	today := visit.TodayIn(w.cfg.now(), london)
	ls, err := st.ListLettersAwaitingPublication(ctx)
	if err != nil {
		return err
	}
	var jobs []river.InsertManyParams
	if len(ls) > 0 {
		cal, err := calendar(ctx, st)
		if err != nil {
			return err
		}
		for _, l := range ls {
			d, err := st.GetVisit(ctx, l.VisitID)
			if err != nil {
				return err
			}
			p, err := publicationOf(ctx, st, cal, d, l)
			if err != nil {
				return fmt.Errorf("visit %d: %w", d.ID, err)
			}
			if p.due(today) == nil {
				jobs = append(jobs, river.InsertManyParams{Args: PublishLetterArgs{VisitID: d.ID}})
			}
		}
	}
	due := len(jobs)
	missing, err := st.ListVisitsMissingActionPlans(ctx)
	if err != nil {
		return err
	}
	for _, id := range missing {
		jobs = append(jobs, river.InsertManyParams{Args: StartActionPlansArgs{VisitID: id}})
	}
	if len(jobs) > 0 {
		if _, err := river.ClientFromContext[pgx.Tx](ctx).InsertMany(ctx, jobs); err != nil {
			return err
		}
	}
	return river.RecordOutput(ctx, map[string]any{"day": today.String(), "letters_due": due, "action_plans_missing": len(missing)})
}

type publishLetterWorker struct {
	river.WorkerDefaults[PublishLetterArgs]
	cfg Config
}

// Work publishes the letter when its day has come, stamped with that day
// (letter.DueDate), not the day the job ran; it does nothing, and
// says why, when the letter is not due, held, or already published.
func (w *publishLetterWorker) Work(ctx context.Context, job *river.Job[PublishLetterArgs]) error {
	st := w.cfg.Store
	id := job.Args.VisitID
	today := visit.TodayIn(w.cfg.now(), london)
	nothing := func(why string) error {
		return river.RecordOutput(ctx, map[string]any{"published": false, "why": why})
	}
	d, err := st.GetVisit(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nothing("no such visit")
	} else if err != nil {
		return err
	}
	l, err := st.GetLetter(ctx, id)
	if errors.Is(err, store.ErrNotFound) {
		return nothing("the visit has no letter")
	} else if err != nil {
		return err
	}
	cal, err := calendar(ctx, st)
	if err != nil {
		return err
	}
	p, err := publicationOf(ctx, st, cal, d, l)
	if err != nil {
		return err
	}
	if err := p.due(today); err != nil {
		return nothing(err.Error())
	}
	label := "Letter published"
	if m, ok := p.plan.Milestone(timeline.CodePublication); ok {
		label = m.Label
	}
	// Stamped with the day it was due (a late run does not move it), unless
	// the summary for children was written after that day: the letter could
	// not be published before it, so it is published on the day it was.
	on := p.state.Date
	summaryAt, err := st.ChildrenSummaryWrittenAt(ctx, l.ID)
	if err != nil {
		return err
	}
	if !summaryAt.IsZero() {
		if written := visit.TodayIn(summaryAt, london); written.After(on) {
			on = written
		}
	}
	slug := letter.Slug(d.Reference)
	err = st.PublishLetter(ctx, store.NewPublication{
		VisitID: d.ID, LetterID: l.ID, Slug: slug, Title: letter.Title(p.plan), On: on, Label: label,
		Header: header(p, on),
	})
	if errors.Is(err, store.ErrConflict) {
		return nothing("published or held meanwhile")
	}
	if err != nil {
		return err
	}
	w.cfg.logger().Info("jobs: letter published", "visit_id", d.ID, "reference", d.Reference, "published_on", on.String(), "run_on", today.String())
	return river.RecordOutput(ctx, map[string]any{"published": true, "published_on": on.String(), "slug": slug})
}

// header is the published letter's header: the visit's fieldwork days,
// its chief executive and its lead inspector (letter.NewHeader).
func header(p toPublish, on workday.Date) letter.Header {
	var cafcass []letter.HeaderParty
	for _, m := range p.d.MembersAs(visit.RoleCafcass) {
		cafcass = append(cafcass, letter.HeaderParty{Name: m.Name, Role: m.UserRole})
	}
	var lead string
	if m, ok := p.d.Lead(); ok {
		lead = m.Name
	}
	return letter.NewHeader(p.plan, cafcass, lead, on)
}

type actionPlansWorker struct {
	river.WorkerDefaults[StartActionPlansArgs]
	cfg Config
}

// Work adds the action plans to a visit whose final letter, with an area
// for priority action, has been sent: sending the final does it in its own
// transaction, so this only catches letters sent before it did.
func (w *actionPlansWorker) Work(ctx context.Context, job *river.Job[StartActionPlansArgs]) error {
	st := w.cfg.Store
	d, err := st.GetVisit(ctx, job.Args.VisitID)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	} else if err != nil {
		return err
	}
	if d.Status != visit.Active || !d.PriorityAction {
		return nil
	}
	l, err := st.GetLetter(ctx, d.ID)
	if errors.Is(err, store.ErrNotFound) || err == nil && !l.FinalSent() {
		return nil
	} else if err != nil {
		return err
	}
	changed, err := st.StartActionPlans(ctx, d.ID, store.ActionPlanItems, user.User{})
	if err != nil {
		return err
	}
	return river.RecordOutput(ctx, map[string]any{"added": changed})
}

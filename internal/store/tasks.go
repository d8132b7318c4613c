package store

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/ofsted/focusedvisits/internal/annexa"
	"github.com/ofsted/focusedvisits/internal/letter"
	"github.com/ofsted/focusedvisits/internal/tasks"
)

// What the start page's tasks (internal/tasks) need of a person's open
// visits, loaded for all of them at once: four queries whatever their number,
// sent at once (a fifth only for a letter whose area for priority action
// changed since it was moderated), each reading only the rows that can make
// a task.

// TaskLetter is a visit's letter with what its rules need.
type TaskLetter struct {
	letter.Letter
	// Authors wrote a version of it; Unanswered are the comments Cafcass
	// submitted that have no response; CommentsSubmitted says Cafcass
	// submitted its comments.
	Authors           []int64
	Unanswered        int
	CommentsSubmitted bool
	// PriorityActionModerated: the current version's areas for priority
	// action are word for word those of the version last moderated.
	PriorityActionModerated bool
	// Complaints are the public ids of the complaints not yet resolved.
	Complaints []string
}

// TaskItem is an item of a request that may make a task.
type TaskItem struct {
	VisitID  int64
	PublicID string
	Number   string
	Title    string
	Kind     annexa.Kind
	Status   annexa.Status
	// DueDay is the notice-week day it is due; DueCode, when set, the plan
	// milestone it is due by instead (the action plans).
	DueDay  int
	DueCode string
}

// TaskQuestion is a question Cafcass asked about an item.
type TaskQuestion struct {
	Item        TaskItem
	AddressedTo int64 // 0: anyone on the visit
	Answered    bool
}

// TaskVisit is what hangs on one visit beyond its letter, items and
// questions.
type TaskVisit struct {
	// Requested is how many items its request has, and Sent how many of
	// them Cafcass sent (submitted or accepted).
	Requested, Sent int
	// ChildRows: an accepted child-level list is current.
	ChildRows bool
	// SampleReleased: the case sample was released to Cafcass.
	SampleReleased bool
	// Sampled are the inspectors the sample's cases are given to, one entry
	// per case.
	Sampled []int64
	// Deferrals are the public ids of the requests awaiting a decision.
	Deferrals []string
}

// TaskFacts are the facts of some visits, by visit id.
type TaskFacts struct {
	Visits    map[int64]TaskVisit
	Letters   map[int64]TaskLetter
	Items     map[int64][]TaskItem
	Questions map[int64][]TaskQuestion
}

// LoadTaskFacts loads what the tasks of the visits depend on: of the items
// and questions, only those the asker needs (tasks.NeedsOf).
func (s *Store) LoadTaskFacts(ctx context.Context, visitIDs []int64, n tasks.Needs) (TaskFacts, error) {
	tf := TaskFacts{Visits: map[int64]TaskVisit{}, Letters: map[int64]TaskLetter{}, Items: map[int64][]TaskItem{}, Questions: map[int64][]TaskQuestion{}}
	if len(visitIDs) == 0 {
		return tf, nil
	}
	// One round trip for the four statements (a pipeline, issue 16.5):
	// each fills its own map as its rows arrive. Then, for letters changed
	// since they were moderated, the findings of both versions.
	var recheck []TaskLetter
	b := &pgx.Batch{}
	queueGenericPlans(b)
	queueTaskVisits(b, visitIDs, tf.Visits)
	queueTaskLetters(b, visitIDs, tf.Letters, &recheck)
	if len(n.Items) > 0 {
		b.Queue(`SELECT `+taskItemColumns+` FROM request_items i
			WHERE i.visit_id = ANY($1) AND i.status = ANY($2) ORDER BY i.visit_id, i.due_day, i.position, i.id`, visitIDs, n.Items).
			Query(func(rows pgx.Rows) error {
				var it TaskItem
				_, err := pgx.ForEachRow(rows, taskItemDest(&it), func() error {
					tf.Items[it.VisitID] = append(tf.Items[it.VisitID], it)
					return nil
				})
				return err
			})
	}
	if n.Questions {
		b.Queue(`SELECT `+taskItemColumns+`, COALESCE(q.addressed_to, 0), q.answered_at IS NOT NULL
			FROM item_questions q JOIN request_items i ON i.id = q.item_id
			WHERE i.visit_id = ANY($1) AND (q.answered_at IS NOT NULL) = $2 ORDER BY i.visit_id, q.id`, visitIDs, n.Answered).
			Query(func(rows pgx.Rows) error {
				var q TaskQuestion
				_, err := pgx.ForEachRow(rows, append(taskItemDest(&q.Item), &q.AddressedTo, &q.Answered), func() error {
					tf.Questions[q.Item.VisitID] = append(tf.Questions[q.Item.VisitID], q)
					return nil
				})
				return err
			})
	}
	if err := s.db.SendBatch(ctx, b).Close(); err != nil {
		return tf, fmt.Errorf("store: task facts of %d visits: %w", len(visitIDs), err)
	}
	return tf, s.moderatedSince(ctx, recheck, tf.Letters)
}

// queueGenericPlans makes the statements queued after it in b run on their
// generic plans, made once per connection, whatever their arguments. A
// batch is one implicit transaction, which the setting lasts for. Left to
// itself, PostgreSQL planned the letters and items statements afresh on
// every call (0.7 ms and 0.3 ms of planning beside 0.24 ms and 0.06 ms of
// work on the start page: pg_stat_statements, issue 16.5): a generic plan
// has to guess the length of a list of visits, and for a person's few
// visits its guess costs more than a plan made for the list. The generic
// plans read the same indexes.
func queueGenericPlans(b *pgx.Batch) {
	b.Queue(`SELECT set_config('plan_cache_mode', 'force_generic_plan', true)`)
}

// queueTaskVisits queues the statement that loads what hangs on each visit
// beyond its letter, items and questions into by, reading each table once
// for all the visits (not once per visit).
func queueTaskVisits(b *pgx.Batch, visitIDs []int64, by map[int64]TaskVisit) {
	b.Queue(`
		SELECT v.id, COALESCE(i.requested, 0), COALESCE(i.sent, 0), l.visit_id IS NOT NULL, r.visit_id IS NOT NULL,
			COALESCE(cs.inspectors, '{}'), COALESCE(d.ids, '{}')
		FROM unnest($1::bigint[]) AS v(id)
		LEFT JOIN (SELECT visit_id, count(*) AS requested, count(*) FILTER (WHERE status = ANY($2)) AS sent
			FROM request_items WHERE visit_id = ANY($1) GROUP BY visit_id) i ON i.visit_id = v.id
		LEFT JOIN (SELECT DISTINCT visit_id FROM child_lists WHERE visit_id = ANY($1) AND is_current) l ON l.visit_id = v.id
		LEFT JOIN (SELECT DISTINCT visit_id FROM case_sample_releases WHERE visit_id = ANY($1)) r ON r.visit_id = v.id
		LEFT JOIN (SELECT visit_id, array_agg(inspector_id ORDER BY id) AS inspectors
			FROM case_samples WHERE visit_id = ANY($1) GROUP BY visit_id) cs ON cs.visit_id = v.id
		LEFT JOIN (SELECT visit_id, array_agg(public_id ORDER BY id) AS ids
			FROM visit_deferrals WHERE visit_id = ANY($1) AND status = 'requested' GROUP BY visit_id) d ON d.visit_id = v.id`,
		visitIDs, []annexa.Status{annexa.Submitted, annexa.Accepted}).
		Query(func(rows pgx.Rows) error {
			var id int64
			var tv TaskVisit
			_, err := pgx.ForEachRow(rows, []any{&id, &tv.Requested, &tv.Sent, &tv.ChildRows, &tv.SampleReleased, &tv.Sampled, &tv.Deferrals}, func() error {
				by[id] = tv
				return nil
			})
			return err
		})
}

const taskItemColumns = `i.visit_id, i.public_id, i.number, i.title, i.kind, i.status, i.due_day, COALESCE(i.due_code, '')`

// taskItemDest is where taskItemColumns scan into it.
func taskItemDest(it *TaskItem) []any {
	return []any{&it.VisitID, &it.PublicID, &it.Number, &it.Title, &it.Kind, &it.Status, &it.DueDay, &it.DueCode}
}

// queueTaskLetters queues the statement that loads the visits' letters into
// by (by visit id), with their authors, comments and complaints; those
// changed since they were moderated go into recheck too (moderatedSince).
func queueTaskLetters(b *pgx.Batch, visitIDs []int64, by map[int64]TaskLetter, recheck *[]TaskLetter) {
	b.Queue(`SELECT `+letterColumns+`,
			ARRAY(SELECT DISTINCT v.author_id FROM letter_versions v WHERE v.letter_id = l.id ORDER BY v.author_id),
			(SELECT count(*) FROM letter_comments c WHERE c.letter_id = l.id AND c.submitted_at IS NOT NULL AND c.responded_at IS NULL),
			EXISTS (SELECT 1 FROM letter_comment_submissions cs WHERE cs.letter_id = l.id),
			ARRAY(SELECT c.public_id FROM complaints c WHERE c.letter_id = l.id AND c.resolved_at IS NULL ORDER BY c.id)`+
		letterFrom+`WHERE l.visit_id = ANY($1)`, visitIDs).
		Query(func(rows pgx.Rows) error {
			for rows.Next() {
				var tl TaskLetter
				dest, scanned := letterDest(&tl.Letter)
				if err := rows.Scan(append(dest, &tl.Authors, &tl.Unanswered, &tl.CommentsSubmitted, &tl.Complaints)...); err != nil {
					return fmt.Errorf("task letters: %w", err)
				}
				scanned()
				l := tl.Letter
				tl.PriorityActionModerated = l.ModeratedVersion != 0 && l.ModeratedVersion == l.CurrentVersion
				if l.ModeratedVersion != 0 && !tl.PriorityActionModerated {
					*recheck = append(*recheck, tl)
				}
				by[l.VisitID] = tl
			}
			return rows.Err()
		})
}

// moderatedSince sets PriorityActionModerated for letters changed since
// they were moderated: whether the areas for priority action of the current
// version are those of the version moderated.
func (s *Store) moderatedSince(ctx context.Context, ls []TaskLetter, by map[int64]TaskLetter) error {
	if len(ls) == 0 {
		return nil
	}
	ids := make([]int64, len(ls))
	for i, l := range ls {
		ids[i] = l.ID
	}
	rows, _ := s.db.Query(ctx, `
		SELECT v.letter_id, v.number, f.kind, f.practice_area, f.text
		FROM letter_versions v JOIN letters l ON l.id = v.letter_id JOIN letter_findings f ON f.version_id = v.id
		WHERE v.letter_id = ANY($1) AND v.number IN (l.current_version, l.moderated_version) AND f.kind = 'priority_action'
		ORDER BY v.letter_id, v.number, f.position`, ids)
	type key struct {
		letter int64
		number int
	}
	contents := map[key]*letter.Content{}
	var k key
	var f letter.Finding
	_, err := pgx.ForEachRow(rows, []any{&k.letter, &k.number, &f.Kind, &f.Area, &f.Text}, func() error {
		c := contents[k]
		if c == nil {
			c = &letter.Content{}
			contents[k] = c
		}
		c.Findings = append(c.Findings, f)
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: moderated findings: %w", err)
	}
	text := func(id int64, n int) string {
		if c := contents[key{id, n}]; c != nil {
			return c.FindingsText(letter.KindPriorityAction)
		}
		return ""
	}
	for _, l := range ls {
		l.PriorityActionModerated = text(l.ID, l.ModeratedVersion) == text(l.ID, l.CurrentVersion)
		by[l.VisitID] = l
	}
	return nil
}

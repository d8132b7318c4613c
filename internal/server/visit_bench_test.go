package server_test

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/ofsted/focusedvisits/internal/dbtest"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// BenchmarkVisitPage measures GET /visits/{id} (the timeline tab: the plan
// with its explanations, the plan as first made beside it and the clash
// check against the inspectors' other visits) for the lead of a visit in
// progress, among the start-page benchmark's 2,000 visits and again with
// 18,000 past visits added (benchSizes), each against GET /accessibility
// through the same middleware in the same run. Target: under 3 ms per op,
// and flat (within 20%) from 2,000 to 20,000 visits.
//
// BENCH_TRACE=1 logs the time of each statement (with -v); BENCH_KEEP=1
// stops after seeding, keeping the database.
func BenchmarkVisitPage(b *testing.B) {
	pool, tr := benchPool(b)
	st := store.New(pool)
	ctx := context.Background()

	start := time.Now()
	lead := seedBench(b, ctx, st)
	b.Logf("seeded %d visits in %v", benchVisits, time.Since(start).Round(time.Millisecond))

	// The measured visit: the lead's visit in progress on benchNow, its
	// notice given, fieldwork to come or under way.
	vs, err := st.ListVisitsFor(ctx, lead)
	if err != nil {
		b.Fatal(err)
	}
	today := visit.TodayIn(benchNow, time.UTC)
	var measured visit.Details
	for _, d := range vs {
		if d.Status == visit.Active && !d.AnchorDate.After(today) && d.NoticeGiven() {
			measured = d
		}
	}
	if measured.ID == 0 {
		b.Fatal("no visit in progress for the measured lead")
	}
	if os.Getenv("BENCH_KEEP") != "" {
		b.Fatalf("keeping the database; measured visit %s", measured.PublicID)
	}

	app, get := benchServer(b, pool, st, lead.Email)
	page := "/visits/" + measured.PublicID
	// The page must be the real one: the timeline with its explanations.
	get(b, page, "working days after")
	tr.report()

	atBenchSizes(b, pool, func(b *testing.B, total int) {
		ms := map[string]float64{}
		for _, bc := range []struct{ name, path string }{
			{"baseline=accessibility", "/accessibility"},
			{"visit-page", page},
		} {
			b.Run(bc.name, func(b *testing.B) {
				b.ReportAllocs()
				cpu0 := processCPU(b)
				computed, _ := app.PlanCounts()
				for b.Loop() {
					get(b, bc.path, "")
				}
				if c, _ := app.PlanCounts(); c != computed {
					b.Errorf("%d plans worked out while nothing changed", c-computed)
				}
				per := float64(b.Elapsed().Nanoseconds()) / float64(b.N) / 1e6
				b.ReportMetric(per, "ms/op")
				b.ReportMetric(float64((processCPU(b)-cpu0).Nanoseconds())/float64(b.N)/1e6, "cpu-ms/op")
				ms[bc.name] = per
				if os.Getenv("BENCH_TRACE") != "" {
					b.Logf("%s statements:\n%s", bc.name, tr.report())
				}
			})
		}
		if base := ms["baseline=accessibility"]; base > 0 && ms["visit-page"] > 0 {
			b.Logf("visit page %.3f ms/op = %.1f× the static page (%.3f ms/op), %d visits", ms["visit-page"], ms["visit-page"]/base, base, total)
		}
	})
}

// benchPool is a pool on a fresh database, with a tracer that adds up the
// time of each statement when BENCH_TRACE is set.
func benchPool(b *testing.B) (*pgxpool.Pool, *timingTracer) {
	tr := &timingTracer{}
	pcfg, err := pgxpool.ParseConfig(dbtest.URL(b))
	if err != nil {
		b.Fatal(err)
	}
	if os.Getenv("BENCH_TRACE") != "" {
		pcfg.ConnConfig.Tracer = tr
	}
	pool, err := pgxpool.NewWithConfig(context.Background(), pcfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	return pool, tr
}

// benchSizes are the numbers of visits each page benchmark is measured at:
// the 2,000 of seedBench, then with 18,000 past visits added, so that the
// two runs show whether a page grows with history.
var benchSizes = []int{benchVisits, 20_000}

// atBenchSizes runs measure as a sub-benchmark "visits=N" for each of
// benchSizes, adding the past visits before each (seedPastVisits).
func atBenchSizes(b *testing.B, pool *pgxpool.Pool, measure func(b *testing.B, total int)) {
	ctx := context.Background()
	have := benchVisits
	for _, total := range benchSizes {
		if total > have {
			start := time.Now()
			seedPastVisits(b, ctx, pool, total-have)
			have = total
			b.Logf("added %d past visits in %v", total-benchVisits, time.Since(start).Round(time.Millisecond))
		}
		// As autovacuum would have by now on a live database.
		if _, err := pool.Exec(ctx, "VACUUM ANALYZE"); err != nil {
			b.Fatal(err)
		}
		b.Run(fmt.Sprintf("visits=%d", total), func(b *testing.B) { measure(b, total) })
	}
}

// seedPastVisits adds n visits of the benchmark's people with notice days
// spread over 2006 to mid-2023, every step recorded as planned: years of
// history that no page about today should have to read. Their plans are
// worked out here and the rows written in three statements (visits, teams,
// events), with the triggers that keep visits.inspector_ids and
// plan_version set by hand meanwhile: a store call per step would take
// minutes.
func seedPastVisits(b *testing.B, ctx context.Context, pool *pgxpool.Pool, n int) {
	b.Helper()
	if n <= 0 {
		return
	}
	st := store.New(pool)
	us, err := st.ListUsers(ctx)
	if err != nil {
		b.Fatal(err)
	}
	byRole := map[user.Role][]int64{}
	for _, u := range us {
		byRole[u.Role] = append(byRole[u.Role], u.ID)
	}
	leads, inspectors, qams, saos := byRole[user.LeadInspector], byRole[user.TeamInspector], byRole[user.QAM], byRole[user.SAO]
	ceo, deputy := byRole[user.CafcassCEO][0], byRole[user.CafcassDeputy][0]
	cal := workday.EnglandAndWales()
	first := workday.DateOf(time.Date(2006, time.January, 3, 0, 0, 0, 0, time.UTC))
	last := workday.DateOf(time.Date(2023, time.June, 30, 0, 0, 0, 0, time.UTC))
	span, err := cal.Between(first, last)
	if err != nil {
		b.Fatal(err)
	}
	t, err := timeline.Lookup(timeline.FocusedVisit, "")
	if err != nil {
		b.Fatal(err)
	}
	var (
		refs                 []string
		anchors              []time.Time
		leadOf, team1, team2 []int64
		qamOf, saoOf         []int64
		priority             []bool
		mVisit, aVisit       []int32
		mUser                []int64
		mRole, aCode         []string
		aDay, aTo            []*time.Time
		aTime                []*string
	)
	ninety := "09:30"
	for i := range n {
		lead := leads[i%len(leads)]
		anchor, err := cal.Add(first, i*span/n)
		if err != nil {
			b.Fatal(err)
		}
		i1, i2 := inspectors[i%len(inspectors)], inspectors[(i+11)%len(inspectors)]
		refs = append(refs, fmt.Sprintf("PAST-%06d", i))
		anchors = append(anchors, anchor.Time(time.UTC))
		priority = append(priority, i%5 == 0)
		leadOf, team1, team2 = append(leadOf, lead), append(team1, i1), append(team2, i2)
		qamOf, saoOf = append(qamOf, qams[i%len(qams)]), append(saoOf, saos[i%len(saos)])
		for _, m := range []struct {
			id   int64
			role visit.MemberRole
		}{{lead, visit.RoleLead}, {i1, visit.RoleTeam}, {i2, visit.RoleTeam}, {qams[i%len(qams)], visit.RoleQAM},
			{saos[i%len(saos)], visit.RoleSAO}, {ceo, visit.RoleCafcass}, {deputy, visit.RoleCafcass}} {
			mVisit, mUser, mRole = append(mVisit, int32(i)), append(mUser, m.id), append(mRole, string(m.role))
		}
		d := visit.Details{Visit: visit.Visit{TemplateID: t.ID, TemplateVersion: t.Version, AnchorCode: timeline.CodeNotice,
			AnchorDate: anchor, PriorityAction: i%5 == 0}}
		p, err := d.Dates(cal, time.UTC)
		if err != nil {
			b.Fatal(err)
		}
		for _, code := range []string{timeline.CodeNotice, timeline.CodeSetUpCall, timeline.CodeFieldwork, timeline.CodeDraftLetter, timeline.CodeFinalLetter, timeline.CodePublication} {
			m, ok := p.Milestone(code)
			if !ok {
				continue
			}
			day := m.First().Time(time.UTC)
			var to *time.Time
			if m.Kind == timeline.KindWindow && !m.To.IsZero() {
				tt := m.To.Time(time.UTC)
				to = &tt
			}
			var at *string
			if code == timeline.CodeNotice {
				at = &ninety
			}
			aVisit, aCode, aDay, aTo, aTime = append(aVisit, int32(i)), append(aCode, code), append(aDay, &day), append(aTo, to), append(aTime, at)
		}
	}
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		for _, q := range []string{
			`ALTER TABLE visit_members DISABLE TRIGGER visit_members_inspector_ids`,
			`ALTER TABLE visit_actuals DISABLE TRIGGER USER`,
			`CREATE TEMP TABLE past_ids ON COMMIT DROP AS SELECT 0::int AS n, 0::bigint AS id WITH NO DATA`,
		} {
			if _, err := tx.Exec(ctx, q); err != nil {
				return fmt.Errorf("%s: %w", q, err)
			}
		}
		// The visits, published (so past); notice given on the anchor day.
		if _, err := tx.Exec(ctx, `
			WITH v AS (
				INSERT INTO visits (reference, template_id, template_version, anchor_code, anchor_date, priority_action,
					notice_given_at, created_by, created_at, inspector_ids, member_ids, open)
				SELECT t.ref, $1, $2, 'notice', t.anchor, t.pa, t.anchor + time '09:30', t.lead, t.anchor,
					ARRAY(SELECT DISTINCT x FROM unnest(ARRAY[t.lead, t.i1, t.i2]) x ORDER BY x),
					ARRAY(SELECT DISTINCT x FROM unnest(ARRAY[t.lead, t.i1, t.i2, t.qam, t.sao, $9, $10]) x ORDER BY x), false
				FROM unnest($3::text[], $4::date[], $5::bool[], $6::bigint[], $7::bigint[], $8::bigint[], $11::bigint[], $12::bigint[]) AS t(ref, anchor, pa, lead, i1, i2, qam, sao)
				RETURNING id, reference)
			INSERT INTO past_ids SELECT substr(reference, 6)::int, id FROM v`,
			t.ID, t.Version, refs, anchors, priority, leadOf, team1, team2, ceo, deputy, qamOf, saoOf); err != nil {
			return fmt.Errorf("past visits: %w", err)
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO visit_members (visit_id, user_id, role)
			SELECT p.id, m.u, m.r FROM unnest($1::int[], $2::bigint[], $3::text[]) AS m(n, u, r) JOIN past_ids p ON p.n = m.n
			ON CONFLICT DO NOTHING`, mVisit, mUser, mRole); err != nil {
			return fmt.Errorf("past teams: %w", err)
		}
		if _, err := tx.Exec(ctx, `
			INSERT INTO visit_actuals (visit_id, code, day, to_day, at_time, recorded_by, recorded_at)
			SELECT p.id, a.code, a.day, a.to_day, a.at::time, v.created_by, a.day
			FROM unnest($1::int[], $2::text[], $3::date[], $4::date[], $5::text[]) AS a(n, code, day, to_day, at)
			JOIN past_ids p ON p.n = a.n JOIN visits v ON v.id = p.id`, aVisit, aCode, aDay, aTo, aTime); err != nil {
			return fmt.Errorf("past events: %w", err)
		}
		for _, q := range []string{
			`ALTER TABLE visit_members ENABLE TRIGGER visit_members_inspector_ids`,
			`ALTER TABLE visit_actuals ENABLE TRIGGER USER`,
		} {
			if _, err := tx.Exec(ctx, q); err != nil {
				return fmt.Errorf("%s: %w", q, err)
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}

// timingTracer is a pgx tracer that adds up the time of each statement
// (BENCH_TRACE), to see where a page's time in the database goes.
type timingTracer struct {
	mu    sync.Mutex
	n     map[string]int
	total map[string]time.Duration
}

type startKey struct{}

func (l *timingTracer) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	return context.WithValue(ctx, startKey{}, [2]any{time.Now(), d.SQL})
}

func (l *timingTracer) TraceQueryEnd(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryEndData) {
	// A batch's rows end as a query's do, but began as the batch
	// (TraceBatchStart), which is timed as a whole.
	if v, ok := ctx.Value(startKey{}).([2]any); ok {
		l.add(v[1].(string), time.Since(v[0].(time.Time)))
	}
}

// TraceBatchStart, TraceBatchQuery and TraceBatchEnd time a batch (a
// pipeline of statements in one round trip) as a whole, under its first
// statement, and count each of its statements with no time of its own.
func (l *timingTracer) TraceBatchStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceBatchStartData) context.Context {
	return context.WithValue(ctx, startKey{}, [2]any{time.Now(), fmt.Sprintf("(batch of %d) %s", d.Batch.Len(), d.Batch.QueuedQueries[0].SQL)})
}

func (l *timingTracer) TraceBatchQuery(_ context.Context, _ *pgx.Conn, d pgx.TraceBatchQueryData) {
	l.add("(in a batch) "+d.SQL, 0)
}

func (l *timingTracer) TraceBatchEnd(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchEndData) {
	if v, ok := ctx.Value(startKey{}).([2]any); ok {
		l.add(v[1].(string), time.Since(v[0].(time.Time)))
	}
}

// add counts one statement (its first 150 characters) and its time.
func (l *timingTracer) add(sql string, d time.Duration) {
	sql = strings.Join(strings.Fields(sql), " ")
	if len(sql) > 150 {
		sql = sql[:150]
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.n == nil {
		l.n, l.total = map[string]int{}, map[string]time.Duration{}
	}
	l.n[sql]++
	l.total[sql] += d
}

// report lists the statements since the last report, the slowest in total
// first, and forgets them.
func (l *timingTracer) report() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var keys []string
	for k := range l.n {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool { return l.total[keys[i]] > l.total[keys[j]] })
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%6d %8.3f ms avg  %s\n", l.n[k], float64(l.total[k].Microseconds())/1000/float64(l.n[k]), k)
	}
	l.n, l.total = nil, nil
	return b.String()
}

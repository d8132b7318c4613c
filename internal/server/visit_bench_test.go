package server_test

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strconv"
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
// progress, among the start-page benchmark's 2,000 visits, against GET
// /accessibility through the same middleware. Target: under 3 ms per op.
//
// BENCH_VISITS (default 2,000) sets how many visits the database holds:
// those beyond 2,000 are past visits (2006 to 2023, every step recorded) of
// the same people, so that a run with BENCH_VISITS=20000 shows whether the
// page grows with history. BENCH_TRACE=1 logs the time of each statement
// (with -v); BENCH_KEEP=1 stops after seeding, keeping the database.
func BenchmarkVisitPage(b *testing.B) {
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
	st := store.New(pool)
	ctx := context.Background()

	total := benchVisits
	if v := os.Getenv("BENCH_VISITS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < benchVisits {
			b.Fatalf("BENCH_VISITS=%q: want a number of at least %d", v, benchVisits)
		}
		total = n
	}
	start := time.Now()
	lead := seedBench(b, ctx, st)
	seedPastVisits(b, ctx, st, total-benchVisits)
	// As autovacuum would have by now on a live database.
	if _, err := pool.Exec(ctx, "VACUUM ANALYZE"); err != nil {
		b.Fatal(err)
	}
	b.Logf("seeded %d visits (%d past) in %v", total, total-benchVisits, time.Since(start).Round(time.Millisecond))

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
}

// seedPastVisits adds n visits of the benchmark's people with notice days
// spread over 2006 to mid-2023, every step recorded: years of history that
// no page about today should have to read.
func seedPastVisits(b *testing.B, ctx context.Context, st *store.Store, n int) {
	b.Helper()
	if n <= 0 {
		return
	}
	us, err := st.ListUsers(ctx)
	if err != nil {
		b.Fatal(err)
	}
	byRole := map[user.Role][]user.User{}
	for _, u := range us {
		byRole[u.Role] = append(byRole[u.Role], u)
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
	one := func(i int) error {
		l := leads[i%len(leads)]
		anchor, err := cal.Add(first, i*span/n)
		if err != nil {
			return err
		}
		members := []visit.Member{
			{UserID: l.ID, Role: visit.RoleLead},
			{UserID: inspectors[i%len(inspectors)].ID, Role: visit.RoleTeam},
			{UserID: inspectors[(i+11)%len(inspectors)].ID, Role: visit.RoleTeam},
			{UserID: qams[i%len(qams)].ID, Role: visit.RoleQAM},
			{UserID: saos[i%len(saos)].ID, Role: visit.RoleSAO},
			{UserID: ceo.ID, Role: visit.RoleCafcass},
			{UserID: deputy.ID, Role: visit.RoleCafcass},
		}
		nv := store.NewVisit{TemplateID: t.ID, TemplateVersion: t.Version, AnchorCode: timeline.CodeNotice, AnchorDate: anchor,
			PriorityAction: i%5 == 0, Members: members}
		id, err := st.CreateVisit(ctx, nv, l)
		if err != nil {
			return err
		}
		d := visit.Details{Visit: visit.Visit{TemplateID: nv.TemplateID, TemplateVersion: nv.TemplateVersion, AnchorCode: nv.AnchorCode,
			AnchorDate: anchor, PriorityAction: nv.PriorityAction}, Members: members}
		p, err := d.Dates(cal, time.UTC)
		if err != nil {
			return err
		}
		for _, code := range []string{timeline.CodeNotice, timeline.CodeSetUpCall, timeline.CodeFieldwork, timeline.CodeDraftLetter, timeline.CodeFinalLetter, timeline.CodePublication} {
			m, ok := p.Milestone(code)
			if !ok {
				continue
			}
			a := visit.Actual{Code: code, Date: m.First()}
			if m.Kind == timeline.KindWindow {
				a.To = m.To
			}
			if code == timeline.CodeNotice {
				a.Time = "09:30"
			}
			if err := st.RecordActual(ctx, id, 0, a, m.Label, l); err != nil {
				return fmt.Errorf("past visit %d: record %s: %w", id, code, err)
			}
		}
		return nil
	}
	const workers = 4
	jobs := make(chan int)
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range jobs {
				if err := one(i); err != nil {
					errs <- err
					return
				}
			}
		})
	}
	for i := range n {
		select {
		case jobs <- i:
		case err := <-errs:
			b.Fatal(err)
		}
	}
	close(jobs)
	wg.Wait()
	select {
	case err := <-errs:
		b.Fatal(err)
	default:
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
	v := ctx.Value(startKey{}).([2]any)
	sql := strings.Join(strings.Fields(v[1].(string)), " ")
	if len(sql) > 90 {
		sql = sql[:90]
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.n == nil {
		l.n, l.total = map[string]int{}, map[string]time.Duration{}
	}
	l.n[sql]++
	l.total[sql] += time.Since(v[0].(time.Time))
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

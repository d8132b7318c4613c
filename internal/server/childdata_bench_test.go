package server_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/ofsted/focusedvisits/internal/childdata"
	"github.com/ofsted/focusedvisits/internal/config"
	"github.com/ofsted/focusedvisits/internal/dbtest"
	"github.com/ofsted/focusedvisits/internal/demo"
	"github.com/ofsted/focusedvisits/internal/server"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// childListWorld is a visit whose notice was given five working days ago, with
// a child-level list of n rows imported, and its lead signed in.
type childListWorld struct {
	app     *server.Server
	cookies []*http.Cookie
	base    string // the visit's child-level data page
}

// childListCSV is a list of n rows with the Annex A headers: 40 teams in 10
// service areas, 400 practitioners, public and private law cases of six
// types, every case closed within the month before today.
func childListCSV(n int, today workday.Date) []byte {
	var b bytes.Buffer
	b.WriteString("Case ref,Child ID,Case name,DOB,Law type,Case type,Practitioner,Team,Service area,Local authority,Case start date,Case end date,Child seen (Y/N)\n")
	types := []struct{ law, typ string }{{"Public", "s31"}, {"Private", "s7"}, {"Private", "s8"}, {"Public", "s34"}, {"Private", "r16.4"}, {"Public", "s44"}}
	for i := range n {
		t := types[i%len(types)]
		la := ""
		if t.law == "Public" {
			la = "Kent"
		}
		end := today.AddDays(-1 - i%28)
		fmt.Fprintf(&b, "C%07d,K%d,Re %d,%02d/%02d/%d,%s,%s,Practitioner %d,Team %d,Area %d,%s,%d-%02d-%02d,%s,Y\n",
			(i*7919)%n, i%3, i, 1+i%28, 1+i%12, 2008+i%10, t.law, t.typ, i%400, i%40, i%40/4, la,
			2023+i%2, 1+i%12, 1+i%28, end.Format("02/01/2006"))
	}
	return b.Bytes()
}

func newChildListWorld(tb testing.TB, pool *pgxpool.Pool, rows int) childListWorld {
	tb.Helper()
	ctx := context.Background()
	st := store.New(pool)
	hash, err := user.HashPassword(testPassword)
	if err != nil {
		tb.Fatal(err)
	}
	lead, err := st.CreateUser(ctx, user.New{Email: "lead@example.gov.uk", Name: "Lena Lead", Role: user.LeadInspector}, hash)
	if err != nil {
		tb.Fatal(err)
	}
	ceo, err := st.CreateUser(ctx, user.New{Email: "ceo@example.gov.uk", Name: "Chief", Role: user.CafcassCEO}, hash)
	if err != nil {
		tb.Fatal(err)
	}
	today := workday.Today(workday.London)
	v, err := demo.SeedChildListVisit(ctx, st, lead, ceo, today)
	if err != nil {
		tb.Fatal(err)
	}
	cover := childdata.DateRange{From: today.AddDays(-30), To: today}
	data := childListCSV(rows, today)
	start := time.Now()
	l, _, err := st.ImportChildList(ctx, store.NewChildList{VisitID: v.VisitID, ItemID: v.Item.ID, FileName: "list.csv", Cover: cover},
		func(accept func(*childdata.Row) error) (*childdata.Result, error) {
			return childdata.Check(childdata.NewCSV(bytes.NewReader(data)), cover, childdata.Options{Today: today, Accept: accept})
		}, ceo)
	if err != nil {
		tb.Fatal(err)
	}
	if !l.Accepted() || l.RowCount != rows {
		tb.Fatalf("list %+v not accepted", l)
	}
	tb.Logf("imported %d rows in %v", rows, time.Since(start).Round(time.Millisecond))

	cfg, err := config.Load(func(string) string { return "" })
	if err != nil {
		tb.Fatal(err)
	}
	app := server.New(server.Deps{Config: cfg, Store: st, Sessions: server.NewSessionManager(cfg, pool)})
	srv := httptest.NewServer(app)
	tb.Cleanup(srv.Close)
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.PostForm(srv.URL+"/sign-in", url.Values{"email": {lead.Email}, "password": {testPassword}})
	if err != nil {
		tb.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		tb.Fatalf("sign in: %d", res.StatusCode)
	}
	return childListWorld{app: app, cookies: res.Cookies(), base: "/visits/" + v.VisitPublicID + "/child-data"}
}

// get answers GET path straight from the handler, failing unless it is 200
// with want in the body.
func (w childListWorld) get(tb testing.TB, path, want string) string {
	req := httptest.NewRequest(http.MethodGet, path, nil)
	for _, ck := range w.cookies {
		req.AddCookie(ck)
	}
	rec := httptest.NewRecorder()
	w.app.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		tb.Fatalf("GET %s: %d", path, rec.Code)
	}
	if !strings.Contains(rec.Body.String(), want) {
		tb.Fatalf("GET %s: no %q", path, want)
	}
	return rec.Body.String()
}

// TestChildDataPage_ReadsOnlyAPage (issue 16.4): the child-level data page,
// filtered or not, first page or last, reads one page of rows and never
// counts them: the summary and the totals come from the counts kept at
// import. Counted with a tracer, never timed.
func TestChildDataPage_ReadsOnlyAPage(t *testing.T) {
	t.Parallel()
	log := &sqlLog{}
	cfg, err := pgxpool.ParseConfig(dbtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg.ConnConfig.Tracer = log
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	w := newChildListWorld(t, pool, 240)
	for _, q := range []struct{ query, want string }{
		{"", "Showing 1 to 50 of 240 rows"},
		{"?law=public&team=Team+6&sort=start", "Showing 1 to 2 of 2 rows"},
		{"?sort=end&desc=1&last=1", "Showing 201 to 240 of 240 rows"},
	} {
		log.take()
		w.get(t, w.base+q.query, q.want)
		var rows []string
		for _, s := range log.take() {
			if strings.Contains(s, "child_rows") {
				rows = append(rows, s)
			}
			// (The calendar's state, read once per calendar version,
			// counts the closure-day changes: not the list's.)
			if l := strings.ToLower(s); strings.Contains(l, "count(") && !strings.Contains(l, "closure_day_changes") {
				t.Errorf("%s: the page counted: %s", q.query, s)
			}
		}
		if len(rows) != 2 { // the page, and the sample beside it
			t.Errorf("%s: %d statements read child_rows, want 2 (the page and the sample): %q", q.query, len(rows), rows)
		}
	}
}

// BenchmarkChildDataPage measures the child-level data page of a list of
// 200,000 rows (BENCH_CHILD_ROWS): the first page, a filtered and sorted
// page and the last page, beside the static page through the same
// middleware. Target: under 50 ms each. BENCH_TRACE=1 logs the time of
// each statement (with -v); BENCH_KEEP=1 stops after the import, keeping
// the database.
func BenchmarkChildDataPage(b *testing.B) {
	rows := 200_000
	if v := os.Getenv("BENCH_CHILD_ROWS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 100 {
			b.Fatalf("BENCH_CHILD_ROWS=%q: want a number of rows, at least 100", v)
		}
		rows = n
	}
	tr := &timingTracer{}
	cfg, err := pgxpool.ParseConfig(dbtest.URL(b))
	if err != nil {
		b.Fatal(err)
	}
	if os.Getenv("BENCH_TRACE") != "" {
		cfg.ConnConfig.Tracer = tr
	}
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(pool.Close)
	w := newChildListWorld(b, pool, rows)
	if os.Getenv("BENCH_TRACE") != "" {
		b.Logf("import and sign-in statements:\n%s", tr.report())
	}
	if os.Getenv("BENCH_KEEP") != "" {
		b.Fatalf("keeping the database; page %s", w.base)
	}
	ms := map[string]float64{}
	for _, bc := range []struct{ name, path, want string }{
		{"baseline=accessibility", "/accessibility", "Accessibility"},
		{"first-page", w.base, fmt.Sprintf("Showing 1 to 50 of %d rows", rows)},
		{"filtered-page", w.base + "?law=public&type=s31&team=Team+6&sort=start&desc=1", "Showing 1 to 50 of"},
		{"last-page", w.base + "?sort=practitioner&last=1", fmt.Sprintf("to %d of %d rows", rows, rows)},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			cpu0 := processCPU(b)
			for b.Loop() {
				w.get(b, bc.path, bc.want)
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
	if base := ms["baseline=accessibility"]; base > 0 {
		for _, k := range []string{"first-page", "filtered-page", "last-page"} {
			b.Logf("%s %.2f ms/op = %.1f× the static page (%.3f ms/op)", k, ms[k], ms[k]/base, base)
		}
	}
}

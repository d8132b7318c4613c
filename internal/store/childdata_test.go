package store_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/ofsted/focusedvisits/internal/childdata"
	"github.com/ofsted/focusedvisits/internal/dbtest"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

var (
	cdToday = workday.NewDate(2025, 10, 20)
	cdCover = childdata.DateRange{From: workday.NewDate(2025, 10, 6), To: workday.NewDate(2025, 10, 17)}
)

const cdHeader = "Case ID,Child ID,Case name,Gender,Ethnicity,Disability,Date of birth,Lead application,Law type,Case type,Practitioner,Team,Service area,Local authority,Court,File location,Case start date,Case end date,Child seen in person,Section 7 filed,Audit\n"

// cdRow is a good row; i varies the IDs, law, type, team and area.
func cdRow(i int) string {
	law, typ, la := "Public", "s31", "Kent"
	if i%3 != 0 {
		law, typ, la = "Private", "s7", ""
	}
	return fmt.Sprintf("C%07d,K%d,Re %d,F,White British,N,%02d/%02d/2015,C100,%s,%s,Practitioner %d,Team %d,Area %d,%s,Court,,2025-01-06,%02d/10/2025,Y,N,N\n",
		i, i%2, i, 1+i%28, 1+i%12, law, typ, i%40, i%12, i%4, la, 6+i%12)
}

func cdCSV(n int, extra ...string) []byte {
	var b bytes.Buffer
	b.WriteString(cdHeader)
	for i := range n {
		b.WriteString(cdRow(i))
	}
	for _, e := range extra {
		b.WriteString(e)
	}
	return b.Bytes()
}

type cdFixture struct {
	pool      *pgxpool.Pool
	st        *store.Store
	lead      user.User
	inspector user.User
	visit     int64
	item      int64
}

func newCDFixture(t testing.TB) cdFixture {
	t.Helper()
	ctx := context.Background()
	pool := dbtest.New(t)
	st := store.New(pool)
	lead, err := st.CreateUser(ctx, user.New{Email: "lead@example.gov.uk", Name: "Lena Lead", Role: user.LeadInspector}, "x")
	if err != nil {
		t.Fatal(err)
	}
	insp, err := st.CreateUser(ctx, user.New{Email: "ted@example.gov.uk", Name: "Ted Team", Role: user.TeamInspector}, "x")
	if err != nil {
		t.Fatal(err)
	}
	id, err := st.CreateVisit(ctx, store.NewVisit{
		TemplateID: timeline.FocusedVisit, TemplateVersion: "2021-03-17", AnchorCode: "notice",
		AnchorDate: workday.NewDate(2025, 10, 13),
		Members:    []visit.Member{{UserID: lead.ID, Role: visit.RoleLead}, {UserID: insp.ID, Role: visit.RoleTeam}},
	}, lead)
	if err != nil {
		t.Fatal(err)
	}
	var item int64
	// The request's own store methods are another part of the service.
	err = pool.QueryRow(ctx, `INSERT INTO request_items (visit_id, number, kind, title, due_day)
		VALUES ($1, 'CL.1', 'child_list', 'Child-level data', 3) RETURNING id`, id).Scan(&item)
	if err != nil {
		t.Fatal(err)
	}
	return cdFixture{pool: pool, st: st, lead: lead, inspector: insp, visit: id, item: item}
}

// importCSV stages data as the item's file and imports it, reading it back
// from the store as the server does.
func (f cdFixture) importCSV(t testing.TB, data []byte) (store.ChildList, *childdata.Result) {
	t.Helper()
	ctx := context.Background()
	file, err := f.st.StageFile(ctx, store.NewFile{VisitID: f.visit, ItemID: f.item, Name: "CL.1 list.csv", OriginalName: "list.csv", ContentType: "text/csv"},
		bytes.NewReader(data), f.lead)
	if err != nil {
		t.Fatal(err)
	}
	l, res, err := f.st.ImportChildList(ctx, store.NewChildList{VisitID: f.visit, ItemID: f.item, FileID: file.ID, FileName: file.Name, Cover: cdCover},
		func(accept func(*childdata.Row) error) (*childdata.Result, error) {
			return childdata.Check(childdata.NewCSV(f.st.OpenFile(ctx, file)), cdCover, childdata.Options{Today: cdToday, Accept: accept})
		}, f.lead)
	if err != nil {
		t.Fatal(err)
	}
	if !l.Accepted() {
		f.st.DiscardFiles(ctx, file.ID)
	}
	return l, res
}

func (f cdFixture) count(t testing.TB, sql string) int {
	t.Helper()
	var n int
	if err := f.pool.QueryRow(context.Background(), sql).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func TestImportChildList(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newCDFixture(t)

	// Rejected: errors anywhere, even in the last row, leave no rows.
	bad := cdCSV(300, strings.Replace(cdRow(300), "Public", "civil", 1), strings.Replace(cdRow(301), "01/10", "31/02", 1))
	l, res := f.importCSV(t, bad)
	if l.Accepted() || l.ErrorCount == 0 || res.Accepted() {
		t.Fatalf("list %+v accepted", l)
	}
	if n := f.count(t, `SELECT count(*) FROM child_rows`); n != 0 {
		t.Errorf("%d rows stored for a rejected list", n)
	}
	if n := f.count(t, `SELECT count(*) FROM files WHERE complete`); n != 0 {
		t.Errorf("%d files kept for a rejected list", n)
	}
	issues, err := f.st.ChildListIssues(ctx, l.ID)
	if err != nil {
		t.Fatal(err)
	}
	if len(issues) != l.ErrorCount+l.QueryCount || issues[0].Kind != childdata.Error || issues[0].Row == 0 {
		t.Errorf("issues %+v for list %+v", issues, l)
	}
	latest, err := f.st.LatestChildList(ctx, f.visit, f.item)
	if err != nil || latest.ID != l.ID || latest.Status != "rejected" || latest.Current {
		t.Errorf("latest %+v, %v", latest, err)
	}

	// Accepted: rows stored, file kept, dates covered set on the item.
	l, res = f.importCSV(t, cdCSV(120))
	if !l.Accepted() || !l.Current || l.RowCount != 120 || l.FileID == 0 || res.AcceptedRows != 120 {
		t.Fatalf("list %+v", l)
	}
	if n := f.count(t, `SELECT count(*) FROM child_rows`); n != 120 {
		t.Errorf("%d rows stored, want 120", n)
	}
	it, err := f.st.GetItem(ctx, f.visit, f.item)
	if err != nil || it.CoversFrom != cdCover.From || it.CoversTo != cdCover.To {
		t.Errorf("item %+v, %v", it, err)
	}

	sum, err := f.st.ChildDataSummary(ctx, f.visit)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Rows != 120 || len(sum.Lists) != 1 || len(sum.ByLaw) != 2 || sum.ByLaw[0] != (store.Count{Value: "private", N: 80}) ||
		len(sum.ByServiceArea) != 4 || len(sum.ByTeam) != 12 || sum.FirstEnd != workday.NewDate(2025, 10, 6) || sum.LastEnd != workday.NewDate(2025, 10, 17) {
		t.Errorf("summary %+v", sum)
	}

	page, err := f.st.ListChildRows(ctx, f.visit, store.ChildRowFilter{LawType: "public", Sort: "case", Desc: true})
	if err != nil {
		t.Fatal(err)
	}
	if page.Total != 40 || page.Pages != 1 || len(page.Rows) != 40 || page.Rows[0].CaseID != "C0000117" || page.Next != "" || page.Prev != "" {
		t.Errorf("page total %d pages %d first %+v", page.Total, page.Pages, page.Rows[0])
	}
	// Three pages, after and before the rows shown; an unknown sort is by
	// case ID.
	f1, err := f.st.ListChildRows(ctx, f.visit, store.ChildRowFilter{Sort: "nonsense; DROP TABLE users"})
	if err != nil || f1.Pages != 3 || len(f1.Rows) != 50 || f1.Rows[0].CaseID != "C0000000" || f1.Prev != "" || f1.Next == "" {
		t.Fatalf("page 1: %d pages, %d rows, %v", f1.Pages, len(f1.Rows), err)
	}
	f2, err := f.st.ListChildRows(ctx, f.visit, store.ChildRowFilter{After: f1.Next})
	if err != nil || len(f2.Rows) != 50 || f2.Rows[0].CaseID != "C0000050" || f2.Prev == "" || f2.Next == "" {
		t.Fatalf("page 2: %d rows, %v", len(f2.Rows), err)
	}
	page, err = f.st.ListChildRows(ctx, f.visit, store.ChildRowFilter{After: f2.Next})
	if err != nil || len(page.Rows) != 20 || page.Rows[0].CaseID != "C0000100" || page.Next != "" || !page.IsLast {
		t.Errorf("page 3: %d rows, %v", len(page.Rows), err)
	}
	last, err := f.st.ListChildRows(ctx, f.visit, store.ChildRowFilter{Last: true})
	if err != nil || len(last.Rows) != 20 || last.Rows[0].CaseID != "C0000100" || last.Rows[19].CaseID != "C0000119" || last.Next != "" {
		t.Errorf("last page: %d rows, %v", len(last.Rows), err)
	}
	back, err := f.st.ListChildRows(ctx, f.visit, store.ChildRowFilter{Before: last.Prev})
	if err != nil || len(back.Rows) != 50 || back.Rows[0].CaseID != "C0000050" || back.Next == "" || back.Prev == "" {
		t.Errorf("the page before the last: %d rows, %v", len(back.Rows), err)
	}
	page, err = f.st.ListChildRows(ctx, f.visit, store.ChildRowFilter{Search: "c0000011", Team: "Team 11"})
	if err != nil || page.Total != 1 || page.Rows[0].CaseID != "C0000011" {
		t.Errorf("search: %+v %v", page, err)
	}

	// A corrected list replaces the rows.
	l2, _ := f.importCSV(t, cdCSV(10))
	if !l2.Current || f.count(t, `SELECT count(*) FROM child_rows`) != 10 || f.count(t, `SELECT count(*) FROM child_lists WHERE is_current`) != 1 {
		t.Errorf("replacement list %+v", l2)
	}
}

func TestImportChildList_CheckFailsStoresNothing(t *testing.T) {
	t.Parallel()
	f := newCDFixture(t)
	boom := errors.New("boom")
	_, _, err := f.st.ImportChildList(context.Background(), store.NewChildList{VisitID: f.visit, ItemID: f.item, FileName: "x.csv", Cover: cdCover},
		func(accept func(*childdata.Row) error) (*childdata.Result, error) {
			return childdata.Check(childdata.NewCSV(io.MultiReader(bytes.NewReader(cdCSV(50)), errReader{boom})), cdCover,
				childdata.Options{Today: cdToday, Accept: accept})
		}, f.lead)
	if !errors.Is(err, boom) {
		t.Errorf("err = %v", err)
	}
	if n := f.count(t, `SELECT (SELECT count(*) FROM child_rows) + (SELECT count(*) FROM child_lists)`); n != 0 {
		t.Errorf("%d rows and lists stored", n)
	}
}

type errReader struct{ err error }

func (e errReader) Read([]byte) (int, error) { return 0, e.err }

func TestCaseSample(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newCDFixture(t)
	f.importCSV(t, cdCSV(20))
	if err := f.st.AddToSample(ctx, f.visit, "C0000003", "K1", "Long public law case", f.inspector.ID, f.lead); err != nil {
		t.Fatal(err)
	}
	if err := f.st.AddToSample(ctx, f.visit, "C0000003", "K1", "again", f.inspector.ID, f.lead); !errors.Is(err, store.ErrConflict) {
		t.Errorf("second add: %v", err)
	}
	if err := f.st.AddToSample(ctx, f.visit, "C9999999", "", "x", f.inspector.ID, f.lead); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown case: %v", err)
	}
	if err := f.st.AddToSample(ctx, f.visit, "C0000004", "K0", "Private law", f.lead.ID, f.lead); err != nil {
		t.Fatal(err)
	}
	list, err := f.st.ListSample(ctx, f.visit)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 || list[0].CaseID != "C0000003" || list[0].InspectorName != "Ted Team" || list[0].Reason != "Long public law case" ||
		!list[0].InList || list[0].LawType != "public" {
		t.Errorf("sample %+v", list)
	}
	page, err := f.st.ListChildRows(ctx, f.visit, store.ChildRowFilter{Search: "C0000003"})
	if err != nil || !page.Rows[0].Sampled {
		t.Errorf("row not marked as sampled: %+v %v", page.Rows, err)
	}
	if err := f.st.RemoveFromSample(ctx, f.visit, list[1].PublicID, f.lead); err != nil {
		t.Fatal(err)
	}
	if err := f.st.RemoveFromSample(ctx, f.visit+1, list[0].PublicID, f.lead); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("remove from another visit: %v", err)
	}
	if at, err := f.st.SampleReleased(ctx, f.visit); err != nil || !at.IsZero() {
		t.Errorf("released %v %v", at, err)
	}
	for range 2 {
		if err := f.st.ReleaseSample(ctx, f.visit, f.lead); err != nil {
			t.Fatal(err)
		}
	}
	if at, err := f.st.SampleReleased(ctx, f.visit); err != nil || at.IsZero() {
		t.Errorf("released %v %v", at, err)
	}
	if n := f.count(t, `SELECT count(*) FROM visit_events WHERE kind = 'sample.released'`); n != 1 {
		t.Errorf("%d release events", n)
	}
	if n := f.count(t, `SELECT count(*) FROM visit_events WHERE params::text LIKE '%Long public%' OR detail LIKE '%Long public%'`); n != 0 {
		t.Errorf("the internal reason is in the history")
	}
}

// BenchmarkImport100k checks and imports (COPY) a generated 100,000-row CSV
// into a real database, reporting the peak heap growth while it runs.
// The issue asks for under 5 s and under 100 MB.
func BenchmarkImport100k(b *testing.B) { benchmarkImport(b, 100_000) }

// BenchmarkImport200k is BenchmarkImport100k at 200,000 rows: issue 16.4
// asks for under 6 s and peak heap growth under 64 MB.
func BenchmarkImport200k(b *testing.B) { benchmarkImport(b, 200_000) }

// benchmarkImport reports, per import: ms/import (the whole of
// ImportChildList), check+copy-ms (reading, checking and copying the rows:
// until the check returns, which the copy follows row by row), accept-ms
// (the rest: attaching the rows, building their indexes, the counts, the
// file and the history), go-cpu-ms (this process's CPU time, which a busy
// machine inflates less than wall time) and peak-heap-MB (the heap's
// growth above where it started, sampled every 5 ms). raw-copy-ms is a
// baseline on the same database at the same moment: the same CSV bytes
// copied as they are (COPY … CSV) into a table of text columns, with no
// checks and no indexes. db-cpu-ms is the CPU time of the database's
// server processes during the import, where this machine runs the server.
func benchmarkImport(b *testing.B, n int) {
	data := cdCSV(n)
	b.SetBytes(int64(len(data)))
	ctx := context.Background()
	var peak uint64
	var checkCopy, raw, cpu, db time.Duration
	dbOK := true
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		f := newCDFixture(b)
		raw += rawCopy(b, f.pool, data)
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		base := ms.HeapInuse
		var most atomic.Uint64
		done := make(chan struct{})
		sampled := make(chan struct{})
		go func() {
			defer close(sampled)
			t := time.NewTicker(5 * time.Millisecond)
			defer t.Stop()
			var m runtime.MemStats
			for {
				runtime.ReadMemStats(&m)
				if m.HeapInuse > base && m.HeapInuse-base > most.Load() {
					most.Store(m.HeapInuse - base)
				}
				select {
				case <-done:
					return
				case <-t.C:
				}
			}
		}()
		cpu0 := processCPU(b)
		dbc := startDBCPU(f.pool.Config().ConnConfig.Database)
		start := time.Now()
		b.StartTimer()
		l, _, err := f.st.ImportChildList(ctx, store.NewChildList{VisitID: f.visit, ItemID: f.item, FileName: "big.csv", Cover: cdCover},
			func(accept func(*childdata.Row) error) (*childdata.Result, error) {
				defer func() { checkCopy += time.Since(start) }()
				return childdata.Check(childdata.NewCSV(bytes.NewReader(data)), cdCover, childdata.Options{Today: cdToday, Accept: accept})
			}, f.lead)
		b.StopTimer()
		cpu += processCPU(b) - cpu0
		d, ok := dbc.total()
		db, dbOK = db+d, dbOK && ok
		close(done)
		<-sampled
		if err != nil {
			b.Fatal(err)
		}
		if !l.Accepted() || l.RowCount != n {
			b.Fatalf("list %+v", l)
		}
		if got := f.count(b, `SELECT count(*) FROM child_rows`); got != n {
			b.Fatalf("%d rows stored", got)
		}
		peak = max(peak, most.Load())
		b.StartTimer()
	}
	per := func(d time.Duration) float64 { return float64(d.Milliseconds()) / float64(b.N) }
	b.ReportMetric(float64(peak)/(1<<20), "peak-heap-MB")
	b.ReportMetric(per(b.Elapsed()), "ms/import")
	b.ReportMetric(per(checkCopy), "check+copy-ms")
	b.ReportMetric(per(b.Elapsed()-checkCopy), "accept-ms")
	b.ReportMetric(per(cpu), "go-cpu-ms")
	b.ReportMetric(per(raw), "raw-copy-ms")
	if dbOK {
		b.ReportMetric(per(db), "db-cpu-ms")
	}
}

// rawCopy copies the CSV as it is into a table of text columns with no
// index, returning how long the COPY took.
func rawCopy(b *testing.B, pool *pgxpool.Pool, data []byte) time.Duration {
	b.Helper()
	ctx := context.Background()
	cols := make([]string, strings.Count(cdHeader, ",")+1)
	for i := range cols {
		cols[i] = fmt.Sprintf("c%d text", i)
	}
	if _, err := pool.Exec(ctx, `CREATE TABLE raw_copy (`+strings.Join(cols, ", ")+`)`); err != nil {
		b.Fatal(err)
	}
	conn, err := pool.Acquire(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer conn.Release()
	start := time.Now()
	if _, err := conn.Conn().PgConn().CopyFrom(ctx, bytes.NewReader(data), `COPY raw_copy FROM STDIN WITH (FORMAT csv, HEADER true)`); err != nil {
		b.Fatal(err)
	}
	d := time.Since(start)
	if _, err := conn.Exec(ctx, `DROP TABLE raw_copy`); err != nil {
		b.Fatal(err)
	}
	return d
}

// processCPU is the CPU time this process has used.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// TestImportChildList_UploadsToTheItemDoNotWait: while a list is checked
// inside the import's transaction (holding the item's lock), another upload
// to the same item is staged without waiting for that lock. Staging inserts
// a file that refers to the item, which takes a key-share lock on it: the
// item lock must not conflict with that, or uploads that wait for it hold
// pool connections the check needs to read its own file (a deadlock no
// database can see; found in CI with six parallel imports).
func TestImportChildList_UploadsToTheItemDoNotWait(t *testing.T) {
	t.Parallel()
	f := newCDFixture(t)
	ctx := context.Background()
	data := cdCSV(20)
	file, err := f.st.StageFile(ctx, store.NewFile{VisitID: f.visit, ItemID: f.item, Name: "CL.1 list.csv", OriginalName: "list.csv", ContentType: "text/csv"},
		bytes.NewReader(data), f.lead)
	if err != nil {
		t.Fatal(err)
	}
	var stageErr error
	_, _, err = f.st.ImportChildList(ctx, store.NewChildList{VisitID: f.visit, ItemID: f.item, FileID: file.ID, FileName: file.Name, Cover: cdCover},
		func(accept func(*childdata.Row) error) (*childdata.Result, error) {
			// The item is locked by the import now: another upload comes.
			sctx, cancel := context.WithTimeout(ctx, 5*time.Second)
			defer cancel()
			other, err := f.st.StageFile(sctx, store.NewFile{VisitID: f.visit, ItemID: f.item, Name: "CL.1 again.csv", OriginalName: "again.csv", ContentType: "text/csv"},
				bytes.NewReader(data), f.lead)
			stageErr = err
			if err == nil {
				f.st.DiscardFiles(ctx, other.ID)
			}
			return childdata.Check(childdata.NewCSV(f.st.OpenFile(ctx, file)), cdCover, childdata.Options{Today: cdToday, Accept: accept})
		}, f.lead)
	if err != nil {
		t.Fatal(err)
	}
	if stageErr != nil {
		t.Errorf("an upload to the item being imported waited for its lock: %v", stageErr)
	}
}

// TestChildRows_Keyset walks the pages of rows of two lists (some dates
// blank) in every order the page offers, both ways, filtered and not: the
// pages after each other, and before each other from the last, give every
// row once in the order PostgreSQL sorts them, blank dates last.
func TestChildRows_Keyset(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newCDFixture(t)
	if l, _ := f.importCSV(t, cdCSV(130)); !l.Accepted() {
		t.Fatalf("first list %+v", l)
	}
	// A second child-level list item, with its own current list.
	second := f
	if err := f.pool.QueryRow(ctx, `INSERT INTO request_items (visit_id, number, kind, title, due_day)
		VALUES ($1, 'CL.2', 'child_list', 'More child-level data', 3) RETURNING id`, f.visit).Scan(&second.item); err != nil {
		t.Fatal(err)
	}
	if l, _ := second.importCSV(t, cdCSV(47)); !l.Accepted() {
		t.Fatalf("second list %+v", l)
	}
	// Imports check that dates are there; blanks can come from lists of
	// other shapes. Made here.
	if _, err := f.pool.Exec(ctx, `UPDATE child_rows SET date_of_birth = NULL WHERE row_number % 7 = 0`); err != nil {
		t.Fatal(err)
	}
	if _, err := f.pool.Exec(ctx, `UPDATE child_rows SET case_end = NULL WHERE row_number % 5 = 0`); err != nil {
		t.Fatal(err)
	}
	type key struct {
		list int64
		row  int
	}
	defer store.SetChildNarrowRows(store.SetChildNarrowRows(0))
	// Filtered rows are found by the filters when they are few, else by the
	// sort column: both ways, one after the other.
	for _, narrow := range []int64{0, 1_000_000} {
		store.SetChildNarrowRows(narrow)
		for sort, col := range store.ChildRowSorts {
			for _, desc := range []bool{false, true} {
				for _, filter := range []store.ChildRowFilter{{}, {LawType: "public"}, {Team: "Team 3", ServiceArea: "Area 3"}, {Search: "00001"}} {
					filter.Sort, filter.Desc = sort, desc
					name := fmt.Sprintf("%s desc=%v narrow=%d %+v", sort, desc, narrow, filter)
					dir := "ASC"
					if desc {
						dir = "DESC"
					}
					rows, err := f.pool.Query(ctx, fmt.Sprintf(`SELECT list_id, row_number FROM child_rows
					WHERE ($1 = '' OR law_type = $1) AND ($2 = '' OR team = $2) AND ($3 = '' OR service_area = $3) AND strpos(case_id, $4) > 0
					ORDER BY %s %s NULLS LAST, list_id %s, row_number %s`, col, dir, dir, dir),
						filter.LawType, filter.Team, filter.ServiceArea, filter.Search)
					if err != nil {
						t.Fatal(err)
					}
					var want []key
					var k key
					if _, err := pgx.ForEachRow(rows, []any{&k.list, &k.row}, func() error { want = append(want, k); return nil }); err != nil {
						t.Fatal(err)
					}
					if filter.LawType == "" && filter.Team == "" && filter.Search == "" && len(want) != 177 {
						t.Fatalf("%s: %d rows in all, want 177", name, len(want))
					}
					keys := func(p store.ChildRowPage) []key {
						var ks []key
						for _, r := range p.Rows {
							ks = append(ks, key{r.ListID, r.Number})
						}
						return ks
					}
					var forward []key
					p, err := f.st.ListChildRows(ctx, f.visit, filter)
					for n := 0; ; n++ {
						if err != nil || n > 20 {
							t.Fatalf("%s: page %d: %v", name, n, err)
						}
						if p.Total != len(want) {
							t.Errorf("%s: total %d, want %d", name, p.Total, len(want))
						}
						forward = append(forward, keys(p)...)
						if p.Next == "" {
							break
						}
						after := filter
						after.After = p.Next
						p, err = f.st.ListChildRows(ctx, f.visit, after)
					}
					if !slices.Equal(forward, want) {
						t.Errorf("%s: pages forward\n got %v\nwant %v", name, forward, want)
					}
					var backward []key
					last := filter
					last.Last = true
					p, err = f.st.ListChildRows(ctx, f.visit, last)
					for n := 0; ; n++ {
						if err != nil || n > 20 {
							t.Fatalf("%s: page %d from the end: %v", name, n, err)
						}
						if n > 0 && len(p.Rows) != store.ChildRowsPerPage {
							t.Errorf("%s: a page before the last has %d rows", name, len(p.Rows))
						}
						backward = append(keys(p), backward...)
						if p.Prev == "" {
							break
						}
						before := filter
						before.Before = p.Prev
						p, err = f.st.ListChildRows(ctx, f.visit, before)
					}
					if !slices.Equal(backward, want) {
						t.Errorf("%s: pages backward\n got %v\nwant %v", name, backward, want)
					}
				}
			}
		}
	}
	// A cursor that cannot be read is the first page.
	p, err := f.st.ListChildRows(ctx, f.visit, store.ChildRowFilter{After: "not a cursor", Sort: "dob"})
	if err != nil || len(p.Rows) != store.ChildRowsPerPage || p.Prev != "" {
		t.Errorf("a bad cursor: %d rows, prev %q, %v", len(p.Rows), p.Prev, err)
	}
}

// TestImportChildList_TwoItemsAtOnce: lists imported to two items at the
// same time, each still being checked when the other starts, both succeed:
// attaching one list's rows waits for nothing the other holds.
func TestImportChildList_TwoItemsAtOnce(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newCDFixture(t)
	second := f
	if err := f.pool.QueryRow(ctx, `INSERT INTO request_items (visit_id, number, kind, title, due_day)
		VALUES ($1, 'CL.2', 'child_list', 'More child-level data', 3) RETURNING id`, f.visit).Scan(&second.item); err != nil {
		t.Fatal(err)
	}
	var started sync.WaitGroup
	started.Add(2)
	errs := make(chan error, 2)
	for i, fx := range []cdFixture{f, second} {
		go func() {
			data := cdCSV(200 + i)
			lctx, cancel := context.WithTimeout(ctx, time.Minute)
			defer cancel()
			l, _, err := fx.st.ImportChildList(lctx, store.NewChildList{VisitID: fx.visit, ItemID: fx.item, FileName: "list.csv", Cover: cdCover},
				func(accept func(*childdata.Row) error) (*childdata.Result, error) {
					started.Done()
					started.Wait() // both imports are inside their transactions
					return childdata.Check(childdata.NewCSV(bytes.NewReader(data)), cdCover, childdata.Options{Today: cdToday, Accept: accept})
				}, fx.lead)
			if err == nil && !l.Accepted() {
				err = fmt.Errorf("list %+v not accepted", l)
			}
			errs <- err
		}()
	}
	for range 2 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
	if n := f.count(t, `SELECT count(*) FROM child_rows`); n != 401 {
		t.Errorf("%d rows stored, want 401", n)
	}
	// A list deleted (with its item) takes its rows with it.
	if _, err := f.pool.Exec(ctx, `DELETE FROM request_items WHERE id = $1`, second.item); err != nil {
		t.Fatal(err)
	}
	if n := f.count(t, `SELECT count(*) FROM child_rows`); n != 200 {
		t.Errorf("%d rows left after the second list was deleted, want 200", n)
	}
}

// TestImportChildList_RowsCopiedExactly: the rows stored are the rows the
// check accepted, value for value (text with backslashes, tabs and quotes,
// blank and set dates and answers), and the list's partition is written
// frozen: every page all-visible, so nothing reads or rewrites the whole
// table after the import to set hint bits.
func TestImportChildList_RowsCopiedExactly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newCDFixture(t)
	odd := strings.NewReplacer("Re 7,", `"Re \N 7 \\ ""x""",`, "Practitioner 8,", "\"Prac\ttitioner\\t 8\",", "Court,", `"C:\court",`)
	var b bytes.Buffer
	for i, line := range strings.SplitAfter(string(cdCSV(500)), "\n") {
		if i == 9 || i == 10 {
			line = strings.Replace(strings.Replace(line, ",Y,N,N\n", ",Y,,\n", 1), "White British,N,", "White British,,", 1) // blank answers
		}
		b.WriteString(odd.Replace(line))
	}
	var want []childdata.Row
	_, err := childdata.Check(childdata.NewCSV(bytes.NewReader(b.Bytes())), cdCover, childdata.Options{Today: cdToday,
		Accept: func(r *childdata.Row) error { want = append(want, *r); return nil }})
	if err != nil || len(want) != 500 {
		t.Fatalf("check: %d rows, %v", len(want), err)
	}
	l, _ := f.importCSV(t, b.Bytes())
	if !l.Accepted() {
		t.Fatalf("list %+v", l)
	}
	var seen int
	for _, r := range want {
		got, err := f.st.FindChildRow(ctx, f.visit, r.CaseID, r.ChildID)
		if err != nil {
			t.Fatal(err)
		}
		stored := got.Row
		if fmt.Sprint(derefRow(stored)) != fmt.Sprint(derefRow(r)) {
			t.Errorf("row %d stored as\n%v\nwant\n%v", r.Number, derefRow(stored), derefRow(r))
		}
		if strings.ContainsAny(r.CaseName+r.Practitioner+r.Court, "\\\t") || r.Audit == nil {
			seen++
		}
	}
	if seen < 4 {
		t.Errorf("only %d rows with escapes or blanks: the test data lost them", seen)
	}
	var pages, visible int
	err = f.pool.QueryRow(ctx, `SELECT relpages, relallvisible FROM pg_class WHERE relname = $1`, fmt.Sprintf("child_rows_%d", l.ID)).Scan(&pages, &visible)
	if err != nil || pages == 0 || visible != pages {
		t.Errorf("the list's partition: %d pages, %d all-visible, %v", pages, visible, err)
	}
}

// derefRow is a row with its optional answers shown by value.
func derefRow(r childdata.Row) []any {
	b := func(p *bool) any {
		if p == nil {
			return "blank"
		}
		return *p
	}
	return []any{r.Number, r.CaseID, r.CaseName, r.Gender, r.Ethnicity, b(r.Disability), r.DateOfBirth, r.LeadApplication, r.LawType,
		r.CaseType, r.Practitioner, r.Team, r.ServiceArea, r.LocalAuthority, r.Court, r.FileLocation, r.ChildID, r.CaseStart,
		r.CaseEnd, b(r.ChildSeen), b(r.Section7Filed), b(r.Audit)}
}

// dbCPU samples the CPU time PostgreSQL spends on one database, on this
// machine: its backends' and their parallel workers', read from /proc every
// 10 ms (a worker's last 10 ms may be missed). It is a measure that a busy
// machine inflates less than wall time. ok is false where /proc does not
// show the server's processes (another machine, another kernel).
type dbCPU struct {
	db    string
	kind  map[int]string        // "backend", the backend's PID for a parallel worker, or ""
	start map[int]time.Duration // CPU of the processes there at the start
	seen  map[int]time.Duration // the most seen of each since
	stop  chan struct{}
	done  chan struct{}
}

func startDBCPU(db string) *dbCPU {
	c := &dbCPU{db: db, seen: map[int]time.Duration{}, stop: make(chan struct{}), done: make(chan struct{})}
	c.start = c.sample()
	go func() {
		defer close(c.done)
		t := time.NewTicker(10 * time.Millisecond)
		defer t.Stop()
		for {
			for pid, d := range c.sample() {
				c.seen[pid] = max(c.seen[pid], d)
			}
			select {
			case <-c.stop:
				return
			case <-t.C:
			}
		}
	}()
	return c
}

// total stops sampling and returns the CPU time used since the start.
func (c *dbCPU) total() (d time.Duration, ok bool) {
	close(c.stop)
	<-c.done
	for pid, t := range c.seen {
		d += t - c.start[pid]
	}
	return d, len(c.seen) > 0
}

// sample reads the CPU time of the database's backends and of the parallel
// workers of any of them. Each process's command line is read once.
func (c *dbCPU) sample() map[int]time.Duration {
	if c.kind == nil {
		c.kind = map[int]string{}
	}
	out := map[int]time.Duration{}
	dirs, _ := os.ReadDir("/proc")
	var workers []int
	for _, d := range dirs {
		pid, err := strconv.Atoi(d.Name())
		if err != nil {
			continue
		}
		k, ok := c.kind[pid]
		if !ok {
			cmd, _ := os.ReadFile(fmt.Sprintf("/proc/%d/cmdline", pid))
			s := strings.TrimRight(string(cmd), "\x00 ")
			switch {
			case strings.HasPrefix(s, "postgres: ") && strings.Contains(s, " "+c.db+" "):
				k = "backend"
			case strings.HasPrefix(s, "postgres: parallel worker for PID "):
				k = strings.TrimPrefix(s, "postgres: parallel worker for PID ")
			}
			c.kind[pid] = k
		}
		switch k {
		case "":
			continue
		case "backend":
		default:
			workers = append(workers, pid)
			continue
		}
		if t, ok := procCPU(pid); ok {
			out[pid] = t
		}
	}
	for _, pid := range workers {
		if of, err := strconv.Atoi(c.kind[pid]); err == nil && c.kind[of] == "backend" {
			if t, ok := procCPU(pid); ok {
				out[pid] = t
			}
		}
	}
	return out
}

// procCPU is a process's user and system CPU time, from /proc/<pid>/stat
// (in clock ticks of 1/100 s).
func procCPU(pid int) (time.Duration, bool) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, false
	}
	f := strings.Fields(string(b[bytes.LastIndexByte(b, ')')+1:]))
	if len(f) < 13 {
		return 0, false
	}
	u, err1 := strconv.Atoi(f[11])
	s, err2 := strconv.Atoi(f[12])
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return time.Duration(u+s) * 10 * time.Millisecond, true
}

// Command faulttest checks that the Focused visits service survives
// PostgreSQL going away under load, and SIGTERM under load, and loses no
// write it acknowledged.
//
// It starts a PostgreSQL cluster of its own in a new directory (never the
// shared one under .data/), migrates and seeds a database, starts the built
// service binary (-bin) against it on a loopback port and signs -users lead
// inspectors in. Each user then repeats: the start page, one of their
// visits, and a date set by hand on it (POST …/override, 303) whose reason
// is unique, so every acknowledged write can be found again.
//
//  1. Outage. After -warm of load it stops PostgreSQL (pg_ctl stop -m
//     fast) for -outage, then starts it again. While it is away every page
//     must be answered 503 with the "Sorry, the service is unavailable"
//     page within -fail-fast, /healthz must stay 200 and /readyz 503.
//     After the restart /readyz must be 200 within -recover and every
//     request started after that must succeed, without the service being
//     restarted.
//  2. SIGTERM. Under load, with a slow form post still arriving, it sends
//     the service SIGTERM. Requests started before the signal must finish
//     with their usual answer (no 5xx, no transport error), the slow post
//     must be acknowledged, and the process must exit 0 within
//     SHUTDOWN_TIMEOUT. Requests started after the signal are refused or
//     served; they are counted, not judged.
//  3. Writes. Every write acknowledged with a 303, in either part, must be
//     in the database.
//
// It prints a report and exits non-zero on any violation. It stops its
// cluster at the end, and removes its directory unless something failed
// (the service's log is kept there).
//
//	make faulttest
//	go run ./cmd/faulttest -bin bin/focusedvisits -users 30
package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"flag"
	"fmt"
	"io"
	mrand "math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/ofsted/focusedvisits/internal/demo"
	"github.com/ofsted/focusedvisits/internal/devdb"
	"github.com/ofsted/focusedvisits/internal/harness"
	"github.com/ofsted/focusedvisits/internal/history"
	"github.com/ofsted/focusedvisits/migrations"
)

func main() {
	harness.Main("faulttest", func(ctx context.Context) error { return run(ctx, os.Args[1:], os.Stdout, os.Stderr) })
}

type options struct {
	users           int
	bin             string
	dir             string
	warm            time.Duration
	outage          time.Duration
	after           time.Duration
	failFast        time.Duration
	recover         time.Duration
	think           time.Duration
	shutdownTimeout time.Duration
}

// unavailableTitle is the heading of the 503 page.
const unavailableTitle = "Sorry, the service is unavailable"

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("faulttest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	fs.IntVar(&o.users, "users", 30, "virtual users, each signed in with its own session, making one request at a time")
	harness.BinFlag(fs, &o.bin, "")
	fs.StringVar(&o.dir, "dir", "", "directory for the test's own PostgreSQL cluster (default /tmp/fv-fault-<pid>); it must not exist")
	fs.DurationVar(&o.warm, "warm", 5*time.Second, "load before PostgreSQL is stopped")
	fs.DurationVar(&o.outage, "outage", 10*time.Second, "how long PostgreSQL stays stopped")
	fs.DurationVar(&o.after, "after", 5*time.Second, "load after the service is ready again")
	fs.DurationVar(&o.failFast, "fail-fast", time.Second, "longest a request may take while PostgreSQL is away")
	fs.DurationVar(&o.recover, "recover", 5*time.Second, "longest /readyz may take to answer 200 after PostgreSQL is back")
	fs.DurationVar(&o.think, "think", 20*time.Millisecond, "mean pause between a user's requests")
	fs.DurationVar(&o.shutdownTimeout, "shutdown-timeout", 10*time.Second, "SHUTDOWN_TIMEOUT given to the service")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.users < 1 || o.users > 500 {
		return errors.New("-users must be 1 to 500")
	}
	if err := harness.CheckBin(o.bin); err != nil {
		return err
	}
	if o.dir == "" {
		o.dir = fmt.Sprintf("/tmp/fv-fault-%d", os.Getpid())
	}
	if _, err := os.Stat(o.dir); err == nil {
		return fmt.Errorf("%s exists: the fault test starts a cluster of its own in a new directory", o.dir)
	}
	logf := harness.Logf(stderr, "faulttest")

	// Our own cluster: stopping it disturbs nobody else's tests.
	t0 := time.Now()
	dbURL, err := devdb.Ensure(ctx, o.dir, logf)
	if err != nil {
		return err
	}
	failed := true
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if err := devdb.Stop(sctx, o.dir, logf); err != nil {
			logf("stopping the test cluster: %v", err)
		}
		if failed {
			logf("kept %s (the service's log is %s)", o.dir, filepath.Join(o.dir, "service.log"))
		} else {
			os.RemoveAll(o.dir)
		}
	}()
	if err := migrations.Up(ctx, dbURL); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	accounts, err := seed(ctx, dbURL, o.users)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	logf("cluster in %s, migrated and seeded %d lead inspectors in %v", o.dir, o.users, time.Since(t0).Round(time.Millisecond))

	svc, err := startService(ctx, o, dbURL)
	if err != nil {
		return err
	}
	defer svc.Kill()
	logf("service ready at %s", svc.Base)

	b := make([]byte, 4)
	_, _ = rand.Read(b)
	runID := hex.EncodeToString(b)
	users, err := signInAll(ctx, svc.Base, accounts, runID)
	if err != nil {
		return err
	}

	var v violations
	out := outage(ctx, o, svc, dbURL, users, logf, &v)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	term := sigterm(ctx, o, svc, users, logf, &v)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	acked, present, extra, err := checkWrites(ctx, dbURL, runID, append(out.rs, term.rs...))
	if err != nil {
		return err
	}
	missing := len(acked) - present
	if missing > 0 {
		for _, r := range acked {
			if !r.found {
				v.add("acknowledged write missing from the database: %q", r.reason)
			}
		}
	}

	// The report.
	fmt.Fprintf(stdout, "\nFault test: %d users, think %v, PostgreSQL stopped for %v (own cluster in %s)\n", o.users, o.think, o.outage, o.dir)
	out.print(stdout, o)
	term.print(stdout, o)
	fmt.Fprintf(stdout, "\nWrites: %d acknowledged (303), %d of them in the database, %d missing; %d unacknowledged attempts (503 or cut off) also found in the database\n",
		len(acked), present, missing, extra)
	if v.any() {
		fmt.Fprintf(stdout, "\nFAIL: %d violations\n", len(v.list))
		for i, s := range v.list {
			if i == 20 {
				fmt.Fprintf(stdout, "  … and %d more\n", len(v.list)-20)
				break
			}
			fmt.Fprintf(stdout, "  - %s\n", s)
		}
		return fmt.Errorf("%d violations", len(v.list))
	}
	fmt.Fprintln(stdout, "\nPASS: no violations")
	failed = false
	return nil
}

// violations collects what went wrong.
type violations struct {
	mu   sync.Mutex
	list []string
}

func (v *violations) add(format string, args ...any) {
	v.mu.Lock()
	defer v.mu.Unlock()
	v.list = append(v.list, fmt.Sprintf(format, args...))
}

func (v *violations) any() bool { return len(v.list) > 0 }

func startService(ctx context.Context, o options, dbURL string) (*harness.Service, error) {
	return harness.Start(ctx, harness.ServiceOptions{
		Bin: o.bin, DatabaseURL: dbURL, LogFile: filepath.Join(o.dir, "service.log"),
		Env: []string{"SHUTDOWN_TIMEOUT=" + o.shutdownTimeout.String()},
	})
}

var probeClient = &http.Client{Timeout: 5 * time.Second, Transport: &http.Transport{DisableKeepAlives: true}}

// probe GETs a health check on a fresh connection.
func probe(ctx context.Context, target string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return 0, err
	}
	res, err := probeClient.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode, nil
}

// vuser is one virtual user: a browser with its own cookies.
type vuser struct {
	c     *http.Client
	acct  demo.LeadVisits
	index int
	run   string
	n     int // writes made, for unique reasons
}

func signInAll(ctx context.Context, base string, accounts []demo.LeadVisits, runID string) ([]*vuser, error) {
	tr := &http.Transport{MaxIdleConnsPerHost: 1000, IdleConnTimeout: time.Minute, DisableCompression: true}
	users := make([]*vuser, len(accounts))
	logins := make([]harness.Login, len(accounts))
	for i, a := range accounts {
		users[i] = &vuser{acct: a, index: i + 1, run: runID, c: harness.NewClient(tr, 30*time.Second)}
		logins[i] = harness.Login{Client: users[i].c, Email: a.Email}
	}
	return users, harness.SignInAll(ctx, base, password, logins)
}

// Route names.
const (
	rStart    = "GET /"
	rVisit    = "GET /visits/{id}"
	rOverride = "POST /visits/{id}/milestones/{code}/override"
	rSlow     = "POST …/override, body trickled over 2 s"
	rHealthz  = "GET /healthz"
	rReadyz   = "GET /readyz"
)

// result is one request's outcome.
type result struct {
	route      string
	reason     string // a write's identifying value
	start, end time.Time
	status     int
	err        error
	page503    bool // a 503 with the service-unavailable page
	found      bool // a write found in the database
}

func (r result) want() int {
	switch r.route {
	case rOverride, rSlow:
		return http.StatusSeeOther
	}
	return http.StatusOK
}

func (r result) ok() bool { return r.err == nil && r.status == r.want() }

func (r result) describe() string {
	if r.err != nil {
		return fmt.Sprintf("%s at %s: %v", r.route, r.start.Format("15:04:05.000"), r.err)
	}
	return fmt.Sprintf("%s at %s: status %d after %v", r.route, r.start.Format("15:04:05.000"), r.status, r.end.Sub(r.start).Round(time.Millisecond))
}

// do makes one request and reads the whole answer.
func (u *vuser) do(ctx context.Context, route, method, target string, form url.Values, reason string) result {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	return u.send(ctx, route, method, target, body, -1, reason)
}

func (u *vuser) send(ctx context.Context, route, method, target string, body io.Reader, length int64, reason string) result {
	r := result{route: route, reason: reason, start: time.Now()}
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		r.err, r.end = err, time.Now()
		return r
	}
	if length >= 0 {
		req.ContentLength = length
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	res, err := u.c.Do(req)
	if err != nil {
		r.err, r.end = err, time.Now()
		return r
	}
	var b bytes.Buffer
	_, err = io.Copy(&b, res.Body)
	res.Body.Close()
	r.end, r.status, r.err = time.Now(), res.StatusCode, err
	r.page503 = res.StatusCode == http.StatusServiceUnavailable && bytes.Contains(b.Bytes(), []byte(unavailableTitle))
	return r
}

// overrideForm sets a visit's child-level data step by hand on its planned
// day, with a reason no other write has.
func (u *vuser) overrideForm(v demo.SeededVisit) (url.Values, string) {
	u.n++
	reason := fmt.Sprintf("faulttest-%s-u%d-w%d", u.run, u.index, u.n)
	return url.Values{
		"date-day": {strconv.Itoa(v.Date.Day())}, "date-month": {strconv.Itoa(int(v.Date.Month()))},
		"date-year": {strconv.Itoa(v.Date.Year())}, "reason": {reason},
	}, reason
}

// recorder collects results from every worker.
type recorder struct {
	mu sync.Mutex
	rs []result
}

func (rec *recorder) add(r result) {
	rec.mu.Lock()
	rec.rs = append(rec.rs, r)
	rec.mu.Unlock()
}

// load runs every user until stop is closed; it returns when all have finished.
func load(ctx context.Context, base string, users []*vuser, think time.Duration, rec *recorder, stop <-chan struct{}) *sync.WaitGroup {
	var wg sync.WaitGroup
	for _, u := range users {
		wg.Go(func() {
			rnd := mrand.New(mrand.NewPCG(uint64(time.Now().UnixNano()), uint64(u.index)))
			for {
				v := u.acct.Visits[rnd.IntN(len(u.acct.Visits))]
				visit := base + "/visits/" + v.PublicID
				for step := range 3 {
					select {
					case <-stop:
						return
					case <-ctx.Done():
						return
					default:
					}
					switch step {
					case 0:
						rec.add(u.do(ctx, rStart, http.MethodGet, base+"/", nil, ""))
					case 1:
						rec.add(u.do(ctx, rVisit, http.MethodGet, visit, nil, ""))
					case 2:
						form, reason := u.overrideForm(v)
						rec.add(u.do(ctx, rOverride, http.MethodPost, fmt.Sprintf("%s/milestones/%s/override", visit, v.Code), form, reason))
					}
					if think > 0 {
						time.Sleep(time.Duration(rnd.ExpFloat64() * float64(think)))
					}
				}
			}
		})
	}
	return &wg
}

// probes polls /healthz and /readyz every 100 ms until stop is closed.
func probes(ctx context.Context, base string, rec *recorder, stop <-chan struct{}) *sync.WaitGroup {
	var wg sync.WaitGroup
	for _, p := range []struct{ route, path string }{{rHealthz, "/healthz"}, {rReadyz, "/readyz"}} {
		wg.Go(func() {
			t := time.NewTicker(100 * time.Millisecond)
			defer t.Stop()
			for {
				r := result{route: p.route, start: time.Now()}
				r.status, r.err = probe(ctx, base+p.path)
				r.end = time.Now()
				rec.add(r)
				select {
				case <-stop:
					return
				case <-ctx.Done():
					return
				case <-t.C:
				}
			}
		})
	}
	return &wg
}

// outageResult is what the outage part saw.
type outageResult struct {
	rs                                   []result
	stopAt, stopped, startAt, started    time.Time
	ready                                time.Time // first /readyz 200 after the restart
	firstOK                              time.Time // first page or write that succeeded after the restart
	before, during, straddling, after    []result
	healthzDuring, readyzDuring, ready5x int
}

func outage(ctx context.Context, o options, svc *harness.Service, dbURL string, users []*vuser, logf func(string, ...any), v *violations) *outageResult {
	out := &outageResult{}
	rec := &recorder{}
	stop := make(chan struct{})
	wl := load(ctx, svc.Base, users, o.think, rec, stop)
	wp := probes(ctx, svc.Base, rec, stop)
	sleep(ctx, o.warm)

	logf("stopping PostgreSQL (fast) under load")
	out.stopAt = time.Now()
	if err := devdb.Stop(ctx, o.dir, nil); err != nil {
		v.add("could not stop PostgreSQL: %v", err)
	}
	out.stopped = time.Now()
	sleep(ctx, o.outage)
	logf("starting PostgreSQL again after %v", time.Since(out.stopped).Round(time.Millisecond))
	out.startAt = time.Now()
	if _, err := devdb.Ensure(ctx, o.dir, nil); err != nil {
		v.add("could not start PostgreSQL again: %v", err)
	}
	out.started = time.Now()
	// Wait for the service to say it is ready, then load it a while longer.
	deadline := out.started.Add(o.recover + 10*time.Second)
	for ctx.Err() == nil && time.Now().Before(deadline) {
		if status, _ := probe(ctx, svc.Base+"/readyz"); status == http.StatusOK {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	sleep(ctx, o.after)
	close(stop)
	wl.Wait()
	wp.Wait()
	out.rs = rec.rs
	slices.SortFunc(out.rs, func(a, b result) int { return a.start.Compare(b.start) })

	for _, r := range out.rs {
		if r.route == rReadyz && r.status == http.StatusOK && !r.start.Before(out.started) && out.ready.IsZero() {
			out.ready = r.end
		}
	}
	if out.ready.IsZero() {
		v.add("/readyz never answered 200 after PostgreSQL was started again")
	} else if d := out.ready.Sub(out.started); d > o.recover {
		v.add("/readyz took %v to answer 200 after PostgreSQL was back, more than %v", d.Round(time.Millisecond), o.recover)
	}

	for _, r := range out.rs {
		probeRoute := r.route == rHealthz || r.route == rReadyz
		inOutage := !r.start.Before(out.stopped) && !r.end.After(out.startAt)
		switch {
		case probeRoute && r.route == rHealthz:
			if r.err != nil || r.status != http.StatusOK {
				v.add("/healthz: %s", r.describe())
			}
			if inOutage {
				out.healthzDuring++
			}
		case probeRoute:
			if inOutage {
				out.readyzDuring++
				if r.status != http.StatusServiceUnavailable {
					v.add("/readyz while PostgreSQL was away: %s", r.describe())
				}
			}
		case r.end.Before(out.stopAt):
			out.before = append(out.before, r)
			if !r.ok() {
				v.add("before the outage: %s", r.describe())
			}
		case inOutage:
			out.during = append(out.during, r)
			if r.err != nil || r.status != http.StatusServiceUnavailable || !r.page503 {
				v.add("while PostgreSQL was away, want the 503 service-unavailable page: %s", r.describe())
			} else if d := r.end.Sub(r.start); d > o.failFast {
				v.add("while PostgreSQL was away, a request took %v (more than %v): %s", d.Round(time.Millisecond), o.failFast, r.describe())
			}
		case !out.ready.IsZero() && !r.start.Before(out.ready):
			out.after = append(out.after, r)
			if !r.ok() {
				v.add("after the service was ready again: %s", r.describe())
			}
		default:
			// Across the stop, or between the restart and readiness: either
			// answer is right, but never a fault of ours or a lost connection.
			out.straddling = append(out.straddling, r)
			if !r.ok() && !(r.status == http.StatusServiceUnavailable && r.page503) {
				v.add("across the stop or restart, want success or the 503 page: %s", r.describe())
			}
		}
		if !probeRoute && r.ok() && !r.start.Before(out.started) && out.firstOK.IsZero() {
			out.firstOK = r.end
		}
	}
	if len(out.during) == 0 {
		v.add("no request was made while PostgreSQL was away")
	}
	return out
}

func (out *outageResult) print(w io.Writer, o options) {
	fmt.Fprintf(w, "\nOutage: PostgreSQL stopped %s–%s (stop took %v), started again in %v\n",
		out.stopAt.Format("15:04:05.000"), out.startAt.Format("15:04:05.000"),
		out.stopped.Sub(out.stopAt).Round(time.Millisecond), out.started.Sub(out.startAt).Round(time.Millisecond))
	phase(w, "before the stop", out.before)
	phase(w, "while away", out.during)
	phase(w, "across the stop/restart", out.straddling)
	phase(w, "after ready again", out.after)
	fmt.Fprintf(w, "  while away: /healthz polled %d times, /readyz %d times\n", out.healthzDuring, out.readyzDuring)
	if !out.ready.IsZero() {
		fmt.Fprintf(w, "  recovery: /readyz 200 %v after PostgreSQL was back", out.ready.Sub(out.started).Round(time.Millisecond))
		if !out.firstOK.IsZero() {
			fmt.Fprintf(w, ", first page or write served %v after", out.firstOK.Sub(out.started).Round(time.Millisecond))
		}
		fmt.Fprintf(w, " (limit %v); the service was not restarted\n", o.recover)
	}
}

// phase prints one line: how many requests, their answers, and latency.
func phase(w io.Writer, name string, rs []result) {
	counts := map[string]int{}
	var lat []time.Duration
	for _, r := range rs {
		key := strconv.Itoa(r.status)
		switch {
		case r.err != nil:
			key = "transport error"
		case r.status == http.StatusServiceUnavailable && r.page503:
			key = "503 page"
		}
		counts[key]++
		lat = append(lat, r.end.Sub(r.start))
	}
	keys := make([]string, 0, len(counts))
	for k := range counts {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var parts []string
	for _, k := range keys {
		parts = append(parts, fmt.Sprintf("%s ×%d", k, counts[k]))
	}
	fmt.Fprintf(w, "  %-24s %6d requests  p50 %s  p99 %s  max %s  [%s]\n", name, len(rs),
		pct(lat, 0.50), pct(lat, 0.99), pct(lat, 1), strings.Join(parts, ", "))
}

func pct(lat []time.Duration, q float64) string {
	if len(lat) == 0 {
		return "-"
	}
	slices.Sort(lat)
	i := max(0, min(int(q*float64(len(lat))+0.5)-1, len(lat)-1))
	return fmt.Sprintf("%.1f ms", float64(lat[i].Microseconds())/1000)
}

// termResult is what the SIGTERM part saw.
type termResult struct {
	rs                []result
	signal, exited    time.Time
	exitErr           error
	before, after     []result
	slow              result
	closedIdle        int // started before the signal on a keep-alive connection the server closed unread
	refused, afterOK  int
	afterOther        int
	inFlightAtSignal  int
	inFlightCompleted int
}

func sigterm(ctx context.Context, o options, svc *harness.Service, users []*vuser, logf func(string, ...any), v *violations) *termResult {
	t := &termResult{}
	rec := &recorder{}
	stop := make(chan struct{})
	wl := load(ctx, svc.Base, users, o.think, rec, stop)
	sleep(ctx, 2*time.Second)

	// A form post whose body arrives over 2 s, so it is surely in flight.
	slowDone := make(chan result, 1)
	go func() {
		u := users[0]
		sv := u.acct.Visits[0]
		form, reason := u.overrideForm(sv)
		body := form.Encode()
		pr, pw := io.Pipe()
		go func() {
			for i := range 20 {
				lo, hi := i*len(body)/20, (i+1)*len(body)/20
				if _, err := pw.Write([]byte(body[lo:hi])); err != nil {
					return
				}
				time.Sleep(100 * time.Millisecond)
			}
			pw.Close()
		}()
		target := fmt.Sprintf("%s/visits/%s/milestones/%s/override", svc.Base, sv.PublicID, sv.Code)
		slowDone <- u.send(ctx, rSlow, http.MethodPost, target, pr, int64(len(body)), reason)
	}()
	sleep(ctx, 500*time.Millisecond)

	logf("sending SIGTERM to the service under load")
	t.signal = time.Now()
	if err := svc.Signal(syscall.SIGTERM); err != nil {
		v.add("could not signal the service: %v", err)
	}
	select {
	case <-svc.Exited():
		t.exited = time.Now()
		t.exitErr = svc.Err()
	case <-time.After(o.shutdownTimeout + 5*time.Second):
		v.add("the service had not exited %v after SIGTERM", o.shutdownTimeout+5*time.Second)
		svc.Kill()
		t.exited = time.Now()
		t.exitErr = errors.New("killed")
	}
	sleep(ctx, 300*time.Millisecond) // requests against the closed port
	close(stop)
	wl.Wait()
	t.slow = <-slowDone
	t.rs = append(rec.rs, t.slow)

	if t.exitErr != nil {
		v.add("the service exited with %v after SIGTERM, want status 0", t.exitErr)
	}
	if d := t.exited.Sub(t.signal); d > o.shutdownTimeout {
		v.add("the service took %v to exit after SIGTERM, more than SHUTDOWN_TIMEOUT %v", d.Round(time.Millisecond), o.shutdownTimeout)
	}
	if !t.slow.ok() {
		v.add("the slow post in flight at SIGTERM was not acknowledged: %s", t.slow.describe())
	}
	for _, r := range t.rs {
		if r.start.Before(t.signal) {
			t.before = append(t.before, r)
			if r.end.After(t.signal) {
				t.inFlightAtSignal++
				if r.ok() {
					t.inFlightCompleted++
				}
			}
			switch {
			case r.ok():
			case r.err != nil && strings.Contains(r.err.Error(), "server closed idle connection"):
				// The request was written to a keep-alive connection the
				// server, shutting down, closed as idle before reading it:
				// the race every HTTP/1.1 keep-alive client accepts. It
				// never reached a handler.
				t.closedIdle++
			default:
				v.add("started before SIGTERM: %s", r.describe())
			}
			continue
		}
		t.after = append(t.after, r)
		switch {
		case r.ok():
			t.afterOK++
		case r.err != nil && (errors.Is(r.err, syscall.ECONNREFUSED) || strings.Contains(r.err.Error(), "connection refused")):
			t.refused++
		case r.err == nil && r.status >= 500:
			v.add("started after SIGTERM, a 5xx: %s", r.describe())
		default:
			t.afterOther++
		}
	}
	return t
}

func (t *termResult) print(w io.Writer, o options) {
	fmt.Fprintf(w, "\nSIGTERM under load: exited %v after the signal with %v (SHUTDOWN_TIMEOUT %v)\n",
		t.exited.Sub(t.signal).Round(time.Millisecond), exitText(t.exitErr), o.shutdownTimeout)
	phase(w, "started before", t.before)
	fmt.Fprintf(w, "  in flight at the signal: %d, %d finished with their usual answer; slow post: %s\n",
		t.inFlightAtSignal, t.inFlightCompleted, t.slow.describe())
	if t.closedIdle > 0 {
		fmt.Fprintf(w, "  %d written to an idle keep-alive connection as the server closed it (never read, no answer)\n", t.closedIdle)
	}
	phase(w, "started after", t.after)
	fmt.Fprintf(w, "  after the signal: %d served, %d refused (expected), %d other transport errors\n", t.afterOK, t.refused, t.afterOther)
}

func exitText(err error) string {
	if err == nil {
		return "status 0"
	}
	return err.Error()
}

// checkWrites looks up every write's reason in the visit history.
func checkWrites(ctx context.Context, dbURL, runID string, rs []result) (acked []*result, present, extra int, err error) {
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return nil, 0, 0, fmt.Errorf("connect to check writes: %w", err)
	}
	defer conn.Close(ctx)
	rows, _ := conn.Query(ctx, `SELECT params->>'reason' FROM visit_events WHERE kind = $1 AND params->>'reason' LIKE $2`,
		history.VisitDateSet, "faulttest-"+runID+"-%")
	reasons, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, 0, 0, fmt.Errorf("check writes: %w", err)
	}
	in := map[string]bool{}
	for _, r := range reasons {
		in[r] = true
	}
	for i := range rs {
		r := &rs[i]
		if r.reason == "" {
			continue
		}
		r.found = in[r.reason]
		switch {
		case r.ok():
			acked = append(acked, r)
			if r.found {
				present++
			}
		case r.found:
			extra++
		}
	}
	return acked, present, extra, nil
}

func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-time.After(d):
	case <-ctx.Done():
	}
}

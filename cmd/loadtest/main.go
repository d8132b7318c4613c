// Command loadtest puts the Focused visits service under the load of many
// signed-in users and reports, per route and in total, requests, errors,
// throughput and latency percentiles, then the throughput of a static asset
// at the same concurrency, for comparison.
//
// By default it starts the real service itself: it creates a fresh database
// focusedvisits_load_<random> on the server -database-url names (else
// $TEST_DATABASE_URL's, else the private PostgreSQL cluster under .data/),
// migrates it, seeds one lead inspector per virtual user with their visits
// through the store (internal/demo), runs the built
// binary (-bin) against it on a free loopback port, and at the end stops the
// service and drops the database. It builds nothing: `make loadtest` builds
// the binary first.
//
// With -base it loads a service that is already running (loopback addresses
// only), signing every virtual user in as -email with the password in
// $LOADTEST_PASSWORD, and posts only invalid forms, so it changes nothing.
//
// It exits non-zero if any request failed: a transport error or a status
// other than the one the request expects.
//
//	go run ./cmd/loadtest -users 50 -duration 30s
//	go run ./cmd/loadtest -base http://127.0.0.1:8080 -email lead@ofsted.example
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/ofsted/focusedvisits/internal/demo"
	"github.com/ofsted/focusedvisits/internal/harness"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/workday"
)

func main() {
	harness.Main("loadtest", func(ctx context.Context) error { return run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr) })
}

type options struct {
	users       int
	duration    time.Duration
	think       time.Duration
	warmup      time.Duration
	static      time.Duration
	base        string
	bin         string
	databaseURL string
	email       string
	password    string
	timeout     time.Duration
}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("loadtest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	fs.IntVar(&o.users, "users", 50, "virtual users, each signed in with its own session, making one request at a time")
	fs.DurationVar(&o.duration, "duration", 30*time.Second, "how long the users load the service")
	fs.DurationVar(&o.think, "think", time.Second, "mean pause between a user's requests, exponentially distributed (0: none, which measures the service's capacity)")
	fs.DurationVar(&o.warmup, "warmup", 10*time.Second, "how long the users load the service before it is measured (reported apart): a service just started has no visit or plan in memory, and every user's first pages fill them")
	fs.DurationVar(&o.static, "static", 5*time.Second, "how long to load the static asset afterwards (0: skip)")
	fs.StringVar(&o.base, "base", "", "URL of a running service to load (loopback only); empty: start one against a fresh database")
	harness.BinFlag(fs, &o.bin, "when -base is empty")
	harness.DatabaseURLFlag(fs, &o.databaseURL)
	fs.StringVar(&o.email, "email", "", "with -base: the user every virtual user signs in as (password in $LOADTEST_PASSWORD)")
	fs.DurationVar(&o.timeout, "timeout", 10*time.Second, "longest a request may take before it counts as an error")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if o.users < 1 || o.users > 1000 || o.duration <= 0 || o.duration > time.Hour {
		return errors.New("-users must be 1 to 1000 and -duration up to 1h")
	}
	o.password = getenv("LOADTEST_PASSWORD")

	var accounts []demo.LeadVisits
	if o.base == "" {
		stopService, base, accs, err := startService(ctx, o, getenv, stderr)
		if stopService != nil {
			defer stopService()
		}
		if err != nil {
			return err
		}
		o.base, accounts, o.password = base, accs, password
	} else {
		if o.email == "" || o.password == "" {
			return errors.New("-base needs -email and the password in $LOADTEST_PASSWORD")
		}
		for range o.users {
			accounts = append(accounts, demo.LeadVisits{Email: o.email})
		}
	}
	bu, err := url.Parse(o.base)
	if err != nil || bu.Scheme != "http" || !harness.IsLoopback(bu.Hostname()) {
		return fmt.Errorf("-base must be an http:// loopback address, not %q", o.base)
	}
	o.base = strings.TrimSuffix(bu.String(), "/")
	return load(ctx, o, accounts, stdout, stderr)
}

// password is every seeded user's password.
const password = "load test password, not a secret"

// visitsPerUser is how many visits each virtual user (a lead inspector) leads.
const visitsPerUser = 20

// startService creates and seeds a fresh database, starts the service
// binary against it on a free loopback port, and returns a function that
// stops the service and drops the database.
func startService(ctx context.Context, o options, getenv func(string) string, stderr io.Writer) (stop func(), base string, accounts []demo.LeadVisits, err error) {
	logf := harness.Logf(stderr, "loadtest")
	if err := harness.CheckBin(o.bin); err != nil {
		return nil, "", nil, fmt.Errorf("%w (or pass -base)", err)
	}
	db, err := harness.NewDatabase(ctx, o.databaseURL, getenv, "focusedvisits_load", logf)
	if err != nil {
		return nil, "", nil, err
	}
	var svc *harness.Service
	stop = func() {
		if svc != nil {
			_ = svc.Stop(15 * time.Second)
		}
		db.Close(logf)
	}

	start := time.Now()
	if accounts, err = seed(ctx, db.URL, o.users); err != nil {
		return stop, "", nil, fmt.Errorf("seed: %w", err)
	}
	logf("seeded %d lead inspectors with %d visits each in %v", o.users, visitsPerUser, time.Since(start).Round(time.Millisecond))

	svc, err = harness.Start(ctx, harness.ServiceOptions{Bin: o.bin, DatabaseURL: db.URL, Output: stderr})
	if err != nil {
		return stop, "", nil, err
	}
	logf("service %s ready at %s (DB_MAX_CONNS=%s)", o.bin, svc.Base, orDefault(os.Getenv("DB_MAX_CONNS"), "default"))
	return stop, svc.Base, accounts, nil
}

// seed creates, through the store (internal/demo), one lead inspector per
// virtual user, each leading visitsPerUser visits, with team inspectors, a
// QAM, an SAO and two Cafcass users on every visit. Notice days spread over
// the year before and after today, and the steps already past are recorded
// as done, so pages show visits at every stage and deadlines due soon.
func seed(ctx context.Context, dbURL string, users int) (accounts []demo.LeadVisits, err error) {
	err = harness.WithStore(ctx, dbURL, func(st *store.Store) error {
		accounts, err = demo.SeedLeads(ctx, st, demo.TeamOptions{Leads: users, Inspectors: 20, Password: password},
			demo.VisitOptions{PerLead: visitsPerUser, Today: workday.Today(workday.London), Schedule: demo.Spread})
		return err
	})
	return accounts, err
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// Route names, in report order.
const (
	rStart      = "GET /"
	rVisit      = "GET /visits/{id}"
	rHistory    = "GET /visits/{id}/history"
	rCalendar   = "GET /calendar"
	rICS        = "GET /visits/{id}/calendar.ics"
	rRecord     = "POST /visits/{id}/milestones/{code}/record (valid, 303)"
	rInvalid    = "POST /visits/{id}/milestones/{code}/record (invalid, 422)"
	rStatic     = "GET /assets/govuk-frontend.min.css?v= (with session cookie)"
	rStaticBare = "GET /assets/govuk-frontend.min.css?v= (no cookie)"
)

// stats collects one worker's results.
type stats struct {
	lat    map[string][]time.Duration
	errs   map[string]int
	sample map[string]string // the first error of each route
}

func newStats() *stats {
	return &stats{lat: map[string][]time.Duration{}, errs: map[string]int{}, sample: map[string]string{}}
}

func (s *stats) merge(o *stats) {
	for k, v := range o.lat {
		s.lat[k] = append(s.lat[k], v...)
	}
	for k, v := range o.errs {
		s.errs[k] += v
	}
	for k, v := range o.sample {
		if s.sample[k] == "" {
			s.sample[k] = v
		}
	}
}

// user is one virtual user: a browser with its own cookies.
type vuser struct {
	c      *http.Client
	acct   demo.LeadVisits
	visits []string // public ids of the visits to open (from the seed, or found on the start page)
	// recordable are the seeded visits whose child-level data step is
	// planned for today or earlier: a date in the future cannot be
	// recorded as done (DOMAIN decision 10), so only these get valid posts.
	recordable []demo.SeededVisit
}

var (
	visitLink = regexp.MustCompile(`href="/visits/([0-9a-z]{20})"`)
	cssLink   = regexp.MustCompile(`/assets/govuk-frontend\.min\.css\?v=[0-9A-Za-z_-]+`)
)

func load(ctx context.Context, o options, accounts []demo.LeadVisits, stdout, stderr io.Writer) error {
	tr := &http.Transport{
		MaxIdleConns:        2 * o.users,
		MaxIdleConnsPerHost: 2 * o.users,
		IdleConnTimeout:     time.Minute,
		DisableCompression:  true,
	}
	defer tr.CloseIdleConnections()
	newClient := func() *http.Client { return harness.NewClient(tr, o.timeout) }

	logf := harness.Logf(stderr, "loadtest")
	start := time.Now()
	today := workday.Today(workday.London)
	users := make([]*vuser, len(accounts))
	logins := make([]harness.Login, len(accounts))
	for i, a := range accounts {
		u := &vuser{c: newClient(), acct: a}
		for _, v := range a.Visits {
			u.visits = append(u.visits, v.PublicID)
			if !today.Before(v.Date) {
				u.recordable = append(u.recordable, v)
			}
		}
		users[i], logins[i] = u, harness.Login{Client: u.c, Email: a.Email}
	}
	if err := harness.SignInAll(ctx, o.base, o.password, logins); err != nil {
		return err
	}
	logf("signed in %d users in %v", len(users), time.Since(start).Round(time.Millisecond))

	// What the pages link to: the visits (with -base), the stylesheet, and
	// whether the month calendar exists yet.
	home, status, err := harness.Get(ctx, users[0].c, o.base+"/")
	if err != nil || status != http.StatusOK {
		return fmt.Errorf("GET / as %s: status %d, %v", users[0].acct.Email, status, err)
	}
	asset := cssLink.FindString(string(home))
	if len(users[0].visits) == 0 {
		var ids []string
		for _, m := range visitLink.FindAllStringSubmatch(string(home), -1) {
			if id := m[1]; !slices.Contains(ids, id) {
				ids = append(ids, id)
			}
		}
		if len(ids) == 0 {
			return fmt.Errorf("the start page of %s links to no visits", users[0].acct.Email)
		}
		for _, u := range users {
			u.visits = ids
		}
	}
	_, status, err = harness.Get(ctx, users[0].c, o.base+"/calendar")
	calendar := err == nil && status == http.StatusOK
	if !calendar {
		logf("GET /calendar answered %d: skipping it", status)
	}

	logf("%d users for %v after %v of warm-up (think time %v)", len(users), o.duration, o.warmup, o.think)
	var wg sync.WaitGroup
	total, warm := newStats(), newStats()
	warmStart := time.Now()
	start = warmStart.Add(o.warmup)
	end := start.Add(o.duration)
	results, warmResults := make([]*stats, len(users)), make([]*stats, len(users))
	for i, u := range users {
		wg.Go(func() {
			warmResults[i], results[i] = u.loop(ctx, o, start, end, calendar)
		})
	}
	wg.Wait()
	elapsed := time.Since(start)
	for i := range results {
		total.merge(results[i])
		warm.merge(warmResults[i])
	}
	routes := []string{rStart, rVisit, rHistory, rCalendar, rICS, rRecord, rInvalid}
	if o.warmup > 0 {
		report(stdout, "Warm-up, not measured: every user's first pages, with nothing yet in memory", warm, o.warmup, routes)
	}
	report(stdout, "Pages", total, elapsed, routes)

	var staticTotal *stats
	var staticElapsed time.Duration
	if o.static > 0 && asset != "" && ctx.Err() == nil {
		staticTotal = newStats()
		bare := newClient()
		for _, phase := range []struct {
			route  string
			client func(*vuser) *http.Client
		}{
			{rStatic, func(u *vuser) *http.Client { return u.c }},
			{rStaticBare, func(*vuser) *http.Client { return bare }},
		} {
			start := time.Now()
			end := start.Add(o.static)
			res := make([]*stats, len(users))
			for i, u := range users {
				wg.Go(func() {
					s := newStats()
					c := phase.client(u)
					for time.Now().Before(end) && ctx.Err() == nil {
						s.do(ctx, c, phase.route, http.MethodGet, o.base+asset, nil, http.StatusOK)
					}
					res[i] = s
				})
			}
			wg.Wait()
			if phase.route == rStatic {
				staticElapsed = time.Since(start)
			}
			for _, s := range res {
				staticTotal.merge(s)
			}
		}
		report(stdout, fmt.Sprintf("Static asset, same concurrency, %v each", o.static), staticTotal, o.static, []string{rStatic, rStaticBare})
		pages := float64(count(total)) / elapsed.Seconds()
		css := float64(len(staticTotal.lat[rStatic])) / staticElapsed.Seconds()
		bareRate := float64(len(staticTotal.lat[rStaticBare])) / o.static.Seconds()
		switch {
		case pages > 0 && o.think == 0:
			fmt.Fprintf(stdout, "\nThe static asset's throughput is %.1f× the pages' with a session cookie, %.1f× without (%.0f and %.0f against %.0f req/s).\n",
				css/pages, bareRate/pages, css, bareRate, pages)
		case pages > 0:
			fmt.Fprintf(stdout, "\nThe static asset answered %.0f req/s with a session cookie, %.0f without; the pages %.0f req/s, as many as %d users pausing %v asked for (-think 0 measures the pages' capacity).\n",
				css, bareRate, pages, len(users), o.think)
		}
	}

	errs := errorCount(total)
	if staticTotal != nil {
		errs += errorCount(staticTotal)
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if errs > 0 {
		return fmt.Errorf("%d requests failed", errs)
	}
	return nil
}

// loop makes the user's requests until end: the start page, a visit, its
// history, the month calendar, the visit's .ics file, and a record form,
// posted alternately valid, on one of the user's visits whose step is due by
// today, and invalid (only invalid with -base).
func (u *vuser) loop(ctx context.Context, o options, start, end time.Time, calendar bool) (warm, measured *stats) {
	warm, measured = newStats(), newStats()
	// s is what the next request counts in: the warm-up's until start.
	s := warm
	rnd := rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), uint64(len(u.acct.Email))))
	n := 0
	if o.think > 0 {
		// Arrive over the first think time, not all at the same instant.
		select {
		case <-time.After(time.Duration(rnd.Float64() * float64(o.think))):
		case <-ctx.Done():
		}
	}
	for ctx.Err() == nil {
		pick := rnd.IntN(len(u.visits))
		id := u.visits[pick]
		visit := o.base + "/visits/" + id
		steps := []func(){
			func() { s.do(ctx, u.c, rStart, http.MethodGet, o.base+"/", nil, http.StatusOK) },
			func() { s.do(ctx, u.c, rVisit, http.MethodGet, visit, nil, http.StatusOK) },
			func() { s.do(ctx, u.c, rHistory, http.MethodGet, visit+"/history", nil, http.StatusOK) },
			func() {
				if calendar {
					s.do(ctx, u.c, rCalendar, http.MethodGet, o.base+"/calendar", nil, http.StatusOK)
				}
			},
			func() { s.do(ctx, u.c, rICS, http.MethodGet, visit+"/calendar.ics", nil, http.StatusOK) },
			func() {
				code := "child-level-data"
				if len(u.recordable) > 0 && n%2 == 0 {
					sv := u.recordable[rnd.IntN(len(u.recordable))]
					form := url.Values{
						"date-day": {strconv.Itoa(sv.Date.Day())}, "date-month": {strconv.Itoa(int(sv.Date.Month()))},
						"date-year": {strconv.Itoa(sv.Date.Year())},
					}
					s.do(ctx, u.c, rRecord, http.MethodPost, fmt.Sprintf("%s/visits/%s/milestones/%s/record", o.base, sv.PublicID, sv.Code), form, http.StatusSeeOther)
					return
				}
				form := url.Values{"date-day": {"31"}, "date-month": {"2"}, "date-year": {"2026"}}
				s.do(ctx, u.c, rInvalid, http.MethodPost, fmt.Sprintf("%s/milestones/%s/record", visit, code), form, http.StatusUnprocessableEntity)
			},
		}
		for _, step := range steps {
			now := time.Now()
			if !now.Before(end) || ctx.Err() != nil {
				return warm, measured
			}
			if !now.Before(start) {
				s = measured
			}
			step()
			if o.think > 0 {
				// Exponential pauses, as independent people click.
				pause := time.Duration(rnd.ExpFloat64() * float64(o.think))
				select {
				case <-time.After(min(pause, time.Until(end))):
				case <-ctx.Done():
				}
			}
		}
		n++
	}
	return warm, measured
}

// do makes one request, reads the whole answer and records how long it took
// and whether it was the status expected.
func (s *stats) do(ctx context.Context, c *http.Client, route, method, target string, form url.Values, want int) {
	var body io.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	}
	req, err := http.NewRequestWithContext(ctx, method, target, body)
	if err != nil {
		s.fail(route, err.Error())
		return
	}
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	t0 := time.Now()
	res, err := c.Do(req)
	if err == nil {
		_, err = io.Copy(io.Discard, res.Body)
		res.Body.Close()
	}
	d := time.Since(t0)
	if ctx.Err() != nil {
		return // interrupted: neither a result nor an error
	}
	s.lat[route] = append(s.lat[route], d)
	switch {
	case err != nil:
		s.fail(route, err.Error())
	case res.StatusCode != want:
		s.fail(route, fmt.Sprintf("%s %s: status %d, want %d", method, req.URL.Path, res.StatusCode, want))
	}
}

func (s *stats) fail(route, msg string) {
	s.errs[route]++
	if s.sample[route] == "" {
		s.sample[route] = msg
	}
}

func count(s *stats) int {
	n := 0
	for _, v := range s.lat {
		n += len(v)
	}
	return n
}

func errorCount(s *stats) int {
	n := 0
	for _, v := range s.errs {
		n += v
	}
	return n
}

// report prints one table: per route and in total, requests, errors,
// throughput and latency percentiles.
func report(w io.Writer, title string, s *stats, elapsed time.Duration, routes []string) {
	fmt.Fprintf(w, "\n%s (%v):\n", title, elapsed.Round(time.Millisecond))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "route\trequests\terrors\treq/s\tp50 ms\tp90 ms\tp99 ms\tmax ms\t")
	var all []time.Duration
	errs := 0
	for _, r := range routes {
		lat := s.lat[r]
		if len(lat) == 0 && s.errs[r] == 0 {
			continue
		}
		all = append(all, lat...)
		errs += s.errs[r]
		line(tw, r, lat, s.errs[r], elapsed)
	}
	line(tw, "total", all, errs, elapsed)
	tw.Flush()
	for _, r := range routes {
		if s.sample[r] != "" {
			fmt.Fprintf(w, "  first error on %s: %s\n", r, s.sample[r])
		}
	}
}

func line(w io.Writer, name string, lat []time.Duration, errs int, elapsed time.Duration) {
	slices.Sort(lat)
	ms := func(q float64) string {
		if len(lat) == 0 {
			return "-"
		}
		i := int(q*float64(len(lat))+0.5) - 1
		i = max(0, min(i, len(lat)-1))
		return fmt.Sprintf("%.1f", float64(lat[i].Microseconds())/1000)
	}
	fmt.Fprintf(w, "%s\t%d\t%d\t%.1f\t%s\t%s\t%s\t%s\t\n", name, len(lat), errs,
		float64(len(lat))/elapsed.Seconds(), ms(0.50), ms(0.90), ms(0.99), ms(1))
}

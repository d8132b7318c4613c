// Command memcheck measures how much memory the Focused visits service needs
// for the inputs an attacker would choose to exhaust it, and fails if any
// takes it over a ceiling (-max-rss, default 300 MB).
//
// It creates a fresh database focusedvisits_mem_<random> on the server
// -database-url names (else $TEST_DATABASE_URL's, else the private
// PostgreSQL cluster under .data/), migrates it, seeds through
// internal/demo a visit whose notice is given, with its information request
// and its Cafcass chief executive, and builds the files. Then, for
// each phase, it starts the built binary (-bin) on a free loopback port,
// signs in, runs the phase, reads the service's peak resident memory
// (VmHWM in /proc/PID/status) and stops it, so that each phase's peak is
// its own:
//
//	baseline          sign in and open the start page
//	excel-bomb        a valid .xlsx whose xl/styles.xml unzips to -bomb-mib MiB
//	                  of spaces (about 0.1% of that zipped), posted as Cafcass to
//	                  the child-level list item: must be refused, naming the limit
//	excel-bomb-lying  the same, with the zip's directory claiming 1 KiB
//	genuine-list      a genuine list of -rows rows (excelize's StreamWriter, the
//	                  Annex A headers, dates as Excel dates): must be accepted,
//	                  every row stored
//	sign-ins          -signins sign-ins at once, half for unknown emails and
//	                  half with wrong passwords: none may be a server error
//
// It prints a table of the phases, their answers and peaks, drops the
// database, and exits non-zero if a phase went wrong or a peak is over the
// ceiling. It builds nothing: `make memcheck` builds the binary first.
//
//	go run ./cmd/memcheck -bin bin/focusedvisits
//	go run ./cmd/memcheck -database-url "$TEST_DATABASE_URL" -phases genuine-list -rows 50000
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"text/tabwriter"
	"time"

	"github.com/ofsted/focusedvisits/internal/harness"
)

func main() {
	harness.Main("memcheck", func(ctx context.Context) error { return run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr) })
}

type options struct {
	bin         string
	databaseURL string
	maxRSS      int64
	rows        int
	bombMiB     int
	signins     int
	phases      []string
	keep        bool
}

var allPhases = []string{"baseline", "excel-bomb", "excel-bomb-lying", "genuine-list", "sign-ins"}

func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("memcheck", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	var maxMB int
	var phases string
	harness.BinFlag(fs, &o.bin, "")
	harness.DatabaseURLFlag(fs, &o.databaseURL)
	fs.IntVar(&maxMB, "max-rss", 300, "ceiling on the service's peak resident memory in any phase, in MB (MiB)")
	fs.IntVar(&o.rows, "rows", 250_000, "rows of the genuine list")
	fs.IntVar(&o.bombMiB, "bomb-mib", 512, "size of the bomb's xl/styles.xml once unzipped, in MiB")
	fs.IntVar(&o.signins, "signins", 200, "sign-ins sent at once")
	fs.StringVar(&phases, "phases", strings.Join(allPhases, ","), "phases to run, comma-separated")
	fs.BoolVar(&o.keep, "keep", false, "keep the working directory (files built, service logs)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	o.maxRSS = int64(maxMB) << 20
	for p := range strings.SplitSeq(phases, ",") {
		if !slices.Contains(allPhases, p) {
			return fmt.Errorf("unknown phase %q (phases: %s)", p, strings.Join(allPhases, ", "))
		}
		o.phases = append(o.phases, p)
	}
	if o.rows < 1 || o.bombMiB < 1 || o.signins < 1 || maxMB < 1 {
		return errors.New("-rows, -bomb-mib, -signins and -max-rss must be positive")
	}
	logf := harness.Logf(stderr, "memcheck")
	if err := harness.CheckBin(o.bin); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "fv-memcheck-")
	if err != nil {
		return err
	}
	failed := true
	defer func() {
		if o.keep || failed {
			logf("kept %s (service logs, files built)", dir)
			return
		}
		_ = os.RemoveAll(dir)
	}()

	db, err := harness.NewDatabase(ctx, o.databaseURL, getenv, "focusedvisits_mem", logf)
	if err != nil {
		return err
	}
	defer db.Close(logf)
	dbURL := db.URL
	w, err := seed(ctx, dbURL)
	if err != nil {
		return fmt.Errorf("seed: %w", err)
	}
	logf("seeded visit %d (notice %s), child-level list item %d", w.visitID, w.notice, w.itemID)

	var results []result
	for _, p := range o.phases {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		r := runPhase(ctx, o, p, dir, dbURL, w, logf)
		results = append(results, r)
		logf("%s: %s; peak %s", p, r.outcome, mb(r.peak))
	}
	report(stdout, results, o)
	bad := 0
	for _, r := range results {
		if r.err != nil || r.peak > o.maxRSS {
			bad++
		}
	}
	if bad > 0 {
		return fmt.Errorf("%d of %d phases failed or went over %s", bad, len(results), mb(o.maxRSS))
	}
	failed = false
	return nil
}

// result is how one phase went.
type result struct {
	phase, input, outcome string
	peak                  int64 // VmHWM, bytes
	baseline              int64 // VmRSS after sign-in, before the phase
	took                  time.Duration
	err                   error
}

func runPhase(ctx context.Context, o options, phase, dir, dbURL string, w world, logf func(string, ...any)) result {
	r := result{phase: phase}
	svc, err := harness.Start(ctx, harness.ServiceOptions{Bin: o.bin, DatabaseURL: dbURL, LogFile: filepath.Join(dir, phase+".log")})
	if err != nil {
		r.err, r.outcome = err, "service did not start: "+err.Error()
		return r
	}
	defer svc.Stop(30 * time.Second)
	c := newClient()
	if err := harness.SignIn(ctx, c, svc.Base, w.ceoEmail, password); err != nil {
		r.err, r.outcome = err, err.Error()
		return r
	}
	r.baseline, _ = harness.RSS(svc.PID())
	start := time.Now()
	listPath := svc.Base + "/visits/" + w.visitPath + "/request/items/" + w.itemPath + "/child-list"
	switch phase {
	case "baseline":
		r.input = "sign in, start page"
		_, status, err := harness.Get(ctx, c, svc.Base+"/")
		r.outcome = fmt.Sprintf("GET / %d", status)
		if err == nil && status != http.StatusOK {
			err = fmt.Errorf("start page: status %d", status)
		}
		r.err = err
	case "excel-bomb", "excel-bomb-lying":
		lie := phase == "excel-bomb-lying"
		name := filepath.Join(dir, phase+".xlsx")
		size, err := buildFile(name, func(f io.Writer) error { return writeBomb(f, int64(o.bombMiB)<<20, lie) })
		if err != nil {
			r.err = err
			break
		}
		r.input = fmt.Sprintf("%s zipped, styles.xml %d MiB unzipped", mb(size), o.bombMiB)
		if lie {
			r.input += ", declared 1 KiB"
		}
		start = time.Now()
		status, summary, err := postList(ctx, c, listPath, name, w)
		r.outcome = fmt.Sprintf("%d %q", status, summary)
		switch {
		case err != nil:
			r.err = err
		case status != http.StatusUnprocessableEntity || !strings.Contains(summary, "too large once unzipped"):
			r.err = errors.New("the bomb was not refused for its size")
		}
	case "genuine-list":
		name := filepath.Join(dir, "genuine.xlsx")
		logf("building a genuine list of %d rows", o.rows)
		size, err := buildFile(name, func(f io.Writer) error { return writeGenuineList(f, o.rows, w.from, w.to) })
		if err != nil {
			r.err = err
			break
		}
		r.input = fmt.Sprintf("%d rows, %s zipped", o.rows, mb(size))
		r.baseline, _ = harness.RSS(svc.PID())
		start = time.Now()
		status, summary, err := postList(ctx, c, listPath, name, w)
		r.outcome = fmt.Sprintf("%d", status)
		switch {
		case err != nil:
			r.err = err
		case status != http.StatusSeeOther:
			r.outcome += fmt.Sprintf(" %q", summary)
			r.err = errors.New("the genuine list was not accepted")
		default:
			n, err := w.rowCount(ctx, dbURL)
			r.outcome += fmt.Sprintf(", %d rows stored", n)
			if err == nil && n != o.rows {
				err = fmt.Errorf("%d rows stored, want %d", n, o.rows)
			}
			r.err = err
		}
	case "sign-ins":
		r.input = fmt.Sprintf("%d at once: %d unknown emails, %d wrong passwords", o.signins, o.signins-o.signins/2, o.signins/2)
		start = time.Now()
		counts, err := signIns(ctx, svc.Base, o.signins, w.emails)
		r.outcome = counts
		r.err = err
	}
	r.took = time.Since(start)
	if r.peak, err = harness.PeakRSS(svc.PID()); err != nil && r.err == nil {
		r.err = err
	}
	return r
}

// buildFile writes a file with fn and returns its size.
func buildFile(name string, fn func(io.Writer) error) (int64, error) {
	f, err := os.Create(name)
	if err != nil {
		return 0, err
	}
	bw := bufio.NewWriterSize(f, 1<<20)
	err = fn(bw)
	if err == nil {
		err = bw.Flush()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, err
	}
	fi, err := os.Stat(name)
	if err != nil {
		return 0, err
	}
	return fi.Size(), nil
}

// newClient is a browser of its own; a long list takes a while to check on
// a busy machine.
func newClient() *http.Client { return harness.NewClient(nil, 15*time.Minute) }

// postList posts the upload form as a browser does, the dates the list
// covers first, then the file, streamed from disk. It returns the status
// and the text of the error summary, if any.
func postList(ctx context.Context, c *http.Client, target, name string, w world) (int, string, error) {
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		err := func() error {
			for prefix, d := range map[string]time.Time{"covers-from": w.from, "covers-to": w.to} {
				for part, v := range map[string]int{"day": d.Day(), "month": int(d.Month()), "year": d.Year()} {
					if err := mw.WriteField(prefix+"-"+part, strconv.Itoa(v)); err != nil {
						return err
					}
				}
			}
			fw, err := mw.CreateFormFile("file", "CL.1 "+filepath.Base(name))
			if err != nil {
				return err
			}
			f, err := os.Open(name)
			if err != nil {
				return err
			}
			defer f.Close()
			if _, err := io.Copy(fw, f); err != nil {
				return err
			}
			return mw.Close()
		}()
		pw.CloseWithError(err)
	}()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, pr)
	if err != nil {
		return 0, "", err
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	res, err := c.Do(req)
	if err != nil {
		return 0, "", err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return res.StatusCode, errorSummary(string(b)), err
}

var (
	summaryList = regexp.MustCompile(`(?s)<ul class="govuk-list govuk-error-summary__list">(.*?)</ul>`)
	tags        = regexp.MustCompile(`<[^>]*>`)
)

// errorSummary is the text of a page's GOV.UK error summary.
func errorSummary(page string) string {
	m := summaryList.FindStringSubmatch(page)
	if m == nil {
		return ""
	}
	return strings.Join(strings.Fields(tags.ReplaceAllString(m[1], " ")), " ")
}

// signIns sends n sign-ins at once, half for emails no one has and half
// with wrong passwords for real users, and counts the answers. A server
// error or a failed request is an error.
func signIns(ctx context.Context, base string, n int, emails []string) (string, error) {
	var mu sync.Mutex
	counts := map[int]int{}
	var failures []string
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			email := fmt.Sprintf("nobody%d@cafcass.example", i)
			if i%2 == 1 {
				email = emails[i%len(emails)]
			}
			<-start
			status, err := harness.PostForm(ctx, newClient(), base+"/sign-in", url.Values{"email": {email}, "password": {"not the password " + strconv.Itoa(i)}})
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				failures = append(failures, err.Error())
				return
			}
			counts[status]++
		})
	}
	close(start)
	wg.Wait()
	var parts []string
	for _, st := range slices.Sorted(func(yield func(int) bool) {
		for k := range counts {
			if !yield(k) {
				return
			}
		}
	}) {
		parts = append(parts, fmt.Sprintf("%d×%d", counts[st], st))
	}
	out := strings.Join(parts, ", ")
	if len(failures) > 0 {
		return out, fmt.Errorf("%d sign-ins failed, the first: %s", len(failures), failures[0])
	}
	for st := range counts {
		if st >= 500 {
			return out, fmt.Errorf("%d sign-ins answered %d", counts[st], st)
		}
	}
	return out, nil
}

func mb(n int64) string { return fmt.Sprintf("%.1f MB", float64(n)/(1<<20)) }

func report(w io.Writer, rs []result, o options) {
	fmt.Fprintf(w, "\nPeak resident memory of the service per phase (VmHWM; ceiling %s)\n\n", mb(o.maxRSS))
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "phase\tinput\tanswer\ttook\tbefore\tpeak\tverdict")
	for _, r := range rs {
		verdict := "ok"
		switch {
		case r.err != nil:
			verdict = "FAIL: " + r.err.Error()
		case r.peak > o.maxRSS:
			verdict = "FAIL: over " + mb(o.maxRSS)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", r.phase, r.input, r.outcome, r.took.Round(100*time.Millisecond), mb(r.baseline), mb(r.peak), verdict)
	}
	tw.Flush()
}

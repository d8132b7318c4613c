// Package browsertest drives real headless Chromium (through chromedp) against
// a running app, and holds every page a test visits to our accessibility bar:
// axe-core's WCAG 2.2 A and AA rules and best practices.
//
// A test starts the app (usually with httptest.NewServer), then
//
//	b := browsertest.New(t, srv.URL)
//	b.Visit("/")                      // load, then check the page
//	b.Fill("#email", "ada@example.com")
//	b.Submit(`form[action="/sign-in"] button`) // click, wait for the next page, check it
//	if got := b.Text("h1"); got != "Home" { … }
//
// Every navigation (Visit, Follow, Submit) waits for the page to load and
// then checks it: it fails the test on any axe-core violation, on an uncaught
// JavaScript exception or console.error, on a browser error such as a
// Content-Security-Policy block, on a same-origin asset (CSS, script, font,
// image) that failed to load or answered 4xx/5xx, and on a document that
// answered 5xx. In-page actions (Click, Fill) check for errors but do not run
// axe; call CheckAccessibility after them when the page changes in a way
// worth checking.
//
// Each Browser is its own tab in its own browser context (cookies and storage
// are not shared), so tests using it can run in parallel. With
//
//	func TestMain(m *testing.M) { browsertest.Main(m) }
//
// one Chromium process serves the whole test binary and is shut down at the
// end; without it each test starts its own Chromium (about a second more).
//
// Chromium is CHROMIUM_PATH, else chromium, chromium-browser, google-chrome
// or google-chrome-stable on PATH; if there is none and we are root (or have
// passwordless sudo), Debian's chromium package is installed with apt-get.
// Otherwise the test fails, saying what to install: browser tests never skip.
//
// Screenshots are saved only when SCREENSHOT_DIR is set: by Screenshot, and
// automatically when a test fails.
package browsertest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"

	"github.com/ofsted/focusedvisits/web/static"
)

// Timeout bounds each action (a navigation, a click, a query), generously,
// for a loaded 2-core machine.
const Timeout = 30 * time.Second

// startTimeout bounds starting Chromium.
const startTimeout = 90 * time.Second

// Browser is one tab of headless Chromium, in its own browser context, bound
// to one test and one app.
type Browser struct {
	t    testing.TB
	base *url.URL
	ctx  context.Context // the tab; actions derive timeouts from it

	mu       sync.Mutex
	problems []string                     // errors seen since the last check
	requests map[network.RequestID]string // URLs, for failed loads

	status int64 // of the last document loaded
	shots  int
}

// New opens a tab for t on the app at baseURL. The tab is closed when the
// test ends. It fails the test if the front-end assets are not built (pages
// would be unstyled, so colour-contrast checks would mean nothing), if
// axe-core is not installed, or if Chromium cannot be found or started.
func New(t testing.TB, baseURL string) *Browser {
	t.Helper()
	if !static.Built() {
		t.Fatal("browsertest: the front-end assets are not built (web/static/dist has no GOV.UK stylesheet), so pages would be unstyled: run `make assets`")
	}
	if _, err := axeSource(); err != nil {
		t.Fatal("browsertest: ", err)
	}
	base, err := url.Parse(baseURL)
	if err != nil || base.Host == "" {
		t.Fatalf("browsertest: base URL %q: want an absolute URL like http://127.0.0.1:1234", baseURL)
	}
	parent := sharedBrowser(t)

	b := &Browser{t: t, base: base, requests: map[network.RequestID]string{}}
	ctx, cancel := chromedp.NewContext(parent, chromedp.WithNewBrowserContext(), chromedp.WithListener(b.listen))
	b.ctx = ctx
	// The first Do opens the tab and binds it to ctx, so it has no timeout
	// of its own; the browser is already running, so it is quick.
	if err := chromedp.Do(ctx); err != nil {
		cancel()
		t.Fatal("browsertest: opening a tab: ", err)
	}
	t.Cleanup(func() {
		b.checkProblems()
		if t.Failed() {
			b.Screenshot("failed")
		}
		cancel()
	})
	return b
}

// run runs actions on the tab with the per-action timeout, failing the test
// with what it was doing if they fail.
func (b *Browser) run(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, Timeout)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.t.Fatalf("browsertest: %s on %s: %v", what, b.where(), err)
	}
}

// load runs an action that loads a document, then checks the page.
func (b *Browser) load(what string, do func(context.Context) (*network.Response, error)) {
	b.t.Helper()
	b.navigate(what, do)
	b.checkProblems()
	b.CheckAccessibility()
}

// navigate runs an action that loads a document and records its status,
// failing the test if it loads nothing or answers 5xx.
func (b *Browser) navigate(what string, do func(context.Context) (*network.Response, error)) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, Timeout)
	resp, err := do(ctx)
	timedOut := ctx.Err() != nil
	cancel()
	if err != nil {
		if timedOut {
			b.t.Fatalf("browsertest: %s: no page loaded within %v (did the click navigate? Use Click for in-page actions): %v", what, Timeout, err)
		}
		b.t.Fatalf("browsertest: %s: %v", what, err)
	}
	b.status = 0
	if resp != nil {
		b.status = resp.Status
		if resp.Status >= 500 {
			b.t.Errorf("browsertest: %s: %s answered %d %s", what, resp.URL, resp.Status, resp.StatusText)
		}
	}
}

// Visit loads path (relative to the base URL, or absolute), follows
// redirects, and checks the page it lands on.
func (b *Browser) Visit(path string) {
	b.t.Helper()
	u := b.base.ResolveReference(&url.URL{Path: path})
	if p, err := url.Parse(path); err == nil {
		u = b.base.ResolveReference(p)
	}
	b.load("visit "+path, func(ctx context.Context) (*network.Response, error) {
		return chromedp.Run(ctx, chromedp.NavigateResponse(u.String()))
	})
}

// VisitWithoutAxe loads path as Visit does and checks the page for errors,
// but does not run axe-core: for a test that looks at the same page at
// several widths and runs CheckAccessibility itself when it means to.
func (b *Browser) VisitWithoutAxe(path string) {
	b.t.Helper()
	u := b.base.ResolveReference(&url.URL{Path: path})
	if p, err := url.Parse(path); err == nil {
		u = b.base.ResolveReference(p)
	}
	b.navigate("visit "+path, func(ctx context.Context) (*network.Response, error) {
		return chromedp.Run(ctx, chromedp.NavigateResponse(u.String()))
	})
	b.checkProblems()
}

// Follow clicks the link (or any element) matching the CSS selector, waits
// for the page it leads to, and checks that page.
func (b *Browser) Follow(selector string) {
	b.t.Helper()
	b.load("follow "+selector+" on "+b.where(), func(ctx context.Context) (*network.Response, error) {
		return chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(selector)))
	})
}

// Submit clicks the submit button matching the CSS selector, as a user does
// (so GOV.UK Frontend's scripts see the click), waits for the page the form
// leads to, after any redirect, and checks that page.
func (b *Browser) Submit(selector string) {
	b.t.Helper()
	b.load("submit "+selector+" on "+b.where(), func(ctx context.Context) (*network.Response, error) {
		return chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(selector)))
	})
}

// Click clicks the element matching the CSS selector without waiting for a
// navigation: use it for in-page behaviour. Use Follow or Submit for clicks
// that load a page.
func (b *Browser) Click(selector string) {
	b.t.Helper()
	b.run("click "+selector, chromedp.Click(chromedp.CSS(selector)))
	b.checkProblems()
}

// Fill replaces the value of the field matching the CSS selector by typing
// text into it.
func (b *Browser) Fill(selector, text string) {
	b.t.Helper()
	// chromedp.Clear fails on an empty textarea, so clear through the DOM.
	b.run("fill "+selector,
		chromedp.Evaluate[chromedp.Void](`document.querySelector(`+jsString(selector)+`).value = ''`),
		chromedp.SendKeys(chromedp.CSS(selector), text))
	b.checkProblems()
}

// Text returns the visible text of the first element matching the CSS
// selector, with runs of white space collapsed to one space. It waits up to
// Timeout for the element to appear.
func (b *Browser) Text(selector string) string {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, Timeout)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(selector)))
	if err != nil {
		b.t.Fatalf("browsertest: text of %s on %s: %v", selector, b.where(), err)
	}
	return strings.Join(strings.Fields(s), " ")
}

// Count returns how many elements match the CSS selector now, without
// waiting.
func (b *Browser) Count(selector string) int {
	b.t.Helper()
	var n int
	b.Eval(`document.querySelectorAll(`+jsString(selector)+`).length`, &n)
	return n
}

// Style returns the computed value of a CSS property of the first element
// matching the selector, for example Style("body", "font-family").
func (b *Browser) Style(selector, property string) string {
	b.t.Helper()
	var s *string
	b.Eval(`(() => { const e = document.querySelector(`+jsString(selector)+`); return e && getComputedStyle(e).getPropertyValue(`+jsString(property)+`); })()`, &s)
	if s == nil {
		b.t.Fatalf("browsertest: style %s of %s on %s: no such element", property, selector, b.where())
	}
	return *s
}

// PrintStyle is Style as the page prints: it emulates print media, reads
// the property ("none" when no element matches, as nothing of it prints),
// and goes back to the screen.
func (b *Browser) PrintStyle(selector, property string) string {
	b.t.Helper()
	media := func(m string) chromedp.Action[chromedp.Void] {
		return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
			_, err := cdp.Call(ctx, t, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{Media: m})
			return err
		})
	}
	b.run("emulate print", media("print"))
	defer b.run("emulate screen", media(""))
	var s *string
	b.Eval(`(() => { const e = document.querySelector(`+jsString(selector)+`); return e && getComputedStyle(e).getPropertyValue(`+jsString(property)+`); })()`, &s)
	if s == nil {
		return "none"
	}
	return *s
}

// HasFocus reports whether the focused element matches the CSS selector.
func (b *Browser) HasFocus(selector string) bool {
	b.t.Helper()
	var ok bool
	b.Eval(`!!document.activeElement && document.activeElement.matches(`+jsString(selector)+`)`, &ok)
	return ok
}

// Eval evaluates a JavaScript expression in the page and decodes its JSON
// value into out (nil to ignore it). A promise is awaited.
func (b *Browser) Eval(expr string, out any) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, Timeout)
	defer cancel()
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]byte](expr, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("browsertest: evaluating %s on %s: %v", clip(expr, 80), b.where(), err)
	}
	if out != nil {
		if len(raw) == 0 {
			raw = []byte("null")
		}
		if err := json.Unmarshal(raw, out); err != nil {
			b.t.Fatalf("browsertest: decoding %s from %s: %v", raw, clip(expr, 80), err)
		}
	}
}

// URL returns the address of the page in the tab.
func (b *Browser) URL() *url.URL {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, Timeout)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		b.t.Fatalf("browsertest: location: %v", err)
	}
	u, err := url.Parse(s)
	if err != nil {
		b.t.Fatalf("browsertest: location %q: %v", s, err)
	}
	return u
}

// Path returns the path of the page in the tab, without the query.
func (b *Browser) Path() string {
	b.t.Helper()
	return b.URL().Path
}

// Status returns the HTTP status of the last document loaded by Visit,
// Follow or Submit (after redirects).
func (b *Browser) Status() int { return int(b.status) }

// where names the current page for messages, without failing.
func (b *Browser) where() string {
	ctx, cancel := context.WithTimeout(b.ctx, 5*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		return "(unknown page)"
	}
	if u, err := url.Parse(s); err == nil && u.Host == b.base.Host {
		return u.RequestURI()
	}
	return s
}

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// Screenshot saves a full-page PNG named after the test and name under
// $SCREENSHOT_DIR, if that is set; otherwise it does nothing.
func (b *Browser) Screenshot(name string) {
	b.t.Helper()
	dir := os.Getenv("SCREENSHOT_DIR")
	if dir == "" {
		return
	}
	ctx, cancel := context.WithTimeout(b.ctx, Timeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Errorf("browsertest: screenshot %s: %v", name, err)
		return
	}
	b.shots++
	file := filepath.Join(dir, fmt.Sprintf("%s-%02d-%s.png", unsafeName.ReplaceAllString(b.t.Name(), "_"), b.shots, unsafeName.ReplaceAllString(name, "_")))
	if err := os.MkdirAll(dir, 0o755); err == nil {
		err = os.WriteFile(file, png, 0o644)
	}
	if err != nil {
		b.t.Errorf("browsertest: screenshot %s: %v", name, err)
		return
	}
	b.t.Logf("browsertest: screenshot %s", file)
}

// Probe asks for path (relative to the base URL) outside the tab, with the
// tab's cookies, so as the tab's user, and returns the status, the
// Content-Type and whether it redirects, without following redirects and
// without loading anything in the tab: for a test deciding which pages to
// open. An answer that is not a page (a 404, a download) is not a problem
// of the tab's.
func (b *Browser) Probe(path string) (status int, contentType string, redirect bool) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, Timeout)
	defer cancel()
	got, err := chromedp.Run(ctx, func(ctx context.Context, t *chromedp.Target) (network.GetCookiesResult, error) {
		return cdp.Call(ctx, t, network.GetCookies, network.GetCookiesParams{URLs: []string{b.base.String()}})
	})
	if err != nil {
		b.t.Fatalf("browsertest: cookies for %s: %v", path, err)
	}
	u := b.base.ResolveReference(&url.URL{Path: path})
	if p, err := url.Parse(path); err == nil {
		u = b.base.ResolveReference(p)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		b.t.Fatalf("browsertest: probe %s: %v", path, err)
	}
	for _, c := range got.Cookies {
		req.AddCookie(&http.Cookie{Name: c.Name, Value: c.Value})
	}
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := client.Do(req)
	if err != nil {
		b.t.Fatalf("browsertest: probe %s: %v", path, err)
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode, res.Header.Get("Content-Type"), res.StatusCode >= 300 && res.StatusCode < 400
}

// SaveScreenshot saves a full-page PNG as $SCREENSHOT_DIR/name.png (name
// made safe for a file name), if SCREENSHOT_DIR is set; otherwise it does
// nothing. Unlike Screenshot, the name is the whole of the file's name, for
// a test that names its pictures itself.
func (b *Browser) SaveScreenshot(name string) {
	b.t.Helper()
	dir := os.Getenv("SCREENSHOT_DIR")
	if dir == "" {
		return
	}
	ctx, cancel := context.WithTimeout(b.ctx, Timeout)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Errorf("browsertest: screenshot %s: %v", name, err)
		return
	}
	file := filepath.Join(dir, unsafeName.ReplaceAllString(name, "_")+".png")
	if err := os.MkdirAll(dir, 0o755); err == nil {
		err = os.WriteFile(file, png, 0o644)
	}
	if err != nil {
		b.t.Errorf("browsertest: screenshot %s: %v", name, err)
	}
}

// CheckAccessibility runs axe-core on the page and fails the test on any
// violation of the WCAG 2.0–2.2 A and AA rules or of axe's best practices,
// listing each rule, its impact and help, and the elements that fail. Visit,
// Follow and Submit call it on every page they load.
//
// axe is injected with Runtime.evaluate, which the page's
// Content-Security-Policy does not govern, so the app never serves it.
func (b *Browser) CheckAccessibility() {
	b.t.Helper()
	src, err := axeSource()
	if err != nil {
		b.t.Fatal("browsertest: ", err)
	}
	ctx, cancel := context.WithTimeout(b.ctx, Timeout)
	defer cancel()
	err = chromedp.Do(ctx, chromedp.Evaluate[chromedp.Void](`if (typeof window.axe === 'undefined') {`+src+"\n}"))
	if err != nil {
		b.t.Fatalf("browsertest: injecting axe-core on %s: %v", b.where(), err)
	}
	res, err := chromedp.Run(ctx, chromedp.Evaluate[axeResult](axeRunJS, chromedp.EvalAwaitPromise))
	if err != nil {
		b.t.Fatalf("browsertest: running axe-core on %s: %v", b.where(), err)
	}
	res, notes := res.withoutKnown()
	for _, n := range notes {
		b.t.Log("browsertest: ", n)
	}
	if len(res.Violations) > 0 {
		b.t.Error(res.report(b.where()))
	}
	b.checkProblems()
}

// checkProblems fails the test with the errors the page reported since the
// last check.
func (b *Browser) checkProblems() {
	b.t.Helper()
	b.mu.Lock()
	problems := b.problems
	b.problems = nil
	b.mu.Unlock()
	if len(problems) > 0 {
		b.t.Errorf("browsertest: the page reported %d error(s) (last page %s):\n  - %s", len(problems), b.where(), strings.Join(problems, "\n  - "))
	}
}

func (b *Browser) problem(format string, args ...any) {
	b.mu.Lock()
	b.problems = append(b.problems, fmt.Sprintf(format, args...))
	b.mu.Unlock()
}

// sameOrigin reports whether raw is on the app's origin.
func (b *Browser) sameOrigin(raw string) bool {
	u, err := url.Parse(raw)
	return err == nil && u.Scheme == b.base.Scheme && u.Host == b.base.Host
}

// listen records the tab's errors. It runs in the tab's event loop, in the
// order the events arrive, so it must be quick and send no commands.
func (b *Browser) listen(ev any) {
	switch ev := ev.(type) {
	case *network.EventRequestWillBeSent:
		if ev.Request != nil {
			b.mu.Lock()
			b.requests[ev.RequestID] = ev.Request.URL
			b.mu.Unlock()
		}
	case *network.EventResponseReceived:
		// Documents may answer 4xx on purpose (a 422 form, a 404 page);
		// assets may not.
		if r := ev.Response; r != nil && r.Status >= 400 && ev.Type != network.ResourceTypeDocument && b.sameOrigin(r.URL) {
			b.problem("%s %s answered %d %s", ev.Type, r.URL, r.Status, r.StatusText)
		}
	case *network.EventLoadingFailed:
		b.mu.Lock()
		u := b.requests[ev.RequestID]
		b.mu.Unlock()
		// A navigation cancels the requests of the page it leaves.
		if !ev.Canceled && ev.Type != network.ResourceTypeDocument && b.sameOrigin(u) {
			reason := ev.ErrorText
			if ev.BlockedReason != "" {
				reason += " (blocked: " + string(ev.BlockedReason) + ")"
			}
			b.problem("%s %s failed to load: %s", ev.Type, u, reason)
		}
	case *runtime.EventExceptionThrown:
		if d := ev.ExceptionDetails; d != nil {
			text := d.Text
			if d.Exception != nil && d.Exception.Description != "" {
				desc, _, _ := strings.Cut(d.Exception.Description, "\n")
				text += " " + desc
			}
			b.problem("JavaScript exception: %s (%s:%d:%d)", text, d.URL, d.LineNumber+1, d.ColumnNumber+1)
		}
	case *runtime.EventConsoleAPICalled:
		if ev.Type == runtime.ConsoleAPICalledTypeError || ev.Type == runtime.ConsoleAPICalledTypeAssert {
			b.problem("console.%s: %s", ev.Type, consoleArgs(ev.Args))
		}
	case *log.EventEntryAdded:
		// Failed loads are the network events' business above; the
		// rest (Content-Security-Policy blocks, deprecated or broken
		// features) at error level mean a broken page.
		if e := ev.Entry; e != nil && e.Level == log.EntryLevelError && e.Source != log.EntrySourceNetwork {
			b.problem("browser %s error: %s %s", e.Source, e.Text, e.URL)
		}
	}
}

func consoleArgs(args []*runtime.RemoteObject) string {
	parts := make([]string, 0, len(args))
	for _, a := range args {
		switch {
		case len(a.Value) > 0:
			var s string
			if json.Unmarshal(a.Value, &s) == nil {
				parts = append(parts, s)
			} else {
				parts = append(parts, string(bytes.TrimSpace(a.Value)))
			}
		case a.Description != "":
			parts = append(parts, a.Description)
		default:
			parts = append(parts, string(a.Type))
		}
	}
	return strings.Join(parts, " ")
}

// jsString quotes s as a JavaScript string literal.
func jsString(s string) string {
	q, _ := json.Marshal(s)
	return string(q)
}

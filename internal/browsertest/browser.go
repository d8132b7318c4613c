package browsertest

import (
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// shared is the Chromium that Main keeps for the whole test binary.
var shared struct {
	mu     sync.Mutex
	main   bool // Main is running the tests
	ctx    context.Context
	cancel context.CancelFunc
	err    error
}

// Main runs the tests with one Chromium shared by every Browser (each in its
// own tab and browser context), starting it when the first test asks for it
// and shutting it down when the tests end. Call it from TestMain:
//
//	func TestMain(m *testing.M) { browsertest.Main(m) }
func Main(m *testing.M) {
	shared.mu.Lock()
	shared.main = true
	shared.mu.Unlock()
	code := m.Run()
	shared.mu.Lock()
	if shared.cancel != nil {
		shared.cancel()
	}
	shared.mu.Unlock()
	os.Exit(code)
}

// sharedBrowser returns the context of a running Chromium for t: the shared
// one under Main, else one of t's own that stops when t ends.
func sharedBrowser(t testing.TB) context.Context {
	t.Helper()
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if !shared.main {
		ctx, cancel, err := start(t)
		if err != nil {
			t.Fatal("browsertest: ", err)
		}
		t.Cleanup(cancel)
		return ctx
	}
	if shared.ctx == nil && shared.err == nil {
		shared.ctx, shared.cancel, shared.err = start(t)
	}
	if shared.err != nil {
		t.Fatal("browsertest: ", shared.err)
	}
	return shared.ctx
}

// flags are Chromium's switches on top of chromedp's defaults (headless,
// --no-first-run, --disable-background-networking, --disable-sync,
// --disable-dev-shm-usage, a fresh temporary --user-data-dir, and more).
// Tests run as root in containers, so there is no sandbox; and the network
// is closed, so background connections, which otherwise stall Chromium, are
// turned off.
var flags = []chromedp.ExecAllocatorOption{
	chromedp.NoSandbox,
	chromedp.DisableGPU,
	chromedp.Flag("disable-component-update", true),
	chromedp.Flag("disable-quic", true),
	chromedp.Flag("disable-domain-reliability", true),
	chromedp.Flag("no-pings", true),
	chromedp.Flag("disable-features", "Translate,BlinkGenPropertyTrees,OptimizationHints,MediaRouter,DialMediaRouteProvider,AutofillServerCommunication,CertificateTransparencyComponentUpdater"),
	chromedp.Flag("lang", "en-GB"),
	chromedp.WindowSize(1280, 1024),
}

// start finds (or installs) Chromium and starts it.
func start(t testing.TB) (context.Context, context.CancelFunc, error) {
	t.Helper()
	path, err := findChromium()
	if err != nil {
		return nil, nil, err
	}
	out := &tailBuffer{max: 4000}
	opts := append(chromedp.DefaultExecAllocatorOptions[:], flags...)
	opts = append(opts, chromedp.ExecPath(path), chromedp.CombinedOutput(out))
	allocCtx, allocCancel := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	stop := func() { cancel(); allocCancel() }

	began := time.Now()
	done := make(chan error, 1)
	go func() { done <- chromedp.Do(ctx) }()
	select {
	case err = <-done:
	case <-time.After(startTimeout):
		err = fmt.Errorf("no answer after %v", startTimeout)
	}
	if err != nil {
		stop()
		return nil, nil, fmt.Errorf("starting %s: %w\nits output:\n%s", path, err, out.String())
	}
	t.Logf("browsertest: started %s in %v", path, time.Since(began).Round(time.Millisecond))
	return ctx, stop, nil
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	mu  sync.Mutex
	max int
	b   []byte
}

func (w *tailBuffer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.b = append(w.b, p...)
	if len(w.b) > w.max {
		w.b = w.b[len(w.b)-w.max:]
	}
	return len(p), nil
}

func (w *tailBuffer) String() string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return strings.TrimSpace(string(w.b))
}

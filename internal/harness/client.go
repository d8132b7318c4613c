package harness

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// NewClient is a browser of one user: its own cookie jar, redirects not
// followed (a 303 is an answer to check). tr nil is http.DefaultTransport;
// timeout 0 is none.
func NewClient(tr http.RoundTripper, timeout time.Duration) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Transport: tr, Jar: jar, Timeout: timeout,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// SignIn posts the sign-in form; the service must answer 303.
func SignIn(ctx context.Context, c *http.Client, base, email, password string) error {
	status, err := PostForm(ctx, c, base+"/sign-in", url.Values{"email": {email}, "password": {password}})
	if err != nil {
		return fmt.Errorf("sign in as %s: %w", email, err)
	}
	if status != http.StatusSeeOther {
		return fmt.Errorf("sign in as %s: status %d, want 303", email, status)
	}
	return nil
}

// PostForm posts a form, reads the whole answer and returns its status.
func PostForm(ctx context.Context, c *http.Client, target string, form url.Values) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, strings.NewReader(form.Encode()))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	_, err = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode, err
}

// Get fetches a page and returns its body and status.
func Get(ctx context.Context, c *http.Client, target string) ([]byte, int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return nil, 0, err
	}
	res, err := c.Do(req)
	if err != nil {
		return nil, 0, err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	return b, res.StatusCode, err
}

// Status fetches a page, discarding its body, and returns its status.
func Status(ctx context.Context, c *http.Client, target string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, target, nil)
	if err != nil {
		return 0, err
	}
	res, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res.StatusCode, nil
}

// PeakRSS is the process's peak resident memory (VmHWM), in bytes.
func PeakRSS(pid int) (int64, error) { return procStatus(pid, "VmHWM") }

// RSS is the process's resident memory now (VmRSS), in bytes.
func RSS(pid int) (int64, error) { return procStatus(pid, "VmRSS") }

// procStatus reads a line of /proc/PID/status given in kB, in bytes.
func procStatus(pid int, key string) (int64, error) {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for line := range strings.SplitSeq(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, key+":"); ok {
			kb, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10, err
		}
	}
	return 0, fmt.Errorf("no %s in /proc/%d/status", key, pid)
}

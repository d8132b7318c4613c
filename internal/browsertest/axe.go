package browsertest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// axeTags are the axe-core rule tags we hold every page to: WCAG 2.0, 2.1
// and 2.2 at levels A and AA, plus axe's best practices.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"}

// axeRel is where `npm --prefix web ci` puts axe-core, relative to the
// module root.
const axeRel = "web/node_modules/axe-core/axe.min.js"

// axeSource is the text of axe.min.js, read once per test binary.
var axeSource = sync.OnceValues(func() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			b, err := os.ReadFile(filepath.Join(dir, axeRel))
			if errors.Is(err, os.ErrNotExist) {
				return "", fmt.Errorf("%s is missing: run `make assets` (npm --prefix web ci) to install axe-core", axeRel)
			}
			return string(b), err
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("cannot find the module root (go.mod) above the working directory, to load " + axeRel)
		}
		dir = parent
	}
})

// axeRunJS runs axe on the document and returns what we report of its
// violations. It is an expression whose value is a promise.
var axeRunJS = `(async () => {
	const r = await axe.run(document, {
		runOnly: {type: 'tag', values: ` + jsArray(axeTags) + `},
		resultTypes: ['violations'],
	});
	const target = t => t.map(s => Array.isArray(s) ? s.join(' >>> ') : String(s)).join(' ');
	return {
		version: axe.version,
		violations: r.violations.map(v => ({
			id: v.id, impact: v.impact || '', help: v.help, helpUrl: v.helpUrl,
			nodes: v.nodes.map(n => ({target: target(n.target), html: n.html, summary: n.failureSummary || ''})),
		})),
	};
})()`

func jsArray(ss []string) string {
	q := make([]string, len(ss))
	for i, s := range ss {
		q[i] = "'" + s + "'"
	}
	return "[" + strings.Join(q, ", ") + "]"
}

// known lists violations in our templates that are reported to their owner
// and not yet fixed. Each is one rule on one exact target; it is logged on
// every page where it still occurs, instead of failing the test. Keep this
// list empty: add to it only with a note of who fixes what, and remove the
// entry in the same commit as the fix.
var known = []struct{ Rule, Target, Why string }{}

// withoutKnown splits the known violations off r, returning what remains
// and notes on what was set aside.
func (r axeResult) withoutKnown() (axeResult, []string) {
	var notes []string
	out := axeResult{Version: r.Version}
	for _, v := range r.Violations {
		var nodes []axeNode
		for _, n := range v.Nodes {
			skip := false
			for _, k := range known {
				if k.Rule == v.ID && k.Target == n.Target {
					notes = append(notes, fmt.Sprintf("known violation %s on %s, not failing: %s", v.ID, n.Target, k.Why))
					skip = true
					break
				}
			}
			if !skip {
				nodes = append(nodes, n)
			}
		}
		if len(nodes) > 0 {
			v.Nodes = nodes
			out.Violations = append(out.Violations, v)
		}
	}
	return out, notes
}

type axeResult struct {
	Version    string         `json:"version"`
	Violations []axeViolation `json:"violations"`
}

type axeViolation struct {
	ID      string    `json:"id"`
	Impact  string    `json:"impact"`
	Help    string    `json:"help"`
	HelpURL string    `json:"helpUrl"`
	Nodes   []axeNode `json:"nodes"`
}

type axeNode struct {
	Target  string `json:"target"`
	HTML    string `json:"html"`
	Summary string `json:"summary"`
}

// report formats the violations for a test failure: rule, impact, help and
// every element that fails, with axe's summary of how to fix it.
func (r axeResult) report(page string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "accessibility: axe-core %s found %d violation(s) on %s:", r.Version, len(r.Violations), page)
	for _, v := range r.Violations {
		fmt.Fprintf(&b, "\n  - %s (%s): %s\n    %s", v.ID, v.Impact, v.Help, v.HelpURL)
		for _, n := range v.Nodes {
			fmt.Fprintf(&b, "\n      %s\n        %s", n.Target, clip(n.HTML, 200))
			for line := range strings.SplitSeq(strings.TrimSpace(n.Summary), "\n") {
				if line = strings.TrimSpace(line); line != "" {
					fmt.Fprintf(&b, "\n        %s", line)
				}
			}
		}
	}
	return b.String()
}

func clip(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

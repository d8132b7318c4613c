package server

import (
	"context"
	"time"

	"github.com/ofsted/focusedvisits/internal/childdata"
)

// importGate bounds how many child-level lists one instance checks at once
// (IMPORT_MAX_CONCURRENT, by default one per CPU): checking a list is CPU
// work for as long as the list is long, so more at once only makes each
// slower and the whole costlier in memory.
type importGate struct {
	slots chan struct{}
	wait  time.Duration
}

func newImportGate(n int, wait time.Duration) *importGate {
	return &importGate{slots: make(chan struct{}, max(1, n)), wait: wait}
}

// enter waits at most the gate's wait for a place and reports whether it
// got one; release gives it back. It gives up at once if ctx ends.
func (g *importGate) enter(ctx context.Context) (release func(), ok bool) {
	release = func() { <-g.slots }
	select {
	case g.slots <- struct{}{}:
		return release, true
	default:
	}
	if g.wait <= 0 {
		return nil, false
	}
	t := time.NewTimer(g.wait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
		return release, true
	case <-t.C:
	case <-ctx.Done():
	}
	return nil, false
}

// importLimits are the settings that bound reading one list.
func (s *Server) importLimits() childdata.Limits {
	return childdata.Limits{
		MaxUnzipped: s.cfg.ImportMaxUnzipped,
		MaxPart:     s.cfg.ImportMaxPart,
		MaxLine:     s.cfg.ImportMaxLine,
	}
}

// limitIssue returns the first issue that refused the list for being over
// one of the import limits, if any: the error summary shows its words.
func limitIssue(is []childdata.Issue) (childdata.Issue, bool) {
	for _, i := range is {
		if i.Code == "too_large" || i.Code == "too_many_rows" {
			return i, true
		}
	}
	return childdata.Issue{}, false
}

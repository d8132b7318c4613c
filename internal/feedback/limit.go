package feedback

import (
	"sync"
	"time"
)

// Limiter counts requests per key (a client address, a code) in fixed
// windows and refuses those over the limit. It is held in memory by each
// instance of the service: the limits bound what one instance does, which
// is what keeps the form from being flooded. At most MaxKeys keys are kept;
// once that many are live, a new key is refused until windows end (the
// limiter fails closed rather than forgetting counts).
type Limiter struct {
	Max     int           // requests per window and key
	Window  time.Duration // the length of a window
	MaxKeys int           // keys kept at most

	mu   sync.Mutex
	keys map[string]*window
}

type window struct {
	start time.Time
	n     int
}

// Allow counts a request for the key at now and reports whether it is
// within the limit, and if not, how long until the key's window ends.
func (l *Limiter) Allow(key string, now time.Time) (bool, time.Duration) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.keys == nil {
		l.keys = map[string]*window{}
	}
	w, ok := l.keys[key]
	if ok && now.Sub(w.start) >= l.Window {
		w.start, w.n = now, 0
	}
	if !ok {
		if len(l.keys) >= l.MaxKeys {
			l.sweep(now)
			if len(l.keys) >= l.MaxKeys {
				return false, l.Window
			}
		}
		w = &window{start: now}
		l.keys[key] = w
	}
	if w.n >= l.Max {
		return false, w.start.Add(l.Window).Sub(now)
	}
	w.n++
	return true, 0
}

// sweep forgets the keys whose windows have ended.
func (l *Limiter) sweep(now time.Time) {
	for k, w := range l.keys {
		if now.Sub(w.start) >= l.Window {
			delete(l.keys, k)
		}
	}
}

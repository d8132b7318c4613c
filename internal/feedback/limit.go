package feedback

import (
	"sync"
	"time"
)

// Limiter counts requests per key (a client address, a code) in fixed
// windows and refuses those over the limit. It is held in memory by each
// instance of the service: the limits bound what one instance does, which
// is what keeps the form from being flooded. At most MaxKeys keys are kept;
// once that many are live, some are forgotten to make room (a sixteenth of
// them, as the map's iteration picks them): refusing every new key instead
// would let one client who owns many addresses (an IPv6 block) close the
// form to everyone. Forgetting a flooder's count lets it a few more
// requests; the limit per code still bounds what any visit can be sent.
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
			l.evict()
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

// evict forgets a sixteenth of the keys (at least one) while the limiter
// is full, so that a new key always finds room.
func (l *Limiter) evict() {
	n := len(l.keys) - l.MaxKeys + 1
	if n <= 0 {
		return
	}
	n = max(n, l.MaxKeys/16)
	for k := range l.keys {
		if n == 0 {
			return
		}
		delete(l.keys, k)
		n--
	}
}

// Len is how many keys the limiter holds.
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.keys)
}

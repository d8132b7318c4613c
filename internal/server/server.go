// Package server is the service's HTTP surface: routes, handlers, sessions,
// access rules, error pages and security headers.
package server

import (
	"log/slog"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/go-chi/chi/v5"
	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/ofsted/focusedvisits/internal/config"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/user"
)

// Deps is everything the server needs from outside.
type Deps struct {
	Logger   *slog.Logger
	Config   config.Config
	Store    *store.Store
	Sessions *scs.SessionManager
	// Now returns the current time; tests may fix it. Defaults to time.Now.
	Now func() time.Time
	// Hasher computes every password hash. Defaults to one that computes
	// as many at once as there are CPUs, each waiting up to hashWait.
	Hasher *user.Hasher
}

// hashWait is how long a password check waits for a free hashing slot
// before the answer is "busy, try again shortly" (429).
const hashWait = 2 * time.Second

// Server serves the service's pages. It keeps no state between requests
// beyond what is in the database (and caches of it), so several can run
// behind a load balancer; the feedback form's limits alone are counted per
// instance.
type Server struct {
	log      *slog.Logger
	cfg      config.Config
	store    *store.Store
	sessions *scs.SessionManager
	now      func() time.Time
	hasher   *user.Hasher

	imports *importGate // child-level lists being checked
	sso     ssoClient   // single sign-on's provider, discovered on first use

	calMu     sync.Mutex
	cal       calendarAt // the latest calendar built
	planCache *planCache
	icsFiles  *lru.Cache[icsKey, []byte] // a visit's calendar file as sent
	// icsMade and icsKept count visits' calendar files made and found kept.
	icsMade, icsKept atomic.Int64

	// feedbackLimits bound the anonymous feedback form (issue 17.6), per
	// instance: the one state kept in memory between requests that is not
	// a cache.
	feedbackLimits feedbackLimits

	router  chi.Router
	handler http.Handler
	rules   map[string]Access // "METHOD pattern" → who may use the route
}

// New builds the server and its middleware chain.
func New(d Deps) *Server {
	s := &Server{
		log:       d.Logger,
		cfg:       d.Config,
		store:     d.Store,
		sessions:  d.Sessions,
		now:       d.Now,
		hasher:    d.Hasher,
		rules:     map[string]Access{},
		imports:   newImportGate(d.Config.ImportMaxConcurrent, d.Config.ImportQueueWait),
		planCache: newPlanCache(d.Config.PlanCacheSize),
		icsFiles:  newICSFiles(),

		feedbackLimits: newFeedbackLimits(d.Config.FeedbackAddressLimit, d.Config.FeedbackCodeLimit),
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.hasher == nil {
		s.hasher = user.NewHasher(runtime.GOMAXPROCS(0), hashWait)
	}
	if s.log == nil {
		s.log = slog.New(slog.DiscardHandler)
	}
	s.sessions.ErrorFunc = s.sessionError
	r := chi.NewRouter()
	r.Use(s.cleanURL)
	r.NotFound(s.handle(func(w http.ResponseWriter, r *http.Request) error { return notFound(nil) }))
	r.MethodNotAllowed(s.handle(func(w http.ResponseWriter, r *http.Request) error { return methodNotAllowed() }))
	s.routes(r)
	s.router = r

	// Assets and health checks carry no session: reading and writing one
	// would cost a database round trip on every stylesheet and probe.
	withSession := s.sessions.LoadAndSave(s.loadUser(r))
	h := http.Handler(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if stateless(req.URL.Path) {
			r.ServeHTTP(w, req)
			return
		}
		withSession.ServeHTTP(&sessionGuard{ResponseWriter: w}, req.WithContext(store.WithSessionLookup(req.Context(), s.now())))
	}))
	h = http.NewCrossOriginProtection().Handler(h)
	h = s.securityHeaders(h)
	h = s.recoverer(h)
	h = s.requestLog(h)
	h = s.bodyDeadline(h)
	s.handler = h
	return s
}

// stateless reports whether a path is served without a session.
func stateless(path string) bool {
	return strings.HasPrefix(path, "/assets/") || path == "/healthz" || path == "/readyz"
}

// sessionGuard is the writer the session middleware answers through. scs
// saves the session when the handler starts its answer; if that save fails
// (the database went away after the handler's own work), sessionError
// answers with the error page instead and the handler's answer is dropped,
// so the client gets one clean 503 rather than a response torn between the
// two (a second status line, a wrong Content-Length, a reset connection).
type sessionGuard struct {
	http.ResponseWriter
	replaced bool
}

func (g *sessionGuard) WriteHeader(code int) {
	if !g.replaced {
		g.ResponseWriter.WriteHeader(code)
	}
}

func (g *sessionGuard) Write(b []byte) (int, error) {
	if g.replaced {
		return len(b), nil
	}
	return g.ResponseWriter.Write(b)
}

func (g *sessionGuard) Unwrap() http.ResponseWriter { return g.ResponseWriter }

// sessionError answers when the session cannot be loaded or saved.
func (s *Server) sessionError(w http.ResponseWriter, r *http.Request, err error) {
	g, ok := w.(*sessionGuard)
	if !ok {
		s.serveError(w, r, err)
		return
	}
	// Forget the headers of the answer the handler had begun.
	for _, k := range []string{"Location", "Content-Type", "Content-Length", "Content-Disposition"} {
		g.Header().Del(k)
	}
	s.serveError(g.ResponseWriter, r, err)
	g.replaced = true
}

// ServeHTTP serves a request through the whole middleware chain.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.handler.ServeHTTP(w, r)
}

// Hasher is what computes the server's password hashes, for tests that
// count them.
func (s *Server) Hasher() *user.Hasher { return s.hasher }

// Router is the bare route table, for tests that walk it.
func (s *Server) Router() chi.Routes { return s.router }

package server_test

import (
	"context"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/ofsted/focusedvisits/internal/dbtest"
	"github.com/ofsted/focusedvisits/internal/publicid"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
)

// sqlLog is a pgx tracer that records the SQL of every statement sent
// through the pool.
type sqlLog struct {
	mu    sync.Mutex
	stmts []string
}

func (l *sqlLog) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	l.mu.Lock()
	l.stmts = append(l.stmts, d.SQL)
	l.mu.Unlock()
	return ctx
}

func (l *sqlLog) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

// TraceBatchQuery records each statement of a batch (a pipeline) too.
func (l *sqlLog) TraceBatchQuery(_ context.Context, _ *pgx.Conn, d pgx.TraceBatchQueryData) {
	l.mu.Lock()
	l.stmts = append(l.stmts, d.SQL)
	l.mu.Unlock()
}

func (l *sqlLog) TraceBatchStart(ctx context.Context, _ *pgx.Conn, _ pgx.TraceBatchStartData) context.Context {
	return ctx
}

func (l *sqlLog) TraceBatchEnd(context.Context, *pgx.Conn, pgx.TraceBatchEndData) {}

// take returns the statements recorded since the last take.
func (l *sqlLog) take() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.stmts
	l.stmts = nil
	return s
}

// TestHiddenVisitCostsWhatAMissingOneCosts is DOMAIN decision 9 in timing:
// for every GET route of a visit, a visit the user may not see (a Cafcass
// member's visit before its notice; a visit the user is not on) sends
// PostgreSQL exactly the statements a visit that does not exist sends, and
// answers with the same status and page. Counted with a tracer on the pool,
// never timed.
func TestHiddenVisitCostsWhatAMissingOneCosts(t *testing.T) {
	t.Parallel()
	log := &sqlLog{}
	cfg, err := pgxpool.ParseConfig(dbtest.URL(t))
	if err != nil {
		t.Fatal(err)
	}
	cfg.ConnConfig.Tracer = log
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	w := newWorldOn(t, newTestServerOn(t, nil, pool))
	ts := w.ts

	// Visit C: the chief executive is on it, but its notice call is not
	// recorded. Visit A (noticed) is hidden from a Cafcass user and an
	// Ofsted lead inspector who are not on it.
	lead, ceo := w.users[user.LeadInspector], w.users[user.CafcassCEO]
	c := ts.createTestVisit(lead, "notice", date("2025-06-02"), visit.Member{UserID: lead.ID, Role: visit.RoleLead}, visit.Member{UserID: ceo.ID, Role: visit.RoleCafcass})
	strangerCEO := ts.addUser(user.CafcassDeputy, "stranger@cafcass.example")
	strangerLead := ts.addUser(user.LeadInspector, "stranger@ofsted.example")
	cases := []struct {
		name   string
		c      *http.Client
		role   user.Role
		hidden string // the public id of a visit hidden from them
	}{
		{"Cafcass member before notice", w.clients[user.CafcassCEO], user.CafcassCEO, c.PublicID},
		{"Cafcass user not on the visit", ts.signIn(strangerCEO.Email), user.CafcassDeputy, w.params["visitID"]},
		{"lead inspector not on the visit", ts.signIn(strangerLead.Email), user.LeadInspector, w.params["visitID"]},
	}

	for _, tc := range cases {
		ts.get(tc.c, "/") // shows, and so clears, any message left by the set-up
	}

	var patterns []string
	err = chi.Walk(ts.App.Router(), func(method, pattern string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if method == http.MethodGet && strings.HasPrefix(pattern, "/visits/{visitID}") {
			patterns = append(patterns, pattern)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(patterns) < 20 {
		t.Fatalf("walked only %d GET routes of a visit", len(patterns))
	}
	nonce := regexp.MustCompile(`nonce="[^"]*"`)
	// withVisit puts the visit's id in a path the world filled.
	withVisit := func(p, id string) string {
		parts := strings.SplitN(p, "/", 4) // "", "visits", id, rest
		parts[2] = id
		return strings.Join(parts, "/")
	}
	answer := func(c *http.Client, p string) (int, string, []string) {
		log.take()
		res := ts.get(c, p)
		body := nonce.ReplaceAllString(readAll(t, res.Body), "")
		return res.StatusCode, body, log.take()
	}
	looked := map[string]int{}
	// usable counts, for each case, the routes its role may use at all.
	usable := map[string]int{}
	for _, pattern := range patterns {
		p := w.path(t, pattern)
		for _, tc := range cases {
			if a, ok := ts.App.AccessFor(http.MethodGet, pattern); !ok || a.Allows(tc.role) {
				usable[tc.name]++
			}
			hidden, missing := withVisit(p, tc.hidden), withVisit(p, publicid.New())
			s1, b1, q1 := answer(tc.c, hidden)
			s2, b2, q2 := answer(tc.c, missing)
			if s1 != s2 || b1 != b2 {
				t.Errorf("%s, %s: hidden %d, missing %d (pages equal: %v)", pattern, tc.name, s1, s2, b1 == b2)
			}
			if s1 != http.StatusNotFound && s1 != http.StatusForbidden {
				t.Errorf("%s, %s: hidden visit answered %d", pattern, tc.name, s1)
			}
			if !slices.Equal(q1, q2) {
				t.Errorf("%s, %s: a hidden visit sent %d statements, a missing one %d:\nhidden:  %q\nmissing: %q",
					pattern, tc.name, len(q1), len(q2), q1, q2)
			}
			// A route the role may not use at all answers before looking
			// (the same for every visit); the rest must look.
			if slices.ContainsFunc(q1, func(q string) bool { return strings.Contains(q, "FROM visits v") }) {
				looked[tc.name]++
			} else if i := slices.IndexFunc(q1, func(q string) bool {
				return !strings.Contains(q, "FROM sessions") && !strings.Contains(q, "INTO sessions") && !strings.Contains(q, "FROM users")
			}); i >= 0 {
				// Not looked for: then refused by the route before any
				// work but reading the session and its user.
				t.Errorf("%s, %s: the visit was not looked for, yet %q was sent", pattern, tc.name, q1[i])
			}
		}
	}
	for _, tc := range cases {
		if looked[tc.name] < usable[tc.name]/2 {
			t.Errorf("%s: the visit was looked for on only %d of the %d routes the role may use", tc.name, looked[tc.name], usable[tc.name])
		}
	}
}

package server_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/ofsted/focusedvisits/internal/letter"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
)

// getWritesAllowed names the tables a GET may write, and why (DOMAIN
// decision 16: session bookkeeping and the append-only records of who viewed
// what are not domain data). Every other table, visit_events included, must
// be exactly as it was.
var getWritesAllowed = map[string]string{
	"sessions": "session bookkeeping (scs saves the session on every request)",
	// When each signed-in session was last seen, for its person's account
	// page (issue 14): session bookkeeping too.
	"user_sessions": "session bookkeeping (last seen, at most once a minute)",
	// The append-only record of who viewed children's data (DOMAIN
	// decision 17).
	"child_data_views": "the record of who viewed children's data",
	// The append-only record of who read the draft or final letter as
	// Cafcass, or downloaded a file (migration 00027).
	"material_views": "the record of who read a letter sent to Cafcass or downloaded a file",
}

// tableStates reads, for every table but the allowed ones, its row count and
// a digest of every row's xmin and ctid (an insert, update or delete changes
// it), in one round trip.
func tableStates(t *testing.T, ts *testServer) map[string]string {
	t.Helper()
	ctx := context.Background()
	rows, err := ts.Pool.Query(ctx, `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	allowed := 0
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		if _, ok := getWritesAllowed[n]; ok {
			allowed++
		} else {
			names = append(names, n)
		}
	}
	rows.Close()
	if allowed != len(getWritesAllowed) {
		t.Fatalf("%d of the %d tables a GET may write exist: %v", allowed, len(getWritesAllowed), getWritesAllowed)
	}
	if len(names) < 20 {
		t.Fatalf("only %d tables: %v", len(names), names)
	}
	var q []string
	for _, n := range names {
		q = append(q, fmt.Sprintf(`SELECT %s, count(*)::text || ' ' || COALESCE(md5(string_agg(xmin::text || ctid::text, ',' ORDER BY ctid)), '') FROM %s`,
			quoteLiteral(n), pgIdent(n)))
	}
	rows, err = ts.Pool.Query(ctx, strings.Join(q, " UNION ALL "))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var n, s string
		if err := rows.Scan(&n, &s); err != nil {
			t.Fatal(err)
		}
		out[n] = s
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func pgIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func changedTables(before, after map[string]string) []string {
	var out []string
	for k, v := range after {
		if before[k] != v {
			out = append(out, fmt.Sprintf("%s (%s → %s)", k, before[k], v))
		}
	}
	for k := range before {
		if _, ok := after[k]; !ok {
			out = append(out, k+" (gone)")
		}
	}
	slices.Sort(out)
	return out
}

// TestGetNeverWrites (DOMAIN decision 16) loads every GET route as every
// role and signed out, on each of three visits: A (draft with Cafcass), B
// (final sent, a complaint in time holding publication) and C (final with a
// priority action, sent Thu 20 Mar 2025, so its publication on Tue 1 Apr is
// past on the clock's Mon 14 Apr), and the public /letters pages. No domain
// table may change: what time moves is the jobs' work, never a page's.
func TestGetNeverWrites(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	ts := w.ts
	ctx := context.Background()
	lead, qam := w.users[user.LeadInspector], w.users[user.QAM]
	members := []visit.Member{
		{UserID: lead.ID, Role: visit.RoleLead}, {UserID: w.users[user.TeamInspector].ID, Role: visit.RoleTeam},
		{UserID: qam.ID, Role: visit.RoleQAM}, {UserID: w.users[user.SAO].ID, Role: visit.RoleSAO},
		{UserID: w.users[user.CafcassCEO].ID, Role: visit.RoleCafcass}, {UserID: w.users[user.CafcassDeputy].ID, Role: visit.RoleCafcass},
	}
	c := ts.createTestVisit(lead, "notice", date("2025-02-17"), members...)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(ts.Store.RecordActual(ctx, c.ID, 0, visit.Actual{Code: "notice", Date: date("2025-02-17")}, "Notice call", lead))
	content := letter.Content{
		Sections: map[letter.Section]string{
			letter.Introduction:   "This letter summarises the findings of the focused visit.",
			letter.PriorityAction: "Leaders must act urgently.",
		},
		Findings: []letter.Finding{{Kind: letter.KindPriorityAction, Area: letter.PublicLaw, Text: "Care plans are not reviewed"}},
	}
	_, err := ts.Store.SaveLetterVersion(ctx, c.ID, 0, content, letter.Drafting, lead)
	must(err)
	must(ts.Store.MoveLetter(ctx, c.ID, store.LetterMove{Action: letter.Submit, From: letter.Drafting, To: letter.InQA, Version: 1}, lead))
	must(ts.Store.MoveLetter(ctx, c.ID, store.LetterMove{Action: letter.Approve, From: letter.InQA, To: letter.Approved, Version: 1}, qam))
	must(ts.Store.SendDraftLetter(ctx, c.ID, store.LetterMove{Action: letter.SendDraft, From: letter.Approved, To: letter.DraftSent, Version: 1}, date("2025-03-06"), lead))
	must(ts.Store.SendFinalLetter(ctx, c.ID, store.LetterMove{Action: letter.SendFinal, From: letter.DraftSent, To: letter.FinalSent, Version: 1}, date("2025-03-20"), lead))
	// The calendar feed with a real token.
	raw := bytes.Repeat([]byte{7}, 32)
	hash := sha256.Sum256(raw)
	_, err = ts.Store.SetCalendarToken(ctx, lead.ID, hash[:])
	must(err)
	w.params["token"] = base64.RawURLEncoding.EncodeToString(raw)

	var patterns []string
	err = chi.Walk(ts.App.Router(), func(method, pattern string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if method == http.MethodGet && !strings.HasPrefix(pattern, "/assets/") {
			patterns = append(patterns, pattern)
		}
		return nil
	})
	must(err)
	if len(patterns) < 40 {
		t.Fatalf("walked only %d GET routes", len(patterns))
	}
	type who struct {
		name string
		c    *http.Client
	}
	var clients []who
	for _, r := range user.Roles {
		clients = append(clients, who{string(r), w.clients[r]})
	}
	clients = append(clients, who{"signed out", ts.client()})
	visits := []string{w.params["visitID"], w.visitB, c.PublicID}
	slugC := "focused-visit-" + strings.ToLower(c.Reference)

	before := tableStates(t, ts)
	ok := map[int]int{}
	for _, pattern := range patterns {
		var paths []string
		switch {
		case strings.Contains(pattern, "{visitID}"):
			for _, v := range visits {
				p := w.path(t, pattern)
				// Put the visit in place of the one w.path chose.
				parts := strings.Split(pattern, "/")
				got := strings.Split(p, "/")
				for i, part := range parts {
					if part == "{visitID}" && i < len(got) {
						got[i] = v
					}
				}
				paths = append(paths, strings.Join(got, "/"))
			}
		case pattern == "/letters/{slug}":
			paths = []string{w.path(t, pattern), "/letters/" + slugC}
		default:
			paths = []string{w.path(t, pattern)}
		}
		for _, p := range paths {
			for _, cl := range clients {
				res := ts.get(cl.c, p)
				res.Body.Close()
				ok[res.StatusCode]++
				if res.StatusCode >= 500 {
					t.Errorf("GET %s as %s: status %d", p, cl.name, res.StatusCode)
				}
			}
			after := tableStates(t, ts)
			if ch := changedTables(before, after); len(ch) > 0 {
				t.Errorf("GET %s (as every role and signed out) changed %s", p, strings.Join(ch, ", "))
				before = after
			}
		}
	}
	t.Logf("answers by status: %v", ok)
	// The walk reached real pages, not only refusals.
	if ok[http.StatusOK] < 150 {
		t.Errorf("only %d answers were 200", ok[http.StatusOK])
	}
}

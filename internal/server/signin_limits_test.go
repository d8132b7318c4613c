package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/htmltest"
	"github.com/ofsted/focusedvisits/internal/user"
)

// signInAll posts the sign-in forms all at once, each from its own client,
// and returns the statuses in order.
func signInAll(t *testing.T, ts *testServer, forms []url.Values, header func(i int) http.Header) []int {
	t.Helper()
	statuses := make([]int, len(forms))
	var start, done sync.WaitGroup
	start.Add(1)
	for i, f := range forms {
		done.Go(func() {
			req, err := http.NewRequest(http.MethodPost, ts.URL+"/sign-in", strings.NewReader(f.Encode()))
			if err != nil {
				t.Error(err)
				return
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if header != nil {
				for k, vs := range header(i) {
					req.Header[k] = vs
				}
			}
			start.Wait()
			res, err := ts.client().Do(req)
			if err != nil {
				t.Error(err)
				return
			}
			res.Body.Close()
			statuses[i] = res.StatusCode
		})
	}
	start.Done()
	done.Wait()
	return statuses
}

func countStatus(statuses []int, status int) int {
	n := 0
	for _, s := range statuses {
		if s == status {
			n++
		}
	}
	return n
}

func repeatForm(n int, email, password string) []url.Values {
	forms := make([]url.Values, n)
	for i := range forms {
		forms[i] = url.Values{"email": {email}, "password": {password}}
	}
	return forms
}

// TestSignIn_ParallelWrongPasswords: 50 wrong passwords for one account sent
// at once are counted before any is checked: at most SIGN_IN_MAX_FAILURES
// are checked (the rest refused unchecked), and the account is locked, so
// that 20 right passwords sent at once afterwards are all refused.
func TestSignIn_ParallelWrongPasswords(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, map[string]string{"SIGN_IN_MAX_FAILURES": "5"})
	ts.addUser(user.QAM, "qam@example.gov.uk")
	before := ts.App.Hasher().Stats().Computed

	got := signInAll(t, ts, repeatForm(50, "qam@example.gov.uk", "wrong password"), nil)
	checked, refused := countStatus(got, http.StatusUnprocessableEntity), countStatus(got, http.StatusTooManyRequests)
	if checked > 5 || checked+refused != 50 {
		t.Errorf("50 parallel wrong passwords: %d checked (422), %d refused (429), others %v; want at most 5 checked, the rest refused", checked, refused, got)
	}
	if n := ts.App.Hasher().Stats().Computed - before; n > 5 {
		t.Errorf("%d password hashes computed for 50 parallel wrong passwords, want at most 5", n)
	}

	// A loaded machine's busy hasher may have refused (429) some of the
	// burst before checking it, so that fewer than 5 failures counted: wrong
	// passwords one at a time, never waiting for the hasher, until the
	// account is locked (429) or 5 have been checked.
	for i := checked; i < 5; i++ {
		if res := ts.post(ts.client(), "/sign-in", url.Values{"email": {"qam@example.gov.uk"}, "password": {"wrong password"}}); res.StatusCode == http.StatusTooManyRequests {
			break
		}
	}
	got = signInAll(t, ts, repeatForm(20, "qam@example.gov.uk", testPassword), nil)
	if n := countStatus(got, http.StatusSeeOther); n != 0 || countStatus(got, http.StatusTooManyRequests) != 20 {
		t.Errorf("20 parallel right passwords on a locked account: %v; want all 429", got)
	}
}

// TestSignIn_AddressFailuresSlowNotRefuse: many failures from one address
// (one attacker, or many people behind one proxy) slow that address's
// answers but never refuse a right password for an account that is not
// locked.
func TestSignIn_AddressFailuresSlowNotRefuse(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, map[string]string{"SIGN_IN_MAX_FAILURES": "5", "SIGN_IN_ADDRESS_DELAY": "20ms"})
	ts.addUser(user.LeadInspector, "lead@example.gov.uk")
	for i := range 25 {
		res := ts.post(ts.client(), "/sign-in", url.Values{"email": {fmt.Sprintf("nobody%d@example.gov.uk", i)}, "password": {"guess"}})
		if res.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("failure %d: status %d, want 422", i+1, res.StatusCode)
		}
	}
	res := ts.post(ts.client(), "/sign-in", url.Values{"email": {"lead@example.gov.uk"}, "password": {testPassword}})
	if res.StatusCode != http.StatusSeeOther {
		t.Errorf("right password after 25 failures from the same address: status %d, want 303", res.StatusCode)
	}
}

// addressCounts returns the client addresses the sign-in limits counted.
func addressCounts(t *testing.T, ts *testServer) map[string]int {
	t.Helper()
	rows, err := ts.Pool.Query(context.Background(), `SELECT key, failures FROM sign_in_throttle WHERE kind = 'address'`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			t.Fatal(err)
		}
		out[k] = n
	}
	return out
}

// TestSignIn_ForwardedFor: X-Forwarded-For is believed only from a trusted
// proxy (TRUSTED_PROXIES); from anyone else it is ignored, so an attacker
// cannot spread their failures over made-up addresses.
func TestSignIn_ForwardedFor(t *testing.T) {
	t.Parallel()
	spoof := func(i int) http.Header {
		return http.Header{"X-Forwarded-For": {fmt.Sprintf("198.51.100.%d", i+1)}}
	}
	forms := make([]url.Values, 10)
	for i := range forms {
		forms[i] = url.Values{"email": {fmt.Sprintf("nobody%d@example.gov.uk", i)}, "password": {"guess"}}
	}

	// Sent at once, then one at a time again any that the busy hasher left
	// unchecked (429, never counted, by design): on a machine loaded by the
	// rest of the suite ten argon2id hashes on two slots can outwait
	// hashWait, and this test is about whose address is counted.
	send := func(ts *testServer) {
		for i, status := range signInAll(t, ts, forms, spoof) {
			for try := 0; status == http.StatusTooManyRequests && try < 10; try++ {
				status = signInAll(t, ts, forms[i:i+1], func(int) http.Header { return spoof(i) })[0]
			}
		}
	}
	untrusted := newTestServer(t, map[string]string{"SIGN_IN_ADDRESS_DELAY": "10ms"})
	send(untrusted)
	if got := addressCounts(t, untrusted); len(got) != 1 || got["127.0.0.1"] != 10 {
		t.Errorf("untrusted peer sending X-Forwarded-For: counted %v, want 10 failures for 127.0.0.1", got)
	}

	trusted := newTestServer(t, map[string]string{"SIGN_IN_ADDRESS_DELAY": "10ms", "TRUSTED_PROXIES": "127.0.0.0/8, ::1"})
	send(trusted)
	got := addressCounts(t, trusted)
	if len(got) != 10 || got["198.51.100.1"] != 1 || got["127.0.0.1"] != 0 {
		t.Errorf("through a trusted proxy: counted %v, want one failure for each forwarded address", got)
	}
}

// TestSignIn_BusyHasher: every password check, for a known account or an
// unknown email, goes through the same bounded hashing slots. When they stay
// taken, the answer is the GOV.UK "busy" page with 429 and Retry-After, and
// the unchecked attempts do not count against the account.
func TestSignIn_BusyHasher(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, map[string]string{"SIGN_IN_MAX_FAILURES": "5"})
	ts.addUser(user.SAO, "sao@example.gov.uk")
	h := ts.App.Hasher()

	// An unknown email costs one hash, as a known one does.
	before := h.Stats().Computed
	if res := ts.post(ts.client(), "/sign-in", url.Values{"email": {"nobody@example.gov.uk"}, "password": {"guess"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("unknown email: %d", res.StatusCode)
	}
	if res := ts.post(ts.client(), "/sign-in", url.Values{"email": {"sao@example.gov.uk"}, "password": {"guess"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("wrong password: %d", res.StatusCode)
	}
	if n := h.Stats().Computed - before; n != 2 {
		t.Errorf("%d hashes for an unknown email and a wrong password, want 2", n)
	}

	// Take every slot.
	var releases []func()
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		release, err := h.Acquire(ctx)
		cancel()
		if err != nil {
			break
		}
		releases = append(releases, release)
	}
	before = h.Stats().Computed
	forms := append(repeatForm(6, "sao@example.gov.uk", "still wrong"), url.Values{"email": {"nobody@example.gov.uk"}, "password": {"guess"}})
	if got := signInAll(t, ts, forms, nil); countStatus(got, http.StatusTooManyRequests) != len(forms) {
		t.Errorf("while every slot is taken: %v, want all 429", got)
	}
	res := ts.post(ts.client(), "/sign-in", url.Values{"email": {"sao@example.gov.uk"}, "password": {testPassword}})
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" {
		t.Errorf("busy: status %d Retry-After %q, want 429 with Retry-After", res.StatusCode, res.Header.Get("Retry-After"))
	}
	doc := parse(t, res)
	htmltest.CheckPage(t, doc)
	if got := htmltest.Text(doc.Find("h1")); got != "Sorry, the service is busy" {
		t.Errorf("busy page h1 %q", got)
	}
	if n := h.Stats().Computed - before; n != 0 {
		t.Errorf("%d hashes computed while every slot was taken", n)
	}
	for _, release := range releases {
		release()
	}

	// The six unchecked wrong passwords were not counted: one failure so
	// far, so the right password signs in.
	if res := ts.post(ts.client(), "/sign-in", url.Values{"email": {"sao@example.gov.uk"}, "password": {testPassword}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("right password once free: %d, want 303", res.StatusCode)
	}
}

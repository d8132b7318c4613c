package server_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/ofsted/focusedvisits/internal/dbtest"
	"github.com/ofsted/focusedvisits/internal/user"
)

// tracedPool is a pool on a fresh test database whose statements log records.
func tracedPool(t *testing.T, log *sqlLog) *pgxpool.Pool {
	t.Helper()
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
	return pool
}

// linkPath finds the link of the newest message of the template queued to
// the address (the outbox, until delivery lands) and returns its path.
func linkPath(t *testing.T, ts *testServer, template, to string) string {
	t.Helper()
	var subject, body string
	err := ts.Pool.QueryRow(context.Background(), `
		SELECT subject, body FROM outbox_messages WHERE template = $1 AND to_address = $2 ORDER BY id DESC LIMIT 1`,
		template, to).Scan(&subject, &body)
	if err != nil {
		t.Fatalf("no %s message to %s: %v", template, to, err)
	}
	m := regexp.MustCompile(`https?://[^/\s]+(/(?:invitations|reset-password)/[A-Za-z0-9_-]{43})\s`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("%s to %s has no link:\n%s", template, to, body)
	}
	return m[1]
}

// count runs a count(*) query.
func count(t *testing.T, ts *testServer, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := ts.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// personPath is the page of the person with the email address.
func personPath(t *testing.T, ts *testServer, email string) string {
	t.Helper()
	people, err := ts.Store.ListAccounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range people {
		if a.Email == email {
			return "/users/" + a.PublicID
		}
	}
	t.Fatalf("no person %s", email)
	return ""
}

// wantStatus fails unless res has the status, showing the error summary.
func wantStatus(t *testing.T, res *http.Response, status int, what string) string {
	t.Helper()
	body := readAll(t, res.Body)
	if res.StatusCode != status {
		t.Fatalf("%s: status %d, want %d\n%s", what, res.StatusCode, status, summaryOf(body))
	}
	return body
}

func summaryOf(body string) string {
	if i := strings.Index(body, "govuk-error-summary__list"); i >= 0 {
		return body[i:min(len(body), i+600)]
	}
	return ""
}

func choose(p string) url.Values {
	return url.Values{"new-password": {p}, "confirm-password": {p}}
}

// TestInvitation: an administrator invites a Cafcass deputy by email; the
// link lets them choose a password (not a common one) once, and signs them
// in; the invitation and its acceptance are recorded.
func TestInvitation(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	admin := ts.addUser(user.Admin, "admin@example.gov.uk")
	ac := ts.signIn(admin.Email)
	invite := url.Values{"name": {"Dee Deputy"}, "email": {"dee@cafcass.example"}, "role": {string(user.CafcassDeputy)}}
	res := ts.post(ac, "/users/invite", invite)
	wantStatus(t, res, http.StatusSeeOther, "invite")
	page := wantStatus(t, ts.get(ac, res.Header.Get("Location")), http.StatusOK, "person page")
	for _, want := range []string{"Invited", "Cafcass deputy", "Send the invitation again", "Works until"} {
		if !strings.Contains(page, want) {
			t.Errorf("person page lacks %q", want)
		}
	}
	wantStatus(t, ts.post(ac, "/users/invite", invite), http.StatusUnprocessableEntity, "the same email again")

	link := linkPath(t, ts, "user.invitation", "dee@cafcass.example")
	c := ts.client()
	body := wantStatus(t, ts.get(c, link), http.StatusOK, "open the invitation")
	if !strings.Contains(body, "Choose your password") || !strings.Contains(body, "Dee Deputy") {
		t.Errorf("invitation page: %s", body)
	}
	if b := wantStatus(t, ts.post(c, link, choose("1q2w3e4r5t6y")), http.StatusUnprocessableEntity, "a common password"); !strings.Contains(b, "too common") {
		t.Errorf("a common password: %s", summaryOf(b))
	}
	res = ts.post(c, link, choose("river otter kettle lamp"))
	wantStatus(t, res, http.StatusSeeOther, "choose a password")
	if loc := res.Header.Get("Location"); loc != "/" {
		t.Errorf("after choosing a password: %s, want /", loc)
	}
	home := parse(t, ts.get(c, "/"))
	if got := strings.TrimSpace(home.Find("h1").Text()); got != "Dee Deputy" {
		t.Errorf("start page h1 %q", got)
	}

	// The link works once.
	other := ts.client()
	wantStatus(t, ts.get(other, link), http.StatusNotFound, "the invitation opened again")
	wantStatus(t, ts.post(other, link, choose("another long password here")), http.StatusNotFound, "the invitation used twice")
	changes := wantStatus(t, ts.get(ac, "/users/changes"), http.StatusOK, "record of changes")
	for _, want := range []string{"Invited", "Dee Deputy, dee@cafcass.example, Cafcass deputy", "Invitation accepted"} {
		if !strings.Contains(changes, want) {
			t.Errorf("record of changes lacks %q", want)
		}
	}
}

// TestInvitation_ExpiredOrDeactivated: a link past INVITATION_TTL, or for a
// person deactivated since, does not work.
func TestInvitation_ExpiredOrDeactivated(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	admin := ts.addUser(user.Admin, "admin@example.gov.uk")
	ac := ts.signIn(admin.Email)
	for _, e := range []string{"late@ofsted.example", "gone@ofsted.example"} {
		wantStatus(t, ts.post(ac, "/users/invite", url.Values{"name": {"Pat"}, "email": {e}, "role": {string(user.SAO)}}), http.StatusSeeOther, "invite")
	}
	gone := linkPath(t, ts, "user.invitation", "gone@ofsted.example")
	wantStatus(t, ts.post(ac, personPath(t, ts, "gone@ofsted.example")+"/deactivate", nil), http.StatusSeeOther, "deactivate")
	wantStatus(t, ts.get(ts.client(), gone), http.StatusNotFound, "invitation of a deactivated person")
	wantStatus(t, ts.post(ts.client(), gone, choose("river otter kettle lamp")), http.StatusNotFound, "invitation of a deactivated person, used")

	late := linkPath(t, ts, "user.invitation", "late@ofsted.example")
	wantStatus(t, ts.get(ts.client(), late), http.StatusOK, "invitation in time")
	ts.advance(72*3600 + 60)
	wantStatus(t, ts.get(ts.client(), late), http.StatusNotFound, "expired invitation")
	wantStatus(t, ts.post(ts.client(), late, choose("river otter kettle lamp")), http.StatusNotFound, "expired invitation, used")
	if n := count(t, ts, `SELECT count(*) FROM users WHERE password_set_at IS NOT NULL AND email LIKE '%@ofsted.example'`); n != 0 {
		t.Errorf("%d passwords set through dead links", n)
	}
	// Sent again, the new link works and the old one does not.
	wantStatus(t, ts.post(ac, personPath(t, ts, "late@ofsted.example")+"/invitation", nil), http.StatusSeeOther, "send again")
	again := linkPath(t, ts, "user.invitation", "late@ofsted.example")
	if again == late {
		t.Fatal("the same link sent again")
	}
	wantStatus(t, ts.post(ts.client(), again, choose("river otter kettle lamp")), http.StatusSeeOther, "the new invitation")
}

// TestLastAdministrator: the last active administrator cannot be demoted
// or deactivated, by themselves or anyone; with two, one may go. Two
// administrators demoting each other at once leave one.
func TestLastAdministrator(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	a := ts.addUser(user.Admin, "a@example.gov.uk")
	ac := ts.signIn(a.Email)
	self := personPath(t, ts, a.Email)
	demote := url.Values{"role": {string(user.LeadInspector)}, "confirm": {"yes"}}
	if b := wantStatus(t, ts.post(ac, self+"/role", demote), http.StatusUnprocessableEntity, "demote the last administrator"); !strings.Contains(b, "last active administrator") {
		t.Errorf("refusal: %s", summaryOf(b))
	}
	wantStatus(t, ts.get(ac, self+"/role"), http.StatusUnprocessableEntity, "the role page of the last administrator")
	wantStatus(t, ts.post(ac, self+"/deactivate", nil), http.StatusUnprocessableEntity, "deactivate yourself")

	b := ts.addUser(user.Admin, "b@example.gov.uk")
	bc := ts.signIn(b.Email)
	other := personPath(t, ts, b.Email)
	var wg sync.WaitGroup
	statuses := make([]int, 2)
	for i, c := range []struct {
		client *http.Client
		path   string
	}{{ac, other + "/role"}, {bc, self + "/role"}} {
		wg.Go(func() {
			res := ts.post(c.client, c.path, demote)
			statuses[i] = res.StatusCode
		})
	}
	wg.Wait()
	if n := count(t, ts, `SELECT count(*) FROM users WHERE role = 'admin' AND active`); n != 1 {
		t.Fatalf("%d administrators after demoting each other at once (statuses %v), want 1", n, statuses)
	}
	if !(statuses[0] == http.StatusSeeOther) != (statuses[1] == http.StatusSeeOther) {
		t.Errorf("statuses %v: want one change, one refusal", statuses)
	}
	if n := count(t, ts, `SELECT count(*) FROM user_changes WHERE action = 'change_role'`); n != 1 {
		t.Errorf("%d role changes recorded, want 1", n)
	}
}

// TestDeactivate: a deactivated person's sessions and calendar link end at
// once; reactivated, they sign in again (the calendar link stays revoked).
// Each change is recorded with who, old and new.
func TestDeactivate(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	admin := ts.addUser(user.Admin, "admin@example.gov.uk")
	lead := ts.addUser(user.LeadInspector, "lead@example.gov.uk")
	ac, lc := ts.signIn(admin.Email), ts.signIn(lead.Email)
	raw := bytes.Repeat([]byte{9}, 32)
	hash := sha256.Sum256(raw)
	if _, err := ts.Store.SetCalendarToken(context.Background(), lead.ID, hash[:]); err != nil {
		t.Fatal(err)
	}
	feed := "/calendar/feed/" + base64.RawURLEncoding.EncodeToString(raw) + ".ics"
	wantStatus(t, ts.get(ts.client(), feed), http.StatusOK, "calendar feed")
	person := personPath(t, ts, lead.Email)
	page := wantStatus(t, ts.get(ac, person+"/deactivate"), http.StatusOK, "deactivate page")
	if !strings.Contains(page, "signed out everywhere") {
		t.Error("the deactivate page does not say what happens")
	}
	wantStatus(t, ts.post(ac, person+"/deactivate", nil), http.StatusSeeOther, "deactivate")
	if res := ts.get(lc, "/"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/sign-in") {
		t.Errorf("the deactivated person's session: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	wantStatus(t, ts.get(ts.client(), feed), http.StatusNotFound, "calendar feed after deactivation")
	wantStatus(t, ts.post(ts.client(), "/sign-in", url.Values{"email": {lead.Email}, "password": {testPassword}}), http.StatusUnprocessableEntity, "sign in deactivated")

	wantStatus(t, ts.post(ac, person+"/reactivate", nil), http.StatusSeeOther, "reactivate")
	ts.signIn(lead.Email)
	wantStatus(t, ts.get(ts.client(), feed), http.StatusNotFound, "calendar feed after reactivation")
	changes := wantStatus(t, ts.get(ac, "/users/changes"), http.StatusOK, "record of changes")
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(changes))
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	doc.Find("tbody tr").Each(func(_ int, r *goquery.Selection) {
		var cells []string
		r.Find("td").Each(func(_ int, c *goquery.Selection) { cells = append(cells, strings.TrimSpace(c.Text())) })
		rows = append(rows, strings.Join(cells, " "))
	})
	want := []string{"Reactivated Test admin Deactivated Active", "Deactivated Test admin Active Deactivated"}
	for i, w := range want {
		if i >= len(rows) || !strings.Contains(rows[i], w) {
			t.Errorf("change %d: %q, want it to contain %q", i, rows, w)
		}
	}
}

// TestChangeRole: the confirmation names what the person gains and loses;
// only once confirmed does the role change. A role at the other
// organisation is refused.
func TestChangeRole(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	admin := ts.addUser(user.Admin, "admin@example.gov.uk")
	lead := ts.addUser(user.LeadInspector, "lead@example.gov.uk")
	ac := ts.signIn(admin.Email)
	path := personPath(t, ts, lead.Email) + "/role"
	form := parse(t, ts.get(ac, path))
	var offered []string
	form.Find(`input[name="role"]`).Each(func(_ int, s *goquery.Selection) { v, _ := s.Attr("value"); offered = append(offered, v) })
	if strings.Join(offered, " ") != "admin team_inspector qam sao" {
		t.Errorf("roles offered: %v", offered)
	}
	confirm := wantStatus(t, ts.post(ac, path, url.Values{"role": {string(user.TeamInspector)}}), http.StatusOK, "choose a role")
	for _, want := range []string{"They will no longer be able to", "schedule visits", "Lead inspector to Team inspector"} {
		if !strings.Contains(confirm, want) {
			t.Errorf("confirmation lacks %q", want)
		}
	}
	if u, _ := ts.Store.GetUser(context.Background(), lead.ID); u.Role != user.LeadInspector {
		t.Fatalf("role changed before confirming: %s", u.Role)
	}
	wantStatus(t, ts.post(ac, path, url.Values{"role": {string(user.TeamInspector)}, "confirm": {"yes"}}), http.StatusSeeOther, "confirm")
	if u, _ := ts.Store.GetUser(context.Background(), lead.ID); u.Role != user.TeamInspector {
		t.Errorf("role %s after confirming", u.Role)
	}
	if b := wantStatus(t, ts.post(ac, path, url.Values{"role": {string(user.CafcassCEO)}, "confirm": {"yes"}}), http.StatusUnprocessableEntity, "a Cafcass role"); !strings.Contains(b, "its own account") {
		t.Errorf("refusal: %s", summaryOf(b))
	}
	if n := count(t, ts, `SELECT count(*) FROM user_changes WHERE action = 'change_role' AND old_value = 'Lead inspector' AND new_value = 'Team inspector' AND changed_by = $1`, admin.ID); n != 1 {
		t.Errorf("%d role changes recorded", n)
	}
}

// TestUnlock: an account locked by wrong passwords is shown locked and
// unlocked by an administrator; the right password then works at once.
func TestUnlock(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, map[string]string{"SIGN_IN_MAX_FAILURES": "3"})
	admin := ts.addUser(user.Admin, "admin@example.gov.uk")
	sao := ts.addUser(user.SAO, "sao@example.gov.uk")
	ac := ts.signIn(admin.Email)
	for range 3 {
		ts.post(ts.client(), "/sign-in", url.Values{"email": {sao.Email}, "password": {"not the password"}})
	}
	right := url.Values{"email": {sao.Email}, "password": {testPassword}}
	wantStatus(t, ts.post(ts.client(), "/sign-in", right), http.StatusTooManyRequests, "locked")
	person := personPath(t, ts, sao.Email)
	page := wantStatus(t, ts.get(ac, person), http.StatusOK, "person page")
	if !strings.Contains(page, "Locked") || !strings.Contains(page, "Unlock account") {
		t.Error("the person page does not show the lock or offer to unlock")
	}
	wantStatus(t, ts.post(ac, person+"/unlock", nil), http.StatusSeeOther, "unlock")
	wantStatus(t, ts.post(ts.client(), "/sign-in", right), http.StatusSeeOther, "sign in after unlock")
	wantStatus(t, ts.post(ac, person+"/unlock", nil), http.StatusUnprocessableEntity, "unlock an unlocked account")
	if n := count(t, ts, `SELECT count(*) FROM user_changes WHERE action = 'unlock'`); n != 1 {
		t.Errorf("%d unlocks recorded", n)
	}
}

// TestPasswordReset: a link sent by an administrator, or asked for on the
// sign-in page, works once and until it expires; using it ends every
// session of the person.
func TestPasswordReset(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	admin := ts.addUser(user.Admin, "admin@example.gov.uk")
	qam := ts.addUser(user.QAM, "qam@example.gov.uk")
	ac, qc := ts.signIn(admin.Email), ts.signIn(qam.Email)
	wantStatus(t, ts.post(ac, personPath(t, ts, qam.Email)+"/password-reset", nil), http.StatusSeeOther, "send a reset link")
	link := linkPath(t, ts, "user.password_reset", qam.Email)
	c := ts.client()
	wantStatus(t, ts.get(c, link), http.StatusOK, "open the link")
	res := ts.post(c, link, choose("a brand new long password"))
	wantStatus(t, res, http.StatusSeeOther, "choose a new password")
	if res.Header.Get("Location") != "/sign-in" {
		t.Errorf("after a reset: %s, want /sign-in", res.Header.Get("Location"))
	}
	if res := ts.get(qc, "/"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the session from before the reset: %d, want it ended", res.StatusCode)
	}
	wantStatus(t, ts.post(ts.client(), link, choose("yet another long password")), http.StatusNotFound, "the link used twice")
	wantStatus(t, ts.post(ts.client(), "/sign-in", url.Values{"email": {qam.Email}, "password": {"a brand new long password"}}), http.StatusSeeOther, "sign in with it")

	// Asked for on the sign-in page (at most once a minute for a person,
	// so the page cannot fill their inbox); expired after PASSWORD_RESET_TTL.
	if !strings.Contains(readAll(t, ts.get(ts.client(), "/sign-in").Body), `href="/forgot-password"`) {
		t.Error("the sign-in page has no forgotten-password link")
	}
	sao := ts.addUser(user.SAO, "sao@example.gov.uk")
	for range 3 {
		wantStatus(t, ts.post(ts.client(), "/forgot-password", url.Values{"email": {sao.Email}}), http.StatusOK, "forgot password")
	}
	if n := count(t, ts, `SELECT count(*) FROM outbox_messages WHERE to_address = $1`, sao.Email); n != 1 {
		t.Errorf("%d reset messages for three requests in a minute, want 1", n)
	}
	late := linkPath(t, ts, "user.password_reset", sao.Email)
	ts.advance(3600 + 60)
	wantStatus(t, ts.get(ts.client(), late), http.StatusNotFound, "an expired link")
	if n := count(t, ts, `SELECT count(*) FROM user_changes WHERE action = 'reset_password' AND changed_by IS NULL`); n != 1 {
		t.Errorf("%d resets recorded", n)
	}
}

// TestForgotPassword_SameAnswerSameWork: asking for a reset link for an
// unknown address answers the same page as for a known one, after the same
// work: the same statements sent to PostgreSQL (counted by a tracer) and
// one password hash computed; only the known one gets a message.
func TestForgotPassword_SameAnswerSameWork(t *testing.T) {
	t.Parallel()
	log := &sqlLog{}
	ts := newTestServerOn(t, nil, tracedPool(t, log))
	ts.addUser(user.CafcassCEO, "ceo@cafcass.example")
	h := ts.App.Hasher()
	nonce := regexp.MustCompile(`nonce="[^"]*"`)
	answer := func(email string) (int, string, []string, int64) {
		log.take()
		before := h.Stats().Computed
		res := ts.post(ts.client(), "/forgot-password", url.Values{"email": {email}})
		body := strings.ReplaceAll(nonce.ReplaceAllString(readAll(t, res.Body), ""), email, "EMAIL")
		return res.StatusCode, body, log.take(), h.Stats().Computed - before
	}
	s1, b1, q1, h1 := answer("ceo@cafcass.example")
	s2, b2, q2, h2 := answer("nobody@cafcass.example")
	if s1 != http.StatusOK || s1 != s2 || b1 != b2 {
		t.Errorf("known %d, unknown %d; pages equal: %v", s1, s2, b1 == b2)
	}
	if strings.Join(q1, "\n") != strings.Join(q2, "\n") {
		t.Errorf("a known address sent %d statements, an unknown one %d:\nknown:   %q\nunknown: %q", len(q1), len(q2), q1, q2)
	}
	t.Logf("known and unknown address: %d statements each, %d and %d hashes", len(q1), h1, h2)
	if h1 != 1 || h2 != 1 {
		t.Errorf("hashes computed: known %d, unknown %d, want 1 each", h1, h2)
	}
	if n := count(t, ts, `SELECT count(*) FROM outbox_messages WHERE template = 'user.password_reset'`); n != 1 {
		t.Errorf("%d reset messages queued, want 1", n)
	}
	if n := count(t, ts, `SELECT count(*) FROM outbox_messages WHERE to_address = 'nobody@cafcass.example'`); n != 0 {
		t.Errorf("%d messages to an unknown address", n)
	}
}

package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/user"
)

// withTwoFactor gives u an authenticator key (as set-up would) and returns
// its secret and recovery codes.
func withTwoFactor(t *testing.T, ts *testServer, u user.User) (string, []string) {
	t.Helper()
	k, err := user.NewTOTPKey(u.Email)
	if err != nil {
		t.Fatal(err)
	}
	codes, hashes, err := user.NewRecoveryCodes()
	if err != nil {
		t.Fatal(err)
	}
	if err := ts.Store.EnableTwoFactor(context.Background(), u.ID, k.Secret, 0, hashes); err != nil {
		t.Fatal(err)
	}
	return k.Secret, codes
}

// codeAt is the authenticator's code at the server's clock moved by d.
func codeAt(t *testing.T, ts *testServer, secret string, d time.Duration) string {
	t.Helper()
	c, err := user.TOTPCode(secret, ts.now().Add(d))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// passwordStep signs in with the password and checks where the second step
// starts.
func passwordStep(t *testing.T, ts *testServer, email, want string) *http.Client {
	t.Helper()
	c := ts.client()
	res := ts.post(c, "/sign-in", url.Values{"email": {email}, "password": {testPassword}})
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != want {
		t.Fatalf("password: %d %s, want 303 %s", res.StatusCode, res.Header.Get("Location"), want)
	}
	// Not signed in yet.
	if res := ts.get(c, "/"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/sign-in" {
		t.Fatalf("between the steps, / answered %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	return c
}

func code(c string) url.Values { return url.Values{"code": {c}} }

// TestTwoFactor_SetUpAtFirstSignIn: with REQUIRE_TWO_FACTOR, the first
// sign-in sets up the app from a QR code (a PNG data URL) or the key as
// text, shows ten recovery codes once, and signs in. Later sign-ins ask for
// a code; a code is good once; a recovery code works once.
func TestTwoFactor_SetUpAtFirstSignIn(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, map[string]string{"REQUIRE_TWO_FACTOR": "true"})
	lead := ts.addUser(user.LeadInspector, "lead@example.gov.uk")
	c := passwordStep(t, ts, lead.Email, "/sign-in/two-factor/set-up")
	doc := parse(t, ts.get(c, "/sign-in/two-factor/set-up"))
	if src, _ := doc.Find(`img[data-testid="totp-qr"]`).Attr("src"); !strings.HasPrefix(src, "data:image/png;base64,") {
		t.Fatalf("QR code src %.50q", src)
	}
	secret := strings.ReplaceAll(doc.Find(`[data-testid="totp-key"]`).Text(), " ", "")
	if len(secret) != 32 {
		t.Fatalf("key %q", secret)
	}
	// The same key on a second look (kept in the session until confirmed).
	if again := strings.ReplaceAll(parse(t, ts.get(c, "/sign-in/two-factor/set-up")).Find(`[data-testid="totp-key"]`).Text(), " ", ""); again != secret {
		t.Fatal("a new key on each look")
	}
	wrong := "000000"
	if codeAt(t, ts, secret, 0) == wrong {
		wrong = "111111"
	}
	wantStatus(t, ts.post(c, "/sign-in/two-factor/set-up", code(wrong)), http.StatusUnprocessableEntity, "a wrong code at set-up")
	// The very code used at set-up is tried again below: computed again,
	// it would be the next one if the 30-second step turned meanwhile
	// (which a loaded machine made happen in CI).
	setUpCode := codeAt(t, ts, secret, 0)
	res := ts.post(c, "/sign-in/two-factor/set-up", code(setUpCode))
	wantStatus(t, res, http.StatusSeeOther, "the right code at set-up")
	codes := parse(t, ts.get(c, res.Header.Get("Location"))).Find(`[data-testid="recovery-codes"] li`)
	if codes.Length() != 10 {
		t.Fatalf("%d recovery codes shown", codes.Length())
	}
	recovery := strings.TrimSpace(codes.First().Text())
	if parse(t, ts.get(c, "/account/recovery-codes")).Find(`[data-testid="recovery-codes"] li`).Length() != 0 {
		t.Error("recovery codes shown twice")
	}
	wantStatus(t, ts.get(c, "/"), http.StatusOK, "signed in")
	if n := count(t, ts, `SELECT count(*) FROM user_recovery_codes WHERE user_id = $1`, lead.ID); n != 10 {
		t.Errorf("%d recovery codes stored", n)
	}

	// Next time: a code, good once (the set-up's code is spent already).
	c2 := passwordStep(t, ts, lead.Email, "/sign-in/two-factor")
	wantStatus(t, ts.post(c2, "/sign-in/two-factor", code(setUpCode)), http.StatusUnprocessableEntity, "a code used twice")
	wantStatus(t, ts.post(c2, "/sign-in/two-factor", code(codeAt(t, ts, secret, 30*time.Second))), http.StatusSeeOther, "the next code")
	wantStatus(t, ts.get(c2, "/"), http.StatusOK, "signed in with a code")

	// A recovery code instead: once.
	c3 := passwordStep(t, ts, lead.Email, "/sign-in/two-factor")
	wantStatus(t, ts.post(c3, "/sign-in/two-factor", code(strings.ToUpper(recovery))), http.StatusSeeOther, "a recovery code")
	if body := readAll(t, ts.get(c3, "/").Body); !strings.Contains(body, "You have 9 left") {
		t.Error("no word of the recovery codes left")
	}
	c4 := passwordStep(t, ts, lead.Email, "/sign-in/two-factor")
	wantStatus(t, ts.post(c4, "/sign-in/two-factor", code(recovery)), http.StatusUnprocessableEntity, "a recovery code used twice")
}

// TestTwoFactor_WrongCodesLockOut: wrong codes count towards the lock-out
// as wrong passwords do, and entering the right password again does not
// start the count again.
func TestTwoFactor_WrongCodesLockOut(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, map[string]string{"SIGN_IN_MAX_FAILURES": "3"})
	sao := ts.addUser(user.SAO, "sao@example.gov.uk")
	secret, _ := withTwoFactor(t, ts, sao)
	wrong := "000000"
	if codeAt(t, ts, secret, 0) == wrong || codeAt(t, ts, secret, -30*time.Second) == wrong || codeAt(t, ts, secret, 30*time.Second) == wrong {
		wrong = "999999"
	}
	c := passwordStep(t, ts, sao.Email, "/sign-in/two-factor")
	for range 2 {
		wantStatus(t, ts.post(c, "/sign-in/two-factor", code(wrong)), http.StatusUnprocessableEntity, "a wrong code")
	}
	c = passwordStep(t, ts, sao.Email, "/sign-in/two-factor")
	wantStatus(t, ts.post(c, "/sign-in/two-factor", code(wrong)), http.StatusUnprocessableEntity, "the third wrong code")
	res := ts.post(c, "/sign-in/two-factor", code(codeAt(t, ts, secret, 0)))
	if b := wantStatus(t, res, http.StatusTooManyRequests, "the right code once locked"); !strings.Contains(b, "too many times") || res.Header.Get("Retry-After") == "" {
		t.Errorf("locked answer: %s", summaryOf(b))
	}
	wantStatus(t, ts.post(ts.client(), "/sign-in", url.Values{"email": {sao.Email}, "password": {testPassword}}), http.StatusTooManyRequests, "the right password once locked")
}

// TestTwoFactor_AdminReset: an administrator resets a person's second
// factor: recorded, the person told by email and signed out everywhere;
// their next sign-in sets it up again.
func TestTwoFactor_AdminReset(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, map[string]string{"REQUIRE_TWO_FACTOR": "true"})
	admin := ts.addUser(user.Admin, "admin@example.gov.uk")
	qam := ts.addUser(user.QAM, "qam@example.gov.uk")
	withTwoFactor(t, ts, admin)
	secret, _ := withTwoFactor(t, ts, qam)
	ac := passwordStep(t, ts, admin.Email, "/sign-in/two-factor")
	wantStatus(t, ts.post(ac, "/sign-in/two-factor", code(codeAt(t, ts, mustSecret(t, ts, admin), 0))), http.StatusSeeOther, "admin's code")
	qc := passwordStep(t, ts, qam.Email, "/sign-in/two-factor")
	wantStatus(t, ts.post(qc, "/sign-in/two-factor", code(codeAt(t, ts, secret, 0))), http.StatusSeeOther, "QAM's code")

	person := personPath(t, ts, qam.Email)
	if !strings.Contains(readAll(t, ts.get(ac, person).Body), "Reset second factor") {
		t.Fatal("reset not offered")
	}
	wantStatus(t, ts.post(ac, person+"/two-factor/reset", nil), http.StatusSeeOther, "reset")
	if res := ts.get(qc, "/"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the QAM's session after the reset: %d, want it ended", res.StatusCode)
	}
	if n := count(t, ts, `SELECT count(*) FROM outbox_messages WHERE template = 'user.two_factor_reset' AND to_address = $1`, qam.Email); n != 1 {
		t.Errorf("%d messages about the reset", n)
	}
	if n := count(t, ts, `SELECT count(*) FROM user_changes WHERE action = 'reset_two_factor' AND changed_by = $1`, admin.ID); n != 1 {
		t.Errorf("%d resets recorded", n)
	}
	passwordStep(t, ts, qam.Email, "/sign-in/two-factor/set-up")
}

func mustSecret(t *testing.T, ts *testServer, u user.User) string {
	t.Helper()
	tf, err := ts.Store.GetTwoFactor(context.Background(), u.ID)
	if err != nil {
		t.Fatal(err)
	}
	return tf.Secret
}

// TestTwoFactor_AskedEvenWhenNotRequired: without REQUIRE_TWO_FACTOR, a
// person who has set up a second factor is still asked for it; one who has
// not signs in with the password.
func TestTwoFactor_AskedEvenWhenNotRequired(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	with := ts.addUser(user.TeamInspector, "with@example.gov.uk")
	ts.addUser(user.TeamInspector, "without@example.gov.uk")
	withTwoFactor(t, ts, with)
	passwordStep(t, ts, with.Email, "/sign-in/two-factor")
	ts.signIn("without@example.gov.uk")
}

// TestAccountSessions: your account lists where you are signed in (device,
// last seen); ending another session signs it out at once.
func TestAccountSessions(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	lead := ts.addUser(user.LeadInspector, "lead@example.gov.uk")
	other := ts.addUser(user.SAO, "sao@example.gov.uk")
	here := ts.signIn(lead.Email)
	there := ts.client()
	req, _ := http.NewRequest(http.MethodPost, ts.URL+"/sign-in", strings.NewReader(url.Values{"email": {lead.Email}, "password": {testPassword}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("User-Agent", "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0")
	res, err := there.Do(req)
	if err != nil || res.StatusCode != http.StatusSeeOther {
		t.Fatalf("second sign-in: %v %v", res, err)
	}
	res.Body.Close()
	doc := parse(t, ts.get(here, "/account"))
	rows := doc.Find("tbody tr")
	if rows.Length() != 2 || !strings.Contains(rows.Text(), "Firefox on Windows") || !strings.Contains(rows.Text(), "This session") {
		t.Fatalf("sessions listed: %q", rows.Text())
	}
	end, ok := doc.Find(`form[action^="/account/sessions/"]`).Attr("action")
	if !ok {
		t.Fatal("no session can be ended")
	}
	// Not someone else's: their own page never lists it, and posting it is 404.
	wantStatus(t, ts.post(ts.signIn(other.Email), end, nil), http.StatusNotFound, "another person's session")
	wantStatus(t, ts.post(here, end, nil), http.StatusSeeOther, "end the other session")
	if res := ts.get(there, "/"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the ended session: %d, want signed out", res.StatusCode)
	}
	wantStatus(t, ts.get(here, "/"), http.StatusOK, "this session")
	if n := parse(t, ts.get(here, "/account")).Find("tbody tr").Length(); n != 1 {
		t.Errorf("%d sessions listed after ending one", n)
	}
}

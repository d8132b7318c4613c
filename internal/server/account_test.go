package server_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ofsted/focusedvisits/internal/htmltest"
	"github.com/ofsted/focusedvisits/internal/user"
)

const newTestPassword = "a different horse, battery and staple"

func passwordChange(current, next, confirm string) url.Values {
	return url.Values{"current-password": {current}, "new-password": {next}, "confirm-password": {confirm}}
}

func TestAccountPassword_EndsEveryOtherSession(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	ts.addUser(user.LeadInspector, "lead@example.gov.uk")
	here := ts.signIn("lead@example.gov.uk")
	elsewhere := ts.signIn("lead@example.gov.uk")
	u, _ := url.Parse(ts.URL)
	before := here.Jar.Cookies(u)

	if res := ts.get(here, "/account/password"); res.StatusCode != http.StatusOK {
		t.Fatalf("GET /account/password: %d", res.StatusCode)
	}
	res := ts.post(here, "/account/password", passwordChange(testPassword, newTestPassword, newTestPassword))
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		t.Fatalf("change password: %d %q", res.StatusCode, res.Header.Get("Location"))
	}

	// This client carries on, under a new token, with the confirmation.
	res = ts.get(here, "/")
	if res.StatusCode != http.StatusOK {
		t.Fatalf("same client after the change: %d, want 200", res.StatusCode)
	}
	if got := htmltest.Text(parse(t, res).Find(".govuk-notification-banner")); !strings.Contains(got, "Your password has been changed") {
		t.Errorf("no confirmation: %q", got)
	}
	after := here.Jar.Cookies(u)
	if len(before) == 0 || len(after) == 0 || before[0].Value == after[0].Value {
		t.Errorf("session token not renewed")
	}
	// The other client, and the old token of this one, are signed out.
	if res := ts.get(elsewhere, "/"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/sign-in") {
		t.Errorf("other session after the change: %d %q, want 303 to sign-in", res.StatusCode, res.Header.Get("Location"))
	}
	stale := ts.client()
	stale.Jar.SetCookies(u, before)
	if res := ts.get(stale, "/"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("old token after the change: %d, want 303", res.StatusCode)
	}
	// The old password no longer works; the new one does.
	if res := ts.post(ts.client(), "/sign-in", url.Values{"email": {"lead@example.gov.uk"}, "password": {testPassword}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("old password: %d, want 422", res.StatusCode)
	}
	if res := ts.post(ts.client(), "/sign-in", url.Values{"email": {"lead@example.gov.uk"}, "password": {newTestPassword}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("new password: %d, want 303", res.StatusCode)
	}
}

func TestAccountPassword_Validation(t *testing.T) {
	t.Parallel()
	ts := newTestServer(t, nil)
	ts.addUser(user.CafcassCEO, "ceo@example.gov.uk")
	c := ts.signIn("ceo@example.gov.uk")
	other := ts.signIn("ceo@example.gov.uk")
	for _, tc := range []struct {
		name   string
		form   url.Values
		status int
		errs   []string
	}{
		{"nothing entered", passwordChange("", "", ""), 422, []string{"#current-password", "#new-password"}},
		{"wrong current password", passwordChange("not my password", newTestPassword, newTestPassword), 422, []string{"#current-password"}},
		{"too short", passwordChange(testPassword, "short", "short"), 422, []string{"#new-password"}},
		{"too long", passwordChange(testPassword, strings.Repeat("x", 257), strings.Repeat("x", 257)), 422, []string{"#new-password"}},
		{"same as before", passwordChange(testPassword, testPassword, testPassword), 422, []string{"#new-password"}},
		{"not confirmed", passwordChange(testPassword, newTestPassword, ""), 422, []string{"#confirm-password"}},
		{"confirmation differs", passwordChange(testPassword, newTestPassword, newTestPassword+"!"), 422, []string{"#confirm-password"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := ts.post(c, "/account/password", tc.form)
			if res.StatusCode != tc.status {
				t.Fatalf("status %d, want %d", res.StatusCode, tc.status)
			}
			doc := parse(t, res)
			htmltest.CheckPage(t, doc)
			for _, href := range tc.errs {
				if doc.Find(`.govuk-error-summary__list a[href="`+href+`"]`).Length() != 1 {
					t.Errorf("no error summary link to %s", href)
				}
			}
		})
	}
	// Nothing changed: the other session still works, the old password too.
	if res := ts.get(other, "/"); res.StatusCode != http.StatusOK {
		t.Errorf("other session after refused changes: %d, want 200", res.StatusCode)
	}
	if res := ts.post(ts.client(), "/sign-in", url.Values{"email": {"ceo@example.gov.uk"}, "password": {testPassword}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("old password after refused changes: %d, want 303", res.StatusCode)
	}
}

package browsertest_test

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"github.com/ofsted/focusedvisits/internal/browsertest"
	"github.com/ofsted/focusedvisits/internal/jobs"
	"github.com/ofsted/focusedvisits/internal/mailer"
	"github.com/ofsted/focusedvisits/internal/mailtest"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// totpCode is what an authenticator app shows for the key (as the
// set-up page shows it, in groups) at t: 6 digits, every 30 seconds, SHA-1.
func totpCode(t *testing.T, key string, at time.Time) string {
	t.Helper()
	code, err := totp.GenerateCodeCustom(strings.Join(strings.Fields(key), ""), at,
		totp.ValidateOpts{Period: 30, Digits: otp.DigitsSix, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		t.Fatalf("computing the code for the key %q: %v", key, err)
	}
	return code
}

// invitationLink finds the link in the one message the mail server holds
// for the address.
var invitationLink = regexp.MustCompile(`https?://\S+/invitations/[A-Za-z0-9_-]{43}`)

// TestInvitationToStartPage is issue 14's browser test: with two-factor
// required, an administrator (signing in with their password and a code)
// invites a Cafcass deputy; the deliver_messages job sends the invitation
// through the service's mailer to a real SMTP server; the deputy opens the
// link from that email, chooses a password, sets up the authenticator app
// from the key shown as text (the test computes the code at the app's
// clock), sees their recovery codes once and reaches their start page.
// axe-core checks every page on the way.
func TestInvitationToStartPage(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	smtp := mailtest.Start(t)
	// The app's clock stands still, so the codes the test computes are the
	// codes of the app's time step.
	now := time.Now().In(london).Truncate(time.Second)
	clock := func() time.Time { return now }
	const adminKey = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
	a := startDemoAppEnv(t, map[string]string{
		"REQUIRE_TWO_FACTOR": "true",
		"SMTP_URL":           "smtp://" + smtp.Addr(), "SMTP_TLS": "none",
		"SMTP_FROM": "Ofsted focused visits <fv@ofsted.example>", "SMTP_TIMEOUT": "2s",
	}, workday.DateOf(now), clock, func(a *demoApp) {
		// The administrator set up their app earlier.
		if err := a.Store.EnableTwoFactor(ctx, a.User(t, user.Admin).ID, adminKey, 0, nil); err != nil {
			t.Fatal(err)
		}
	})
	if !a.Config.RequireTwoFactor || !a.Config.SMTP.Enabled() {
		t.Fatalf("the app must require two-factor and send email: %+v", a.Config)
	}
	admin := a.ByRole[user.Admin]
	const name, email = "Dev Deputy", "dev.deputy@cafcass.example"

	b := browsertest.New(t, a.URL)
	b.Visit("/sign-in")
	b.Fill("#email", admin.Email)
	b.Fill("#password", admin.Password)
	b.Submit(signInButton)
	if got := b.Path(); got != "/sign-in/two-factor" {
		t.Fatalf("with two-factor required, the administrator's password led to %s, want /sign-in/two-factor", got)
	}
	wantAttr(t, b, "#code", "autocomplete", "one-time-code")
	b.Fill("#code", totpCode(t, adminKey, now))
	b.Submit(mainSubmit)
	if got := b.Path(); got != "/" {
		t.Fatalf("after the administrator's code, at %s, want /", got)
	}

	b.Visit("/users/invite")
	wantText(t, b, "h1", "Invite a person")
	b.Fill("#name", name)
	b.Fill("#email", email)
	tick(t, b, "role", user.CafcassDeputy.Label())
	b.Screenshot("invite")
	b.Submit(mainSubmit)
	wantFlash(t, b, "Invitation sent to "+email)
	wantText(t, b, "h1", name)
	signOut(t, b)

	// The scheduled jobs send the outbox through the mailer, as the
	// service's runner does.
	m, err := mailer.New(a.Config.SMTP, a.Config.BaseURL.Hostname())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := jobs.RunDue(ctx, jobs.Config{Store: a.Store, Now: clock, Mailer: m, MailAttempts: a.Config.SMTP.MaxAttempts}); err != nil {
		t.Fatal(err)
	}
	var link string
	for _, msg := range smtp.Messages() {
		for _, to := range msg.To {
			if to != email {
				continue
			}
			if link != "" {
				t.Fatalf("more than one message reached %s", email)
			}
			link = invitationLink.FindString(msg.Body)
			if link == "" {
				t.Fatalf("the message to %s (%q) has no invitation link:\n%s", email, msg.Subject, msg.Body)
			}
		}
	}
	if link == "" {
		t.Fatalf("no message reached %s; the server holds %d", email, len(smtp.Messages()))
	}
	if !strings.HasPrefix(link, a.URL+"/") {
		t.Errorf("the link %s is not on the app's address %s", link, a.URL)
	}

	// The deputy opens the link in a browser of their own.
	d := browsertest.New(t, a.URL)
	d.Visit(link)
	wantText(t, d, "h1", "Choose your password")
	wantText(t, d, "main", email)
	wantAttr(t, d, "#new-password", "autocomplete", "new-password")
	wantAttr(t, d, "#confirm-password", "autocomplete", "new-password")
	// A blank form shows the GOV.UK error summary, linked to the field.
	d.Submit(mainSubmit)
	wantText(t, d, ".govuk-error-summary", "Enter a password")
	if n := d.Count(`.govuk-error-summary__list a[href="#new-password"]`); n != 1 {
		t.Errorf("the error summary has %d links to #new-password, want 1", n)
	}
	const password = "lantern orchard velvet compass"
	d.Fill("#new-password", password)
	d.Fill("#confirm-password", password)
	d.Submit(mainSubmit)

	if got := d.Path(); got != "/sign-in/two-factor/set-up" {
		t.Fatalf("after choosing a password, at %s, want the authenticator app's set-up", got)
	}
	wantText(t, d, "h1", "Set up your authenticator app")
	wantAttr(t, d, "#code", "autocomplete", "one-time-code")
	wantAttr(t, d, "#code", "inputmode", "numeric")
	key := d.Text(`[data-testid="totp-key"]`)
	if len(strings.Join(strings.Fields(key), "")) != 32 {
		t.Fatalf("the key shown is %q, want 32 base-32 characters", key)
	}
	// A wrong code is refused with the error summary.
	d.Fill("#code", "000000")
	if totpCode(t, key, now) == "000000" {
		d.Fill("#code", "111111")
	}
	d.Submit(mainSubmit)
	wantText(t, d, ".govuk-error-summary", "The code is not right")
	if n := d.Count(`.govuk-error-summary__list a[href="#code"]`); n != 1 {
		t.Errorf("the error summary has %d links to #code, want 1", n)
	}
	if got := d.Text(`[data-testid="totp-key"]`); got != key {
		t.Errorf("after a wrong code the key shown is %q, want the same key %q", got, key)
	}
	d.Fill("#code", totpCode(t, key, now))
	d.Screenshot("set-up")
	d.Submit(mainSubmit)

	if got := d.Path(); got != "/account/recovery-codes" {
		t.Fatalf("after the right code, at %s, want the recovery codes", got)
	}
	if n := d.Count(`[data-testid="recovery-codes"] li`); n != user.RecoveryCodeCount {
		t.Errorf("%d recovery codes shown, want %d", n, user.RecoveryCodeCount)
	}
	d.Screenshot("recovery-codes")
	d.Follow(`main a.govuk-button`)
	if got := d.Path(); got != "/" {
		t.Fatalf("the recovery codes' Continue led to %s, want the start page", got)
	}
	if got := d.Text(`[data-testid="signed-in-user"]`); got != name {
		t.Errorf("header shows %q, want %q", got, name)
	}
	wantText(t, d, "h1", name)
	d.Screenshot("start-page")
}

// wantAttr fails the test unless the element's attribute reads want.
func wantAttr(t *testing.T, b *browsertest.Browser, selector, attr, want string) {
	t.Helper()
	var got *string
	b.Eval(`(() => { const e = document.querySelector(`+jsQuote(selector)+`); return e && e.getAttribute(`+jsQuote(attr)+`); })()`, &got)
	switch {
	case got == nil:
		t.Errorf("on %s: %s has no %s, want %q", b.Path(), selector, attr, want)
	case *got != want:
		t.Errorf("on %s: %s has %s=%q, want %q", b.Path(), selector, attr, *got, want)
	}
}

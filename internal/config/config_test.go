package config_test

import (
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/config"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestLoad_Defaults(t *testing.T) {
	c, err := config.Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Env != config.Development || c.Addr != ":8080" || c.DataDir != ".data" || !c.MigrateOnStart || !c.DemoData {
		t.Errorf("defaults: %+v", c)
	}
	if c.SecureCookies() {
		t.Error("secure cookies over http")
	}
	if c.SessionEncoding != "compact" {
		t.Errorf("session encoding %q, want compact", c.SessionEncoding)
	}
	if c.SignInMaxFailures != 5 || c.SignInLockout != 15*time.Minute {
		t.Errorf("throttle defaults: %d %v", c.SignInMaxFailures, c.SignInLockout)
	}
}

func TestLoad_ReportsEveryProblem(t *testing.T) {
	_, err := config.Load(env(map[string]string{
		"APP_ENV":              "staging",
		"BASE_URL":             "ftp://x",
		"SESSION_LIFETIME":     "forever",
		"SIGN_IN_MAX_FAILURES": "0",
		"LOG_LEVEL":            "loud",
		"SESSION_ENCODING":     "json",
	}))
	if err == nil {
		t.Fatal("no error")
	}
	for _, key := range []string{"APP_ENV", "BASE_URL", "SESSION_LIFETIME", "SIGN_IN_MAX_FAILURES", "LOG_LEVEL", "SESSION_ENCODING"} {
		if !strings.Contains(err.Error(), key) {
			t.Errorf("error does not mention %s: %v", key, err)
		}
	}
}

func TestLoad_Production(t *testing.T) {
	_, err := config.Load(env(map[string]string{"APP_ENV": "production"}))
	if err == nil || !strings.Contains(err.Error(), "DATABASE_URL") || !strings.Contains(err.Error(), "BASE_URL") {
		t.Errorf("production without a database or https: %v", err)
	}
	c, err := config.Load(env(map[string]string{"APP_ENV": "production", "DATABASE_URL": "postgres://db/fv", "BASE_URL": "https://fv.example.gov.uk"}))
	if err != nil {
		t.Fatal(err)
	}
	if c.DemoData || !c.SecureCookies() || c.LogFormat != "json" {
		t.Errorf("production: %+v", c)
	}
}

// TestREADMEListsEverySetting keeps the README's settings table in step with Load.
func TestREADMEListsEverySetting(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range config.Keys {
		if !strings.Contains(string(b), "| `"+k+"`") {
			t.Errorf("README.md's settings table has no row for %s", k)
		}
	}
}

func TestLoad_ImportLimits(t *testing.T) {
	c, err := config.Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.ImportMaxRows != 300_000 || c.ImportMaxUnzipped != 500<<20 || c.ImportMaxPart != 32<<20 || c.ImportMaxLine != 64<<10 ||
		c.ImportMaxConcurrent < 1 || c.ImportQueueWait != 30*time.Second {
		t.Errorf("import defaults: %+v", c)
	}
	c, err = config.Load(env(map[string]string{"IMPORT_QUEUE_WAIT": "0s", "IMPORT_MAX_CONCURRENT": "1"}))
	if err != nil || c.ImportQueueWait != 0 || c.ImportMaxConcurrent != 1 {
		t.Errorf("no wait, one at a time: %v %+v", err, c)
	}
	_, err = config.Load(env(map[string]string{"IMPORT_MAX_PART_BYTES": "4194304", "IMPORT_MAX_UNZIPPED_BYTES": "2097152", "IMPORT_QUEUE_WAIT": "-1s", "IMPORT_MAX_ROWS": "0"}))
	for _, key := range []string{"IMPORT_MAX_PART_BYTES must not", "IMPORT_QUEUE_WAIT", "IMPORT_MAX_ROWS"} {
		if err == nil || !strings.Contains(err.Error(), key) {
			t.Errorf("error does not mention %s: %v", key, err)
		}
	}
}

// TestLoad_TwoFactor: required by default in production, where it cannot be
// turned off; off by default in development, and can be turned on there.
func TestLoad_TwoFactor(t *testing.T) {
	prod := map[string]string{"APP_ENV": "production", "DATABASE_URL": "postgres://db/fv", "BASE_URL": "https://fv.example.gov.uk"}
	c, err := config.Load(env(prod))
	if err != nil || !c.RequireTwoFactor {
		t.Fatalf("production default: %v %v", c.RequireTwoFactor, err)
	}
	prod["REQUIRE_TWO_FACTOR"] = "false"
	if _, err := config.Load(env(prod)); err == nil || !strings.Contains(err.Error(), "REQUIRE_TWO_FACTOR") {
		t.Errorf("production without two-factor: %v", err)
	}
	c, err = config.Load(env(nil))
	if err != nil || c.RequireTwoFactor || c.InvitationTTL != 72*time.Hour || c.PasswordResetTTL != time.Hour {
		t.Errorf("development defaults: %v %v %v %v", c.RequireTwoFactor, c.InvitationTTL, c.PasswordResetTTL, err)
	}
	if c, err := config.Load(env(map[string]string{"REQUIRE_TWO_FACTOR": "true"})); err != nil || !c.RequireTwoFactor {
		t.Errorf("development asking for it: %v %v", c.RequireTwoFactor, err)
	}
}

func TestLoad_SMTP(t *testing.T) {
	c, err := config.Load(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.SMTP.Enabled() || c.SMTP.String() != "none" || c.ReminderWorkingDays != 2 || c.SMTP.MaxAttempts != 10 || c.SMTP.Timeout != 10*time.Second {
		t.Errorf("defaults: no mail server, reminders 2 working days before: %+v %d", c.SMTP, c.ReminderWorkingDays)
	}
	for _, tc := range []struct {
		name string
		env  map[string]string
		want config.SMTP
	}{
		{"smtp: STARTTLS on 587", map[string]string{"SMTP_URL": "smtp://relay.example.gov.uk", "SMTP_FROM": "fv@ofsted.example"},
			config.SMTP{Host: "relay.example.gov.uk", Port: 587, TLS: "starttls", From: "fv@ofsted.example"}},
		{"smtps: TLS on 465, login from the URL", map[string]string{"SMTP_URL": "smtps://fv:s%40cret@mail.example:2465", "SMTP_FROM": "Focused visits <fv@ofsted.example>"},
			config.SMTP{Host: "mail.example", Port: 2465, TLS: "tls", Username: "fv", Password: "s@cret", From: "Focused visits <fv@ofsted.example>"}},
		{"no TLS, login from its own settings", map[string]string{"SMTP_URL": "smtp://127.0.0.1:1025", "SMTP_TLS": "none", "SMTP_FROM": "fv@localhost",
			"SMTP_USERNAME": "u", "SMTP_PASSWORD": " p w "},
			config.SMTP{Host: "127.0.0.1", Port: 1025, TLS: "none", Username: "u", Password: " p w ", From: "fv@localhost"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := config.Load(env(tc.env))
			if err != nil {
				t.Fatal(err)
			}
			got := c.SMTP
			got.Timeout, got.MaxAttempts = 0, 0
			if got != tc.want || !c.SMTP.Enabled() || strings.Contains(c.SMTP.String(), tc.want.Password+"@") && tc.want.Password != "" {
				t.Errorf("got %+v, want %+v (%s)", got, tc.want, c.SMTP)
			}
		})
	}
	for _, tc := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"SMTP_URL": "http://mail.example", "SMTP_FROM": "a@b.example"}, "SMTP_URL"},
		{map[string]string{"SMTP_URL": "smtp://fv:secret@mail.example:99999", "SMTP_FROM": "a@b.example"}, "SMTP_URL"},
		{map[string]string{"SMTP_URL": "smtp://mail.example"}, "SMTP_FROM"},
		{map[string]string{"SMTP_URL": "smtp://mail.example", "SMTP_FROM": "not an address"}, "SMTP_FROM"},
		{map[string]string{"SMTP_URL": "smtp://mail.example", "SMTP_FROM": "a@b.example", "SMTP_TLS": "ssl"}, "SMTP_TLS"},
		{map[string]string{"SMTP_FROM": "a@b.example"}, "SMTP_FROM: set SMTP_URL"},
		{map[string]string{"SMTP_TIMEOUT": "soon", "SMTP_MAX_ATTEMPTS": "0", "REMINDER_WORKING_DAYS": "-1"}, "SMTP_TIMEOUT"},
	} {
		_, err := config.Load(env(tc.env))
		if err == nil || !strings.Contains(err.Error(), tc.want) || strings.Contains(err.Error(), "secret") {
			t.Errorf("%v: %v, want an error naming %s (and no password)", tc.env, err, tc.want)
		}
	}
}

// TestLoad_PprofAddr: profiles are served only on a loopback address.
func TestLoad_PprofAddr(t *testing.T) {
	for addr, ok := range map[string]bool{"": true, "127.0.0.1:6060": true, "localhost:6060": true, "[::1]:6060": true,
		"0.0.0.0:6060": false, ":6060": false, "10.0.0.1:6060": false, "127.0.0.1": false} {
		c, err := config.Load(env(map[string]string{"PPROF_ADDR": addr}))
		if (err == nil) != ok || err == nil && c.PprofAddr != addr {
			t.Errorf("PPROF_ADDR=%q: %q, %v", addr, c.PprofAddr, err)
		}
	}
}

// Package config reads every setting of the service from the environment, in
// one place, with defaults and validation.
package config

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/mail"
	"net/netip"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Env is the kind of deployment.
type Env string

const (
	Development Env = "development"
	Production  Env = "production"
)

// Config is every setting. The README lists each one; a test keeps the two
// in step.
type Config struct {
	Env                Env           // APP_ENV
	Addr               string        // ADDR
	BaseURL            *url.URL      // BASE_URL
	DatabaseURL        string        // DATABASE_URL; "" means the private cluster under DataDir
	DataDir            string        // DATA_DIR
	MigrateOnStart     bool          // MIGRATE_ON_START
	DemoData           bool          // DEMO_DATA
	SessionIdleTimeout time.Duration // SESSION_IDLE_TIMEOUT
	SessionLifetime    time.Duration // SESSION_LIFETIME
	// SessionEncoding is how sessions are written (SESSION_ENCODING):
	// "compact" (store.SessionCodec's own form) or "gob" (the form releases
	// before 2 December 2026 read). Both forms are always read.
	SessionEncoding   string
	SignInMaxFailures int           // SIGN_IN_MAX_FAILURES
	SignInLockout     time.Duration // SIGN_IN_LOCKOUT
	LogLevel          slog.Level    // LOG_LEVEL
	LogFormat         string        // LOG_FORMAT: text or json
	ShutdownTimeout   time.Duration // SHUTDOWN_TIMEOUT
	DBMaxConns        int           // DB_MAX_CONNS
	UploadMaxBytes    int64         // UPLOAD_MAX_BYTES: per-file size limit
	// ChildDataRetention is how long after a visit's letter is published its
	// child-level data and uploaded files are kept (CHILD_DATA_RETENTION_DAYS).
	ChildDataRetention time.Duration
	// FormBodyTimeout is how long the body of an ordinary form (not an
	// upload) may take to arrive (FORM_BODY_TIMEOUT).
	FormBodyTimeout time.Duration
	// SignInAddressDelay is the longest a client address's sign-in answers
	// are held back once it has made many failures (SIGN_IN_ADDRESS_DELAY).
	SignInAddressDelay time.Duration
	// TrustedProxies are the proxies whose X-Forwarded-For is believed
	// (TRUSTED_PROXIES); empty, the connection's address is the client's.
	TrustedProxies []netip.Prefix
	// What checking one child-level list may cost, and how many are checked
	// at once: a list over a limit is refused with a message naming it.
	ImportMaxRows       int           // IMPORT_MAX_ROWS
	ImportMaxUnzipped   int64         // IMPORT_MAX_UNZIPPED_BYTES: an .xlsx file, all parts
	ImportMaxPart       int64         // IMPORT_MAX_PART_BYTES: each part other than the worksheet
	ImportMaxLine       int           // IMPORT_MAX_LINE_BYTES: a CSV line, a worksheet row
	ImportMaxConcurrent int           // IMPORT_MAX_CONCURRENT
	ImportQueueWait     time.Duration // IMPORT_QUEUE_WAIT
	// The anonymous feedback form (issue 17.6): how many requests one
	// client address, and how many answers one visit's code, it takes in
	// an hour, per instance.
	FeedbackAddressLimit int // FEEDBACK_ADDRESS_LIMIT
	FeedbackCodeLimit    int // FEEDBACK_CODE_LIMIT
	// People and sign-in (issue 14).
	InvitationTTL    time.Duration // INVITATION_TTL: how long an invitation link works
	PasswordResetTTL time.Duration // PASSWORD_RESET_TTL: how long a password reset link works
	// RequireTwoFactor makes everyone who signs in with a password use an
	// authenticator app too (REQUIRE_TWO_FACTOR); it cannot be off in
	// production.
	RequireTwoFactor bool
	// OIDC is single sign-on for Ofsted staff (optional): off when Issuer is "".
	OIDC OIDC
	// SMTP is the mail server the service sends its messages through;
	// with none (SMTP_URL unset) they stay in the outbox, not sent.
	SMTP SMTP
	// ReminderWorkingDays is how many working days before a deadline the
	// first reminder comes (REMINDER_WORKING_DAYS); 0 sends only the one
	// on the day.
	ReminderWorkingDays int
	// PlanCacheSize is how many computed visit plans each instance keeps
	// (PLAN_CACHE_SIZE), the least recently used going first.
	PlanCacheSize int
	// VisitCacheSize is how many visits, read in full, each instance keeps
	// (VISIT_CACHE_SIZE), the least recently used going first.
	VisitCacheSize int
	// PprofAddr, when set (PPROF_ADDR), is a loopback address on which the
	// service serves Go's profiles (net/http/pprof) apart from the site:
	// for measuring it under load (PPROF_ADDR=… make loadtest: the service
	// the load script starts inherits it). Empty: none.
	PprofAddr string
}

// The ways of securing the connection to the mail server (SMTP_TLS).
const (
	SMTPNoTLS    = "none"     // plain text: a relay on the same host or network only
	SMTPStartTLS = "starttls" // plain, then STARTTLS, which must succeed
	SMTPTLS      = "tls"      // TLS from the first byte (smtps, port 465)
)

// SMTP is the mail server's settings (SMTP_*).
type SMTP struct {
	Host     string // "" when no mail server is set
	Port     int
	Username string // SMTP_USERNAME, or the user of SMTP_URL; "" for no login
	Password string // SMTP_PASSWORD, or the password of SMTP_URL
	From     string // SMTP_FROM: the sender, "Name <address>" or an address
	TLS      string // SMTPNoTLS, SMTPStartTLS or SMTPTLS
	Timeout  time.Duration
	// MaxAttempts is how many times a message is tried before it is
	// failed, for an administrator to retry (SMTP_MAX_ATTEMPTS).
	MaxAttempts int
}

// Enabled reports whether a mail server is set.
func (s SMTP) Enabled() bool { return s.Host != "" }

// String is the server without its password, for logs.
func (s SMTP) String() string {
	if !s.Enabled() {
		return "none"
	}
	who := ""
	if s.Username != "" {
		who = s.Username + "@"
	}
	return fmt.Sprintf("%s%s:%d (%s)", who, s.Host, s.Port, s.TLS)
}

// OIDC configures single sign-on through an OpenID Connect provider.
type OIDC struct {
	Issuer        string // OIDC_ISSUER
	ClientID      string // OIDC_CLIENT_ID
	ClientSecret  string // OIDC_CLIENT_SECRET
	AllowedDomain string // OIDC_ALLOWED_DOMAIN: the email domain it may sign in
}

// Enabled reports whether single sign-on is configured.
func (o OIDC) Enabled() bool { return o.Issuer != "" }

// SecureCookies reports whether cookies must only travel over https.
func (c Config) SecureCookies() bool { return c.BaseURL.Scheme == "https" }

// Keys lists every environment variable Load reads.
var Keys = []string{
	"APP_ENV", "ADDR", "BASE_URL", "DATABASE_URL", "DATA_DIR", "MIGRATE_ON_START", "DEMO_DATA",
	"SESSION_IDLE_TIMEOUT", "SESSION_LIFETIME", "SESSION_ENCODING", "SIGN_IN_MAX_FAILURES", "SIGN_IN_LOCKOUT",
	"LOG_LEVEL", "LOG_FORMAT", "SHUTDOWN_TIMEOUT", "DB_MAX_CONNS",
	"UPLOAD_MAX_BYTES", "CHILD_DATA_RETENTION_DAYS",
	"FORM_BODY_TIMEOUT", "SIGN_IN_ADDRESS_DELAY", "TRUSTED_PROXIES",
	"IMPORT_MAX_ROWS", "IMPORT_MAX_UNZIPPED_BYTES", "IMPORT_MAX_PART_BYTES", "IMPORT_MAX_LINE_BYTES",
	"IMPORT_MAX_CONCURRENT", "IMPORT_QUEUE_WAIT",
	"INVITATION_TTL", "PASSWORD_RESET_TTL", "REQUIRE_TWO_FACTOR",
	"OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_ALLOWED_DOMAIN",
	"SMTP_URL", "SMTP_USERNAME", "SMTP_PASSWORD", "SMTP_FROM", "SMTP_TLS", "SMTP_TIMEOUT", "SMTP_MAX_ATTEMPTS",
	"REMINDER_WORKING_DAYS",
	"IMPORT_MAX_CONCURRENT", "IMPORT_QUEUE_WAIT", "PLAN_CACHE_SIZE", "VISIT_CACHE_SIZE", "PPROF_ADDR",
}

// Load reads the settings through getenv (os.Getenv in production, a map in
// tests), applies defaults and reports every problem at once.
func Load(getenv func(string) string) (Config, error) {
	var errs []error
	get := func(key, def string) string {
		if v := strings.TrimSpace(getenv(key)); v != "" {
			return v
		}
		return def
	}
	boolean := func(key string, def bool) bool {
		v := get(key, strconv.FormatBool(def))
		b, err := strconv.ParseBool(v)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: want true or false, got %q", key, v))
		}
		return b
	}
	duration := func(key, def string) time.Duration {
		v := get(key, def)
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			errs = append(errs, fmt.Errorf("%s: want a positive duration like 30m or 12h, got %q", key, v))
		}
		return d
	}
	integer := func(key string, def, lo, hi int) int {
		v := get(key, strconv.Itoa(def))
		n, err := strconv.Atoi(v)
		if err != nil || n < lo || n > hi {
			errs = append(errs, fmt.Errorf("%s: want a whole number from %d to %d, got %q", key, lo, hi, v))
		}
		return n
	}

	var c Config
	switch env := Env(get("APP_ENV", string(Development))); env {
	case Development, Production:
		c.Env = env
	default:
		errs = append(errs, fmt.Errorf("APP_ENV: want development or production, got %q", env))
	}
	prod := c.Env == Production

	c.Addr = get("ADDR", ":8080")
	raw := get("BASE_URL", "http://localhost:8080")
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		errs = append(errs, fmt.Errorf("BASE_URL: want an absolute http or https URL, got %q", raw))
		u = &url.URL{Scheme: "http", Host: "localhost:8080"}
	}
	c.BaseURL = u
	c.DatabaseURL = get("DATABASE_URL", "")
	c.DataDir = get("DATA_DIR", ".data")
	c.MigrateOnStart = boolean("MIGRATE_ON_START", true)
	c.DemoData = boolean("DEMO_DATA", !prod)
	c.SessionIdleTimeout = duration("SESSION_IDLE_TIMEOUT", "1h")
	c.SessionLifetime = duration("SESSION_LIFETIME", "12h")
	switch c.SessionEncoding = get("SESSION_ENCODING", "compact"); c.SessionEncoding {
	case "compact", "gob":
	default:
		errs = append(errs, fmt.Errorf("SESSION_ENCODING: want compact or gob, got %q", c.SessionEncoding))
	}
	c.SignInMaxFailures = integer("SIGN_IN_MAX_FAILURES", 5, 1, 100)
	c.SignInLockout = duration("SIGN_IN_LOCKOUT", "15m")
	c.ShutdownTimeout = duration("SHUTDOWN_TIMEOUT", "10s")
	c.DBMaxConns = integer("DB_MAX_CONNS", 20, 2, 1000)
	c.UploadMaxBytes = int64(integer("UPLOAD_MAX_BYTES", 100<<20, 1, 10<<30))
	c.ChildDataRetention = time.Duration(integer("CHILD_DATA_RETENTION_DAYS", 365, 1, 36500)) * 24 * time.Hour
	c.FormBodyTimeout = duration("FORM_BODY_TIMEOUT", "30s")
	c.SignInAddressDelay = duration("SIGN_IN_ADDRESS_DELAY", "3s")
	if c.SignInAddressDelay > time.Minute {
		errs = append(errs, fmt.Errorf("SIGN_IN_ADDRESS_DELAY: want at most 1m, got %s", c.SignInAddressDelay))
	}
	if proxies, err := parseProxies(get("TRUSTED_PROXIES", "")); err != nil {
		errs = append(errs, err)
	} else {
		c.TrustedProxies = proxies
	}
	c.ImportMaxRows = integer("IMPORT_MAX_ROWS", 300_000, 1, 10_000_000)
	c.ImportMaxUnzipped = int64(integer("IMPORT_MAX_UNZIPPED_BYTES", 500<<20, 1<<20, 16<<30))
	c.ImportMaxPart = int64(integer("IMPORT_MAX_PART_BYTES", 32<<20, 64<<10, 1<<32-1))
	c.ImportMaxLine = integer("IMPORT_MAX_LINE_BYTES", 64<<10, 1<<10, 16<<20)
	c.ImportMaxConcurrent = integer("IMPORT_MAX_CONCURRENT", runtime.NumCPU(), 1, 1024)
	c.PlanCacheSize = integer("PLAN_CACHE_SIZE", 2_000, 1, 10_000_000)
	c.VisitCacheSize = integer("VISIT_CACHE_SIZE", 5_000, 1, 10_000_000)
	c.FeedbackAddressLimit = integer("FEEDBACK_ADDRESS_LIMIT", 60, 1, 1_000_000)
	c.FeedbackCodeLimit = integer("FEEDBACK_CODE_LIMIT", 500, 1, 1_000_000)
	if c.PprofAddr = get("PPROF_ADDR", ""); c.PprofAddr != "" {
		host, _, err := net.SplitHostPort(c.PprofAddr)
		if ip, perr := netip.ParseAddr(host); err != nil || (host != "localhost" && (perr != nil || !ip.IsLoopback())) {
			errs = append(errs, fmt.Errorf("PPROF_ADDR: want a loopback host:port like 127.0.0.1:6060, got %q", c.PprofAddr))
		}
	}
	wait := get("IMPORT_QUEUE_WAIT", "30s")
	c.ImportQueueWait, err = time.ParseDuration(wait)
	if err != nil || c.ImportQueueWait < 0 {
		errs = append(errs, fmt.Errorf("IMPORT_QUEUE_WAIT: want a duration like 30s (0s: do not wait), got %q", wait))
	}
	c.InvitationTTL = duration("INVITATION_TTL", "72h")
	c.PasswordResetTTL = duration("PASSWORD_RESET_TTL", "1h")
	// Two-factor is required in production, where it cannot be turned off;
	// in development it is off unless asked for (make run's demo users sign
	// in with a password alone).
	c.RequireTwoFactor = boolean("REQUIRE_TWO_FACTOR", prod)
	c.OIDC = OIDC{Issuer: get("OIDC_ISSUER", ""), ClientID: get("OIDC_CLIENT_ID", ""),
		ClientSecret: get("OIDC_CLIENT_SECRET", ""), AllowedDomain: strings.ToLower(get("OIDC_ALLOWED_DOMAIN", ""))}
	errs = append(errs, c.OIDC.validate(prod)...)
	if c.ImportMaxPart > c.ImportMaxUnzipped {
		errs = append(errs, errors.New("IMPORT_MAX_PART_BYTES must not be more than IMPORT_MAX_UNZIPPED_BYTES"))
	}
	c.SMTP, err = parseSMTP(get, getenv)
	if err != nil {
		errs = append(errs, err)
	}
	c.SMTP.Timeout = duration("SMTP_TIMEOUT", "10s")
	c.SMTP.MaxAttempts = integer("SMTP_MAX_ATTEMPTS", 10, 1, 100)
	c.ReminderWorkingDays = integer("REMINDER_WORKING_DAYS", 2, 0, 20)

	switch lv := strings.ToLower(get("LOG_LEVEL", "info")); lv {
	case "debug":
		c.LogLevel = slog.LevelDebug
	case "info":
		c.LogLevel = slog.LevelInfo
	case "warn":
		c.LogLevel = slog.LevelWarn
	case "error":
		c.LogLevel = slog.LevelError
	default:
		errs = append(errs, fmt.Errorf("LOG_LEVEL: want debug, info, warn or error, got %q", lv))
	}
	def := "text"
	if prod {
		def = "json"
	}
	switch c.LogFormat = get("LOG_FORMAT", def); c.LogFormat {
	case "text", "json":
	default:
		errs = append(errs, fmt.Errorf("LOG_FORMAT: want text or json, got %q", c.LogFormat))
	}

	if c.SessionIdleTimeout > c.SessionLifetime {
		errs = append(errs, errors.New("SESSION_IDLE_TIMEOUT must not be longer than SESSION_LIFETIME"))
	}
	if prod {
		if c.DatabaseURL == "" {
			errs = append(errs, errors.New("DATABASE_URL: required when APP_ENV=production"))
		}
		if c.BaseURL.Scheme != "https" {
			errs = append(errs, errors.New("BASE_URL: must be https when APP_ENV=production"))
		}
		if c.DemoData {
			errs = append(errs, errors.New("DEMO_DATA: must not be true when APP_ENV=production"))
		}
		if !c.RequireTwoFactor {
			errs = append(errs, errors.New("REQUIRE_TWO_FACTOR: must not be false when APP_ENV=production"))
		}
	}
	if len(errs) > 0 {
		return Config{}, fmt.Errorf("config: %w", errors.Join(errs...))
	}
	return c, nil
}

// parseProxies reads TRUSTED_PROXIES: CIDRs or single addresses, separated
// by commas or spaces.
func parseProxies(v string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	var bad []string
	for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' }) {
		if p, err := netip.ParsePrefix(f); err == nil {
			out = append(out, p.Masked())
		} else if a, err := netip.ParseAddr(f); err == nil {
			a = a.Unmap()
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
		} else {
			bad = append(bad, fmt.Sprintf("%q", f))
		}
	}
	if len(bad) > 0 {
		return nil, fmt.Errorf("TRUSTED_PROXIES: want CIDRs like 10.0.0.0/8 or addresses, separated by commas; cannot read %s", strings.Join(bad, ", "))
	}
	return out, nil
}

// validate checks single sign-on's settings: all or none.
func (o OIDC) validate(prod bool) []error {
	if !o.Enabled() {
		if o.ClientID != "" || o.ClientSecret != "" || o.AllowedDomain != "" {
			return []error{errors.New("OIDC_ISSUER: required when any other OIDC_ setting is set")}
		}
		return nil
	}
	var errs []error
	u, err := url.Parse(o.Issuer)
	if err != nil || u.Host == "" || (u.Scheme != "https" && (prod || u.Scheme != "http")) {
		errs = append(errs, fmt.Errorf("OIDC_ISSUER: want the provider's https URL, got %q", o.Issuer))
	}
	if o.ClientID == "" {
		errs = append(errs, errors.New("OIDC_CLIENT_ID: required with OIDC_ISSUER"))
	}
	if o.AllowedDomain == "" || strings.ContainsAny(o.AllowedDomain, "@/ ") || !strings.Contains(o.AllowedDomain, ".") {
		errs = append(errs, fmt.Errorf("OIDC_ALLOWED_DOMAIN: want an email domain like ofsted.gov.uk, got %q", o.AllowedDomain))
	}
	return errs
}

// parseSMTP reads SMTP_URL (smtp://user:password@host:port or smtps://…)
// with SMTP_USERNAME, SMTP_PASSWORD, SMTP_FROM and SMTP_TLS. With no
// SMTP_URL there is no mail server, and the others must be unset too.
func parseSMTP(get func(key, def string) string, getenv func(string) string) (SMTP, error) {
	var s SMTP
	raw := get("SMTP_URL", "")
	if raw == "" {
		for _, k := range []string{"SMTP_USERNAME", "SMTP_PASSWORD", "SMTP_FROM", "SMTP_TLS"} {
			if get(k, "") != "" {
				return s, fmt.Errorf("%s: set SMTP_URL too, or leave %s unset", k, k)
			}
		}
		return s, nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "smtp" && u.Scheme != "smtps") || u.Hostname() == "" || (u.Path != "" && u.Path != "/") {
		// Never echo the URL: it may hold a password.
		return s, errors.New("SMTP_URL: want smtp://host:port or smtps://host:port, with user:password@ before the host if the server needs a login")
	}
	s.Host = u.Hostname()
	s.TLS = SMTPStartTLS
	if u.Scheme == "smtps" {
		s.TLS = SMTPTLS
	}
	switch t := strings.ToLower(get("SMTP_TLS", s.TLS)); t {
	case SMTPNoTLS, SMTPStartTLS, SMTPTLS:
		s.TLS = t
	default:
		return s, fmt.Errorf("SMTP_TLS: want none, starttls or tls, got %q", t)
	}
	s.Port = 587
	switch {
	case s.TLS == SMTPTLS:
		s.Port = 465
	case s.TLS == SMTPNoTLS:
		s.Port = 25
	}
	if p := u.Port(); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > 65535 {
			return s, fmt.Errorf("SMTP_URL: the port must be a number from 1 to 65535")
		}
		s.Port = n
	}
	if u.User != nil {
		s.Username = u.User.Username()
		s.Password, _ = u.User.Password()
	}
	if v := get("SMTP_USERNAME", ""); v != "" {
		s.Username = v
	}
	// A password is taken as it is, spaces and all.
	if v := getenv("SMTP_PASSWORD"); v != "" {
		s.Password = v
	}
	s.From = get("SMTP_FROM", "")
	if s.From == "" {
		return s, errors.New("SMTP_FROM: required with SMTP_URL: the address messages come from, such as Ofsted focused visits <focused-visits@ofsted.gov.uk>")
	}
	if _, err := mail.ParseAddress(s.From); err != nil {
		return s, fmt.Errorf("SMTP_FROM: want an email address, or a name and an address in <>, got %q", s.From)
	}
	return s, nil
}

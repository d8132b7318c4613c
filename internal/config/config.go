// Package config reads every setting of the service from the environment, in
// one place, with defaults and validation.
package config

import (
	"errors"
	"fmt"
	"log/slog"
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
	SignInMaxFailures  int           // SIGN_IN_MAX_FAILURES
	SignInLockout      time.Duration // SIGN_IN_LOCKOUT
	LogLevel           slog.Level    // LOG_LEVEL
	LogFormat          string        // LOG_FORMAT: text or json
	ShutdownTimeout    time.Duration // SHUTDOWN_TIMEOUT
	DBMaxConns         int           // DB_MAX_CONNS
	UploadMaxBytes     int64         // UPLOAD_MAX_BYTES: per-file size limit
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
	// PlanCacheSize is how many computed visit plans each instance keeps
	// (PLAN_CACHE_SIZE), the least recently used going first.
	PlanCacheSize int
}

// SecureCookies reports whether cookies must only travel over https.
func (c Config) SecureCookies() bool { return c.BaseURL.Scheme == "https" }

// Keys lists every environment variable Load reads.
var Keys = []string{
	"APP_ENV", "ADDR", "BASE_URL", "DATABASE_URL", "DATA_DIR", "MIGRATE_ON_START", "DEMO_DATA",
	"SESSION_IDLE_TIMEOUT", "SESSION_LIFETIME", "SIGN_IN_MAX_FAILURES", "SIGN_IN_LOCKOUT",
	"LOG_LEVEL", "LOG_FORMAT", "SHUTDOWN_TIMEOUT", "DB_MAX_CONNS",
	"UPLOAD_MAX_BYTES", "CHILD_DATA_RETENTION_DAYS",
	"FORM_BODY_TIMEOUT", "SIGN_IN_ADDRESS_DELAY", "TRUSTED_PROXIES",
	"IMPORT_MAX_ROWS", "IMPORT_MAX_UNZIPPED_BYTES", "IMPORT_MAX_PART_BYTES", "IMPORT_MAX_LINE_BYTES",
	"IMPORT_MAX_CONCURRENT", "IMPORT_QUEUE_WAIT", "PLAN_CACHE_SIZE",
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
	wait := get("IMPORT_QUEUE_WAIT", "30s")
	c.ImportQueueWait, err = time.ParseDuration(wait)
	if err != nil || c.ImportQueueWait < 0 {
		errs = append(errs, fmt.Errorf("IMPORT_QUEUE_WAIT: want a duration like 30s (0s: do not wait), got %q", wait))
	}
	if c.ImportMaxPart > c.ImportMaxUnzipped {
		errs = append(errs, errors.New("IMPORT_MAX_PART_BYTES must not be more than IMPORT_MAX_UNZIPPED_BYTES"))
	}

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

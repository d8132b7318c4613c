package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"runtime/debug"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/ofsted/focusedvisits/internal/config"
	"github.com/ofsted/focusedvisits/internal/devdb"
	"github.com/ofsted/focusedvisits/internal/jobs"
	"github.com/ofsted/focusedvisits/internal/server"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/migrations"
	"github.com/ofsted/focusedvisits/web/static"
)

// setup loads the configuration and the logger.
func setup(getenv func(string) string, stderr io.Writer) (config.Config, *slog.Logger, error) {
	cfg, err := config.Load(getenv)
	if err != nil {
		return config.Config{}, nil, err
	}
	opts := &slog.HandlerOptions{Level: cfg.LogLevel}
	var h slog.Handler = slog.NewTextHandler(stderr, opts)
	if cfg.LogFormat == "json" {
		h = slog.NewJSONHandler(stderr, opts)
	}
	return cfg, slog.New(h), nil
}

// databaseURL is DATABASE_URL, or else the URL of the private cluster under
// DATA_DIR, started (or reused) for the purpose.
func databaseURL(ctx context.Context, cfg config.Config, log *slog.Logger) (string, error) {
	if cfg.DatabaseURL != "" {
		return cfg.DatabaseURL, nil
	}
	log.Info("DATABASE_URL is not set: using the private PostgreSQL cluster", "dir", cfg.DataDir)
	return devdb.Ensure(ctx, cfg.DataDir, func(format string, args ...any) {
		log.Info(fmt.Sprintf(format, args...))
	})
}

// openPool connects to the database with settings that fail fast when it is away.
func openPool(ctx context.Context, cfg config.Config, url string) (*pgxpool.Pool, error) {
	pc, err := pgxpool.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("database URL: %w", err)
	}
	pc.MaxConns = int32(cfg.DBMaxConns)
	pc.ConnConfig.ConnectTimeout = 3 * time.Second
	pc.ConnConfig.RuntimeParams["application_name"] = "focusedvisits"
	pc.ConnConfig.RuntimeParams["timezone"] = "UTC"
	// No JIT compilation: the service's statements each read a few rows, but
	// PostgreSQL never analyses a table of fewer than 50 rows by itself, so
	// on the defaults it guesses thousands for the one-row calendar version
	// and the closure days, prices their join past jit_above_cost, and spent
	// 13 ms (over 100 ms under load) compiling it for every page, longer
	// than the page (issue 16.5).
	pc.ConnConfig.RuntimeParams["jit"] = "off"
	pool, err := pgxpool.NewWithConfig(ctx, pc)
	if err != nil {
		return nil, fmt.Errorf("database: %w", err)
	}
	pingCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := pool.Ping(pingCtx); err != nil {
		pool.Close()
		return nil, fmt.Errorf("database: %w", err)
	}
	return pool, nil
}

// cleanSessions deletes expired sessions, and the sign-in limits' counts
// quiet for longer than signInWindow, every interval until ctx ends.
func cleanSessions(ctx context.Context, st *store.Store, every, signInWindow time.Duration, log *slog.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := st.DeleteExpiredSessions(ctx); err != nil && ctx.Err() == nil {
				log.Warn("deleting expired sessions", "error", err)
			}
			if err := st.PruneSignInThrottle(ctx, time.Now().Add(-signInWindow)); err != nil && ctx.Err() == nil {
				log.Warn("pruning sign-in counts", "error", err)
			}
		}
	}
}

// defaultGOGC is the garbage collector's target when $GOGC is not set.
const defaultGOGC = 200

func cmdServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, log, err := setup(getenv, stderr)
	if err != nil {
		return err
	}
	if !static.Built() {
		log.Warn("front-end assets are not built: pages will be unstyled (run make assets)")
	}
	// The service's heap is small (tens of megabytes) and nearly all its
	// garbage is a request's: collecting at twice the heap, not at the
	// default 100%, halves the collector's work (a tenth of the service's
	// CPU at capacity, issue 16.5) for a few megabytes. $GOGC, if set,
	// still decides.
	if getenv("GOGC") == "" {
		debug.SetGCPercent(defaultGOGC)
	}
	url, err := databaseURL(ctx, cfg, log)
	if err != nil {
		return err
	}
	if cfg.MigrateOnStart {
		if err := migrations.Up(ctx, url); err != nil {
			return err
		}
	}
	pool, err := openPool(ctx, cfg, url)
	if err != nil {
		return err
	}
	defer pool.Close()
	st := newStore(pool, cfg)
	if cfg.DemoData {
		if err := loadDemoIfEmpty(ctx, st, stdout, log, cfg); err != nil {
			return err
		}
	}

	sessions := server.NewSessionManager(cfg, pool)
	// Background work stops, and is waited for, before the pool closes.
	cleanCtx, stopCleaning := context.WithCancel(ctx)
	var cleaning sync.WaitGroup
	defer func() { stopCleaning(); cleaning.Wait() }()
	cleaning.Go(func() { cleanSessions(cleanCtx, st, 5*time.Minute, cfg.SignInLockout, log) })
	// What time moves (publication, the retention purge, email) runs as scheduled
	// jobs: every process works the queue, PostgreSQL hands each job to one.
	jc, err := jobsConfig(cfg, st, log)
	if err != nil {
		return err
	}
	runner, err := jobs.NewRunner(jc)
	if err != nil {
		return err
	}
	// The runner outlives the signal: jobs running when it comes finish, up
	// to SHUTDOWN_TIMEOUT, before the pool closes.
	if err := runner.Start(context.WithoutCancel(ctx)); err != nil {
		return fmt.Errorf("jobs: %w", err)
	}
	defer func() {
		jctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
		defer cancel()
		if err := runner.Stop(jctx); err != nil {
			log.Warn("jobs: stopping", "error", err)
		}
	}()
	srv := server.New(server.Deps{Logger: log, Config: cfg, Store: st, Sessions: sessions})

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	hs := &http.Server{
		Handler:           srv,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       server.UploadBodyTimeout, // uploads; other bodies get FORM_BODY_TIMEOUT
		WriteTimeout:      5 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	if cfg.PprofAddr != "" {
		stop, err := servePprof(cfg.PprofAddr, log)
		if err != nil {
			return fmt.Errorf("PPROF_ADDR: %w", err)
		}
		defer stop()
	}
	log.Info("serving", "addr", ln.Addr().String(), "base_url", cfg.BaseURL.String(), "env", cfg.Env, "mail_server", cfg.SMTP.String())

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing requests in flight", "timeout", cfg.ShutdownTimeout)
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

func cmdMigrate(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) != 1 {
		return errors.New("usage: focusedvisits migrate up|down|status")
	}
	cfg, log, err := setup(getenv, stderr)
	if err != nil {
		return err
	}
	url, err := databaseURL(ctx, cfg, log)
	if err != nil {
		return err
	}
	switch args[0] {
	case "up":
		return migrations.Up(ctx, url)
	case "down":
		return migrations.Down(ctx, url)
	case "status":
		return migrations.Status(ctx, url, stdout)
	}
	return fmt.Errorf("usage: focusedvisits migrate up|down|status (not %q)", args[0])
}

// servePprof serves Go's profiles (net/http/pprof) on addr, a loopback
// address (config checks it), apart from the site and its middleware, and
// returns what stops it.
func servePprof(addr string, log *slog.Logger) (stop func(), err error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	ps := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = ps.Serve(ln) }()
	log.Warn("serving profiles", "addr", ln.Addr().String())
	return func() { _ = ps.Close() }, nil
}

package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"github.com/ofsted/focusedvisits/internal/config"
	"github.com/ofsted/focusedvisits/internal/demo"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/migrations"
)

func cmdDemo(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, log, err := setup(getenv, stderr)
	if err != nil {
		return err
	}
	if cfg.Env == config.Production {
		return fmt.Errorf("demo data is never loaded when APP_ENV=production")
	}
	url, err := databaseURL(ctx, cfg, log)
	if err != nil {
		return err
	}
	if err := migrations.Up(ctx, url); err != nil {
		return err
	}
	pool, err := openPool(ctx, cfg, url)
	if err != nil {
		return err
	}
	defer pool.Close()
	creds, err := demo.Load(ctx, newStore(pool, cfg))
	if err != nil {
		return err
	}
	printCredentials(cfg, stdout, creds, log)
	return nil
}

// loadDemoIfEmpty loads the demo data when the database has no users yet.
func loadDemoIfEmpty(ctx context.Context, st *store.Store, stdout io.Writer, log *slog.Logger, cfg config.Config) error {
	n, err := st.CountUsers(ctx)
	if err != nil || n > 0 {
		return err
	}
	creds, err := demo.Load(ctx, st)
	if err != nil {
		return err
	}
	printCredentials(cfg, stdout, creds, log)
	return nil
}

// printCredentials shows the demo users' sign-ins, and keeps a copy in
// DATA_DIR/demo-users.txt (readable by its owner only) for later.
func printCredentials(cfg config.Config, stdout io.Writer, creds []demo.Credential, log *slog.Logger) {
	var b strings.Builder
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "ROLE\tEMAIL\tPASSWORD")
	for _, c := range creds {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", c.Role.Label(), c.Email, c.Password)
	}
	tw.Flush()
	fmt.Fprintf(stdout, "\nDemo users (sign in at %s):\n\n%s\n", cfg.BaseURL, b.String())
	if err := os.MkdirAll(cfg.DataDir, 0o755); err == nil {
		p := filepath.Join(cfg.DataDir, "demo-users.txt")
		if err := os.WriteFile(p, []byte(b.String()), 0o600); err == nil {
			fmt.Fprintf(stdout, "A copy is in %s.\n\n", p)
		} else {
			log.Warn("could not save the demo users", "error", err)
		}
	}
}

package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"github.com/ofsted/focusedvisits/internal/devdb"
)

const dbUsage = `usage: focusedvisits db [--dir DIR] [start|stop]

  start   start (or reuse) the private development PostgreSQL cluster under DIR
          and print the URL of its database "focusedvisits" alone on stdout
          (the default), e.g. TEST_DATABASE_URL=$(focusedvisits db)
  stop    stop the cluster

The cluster listens only on a Unix socket inside DIR. Progress goes to stderr.
`

// cmdDB runs "focusedvisits db": the private development PostgreSQL cluster.
func cmdDB(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("db", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, dbUsage) }
	dir := fs.String("dir", ".data", "directory holding the cluster (relative to the working directory)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	logf := func(format string, args ...any) {
		fmt.Fprintf(stderr, "db: "+format+"\n", args...)
	}
	action := "start"
	if fs.NArg() > 0 {
		action = fs.Arg(0)
	}
	if fs.NArg() > 1 {
		fs.Usage()
		return fmt.Errorf("db: too many arguments")
	}
	switch action {
	case "start":
		url, err := devdb.Ensure(ctx, *dir, logf)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, url)
		return nil
	case "stop":
		return devdb.Stop(ctx, *dir, logf)
	default:
		fs.Usage()
		return fmt.Errorf("db: unknown action %q", action)
	}
}

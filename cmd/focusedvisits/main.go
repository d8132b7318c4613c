// Command focusedvisits is the Focused visits web service and its tools.
//
//	focusedvisits [serve]              run the web service (default)
//	focusedvisits migrate up|down|status
//	focusedvisits user add             create a user
//	focusedvisits demo                 load the demo users and visits
//	focusedvisits db                   start (or reuse) the private development PostgreSQL
//	focusedvisits workdays             answer working-day questions as JSON Lines
//	focusedvisits timeline             print a visit's planned timeline
//	focusedvisits jobs run-due         run the scheduled jobs due now
//	focusedvisits retention run        the same (its older name)
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx := context.Background()
	if err := run(ctx, os.Args, os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		fmt.Fprintf(os.Stderr, "focusedvisits: %v\n", err)
		os.Exit(1)
	}
}

const usage = `usage: focusedvisits <command> [arguments]

commands:
  serve                      run the web service (the default)
  migrate up|down|status     apply, roll back or list database migrations
  user add                   create a user (see 'focusedvisits user add -h')
  demo                       load the demo users and visits into an empty database
  db                         start (or reuse) the private PostgreSQL under .data/ and print its URL
  workdays                   answer working-day questions, JSON Lines on stdin to stdout
  timeline                   print a visit's planned timeline (see 'focusedvisits timeline -h')
  jobs run-due               run the scheduled jobs due now (publication, the retention purge, email) and exit
  retention run              the same as jobs run-due (its older name)
`

// run is the whole program; main only supplies the process's environment.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	cmd, rest := "serve", []string(nil)
	if len(args) > 1 {
		cmd, rest = args[1], args[2:]
	}
	switch cmd {
	case "serve":
		return cmdServe(ctx, rest, getenv, stdout, stderr)
	case "migrate":
		return cmdMigrate(ctx, rest, getenv, stdout, stderr)
	case "user":
		return cmdUser(ctx, rest, getenv, stdin, stdout, stderr)
	case "demo":
		return cmdDemo(ctx, rest, getenv, stdout, stderr)
	case "db":
		return cmdDB(ctx, rest, getenv, stdout, stderr)
	case "workdays":
		return cmdWorkdays(ctx, rest, getenv, stdin, stdout, stderr)
	case "timeline":
		return cmdTimeline(ctx, rest, getenv, stdout, stderr)
	case "jobs":
		return cmdJobs(ctx, rest, getenv, stdout, stderr)
	case "retention":
		return cmdRetention(ctx, rest, getenv, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
}

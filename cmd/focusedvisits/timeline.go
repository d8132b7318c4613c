package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"
	"time"
	_ "time/tzdata" // deadlines are in Europe/London even where the system has no zone data

	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/workday"
)

const timelineUsage = `usage: focusedvisits timeline (--notice DATE | --fieldwork-start DATE) [flags]

Prints a visit's planned timeline: every milestone of the procedure
template with its date (or dates), who acts, and how the date was counted
in working days, followed by any scheduling warnings.

  --notice 2025-04-14            plan forwards from the notice day (day 1)
  --fieldwork-start 2025-04-24   plan backwards from the first fieldwork day

Give exactly one of the two. Dates are YYYY-MM-DD. Closure days are added
from the closure_days table only with --database-url.

With --json the plan is a JSON array of milestones, each with "code",
"label", either "date" or "from" and "to", and "explanation"; warnings then
go to stderr.

flags:
`

// cmdTimeline prints a visit's planned timeline (see timelineUsage).
func cmdTimeline(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("timeline", flag.ContinueOnError)
	fs.SetOutput(stderr)
	notice := fs.String("notice", "", "the notice `DATE` (day 1)")
	fieldworkStart := fs.String("fieldwork-start", "", "the first fieldwork `DATE`; the notice day is counted back from it")
	asJSON := fs.Bool("json", false, "print the plan as JSON")
	priority := fs.Bool("priority-action", false, "the letter has an area for priority action (adds the action plan deadlines)")
	templateID := fs.String("template", timeline.FocusedVisit, "procedure template `ID`")
	version := fs.String("version", "", "template `VERSION` (default: the latest)")
	databaseURL := fs.String("database-url", "", "read closure days from this PostgreSQL `URL` (default: bank holidays only)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), timelineUsage)
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return fmt.Errorf("timeline: unexpected arguments %q", fs.Args())
	}
	if (*notice == "") == (*fieldworkStart == "") {
		fs.Usage()
		return errors.New("timeline: give exactly one of --notice and --fieldwork-start")
	}

	tpl, err := timeline.Lookup(*templateID, *version)
	if err != nil {
		return fmt.Errorf("timeline: %w", err)
	}
	in := timeline.Input{Template: tpl, Calendar: workday.EnglandAndWales(), Location: workday.London}
	if *notice != "" {
		if in.Anchor, err = workday.ParseDate(*notice); err != nil {
			return fmt.Errorf("timeline: --notice: %w", err)
		}
	} else {
		if tpl.Fieldwork == "" {
			return fmt.Errorf("timeline: template %s has no fieldwork to plan back from", tpl.ID)
		}
		if in.Anchor, err = workday.ParseDate(*fieldworkStart); err != nil {
			return fmt.Errorf("timeline: --fieldwork-start: %w", err)
		}
		in.AnchorCode = tpl.Fieldwork
	}
	if *priority {
		in.Conditions = []timeline.Condition{timeline.PriorityAction}
	}
	if *databaseURL != "" {
		cs, err := loadClosures(ctx, *databaseURL)
		if err != nil {
			return fmt.Errorf("timeline: %w", err)
		}
		in.Calendar = in.Calendar.WithClosures(cs)
	}

	p, err := timeline.Compute(in)
	if err != nil {
		return err
	}
	if *asJSON {
		if err := writeTimelineJSON(stdout, p); err != nil {
			return fmt.Errorf("timeline: %w", err)
		}
		for _, w := range p.Warnings {
			fmt.Fprintf(stderr, "warning: %s\n", w.Message)
		}
		return nil
	}
	if err := writeTimelineTable(stdout, p); err != nil {
		return fmt.Errorf("timeline: %w", err)
	}
	return nil
}

// timelineMilestone is a milestone as the --json output gives it.
type timelineMilestone struct {
	Code        string         `json:"code"`
	Label       string         `json:"label"`
	Kind        timeline.Kind  `json:"kind"`
	Actor       timeline.Actor `json:"actor"`
	ActorLabel  string         `json:"actor_label"`
	Day         string         `json:"day,omitempty"`
	Date        string         `json:"date,omitempty"`
	From        string         `json:"from,omitempty"`
	To          string         `json:"to,omitempty"`
	Time        string         `json:"time,omitempty"`
	StartsAt    string         `json:"starts_at,omitempty"`
	DueAt       string         `json:"due_at,omitempty"`
	State       timeline.State `json:"state"`
	Explanation string         `json:"explanation"`
	Source      timelineSource `json:"source"`
	Provisional bool           `json:"provisional,omitempty"`
}

// timelineSource is the guidance sentence a milestone comes from.
type timelineSource struct {
	Key  string `json:"key"`
	Text string `json:"text"`
}

// writeTimelineJSON writes p's milestones as a JSON array.
func writeTimelineJSON(w io.Writer, p timeline.Plan) error {
	out := make([]timelineMilestone, 0, len(p.Milestones))
	for _, m := range p.Milestones {
		out = append(out, timelineMilestone{
			Code: m.Code, Label: m.Label, Kind: m.Kind,
			Actor: m.Actor, ActorLabel: m.ActorLabel, Day: m.Day,
			Date: m.Date.String(), From: m.From.String(), To: m.To.String(),
			Time: m.TimeNote, StartsAt: instant(m.StartsAt), DueAt: instant(m.DueAt),
			State: m.State, Explanation: m.Explanation,
			Source:      timelineSource{Key: m.Source.Key, Text: m.Source.Text},
			Provisional: m.Provisional,
		})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// instant formats t as RFC 3339, or "" for the zero time.
func instant(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339)
}

// writeTimelineTable writes p as an aligned table, then its warnings.
func writeTimelineTable(w io.Writer, p timeline.Plan) error {
	fmt.Fprintf(w, "%s: template %s, version %s\n\n", p.Title, p.TemplateID, p.TemplateVersion)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "Day\tMilestone\tDate\tTime\tWho\tExplanation")
	for _, m := range p.Milestones {
		dates := timeline.FormatDates(m.First(), m.Last())
		why := strings.TrimPrefix(m.Explanation, dates+": ")
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", m.Day, m.Label, dates, m.TimeNote, m.ActorLabel, why)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if p.Provisional {
		fmt.Fprintln(w, "\nSome dates fall in a year whose bank holidays are not announced yet, so they may move.")
	}
	if len(p.Warnings) > 0 {
		fmt.Fprintln(w, "\nWarnings:")
		for _, x := range p.Warnings {
			fmt.Fprintf(w, "  %s: %s\n", x.Code, x.Message)
		}
	}
	return nil
}

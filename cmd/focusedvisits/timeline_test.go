package main

import (
	"bytes"
	"context"
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/ofsted/focusedvisits/internal/dbtest"
)

// runTimeline runs the timeline command with args and returns its output.
func runTimeline(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	var out, errOut bytes.Buffer
	getenv := func(string) string { return "" }
	err = cmdTimeline(context.Background(), args, getenv, &out, &errOut)
	return out.String(), errOut.String(), err
}

// jsonMilestone is the part of a --json milestone the tests read.
type jsonMilestone struct {
	Code        string `json:"code"`
	Label       string `json:"label"`
	Kind        string `json:"kind"`
	Actor       string `json:"actor"`
	Day         string `json:"day"`
	Date        string `json:"date"`
	From        string `json:"from"`
	To          string `json:"to"`
	DueAt       string `json:"due_at"`
	StartsAt    string `json:"starts_at"`
	State       string `json:"state"`
	Explanation string `json:"explanation"`
	Source      struct {
		Key  string `json:"key"`
		Text string `json:"text"`
	} `json:"source"`
}

func timelineJSON(t *testing.T, args ...string) ([]jsonMilestone, string) {
	t.Helper()
	out, errOut, err := runTimeline(t, append([]string{"--json"}, args...)...)
	if err != nil {
		t.Fatalf("timeline %v: %v (stderr %q)", args, err, errOut)
	}
	var ms []jsonMilestone
	if err := json.Unmarshal([]byte(out), &ms); err != nil {
		t.Fatalf("output is not a JSON array: %v\n%s", err, out)
	}
	return ms, errOut
}

// The worked example of DOMAIN B.4 (Easter 2025), planned forwards and
// backwards.
func TestTimelineCommand_JSON(t *testing.T) {
	t.Parallel()
	want := map[string]string{
		"notice":                 "2025-04-14",
		"set-up-call":            "2025-04-14",
		"child-level-data":       "2025-04-16",
		"team-meeting":           "2025-04-17/2025-04-22",
		"management-information": "2025-04-22",
		"off-site-evaluation":    "2025-04-23",
		"fieldwork":              "2025-04-24/2025-04-25",
		"draft-letter":           "2025-05-12",
		"comments":               "2025-05-13/2025-05-19",
		"final-letter":           "2025-05-29",
		"complaint":              "2025-05-30/2025-06-05",
		"publication":            "2025-06-10",
	}
	for _, args := range [][]string{{"--notice", "2025-04-14"}, {"--fieldwork-start", "2025-04-24"}} {
		ms, errOut := timelineJSON(t, args...)
		if errOut != "" {
			t.Errorf("%v: stderr %q, want none", args, errOut)
		}
		got := make(map[string]string, len(ms))
		for _, m := range ms {
			switch {
			case m.Kind == "window" && m.From != "" && m.To != "" && m.Date == "":
				got[m.Code] = m.From + "/" + m.To
			case m.Kind != "window" && m.Date != "" && m.From == "" && m.To == "":
				got[m.Code] = m.Date
			default:
				t.Errorf("%v: %s: kind %s with date %q, from %q, to %q", args, m.Code, m.Kind, m.Date, m.From, m.To)
			}
			if m.Label == "" || m.Explanation == "" || m.State != "planned" || m.Source.Key == "" {
				t.Errorf("%v: %s: incomplete %+v", args, m.Code, m)
			}
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%v: dates\n got %v\nwant %v", args, got, want)
		}
		if ms[len(ms)-1].Code != "publication" {
			t.Errorf("%v: not in template order: last is %s", args, ms[len(ms)-1].Code)
		}
		for _, m := range ms {
			switch m.Code {
			case "draft-letter":
				if want := "Mon 12 May 2025: 10 working days after the last fieldwork day, Fri 25 Apr; skipped Sat 26 and Sun 27 Apr, Sat 3 to Mon 5 May (Mon 5 May: Early May bank holiday), Sat 10 and Sun 11 May"; m.Explanation != want {
					t.Errorf("draft explanation\n got %q\nwant %q", m.Explanation, want)
				}
			case "notice":
				if m.StartsAt != "2025-04-14T09:00:00+01:00" || m.Day != "Day 1" || m.Actor != "lead-inspector" {
					t.Errorf("notice %+v", m)
				}
			case "comments":
				if m.DueAt != "2025-05-19T23:59:59+01:00" {
					t.Errorf("comments due_at %q", m.DueAt)
				}
			}
		}
	}
}

func TestTimelineCommand_priorityAction(t *testing.T) {
	t.Parallel()
	ms, _ := timelineJSON(t, "--notice", "2025-04-14", "--priority-action")
	var codes []string
	for _, m := range ms {
		codes = append(codes, m.Code)
	}
	if got := strings.Join(codes[len(codes)-2:], " "); got != "draft-action-plan action-plan" || ms[len(ms)-1].Date != "2025-09-05" {
		t.Errorf("last milestones %s, action plan due %s", got, ms[len(ms)-1].Date)
	}
}

func TestTimelineCommand_table(t *testing.T) {
	t.Parallel()
	out, errOut, err := runTimeline(t, "--fieldwork-start", "2025-03-03")
	if err != nil || errOut != "" {
		t.Fatalf("err %v, stderr %q", err, errOut)
	}
	lines := strings.Split(out, "\n")
	if !strings.HasPrefix(lines[0], "Focused visit") || !strings.Contains(lines[0], "focused-visit, version 2021-03-17") {
		t.Errorf("title line %q", lines[0])
	}
	header := lines[2]
	col := strings.Index(header, "Milestone")
	for _, want := range []string{"Day", "Milestone", "Date", "Time", "Who", "Explanation"} {
		if !strings.Contains(header, want) {
			t.Errorf("header %q lacks %q", header, want)
		}
	}
	for _, want := range []string{
		"Draft letter sent to Cafcass for comments",
		"Mon 3 to Tue 4 Mar 2025",
		"Days 7 and 8",
		"Lead inspector",
		"chosen as", // never: planned backwards
	} {
		if strings.Contains(out, want) != (want != "chosen as") {
			t.Errorf("output containing %q is %v\n%s", want, !strings.Contains(out, want), out)
		}
	}
	// The columns line up.
	for _, l := range lines[3:15] {
		if len(l) <= col || l[col-1] != ' ' || l[col] == ' ' {
			t.Errorf("milestone not in column %d: %q", col, l)
		}
	}
	if !strings.Contains(out, "Warnings:\n  fieldwork-start-day: Fieldwork starts on a Monday (Mon 3 Mar 2025). It usually starts on a Tuesday, Wednesday or Thursday.\n") {
		t.Errorf("no Monday warning in\n%s", out)
	}

	// With --json, warnings go to stderr.
	_, errOut = timelineJSON(t, "--fieldwork-start", "2025-03-03")
	if errOut != "warning: Fieldwork starts on a Monday (Mon 3 Mar 2025). It usually starts on a Tuesday, Wednesday or Thursday.\n" {
		t.Errorf("stderr %q", errOut)
	}
}

func TestTimelineCommand_errors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"no date", nil, "exactly one of --notice and --fieldwork-start"},
		{"both dates", []string{"--notice", "2025-04-14", "--fieldwork-start", "2025-04-24"}, "exactly one"},
		{"bad date", []string{"--notice", "14/04/2025"}, "--notice"},
		{"unknown template", []string{"--notice", "2025-04-14", "--template", "full-inspection"}, "unknown procedure template"},
		{"unknown version", []string{"--notice", "2025-04-14", "--version", "2020-01-01"}, "unknown procedure template"},
		{"extra argument", []string{"--notice", "2025-04-14", "now"}, "unexpected arguments"},
		{"unknown flag", []string{"--notice", "2025-04-14", "--colour"}, "flag provided but not defined"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, _, err := runTimeline(t, tt.args...)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want it to contain %q", err, tt.want)
			}
		})
	}

	out, errOut, err := runTimeline(t, "-h")
	if err != nil || out != "" || !strings.Contains(errOut, "usage: focusedvisits timeline") || !strings.Contains(errOut, "-database-url") {
		t.Errorf("-h: err %v, stdout %q, stderr %q", err, out, errOut)
	}
}

// TestTimelineCommand_closures adds the closure days of a real database
// only when --database-url names it.
func TestTimelineCommand_closures(t *testing.T) {
	if testing.Short() {
		t.Skip("needs PostgreSQL")
	}
	url := dbtest.URL(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	_, err = conn.Exec(ctx, `INSERT INTO closure_days (day, reason) VALUES ('2025-04-16', 'Office move')`)
	conn.Close(ctx)
	if err != nil {
		t.Fatal(err)
	}

	for _, tt := range []struct {
		args                   []string
		childData, explanation string
	}{
		{nil, "2025-04-16", "Wed 16 Apr 2025: 2 working days after the notice call, Mon 14 Apr"},
		{[]string{"--database-url", url}, "2025-04-17", "Thu 17 Apr 2025: 2 working days after the notice call, Mon 14 Apr; skipped Wed 16 Apr (Wed 16 Apr: Office closure: Office move)"},
	} {
		ms, _ := timelineJSON(t, append([]string{"--notice", "2025-04-14"}, tt.args...)...)
		if m := ms[2]; m.Code != "child-level-data" || m.Date != tt.childData || m.Explanation != tt.explanation {
			t.Errorf("%v: %s on %s: %q; want %s: %q", tt.args, m.Code, m.Date, m.Explanation, tt.childData, tt.explanation)
		}
	}
	if _, _, err := runTimeline(t, "--notice", "2025-04-14", "--database-url", "postgres://nobody@127.0.0.1:1/none?connect_timeout=2"); err == nil {
		t.Error("unreachable --database-url: no error")
	}
}

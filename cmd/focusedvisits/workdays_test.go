package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/ofsted/focusedvisits/internal/dbtest"
	"github.com/ofsted/focusedvisits/internal/workday"
	"github.com/ofsted/focusedvisits/internal/workday/workdaytest"
)

// runWorkdays runs the workdays command on input and returns its output.
func runWorkdays(t *testing.T, input string, args ...string) string {
	t.Helper()
	var stdout, stderr bytes.Buffer
	noenv := func(string) string { return "" }
	if err := cmdWorkdays(context.Background(), args, noenv, strings.NewReader(input), &stdout, &stderr); err != nil {
		t.Fatalf("cmdWorkdays: %v\nstderr: %s", err, stderr.String())
	}
	return stdout.String()
}

func TestWorkdaysAnswers(t *testing.T) {
	tests := []struct {
		req, want string
	}{
		{`{"op":"add","date":"2025-04-14","n":6}`, `{"date":"2025-04-24"}`},
		{`{"op":"add","date":"2025-04-24","n":-6}`, `{"date":"2025-04-14"}`},
		{`{"op":"add","date":"2025-04-19","n":0}`, `{"date":"2025-04-19"}`},
		{`{"op":"add","date":"2025-04-25","n":30}`, `{"date":"2025-06-10"}`},
		{`{"op":"between","from":"2025-04-14","to":"2025-04-24"}`, `{"count":6}`},
		{`{"op":"between","from":"2025-04-24","to":"2025-04-14"}`, `{"count":-6}`},
		{`{"op":"is_working","date":"2025-04-18"}`, `{"working":false,"reason":"Good Friday"}`},
		{`{"op":"is_working","date":"2025-04-19"}`, `{"working":false,"reason":"Saturday"}`},
		{`{"op":"is_working","date":"2025-04-17"}`, `{"working":true}`},
		{`{"op":"next","date":"2025-04-17"}`, `{"date":"2025-04-22"}`},
		{`{"op":"previous","date":"2025-04-22"}`, `{"date":"2025-04-17"}`},
		{` {"n":1, "date":"2025-04-17", "op":"add", "extra":true}  `, `{"date":"2025-04-22"}`},
		{`{"op":"explain","date":"2025-04-17","n":1}`, `{"date":"2025-04-22","explanation":"1 working day after Thu 17 Apr 2025; ` +
			`skipped Fri 18 to Mon 21 Apr (Fri 18 Apr: Good Friday; Mon 21 Apr: Easter Monday)","skipped":[` +
			`{"date":"2025-04-18","reason":"Good Friday"},{"date":"2025-04-19","reason":"Saturday"},` +
			`{"date":"2025-04-20","reason":"Sunday"},{"date":"2025-04-21","reason":"Easter Monday"}]}`},
		{`{"op":"explain","date":"2025-04-14","n":1}`, `{"date":"2025-04-15","explanation":"1 working day after Mon 14 Apr 2025; no days skipped","skipped":[]}`},
		{`{"op":"holidays","year":2023}`, `{"holidays":[` +
			`{"date":"2023-01-02","name":"New Year's Day (substitute day)","provisional":false},` +
			`{"date":"2023-04-07","name":"Good Friday","provisional":false},` +
			`{"date":"2023-04-10","name":"Easter Monday","provisional":false},` +
			`{"date":"2023-05-01","name":"Early May bank holiday","provisional":false},` +
			`{"date":"2023-05-08","name":"Bank holiday for the coronation of King Charles III","provisional":false},` +
			`{"date":"2023-05-29","name":"Spring bank holiday","provisional":false},` +
			`{"date":"2023-08-28","name":"Summer bank holiday","provisional":false},` +
			`{"date":"2023-12-25","name":"Christmas Day","provisional":false},` +
			`{"date":"2023-12-26","name":"Boxing Day","provisional":false}]}`},
		{`{"op":"holidays","year":2090}`, `"provisional":true`},
	}
	for _, tc := range tests {
		got := strings.TrimSuffix(runWorkdays(t, tc.req+"\n"), "\n")
		if got != tc.want && !(strings.HasPrefix(tc.want, `"`) && strings.Contains(got, tc.want)) {
			t.Errorf("%s\ngot  %s\nwant %s", tc.req, got, tc.want)
		}
	}
}

func TestWorkdaysErrorsAndOrder(t *testing.T) {
	lines := []struct {
		req     string
		wantErr string // substring of the error; "" for an answer
	}{
		{`{"op":"add","date":"2025-04-14","n":6}`, ""},
		{``, "line 2: blank line"},
		{`   `, "line 3: blank line"},
		{`not json`, "line 4: not a JSON request"},
		{`{"op":"add","date":"2025-04-14"}`, `missing \"n\"`},
		{`{"op":"add","n":3}`, `missing \"date\"`},
		{`{"op":"add","date":"2025-4-14","n":3}`, "not a date in the form YYYY-MM-DD"},
		{`{"op":"add","date":"2025-02-29","n":3}`, "not a date"},
		{`{"op":"add","date":"2101-01-01","n":3}`, "outside the supported dates"},
		{`{"op":"add","date":"2100-12-30","n":5}`, "after 2100-12-31"},
		{`{"op":"add","date":"1990-01-05","n":-5}`, "before 1990-01-01"},
		{`{"op":"add","date":"2025-04-14","n":"6"}`, "not a JSON request"},
		{`{"op":"between","from":"2025-04-14"}`, `missing \"to\"`},
		{`{"op":"between","from":"1989-12-31","to":"2025-01-01"}`, "1989-12-31 is outside"},
		{`{"op":"is_working","date":"2101-01-01"}`, "outside"},
		{`{"op":"holidays"}`, `missing \"year\"`},
		{`{"op":"holidays","year":1989}`, "outside"},
		{`{"op":"frobnicate","date":"2025-01-01"}`, `unknown op \"frobnicate\"`},
		{`{"date":"2025-01-01"}`, `missing \"op\"`},
		{`["op","add"]`, "not a JSON request"},
		{`{"op":"between","from":"2025-04-14","to":"2025-04-24"}`, ""},
	}
	var in strings.Builder
	for _, l := range lines {
		in.WriteString(l.req + "\n")
	}
	out := strings.Split(strings.TrimSuffix(runWorkdays(t, in.String()), "\n"), "\n")
	if len(out) != len(lines) {
		t.Fatalf("%d answers to %d lines:\n%s", len(out), len(lines), strings.Join(out, "\n"))
	}
	for i, l := range lines {
		var a map[string]any
		if err := json.Unmarshal([]byte(out[i]), &a); err != nil {
			t.Errorf("line %d: answer %s is not JSON: %v", i+1, out[i], err)
		}
		_, isErr := a["error"]
		switch {
		case l.wantErr == "" && isErr:
			t.Errorf("line %d %s: unexpected %s", i+1, l.req, out[i])
		case l.wantErr != "" && (!isErr || !strings.Contains(out[i], l.wantErr)):
			t.Errorf("line %d %s: got %s, want an error with %q", i+1, l.req, out[i], l.wantErr)
		}
	}
}

func TestWorkdaysInputShapes(t *testing.T) {
	req := `{"op":"next","date":"2025-04-17"}`
	for name, in := range map[string]string{
		"no final newline": req,
		"CRLF":             req + "\r\n",
		"empty input":      "",
	} {
		got := runWorkdays(t, in)
		want := `{"date":"2025-04-22"}` + "\n"
		if in == "" {
			want = ""
		}
		if got != want {
			t.Errorf("%s: got %q, want %q", name, got, want)
		}
	}
	long := `{"op":"next","date":"2025-04-17","pad":"` + strings.Repeat("x", 100_000) + `"}`
	got := runWorkdays(t, long+"\n"+req+"\n")
	if !strings.HasPrefix(got, `{"error":"line 1: line longer than`) || !strings.HasSuffix(got, "\n"+`{"date":"2025-04-22"}`+"\n") {
		t.Errorf("long line: got %.200q", got)
	}
}

func TestWorkdaysFlags(t *testing.T) {
	var stdout, stderr bytes.Buffer
	noenv := func(string) string { return "" }
	if err := cmdWorkdays(context.Background(), []string{"-h"}, noenv, strings.NewReader(""), &stdout, &stderr); err != nil {
		t.Errorf("-h: %v", err)
	}
	if !strings.Contains(stderr.String(), "--database-url") && !strings.Contains(stderr.String(), "-database-url") {
		t.Errorf("-h did not describe the flag:\n%s", stderr.String())
	}
	for _, args := range [][]string{{"extra"}, {"--no-such-flag"}} {
		if err := cmdWorkdays(context.Background(), args, noenv, strings.NewReader(""), &stdout, &stderr); err == nil {
			t.Errorf("%q: no error", args)
		}
	}
	// DATABASE_URL in the environment is not used: only the flag names a database.
	env := func(k string) string { return "postgres://nobody@127.0.0.1:1/none" }
	stdout.Reset()
	if err := cmdWorkdays(context.Background(), nil, env, strings.NewReader(`{"op":"next","date":"2025-04-17"}`), &stdout, &stderr); err != nil {
		t.Errorf("with DATABASE_URL set: %v", err)
	}
	if err := cmdWorkdays(context.Background(), []string{"--database-url", "postgres://nobody@127.0.0.1:1/none?connect_timeout=2"}, noenv, strings.NewReader(""), &stdout, &stderr); err == nil {
		t.Error("unreachable --database-url: no error")
	}
}

// TestWorkdaysInteractive writes one request at a time and waits for its
// answer: the command must not hold answers back while it waits for input.
func TestWorkdaysInteractive(t *testing.T) {
	pr, pw := io.Pipe()
	or, ow := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- cmdWorkdays(context.Background(), nil, func(string) string { return "" }, pr, ow, io.Discard)
		ow.Close()
	}()
	answers := bufio.NewScanner(or)
	for _, d := range []string{"2025-04-17", "2025-04-22"} {
		fmt.Fprintf(pw, `{"op":"next","date":%q}`+"\n", d)
		if !answers.Scan() {
			t.Fatal("no answer")
		}
		if !strings.HasPrefix(answers.Text(), `{"date":`) {
			t.Errorf("answer %s", answers.Text())
		}
	}
	pw.Close()
	if err := <-done; err != nil {
		t.Error(err)
	}
}

// TestWorkdaysAgainstChecker pipes a random sample of requests through the
// command and checks each answer with the independent checker.
func TestWorkdaysAgainstChecker(t *testing.T) {
	ck := workdaytest.New(workday.FirstYear, workday.LastYear)
	rng := rand.New(rand.NewPCG(7, 8))
	lo := time.Date(1995, time.January, 1, 0, 0, 0, 0, time.UTC)
	const days = 66 * 365
	type want struct {
		op    string
		date  string
		count int
		ok    bool
	}
	var in strings.Builder
	var wants []want
	n := 50_000
	if testing.Short() {
		n = 5_000
	}
	for range n {
		d := lo.AddDate(0, 0, rng.IntN(days))
		switch rng.IntN(3) {
		case 0:
			k := rng.IntN(141) - 70
			fmt.Fprintf(&in, `{"op":"add","date":"%s","n":%d}`+"\n", d.Format(time.DateOnly), k)
			wants = append(wants, want{op: "add", date: ck.Add(d, k).Format(time.DateOnly)})
		case 1:
			e := d.AddDate(0, 0, rng.IntN(201)-100)
			fmt.Fprintf(&in, `{"op":"between","from":"%s","to":"%s"}`+"\n", d.Format(time.DateOnly), e.Format(time.DateOnly))
			wants = append(wants, want{op: "between", count: ck.Between(d, e)})
		default:
			fmt.Fprintf(&in, `{"op":"is_working","date":"%s"}`+"\n", d.Format(time.DateOnly))
			wants = append(wants, want{op: "is_working", ok: ck.IsWorkingDay(d)})
		}
	}
	sc := bufio.NewScanner(strings.NewReader(runWorkdays(t, in.String())))
	i := 0
	for ; sc.Scan(); i++ {
		var a struct {
			Date    string `json:"date"`
			Count   *int   `json:"count"`
			Working *bool  `json:"working"`
			Error   string `json:"error"`
		}
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil || i >= len(wants) {
			t.Fatalf("answer %d %s: %v", i+1, sc.Text(), err)
		}
		w := wants[i]
		switch {
		case a.Error != "":
			t.Fatalf("answer %d: %s", i+1, a.Error)
		case w.op == "add" && a.Date != w.date,
			w.op == "between" && (a.Count == nil || *a.Count != w.count),
			w.op == "is_working" && (a.Working == nil || *a.Working != w.ok):
			t.Fatalf("answer %d: %s; checker says %+v", i+1, sc.Text(), w)
		}
	}
	if i != len(wants) {
		t.Fatalf("%d answers to %d requests", i, len(wants))
	}
}

// TestWorkdaysClosuresFromDatabase reads closure days from a real database.
func TestWorkdaysClosuresFromDatabase(t *testing.T) {
	if testing.Short() {
		t.Skip("needs PostgreSQL")
	}
	url := dbtest.URL(t)
	ctx := context.Background()
	closures := []workday.Closure{
		{Date: workday.NewDate(2025, time.April, 16), Reason: "Office move"},
		{Date: workday.NewDate(2025, time.April, 17), Reason: `Power cut "east" wing`},
	}
	func() {
		conn, err := pgx.Connect(ctx, url)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		for _, c := range closures {
			if _, err := conn.Exec(ctx, `INSERT INTO closure_days (day, reason) VALUES ($1, $2)`, c.Date.String(), c.Reason); err != nil {
				t.Fatal(err)
			}
		}
	}()

	got, err := loadClosures(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(got) != fmt.Sprint(closures) {
		t.Errorf("loadClosures = %v, want %v", got, closures)
	}
	out := runWorkdays(t, `{"op":"add","date":"2025-04-14","n":2}`+"\n"+`{"op":"is_working","date":"2025-04-17"}`+"\n", "--database-url", url)
	want := `{"date":"2025-04-22"}` + "\n" + `{"working":false,"reason":"Office closure: Power cut \"east\" wing"}` + "\n"
	if out != want {
		t.Errorf("with closures:\n%s\nwant\n%s", out, want)
	}
	if out := runWorkdays(t, `{"op":"add","date":"2025-04-14","n":2}`+"\n"); out != `{"date":"2025-04-16"}`+"\n" {
		t.Errorf("without --database-url: %s", out)
	}
}

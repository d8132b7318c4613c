package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"

	"github.com/ofsted/focusedvisits/internal/workday"
)

const workdaysUsage = `usage: focusedvisits workdays [--database-url URL] < requests.jsonl

Answers working-day questions on the England and Wales calendar: one JSON
request a line on stdin, one JSON answer a line on stdout, in the same order.

  {"op":"add","date":"2025-04-14","n":6}              {"date":"2025-04-24"}
  {"op":"between","from":"2025-04-14","to":"2025-04-24"} {"count":6}
  {"op":"is_working","date":"2025-04-18"}             {"working":false,"reason":"Good Friday"}
  {"op":"next","date":"2025-04-17"}                   {"date":"2025-04-22"}
  {"op":"previous","date":"2025-04-22"}               {"date":"2025-04-17"}
  {"op":"explain","date":"2025-04-25","n":10}         {"date":…,"explanation":…,"skipped":[{"date":…,"reason":…}]}
  {"op":"holidays","year":2025}                       {"holidays":[{"date":…,"name":…,"provisional":false}]}

add counts n working days after the date (before it when n < 0; the date
itself never counts); between counts the working days in (from, to].
Dates are YYYY-MM-DD, from 1990-01-01 to 2100-12-31.

Every input line gets exactly one answer line. A line that is not a valid
request (including a blank line) or whose dates are out of range gets
{"error":"…"}, and the lines after it are still answered.

Closure days are added from the closure_days table only with --database-url.

flags:
`

// cmdWorkdays answers working-day questions as JSON Lines (see workdaysUsage).
func cmdWorkdays(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("workdays", flag.ContinueOnError)
	fs.SetOutput(stderr)
	databaseURL := fs.String("database-url", "", "read closure days from this PostgreSQL `URL` (default: bank holidays only)")
	fs.Usage = func() {
		fmt.Fprint(fs.Output(), workdaysUsage)
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
		return fmt.Errorf("workdays: unexpected arguments %q", fs.Args())
	}

	cal := workday.EnglandAndWales()
	if *databaseURL != "" {
		cs, err := loadClosures(ctx, *databaseURL)
		if err != nil {
			return fmt.Errorf("workdays: %w", err)
		}
		cal = cal.WithClosures(cs)
	}
	if err := answerWorkdays(ctx, cal, stdin, stdout); err != nil {
		return fmt.Errorf("workdays: %w", err)
	}
	return nil
}

// maxRequestLine is the longest request line read; a longer line is
// answered with an error.
const maxRequestLine = 64 << 10

// answerWorkdays answers each request line of r on w, streaming: output is
// buffered, and flushed whenever the input has nothing more buffered, so a
// caller that writes one request and waits for its answer gets it.
func answerWorkdays(ctx context.Context, cal *workday.Calendar, r io.Reader, w io.Writer) error {
	in := bufio.NewReaderSize(r, maxRequestLine)
	out := bufio.NewWriterSize(w, 64<<10)
	var buf []byte
	for lineNo := 1; ; lineNo++ {
		if lineNo%4096 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if in.Buffered() == 0 {
			if err := out.Flush(); err != nil {
				return err
			}
		}
		line, err := in.ReadSlice('\n')
		tooLong := false
		for errors.Is(err, bufio.ErrBufferFull) {
			tooLong = true
			_, err = in.ReadSlice('\n')
		}
		if err != nil && err != io.EOF {
			return fmt.Errorf("read line %d: %w", lineNo, err)
		}
		if err == io.EOF && len(line) == 0 && !tooLong {
			break
		}
		if tooLong {
			buf = appendError(buf[:0], lineNo, fmt.Errorf("line longer than %d bytes", maxRequestLine))
		} else {
			buf = answer(buf[:0], cal, lineNo, line)
		}
		buf = append(buf, '\n')
		if _, werr := out.Write(buf); werr != nil {
			return werr
		}
		if err == io.EOF {
			break
		}
	}
	return out.Flush()
}

// workdaysRequest is one request line. Pointers tell a missing field from a
// zero one.
type workdaysRequest struct {
	Op   string `json:"op"`
	Date string `json:"date"`
	N    *int   `json:"n"`
	From string `json:"from"`
	To   string `json:"to"`
	Year *int   `json:"year"`
}

// answer appends the JSON answer (without newline) to one request line.
func answer(b []byte, cal *workday.Calendar, lineNo int, line []byte) []byte {
	line = bytes.TrimSpace(line)
	if len(line) == 0 {
		return appendError(b, lineNo, errors.New("blank line: want a JSON request"))
	}
	var req workdaysRequest
	if err := json.Unmarshal(line, &req); err != nil {
		return appendError(b, lineNo, fmt.Errorf("not a JSON request: %v", err))
	}
	out, err := answerRequest(b, cal, &req)
	if err != nil {
		return appendError(b, lineNo, err)
	}
	return out
}

// answerRequest appends the answer to req, or returns an error.
func answerRequest(b []byte, cal *workday.Calendar, req *workdaysRequest) ([]byte, error) {
	switch req.Op {
	case "add", "explain":
		d, err := requestDate("date", req.Date)
		if err != nil {
			return nil, err
		}
		if req.N == nil {
			return nil, fmt.Errorf("%s: missing \"n\"", req.Op)
		}
		if req.Op == "add" {
			r, err := cal.Add(d, *req.N)
			if err != nil {
				return nil, err
			}
			return appendDateAnswer(b, r), nil
		}
		e, err := cal.Explain(d, *req.N)
		if err != nil {
			return nil, err
		}
		return appendExplanation(b, e), nil
	case "next", "previous":
		d, err := requestDate("date", req.Date)
		if err != nil {
			return nil, err
		}
		var r workday.Date
		if req.Op == "next" {
			r, err = cal.Next(d)
		} else {
			r, err = cal.Previous(d)
		}
		if err != nil {
			return nil, err
		}
		return appendDateAnswer(b, r), nil
	case "between":
		a, err := requestDate("from", req.From)
		if err != nil {
			return nil, err
		}
		z, err := requestDate("to", req.To)
		if err != nil {
			return nil, err
		}
		n, err := cal.Between(a, z)
		if err != nil {
			return nil, err
		}
		b = append(b, `{"count":`...)
		b = strconv.AppendInt(b, int64(n), 10)
		return append(b, '}'), nil
	case "is_working":
		d, err := requestDate("date", req.Date)
		if err != nil {
			return nil, err
		}
		if err := cal.CheckRange(d); err != nil {
			return nil, err
		}
		ok, why := cal.IsWorkingDay(d)
		if ok {
			return append(b, `{"working":true}`...), nil
		}
		b = append(b, `{"working":false,"reason":`...)
		b = appendJSONString(b, why)
		return append(b, '}'), nil
	case "holidays":
		if req.Year == nil {
			return nil, errors.New(`holidays: missing "year"`)
		}
		if *req.Year < workday.FirstYear || *req.Year > workday.LastYear {
			return nil, fmt.Errorf("holidays: year %d is outside %d to %d", *req.Year, workday.FirstYear, workday.LastYear)
		}
		b = append(b, `{"holidays":[`...)
		for i, h := range cal.Holidays(*req.Year) {
			if i > 0 {
				b = append(b, ',')
			}
			b = append(b, `{"date":"`...)
			b = append(b, h.Date.String()...)
			b = append(b, `","name":`...)
			b = appendJSONString(b, h.Name)
			b = append(b, `,"provisional":`...)
			b = strconv.AppendBool(b, h.Provisional)
			b = append(b, '}')
		}
		return append(b, "]}"...), nil
	case "":
		return nil, errors.New(`missing "op"`)
	}
	return nil, fmt.Errorf("unknown op %q (want add, between, is_working, next, previous, explain or holidays)", req.Op)
}

// requestDate parses the date in a request field.
func requestDate(field, s string) (workday.Date, error) {
	if s == "" {
		return workday.Date{}, fmt.Errorf("missing %q", field)
	}
	d, err := workday.ParseDate(s)
	if err != nil {
		return workday.Date{}, fmt.Errorf("%s: %w", field, err)
	}
	return d, nil
}

func appendDateAnswer(b []byte, d workday.Date) []byte {
	b = append(b, `{"date":"`...)
	b, _ = d.AppendText(b)
	return append(b, `"}`...)
}

func appendExplanation(b []byte, e workday.Explanation) []byte {
	b = append(b, `{"date":"`...)
	b, _ = e.Result.AppendText(b)
	b = append(b, `","explanation":`...)
	b = appendJSONString(b, e.String())
	b = append(b, `,"skipped":[`...)
	for i, s := range e.Skipped {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"date":"`...)
		b, _ = s.Date.AppendText(b)
		b = append(b, `","reason":`...)
		b = appendJSONString(b, s.Reason)
		b = append(b, '}')
	}
	return append(b, "]}"...)
}

func appendError(b []byte, lineNo int, err error) []byte {
	b = append(b, `{"error":`...)
	return append(appendJSONString(b, "line "+strconv.Itoa(lineNo)+": "+err.Error()), '}')
}

// appendJSONString appends s as a JSON string: quotes, backslashes and
// control characters escaped, invalid UTF-8 replaced by U+FFFD.
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
			i++
		case c < 0x20:
			switch c {
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
		case c < utf8.RuneSelf:
			b = append(b, c)
			i++
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				b = append(b, `\ufffd`...)
			} else {
				b = append(b, s[i:i+size]...)
			}
			i += size
		}
	}
	return append(b, '"')
}

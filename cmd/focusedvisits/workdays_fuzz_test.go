package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/ofsted/focusedvisits/internal/workday"
)

// FuzzWorkdaysLine: whatever comes in, the command never panics or fails,
// and answers every input line with exactly one line of JSON.
func FuzzWorkdaysLine(f *testing.F) {
	for _, s := range []string{
		`{"op":"add","date":"2025-04-14","n":6}`,
		`{"op":"between","from":"2025-04-14","to":"2025-04-24"}`,
		`{"op":"is_working","date":"2025-04-18"}` + "\n" + `{"op":"next","date":"2025-04-17"}`,
		`{"op":"explain","date":"2025-04-25","n":10}`, `{"op":"holidays","year":2025}`,
		`{"op":"add","date":"2100-12-31","n":99999999999}`, `{"op":"add","date":"1990-01-01","n":-9223372036854775808}`,
		`{"op":"holidays","year":-1}`, `{"op":"previous","date":"0000-00-00"}`, "", "\n\n", "{", "null", "[]",
		"\xff\xfe", `{"op":"add","date":"2025-04-14","n":1.5}`, `{"op":"add","date":"2025-04-14","n":1e400}`,
		"\r\n", `{"op":"between","from":"2100-12-31","to":"1990-01-01"}`,
	} {
		f.Add(s)
	}
	cal := workday.EnglandAndWales()
	f.Fuzz(func(t *testing.T, in string) {
		var out bytes.Buffer
		if err := answerWorkdays(context.Background(), cal, strings.NewReader(in), &out); err != nil {
			t.Fatalf("%q: %v", in, err)
		}
		want := strings.Count(in, "\n")
		if in != "" && !strings.HasSuffix(in, "\n") {
			want++
		}
		lines := strings.Split(strings.TrimSuffix(out.String(), "\n"), "\n")
		if out.Len() == 0 {
			lines = nil
		}
		if len(lines) != want {
			t.Fatalf("%q: %d answer lines, want %d:\n%s", in, len(lines), want, out.String())
		}
		for i, l := range lines {
			if !json.Valid([]byte(l)) {
				t.Fatalf("%q: answer %d is not JSON: %q", in, i+1, l)
			}
		}
	})
}

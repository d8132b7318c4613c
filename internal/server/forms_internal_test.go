package server

import "testing"

func TestClean(t *testing.T) {
	for in, want := range map[string]string{
		"  two\r\nlines  ":      "two\nlines",
		"old\rmac":              "old\nmac",
		"tab\tkept":             "tab\tkept",
		"nul\x00esc\x1bdel\x7f": "nulescdel",
		"":                      "",
	} {
		if got := clean(in); got != want {
			t.Errorf("clean(%q) = %q, want %q", in, got, want)
		}
	}
}

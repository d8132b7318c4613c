package server

import "testing"

func TestCSVCell(t *testing.T) {
	for in, want := range map[string]string{
		"":                 "",
		"Visit cancelled":  "Visit cancelled",
		"=1+1":             "'=1+1",
		"+44 20 7946 0000": "'+44 20 7946 0000",
		"-2":               "'-2",
		"@SUM(A1:A2)":      "'@SUM(A1:A2)",
		"\t=cmd":           "'\t=cmd",
		"\r=cmd":           "'\r=cmd",
		"Reason: =cmd":     "Reason: =cmd",
		"'already quoted":  "'already quoted",
	} {
		if got := csvCell(in); got != want {
			t.Errorf("csvCell(%q) = %q, want %q", in, got, want)
		}
	}
}

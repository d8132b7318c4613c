package user_test

import (
	"strings"
	"testing"

	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/user/commonpasswords"
)

// TestCheckPassword: at least 12 characters, not on the common list
// (ignoring case), and no rules about kinds of character.
func TestCheckPassword(t *testing.T) {
	if n := commonpasswords.Len(); n < 45_000 {
		t.Fatalf("the common-password list has %d passwords", n)
	}
	for p, ok := range map[string]bool{
		"short":                        false,
		"1q2w3e4r5t6y":                 false, // on the list
		"QWERTY123456":                 false, // on the list, in another case
		"administrator":                false,
		"correct horse battery staple": true,
		"all lower case no digits":     true,
		"aaaaaaaaaaaa":                 true, // no composition rules; not on the list
		strings.Repeat("x", 257):       false,
	} {
		if got := user.CheckPassword(p) == ""; got != ok {
			t.Errorf("CheckPassword(%q) accepted %v, want %v (%s)", p, got, ok, user.CheckPassword(p))
		}
	}
}

package publicid_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/ofsted/focusedvisits/internal/publicid"
)

func TestAlphabet(t *testing.T) {
	if len(publicid.Alphabet) != 32 {
		t.Fatalf("alphabet of %d characters, want 32", len(publicid.Alphabet))
	}
	for i, c := range publicid.Alphabet {
		if strings.IndexRune(publicid.Alphabet, c) != i {
			t.Errorf("%q twice in the alphabet", c)
		}
		if strings.ContainsRune("ilou", c) {
			t.Errorf("%q is easily misread", c)
		}
	}
}

func TestValid(t *testing.T) {
	pattern := regexp.MustCompile(publicid.Pattern)
	seen := map[string]bool{}
	for range 1000 {
		id := publicid.New()
		if !publicid.Valid(id) || !pattern.MatchString(id) {
			t.Fatalf("New() = %q, not valid", id)
		}
		if seen[id] {
			t.Fatalf("New() gave %q twice", id)
		}
		seen[id] = true
	}
	for _, s := range []string{
		"", "1", "12345", "2147483648", "-1", "0000000000000000000", "000000000000000000000",
		"00000000000000000000\x00", "0000000000000000000i", "0000000000000000000l", "0000000000000000000o",
		"0000000000000000000u", "0000000000000000000A", "000000000000000000\xc3\xa9", "000000000000000000 0",
		"00000000000000000/00", "0000000000000000000%", strings.Repeat("a", 1<<16),
	} {
		if publicid.Valid(s) {
			t.Errorf("Valid(%q) = true", s)
		}
		if publicid.Valid(s) != pattern.MatchString(s) {
			t.Errorf("Valid and Pattern disagree on %q", s)
		}
	}
	// Every character of the alphabet, in every place, is valid; Valid and
	// Pattern agree on every byte.
	for c := range 256 {
		s := strings.Repeat("0", publicid.Length-1) + string(rune(c))
		if c >= 128 {
			s = strings.Repeat("0", publicid.Length-1) + string([]byte{byte(c)})
		}
		want := strings.IndexByte(publicid.Alphabet, byte(c)) >= 0
		if publicid.Valid(s) != want || pattern.MatchString(s) != want {
			t.Errorf("byte %#x: Valid %v, Pattern %v, want %v", c, publicid.Valid(s), pattern.MatchString(s), want)
		}
	}
}

func FuzzValid(f *testing.F) {
	f.Add(publicid.New())
	f.Add("0123456789abcdefghjk")
	f.Add("0123456789abcdefghij")
	pattern := regexp.MustCompile(publicid.Pattern)
	f.Fuzz(func(t *testing.T, s string) {
		if publicid.Valid(s) != pattern.MatchString(s) {
			t.Errorf("Valid(%q) = %v, Pattern says %v", s, publicid.Valid(s), pattern.MatchString(s))
		}
	})
}

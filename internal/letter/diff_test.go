package letter_test

import (
	"strings"
	"testing"

	"github.com/ofsted/focusedvisits/internal/letter"
)

func render(cs []letter.Chunk) string {
	var b strings.Builder
	for _, c := range cs {
		switch c.Op {
		case letter.Added:
			b.WriteString("{+" + c.Text + "+}")
		case letter.Removed:
			b.WriteString("[-" + c.Text + "-]")
		default:
			b.WriteString(c.Text)
		}
	}
	return b.String()
}

func TestDiff(t *testing.T) {
	tests := []struct{ a, b, want string }{
		{"", "", ""},
		{"same text", "same text", "same text"},
		{"", "new", "{+new+}"},
		{"old", "", "[-old-]"},
		{"Leaders know their service well.", "Leaders know their service very well.", "Leaders know their service {+very +}well."},
		{"The quick brown fox", "The slow red fox", "The [-quick brown-]{+slow red+} fox"},
		{"One.\nTwo.", "One.\nThree.", "One.\n[-Two-]{+Three+}."},
	}
	for _, tt := range tests {
		got := render(letter.Diff(tt.a, tt.b))
		if got != tt.want {
			t.Errorf("Diff(%q, %q) = %q, want %q", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestDiffKeepsBothTexts: the same chunks rebuild a and b, for any input.
func TestDiffKeepsBothTexts(t *testing.T) {
	pairs := [][2]string{
		{"a b c d e f", "a c d x f g"},
		{"Guardians' caseloads are high; leaders know.", "Caseloads are high, and leaders do not know."},
		{strings.Repeat("word ", 3000), strings.Repeat("word ", 2000) + "end " + strings.Repeat("other ", 1500)},
	}
	for _, p := range pairs {
		var a, b strings.Builder
		for _, c := range letter.Diff(p[0], p[1]) {
			if c.Op != letter.Added {
				a.WriteString(c.Text)
			}
			if c.Op != letter.Removed {
				b.WriteString(c.Text)
			}
		}
		if a.String() != p[0] || b.String() != p[1] {
			t.Errorf("Diff(%.30q, %.30q) does not rebuild its inputs", p[0], p[1])
		}
	}
}

package letter_test

import (
	"fmt"
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

// TestDiffOneWordInALongParagraph: one changed word in a paragraph of 5,000
// words is one small change, not the whole paragraph removed and added.
func TestDiffOneWordInALongParagraph(t *testing.T) {
	var a strings.Builder
	for i := range 5000 {
		fmt.Fprintf(&a, "w%d ", i%977)
	}
	old := a.String()
	changed := strings.Replace(old, " w500 ", " changed ", 1)
	cs := letter.Diff(old, changed)
	var marked int
	for _, c := range cs {
		if c.Op != letter.Same {
			marked += len(c.Text)
		}
	}
	if marked != len("w500")+len("changed") {
		t.Errorf("marked %d characters as changed, want %d: %.200q", marked, len("w500")+len("changed"), render(cs))
	}
	// And a change at both ends of the paragraph, which leaves no common
	// prefix or suffix.
	both := "start " + old[3:len(old)-5] + " end"
	marked = 0
	for _, c := range letter.Diff(old, both) {
		if c.Op != letter.Same {
			marked += len(c.Text)
		}
	}
	if marked > 40 {
		t.Errorf("a change at both ends marked %d characters", marked)
	}
}

// TestDiffManySymbols: more distinct words than the surrogate range leaves
// room for below it still rebuild both texts.
func TestDiffManySymbols(t *testing.T) {
	var a, b strings.Builder
	for i := range 60000 {
		fmt.Fprintf(&a, "a%d ", i)
		fmt.Fprintf(&b, "a%d ", i)
		if i%1000 == 0 {
			fmt.Fprintf(&b, "new%d ", i)
		}
	}
	var ra, rb strings.Builder
	for _, c := range letter.Diff(a.String(), b.String()) {
		if c.Op != letter.Added {
			ra.WriteString(c.Text)
		}
		if c.Op != letter.Removed {
			rb.WriteString(c.Text)
		}
	}
	if ra.String() != a.String() || rb.String() != b.String() {
		t.Error("does not rebuild its inputs")
	}
}

package letter

import (
	"fmt"
	"strings"
	"unicode"
)

// Op is what a piece of a comparison is.
type Op int

// The operations of a comparison.
const (
	Same Op = iota
	Added
	Removed
)

// Chunk is a run of text that is the same in both versions, or only in one.
type Chunk struct {
	Op   Op
	Text string
}

// maxCells bounds the word comparison's table (its memory is 4 bytes a cell):
// beyond it the texts are compared line by line, and beyond that as wholes.
const maxCells = 4_000_000

// Diff compares two texts word by word (a longest common subsequence over
// words and the spaces between them) and returns the chunks in order: Same
// text, then what was Removed from a and Added in b.
func Diff(a, b string) []Chunk {
	if a == b {
		if a == "" {
			return nil
		}
		return []Chunk{{Same, a}}
	}
	x, y := words(a), words(b)
	if (len(x)+1)*(len(y)+1) > maxCells {
		x, y = lines(a), lines(b)
	}
	return merge(lcs(x, y))
}

// words splits text into words, runs of spaces, and single punctuation
// marks, so that joining them gives the text back.
func words(s string) []string {
	var out []string
	start := -1
	kind := 0 // 1 word, 2 space
	for i, r := range s {
		k := 1
		switch {
		case unicode.IsSpace(r):
			k = 2
		case unicode.IsPunct(r):
			k = 3
		}
		if start >= 0 && (k != kind || k == 3) {
			out = append(out, s[start:i])
			start = -1
		}
		if start < 0 {
			start, kind = i, k
		}
	}
	if start >= 0 {
		out = append(out, s[start:])
	}
	return out
}

func lines(s string) []string { return strings.SplitAfter(s, "\n") }

func lcs(x, y []string) []Chunk {
	// Common prefix and suffix first: most edits are small.
	p := 0
	for p < len(x) && p < len(y) && x[p] == y[p] {
		p++
	}
	q := 0
	for q < len(x)-p && q < len(y)-p && x[len(x)-1-q] == y[len(y)-1-q] {
		q++
	}
	var out []Chunk
	for _, w := range x[:p] {
		out = append(out, Chunk{Same, w})
	}
	mx, my := x[p:len(x)-q], y[p:len(y)-q]
	if (len(mx)+1)*(len(my)+1) > maxCells {
		for _, w := range mx {
			out = append(out, Chunk{Removed, w})
		}
		for _, w := range my {
			out = append(out, Chunk{Added, w})
		}
	} else {
		n, m := len(mx), len(my)
		// t[i][j] is the length of the LCS of mx[i:] and my[j:].
		t := make([]int32, (n+1)*(m+1))
		at := func(i, j int) int32 { return t[i*(m+1)+j] }
		for i := n - 1; i >= 0; i-- {
			for j := m - 1; j >= 0; j-- {
				v := max(at(i+1, j), at(i, j+1))
				if mx[i] == my[j] {
					v = at(i+1, j+1) + 1
				}
				t[i*(m+1)+j] = v
			}
		}
		i, j := 0, 0
		for i < n && j < m {
			switch {
			case mx[i] == my[j]:
				out = append(out, Chunk{Same, mx[i]})
				i, j = i+1, j+1
			case at(i+1, j) >= at(i, j+1):
				out = append(out, Chunk{Removed, mx[i]})
				i++
			default:
				out = append(out, Chunk{Added, my[j]})
				j++
			}
		}
		for ; i < n; i++ {
			out = append(out, Chunk{Removed, mx[i]})
		}
		for ; j < m; j++ {
			out = append(out, Chunk{Added, my[j]})
		}
	}
	for _, w := range x[len(x)-q:] {
		out = append(out, Chunk{Same, w})
	}
	return out
}

// merge joins neighbouring chunks of the same kind, and lets a space
// between two changes join them, so the marks read as phrases.
func merge(cs []Chunk) []Chunk {
	// A lone space between two changed words belongs to the change.
	for i := 1; i+1 < len(cs); i++ {
		if cs[i].Op == Same && strings.TrimSpace(cs[i].Text) == "" && !strings.Contains(cs[i].Text, "\n") &&
			cs[i-1].Op != Same && cs[i+1].Op != Same {
			cs[i] = Chunk{Removed, cs[i].Text}
			cs = append(cs[:i+1], append([]Chunk{{Added, cs[i].Text}}, cs[i+1:]...)...)
			i++
		}
	}
	// Within a run of changes, removals before additions.
	var out []Chunk
	for i := 0; i < len(cs); {
		if cs[i].Op == Same {
			out = appendChunk(out, cs[i])
			i++
			continue
		}
		var rem, add strings.Builder
		for ; i < len(cs) && cs[i].Op != Same; i++ {
			if cs[i].Op == Removed {
				rem.WriteString(cs[i].Text)
			} else {
				add.WriteString(cs[i].Text)
			}
		}
		if rem.Len() > 0 {
			out = appendChunk(out, Chunk{Removed, rem.String()})
		}
		if add.Len() > 0 {
			out = appendChunk(out, Chunk{Added, add.String()})
		}
	}
	return out
}

func appendChunk(out []Chunk, c Chunk) []Chunk {
	if n := len(out); n > 0 && out[n-1].Op == c.Op {
		out[n-1].Text += c.Text
		return out
	}
	return append(out, c)
}

// Changed reports whether the comparison found any change.
func Changed(cs []Chunk) bool {
	for _, c := range cs {
		if c.Op != Same {
			return true
		}
	}
	return false
}

// FindingsText is the findings of a kind as text, one finding a paragraph,
// for comparing versions.
func (c Content) FindingsText(k Kind) string {
	var b strings.Builder
	for _, f := range c.FindingsOf(k) {
		if b.Len() > 0 {
			b.WriteString("\n\n")
		}
		fmt.Fprintf(&b, "[%s] %s", f.Area.Label(), f.Text)
	}
	return b.String()
}

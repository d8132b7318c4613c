package letter

import (
	"fmt"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
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

// Diff compares two texts word by word and returns the chunks in order: Same
// text, then what was Removed from a and Added in b.
//
// Each word, run of spaces and punctuation mark becomes one symbol, and the
// symbols are compared with Myers' algorithm (github.com/sergi/go-diff, whose
// cost grows with the size of the change, not of the text), so one changed word
// in a paragraph of thousands is one small change. Past diffTimeout it gives a
// correct but coarser comparison rather than none.
func Diff(a, b string) []Chunk {
	if a == b {
		if a == "" {
			return nil
		}
		return []Chunk{{Same, a}}
	}
	x, y := words(a), words(b)
	symbols := map[string]rune{}
	var tokens []string
	encode := func(ws []string) []rune {
		rs := make([]rune, len(ws))
		for i, w := range ws {
			r, ok := symbols[w]
			if !ok {
				r = symbol(len(tokens))
				symbols[w] = r
				tokens = append(tokens, w)
			}
			rs[i] = r
		}
		return rs
	}
	rx, ry := encode(x), encode(y)
	if len(tokens) > maxSymbols {
		return []Chunk{{Removed, a}, {Added, b}}
	}
	dmp := diffmatchpatch.New()
	dmp.DiffTimeout = diffTimeout
	var out []Chunk
	for _, d := range dmp.DiffMainRunes(rx, ry, false) {
		op := Same
		switch d.Type {
		case diffmatchpatch.DiffInsert:
			op = Added
		case diffmatchpatch.DiffDelete:
			op = Removed
		}
		// Symbols are indexes into tokens; go-diff carries them as the
		// runes of a string, so they are read back rune by rune.
		for _, r := range d.Text {
			out = append(out, Chunk{op, tokens[index(r)]})
		}
	}
	return merge(out)
}

// Symbols are valid runes, so they survive go-diff's strings: the surrogate
// range, which a Go string cannot hold, is skipped.
const (
	surrogates = 0xD800
	skipped    = 0x800
	maxSymbols = utf8.MaxRune + 1 - skipped
)

func symbol(i int) rune {
	if i >= surrogates {
		i += skipped
	}
	return rune(i)
}

func index(r rune) int {
	if r >= surrogates+skipped {
		return int(r) - skipped
	}
	return int(r)
}

// diffTimeout bounds the time one comparison may take.
const diffTimeout = 500 * time.Millisecond

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

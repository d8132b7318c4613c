// Package feedback holds the anonymous feedback form for children and young
// people (issue 17, item 6): the short code a visit's form is found by, the
// questions and how answers are checked and cleaned (plain text only, no
// obvious identifiers), when the form is open, who may see the code and
// the answers (Check), and the limits that keep the public form from being
// flooded. It does no I/O.
package feedback

import (
	"crypto/rand"
	"math/big"
	"strings"
)

// CodeAlphabet is what a code is made of: digits and capital letters
// without those easily misread for others (0 and O, 1, I and L).
const CodeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// CodeLength is the number of characters in a code: 31^8, about 8.5 x
// 10^11 codes, and the rate limits make guessing one useless.
const CodeLength = 8

// NewCode makes a code from crypto/rand, each character chosen uniformly.
func NewCode() (string, error) {
	var b strings.Builder
	n := big.NewInt(int64(len(CodeAlphabet)))
	for range CodeLength {
		i, err := rand.Int(rand.Reader, n)
		if err != nil {
			return "", err
		}
		b.WriteByte(CodeAlphabet[i.Int64()])
	}
	return b.String(), nil
}

// FormatCode groups a code in fours for reading out: "K7QP-M4XD".
func FormatCode(c string) string {
	if len(c) != CodeLength {
		return c
	}
	return c[:4] + "-" + c[4:]
}

// NormalizeCode reads a code as typed: any case, with or without spaces and
// hyphens. A code with a character outside CodeAlphabet is not a code:
// nothing is guessed.
// It returns the code and whether it is one.
func NormalizeCode(s string) (string, bool) {
	if len(s) > 64 {
		return "", false
	}
	var b strings.Builder
	for _, r := range strings.ToUpper(s) {
		switch {
		case r == ' ' || r == '-' || r == '\t':
			continue
		case r < 128 && strings.IndexByte(CodeAlphabet, byte(r)) >= 0:
			b.WriteRune(r)
		default:
			return "", false
		}
	}
	c := b.String()
	return c, len(c) == CodeLength
}

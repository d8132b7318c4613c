// Package publicid is what the ids in the service's URLs look like. Rows
// that a URL names (visits and what hangs on them: request items, questions,
// files, comments, complaints, deferrals, sample cases) carry a random
// public id beside their integer primary key, so that a URL reveals nothing
// about how many rows there are or when one was made; the integer ids stay
// inside the database and the code.
//
// PostgreSQL makes the ids (the new_public_id() default of migration 00015,
// from gen_random_uuid's strong random bytes): Length characters of
// Alphabet, 5 random bits each (100 bits). Valid checks a URL's value
// before any query is sent, so a malformed id costs no database work.
package publicid

import "crypto/rand"

// Alphabet is Crockford's base 32 in lower case: digits and letters
// without i, l, o and u, so an id read aloud or copied by hand is not
// mistaken.
const Alphabet = "0123456789abcdefghjkmnpqrstvwxyz"

// Length is how many characters an id has.
const Length = 20

// Pattern is the regular expression every id matches; the migration's
// CHECK constraints use the same one.
const Pattern = `^[0-9a-hjkmnp-tv-z]{20}$`

// Valid reports whether s is a well-formed public id. It says nothing of
// whether a row has it.
func Valid(s string) bool {
	if len(s) != Length {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !inAlphabet(s[i]) {
			return false
		}
	}
	return true
}

func inAlphabet(c byte) bool {
	switch {
	case c >= '0' && c <= '9':
		return true
	case c >= 'a' && c <= 'z':
		return c != 'i' && c != 'l' && c != 'o' && c != 'u'
	}
	return false
}

// New returns a fresh random id of the same form, from crypto/rand: for
// tests that need an id no row has, and for any id made outside the
// database.
func New() string {
	var b [Length]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(err) // crypto/rand never fails on supported platforms
	}
	for i := range b {
		b[i] = Alphabet[b[i]&31]
	}
	return string(b[:])
}

// Package commonpasswords is the list of common passwords a new password is
// checked against (the NCSC advises refusing them rather than imposing
// composition rules).
//
// passwords.json is src/passwords.json of the npm package
// @zxcvbn-ts/language-common 4.1.3 (MIT, LICENSE.txt beside it): 49,233
// passwords from leaked password lists, most common first. Refresh it with
// `make common-passwords`, which checks the count and prints the digest.
package commonpasswords

import (
	_ "embed"
	"encoding/json"
	"strings"
	"sync"
)

// Source names where the list comes from.
const Source = "@zxcvbn-ts/language-common 4.1.3"

//go:embed passwords.json
var raw []byte

var set = sync.OnceValue(func() map[string]struct{} {
	var words []string
	if err := json.Unmarshal(raw, &words); err != nil {
		panic("commonpasswords: passwords.json: " + err.Error())
	}
	m := make(map[string]struct{}, len(words))
	for _, w := range words {
		m[strings.ToLower(w)] = struct{}{}
	}
	return m
})

// Len is how many passwords the list holds.
func Len() int { return len(set()) }

// Contains reports whether p is on the list, ignoring case.
func Contains(p string) bool {
	_, ok := set()[strings.ToLower(p)]
	return ok
}

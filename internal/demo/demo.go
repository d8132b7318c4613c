// Package demo loads the demonstration data a newcomer sees after `make run`:
// one user per role (with fresh random passwords) and, as the service grows,
// visits at several stages.
package demo

import (
	"context"
	"crypto/rand"
	"fmt"

	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/user"
)

// Credential is a demo user's sign-in.
type Credential struct {
	Email    string
	Password string
	Name     string
	Role     user.Role
}

// People are the demo users, one per role.
var People = []struct {
	Email string
	Name  string
	Role  user.Role
}{
	{"admin@ofsted.example", "Alex Admin", user.Admin},
	{"lead@ofsted.example", "Leila Lead", user.LeadInspector},
	{"inspector@ofsted.example", "Tom Team", user.TeamInspector},
	{"qam@ofsted.example", "Quentin Quality", user.QAM},
	{"sao@ofsted.example", "Sana Analyst", user.SAO},
	{"ceo@cafcass.example", "Chris Chief", user.CafcassCEO},
	{"deputy@cafcass.example", "Dana Deputy", user.CafcassDeputy},
}

// Load creates the demo users in one transaction and returns their
// credentials. It fails if any of them exists already.
func Load(ctx context.Context, st *store.Store) ([]Credential, error) {
	var creds []Credential
	err := st.WithTx(ctx, func(tx *store.Store) error {
		creds = creds[:0]
		for _, p := range People {
			pw := Password()
			hash, err := user.HashPassword(pw)
			if err != nil {
				return err
			}
			if _, err := tx.CreateUser(ctx, user.New{Email: p.Email, Name: p.Name, Role: p.Role, Password: pw}, hash); err != nil {
				return fmt.Errorf("demo: user %s: %w", p.Email, err)
			}
			creds = append(creds, Credential{Email: p.Email, Password: pw, Name: p.Name, Role: p.Role})
		}
		return nil
	})
	return creds, err
}

// Password returns a random password of four lower-case words' length that
// is easy to type: 16 letters in groups of four.
func Password() string {
	const letters = "abcdefghjkmnpqrstuvwxyz"
	b := make([]byte, 19)
	r := make([]byte, 16)
	_, _ = rand.Read(r)
	j := 0
	for i := range b {
		if i%5 == 4 {
			b[i] = '-'
			continue
		}
		b[i] = letters[int(r[j])%len(letters)]
		j++
	}
	return string(b)
}

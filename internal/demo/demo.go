// Package demo loads the demonstration data a newcomer sees after `make run`:
// one user per role (with fresh random passwords) and, as the service grows,
// visits at several stages.
package demo

import (
	"context"
	"crypto/rand"
	"fmt"
	"time"

	"github.com/ofsted/focusedvisits/internal/jobs"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/workday"
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
	// A second QAM, named as the visits' moderator (DOMAIN decision 14).
	{"moderator@ofsted.example", "Mona Moderator", user.QAM},
	{"sao@ofsted.example", "Sana Analyst", user.SAO},
	{"ceo@cafcass.example", "Chris Chief", user.CafcassCEO},
	{"deputy@cafcass.example", "Dana Deputy", user.CafcassDeputy},
}

// Load creates the demo users and visits, with the visits placed around
// today's date in London. See LoadAt.
func Load(ctx context.Context, st *store.Store) ([]Credential, error) {
	return loadAt(ctx, st, workday.DateOf(time.Now().In(workday.London)), time.Now)
}

// LoadAt creates the demo users and visits in one transaction and returns
// the users' credentials. The visits sit at several stages around today.
// It fails if any of the users exists already. Then it runs the scheduled
// jobs due at 00:00 on today in London (internal/jobs), as the service
// would: the letter whose publication date has passed is published by
// them, stamped with that date, rather than by the loader.
func LoadAt(ctx context.Context, st *store.Store, today workday.Date) ([]Credential, error) {
	midnight := time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, workday.London)
	return loadAt(ctx, st, today, func() time.Time { return midnight })
}

func loadAt(ctx context.Context, st *store.Store, today workday.Date, now func() time.Time) ([]Credential, error) {
	var creds []Credential
	err := st.WithTx(ctx, func(tx *store.Store) error {
		creds = creds[:0]
		users := map[user.Role][]user.User{}
		add := func(email, name string, role user.Role) (string, error) {
			pw := Password()
			hash, err := user.HashPassword(pw)
			if err != nil {
				return "", err
			}
			u, err := tx.CreateUser(ctx, user.New{Email: email, Name: name, Role: role, Password: pw}, hash)
			if err != nil {
				return "", fmt.Errorf("demo: user %s: %w", email, err)
			}
			users[role] = append(users[role], u)
			return pw, nil
		}
		for _, p := range People {
			pw, err := add(p.Email, p.Name, p.Role)
			if err != nil {
				return err
			}
			creds = append(creds, Credential{Email: p.Email, Password: pw, Name: p.Name, Role: p.Role})
		}
		for _, p := range extraInspectors {
			if _, err := add(p.Email, p.Name, user.TeamInspector); err != nil {
				return err
			}
		}
		return loadVisits(ctx, tx, today, users)
	})
	if err != nil {
		return creds, err
	}
	// The retention purge is left to the service, which knows its period.
	if _, err := jobs.RunDue(ctx, jobs.Config{Store: st, Now: now}); err != nil {
		return creds, fmt.Errorf("demo: scheduled jobs: %w", err)
	}
	return creds, nil
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

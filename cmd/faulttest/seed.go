package main

import (
	"context"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/ofsted/focusedvisits/internal/demo"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// password is every seeded user's password.
const password = "fault test password, not a secret"

// visitsPerUser is how many visits each virtual user (a lead inspector) leads.
const visitsPerUser = 3

// account is a virtual user's sign-in and the visits they lead.
type account struct {
	Email  string
	Visits []demo.SeededVisit
}

// seed creates, through the store (internal/demo), one lead inspector per
// virtual user, each leading visitsPerUser visits in the coming weeks with a
// QAM, an SAO and the Cafcass users, and returns their sign-ins.
func seed(ctx context.Context, dbURL string, users int) ([]account, error) {
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		return nil, err
	}
	defer pool.Close()
	st := store.New(pool)
	team, err := demo.SeedTeam(ctx, st, demo.TeamOptions{Leads: users, Password: password})
	if err != nil {
		return nil, err
	}
	today := workday.DateOf(time.Now().In(workday.London))
	byLead, err := demo.SeedVisits(ctx, st, team, demo.VisitOptions{PerLead: visitsPerUser, Today: today, Schedule: demo.Ahead})
	if err != nil {
		return nil, err
	}
	accounts := make([]account, users)
	for i, l := range team.Leads {
		accounts[i] = account{Email: l.Email, Visits: byLead[i]}
	}
	return accounts, nil
}

package main

import (
	"context"

	"github.com/ofsted/focusedvisits/internal/demo"
	"github.com/ofsted/focusedvisits/internal/harness"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// password is every seeded user's password.
const password = "fault test password, not a secret"

// visitsPerUser is how many visits each virtual user (a lead inspector) leads.
const visitsPerUser = 3

// seed creates, through the store (internal/demo), one lead inspector per
// virtual user, each leading visitsPerUser visits in the coming weeks with a
// QAM, an SAO and the Cafcass users, and returns their sign-ins.
func seed(ctx context.Context, dbURL string, users int) (accounts []demo.LeadVisits, err error) {
	err = harness.WithStore(ctx, dbURL, func(st *store.Store) error {
		accounts, err = demo.SeedLeads(ctx, st, demo.TeamOptions{Leads: users, Password: password},
			demo.VisitOptions{PerLead: visitsPerUser, Today: workday.Today(workday.London), Schedule: demo.Ahead})
		return err
	})
	return accounts, err
}

package main

import (
	"context"
	"time"

	"github.com/ofsted/focusedvisits/internal/demo"
	"github.com/ofsted/focusedvisits/internal/harness"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// password is every seeded user's password.
const password = "memory check password, not a secret"

// world is what the phases use.
type world struct {
	visitID, itemID int64
	// visitPath and itemPath are their pages, by public id.
	visitPath, itemPath string
	notice              workday.Date
	ceoEmail            string
	emails              []string  // real users, for wrong passwords
	from, to            time.Time // the dates the lists cover
}

// seed creates, through the store (internal/demo), a lead inspector, twenty
// team inspectors and the Cafcass users, and a focused visit whose notice
// was given five working days ago, with the whole information request.
func seed(ctx context.Context, dbURL string) (world, error) {
	var w world
	err := harness.WithStore(ctx, dbURL, func(st *store.Store) error {
		team, err := demo.SeedTeam(ctx, st, demo.TeamOptions{Leads: 1, Inspectors: 20, Password: password})
		if err != nil {
			return err
		}
		now := time.Now().In(workday.London)
		c, err := demo.SeedChildListVisit(ctx, st, team.Leads[0], team.CEO, workday.DateOf(now))
		if err != nil {
			return err
		}
		w = world{visitID: c.VisitID, itemID: c.Item.ID, visitPath: c.VisitPublicID, itemPath: c.Item.PublicID,
			notice: c.Notice, ceoEmail: team.CEO.Email, emails: team.Emails()}
		// The lists cover the four weeks before today.
		day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
		w.from, w.to = day.AddDate(0, 0, -28), day.AddDate(0, 0, -1)
		return nil
	})
	return w, err
}

// rowCount is how many child-level rows the visit has stored.
func (w world) rowCount(ctx context.Context, dbURL string) (n int, err error) {
	err = harness.WithStore(ctx, dbURL, func(st *store.Store) error {
		n, err = st.ChildRowCount(ctx, w.visitID)
		return err
	})
	return n, err
}

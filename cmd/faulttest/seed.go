package main

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// password is every seeded user's password.
const password = "fault test password, not a secret"

// visitsPerUser is how many visits each virtual user (a lead inspector) leads.
const visitsPerUser = 3

// account is a virtual user's sign-in and the visits they lead.
type account struct {
	Email  string
	Visits []seeded
}

// seeded is a visit with the step the fault test sets by hand and its planned date.
type seeded struct {
	ID   string // the visit's public id, as URLs name it
	Code string
	Date workday.Date
}

// seed creates, through the store, one lead inspector per virtual user, each
// leading visitsPerUser visits with a QAM, an SAO and a Cafcass chief
// executive, and returns their sign-ins.
func seed(ctx context.Context, dbURL string, users int) ([]account, error) {
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		return nil, err
	}
	defer pool.Close()
	st := store.New(pool)
	hash, err := user.HashPassword(password)
	if err != nil {
		return nil, err
	}
	add := func(role user.Role, email, name string) (user.User, error) {
		return st.CreateUser(ctx, user.New{Email: email, Name: name, Role: role}, hash)
	}
	qam, err := add(user.QAM, "qam@ofsted.example", "Quality Manager")
	if err != nil {
		return nil, err
	}
	sao, err := add(user.SAO, "sao@ofsted.example", "Senior Analyst")
	if err != nil {
		return nil, err
	}
	ceo, err := add(user.CafcassCEO, "ceo@cafcass.example", "Chief Executive")
	if err != nil {
		return nil, err
	}
	cal := workday.EnglandAndWales()
	t, err := timeline.Lookup(timeline.FocusedVisit, "")
	if err != nil {
		return nil, err
	}
	today := workday.DateOf(time.Now())
	accounts := make([]account, users)
	for i := range users {
		accounts[i].Email = fmt.Sprintf("lead%d@ofsted.example", i+1)
		lead, err := add(user.LeadInspector, accounts[i].Email, fmt.Sprintf("Lead %d", i+1))
		if err != nil {
			return nil, err
		}
		for j := range visitsPerUser {
			anchor, err := cal.Add(today, 10+i+j*7)
			if err != nil {
				return nil, err
			}
			members := []visit.Member{
				{UserID: lead.ID, Role: visit.RoleLead},
				{UserID: qam.ID, Role: visit.RoleQAM},
				{UserID: sao.ID, Role: visit.RoleSAO},
				{UserID: ceo.ID, Role: visit.RoleCafcass},
			}
			n := store.NewVisit{TemplateID: t.ID, TemplateVersion: t.Version, AnchorCode: timeline.CodeNotice, AnchorDate: anchor, Members: members}
			id, err := st.CreateVisit(ctx, n, lead)
			if err != nil {
				return nil, err
			}
			d := visit.Details{Visit: visit.Visit{TemplateID: t.ID, TemplateVersion: t.Version, AnchorCode: n.AnchorCode, AnchorDate: anchor}, Members: members}
			p, err := d.Plan(cal, time.UTC, nil)
			if err != nil {
				return nil, err
			}
			m, ok := p.Milestone(timeline.CodeChildData)
			if !ok {
				return nil, fmt.Errorf("visit %d: no step %s", id, timeline.CodeChildData)
			}
			sv, err := st.GetVisit(ctx, id)
			if err != nil {
				return nil, err
			}
			accounts[i].Visits = append(accounts[i].Visits, seeded{ID: sv.PublicID, Code: m.Code, Date: m.First()})
		}
	}
	return accounts, nil
}

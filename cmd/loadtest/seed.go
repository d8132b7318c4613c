package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
	"github.com/ofsted/focusedvisits/migrations"
)

// password is every seeded user's password.
const password = "load test password, not a secret"

// visitsPerUser is how many visits each virtual user (a lead inspector) leads.
const visitsPerUser = 20

// account is a virtual user's sign-in and the visits they lead.
type account struct {
	Email  string
	Visits []seeded
}

// seeded is a visit, with a step the load test records and its planned date.
type seeded struct {
	ID       int64
	PublicID string // the visit's id in URLs
	Code     string
	Date     workday.Date
}

// createDatabase makes a fresh database focusedvisits_load_<random> on the
// server serverURL names, migrated to the current schema, and returns its
// URL and a function that drops it.
func createDatabase(ctx context.Context, serverURL string) (dbURL string, drop func(context.Context) error, err error) {
	u, err := url.Parse(serverURL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", nil, fmt.Errorf("database URL must be a postgres:// URL, not %q", serverURL)
	}
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	name := "focusedvisits_load_" + hex.EncodeToString(b)

	admin, err := pgx.Connect(ctx, serverURL)
	if err != nil {
		return "", nil, fmt.Errorf("connect to %s: %w", redact(u), err)
	}
	defer admin.Close(ctx)
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		return "", nil, fmt.Errorf("create database %s: %w", name, err)
	}
	drop = func(ctx context.Context) error {
		c, err := pgx.Connect(ctx, serverURL)
		if err != nil {
			return err
		}
		defer c.Close(ctx)
		_, err = c.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)")
		return err
	}
	u.Path = "/" + name
	dbURL = u.String()
	if err := migrations.Up(ctx, dbURL); err != nil {
		_ = drop(ctx)
		return "", nil, fmt.Errorf("migrate %s: %w", name, err)
	}
	return dbURL, drop, nil
}

// redact hides a password in a URL for messages.
func redact(u *url.URL) string {
	return u.Redacted()
}

// seed creates, through the store, one lead inspector per virtual user, each
// leading visitsPerUser visits, with team inspectors, a QAM, an SAO and two
// Cafcass users on every visit. Notice days spread over the year before and
// after today, and the steps already past are recorded as done, so pages
// show visits at every stage and deadlines due soon.
func seed(ctx context.Context, dbURL string, users int, today workday.Date) ([]account, error) {
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
	accounts := make([]account, users)
	leads := make([]user.User, users)
	for i := range users {
		accounts[i].Email = fmt.Sprintf("lead%d@ofsted.example", i+1)
		if leads[i], err = add(user.LeadInspector, accounts[i].Email, fmt.Sprintf("Lead %d", i+1)); err != nil {
			return nil, err
		}
	}
	var inspectors []user.User
	for i := range 20 {
		u, err := add(user.TeamInspector, fmt.Sprintf("inspector%d@ofsted.example", i+1), fmt.Sprintf("Inspector %d", i+1))
		if err != nil {
			return nil, err
		}
		inspectors = append(inspectors, u)
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
	deputy, err := add(user.CafcassDeputy, "deputy@cafcass.example", "Deputy")
	if err != nil {
		return nil, err
	}

	cal := workday.EnglandAndWales()
	t, err := timeline.Lookup(timeline.FocusedVisit, "")
	if err != nil {
		return nil, err
	}
	start, err := cal.Add(today, -250) // about a year ago
	if err != nil {
		return nil, err
	}
	total := users * visitsPerUser

	var mu sync.Mutex
	jobs := make(chan int)
	errc := make(chan error, 4)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for i := range jobs {
				owner := i % users
				l := leads[owner]
				anchor, err := cal.Add(start, i*500/total)
				if err != nil {
					errc <- err
					return
				}
				members := []visit.Member{
					{UserID: l.ID, Role: visit.RoleLead},
					{UserID: inspectors[i%len(inspectors)].ID, Role: visit.RoleTeam},
					{UserID: inspectors[(i+3)%len(inspectors)].ID, Role: visit.RoleTeam},
					{UserID: qam.ID, Role: visit.RoleQAM},
					{UserID: sao.ID, Role: visit.RoleSAO},
					{UserID: ceo.ID, Role: visit.RoleCafcass},
					{UserID: deputy.ID, Role: visit.RoleCafcass},
				}
				s, err := seedVisit(ctx, st, cal, t, today, i, anchor, members, l)
				if err != nil {
					errc <- err
					return
				}
				mu.Lock()
				accounts[owner].Visits = append(accounts[owner].Visits, s)
				mu.Unlock()
			}
		})
	}
	for i := range total {
		select {
		case jobs <- i:
		case err := <-errc:
			close(jobs)
			wg.Wait()
			return nil, err
		}
	}
	close(jobs)
	wg.Wait()
	select {
	case err := <-errc:
		return nil, err
	default:
	}
	return accounts, nil
}

func seedVisit(ctx context.Context, st *store.Store, cal *workday.Calendar, t timeline.Template, today workday.Date,
	i int, anchor workday.Date, members []visit.Member, lead user.User) (seeded, error) {
	n := store.NewVisit{TemplateID: t.ID, TemplateVersion: t.Version, AnchorCode: timeline.CodeNotice, AnchorDate: anchor,
		PriorityAction: i%5 == 0, Members: members}
	id, err := st.CreateVisit(ctx, n, lead)
	if err != nil {
		return seeded{}, err
	}
	d := visit.Details{Visit: visit.Visit{TemplateID: t.ID, TemplateVersion: t.Version, AnchorCode: n.AnchorCode,
		AnchorDate: anchor, PriorityAction: n.PriorityAction}, Members: members}
	p, err := d.Plan(cal, time.UTC, nil)
	if err != nil {
		return seeded{}, err
	}
	// Record what has happened by today, leaving a step unrecorded on one
	// visit in eight (so some deadlines are overdue).
	for _, code := range []string{timeline.CodeNotice, timeline.CodeSetUpCall, timeline.CodeFieldwork, timeline.CodeDraftLetter, timeline.CodeFinalLetter, timeline.CodePublication} {
		m, ok := p.Milestone(code)
		if !ok || !m.Last().Before(today) || code != timeline.CodeNotice && i%8 == 3 {
			break
		}
		a := visit.Actual{Code: code, Date: m.First()}
		if m.Kind == timeline.KindWindow {
			a.To = m.To
		}
		if code == timeline.CodeNotice {
			a.Time = "09:30"
		}
		if err := st.RecordActual(ctx, id, 0, a, m.Label, lead); err != nil {
			return seeded{}, fmt.Errorf("visit %d: record %s: %w", id, code, err)
		}
	}
	// The load test records the child-level data as sent on its planned day.
	m, ok := p.Milestone(timeline.CodeChildData)
	if !ok {
		return seeded{}, fmt.Errorf("visit %d: no step %s", id, timeline.CodeChildData)
	}
	sv, err := st.GetVisit(ctx, id)
	if err != nil {
		return seeded{}, err
	}
	return seeded{ID: id, PublicID: sv.PublicID, Code: m.Code, Date: m.First()}, nil
}

// isLoopback reports whether host is this machine: localhost or a loopback
// address.
func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

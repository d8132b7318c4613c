package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net/url"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/ofsted/focusedvisits/internal/annexa"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
	"github.com/ofsted/focusedvisits/migrations"
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

// createDatabase makes a fresh database focusedvisits_mem_<random> on the
// server serverURL names, migrated to the current schema, and returns its
// URL and a function that drops it (as cmd/loadtest does).
func createDatabase(ctx context.Context, serverURL string) (dbURL string, drop func(context.Context) error, err error) {
	u, err := url.Parse(serverURL)
	if err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		return "", nil, fmt.Errorf("database URL must be a postgres:// URL, not %q", serverURL)
	}
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	name := "focusedvisits_mem_" + hex.EncodeToString(b)
	admin, err := pgx.Connect(ctx, serverURL)
	if err != nil {
		return "", nil, fmt.Errorf("connect to %s: %w", u.Redacted(), err)
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

// seed creates, through the store, a lead inspector, twenty team
// inspectors and a Cafcass chief executive, and a focused visit whose notice
// was given five working days ago, with the whole information request.
func seed(ctx context.Context, dbURL string) (world, error) {
	var w world
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		return w, err
	}
	defer pool.Close()
	st := store.New(pool)
	hash, err := user.HashPassword(password)
	if err != nil {
		return w, err
	}
	add := func(role user.Role, email, name string) (user.User, error) {
		w.emails = append(w.emails, email)
		return st.CreateUser(ctx, user.New{Email: email, Name: name, Role: role}, hash)
	}
	lead, err := add(user.LeadInspector, "lead@ofsted.example", "Lead Inspector")
	if err != nil {
		return w, err
	}
	for i := range 20 {
		if _, err := add(user.TeamInspector, fmt.Sprintf("inspector%d@ofsted.example", i+1), fmt.Sprintf("Inspector %d", i+1)); err != nil {
			return w, err
		}
	}
	w.ceoEmail = "ceo@cafcass.example"
	ceo, err := add(user.CafcassCEO, w.ceoEmail, "Chief Executive")
	if err != nil {
		return w, err
	}

	now := time.Now().In(workday.London)
	today := workday.DateOf(now)
	cal := workday.EnglandAndWales()
	if w.notice, err = cal.Add(today, -5); err != nil {
		return w, err
	}
	t, err := timeline.Lookup(timeline.FocusedVisit, "")
	if err != nil {
		return w, err
	}
	members := []visit.Member{{UserID: lead.ID, Role: visit.RoleLead}, {UserID: ceo.ID, Role: visit.RoleCafcass}}
	w.visitID, err = st.CreateVisit(ctx, store.NewVisit{TemplateID: t.ID, TemplateVersion: t.Version,
		AnchorCode: timeline.CodeNotice, AnchorDate: w.notice, Members: members}, lead)
	if err != nil {
		return w, err
	}
	if err := st.RecordActual(ctx, w.visitID, 0, visit.Actual{Code: timeline.CodeNotice, Date: w.notice, Time: "09:30"}, "Notice call", lead); err != nil {
		return w, fmt.Errorf("record notice: %w", err)
	}
	d, err := st.GetVisit(ctx, w.visitID)
	if err != nil {
		return w, err
	}
	w.visitPath = d.PublicID
	var picks []store.Pick
	for _, it := range annexa.Latest().Items {
		picks = append(picks, store.Pick{Number: it.Number, DueDay: it.DueDay})
	}
	if _, err := st.SetRequest(ctx, w.visitID, annexa.Latest().Version, picks, lead); err != nil {
		return w, err
	}
	items, err := st.ListItems(ctx, w.visitID)
	if err != nil {
		return w, err
	}
	for _, it := range items {
		if it.Kind == annexa.ChildList {
			w.itemID, w.itemPath = it.ID, it.PublicID
			break
		}
	}
	if w.itemID == 0 {
		return w, fmt.Errorf("visit %d has no child-level list item", w.visitID)
	}
	// The lists cover the four weeks before today.
	day := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, time.UTC)
	w.from, w.to = day.AddDate(0, 0, -28), day.AddDate(0, 0, -1)
	return w, nil
}

// rowCount is how many child-level rows the visit has stored.
func (w world) rowCount(ctx context.Context, dbURL string) (int, error) {
	pool, err := pgxpool.New(ctx, dbURL)
	if err != nil {
		return 0, err
	}
	defer pool.Close()
	return store.New(pool).ChildRowCount(ctx, w.visitID)
}

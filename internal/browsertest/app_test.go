package browsertest_test

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/ofsted/focusedvisits/internal/config"
	"github.com/ofsted/focusedvisits/internal/dbtest"
	"github.com/ofsted/focusedvisits/internal/demo"
	"github.com/ofsted/focusedvisits/internal/server"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// london is where the server's clock reads.
var london = func() *time.Location {
	loc, err := time.LoadLocation("Europe/London")
	if err != nil {
		panic(err)
	}
	return loc
}()

// tenAM is 10:00 in London on day.
func tenAM(day workday.Date) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), 10, 0, 0, 0, london)
}

// demoApp is the real app over a fresh database holding the demo data.
type demoApp struct {
	URL    string
	Config config.Config
	Store  *store.Store
	Pool   *pgxpool.Pool  // for tests that look up what the demo made
	App    *server.Server // for tests that walk its routes
	Creds  []demo.Credential
	ByRole map[user.Role]demo.Credential
	users  map[string]user.User // by email
}

// startDemoApp loads the demo data placed around today (the real date when
// today is zero), lets prepare add to it, then serves the app with the
// server's clock reading now (time.Now when nil).
func startDemoApp(t *testing.T, today workday.Date, now func() time.Time, prepare func(a *demoApp)) *demoApp {
	t.Helper()
	return startDemoAppEnv(t, nil, today, now, prepare)
}

// startDemoAppEnv is startDemoApp with settings (environment variables) of
// its own. With any, BASE_URL is the app's own address, so links in its
// email lead back to it, and the store words its messages for it.
func startDemoAppEnv(t *testing.T, env map[string]string, today workday.Date, now func() time.Time, prepare func(a *demoApp)) *demoApp {
	t.Helper()
	ctx := context.Background()
	pool := dbtest.New(t)
	srv := httptest.NewUnstartedServer(nil)
	t.Cleanup(srv.Close)
	if env != nil {
		env["BASE_URL"] = "http://" + srv.Listener.Addr().String()
	}
	cfg, err := config.Load(func(k string) string { return env[k] })
	if err != nil {
		t.Fatal(err)
	}
	if now == nil {
		now = time.Now
	}
	a := &demoApp{Config: cfg, Store: store.New(pool), Pool: pool, ByRole: map[user.Role]demo.Credential{}, users: map[string]user.User{}}
	if env != nil {
		a.Store = a.Store.WithOutbox(store.Outbox{BaseURL: cfg.BaseURL.String(), Now: now})
	}
	if today.IsZero() {
		a.Creds, err = demo.Load(ctx, a.Store)
	} else {
		a.Creds, err = demo.LoadAt(ctx, a.Store, today)
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range a.Creds {
		if _, ok := a.ByRole[c.Role]; !ok { // the first of a role (the moderator is a second QAM)
			a.ByRole[c.Role] = c
		}
	}
	users, err := a.Store.ListUsers(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range users {
		a.users[u.Email] = u
	}
	if prepare != nil {
		prepare(a)
	}
	app := server.New(server.Deps{Config: cfg, Store: a.Store, Sessions: server.NewSessionManager(cfg, pool), Now: now})
	a.App = app
	srv.Config.Handler = app
	srv.Start()
	a.URL = srv.URL
	return a
}

// User is the demo user with the role.
func (a *demoApp) User(t *testing.T, r user.Role) user.User {
	t.Helper()
	u, ok := a.users[a.ByRole[r].Email]
	if !ok {
		t.Fatalf("no demo %s", r)
	}
	return u
}

// newVisit creates a focused visit from the notice day, led by the demo
// lead inspector with the demo QAM, SAO and Cafcass chief executive.
func (a *demoApp) newVisit(t *testing.T, notice workday.Date) visit.Details {
	t.Helper()
	tmpl, err := timeline.Lookup(timeline.FocusedVisit, "")
	if err != nil {
		t.Fatal(err)
	}
	id, err := a.Store.CreateVisit(context.Background(), store.NewVisit{
		TemplateID: tmpl.ID, TemplateVersion: tmpl.Version, AnchorCode: timeline.CodeNotice, AnchorDate: notice,
		Members: []visit.Member{
			{UserID: a.User(t, user.LeadInspector).ID, Role: visit.RoleLead},
			{UserID: a.User(t, user.QAM).ID, Role: visit.RoleQAM},
			{UserID: a.User(t, user.SAO).ID, Role: visit.RoleSAO},
			{UserID: a.User(t, user.CafcassCEO).ID, Role: visit.RoleCafcass},
		},
	}, a.User(t, user.LeadInspector))
	if err != nil {
		t.Fatal(err)
	}
	d, err := a.Store.GetVisit(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

package demo

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ofsted/focusedvisits/internal/annexa"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// The seeding functions below fill a database for the programs that test
// the built service from outside (cmd/loadtest, cmd/faulttest,
// cmd/memcheck): many users sharing one known password, and visits in
// bulk, through the store as the service would make them.

// TeamOptions say whom SeedTeam creates.
type TeamOptions struct {
	Leads      int    // lead inspectors lead1@ofsted.example, lead2@…
	Inspectors int    // team inspectors inspector1@ofsted.example, …
	Password   string // everyone's password (hashed once)
}

// Team is the users SeedTeam created.
type Team struct {
	Leads      []user.User
	Inspectors []user.User
	QAM        user.User // qam@ofsted.example
	SAO        user.User // sao@ofsted.example
	CEO        user.User // ceo@cafcass.example, the Cafcass chief executive
	Deputy     user.User // deputy@cafcass.example
}

// Emails are every team member's email, leads first.
func (t Team) Emails() []string {
	var out []string
	for _, u := range t.Leads {
		out = append(out, u.Email)
	}
	for _, u := range t.Inspectors {
		out = append(out, u.Email)
	}
	for _, u := range []user.User{t.QAM, t.SAO, t.CEO, t.Deputy} {
		out = append(out, u.Email)
	}
	return out
}

// SeedTeam creates o.Leads lead inspectors, o.Inspectors team inspectors, a
// QAM, an SAO, the Cafcass chief executive and deputy, all with o.Password.
func SeedTeam(ctx context.Context, st *store.Store, o TeamOptions) (Team, error) {
	var t Team
	if o.Leads < 0 || o.Inspectors < 0 || o.Password == "" {
		return t, errors.New("demo: SeedTeam needs counts of zero or more and a password")
	}
	hash, err := user.HashPassword(o.Password)
	if err != nil {
		return t, err
	}
	add := func(role user.Role, email, name string) (user.User, error) {
		u, err := st.CreateUser(ctx, user.New{Email: email, Name: name, Role: role}, hash)
		if err != nil {
			return u, fmt.Errorf("demo: user %s: %w", email, err)
		}
		return u, nil
	}
	for i := range o.Leads {
		u, err := add(user.LeadInspector, fmt.Sprintf("lead%d@ofsted.example", i+1), fmt.Sprintf("Lead %d", i+1))
		if err != nil {
			return t, err
		}
		t.Leads = append(t.Leads, u)
	}
	for i := range o.Inspectors {
		u, err := add(user.TeamInspector, fmt.Sprintf("inspector%d@ofsted.example", i+1), fmt.Sprintf("Inspector %d", i+1))
		if err != nil {
			return t, err
		}
		t.Inspectors = append(t.Inspectors, u)
	}
	for _, p := range []struct {
		to          *user.User
		role        user.Role
		email, name string
	}{
		{&t.QAM, user.QAM, "qam@ofsted.example", "Quality Manager"},
		{&t.SAO, user.SAO, "sao@ofsted.example", "Senior Analyst"},
		{&t.CEO, user.CafcassCEO, "ceo@cafcass.example", "Chief Executive"},
		{&t.Deputy, user.CafcassDeputy, "deputy@cafcass.example", "Deputy"},
	} {
		if *p.to, err = add(p.role, p.email, p.name); err != nil {
			return t, err
		}
	}
	return t, nil
}

// Schedule is where SeedVisits puts visits' notice days.
type Schedule int

const (
	// Spread places the notice days evenly over the 250 working days
	// before today and the 250 after, as a year of visits would be, and
	// records the steps whose dates have passed (notice, set-up call,
	// fieldwork, letters, publication), leaving one unrecorded after the
	// notice on one visit in eight, so some are overdue. One visit in five
	// has a priority action.
	Spread Schedule = iota
	// Ahead gives lead i's visit j its notice 10+i+7j working days after
	// today, and records nothing.
	Ahead
)

// VisitOptions say which visits SeedVisits creates.
type VisitOptions struct {
	PerLead  int
	Today    workday.Date
	Schedule Schedule
	// Workers is how many visits are created at once (default 4).
	Workers int
}

// SeededVisit is one visit SeedVisits created, with the child-level data
// step (timeline.CodeChildData) and its planned day, which load and fault
// tests record or set by hand.
type SeededVisit struct {
	ID       int64
	PublicID string // the visit's id in URLs
	Lead     user.User
	Code     string
	Date     workday.Date
}

// SeedVisits creates o.PerLead focused visits led by each of the team's
// leads, returned by lead in creation order. Every visit has its lead, two
// of the team inspectors (if any), the QAM, the SAO and both Cafcass users.
func SeedVisits(ctx context.Context, st *store.Store, team Team, o VisitOptions) ([][]SeededVisit, error) {
	if o.PerLead < 0 || len(team.Leads) == 0 {
		return nil, errors.New("demo: SeedVisits needs leads and a count of zero or more")
	}
	cal := workday.EnglandAndWales()
	t, err := timeline.Lookup(timeline.FocusedVisit, "")
	if err != nil {
		return nil, err
	}
	start, err := cal.Add(o.Today, -250) // about a year ago
	if err != nil {
		return nil, err
	}
	leads := len(team.Leads)
	total := leads * o.PerLead
	out := make([][]SeededVisit, leads)
	for i := range out {
		out[i] = make([]SeededVisit, o.PerLead)
	}
	one := func(i int) error {
		owner, j := i%leads, i/leads
		lead := team.Leads[owner]
		var anchor workday.Date
		var err error
		switch o.Schedule {
		case Ahead:
			anchor, err = cal.Add(o.Today, 10+owner+j*7)
		default:
			anchor, err = cal.Add(start, i*500/total)
		}
		if err != nil {
			return err
		}
		members := []visit.Member{{UserID: lead.ID, Role: visit.RoleLead}}
		if n := len(team.Inspectors); n > 0 {
			members = append(members,
				visit.Member{UserID: team.Inspectors[i%n].ID, Role: visit.RoleTeam},
				visit.Member{UserID: team.Inspectors[(i+3)%n].ID, Role: visit.RoleTeam})
			if n < 4 && (i+3)%n == i%n {
				members = members[:len(members)-1] // one inspector once
			}
		}
		members = append(members,
			visit.Member{UserID: team.QAM.ID, Role: visit.RoleQAM},
			visit.Member{UserID: team.SAO.ID, Role: visit.RoleSAO},
			visit.Member{UserID: team.CEO.ID, Role: visit.RoleCafcass},
			visit.Member{UserID: team.Deputy.ID, Role: visit.RoleCafcass})
		v, err := seedVisit(ctx, st, cal, t, o, i, anchor, members, lead)
		if err != nil {
			return err
		}
		out[owner][j] = v
		return nil
	}
	workers := o.Workers
	if workers <= 0 {
		workers = 4
	}
	jobs := make(chan int)
	var wg sync.WaitGroup
	var mu sync.Mutex
	var firstErr error
	for range workers {
		wg.Go(func() {
			for i := range jobs {
				if err := one(i); err != nil {
					mu.Lock()
					firstErr = cmpErr(firstErr, err)
					mu.Unlock()
				}
			}
		})
	}
	for i := range total {
		mu.Lock()
		failed := firstErr != nil
		mu.Unlock()
		if failed || ctx.Err() != nil {
			break
		}
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	if firstErr == nil {
		firstErr = ctx.Err()
	}
	if firstErr != nil {
		return nil, firstErr
	}
	return out, nil
}

// LeadVisits is a seeded lead inspector's sign-in and the visits they lead.
type LeadVisits struct {
	Email  string
	Visits []SeededVisit
}

// SeedLeads seeds the team (SeedTeam) and each lead's visits (SeedVisits),
// and returns, lead by lead, their email and their visits: the virtual
// users of a load or fault test.
func SeedLeads(ctx context.Context, st *store.Store, to TeamOptions, vo VisitOptions) ([]LeadVisits, error) {
	team, err := SeedTeam(ctx, st, to)
	if err != nil {
		return nil, err
	}
	byLead, err := SeedVisits(ctx, st, team, vo)
	if err != nil {
		return nil, err
	}
	out := make([]LeadVisits, len(team.Leads))
	for i, l := range team.Leads {
		out[i] = LeadVisits{Email: l.Email, Visits: byLead[i]}
	}
	return out, nil
}

func cmpErr(first, err error) error {
	if first != nil {
		return first
	}
	return err
}

func seedVisit(ctx context.Context, st *store.Store, cal *workday.Calendar, t timeline.Template, o VisitOptions,
	i int, anchor workday.Date, members []visit.Member, lead user.User) (SeededVisit, error) {
	n := store.NewVisit{TemplateID: t.ID, TemplateVersion: t.Version, AnchorCode: timeline.CodeNotice, AnchorDate: anchor,
		PriorityAction: o.Schedule == Spread && i%5 == 0, Members: members}
	id, err := st.CreateVisit(ctx, n, lead)
	if err != nil {
		return SeededVisit{}, fmt.Errorf("demo: visit %d: %w", i, err)
	}
	d, err := st.GetVisit(ctx, id)
	if err != nil {
		return SeededVisit{}, err
	}
	p, err := d.Plan(cal, time.UTC, nil)
	if err != nil {
		return SeededVisit{}, err
	}
	if o.Schedule == Spread {
		// Record what has happened by today, leaving a step unrecorded on
		// one visit in eight (so some deadlines are overdue).
		for _, code := range []string{timeline.CodeNotice, timeline.CodeSetUpCall, timeline.CodeFieldwork, timeline.CodeDraftLetter, timeline.CodeFinalLetter, timeline.CodePublication} {
			m, ok := p.Milestone(code)
			if !ok || !m.Last().Before(o.Today) || code != timeline.CodeNotice && i%8 == 3 {
				break
			}
			a := visit.Actual{Code: code, Date: m.First(), To: toOf(m)}
			if code == timeline.CodeNotice {
				a.Time = "09:30"
			}
			if err := st.RecordActual(ctx, id, 0, a, m.Label, lead); err != nil {
				return SeededVisit{}, fmt.Errorf("demo: visit %d: record %s: %w", id, code, err)
			}
		}
	}
	m, ok := p.Milestone(timeline.CodeChildData)
	if !ok {
		return SeededVisit{}, fmt.Errorf("demo: visit %d: no step %s", id, timeline.CodeChildData)
	}
	return SeededVisit{ID: id, PublicID: d.PublicID, Lead: lead, Code: m.Code, Date: m.First()}, nil
}

// ChildListVisit is the visit SeedChildListVisit created.
type ChildListVisit struct {
	VisitID       int64
	VisitPublicID string
	Notice        workday.Date
	// Item is the visit's child-level list item (annexa.ChildList).
	Item store.RequestItem
}

// SeedChildListVisit creates a focused visit led by lead, with the Cafcass
// user cafcass on it, whose notice was given (and recorded, at 09:30) five
// working days before today, and sets its information request to the whole
// of the latest Annex A. It returns the visit and its child-level list
// item, ready for a list to be uploaded.
func SeedChildListVisit(ctx context.Context, st *store.Store, lead, cafcass user.User, today workday.Date) (ChildListVisit, error) {
	var c ChildListVisit
	cal := workday.EnglandAndWales()
	notice, err := cal.Add(today, -5)
	if err != nil {
		return c, err
	}
	c.Notice = notice
	t, err := timeline.Lookup(timeline.FocusedVisit, "")
	if err != nil {
		return c, err
	}
	members := []visit.Member{{UserID: lead.ID, Role: visit.RoleLead}, {UserID: cafcass.ID, Role: visit.RoleCafcass}}
	if c.VisitID, err = st.CreateVisit(ctx, store.NewVisit{TemplateID: t.ID, TemplateVersion: t.Version,
		AnchorCode: timeline.CodeNotice, AnchorDate: notice, Members: members}, lead); err != nil {
		return c, fmt.Errorf("demo: child-list visit: %w", err)
	}
	if err := st.RecordActual(ctx, c.VisitID, 0, visit.Actual{Code: timeline.CodeNotice, Date: notice, Time: "09:30"}, "Notice call", lead); err != nil {
		return c, fmt.Errorf("demo: record notice: %w", err)
	}
	d, err := st.GetVisit(ctx, c.VisitID)
	if err != nil {
		return c, err
	}
	c.VisitPublicID = d.PublicID
	var picks []store.Pick
	for _, it := range annexa.Latest().Items {
		picks = append(picks, store.Pick{Number: it.Number, DueDay: it.DueDay})
	}
	if _, err := st.SetRequest(ctx, c.VisitID, annexa.Latest().Version, picks, lead); err != nil {
		return c, fmt.Errorf("demo: request: %w", err)
	}
	items, err := st.ListItems(ctx, c.VisitID)
	if err != nil {
		return c, err
	}
	for _, it := range items {
		if it.Kind == annexa.ChildList {
			c.Item = it
			return c, nil
		}
	}
	return c, fmt.Errorf("demo: visit %d has no child-level list item", c.VisitID)
}

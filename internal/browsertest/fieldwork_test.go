package browsertest_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/annexa"
	"github.com/ofsted/focusedvisits/internal/browsertest"
	"github.com/ofsted/focusedvisits/internal/childdata"
	"github.com/ofsted/focusedvisits/internal/demo"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// The fieldwork journey (issue 17): a visit from the set-up call record
// through a fieldwork plan of three cases, evidence from two inspectors, a
// parent's agreement then a contact with the child, and an office check.
// It is a list of steps over one browser, so that later issues can append
// theirs (linking evidence to findings, the children's summary at
// publication) to fieldworkSteps.

// fieldwork is the state the steps share.
type fieldwork struct {
	t         *testing.T
	b         *browsertest.Browser
	creds     map[user.Role]demo.Credential
	visitPath string
	workspace string
	// cases are the sampled cases' ids, as the plan shows them ("CF-2001").
	cases []string
}

// as signs the browser in as the demo user with the role (signing out
// whoever was signed in).
func (f *fieldwork) as(r user.Role) {
	f.t.Helper()
	if f.b.Count(`form[action="/sign-out"]`) > 0 {
		signOut(f.t, f.b)
	}
	signInAs(f.t, f.b, f.creds[r])
}

// fieldworkSteps are the journey's steps, in order.
var fieldworkSteps = []struct {
	name string
	run  func(f *fieldwork)
}{
	{"the lead records the set-up call", stepSetUpCall},
	{"the lead plans the three case discussions", stepPlanDiscussions},
	{"two inspectors record evidence", stepEvidence},
	{"a parent agrees, then the child is contacted", stepContacts},
	{"the lead checks an office", stepOfficeCheck},
}

// startFieldworkApp serves the demo data with a new visit, noticed on Mon
// 14 Apr 2025 and seen on Tue 15 Apr 10:00, led by the demo lead with the
// demo team inspector, QAM, SAO and chief executive, whose child-level
// list (goodChildList) is accepted and three of whose cases are sampled.
func startFieldworkApp(t *testing.T) *fieldwork {
	t.Helper()
	ctx := context.Background()
	now := tenAM(requestToday)
	f := &fieldwork{t: t}
	a := startDemoApp(t, requestToday, func() time.Time { return now }, func(a *demoApp) {
		lead, team, ceo := a.User(t, user.LeadInspector), a.User(t, user.TeamInspector), a.User(t, user.CafcassCEO)
		tmpl, err := timeline.Lookup(timeline.FocusedVisit, "")
		if err != nil {
			t.Fatal(err)
		}
		id, err := a.Store.CreateVisit(ctx, store.NewVisit{
			TemplateID: tmpl.ID, TemplateVersion: tmpl.Version, AnchorCode: timeline.CodeNotice, AnchorDate: requestNotice,
			Members: []visit.Member{
				{UserID: lead.ID, Role: visit.RoleLead}, {UserID: team.ID, Role: visit.RoleTeam},
				{UserID: a.User(t, user.QAM).ID, Role: visit.RoleQAM}, {UserID: a.User(t, user.SAO).ID, Role: visit.RoleSAO},
				{UserID: ceo.ID, Role: visit.RoleCafcass},
			},
		}, lead)
		if err != nil {
			t.Fatal(err)
		}
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		must(a.Store.RecordActual(ctx, id, 0, visit.Actual{Code: timeline.CodeNotice, Date: requestNotice, Time: "09:05"}, "Notice call", lead))
		var picks []store.Pick
		for _, it := range annexa.Latest().Items {
			picks = append(picks, store.Pick{Number: it.Number, DueDay: it.DueDay})
		}
		_, err = a.Store.SetRequest(ctx, id, annexa.Current, picks, lead)
		must(err)
		items, err := a.Store.ListItems(ctx, id)
		must(err)
		for _, it := range items {
			if it.Kind != annexa.ChildList {
				continue
			}
			cover := childdata.DateRange{From: workday.NewDate(2025, 3, 31), To: workday.NewDate(2025, 4, 13)}
			l, _, err := a.Store.ImportChildList(ctx, store.NewChildList{VisitID: id, ItemID: it.ID, FileName: "CL.1 closed cases.csv", Cover: cover},
				func(accept func(*childdata.Row) error) (*childdata.Result, error) {
					return childdata.Check(childdata.NewCSV(strings.NewReader(goodChildList)), cover, childdata.Options{Today: requestToday, Accept: accept})
				}, ceo)
			must(err)
			if !l.Accepted() {
				t.Fatal("the child-level list was not accepted")
			}
		}
		for i, c := range []string{"CF-2001", "CF-2003", "CF-2004"} {
			to := lead
			if i != 1 {
				to = team
			}
			must(a.Store.AddToSample(ctx, id, c, "1", "Chosen for the journey", to.ID, a.User(t, user.SAO)))
			f.cases = append(f.cases, c)
		}
		d, err := a.Store.GetVisit(ctx, id)
		must(err)
		f.visitPath = "/visits/" + d.PublicID
	})
	f.creds = a.ByRole
	f.workspace = f.visitPath + "/workspace"
	f.b = browsertest.New(t, a.URL)
	return f
}

// TestFieldworkJourney runs the fieldwork journey's steps; every page it
// loads passes axe.
func TestFieldworkJourney(t *testing.T) {
	t.Parallel()
	f := startFieldworkApp(t)
	for _, s := range fieldworkSteps {
		t.Logf("step: %s", s.name)
		s.run(f)
		if t.Failed() {
			t.Fatalf("stopped after the step %q", s.name)
		}
	}
}

func stepSetUpCall(f *fieldwork) {
	t, b := f.t, f.b
	f.as(user.LeadInspector)
	b.Visit(f.workspace)
	if got := b.Text("#set-up + p"); !strings.Contains(got, "not been recorded") {
		t.Errorf("before the set-up call, the workspace says %q", got)
	}
	b.Follow(`main a[href="` + f.workspace + `/set-up"]`)
	fillDate(b, "held-on", "14", "4", "2025")
	tick(t, b, "priorities-protocol", "No")
	tick(t, b, "record-access", "Cafcass uploads case material to a secure data-sharing platform")
	tick(t, b, "evidence-mix", "A mix of on-site and remote")
	b.Type("#audit-list", "Six private law cases closed in the last six months")
	b.Submit(mainSubmit)
	if got := flash(b); got != "Set-up call record saved." {
		t.Fatalf("after the set-up call, flash %q on %s (h1 %q)", got, b.Path(), b.Text("h1"))
	}
	if n := b.Count(`[data-testid="setup-summary"]`); n != 1 {
		t.Errorf("the set-up call summary is not shown")
	}
}

func stepPlanDiscussions(f *fieldwork) {
	t, b := f.t, f.b
	b.Visit(f.workspace)
	b.Follow(`main a[href="` + f.workspace + `/fieldwork"]`)
	var hrefs []string
	b.Eval(`[...document.querySelectorAll('[data-testid="plan"] a[href*="/workspace/fieldwork/"]')].map(a => a.getAttribute('href'))`, &hrefs)
	if len(hrefs) != len(f.cases) {
		t.Fatalf("%d cases to plan, want %d", len(hrefs), len(f.cases))
	}
	for i, href := range hrefs {
		b.Visit(f.workspace + "/fieldwork")
		b.Follow(`main a[href="` + href + `"]`)
		tick(t, b, "inspector", b.Text(`label[for="inspector"]`))
		fillDate(b, "day", "23", "4", "2025")
		b.Fill("#start", []string{"09:30", "11:00", "14:00"}[i])
		b.Eval(`(() => { const s = document.getElementById('minutes'); s.value = '60'; s.dispatchEvent(new Event('change', {bubbles: true})); return true })()`, new(bool))
		tick(t, b, "mode", "Video")
		b.Submit(mainSubmit)
		if b.Count(".govuk-error-summary") > 0 {
			t.Fatalf("planning a discussion: %q", b.Text(".govuk-error-summary"))
		}
	}
	b.Visit(f.workspace + "/fieldwork")
	for _, c := range f.cases {
		if !strings.Contains(b.Text("main"), c) {
			t.Errorf("the plan does not show %s", c)
		}
	}
	if n := b.Count(`[data-testid="plan"] tbody tr`); n != len(f.cases) {
		t.Errorf("%d cases on the plan, want %d", n, len(f.cases))
	}
}

func stepEvidence(f *fieldwork) {
	t, b := f.t, f.b
	for _, e := range []struct {
		role user.Role
		body string
	}{
		{user.LeadInspector, "LEAD: audits reach practitioners through monthly practice forums."},
		{user.TeamInspector, "TEAM: the child was seen by video before the first hearing."},
	} {
		f.as(e.role)
		b.Visit(f.workspace)
		b.Follow(`main a[href="` + f.workspace + `/evidence"]`)
		b.Follow(`main a[href="` + f.workspace + `/evidence/new"]`)
		b.SelectOption("#focus", "Private family law proceedings: Whether to see children and where, face to face or remote")
		tick(t, b, "kind", "Evidence")
		b.Type("#body", e.body)
		b.Submit(mainSubmit)
		if got := flash(b); got != "Evidence recorded." {
			t.Fatalf("%s's evidence: flash %q (%q)", e.role, got, b.Text(".govuk-error-summary"))
		}
	}
	f.as(user.LeadInspector)
	b.Visit(f.workspace + "/evidence")
	for _, want := range []string{"LEAD:", "TEAM:"} {
		if !strings.Contains(b.Text("main"), want) {
			t.Errorf("the lead does not see the evidence %q", want)
		}
	}
}

// fillContact fills the contact form.
func fillContact(f *fieldwork, caseText, who, description, mode, said, agreement string) {
	t, b := f.t, f.b
	b.SelectOption("#case", caseText)
	tick(t, b, "who", who)
	b.Fill("#description", description)
	tick(t, b, "mode", mode)
	fillDate(b, "held-on", "15", "4", "2025")
	b.Type("#said", said)
	tick(t, b, "agreement", agreement)
}

func stepContacts(f *fieldwork) {
	t, b := f.t, f.b
	f.as(user.TeamInspector)
	b.Visit(f.workspace)
	b.Follow(`main a[href="` + f.workspace + `/contacts"]`)
	if n := b.Count(`[data-testid="no-contacts"]`); n != 1 {
		t.Errorf("no empty state on the contacts page")
	}
	caseText := "Case " + f.cases[0] + ", child 1"
	// The child first: refused, with the reason and the way to the agreement.
	b.Follow(`main a[href="` + f.workspace + `/contacts/new"]`)
	tick(t, b, "inspector", b.Text(`label[for="inspector"]`))
	fillContact(f, caseText, "Child", "Child, 9", "Video", "CHILD: my guardian listened to me.", "Not asked, or no change")
	b.Submit(mainSubmit)
	if got, want := b.Text(`.govuk-error-summary__list a[href="#who"]`), "You cannot record a contact with a child until a parent's or carer's agreement is recorded for this case"; got != want {
		t.Fatalf("the refused child contact says %q, want %q", got, want)
	}
	b.Follow(`[data-testid="record-agreement"] a`)
	fillContact(f, caseText, "Parent", "Mother", "Phone", "PARENT: happy for you to talk to her.", "Agreed to the child being contacted")
	b.Submit(mainSubmit)
	if got := flash(b); got != "Contact with Mother recorded." {
		t.Fatalf("the parent's agreement: flash %q (%q)", got, b.Text(".govuk-error-summary"))
	}
	b.Follow(`[data-testid="contacts"] a[href*="who=child"]`)
	fillContact(f, caseText, "Child", "Child, 9", "Video", "CHILD: my guardian listened to me.", "Not asked, or no change")
	b.Submit(mainSubmit)
	if got := flash(b); got != "Contact with Child, 9 recorded." {
		t.Fatalf("the child contact: flash %q (%q)", got, b.Text(".govuk-error-summary"))
	}
	if got := b.Text(`[data-testid="rests-on"]`); !strings.Contains(got, "Mother") {
		t.Errorf("the child contact rests on %q", got)
	}
}

func stepOfficeCheck(f *fieldwork) {
	t, b := f.t, f.b
	f.as(user.LeadInspector)
	b.Visit(f.workspace)
	b.Follow(`main a[href="` + f.workspace + `/checks"]`)
	if n := b.Count(`[data-testid="no-offices"]`); n != 1 {
		t.Errorf("no empty state for the office checks")
	}
	b.Follow(`main a[href="` + f.workspace + `/checks/office/new"]`)
	b.Fill("#office", "Medway")
	fillDate(b, "visited-on", "15", "4", "2025")
	tick(t, b, "items", "The office is clean")
	tick(t, b, "items", "There is a feedback box children and young people can use")
	b.Type("#notes", "A bright family room.")
	b.Submit(mainSubmit)
	if got := flash(b); got != "Check of Medway recorded." {
		t.Fatalf("the office check: flash %q (%q)", got, b.Text(".govuk-error-summary"))
	}
	if got := b.Text(`[data-testid="office"]`); !strings.Contains(got, "Medway") || !strings.Contains(got, "The office is clean") {
		t.Errorf("the office check shows %q", got)
	}
}

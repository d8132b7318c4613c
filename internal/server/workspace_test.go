package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/ofsted/focusedvisits/internal/user"
)

// The visit workspace (issue 17) on the world's visit A: noticed Mon 14 Apr
// 2025, a sample case C0000 given to the team inspector, the clock at
// 10:00 that day.

func (w *world) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := w.ts.Pool.QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func setUpForm() url.Values {
	return url.Values{
		"held-on-day": {"14"}, "held-on-month": {"4"}, "held-on-year": {"2025"},
		"oversight-changes": {"New head of practice since January"}, "priorities-protocol": {"no"},
		"offices": {"Milton Keynes and Luton open; most staff at home"}, "working-practice": {"Hearings mostly remote"},
		"record-access": {"platform"}, "evidence-mix": {"mixed"}, "evidence-detail": {"Two inspectors on site"},
		"audit-list": {"Six private law cases agreed"}, "adjustments": {"Breaks for a practitioner"},
		"other-agreed": {"Daily check-in at 16:00"}, "internal-notes": {"SECRET-NOTE: chief executive unsure of data"},
		"version": {"0"},
	}
}

// TestWorkspace_SetUpShared: the lead records the set-up call; Cafcass sees
// what was agreed and never the internal notes; every field is in the
// history; only the lead may change it.
func TestWorkspace_SetUpShared(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	ts := w.ts
	base := "/visits/" + w.params["visitID"] + "/workspace"
	visitID := w.visitIDOf(t, w.params["visitID"])

	if res := ts.post(w.clients[user.QAM], base+"/set-up", setUpForm()); res.StatusCode != http.StatusForbidden {
		t.Errorf("QAM posting the set-up call: %d, want 403", res.StatusCode)
	}
	if res := ts.post(w.clients[user.CafcassCEO], base+"/set-up", setUpForm()); res.StatusCode != http.StatusForbidden {
		t.Errorf("Cafcass posting the set-up call: %d, want 403", res.StatusCode)
	}
	bad := setUpForm()
	bad.Del("audit-list")
	bad.Set("held-on-day", "15") // tomorrow: recorded means it happened
	res := ts.post(w.clients[user.LeadInspector], base+"/set-up", bad)
	doc := parse(t, res)
	if res.StatusCode != http.StatusUnprocessableEntity || doc.Find(`.govuk-error-summary__list a[href="#held-on-day"]`).Length() != 1 ||
		doc.Find(`.govuk-error-summary__list a[href="#audit-list"]`).Length() != 1 {
		t.Fatalf("a future date and no audit list: %d, want 422 with both errors", res.StatusCode)
	}
	if res := ts.post(w.clients[user.LeadInspector], base+"/set-up", setUpForm()); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("lead saving the set-up call: %d", res.StatusCode)
	}

	lead := readAll(t, ts.get(w.clients[user.LeadInspector], base).Body)
	if !strings.Contains(lead, "SECRET-NOTE") || !strings.Contains(lead, "Six private law cases agreed") {
		t.Error("the lead does not see the whole record")
	}
	for _, c := range []user.Role{user.CafcassCEO, user.CafcassDeputy} {
		res := ts.get(w.clients[c], base)
		body := readAll(t, res.Body)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d", c, res.StatusCode)
		}
		for _, want := range []string{"Six private law cases agreed", "Daily check-in at 16:00", "secure data-sharing platform"} {
			if !strings.Contains(body, want) {
				t.Errorf("%s does not see %q", c, want)
			}
		}
		if strings.Contains(body, "SECRET-NOTE") || strings.Contains(body, "Internal notes") {
			t.Errorf("%s sees the internal notes", c)
		}
		if strings.Contains(body, "Change the set-up call record") {
			t.Errorf("%s is offered to change the record", c)
		}
	}

	recorded := w.count(t, `SELECT count(*) FROM visit_events WHERE visit_id = $1 AND kind = 'workspace.setup_recorded'`, visitID)
	if recorded != 12 {
		t.Errorf("history lines for the first record: %d, want 12 (one per field)", recorded)
	}
	change := setUpForm()
	change.Set("version", "1")
	change.Set("audit-list", "Seven cases")
	if res := ts.post(w.clients[user.LeadInspector], base+"/set-up", change); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("lead changing the set-up call: %d", res.StatusCode)
	}
	if n := w.count(t, `SELECT count(*) FROM visit_events WHERE visit_id = $1 AND kind = 'workspace.setup_changed'
		AND params->>'old_value' = 'Six private law cases agreed' AND params->>'value' = 'Seven cases'`, visitID); n != 1 {
		t.Errorf("history of the change: %d lines, want 1", n)
	}
	// The same form again is stale.
	if res := ts.post(w.clients[user.LeadInspector], base+"/set-up", change); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a stale form: %d, want 422", res.StatusCode)
	}
}

// TestWorkspace_StakeholdersOfstedOnly: a conversation with a stakeholder
// is seen by the visit's Ofsted team, never by Cafcass.
func TestWorkspace_StakeholdersOfstedOnly(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	ts := w.ts
	base := "/visits/" + w.params["visitID"] + "/workspace"
	visitID := w.visitIDOf(t, w.params["visitID"])
	form := url.Values{"kind": {"judiciary"}, "who": {"HHJ Example, designated family judge"},
		"held-on-day": {"14"}, "held-on-month": {"4"}, "held-on-year": {"2025"},
		"held-by": {strconv.FormatInt(w.users[user.LeadInspector].ID, 10)}, "note": {"JUDGE-NOTE: listing delays"}}
	if res := ts.post(w.clients[user.QAM], base+"/stakeholders/new", form); res.StatusCode != http.StatusForbidden {
		t.Errorf("QAM recording: %d, want 403", res.StatusCode)
	}
	if res := ts.post(w.clients[user.LeadInspector], base+"/stakeholders/new", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("lead recording: %d", res.StatusCode)
	}
	for _, r := range []user.Role{user.LeadInspector, user.TeamInspector, user.SAO, user.QAM} {
		if body := readAll(t, ts.get(w.clients[r], base).Body); !strings.Contains(body, "JUDGE-NOTE") {
			t.Errorf("%s does not see the conversation", r)
		}
	}
	for _, r := range []user.Role{user.CafcassCEO, user.CafcassDeputy, user.Admin} {
		res := ts.get(w.clients[r], base)
		body := readAll(t, res.Body)
		if res.StatusCode != http.StatusOK || strings.Contains(body, "JUDGE-NOTE") || strings.Contains(body, "HHJ Example") {
			t.Errorf("%s: %d, sees the conversation: %v", r, res.StatusCode, strings.Contains(body, "JUDGE-NOTE"))
		}
	}
	// Not there for Cafcass: it is not told conversations exist.
	if res := ts.get(w.clients[user.CafcassCEO], base+"/stakeholders/new"); res.StatusCode != http.StatusNotFound {
		t.Errorf("Cafcass on the form: %d, want 404", res.StatusCode)
	}
	if res := ts.post(w.clients[user.CafcassCEO], base+"/stakeholders/new", form); res.StatusCode != http.StatusNotFound {
		t.Errorf("Cafcass posting: %d, want 404", res.StatusCode)
	}
	if n := w.count(t, `SELECT count(*) FROM visit_events WHERE visit_id = $1 AND kind = 'workspace.stakeholder_recorded'`, visitID); n != 1 {
		t.Errorf("history: %d lines, want 1", n)
	}
}

// TestWorkspace_FieldworkPlan: the lead plans two case discussions; the
// second clashes with the first for the same inspector and is saved only
// once the lead goes ahead; the inspector sees their schedule; Cafcass sees
// the discussions to arrange once the sample is released, never Ofsted's
// reasons or notes; every change is in the history.
func TestWorkspace_FieldworkPlan(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	ts := w.ts
	ctx := context.Background()
	base := "/visits/" + w.params["visitID"] + "/workspace/fieldwork"
	visitID := w.visitIDOf(t, w.params["visitID"])
	team, lead := w.users[user.TeamInspector], w.users[user.LeadInspector]
	if err := ts.Store.AddToSample(ctx, visitID, "C0001", "K1", "REASON-TWO", team.ID, lead); err != nil {
		t.Fatal(err)
	}
	sample, err := ts.Store.ListSample(ctx, visitID)
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]string{}
	for _, c := range sample {
		ids[c.CaseID] = c.PublicID
	}
	plan := func(start string) url.Values {
		return url.Values{"inspector": {strconv.FormatInt(team.ID, 10)}, "day-day": {"23"}, "day-month": {"4"}, "day-year": {"2025"},
			"start": {start}, "minutes": {"60"}, "mode": {"video"}, "practitioner": {"Pat Practitioner"}, "manager": {"Morgan Manager"},
			"note": {"OFSTED-NOTE: ask about delay"}}
	}
	discussions := func() int {
		return w.count(t, `SELECT count(*) FROM case_discussions WHERE visit_id = $1`, visitID)
	}
	if res := ts.post(w.clients[user.TeamInspector], base+"/"+ids["C0000"], plan("10:00")); res.StatusCode != http.StatusForbidden {
		t.Errorf("team inspector planning: %d, want 403", res.StatusCode)
	}
	if res := ts.post(w.clients[user.LeadInspector], base+"/"+ids["C0000"], plan("10:00")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("first discussion: %d", res.StatusCode)
	}
	// The same inspector at 10:30: warned, not saved.
	res := ts.post(w.clients[user.LeadInspector], base+"/"+ids["C0001"], plan("10:30"))
	doc := parse(t, res)
	warning := doc.Find(`[data-testid="clash"] .govuk-warning-text`)
	if res.StatusCode != http.StatusOK || warning.Length() != 1 || !strings.Contains(warning.Text(), "C0000") {
		t.Fatalf("clash: %d, %d warnings (%q)", res.StatusCode, warning.Length(), warning.Text())
	}
	if n := discussions(); n != 1 {
		t.Fatalf("after the warning: %d discussions, want 1", n)
	}
	key, _ := doc.Find(`input[name="confirm-clash"]`).Attr("value")
	// Going ahead with other times than those warned about warns again.
	moved := plan("10:15")
	moved.Set("confirm-clash", key)
	if res := ts.post(w.clients[user.LeadInspector], base+"/"+ids["C0001"], moved); res.StatusCode != http.StatusOK || discussions() != 1 {
		t.Fatalf("confirmed for other times: %d, %d discussions", res.StatusCode, discussions())
	}
	ahead := plan("10:30")
	ahead.Set("confirm-clash", key)
	if res := ts.post(w.clients[user.LeadInspector], base+"/"+ids["C0001"], ahead); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("going ahead: %d", res.StatusCode)
	}
	if n := discussions(); n != 2 {
		t.Fatalf("after going ahead: %d discussions, want 2", n)
	}
	if n := w.count(t, `SELECT count(*) FROM visit_events WHERE visit_id = $1 AND kind = 'workspace.discussion_planned'`, visitID); n != 2 {
		t.Errorf("history: %d lines, want 2", n)
	}
	if n := w.count(t, `SELECT count(*) FROM visit_events WHERE visit_id = $1 AND params->>'warning' LIKE '%Saved despite a clash%'`, visitID); n != 1 {
		t.Errorf("history of the clash: %d lines, want 1", n)
	}

	// The inspector's schedule.
	doc = parse(t, ts.get(w.clients[user.TeamInspector], base))
	if n := doc.Find(`[data-testid="my-schedule"] tbody tr`).Length(); n != 2 {
		t.Errorf("team inspector's schedule: %d rows, want 2", n)
	}
	if n := doc.Find(`[data-testid="my-schedule"]`).Length(); n != 1 {
		t.Errorf("schedule tables: %d", n)
	}
	// Cafcass: nothing before the sample is released.
	body := readAll(t, ts.get(w.clients[user.CafcassCEO], base).Body)
	if strings.Contains(body, "C0000") || strings.Contains(body, "Pat Practitioner") {
		t.Error("Cafcass sees the plan before the sample is released")
	}
	if err := ts.Store.ReleaseSample(ctx, visitID, lead); err != nil {
		t.Fatal(err)
	}
	res = ts.get(w.clients[user.CafcassCEO], base)
	doc = parse(t, res)
	rows := doc.Find(`[data-testid="arrangements"] tbody tr`)
	if res.StatusCode != http.StatusOK || rows.Length() != 2 {
		t.Fatalf("Cafcass's list: %d, %d rows, want 2", res.StatusCode, rows.Length())
	}
	html, _ := doc.Html()
	for _, want := range []string{"C0000", "C0001", "Pat Practitioner", "Morgan Manager", "10:00 to 11:00", "Video"} {
		if !strings.Contains(html, want) {
			t.Errorf("Cafcass does not see %q", want)
		}
	}
	for _, never := range []string{"First case", "REASON-TWO", "OFSTED-NOTE"} {
		if strings.Contains(html, never) {
			t.Errorf("Cafcass sees %q", never)
		}
	}
	// Planning is the team's: Cafcass, the QAM and administrators get what
	// a missing page gets.
	for _, r := range []user.Role{user.CafcassCEO, user.QAM, user.Admin} {
		if res := ts.get(w.clients[r], base+"/"+ids["C0000"]); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s on the planning form: %d, want 404", r, res.StatusCode)
		}
	}
	for _, r := range []user.Role{user.QAM, user.Admin} {
		if res := ts.get(w.clients[r], base); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s on the plan: %d, want 404", r, res.StatusCode)
		}
	}
	// Each view of the plan is recorded (DOMAIN decision 17).
	if n := w.count(t, `SELECT count(*) FROM child_data_views WHERE visit_id = $1 AND record = 'case_sample'`, visitID); n < 2 {
		t.Errorf("views recorded: %d, want at least 2", n)
	}
}

// TestWorkspace_Evidence: inspectors record evidence per case and
// practice area; the lead sees all of it, a team inspector their own and
// the lines of enquiry; the QAM, administrators and Cafcass never see it
// (DOMAIN decision 17), and each view is recorded.
func TestWorkspace_Evidence(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	ts := w.ts
	base := "/visits/" + w.params["visitID"] + "/workspace"
	visitID := w.visitIDOf(t, w.params["visitID"])
	note := func(c *http.Client, sample, focus, kind, body string) *http.Response {
		return ts.post(c, base+"/evidence/new", url.Values{"case": {sample}, "focus": {focus}, "kind": {kind}, "body": {body}})
	}
	team, lead := w.clients[user.TeamInspector], w.clients[user.LeadInspector]
	if res := note(team, w.params["sampleID"], "private_law/seeing_children", "evidence", "TEAM-EVIDENCE: seen at school"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("team inspector's evidence: %d", res.StatusCode)
	}
	if res := note(lead, "", "leaders/line_of_sight", "evidence", "LEAD-EVIDENCE: audits not followed up"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("lead's evidence: %d", res.StatusCode)
	}
	if res := note(lead, "", "public_law/guardian_prioritisation", "enquiry", "LEAD-ENQUIRY: ask about caseloads"); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("lead's line of enquiry: %d", res.StatusCode)
	}
	// A focus point of another area, or a case not in the sample, is refused.
	res := note(lead, "nosuchcase", "private_law/guardian_prioritisation", "evidence", "x")
	doc := parse(t, res)
	if res.StatusCode != http.StatusUnprocessableEntity || doc.Find(`.govuk-error-summary__list a[href="#case"]`).Length() != 1 ||
		doc.Find(`.govuk-error-summary__list a[href="#focus"]`).Length() != 1 {
		t.Errorf("wrong case and focus: %d", res.StatusCode)
	}
	if res := note(w.clients[user.SAO], "", "leaders/capacity", "evidence", "SAO"); res.StatusCode != http.StatusForbidden {
		t.Errorf("SAO recording evidence: %d, want 403", res.StatusCode)
	}

	body := readAll(t, ts.get(lead, base+"/evidence").Body)
	for _, want := range []string{"TEAM-EVIDENCE", "LEAD-EVIDENCE", "LEAD-ENQUIRY", "Case C0000"} {
		if !strings.Contains(body, want) {
			t.Errorf("the lead does not see %q", want)
		}
	}
	body = readAll(t, ts.get(team, base+"/evidence").Body)
	if !strings.Contains(body, "TEAM-EVIDENCE") || !strings.Contains(body, "LEAD-ENQUIRY") || strings.Contains(body, "LEAD-EVIDENCE") {
		t.Errorf("team inspector: own %v, enquiry %v, lead's evidence %v", strings.Contains(body, "TEAM-EVIDENCE"),
			strings.Contains(body, "LEAD-ENQUIRY"), strings.Contains(body, "LEAD-EVIDENCE"))
	}
	for _, r := range []user.Role{user.QAM, user.Admin, user.CafcassCEO} {
		if res := ts.get(w.clients[r], base+"/evidence"); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s on the evidence: %d, want 404", r, res.StatusCode)
		}
		if b := readAll(t, ts.get(w.clients[r], base).Body); strings.Contains(b, "/workspace/evidence") {
			t.Errorf("%s is offered the evidence", r)
		}
	}
	if n := w.count(t, `SELECT count(*) FROM child_data_views WHERE visit_id = $1 AND record = 'evidence_notes'`, visitID); n != 2 {
		t.Errorf("views of the evidence recorded: %d, want 2", n)
	}
	if n := w.count(t, `SELECT count(*) FROM visit_events WHERE visit_id = $1 AND kind = 'workspace.evidence_recorded'`, visitID); n != 3 {
		t.Errorf("history: %d lines, want 3", n)
	}
	// The history names the case only to those who may see children's data.
	if b := readAll(t, ts.get(w.clients[user.QAM], "/visits/"+w.params["visitID"]+"/history").Body); strings.Contains(b, "TEAM-EVIDENCE") {
		t.Error("the history carries the evidence")
	}
}

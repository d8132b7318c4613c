package server_test

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/ofsted/focusedvisits/internal/fieldwork"
	"github.com/ofsted/focusedvisits/internal/user"
)

// TestWorkspace_Contacts: a contact with a child is refused, with the
// reason and a link to record the agreement, until a parent's or carer's
// agreement is recorded for the case; allowed after it; refused again once
// the agreement is withdrawn. Only the visit's lead, team inspectors and
// SAOs see contacts and the checks (404 for the QAM, administrators and
// Cafcass), every view is recorded, and the history never carries what was
// said.
func TestWorkspace_Contacts(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	ts := w.ts
	base := "/visits/" + w.params["visitID"] + "/workspace"
	visitID := w.visitIDOf(t, w.params["visitID"])
	team, lead := w.clients[user.TeamInspector], w.clients[user.LeadInspector]
	contact := func(who, agreement, said string, day string) url.Values {
		return url.Values{"case": {w.params["sampleID"]}, "who": {who}, "description": {map[string]string{"child": "Child, 11", "parent": "Mother", "carer": "Grandmother"}[who]},
			"mode": {"video"}, "held-on-day": {day}, "held-on-month": {"4"}, "held-on-year": {"2025"},
			"inspector": {strconv.FormatInt(w.users[user.TeamInspector].ID, 10)}, "said": {said}, "agreement": {agreement}}
	}
	if b := readAll(t, ts.get(team, base+"/contacts").Body); !strings.Contains(b, "No contacts recorded yet") {
		t.Error("no empty state on the contacts page")
	}
	// A child first: refused, with the reason and the way to the agreement.
	res := ts.post(team, base+"/contacts/new", contact("child", "none", "CHILD-SAID: I was listened to", "11"))
	doc := parse(t, res)
	if res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("child contact without agreement: %d, want 422", res.StatusCode)
	}
	if got := strings.TrimSpace(doc.Find(`.govuk-error-summary__list a[href="#who"]`).Text()); got != fieldwork.NoAgreementMessage {
		t.Errorf("the refusal says %q", got)
	}
	href, _ := doc.Find(`[data-testid="record-agreement"] a`).Attr("href")
	if !strings.Contains(href, "/contacts/new?") || !strings.Contains(href, "case="+w.params["sampleID"]) {
		t.Errorf("link to record the agreement: %q", href)
	}
	if res := ts.get(team, href); res.StatusCode != http.StatusOK {
		t.Errorf("the agreement form: %d", res.StatusCode)
	}
	if n := w.count(t, `SELECT count(*) FROM family_contacts`); n != 0 {
		t.Fatalf("a refused contact was recorded: %d", n)
	}
	// The mother agrees; then the child may be contacted.
	if res := ts.post(team, base+"/contacts/new", contact("parent", "agreed", "PARENT-SAID: happy for us to talk to her", "11")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("parent's agreement: %d", res.StatusCode)
	}
	if res := ts.post(team, base+"/contacts/new", contact("child", "none", "CHILD-SAID: I was listened to", "11")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("child contact after the agreement: %d", res.StatusCode)
	}
	// A grandmother who cares for the child withdraws it: no more contacts with the child.
	if res := ts.post(lead, base+"/contacts/new", contact("carer", "withdrawn", "CARER-SAID: please do not call again", "14")); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("carer's withdrawal: %d", res.StatusCode)
	}
	res = ts.post(team, base+"/contacts/new", contact("child", "none", "again", "14"))
	doc = parse(t, res)
	if res.StatusCode != http.StatusUnprocessableEntity || strings.TrimSpace(doc.Find(`.govuk-error-summary__list a[href="#who"]`).Text()) != fieldwork.WithdrawnMessage {
		t.Errorf("child contact after the withdrawal: %d", res.StatusCode)
	}
	if n := w.count(t, `SELECT count(*) FROM family_contacts WHERE who = 'child' AND agreement_id IS NOT NULL`); n != 1 {
		t.Errorf("child contacts resting on an agreement: %d, want 1", n)
	}
	// The two checks.
	if res := ts.post(w.clients[user.SAO], base+"/checks/views/new", url.Values{"case": {""}, "judgement": {"partly"}, "notes": {"VIEWS-NOTES"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("views check: %d", res.StatusCode)
	}
	res = ts.post(lead, base+"/checks/office/new", url.Values{"office": {""}, "visited-on-day": {"14"}, "visited-on-month": {"4"}, "visited-on-year": {"2025"}})
	if parse(t, res).Find(`.govuk-error-summary__list a[href="#office"]`).Length() != 1 {
		t.Errorf("an office check without the office: %d", res.StatusCode)
	}
	if res := ts.post(lead, base+"/checks/office/new", url.Values{"office": {"Milton Keynes"}, "visited-on-day": {"14"}, "visited-on-month": {"4"}, "visited-on-year": {"2025"},
		"items": {"clean", "feedback_box"}, "notes": {"OFFICE-NOTES"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("office check: %d", res.StatusCode)
	}

	body := readAll(t, ts.get(w.clients[user.SAO], base+"/contacts").Body)
	for _, want := range []string{"PARENT-SAID", "CHILD-SAID", "CARER-SAID", "With the agreement of Mother (parent)", "Case C0000"} {
		if !strings.Contains(body, want) {
			t.Errorf("the SAO does not see %q", want)
		}
	}
	body = readAll(t, ts.get(team, base+"/checks").Body)
	for _, want := range []string{"VIEWS-NOTES", "OFFICE-NOTES", "Milton Keynes", "Children&#39;s views are heard in part"} {
		if !strings.Contains(body, want) {
			t.Errorf("the team inspector does not see %q on the checks", want)
		}
	}
	if b := readAll(t, ts.get(lead, base).Body); !strings.Contains(b, base+"/contacts") || !strings.Contains(b, base+"/checks") {
		t.Error("the workspace does not offer the contacts and checks to the lead")
	}
	for _, r := range []user.Role{user.QAM, user.Admin, user.CafcassCEO, user.CafcassDeputy} {
		for _, p := range []string{"/contacts", "/contacts/new", "/checks", "/checks/views/new", "/checks/office/new"} {
			if res := ts.get(w.clients[r], base+p); res.StatusCode != http.StatusNotFound {
				t.Errorf("%s on %s: %d, want 404", r, p, res.StatusCode)
			}
		}
		if res := ts.post(w.clients[r], base+"/contacts/new", contact("parent", "agreed", "x", "14")); res.StatusCode != http.StatusNotFound {
			t.Errorf("%s recording a contact: %d, want 404", r, res.StatusCode)
		}
		if b := readAll(t, ts.get(w.clients[r], base).Body); strings.Contains(b, "/workspace/contacts") || strings.Contains(b, "/workspace/checks") {
			t.Errorf("%s is offered the contacts or checks", r)
		}
	}
	if n := w.count(t, `SELECT count(*) FROM child_data_views WHERE visit_id = $1 AND record = 'family_contacts'`, visitID); n != 2 {
		t.Errorf("views of the contacts recorded: %d, want 2", n)
	}
	if n := w.count(t, `SELECT count(*) FROM child_data_views WHERE visit_id = $1 AND record = 'children_checks'`, visitID); n != 1 {
		t.Errorf("views of the checks recorded: %d, want 1", n)
	}
	if n := w.count(t, `SELECT count(*) FROM visit_events WHERE visit_id = $1 AND kind IN ('workspace.contact_recorded', 'workspace.views_check_recorded', 'workspace.office_check_recorded')`, visitID); n != 5 {
		t.Errorf("history: %d lines, want 5", n)
	}
	hist := readAll(t, ts.get(lead, "/visits/"+w.params["visitID"]+"/history").Body)
	for _, secret := range []string{"SAID", "VIEWS-NOTES", "OFFICE-NOTES"} {
		if strings.Contains(hist, secret) {
			t.Errorf("the history carries %s", secret)
		}
	}
	if !strings.Contains(hist, "Contact with a child, parent or carer recorded") {
		t.Error("the history does not show the contacts")
	}
}

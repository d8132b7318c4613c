package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/ofsted/focusedvisits/internal/user"
)

// TestLetterEvidence (issue 17.4): the lead links evidence notes to a
// finding and unlinks them; nobody else may. Each finding shows what it
// rests on to the need-to-know team and to the visit's QAM and moderator,
// who see only the notes linked: no page they can open shows another note
// (DOMAIN decision 17). Cafcass and administrators are answered 404 on
// every evidence URL. Views are recorded; links are in the history and
// survive a new version that keeps the finding.
func TestLetterEvidence(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	w := newWorld(t, nil)
	ts := w.ts
	visitID := w.visitIDOf(t, w.params["visitID"])
	// A moderator on visit A: a QAM other than its own (DOMAIN decision 14).
	mod := ts.addUser(user.QAM, "moderator@example.gov.uk")
	if _, err := ts.Pool.Exec(ctx, `INSERT INTO visit_members (visit_id, user_id, role) VALUES ($1, $2, 'moderator')`, visitID, mod.ID); err != nil {
		t.Fatal(err)
	}
	modC := ts.signIn(mod.Email)
	lead, team, qam, sao := w.clients[user.LeadInspector], w.clients[user.TeamInspector], w.clients[user.QAM], w.clients[user.SAO]
	ceo, admin := w.clients[user.CafcassCEO], w.clients[user.Admin]
	visitPath := "/visits/" + w.params["visitID"]
	base := visitPath + "/letter"

	note := func(c *http.Client, sample, focus, kind, body string) {
		t.Helper()
		res := ts.post(c, visitPath+"/workspace/evidence/new", url.Values{"case": {sample}, "focus": {focus}, "kind": {kind}, "body": {body}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("recording %q: %d", body, res.StatusCode)
		}
	}
	note(team, "", "private_law/seeing_children", "evidence", "LINKED-TEAM: children seen at school")
	note(lead, w.params["sampleID"], "private_law/early_intervention", "evidence", "LINKED-LEAD: safeguarding checks done in time")
	note(team, "", "public_law/seeing_children", "evidence", "UNLINKED-SECRET: a guardian's visit notes")
	note(lead, "", "leaders/capacity", "enquiry", "ENQUIRY-SECRET: ask about caseloads")
	notes, err := ts.Store.ListNotes(ctx, visitID)
	if err != nil {
		t.Fatal(err)
	}
	id := map[string]string{}
	for _, n := range notes {
		id[strings.SplitN(n.Body, ":", 2)[0]] = n.PublicID
	}
	finding := w.params["findingID"]
	linkPath := base + "/findings/" + finding + "/evidence"

	// The lead's checkboxes: the finding's practice area (private law)
	// first; evidence only, never a line of enquiry.
	res := ts.get(lead, linkPath)
	doc := parse(t, res)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("the lead's link page: %d", res.StatusCode)
	}
	if got := doc.Find("legend").First().Text(); !strings.Contains(got, "Private family law") {
		t.Errorf("first group %q, want the finding's practice area", got)
	}
	if n := doc.Find(`input.govuk-checkboxes__input`).Length(); n != 3 {
		t.Errorf("%d notes offered, want the 3 evidence notes", n)
	}
	if strings.Contains(doc.Text(), "ENQUIRY-SECRET") {
		t.Error("a line of enquiry is offered")
	}
	// Only the lead links: the team refused (403), the QAM, the moderator,
	// Cafcass and administrators not told there is anything (404).
	link := url.Values{"note-private_law": {id["LINKED-TEAM"], id["LINKED-LEAD"]}}
	for _, tc := range []struct {
		who  string
		c    *http.Client
		want int
	}{{"team inspector", team, http.StatusForbidden}, {"SAO", sao, http.StatusForbidden}, {"QAM", qam, http.StatusNotFound},
		{"moderator", modC, http.StatusNotFound}, {"Cafcass", ceo, http.StatusNotFound}, {"administrator", admin, http.StatusNotFound}} {
		if res := ts.get(tc.c, linkPath); res.StatusCode != tc.want {
			t.Errorf("%s on the link page: %d, want %d", tc.who, res.StatusCode, tc.want)
		}
		if res := ts.post(tc.c, linkPath, link); res.StatusCode != tc.want {
			t.Errorf("%s linking: %d, want %d", tc.who, res.StatusCode, tc.want)
		}
	}
	if n := w.count(t, `SELECT count(*) FROM finding_evidence`); n != 0 {
		t.Fatalf("%d links after the refusals", n)
	}
	if res := ts.post(lead, linkPath, link); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("the lead linking: %d", res.StatusCode)
	}
	// A note of no such visit is refused, and changes nothing.
	if res := ts.post(lead, linkPath, url.Values{"note-leaders": {"nosuchnote"}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("linking a note of no such visit: %d, want 400", res.StatusCode)
	}

	// What the finding rests on: the QAM, the moderator and the SAO see
	// both notes (area, case, author, the note), and no other; a team
	// inspector, who reads only their own notes, sees only theirs.
	for who, c := range map[string]*http.Client{"QAM": qam, "moderator": modC, "team inspector": team, "SAO": sao, "lead": lead} {
		res := ts.get(c, base+"/evidence")
		body := readAll(t, res.Body)
		if res.StatusCode != http.StatusOK {
			t.Errorf("%s on the linked evidence: %d", who, res.StatusCode)
			continue
		}
		want := []string{"LINKED-TEAM", "LINKED-LEAD", "Case C0000", "Rests on 2 evidence notes", "Private family law proceedings"}
		if who == "team inspector" {
			want = []string{"LINKED-TEAM", "Rests on 1 evidence note", "Private family law proceedings"}
			if strings.Contains(body, "LINKED-LEAD") {
				t.Errorf("the team inspector reads the lead's note through the linked evidence")
			}
		}
		for _, want := range want {
			if !strings.Contains(body, want) {
				t.Errorf("%s does not see %q", who, want)
			}
		}
		if strings.Contains(body, "UNLINKED-SECRET") || strings.Contains(body, "ENQUIRY-SECRET") {
			t.Errorf("%s sees a note not linked", who)
		}
		if strings.Contains(body, linkPath) != (who == "lead") {
			t.Errorf("%s offered to link evidence: %v", who, strings.Contains(body, linkPath))
		}
	}
	// Each of those views is recorded.
	if n := w.count(t, `SELECT count(*) FROM child_data_views WHERE visit_id = $1 AND record = 'evidence_notes' AND user_id = $2`, visitID, mod.ID); n != 1 {
		t.Errorf("the moderator's views recorded: %d, want 1", n)
	}
	// The letter page says what each finding rests on.
	if b := readAll(t, ts.get(qam, base).Body); !strings.Contains(b, "Rests on 2 evidence notes") || strings.Contains(b, "LINKED-TEAM") {
		t.Error("the letter page does not count the linked evidence, or shows it")
	}

	// Walk every page the QAM and the moderator can open: no note that is
	// not linked appears on any.
	var gets []string
	if err := chi.Walk(ts.App.Router(), func(method, pattern string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
		if method == http.MethodGet && !strings.Contains(pattern, "sign-out") {
			gets = append(gets, pattern)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	opened := 0
	for who, c := range map[string]*http.Client{"QAM": qam, "moderator": modC} {
		for _, pattern := range gets {
			res := ts.get(c, w.path(t, pattern))
			body := readAll(t, res.Body)
			if res.StatusCode == http.StatusOK {
				opened++
			}
			if strings.Contains(body, "UNLINKED-SECRET") || strings.Contains(body, "ENQUIRY-SECRET") {
				t.Errorf("%s: %s shows a note not linked", who, pattern)
			}
		}
	}
	if opened < 20 {
		t.Errorf("the walk opened only %d pages", opened)
	}
	// Cafcass and administrators: 404 on every evidence URL.
	for who, c := range map[string]*http.Client{"Cafcass": ceo, "administrator": admin} {
		for _, p := range []string{visitPath + "/workspace/evidence", visitPath + "/workspace/evidence/new", base + "/evidence", linkPath} {
			if res := ts.get(c, p); res.StatusCode != http.StatusNotFound {
				t.Errorf("%s on %s: %d, want 404", who, p, res.StatusCode)
			}
		}
		if b := readAll(t, ts.get(c, visitPath).Body); strings.Contains(b, "/letter/evidence") {
			t.Errorf("%s is offered the linked evidence", who)
		}
	}

	// A new version keeps the finding (its id carried by the edit form),
	// and with it the links.
	edit := parse(t, ts.get(lead, base+"/edit"))
	if got, _ := edit.Find(`input[name="finding-id-1"]`).Attr("value"); got != finding {
		t.Fatalf("the edit form carries finding id %q, want %q", got, finding)
	}
	res = ts.post(lead, base+"/edit", url.Values{"action": {"save"}, "base_version": {"1"},
		"section-introduction": {"This letter summarises the findings of the focused visit."}, "findings": {"2"},
		"finding-kind-1": {"improvement"}, "finding-area-1": {"public_law"}, "finding-text-1": {"Guardians' visits are late"},
		"finding-id-2": {finding}, "finding-kind-2": {"strength"}, "finding-area-2": {"private_law"}, "finding-text-2": {"Safeguarding checks are timely and thorough"}})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("saving version 2: %d", res.StatusCode)
	}
	body := readAll(t, ts.get(qam, base+"/evidence").Body)
	if !strings.Contains(body, "timely and thorough") || !strings.Contains(body, "LINKED-TEAM") || !strings.Contains(body, "No evidence linked yet") {
		t.Error("the links did not follow the finding into version 2")
	}
	// Unlinking one note.
	if res := ts.post(lead, linkPath, url.Values{"note-private_law": {id["LINKED-LEAD"]}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("unlinking: %d", res.StatusCode)
	}
	if n := w.count(t, `SELECT count(*) FROM visit_events WHERE visit_id = $1 AND kind = 'letter.evidence_linked'`, visitID); n != 2 {
		t.Errorf("history: %d notes linked, want 2", n)
	}
	if n := w.count(t, `SELECT count(*) FROM visit_events WHERE visit_id = $1 AND kind = 'letter.evidence_unlinked'`, visitID); n != 1 {
		t.Errorf("history: %d notes unlinked, want 1", n)
	}
	if b := readAll(t, ts.get(qam, base+"/evidence").Body); strings.Contains(b, "LINKED-TEAM") || !strings.Contains(b, "LINKED-LEAD") {
		t.Error("the note unlinked is still shown")
	}
	if b := readAll(t, ts.get(lead, visitPath+"/history").Body); !strings.Contains(b, "Evidence unlinked from a finding") || strings.Contains(b, "LINKED-TEAM") {
		t.Error("the history does not say evidence was unlinked, or carries the note")
	}
}

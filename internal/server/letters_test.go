package server_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/ofsted/focusedvisits/internal/htmltest"
	"github.com/ofsted/focusedvisits/internal/publicid"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
)

type draftFixture struct {
	ts                       *testServer
	lead, qam, team, ceo     user.User
	leadC, qamC, teamC, ceoC *http.Client
	// mod is the visit's moderator, a second QAM (DOMAIN decision 14).
	mod   user.User
	modC  *http.Client
	visit visit.Details
	base  string
}

// newDraftFixture is a visit with notice on Mon 14 Apr 2025 (fieldwork
// ends Wed 23 Apr), its lead, QAM, a team inspector and the Cafcass chief
// executive, the notice recorded, and the clock after fieldwork.
func newDraftFixture(t *testing.T) *draftFixture {
	t.Helper()
	ts := newTestServer(t, nil)
	ts.setClock(time.Date(2025, 5, 6, 10, 0, 0, 0, londonTZ))
	f := &draftFixture{ts: ts}
	f.lead = ts.addUser(user.LeadInspector, "lead@example.gov.uk")
	f.qam = ts.addUser(user.QAM, "qam@example.gov.uk")
	f.team = ts.addUser(user.TeamInspector, "team@example.gov.uk")
	f.ceo = ts.addUser(user.CafcassCEO, "ceo@example.gov.uk")
	f.mod = ts.addUser(user.QAM, "moderator@example.gov.uk")
	f.visit = ts.createTestVisit(f.lead, "notice", date("2025-04-14"),
		visit.Member{UserID: f.lead.ID, Role: visit.RoleLead},
		visit.Member{UserID: f.qam.ID, Role: visit.RoleQAM},
		visit.Member{UserID: f.mod.ID, Role: visit.RoleModerator},
		visit.Member{UserID: f.team.ID, Role: visit.RoleTeam},
		visit.Member{UserID: f.ceo.ID, Role: visit.RoleCafcass})
	f.base = "/visits/" + f.visit.PublicID + "/letter"
	f.leadC, f.qamC, f.teamC, f.ceoC = ts.signIn(f.lead.Email), ts.signIn(f.qam.Email), ts.signIn(f.team.Email), ts.signIn(f.ceo.Email)
	f.modC = ts.signIn(f.mod.Email)
	if err := ts.Store.RecordActual(context.Background(), f.visit.ID, 0, visit.Actual{Code: timeline.CodeNotice, Date: date("2025-04-14"), Time: "09:05"}, "Notice call", f.lead); err != nil {
		t.Fatal(err)
	}
	return f
}

func draftForm(base int, intro string, findings ...[3]string) url.Values {
	v := url.Values{"action": {"save"}, "base_version": {fmt.Sprint(base)}, "section-introduction": {intro},
		"findings": {fmt.Sprint(len(findings))}}
	for i, fd := range findings {
		k := fmt.Sprint(i + 1)
		v.Set("finding-kind-"+k, fd[0])
		v.Set("finding-area-"+k, fd[1])
		v.Set("finding-text-"+k, fd[2])
	}
	return v
}

func (f *draftFixture) post(t *testing.T, c *http.Client, path string, form url.Values, want int) string {
	t.Helper()
	res := f.ts.post(c, path, form)
	body := readAll(t, res.Body)
	if res.StatusCode != want {
		t.Fatalf("POST %s %v: status %d, want %d\n%s", path, form, res.StatusCode, want, draftSummary(t, body))
	}
	return body
}

func (f *draftFixture) page(t *testing.T, c *http.Client, path string) string {
	t.Helper()
	res := f.ts.get(c, path)
	body := readAll(t, res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d", path, res.StatusCode)
	}
	return body
}

// draftSummary is the error summary and headings of a page, for failures.
func draftSummary(t *testing.T, body string) string {
	doc := htmltest.Parse(t, strings.NewReader(body))
	return htmltest.Text(doc.Find(".govuk-error-summary, h1"))
}

// summaryHrefs are the links of the page's error summary, in order.
func summaryHrefs(t *testing.T, body string) []string {
	t.Helper()
	var hrefs []string
	htmltest.Parse(t, strings.NewReader(body)).Find(".govuk-error-summary__list a").Each(func(_ int, a *goquery.Selection) {
		hrefs = append(hrefs, a.AttrOr("href", ""))
	})
	return hrefs
}

func wantText(t *testing.T, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("page lacks %q", w)
		}
	}
}

func TestLetter_WholeOfstedPath(t *testing.T) {
	f := newDraftFixture(t)
	pa := [3]string{"priority_action", "public_law", "Guardians hold too many cases to see children in time."}
	strength := [3]string{"strength", "private_law", "Work before first hearings is timely."}

	// Nothing to submit yet.
	body := f.page(t, f.leadC, f.base)
	wantText(t, body, "Start writing the letter", "Not started")
	f.post(t, f.leadC, f.base, url.Values{"action": {"submit"}}, http.StatusUnprocessableEntity)

	// Version 1, then a second person's stale save gets a conflict, with
	// their own text kept and the saved text beside it.
	f.post(t, f.leadC, f.base+"/edit", draftForm(0, "We visited Cafcass in April.", strength), http.StatusSeeOther)
	res := f.ts.post(f.leadC, f.base+"/edit", draftForm(0, "My rival introduction.", strength))
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("stale save: %d, want 409", res.StatusCode)
	}
	doc := parse(t, res)
	if doc.Find("[data-testid=letter-conflict]").Length() != 1 {
		t.Error("no conflict banner")
	}
	if got := doc.Find("textarea#section-introduction").Text(); got != "My rival introduction." {
		t.Errorf("user's text not kept: %q", got)
	}
	if got := htmltest.Text(doc.Find("[data-testid=their-text]")); !strings.Contains(got, "We visited Cafcass in April.") {
		t.Errorf("their text not shown: %q", got)
	}
	if v, _ := doc.Find("input[name=base_version]").Attr("value"); v != "1" {
		t.Errorf("base_version after a conflict = %q, want 1", v)
	}

	// Submit, return with a comment, revise (with a priority action),
	// resubmit, approve: it goes to moderation.
	f.post(t, f.leadC, f.base, url.Values{"action": {"submit"}, "version": {"1"}}, http.StatusSeeOther)
	f.post(t, f.leadC, f.base+"/qa", url.Values{"action": {"approve"}, "version": {"1"}}, http.StatusForbidden)
	f.post(t, f.qamC, f.base+"/qa", url.Values{"action": {"return"}, "version": {"1"}}, http.StatusUnprocessableEntity)
	f.post(t, f.qamC, f.base+"/qa", url.Values{"action": {"return"}, "version": {"1"}, "comment-introduction": {"Say which service areas you visited."}}, http.StatusSeeOther)
	body = f.page(t, f.leadC, f.base+"/edit")
	wantText(t, body, "Say which service areas you visited.")
	f.post(t, f.leadC, f.base+"/edit", draftForm(1, "We visited Cafcass in April, in three service areas.", strength, pa), http.StatusSeeOther)
	f.post(t, f.leadC, f.base, url.Values{"action": {"submit"}, "version": {"2"}}, http.StatusSeeOther)
	f.post(t, f.qamC, f.base+"/qa", url.Values{"action": {"approve"}, "version": {"2"}}, http.StatusSeeOther)
	body = f.page(t, f.leadC, f.base)
	wantText(t, body, "Awaiting moderation", "Area for priority action")

	// No sending before moderation.
	body = f.post(t, f.leadC, f.base, url.Values{"action": {"send-draft"}, "version": {"2"}}, http.StatusUnprocessableEntity)
	wantText(t, body, "must be moderated before it is sent")

	// Moderation moving the final needs how and when the CEO was told.
	mod := url.Values{"outcome": {"agreed"}, "notes": {"Evidence of caseloads is strong."}, "version": {"2"},
		"date-final-letter-day": {"2"}, "date-final-letter-month": {"6"}, "date-final-letter-year": {"2025"}}
	// The QAM who approved it may not moderate it: the moderator does.
	f.post(t, f.qamC, f.base+"/moderation", mod, http.StatusForbidden)
	body = f.post(t, f.modC, f.base+"/moderation", mod, http.StatusUnprocessableEntity)
	wantText(t, body, "Choose how the chief executive was told of the new dates", "Enter the date the chief executive was told")
	// The rules' errors name their fields, in the order of the form.
	if got, want := summaryHrefs(t, body), []string{"#ceo-method", "#ceo-told-day"}; !slices.Equal(got, want) {
		t.Errorf("error summary links %q, want %q", got, want)
	}
	// A date the form cannot read is the form's error, beside the rules'.
	bad := url.Values{"outcome": {"changes_needed"}, "version": {"2"}, "date-publication-day": {"31"}, "date-publication-month": {"2"}, "date-publication-year": {"2025"}}
	body = f.post(t, f.modC, f.base+"/moderation", bad, http.StatusUnprocessableEntity)
	if got, want := summaryHrefs(t, body), []string{"#notes", "#date-publication-day"}; !slices.Equal(got, want) {
		t.Errorf("error summary links %q, want %q", got, want)
	}
	mod.Set("ceo-method", "email")
	mod.Set("ceo-told-day", "5")
	mod.Set("ceo-told-month", "5")
	mod.Set("ceo-told-year", "2025")
	f.post(t, f.modC, f.base+"/moderation", mod, http.StatusSeeOther)
	d, err := f.ts.Store.GetVisit(context.Background(), f.visit.ID)
	if err != nil {
		t.Fatal(err)
	}
	if o, ok := d.Override(timeline.CodeFinalLetter); !ok || o.Date != date("2025-06-02") || !strings.Contains(o.Reason, "email") {
		t.Errorf("final letter override = %+v, %v", o, ok)
	}

	// Send the draft: the actual event is today.
	f.post(t, f.leadC, f.base, url.Values{"action": {"send-draft"}, "version": {"2"}}, http.StatusSeeOther)
	d, _ = f.ts.Store.GetVisit(context.Background(), f.visit.ID)
	if a, ok := d.Actual(timeline.CodeDraftLetter); !ok || a.Date != date("2025-05-06") {
		t.Errorf("draft sent actual = %+v, %v", a, ok)
	}
	if !d.PriorityAction {
		t.Error("the visit does not carry the letter's priority action")
	}

	// The final: prepared as a new version; not sent while comments are open.
	f.post(t, f.leadC, f.base+"/edit", draftForm(2, "We visited Cafcass in April, in three service areas. Final.", strength, pa), http.StatusSeeOther)
	body = f.post(t, f.leadC, f.base, url.Values{"action": {"send-final"}, "version": {"3"}}, http.StatusUnprocessableEntity)
	wantText(t, body, "time to comment on the draft has not ended")
	f.ts.setClock(time.Date(2025, 5, 20, 10, 0, 0, 0, londonTZ))
	f.post(t, f.leadC, f.base, url.Values{"action": {"send-final"}, "version": {"3"}}, http.StatusSeeOther)
	d, _ = f.ts.Store.GetVisit(context.Background(), f.visit.ID)
	if a, ok := d.Actual(timeline.CodeFinalLetter); !ok || a.Date != date("2025-05-20") {
		t.Errorf("final sent actual = %+v, %v", a, ok)
	}
	l, err := f.ts.Store.GetLetter(context.Background(), f.visit.ID)
	if err != nil || l.SentDraftVersion != 2 || l.FinalVersion != 3 || l.State != "final_sent" {
		t.Errorf("letter = %+v, %v", l, err)
	}

	// Versions and comparison.
	body = f.page(t, f.leadC, f.base+"/versions")
	wantText(t, body, "Sent as the draft", "Sent as the final")
	res = f.ts.get(f.leadC, f.base+"/compare?a=1&b=2")
	doc = parse(t, res)
	if got := htmltest.Text(doc.Find("ins[data-testid=added]").First()); !strings.Contains(got, "in three service areas") || !strings.Contains(got, "added") {
		t.Errorf("first insertion = %q", got)
	}
	if doc.Find("ins .govuk-visually-hidden").Length() == 0 {
		t.Error("insertions carry no screen-reader text")
	}

	// Every step is in the history.
	events, _ := f.ts.Store.ListEvents(context.Background(), f.visit.ID)
	var all strings.Builder
	for _, e := range events {
		all.WriteString(e.Words().Action + "|" + e.Words().New + "\n")
	}
	for _, want := range []string{"Letter submitted for QA", "Letter returned by QA", "Letter approved", "Letter moderated", "Draft letter sent|Draft sent", "Final letter sent|Final sent", "Date set by hand"} {
		if !strings.Contains(all.String(), want) {
			t.Errorf("history lacks %q", want)
		}
	}
}

// TestLetter_CafcassSeesNothingInternal: every Ofsted letter URL answers a
// Cafcass user on the visit exactly as it answers for a visit that does not
// exist, and never carries the draft, QA comments or moderation notes.
func TestLetter_CafcassSeesNothingInternal(t *testing.T) {
	f := newDraftFixture(t)
	f.post(t, f.leadC, f.base+"/edit", draftForm(0, "SECRET-DRAFT-TEXT", [3]string{"priority_action", "leaders", "SECRET-FINDING"}), http.StatusSeeOther)
	f.post(t, f.leadC, f.base, url.Values{"action": {"submit"}, "version": {"1"}}, http.StatusSeeOther)
	f.post(t, f.qamC, f.base+"/qa", url.Values{"action": {"return"}, "version": {"1"}, "comment-introduction": {"SECRET-QA-COMMENT"}}, http.StatusSeeOther)

	missing := "/visits/" + publicid.New() + "/letter"
	for _, suffix := range []string{"", "/edit", "/versions", "/compare?a=1&b=1", "/qa", "/moderation"} {
		for _, method := range []string{http.MethodGet, http.MethodPost} {
			if method == http.MethodPost && (suffix == "/versions" || strings.HasPrefix(suffix, "/compare")) {
				continue
			}
			do := func(path string) (int, string) {
				var res *http.Response
				if method == http.MethodGet {
					res = f.ts.get(f.ceoC, path)
				} else {
					res = f.ts.post(f.ceoC, path, url.Values{"action": {"save"}, "section-introduction": {"x"}})
				}
				defer res.Body.Close()
				b, _ := io.ReadAll(res.Body)
				return res.StatusCode, string(b)
			}
			realStatus, realBody := do(f.base + suffix)
			missingStatus, _ := do(missing + suffix)
			if realStatus != missingStatus || (realStatus != http.StatusNotFound && realStatus != http.StatusForbidden) {
				t.Errorf("%s %s: Cafcass gets %d, and %d for a visit that does not exist", method, suffix, realStatus, missingStatus)
			}
			for _, secret := range []string{"SECRET-DRAFT-TEXT", "SECRET-FINDING", "SECRET-QA-COMMENT"} {
				if strings.Contains(realBody, secret) {
					t.Errorf("%s %s shows Cafcass %s", method, suffix, secret)
				}
			}
		}
	}
	l, _ := f.ts.Store.GetLetter(context.Background(), f.visit.ID)
	if l.CurrentVersion != 1 || l.State != "returned" {
		t.Errorf("Cafcass changed the letter: %+v", l)
	}
	// Nor does the visit page give it away, nor the Cafcass tab point here.
	body := f.page(t, f.ceoC, "/visits/"+f.visit.PublicID)
	if strings.Contains(body, `href="`+f.base+`"`) || strings.Contains(body, "SECRET") {
		t.Error("the Cafcass visit page links to the internal letter")
	}
}

// TestLetter_WhoMayDoWhat: a team inspector reads but cannot write or
// submit; the lead cannot approve their own letter; nobody may approve a
// version other than the one they read.
func TestLetter_WhoMayDoWhat(t *testing.T) {
	f := newDraftFixture(t)
	f.post(t, f.teamC, f.base+"/edit", draftForm(0, "Team text"), http.StatusForbidden)
	f.post(t, f.leadC, f.base+"/edit", draftForm(0, "Lead text"), http.StatusSeeOther)
	body := f.page(t, f.teamC, f.base)
	wantText(t, body, "Lead text")
	if strings.Contains(body, "Edit the letter") {
		t.Error("team inspector offered editing")
	}
	f.post(t, f.teamC, f.base, url.Values{"action": {"submit"}, "version": {"1"}}, http.StatusForbidden)
	f.post(t, f.leadC, f.base, url.Values{"action": {"submit"}, "version": {"1"}}, http.StatusSeeOther)
	// A change while in QA takes it back to drafting; approving the old
	// version is refused.
	f.post(t, f.leadC, f.base+"/edit", draftForm(1, "Lead text, changed"), http.StatusSeeOther)
	body = f.post(t, f.qamC, f.base+"/qa", url.Values{"action": {"approve"}, "version": {"1"}}, http.StatusUnprocessableEntity)
	wantText(t, body, "Only a letter submitted for QA can be approved or returned")
	f.post(t, f.leadC, f.base, url.Values{"action": {"submit"}, "version": {"2"}}, http.StatusSeeOther)
	f.post(t, f.qamC, f.base+"/qa", url.Values{"action": {"approve"}, "version": {"2"}}, http.StatusSeeOther)
	// Approval lapses when the text changes.
	f.post(t, f.leadC, f.base+"/edit", draftForm(2, "Lead text, changed again"), http.StatusSeeOther)
	body = f.page(t, f.leadC, f.base)
	wantText(t, body, "Drafting", "Lapsed")
	body = f.post(t, f.leadC, f.base, url.Values{"action": {"send-draft"}, "version": {"3"}}, http.StatusUnprocessableEntity)
	wantText(t, body, "The letter must be approved by QA before it is sent")
}

// TestLetter_PriorityActionAfterTheDraftIsModerated: DOMAIN decision 14. An
// area for priority action added after the draft was sent goes out in the
// final only once the visit's moderator (not the QAM who approved it) has
// moderated it.
func TestLetter_PriorityActionAfterTheDraftIsModerated(t *testing.T) {
	f := newDraftFixture(t)
	strength := [3]string{"strength", "private_law", "Work before first hearings is timely."}
	pa := [3]string{"priority_action", "public_law", "Guardians hold too many cases to see children in time."}
	f.post(t, f.leadC, f.base+"/edit", draftForm(0, "We visited Cafcass in April.", strength), http.StatusSeeOther)
	f.post(t, f.leadC, f.base, url.Values{"action": {"submit"}, "version": {"1"}}, http.StatusSeeOther)
	f.post(t, f.qamC, f.base+"/qa", url.Values{"action": {"approve"}, "version": {"1"}}, http.StatusSeeOther)
	f.post(t, f.leadC, f.base, url.Values{"action": {"send-draft"}, "version": {"1"}}, http.StatusSeeOther)

	// The final gains a priority action.
	f.post(t, f.leadC, f.base+"/edit", draftForm(1, "We visited Cafcass in April.", strength, pa), http.StatusSeeOther)
	f.ts.setClock(time.Date(2025, 5, 20, 10, 0, 0, 0, londonTZ))
	body := f.post(t, f.leadC, f.base, url.Values{"action": {"send-final"}, "version": {"2"}}, http.StatusUnprocessableEntity)
	wantText(t, body, "the visit&#39;s moderator must moderate it before the final letter is sent")

	// The QAM cannot moderate; the moderator can, from the letter as it is.
	agreed := url.Values{"outcome": {"agreed"}, "notes": {"The priority action is well evidenced."}, "version": {"2"}}
	f.post(t, f.qamC, f.base+"/moderation", agreed, http.StatusForbidden)
	f.page(t, f.modC, f.base+"/moderation")
	f.post(t, f.modC, f.base+"/moderation", agreed, http.StatusSeeOther)
	f.post(t, f.modC, f.base+"/moderation", agreed, http.StatusUnprocessableEntity) // once is enough

	// A change elsewhere keeps the moderation; the final goes.
	f.post(t, f.leadC, f.base+"/edit", draftForm(2, "We visited Cafcass in April 2025.", strength, pa), http.StatusSeeOther)
	f.post(t, f.leadC, f.base, url.Values{"action": {"send-final"}, "version": {"3"}}, http.StatusSeeOther)
	l, err := f.ts.Store.GetLetter(context.Background(), f.visit.ID)
	if err != nil || l.State != "final_sent" || l.ModeratedVersion != 2 {
		t.Fatalf("letter %+v %v", l, err)
	}
}

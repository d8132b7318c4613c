package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/htmltest"
	"github.com/ofsted/focusedvisits/internal/letter"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
)

// cafcassLetterFixture is a visit noticed Mon 12 May 2025 (fieldwork Tue 20 and
// Wed 21 May), with its lead, QAM and the Cafcass chief executive, and a
// letter written and approved but not sent.
type cafcassLetterFixture struct {
	ts               *testServer
	lead, qam, ceo   user.User
	leadC, ceoC, out *http.Client
	visit            visit.Details
	base             string
}

func newCafcassLetterFixture(t *testing.T, priority bool) *cafcassLetterFixture {
	ts := newTestServer(t, nil)
	ts.setClock(time.Date(2025, 5, 30, 10, 0, 0, 0, londonTZ))
	f := &cafcassLetterFixture{ts: ts}
	f.lead = ts.addUser(user.LeadInspector, "lead@example.gov.uk")
	f.qam = ts.addUser(user.QAM, "qam@example.gov.uk")
	f.ceo = ts.addUser(user.CafcassCEO, "ceo@example.gov.uk")
	f.visit = ts.createTestVisit(f.lead, "notice", date("2025-05-12"),
		visit.Member{UserID: f.lead.ID, Role: visit.RoleLead},
		visit.Member{UserID: f.qam.ID, Role: visit.RoleQAM},
		visit.Member{UserID: f.ceo.ID, Role: visit.RoleCafcass})
	ctx := context.Background()
	if err := ts.Store.RecordActual(ctx, f.visit.ID, 0, visit.Actual{Code: "notice", Date: date("2025-05-12")}, "Notice call", f.lead); err != nil {
		t.Fatal(err)
	}
	c := letter.Content{
		Sections: map[letter.Section]string{
			letter.Introduction: "This letter summarises the findings of the focused visit.",
			letter.Strengths:    "Children are seen promptly.",
			letter.NextSteps:    "Ofsted will consider these findings at the next annual engagement meeting.",
		},
		Findings: []letter.Finding{{Kind: letter.KindStrength, Area: letter.PrivateLaw, Text: "Safeguarding checks are timely"}},
	}
	if priority {
		c.Sections[letter.PriorityAction] = "Leaders must act urgently."
		c.Findings = append(c.Findings, letter.Finding{Kind: letter.KindPriorityAction, Area: letter.PublicLaw, Text: "Care plans are not reviewed"})
	}
	if _, err := ts.Store.SaveLetterVersion(ctx, f.visit.ID, 0, c, letter.Drafting, f.lead); err != nil {
		t.Fatal(err)
	}
	f.move(t, letter.Submit, letter.Drafting, letter.InQA, f.lead)
	f.move(t, letter.Approve, letter.InQA, letter.Approved, f.qam)
	f.leadC, f.ceoC, f.out = ts.signIn(f.lead.Email), ts.signIn(f.ceo.Email), ts.client()
	f.base = "/visits/" + f.visit.PublicID + "/letter"
	return f
}

func (f *cafcassLetterFixture) move(t *testing.T, a letter.Action, from, to letter.State, by user.User) {
	t.Helper()
	if err := f.ts.Store.MoveLetter(context.Background(), f.visit.ID, store.LetterMove{Action: a, From: from, To: to, Version: 1}, by); err != nil {
		t.Fatalf("%s: %v", a, err)
	}
}

// sendDraft sends the draft on Wed 4 Jun 2025: comments are due by the end
// of Wed 11 Jun.
func (f *cafcassLetterFixture) sendDraft(t *testing.T) {
	t.Helper()
	err := f.ts.Store.SendDraftLetter(context.Background(), f.visit.ID, store.LetterMove{Action: letter.SendDraft, From: letter.Approved, To: letter.DraftSent, Version: 1}, date("2025-06-04"), f.lead)
	if err != nil {
		t.Fatal(err)
	}
}

// sendFinal sends the final on Wed 18 Jun 2025: a complaint is in time to
// the end of Wed 25 Jun, and publication is Mon 30 Jun.
func (f *cafcassLetterFixture) sendFinal(t *testing.T) {
	t.Helper()
	err := f.ts.Store.SendFinalLetter(context.Background(), f.visit.ID, store.LetterMove{Action: letter.SendFinal, From: letter.DraftSent, To: letter.FinalSent, Version: 1}, date("2025-06-18"), f.lead)
	if err != nil {
		t.Fatal(err)
	}
}

func (f *cafcassLetterFixture) at(day string, hour int) {
	d := date(day)
	f.ts.setClock(time.Date(d.Year(), d.Month(), d.Day(), hour, 0, 0, 0, londonTZ))
}

func (f *cafcassLetterFixture) wantStatus(t *testing.T, res *http.Response, want int) {
	t.Helper()
	if res.StatusCode != want {
		t.Fatalf("%s %s: status %d, want %d", res.Request.Method, res.Request.URL.Path, res.StatusCode, want)
	}
}

// answersAsMadeUp checks that path answers exactly as the same path with a
// made-up identifier: the same status and the same heading.
func answersAsMadeUp(t *testing.T, ts *testServer, c *http.Client, path, madeUp string) {
	t.Helper()
	a, b := ts.get(c, path), ts.get(c, madeUp)
	if a.StatusCode != b.StatusCode {
		t.Fatalf("%s: status %d, but a made-up id gets %d", path, a.StatusCode, b.StatusCode)
	}
	ha, hb := htmltest.Text(parse(t, a).Find("h1")), htmltest.Text(parse(t, b).Find("h1"))
	if ha != hb {
		t.Fatalf("%s: h1 %q, but a made-up id gets %q", path, ha, hb)
	}
}

func (f *cafcassLetterFixture) events(t *testing.T) []string {
	t.Helper()
	es, err := f.ts.Store.ListEvents(context.Background(), f.visit.ID)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Words().Action)
	}
	return out
}

// views is the visit's record of who read a letter sent to Cafcass or
// downloaded a file, newest first, in the history's words.
func (f *cafcassLetterFixture) views(t *testing.T) []string {
	t.Helper()
	vs, err := f.ts.Store.ListMaterialViews(context.Background(), f.visit.ID)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, v := range vs {
		out = append(out, v.What.Words())
	}
	return out
}

func countOf(xs []string, x string) int {
	n := 0
	for _, s := range xs {
		if s == x {
			n++
		}
	}
	return n
}

func TestLetterCafcass_NothingBeforeItIsSent(t *testing.T) {
	t.Parallel()
	f := newCafcassLetterFixture(t, false)
	ts := f.ts
	// An approved letter not yet sent is internal: Cafcass gets what a
	// made-up visit gets, on every page of the sent letter.
	for _, p := range []string{"/draft", "/final", "/draft/comments/check", "/draft/comments/new", "/complaint"} {
		answersAsMadeUp(t, ts, f.ceoC, f.base+p, "/visits/999999/letter"+p)
	}
	res := ts.get(f.ceoC, f.base+"/cafcass")
	f.wantStatus(t, res, http.StatusOK)
	doc := parse(t, res)
	htmltest.CheckPage(t, doc)
	if got := htmltest.Text(doc.Find(`[data-testid="letter-status"]`)); got != "No letter yet" {
		t.Errorf("status %q", got)
	}
	if !strings.Contains(htmltest.Text(doc.Find(`[data-testid="action-plan-reminder"]`)), "self-evaluation") {
		t.Error("no reminder to update the existing action plan")
	}
	// Internal material reached through Ofsted's pages answers Cafcass as a
	// made-up visit does.
	for _, p := range []string{"/comments", "/complaints/1/resolve"} {
		answersAsMadeUp(t, ts, f.ceoC, f.base+p, "/visits/999999/letter"+p)
	}
	// Nothing unpublished is reachable publicly.
	answersAsMadeUp(t, ts, f.out, "/letters/focused-visit-"+strings.ToLower(f.visit.Reference), "/letters/no-such-letter")
}

func TestLetterCafcass_CommentsSubmittedOnceAndAnswered(t *testing.T) {
	t.Parallel()
	f := newCafcassLetterFixture(t, false)
	ts := f.ts
	f.sendDraft(t)
	f.at("2025-06-05", 10)

	res := ts.get(f.ceoC, f.base+"/draft")
	f.wantStatus(t, res, http.StatusOK)
	doc := parse(t, res)
	htmltest.CheckPage(t, doc)
	if doc.Find(`a[href="`+f.base+`/draft/comments/new?section=strengths"]`).Length() != 1 {
		t.Fatal("no Add a comment link on the strengths section")
	}
	if n := countOf(f.views(t), "Draft letter viewed by Cafcass"); n != 1 {
		t.Errorf("%d views recorded, want 1", n)
	}

	// A comment with nothing chosen is refused with the errors.
	res = ts.post(f.ceoC, f.base+"/draft/comments/new", url.Values{"body": {""}})
	f.wantStatus(t, res, http.StatusUnprocessableEntity)
	doc = parse(t, res)
	for _, field := range []string{"section", "about", "body"} {
		if doc.Find(`.govuk-error-summary__list a[href="#`+field+`"]`).Length() == 0 && doc.Find(`.govuk-error-summary__list a[href^="#`+field+`"]`).Length() == 0 {
			t.Errorf("no error for %s", field)
		}
	}
	res = ts.post(f.ceoC, f.base+"/draft/comments/new", url.Values{"section": {"strengths"}, "about": {"findings"}, "body": {"The finding on visits is out of date."}})
	f.wantStatus(t, res, http.StatusSeeOther)

	// Check your answers, with Change links, then submit once.
	res = ts.get(f.ceoC, f.base+"/draft/comments/check")
	f.wantStatus(t, res, http.StatusOK)
	doc = parse(t, res)
	htmltest.CheckPage(t, doc)
	if doc.Find(`.govuk-summary-list__actions a`).Length() != 3 {
		t.Errorf("want 3 Change links, got %d", doc.Find(`.govuk-summary-list__actions a`).Length())
	}
	f.wantStatus(t, ts.post(f.ceoC, f.base+"/draft/comments/check", url.Values{}), http.StatusSeeOther)
	f.wantStatus(t, ts.post(f.ceoC, f.base+"/draft/comments/check", url.Values{}), http.StatusSeeOther)
	l, err := ts.Store.GetLetter(context.Background(), f.visit.ID)
	if err != nil {
		t.Fatal(err)
	}
	sub, err := ts.Store.GetCommentSubmission(context.Background(), l.ID)
	if err != nil || sub.Comments != 1 || sub.Late {
		t.Fatalf("submission %+v %v", sub, err)
	}
	// Once submitted, nothing more can be added or changed.
	res = ts.post(f.ceoC, f.base+"/draft/comments/new", url.Values{"section": {"strengths"}, "about": {"letter"}, "body": {"Another"}})
	f.wantStatus(t, res, http.StatusBadRequest)
	if n := countOf(f.events(t), "Comments on the draft letter submitted by Cafcass"); n != 1 {
		t.Errorf("%d submissions recorded, want 1", n)
	}

	// Ofsted responds; Cafcass sees the response with the final letter only.
	cs, err := ts.Store.ListLetterComments(context.Background(), l.ID)
	if err != nil || len(cs) != 1 {
		t.Fatal(cs, err)
	}
	res = ts.get(f.leadC, f.base+"/comments")
	f.wantStatus(t, res, http.StatusOK)
	htmltest.CheckPage(t, parse(t, res))
	// The final waits for answers (DOMAIN decision 15): after the window
	// closed, with the comment unanswered, the final is not offered and a
	// send is refused, saying why.
	f.at("2025-06-17", 10)
	doc = parse(t, ts.get(f.leadC, f.base))
	if doc.Find(`button[value="send-final"]`).Length() != 0 {
		t.Error("the final is offered with a comment unanswered")
	}
	if got := htmltest.Text(doc.Find("main")); !strings.Contains(got, "Respond to every comment Cafcass made on the draft before you send the final letter: 1 comment has no response yet") {
		t.Errorf("the letter page does not say why the final waits: %.300q", got)
	}
	res = ts.post(f.leadC, f.base, url.Values{"action": {"send-final"}, "version": {"1"}})
	f.wantStatus(t, res, http.StatusUnprocessableEntity)
	if l, _ := ts.Store.GetLetter(context.Background(), f.visit.ID); l.State != letter.DraftSent {
		t.Errorf("letter %s after a refused send", l.State)
	}
	res = ts.post(f.leadC, f.base+"/comments/"+cs[0].PublicID+"/response", url.Values{"response": {"We have updated the finding."}})
	f.wantStatus(t, res, http.StatusSeeOther)
	if strings.Contains(readAll(t, ts.get(f.ceoC, f.base+"/draft").Body), "We have updated the finding.") {
		t.Error("Cafcass sees the response before the final letter")
	}
	// Cafcass may not respond.
	f.wantStatus(t, ts.post(f.ceoC, f.base+"/comments/"+cs[0].PublicID+"/response", url.Values{"response": {"x"}}), http.StatusForbidden)

	f.sendFinal(t)
	f.at("2025-06-19", 10)
	res = ts.get(f.ceoC, f.base+"/final")
	f.wantStatus(t, res, http.StatusOK)
	doc = parse(t, res)
	htmltest.CheckPage(t, doc)
	if !strings.Contains(htmltest.Text(doc.Find(`[data-testid="response"]`)), "We have updated the finding.") {
		t.Error("final letter does not show Ofsted's response")
	}
	if got := htmltest.Text(doc.Find(`[data-testid="embargo"] .govuk-notification-banner__heading`)); !strings.HasPrefix(got, "Embargoed until") || !strings.Contains(got, "2025") {
		t.Errorf("embargo banner %q", got)
	}
	if doc.Find(`.app-embargo-print`).Length() != 1 {
		t.Error("no embargo line for the printed copy")
	}
	if n := countOf(f.views(t), "Final letter viewed by Cafcass"); n != 1 {
		t.Errorf("%d final views recorded, want 1", n)
	}
}

func TestLetterCafcass_LateCommentsAreAcceptedMarkedLate(t *testing.T) {
	t.Parallel()
	f := newCafcassLetterFixture(t, false)
	ts := f.ts
	f.sendDraft(t)
	f.at("2025-06-12", 9) // the day after the last day for comments
	f.wantStatus(t, ts.post(f.ceoC, f.base+"/draft/comments/new", url.Values{"section": {"introduction"}, "about": {"process"}, "body": {"The calls ran late."}}), http.StatusSeeOther)
	doc := parse(t, ts.get(f.ceoC, f.base+"/draft/comments/check"))
	if doc.Find(".govuk-warning-text").Length() == 0 {
		t.Error("check page does not warn that the comments are late")
	}
	f.wantStatus(t, ts.post(f.ceoC, f.base+"/draft/comments/check", url.Values{}), http.StatusSeeOther)
	l, _ := ts.Store.GetLetter(context.Background(), f.visit.ID)
	cs, err := ts.Store.ListLetterComments(context.Background(), l.ID)
	if err != nil || len(cs) != 1 || !cs[0].Late || !cs[0].Submitted() {
		t.Fatalf("comments %+v %v", cs, err)
	}
}

func TestLetterCafcass_ComplaintInTimeHoldsPublicationUntilResolved(t *testing.T) {
	t.Parallel()
	f := newCafcassLetterFixture(t, false)
	ts := f.ts
	slug := "/letters/focused-visit-" + strings.ToLower(f.visit.Reference)
	f.sendDraft(t)
	f.sendFinal(t)
	f.writeSummary(t)
	f.at("2025-06-25", 17) // the last day for a complaint
	f.wantStatus(t, ts.get(f.ceoC, f.base+"/complaint"), http.StatusOK)
	f.wantStatus(t, ts.post(f.ceoC, f.base+"/complaint", url.Values{"body": {"The letter misreads our audit data."}}), http.StatusSeeOther)
	l, _ := ts.Store.GetLetter(context.Background(), f.visit.ID)
	if l.State != "on_hold" {
		t.Fatalf("letter %s, want on_hold", l.State)
	}
	cs, _ := ts.Store.ListComplaints(context.Background(), l.ID)
	if len(cs) != 1 || !cs[0].InTime {
		t.Fatalf("complaints %+v", cs)
	}

	// On the publication date (Mon 30 Jun) nothing is published.
	f.at("2025-06-30", 10)
	ts.runJobs()
	doc := parse(t, ts.get(f.out, "/letters"))
	if doc.Find(`[data-testid="publications"] a`).Length() != 0 {
		t.Fatal("a held letter is listed")
	}
	answersAsMadeUp(t, ts, f.out, slug, "/letters/no-such-letter")
	f.wantStatus(t, ts.get(f.ceoC, f.base+"/cafcass"), http.StatusOK)
	if l, _ := ts.Store.GetLetter(context.Background(), f.visit.ID); l.Published() {
		t.Fatal("published while a complaint in time is unresolved")
	}

	// The lead resolves it with a new date; publication follows on that date.
	resolve := f.base + "/complaints/" + cs[0].PublicID + "/resolve"
	f.wantStatus(t, ts.get(f.ceoC, resolve), http.StatusForbidden)
	f.wantStatus(t, ts.get(f.leadC, resolve), http.StatusOK)
	res := ts.post(f.leadC, resolve, url.Values{"resolution": {""}})
	f.wantStatus(t, res, http.StatusUnprocessableEntity)
	res = ts.post(f.leadC, resolve, dateForm("publication-date", date("2025-07-02"), url.Values{"resolution": {"Considered; the finding stands with a clarification."}}))
	f.wantStatus(t, res, http.StatusSeeOther)
	f.wantStatus(t, ts.get(f.out, slug), http.StatusNotFound)
	// Resolved on Mon 30 Jun: not published the next day, the new date
	// being later.
	f.at("2025-07-01", 0)
	ts.runJobs()
	f.wantStatus(t, ts.get(f.out, slug), http.StatusNotFound)
	f.at("2025-07-02", 0)
	ts.runJobs()
	doc = parse(t, ts.get(f.out, "/letters"))
	if doc.Find(`[data-testid="publications"] a[href="`+slug+`"]`).Length() != 1 {
		t.Fatal("letter not listed on its new date")
	}
	res = ts.get(f.out, slug)
	f.wantStatus(t, res, http.StatusOK)
	doc = parse(t, res)
	htmltest.CheckPage(t, doc)
	if !strings.Contains(htmltest.Text(doc.Find("main")), "Safeguarding checks are timely") {
		t.Error("published letter lacks its findings")
	}
	if doc.Find(`[data-testid="comment"]`).Length() != 0 {
		t.Error("published letter shows comments")
	}
	l, _ = ts.Store.GetLetter(context.Background(), f.visit.ID)
	if !l.Published() {
		t.Fatalf("letter %s", l.State)
	}
	if countOf(f.events(t), "Letter published") != 1 {
		t.Error("publication not in the history")
	}
}

// TestLetterCafcass_NoComplaintAfterTheWindow: the complaint window is
// optional (DOMAIN decision 13); once it closed, or once a complaint was
// made, "Make a formal complaint" is not offered and a complaint is refused
// (issue 12, item 9). Publication goes ahead on its date.
func TestLetterCafcass_NoComplaintAfterTheWindow(t *testing.T) {
	t.Parallel()
	f := newCafcassLetterFixture(t, false)
	ts := f.ts
	f.sendDraft(t)
	f.sendFinal(t)
	f.at("2025-06-26", 9) // the day after the last day for a complaint
	for _, path := range []string{f.base + "/cafcass", f.base + "/final"} {
		if n := parse(t, ts.get(f.ceoC, path)).Find(`a[href$="/letter/complaint"]`).Length(); n != 0 {
			t.Errorf("%s offers a complaint after the window closed", path)
		}
	}
	doc := parse(t, ts.get(f.ceoC, f.base+"/complaint"))
	if got := htmltest.Text(doc.Find("main")); !strings.Contains(got, "The time for a formal complaint ended on Wed 25 Jun 2025") || doc.Find("textarea#body").Length() != 0 {
		t.Errorf("complaint page after the window: %.200q", got)
	}
	f.wantStatus(t, ts.post(f.ceoC, f.base+"/complaint", url.Values{"body": {"Late complaint."}}), http.StatusUnprocessableEntity)
	f.writeSummary(t)
	l, _ := ts.Store.GetLetter(context.Background(), f.visit.ID)
	if cs, _ := ts.Store.ListComplaints(context.Background(), l.ID); len(cs) != 0 {
		t.Fatalf("a complaint after the window was stored: %+v", cs)
	}
	f.at("2025-06-30", 0)
	ts.runJobs()
	slug := "/letters/focused-visit-" + strings.ToLower(f.visit.Reference)
	f.wantStatus(t, ts.get(f.out, slug), http.StatusOK)
}

// TestLetterCafcass_OneComplaintHoldsAndSaysSo: once a complaint is made it
// is not offered again, and the final letter says publication is held and
// why, never a date that has passed (issue 12, item 9).
func TestLetterCafcass_OneComplaintHoldsAndSaysSo(t *testing.T) {
	t.Parallel()
	f := newCafcassLetterFixture(t, false)
	ts := f.ts
	f.sendDraft(t)
	f.sendFinal(t)
	f.at("2025-06-19", 10)
	doc := parse(t, ts.get(f.ceoC, f.base+"/final"))
	if doc.Find(`a[href$="/letter/complaint"]`).Length() != 1 {
		t.Fatal("no complaint offered while the window is open")
	}
	f.wantStatus(t, ts.post(f.ceoC, f.base+"/complaint", url.Values{"body": {"The finding on visits is unfair."}}), http.StatusSeeOther)
	second := ts.post(f.ceoC, f.base+"/complaint", url.Values{"body": {"A second one."}})
	f.wantStatus(t, second, http.StatusUnprocessableEntity)
	// Refused with the reason in the error summary, not a bare 422.
	if parse(t, second).Find(`.govuk-error-summary__list a[href="#complaint-closed"]`).Length() != 1 {
		t.Error("a second complaint is refused without saying why")
	}
	f.at("2025-07-02", 10) // after the planned publication date, Mon 30 Jun
	doc = parse(t, ts.get(f.ceoC, f.base+"/final"))
	if doc.Find(`a[href$="/letter/complaint"]`).Length() != 0 {
		t.Error("a second complaint is offered")
	}
	banner := htmltest.Text(doc.Find(`[data-testid="embargo"]`))
	if !strings.Contains(banner, "publication is held while Ofsted considers a complaint") || strings.Contains(banner, "Embargoed until") {
		t.Errorf("embargo banner while held: %q", banner)
	}
}

func TestLetterCafcass_PriorityActionAsksForActionPlans(t *testing.T) {
	t.Parallel()
	f := newCafcassLetterFixture(t, true)
	ts := f.ts
	f.sendDraft(t)
	f.sendFinal(t)
	f.at("2025-06-19", 10)
	for _, c := range []*http.Client{f.ceoC, f.leadC} {
		res := ts.get(c, f.base+"/cafcass")
		f.wantStatus(t, res, http.StatusOK)
		doc := parse(t, res)
		htmltest.CheckPage(t, doc)
		items := doc.Find(".govuk-task-list__item")
		if items.Length() != 2 || !strings.Contains(htmltest.Text(items.Eq(0)), "AP.1") || !strings.Contains(htmltest.Text(items.Eq(1)), "AP.2") {
			t.Fatalf("action plans: %q", htmltest.Text(doc.Find(".govuk-task-list")))
		}
		if !strings.Contains(htmltest.Text(doc.Find(".govuk-summary-list")), "Updated action plan due") {
			t.Error("no action plan deadlines")
		}
	}
	items, codes, err := ts.Store.ListActionPlanItems(context.Background(), f.visit.ID)
	if err != nil || len(items) != 2 || codes[0] != "draft-action-plan" || codes[1] != "action-plan" {
		t.Fatalf("items %+v %v %v", items, codes, err)
	}
	// Cafcass opens AP.1 through the Annex A item page and its upload form.
	res := ts.get(f.ceoC, "/visits/"+f.visit.PublicID+"/request/items/"+items[0].PublicID)
	f.wantStatus(t, res, http.StatusOK)
	doc := parse(t, res)
	if doc.Find(`input[type=file]`).Length() == 0 {
		t.Error("no upload on the action plan's page")
	}
	// Due by the plan (final Wed 18 Jun + 20 working days), not "day 8".
	if got := htmltest.Text(doc.Find(".govuk-summary-list")); !strings.Contains(got, "By the end of Wed 16 Jul 2025, 23:59") || strings.Contains(got, "day 8") {
		t.Errorf("AP.1 due: %q", got)
	}
	// The Annex A task list has them in a group of their own.
	res = ts.get(f.ceoC, "/visits/"+f.visit.PublicID+"/request")
	f.wantStatus(t, res, http.StatusOK)
	page := htmltest.Text(parse(t, res).Find("main"))
	if !strings.Contains(page, "Action plans") || strings.Contains(page, "day 8") || !strings.Contains(page, "Due by the end of Wed 16 Jul 2025, 23:59") {
		t.Errorf("request page: %q", page)
	}
}

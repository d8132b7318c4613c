package server_test

import (
	"bytes"
	"context"
	"maps"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/letter"
	"github.com/ofsted/focusedvisits/internal/publicid"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
)

// world is a test server holding one of everything a route can name, so
// that tests walking every route can use real ids: visit A (noticed Mon 14
// Apr 2025, the whole request set, a child-level list with a sample case, a
// document, a deferral request, a letter whose draft is with Cafcass and a
// comment on it) and visit B (its final letter sent, with a complaint in
// time, and comments on its draft submitted). The clock is Mon 14 Apr 2025, 10:00.
type world struct {
	ts      *testServer
	users   map[user.Role]user.User
	clients map[user.Role]*http.Client
	// params fills route parameters by name, with public ids; complaint
	// routes use visit B.
	params   map[string]string
	visitB   string
	commentB string
}

func newWorld(t *testing.T, env map[string]string) *world {
	t.Helper()
	return newWorldOn(t, newTestServer(t, env))
}

// newWorldOn builds the world on a fresh test server.
func newWorldOn(t *testing.T, ts *testServer) *world {
	t.Helper()
	ctx := context.Background()
	ts.setClock(time.Date(2025, 4, 14, 10, 0, 0, 0, londonTZ))
	w := &world{ts: ts, users: map[user.Role]user.User{}, clients: map[user.Role]*http.Client{}, params: map[string]string{}}
	for _, r := range user.Roles {
		w.users[r] = ts.addUser(r, string(r)+"@example.gov.uk")
	}
	lead, qam, ceo, team, sao := w.users[user.LeadInspector], w.users[user.QAM], w.users[user.CafcassCEO], w.users[user.TeamInspector], w.users[user.SAO]
	members := []visit.Member{
		{UserID: lead.ID, Role: visit.RoleLead}, {UserID: team.ID, Role: visit.RoleTeam},
		{UserID: qam.ID, Role: visit.RoleQAM}, {UserID: sao.ID, Role: visit.RoleSAO},
		{UserID: ceo.ID, Role: visit.RoleCafcass}, {UserID: w.users[user.CafcassDeputy].ID, Role: visit.RoleCafcass},
	}
	a := ts.createTestVisit(lead, "notice", date("2025-04-14"), members...)
	b := ts.createTestVisit(lead, "notice", date("2025-03-03"), members...)
	w.visitB = b.PublicID
	for _, r := range user.Roles {
		w.clients[r] = ts.signIn(w.users[r].Email)
	}
	f := &requestFixture{ts: ts, lead: lead, ceo: ceo, visit: a, base: "/visits/" + a.PublicID, leadC: w.clients[user.LeadInspector], ceoC: w.clients[user.CafcassCEO]}
	f.setRequest(t)
	f.recordNotice(t)
	items := f.items(t)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	must(ts.Store.RecordActual(ctx, b.ID, 0, visit.Actual{Code: "notice", Date: date("2025-03-03")}, "Notice call", lead))

	// A child-level list, uploaded as Cafcass does, and a case from it in the sample.
	cl := f.itemPath(t, "CL.1") + "/child-list"
	if res := f.postList(t, w.clients[user.CafcassCEO], cl, coverApril("list.csv", []byte(goodList()))); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("child-level list: %d", res.StatusCode)
	}
	must(ts.Store.AddToSample(ctx, a.ID, "C0000", "K1", "First case", team.ID, lead))
	w.params["childListItemID"] = items["CL.1"].PublicID
	sample, err := ts.Store.ListSample(ctx, a.ID)
	must(err)
	// A document on another item.
	var doc string
	for num, it := range items {
		if strings.HasPrefix(num, "1.") && doc == "" {
			fl, err := ts.Store.SaveFile(ctx, store.NewFile{VisitID: a.ID, ItemID: it.ID, Name: num + " policy.pdf", OriginalName: "policy.pdf", ContentType: "application/pdf"},
				bytes.NewReader([]byte("%PDF-1.4 policy")), ceo)
			must(err)
			doc = fl.PublicID
			w.params["itemID"] = it.PublicID
		}
	}
	// A question from Cafcass about that item, not yet answered.
	for _, it := range items {
		if it.PublicID == w.params["itemID"] {
			_, err := ts.Store.AskQuestion(ctx, it.ID, sao.ID, "Which quarter?", ceo)
			must(err)
			qs, err := ts.Store.ListQuestions(ctx, it.ID)
			must(err)
			w.params["questionID"] = qs[0].PublicID
		}
	}
	_, err = ts.Store.CreateDeferral(ctx, store.NewDeferral{VisitID: a.ID, RequestedBy: "Cafcass", RequestedOn: date("2025-04-14"), Reason: "Chief executive away"}, lead)
	must(err)
	must(ts.Store.AddClosureDay(ctx, date("2025-12-29"), "Office closed", w.users[user.Admin].ID))

	// Letters: A's draft is with Cafcass (sent today), B's final is sent.
	content := letter.Content{
		Sections: map[letter.Section]string{
			letter.Introduction: "This letter summarises the findings of the focused visit.",
			letter.Strengths:    "Children are seen promptly.",
			letter.NextSteps:    "Ofsted will consider these findings at the next annual engagement meeting.",
		},
		Findings: []letter.Finding{{Kind: letter.KindStrength, Area: letter.PrivateLaw, Text: "Safeguarding checks are timely"}},
	}
	send := func(visitID int64, draft, final string) int64 {
		t.Helper()
		_, err := ts.Store.SaveLetterVersion(ctx, visitID, 0, content, letter.Drafting, lead)
		must(err)
		must(ts.Store.MoveLetter(ctx, visitID, store.LetterMove{Action: letter.Submit, From: letter.Drafting, To: letter.InQA, Version: 1}, lead))
		must(ts.Store.MoveLetter(ctx, visitID, store.LetterMove{Action: letter.Approve, From: letter.InQA, To: letter.Approved, Version: 1}, qam))
		must(ts.Store.SendDraftLetter(ctx, visitID, store.LetterMove{Action: letter.SendDraft, From: letter.Approved, To: letter.DraftSent, Version: 1}, date(draft), lead))
		if final != "" {
			must(ts.Store.SendFinalLetter(ctx, visitID, store.LetterMove{Action: letter.SendFinal, From: letter.DraftSent, To: letter.FinalSent, Version: 1}, date(final), lead))
		}
		l, err := ts.Store.GetLetter(ctx, visitID)
		must(err)
		return l.ID
	}
	la := send(a.ID, "2025-04-14", "")
	lb := send(b.ID, "2025-03-31", "2025-04-10")
	_, err = ts.Store.AddLetterComment(ctx, la, 1, letter.NewComment{Section: letter.Introduction, About: letter.AboutLetter, Body: "Please say which months"}, ceo)
	must(err)
	_, err = ts.Store.CreateComplaint(ctx, b.ID, lb, "The visit was unfair", true, ceo)
	must(err)
	// B's comments were submitted, so Ofsted can respond to them.
	_, err = ts.Store.AddLetterComment(ctx, lb, 1, letter.NewComment{Section: letter.Strengths, About: letter.AboutFindings, Body: "Which teams?"}, ceo)
	must(err)
	_, err = ts.Store.SubmitLetterComments(ctx, b.ID, lb, false, ceo)
	must(err)
	// The public ids of what was made, as URLs name them.
	deferrals, err := ts.Store.ListDeferrals(ctx, a.ID)
	must(err)
	commentsA, err := ts.Store.ListLetterComments(ctx, la)
	must(err)
	commentsB, err := ts.Store.ListLetterComments(ctx, lb)
	must(err)
	complaints, err := ts.Store.ListComplaints(ctx, lb)
	must(err)
	w.commentB = commentsB[0].PublicID

	w.params["visitID"] = a.PublicID
	w.params["fileID"] = doc
	w.params["deferralID"] = deferrals[0].PublicID
	w.params["code"] = "notice"
	w.params["date"] = "2025-12-29"
	w.params["sampleID"] = sample[0].PublicID
	w.params["commentID"] = commentsA[0].PublicID
	w.params["complaintID"] = complaints[0].PublicID
	// A finding of A's letter, by the public id kept across versions.
	va, err := ts.Store.GetLetterVersion(ctx, la, 1)
	must(err)
	w.params["findingID"] = va.Findings[0].ID
	// A message of the outbox (the notice to Cafcass, and more).
	msgs, _, err := ts.Store.ListMessages(ctx, store.MessageFilter{Limit: 1})
	must(err)
	w.params["messageID"] = msgs[0].PublicID
	w.params["slug"] = "no-such-letter"
	w.params["token"] = "no-such-token"
	// A person's page (administrators): the team inspector's; a session of
	// no one's.
	acct, err := ts.Store.ListAccounts(ctx)
	must(err)
	for _, a := range acct {
		if a.ID == team.ID {
			w.params["userID"] = a.PublicID
		}
	}
	w.params["sessionID"] = publicid.New()
	return w
}

// set makes every value path uses for the route parameter v (visit B's and
// the child-level list item's included) until the returned func restores
// them.
func (w *world) set(name, v string) (restore func()) {
	params, visitB, commentB := maps.Clone(w.params), w.visitB, w.commentB
	w.params[name] = v
	switch name {
	case "visitID":
		w.visitB = v
	case "itemID":
		w.params["childListItemID"] = v
	case "commentID":
		w.commentB = v
	}
	return func() { w.params, w.visitB, w.commentB = params, visitB, commentB }
}

// path fills a chi pattern with the world's ids.
func (w *world) path(t *testing.T, pattern string) string {
	t.Helper()
	var b strings.Builder
	for part := range strings.SplitSeq(strings.TrimSuffix(pattern, "*"), "/") {
		if part == "" {
			continue
		}
		b.WriteByte('/')
		if i := strings.IndexByte(part, '{'); i >= 0 {
			j := strings.IndexByte(part, '}')
			name := part[i+1 : j]
			v, ok := w.params[name]
			onB := strings.Contains(pattern, "/letter/complaint") || strings.Contains(pattern, "/letter/comments/")
			if name == "visitID" && onB {
				v = w.visitB
			}
			if name == "itemID" && strings.Contains(pattern, "/child-list") {
				v = w.params["childListItemID"]
			}
			if name == "commentID" && onB {
				v = w.commentB
			}
			if !ok {
				t.Fatalf("%s: no value for {%s}", pattern, name)
			}
			b.WriteString(part[:i] + v + part[j+1:])
			continue
		}
		b.WriteString(part)
	}
	if b.Len() == 0 {
		return "/"
	}
	return b.String()
}

// visitIDOf is the internal id of the visit with the public id, for store
// calls in tests.
func (w *world) visitIDOf(t *testing.T, public string) int64 {
	t.Helper()
	var id int64
	if err := w.ts.Pool.QueryRow(context.Background(), `SELECT id FROM visits WHERE public_id = $1`, public).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

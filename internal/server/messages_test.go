package server_test

import (
	"context"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/htmltest"
	"github.com/ofsted/focusedvisits/internal/jobs"
	"github.com/ofsted/focusedvisits/internal/mailtest"
	"github.com/ofsted/focusedvisits/internal/notify"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
)

// mailEnv points a test server at a mailtest server.
func mailEnv(s *mailtest.Server, extra map[string]string) map[string]string {
	env := map[string]string{
		"SMTP_URL": "smtp://" + s.Addr(), "SMTP_TLS": "none", "SMTP_FROM": "Ofsted focused visits <fv@ofsted.example>", "SMTP_TIMEOUT": "2s",
	}
	for k, v := range extra {
		env[k] = v
	}
	return env
}

// mailWorld is a visit noticed on Mon 14 Apr 2025 (the clock then 10:00),
// with its lead, SAO, chief executive, deputy and an administrator.
type mailWorld struct {
	ts                            *testServer
	smtp                          *mailtest.Server
	admin, lead, sao, ceo, deputy user.User
	d                             visit.Details
	path                          string
}

func newMailWorld(t *testing.T, extra map[string]string) *mailWorld {
	t.Helper()
	s := mailtest.Start(t)
	ts := newTestServer(t, mailEnv(s, extra))
	ts.setClock(time.Date(2025, 4, 14, 10, 0, 0, 0, londonTZ))
	w := &mailWorld{ts: ts, smtp: s}
	w.admin = ts.addUser(user.Admin, "admin@example.gov.uk")
	w.lead = ts.addUser(user.LeadInspector, "lead@example.gov.uk")
	w.sao = ts.addUser(user.SAO, "sao@example.gov.uk")
	w.ceo = ts.addUser(user.CafcassCEO, "ceo@cafcass.example")
	w.deputy = ts.addUser(user.CafcassDeputy, "deputy@cafcass.example")
	w.d = ts.createTestVisit(w.lead, "notice", date("2025-04-14"),
		visit.Member{UserID: w.lead.ID, Role: visit.RoleLead}, visit.Member{UserID: w.sao.ID, Role: visit.RoleSAO},
		visit.Member{UserID: w.ceo.ID, Role: visit.RoleCafcass}, visit.Member{UserID: w.deputy.ID, Role: visit.RoleCafcass})
	if err := ts.Store.RecordActual(context.Background(), w.d.ID, 0, visit.Actual{Code: timeline.CodeNotice, Date: date("2025-04-14"), Time: "09:05"}, "Notice call", w.lead); err != nil {
		t.Fatal(err)
	}
	w.path = "/visits/" + w.d.PublicID
	return w
}

// outbox is the outbox's messages with the status.
func (w *mailWorld) outbox(t *testing.T, st notify.Status) []store.OutboxMessage {
	t.Helper()
	ms, _, err := w.ts.Store.ListMessages(context.Background(), store.MessageFilter{Status: st, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

// TestMessages_AdminPage: administrators read the outbox by status and each
// message as it was worded; a delivery that failed every attempt shows as
// failed (and is counted for their start page), and sending it again is
// recorded and works once the mail server is back. Nobody else may.
func TestMessages_AdminPage(t *testing.T) {
	t.Parallel()
	w := newMailWorld(t, map[string]string{"SMTP_MAX_ATTEMPTS": "1"})
	ts := w.ts
	w.smtp.Stop()
	ts.runJobs() // the one attempt at each notice fails: the server is down
	if n, err := ts.Store.CountFailedMessages(context.Background()); err != nil || n != 2 {
		t.Fatalf("%d failed messages, %v", n, err)
	}
	adminC, leadC := ts.signIn(w.admin.Email), ts.signIn(w.lead.Email)

	doc := parse(t, ts.get(adminC, "/admin/messages"))
	if doc.Find(`.govuk-service-navigation a[href="/admin/messages"]`).Length() != 1 {
		t.Error("no Messages link in the administrators' navigation")
	}
	if n := doc.Find("[data-testid=message]").Length(); n != 2 || !strings.Contains(htmltest.Text(doc.Find("[data-testid=message]").First()), "Tried once") {
		t.Errorf("%d messages listed, want 2, each tried once", n)
	}
	if got := htmltest.Text(doc.Find("[data-testid=message-filters]")); !strings.Contains(got, "Failed (2)") || !strings.Contains(got, "All (2)") || !strings.Contains(got, "Sent (0)") {
		t.Errorf("filters %q", got)
	}
	if got := htmltest.Text(doc.Find("[data-testid=mail-server]")); !strings.Contains(got, w.smtp.Addr()) {
		t.Errorf("mail server %q", got)
	}
	if n := parse(t, ts.get(adminC, "/admin/messages?status=sent")).Find("[data-testid=no-messages]").Length(); n != 1 {
		t.Error("no sent messages, but the filter lists some")
	}
	if res := ts.get(adminC, "/admin/messages?status=lost"); res.StatusCode != http.StatusBadRequest {
		t.Errorf("unknown status: %d", res.StatusCode)
	}
	failed := parse(t, ts.get(adminC, "/admin/messages?status=failed")).Find("[data-testid=message] a").First()
	href, _ := failed.Attr("href")
	if !strings.HasPrefix(href, "/admin/messages/") || htmltest.Text(failed) != "Ofsted focused visit "+w.d.Reference+": notice given" {
		t.Fatalf("first failed message %q %q", href, htmltest.Text(failed))
	}
	for _, c := range []*http.Client{leadC, ts.signIn(w.ceo.Email)} {
		if res := ts.get(c, href); res.StatusCode != http.StatusForbidden {
			t.Errorf("a message to a non-administrator: %d", res.StatusCode)
		}
		if res := ts.post(c, href+"/retry", nil); res.StatusCode != http.StatusForbidden {
			t.Errorf("a retry by a non-administrator: %d", res.StatusCode)
		}
	}

	show := parse(t, ts.get(adminC, href))
	main := htmltest.Text(show.Find("main"))
	for _, s := range []string{"Failed", "visit.notice_given", "Action: always sent", "Dear Test cafcass_", "Fieldwork is on Thursday 24 and Friday 25 April 2025.", "connect"} {
		if !strings.Contains(main, s) {
			t.Errorf("the message page does not say %q: %.600q", s, main)
		}
	}
	if show.Find(`form[action="`+href+`/retry"]`).Length() != 1 {
		t.Fatal("a failed message offers no retry")
	}
	res := ts.post(adminC, href+"/retry", nil)
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != href {
		t.Fatalf("retry: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	show = parse(t, ts.get(adminC, href))
	if got := htmltest.Text(show.Find("[data-testid=message-status]")); got != "Waiting to be sent" {
		t.Errorf("after the retry: %q", got)
	}
	if show.Find(`form[action="`+href+`/retry"]`).Length() != 0 {
		t.Error("a message waiting to be sent offers a retry")
	}
	if !strings.Contains(htmltest.Text(show.Find("main")), "Sent again by an administrator") {
		t.Error("the retry is not shown")
	}
	hist := htmltest.Text(parse(t, ts.get(leadC, w.path+"/history")).Find("[data-testid=history]"))
	if !strings.Contains(hist, "Failed email sent again") || !strings.Contains(hist, "Email queued") {
		t.Errorf("history: %.600q", hist)
	}

	w.smtp.Resume()
	ts.runJobs()
	if n := len(w.smtp.Messages()); n != 1 {
		t.Errorf("%d messages arrived after the retry, want the one retried", n)
	}
	if got := htmltest.Text(parse(t, ts.get(adminC, href)).Find("[data-testid=message-status]")); got != "Sent" {
		t.Errorf("after delivery: %q", got)
	}
	if n, _ := ts.Store.CountFailedMessages(context.Background()); n != 1 {
		t.Errorf("%d failed messages left, want the one not retried", n)
	}
}

// TestMessages_HungMailServer: a mail server that accepts connections and
// never answers holds up the delivery job, and nothing else: while the job
// waits on it, pages load and forms that queue messages save as usual.
// Counted, not timed: every request is answered while the job is still
// stuck, and no message is lost.
func TestMessages_HungMailServer(t *testing.T) {
	t.Parallel()
	w := newMailWorld(t, map[string]string{"SMTP_TIMEOUT": "60s"})
	ts := w.ts
	w.smtp.Hang()
	done := make(chan error, 1)
	go func() {
		_, err := jobs.RunDue(context.Background(), ts.jobsConfig())
		done <- err
	}()
	for deadline := time.Now().Add(30 * time.Second); w.smtp.Connections() == 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the delivery job never reached the mail server")
		}
	}
	leadC, ceoC := ts.signIn(w.lead.Email), ts.signIn(w.ceo.Email)
	answered := 0
	const rounds = 5
	for i := range rounds {
		for _, c := range []struct {
			client *http.Client
			path   string
		}{{leadC, w.path}, {leadC, "/"}, {ceoC, w.path}, {leadC, w.path + "/history"}} {
			if res := ts.get(c.client, c.path); res.StatusCode == http.StatusOK {
				answered++
			}
		}
		// Setting a date by hand after notice queues an email to the chief
		// executive, in the request's own transaction.
		day := strconv.Itoa(22 + i%2)
		res := ts.post(leadC, w.path+"/milestones/team-meeting/override", url.Values{
			"date-day": {day}, "date-month": {"4"}, "date-year": {"2025"}, "reason": {"Availability"}, "ceo-note": {"Round " + strconv.Itoa(i)},
		})
		if res.StatusCode == http.StatusSeeOther {
			answered++
		}
	}
	select {
	case err := <-done:
		t.Fatalf("the delivery job finished (%v) before the pages were loaded: the test proves nothing", err)
	default:
	}
	if answered != rounds*5 {
		t.Errorf("%d of %d requests answered while the mail server hung", answered, rounds*5)
	}
	if n := len(w.smtp.Messages()); n != 0 {
		t.Errorf("a hung server received %d messages", n)
	}
	w.smtp.Stop() // drops the connection the job waits on
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	waiting := w.outbox(t, notify.Queued)
	if len(waiting) != 2+rounds {
		t.Errorf("%d messages waiting for the server, want the 2 notices and %d date changes", len(waiting), rounds)
	}
}

// TestMessages_Preferences: a person chooses how information messages come
// on their Emails page. Held ones go in one digest at 08:00 on working days
// only; turned off, they do not come; action messages come whatever is
// chosen.
func TestMessages_Preferences(t *testing.T) {
	t.Parallel()
	w := newMailWorld(t, nil)
	ts := w.ts
	ctx := context.Background()
	ceoC, deputyC := ts.signIn(w.ceo.Email), ts.signIn(w.deputy.Email)
	checked := func(c *http.Client) string {
		v, _ := parse(t, ts.get(c, "/account/messages")).Find(`input[name=information]:checked`).Attr("value")
		return v
	}
	if got := checked(ceoC); got != "each" {
		t.Errorf("default %q", got)
	}
	res := ts.post(ceoC, "/account/messages", url.Values{"information": {"weekly"}})
	if res.StatusCode != http.StatusUnprocessableEntity || parse(t, res).Find(`.govuk-error-summary__list a[href="#information"]`).Length() != 1 {
		t.Errorf("an unknown choice: %d", res.StatusCode)
	}
	for c, p := range map[*http.Client]string{ceoC: "digest", deputyC: "off"} {
		if res := ts.post(c, "/account/messages", url.Values{"information": {p}}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("save %s: %d", p, res.StatusCode)
		}
		if got := checked(c); got != p {
			t.Errorf("saved %q, shows %q", p, got)
		}
	}
	// Thu 17 Apr: Cafcass asks about an item due Tue 22 Apr; the SAO
	// answers (information, for the chief executive, who asked).
	ts.setClock(time.Date(2025, 4, 17, 11, 0, 0, 0, londonTZ))
	it, err := ts.Store.AddCustomItem(ctx, w.d.ID, store.NewItem{Number: "X.1", Title: "Staffing", DueDay: 5}, w.lead)
	if err != nil {
		t.Fatal(err)
	}
	qid, err := ts.Store.AskQuestion(ctx, it, w.sao.ID, "Which quarter?", w.ceo)
	if err != nil {
		t.Fatal(err)
	}
	if err := ts.Store.AnswerQuestion(ctx, it, qid, "The last one.", w.sao); err != nil {
		t.Fatal(err)
	}
	ts.runJobs()
	subjects := func() map[string][]string {
		out := map[string][]string{}
		for _, m := range w.smtp.Messages() {
			out[m.To[0]] = append(out[m.To[0]], m.Subject)
		}
		return out
	}
	ref := w.d.Reference
	got := subjects()
	if len(got[w.ceo.Email]) != 1 || len(got[w.deputy.Email]) != 1 {
		t.Fatalf("before any digest: %q", got)
	}
	// Good Friday and Easter Monday are no working days: no digest.
	for _, day := range []int{18, 21} {
		ts.setClock(time.Date(2025, 4, day, 9, 0, 0, 0, londonTZ))
		ts.runJobs()
	}
	ts.setClock(time.Date(2025, 4, 22, 7, 59, 0, 0, londonTZ))
	ts.runJobs()
	if n := len(subjects()[w.ceo.Email]); n != 1 {
		t.Fatalf("a digest came on a day off or before 08:00: %q", subjects()[w.ceo.Email])
	}
	ts.setClock(time.Date(2025, 4, 22, 8, 0, 5, 0, londonTZ))
	ts.runJobs()
	ts.runJobs() // once a day
	got = subjects()
	// The reminder of the item due that day is an action message: both
	// get it, whatever they chose.
	reminder := "Ofsted focused visit " + ref + ": reminder, item X.1 of the information request due today"
	// The reminder and the digest are queued by two jobs of the same
	// morning, in either order.
	slices.Sort(got[w.ceo.Email])
	want := []string{"Ofsted focused visit " + ref + ": notice given", reminder, "Ofsted focused visits: 1 message since your last digest"}
	slices.Sort(want)
	if strings.Join(got[w.ceo.Email], "|") != strings.Join(want, "|") {
		t.Errorf("the chief executive got %q, want %q", got[w.ceo.Email], want)
	}
	if want := []string{"Ofsted focused visit " + ref + ": notice given", reminder}; strings.Join(got[w.deputy.Email], "|") != strings.Join(want, "|") {
		t.Errorf("the deputy (information off) got %q, want %q", got[w.deputy.Email], want)
	}
	for _, m := range w.smtp.Messages() {
		if strings.Contains(m.Subject, "digest") && !strings.Contains(m.Body, "1. Ofsted focused visit "+ref+": your question about item X.1 is answered") {
			t.Errorf("digest:\n%s", m.Body)
		}
	}
	skipped := w.outbox(t, notify.Skipped)
	if len(skipped) != 0 {
		t.Errorf("skipped %+v (the deputy asked nothing, so was sent no answer)", skipped)
	}
}

// TestCEOToldByEmail: with a mail server set, the service's email of the
// old and new dates is the written record (DOMAIN decision 14): setting a
// date by hand after notice asks only for a covering note, which goes in
// the email; after a closure day moves the dates the visit page says when
// the chief executive was emailed and offers a note, which is emailed too.
func TestCEOToldByEmail(t *testing.T) {
	t.Parallel()
	w := newMailWorld(t, nil)
	ts := w.ts
	leadC, adminC := ts.signIn(w.lead.Email), ts.signIn(w.admin.Email)
	form := parse(t, ts.get(leadC, w.path+"/milestones/management-information/override"))
	if form.Find(`textarea[name=ceo-note]`).Length() != 1 || form.Find(`input[name=ceo-told-method]`).Length() != 0 {
		t.Fatal("the override form asks for the record of telling the chief executive, not a note")
	}
	res := ts.post(leadC, w.path+"/milestones/management-information/override", url.Values{
		"date-day": {"23"}, "date-month": {"4"}, "date-year": {"2025"}, "reason": {"Cafcass asked for a day more"}, "ceo-note": {"As we discussed this morning."},
	})
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("override: %d", res.StatusCode)
	}
	ms := w.outbox(t, notify.Queued)
	if ms[0].Template != notify.DatesChanged || ms[0].ToAddress != w.ceo.Email ||
		!strings.Contains(ms[0].Body, "- Management information due: was Tuesday 22 April 2025, now Wednesday 23 April 2025") ||
		!strings.Contains(ms[0].Body, "As we discussed this morning.") {
		t.Fatalf("the email to the chief executive: %+v", ms[0])
	}
	ts.runJobs()

	if res := ts.post(adminC, "/closure-days/new", url.Values{"date-day": {"16"}, "date-month": {"4"}, "date-year": {"2025"}, "reason": {"Office move"}, "step": {"confirm"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add closure: %d", res.StatusCode)
	}
	ts.runJobs()
	banner := htmltest.Text(parse(t, ts.get(leadC, w.path)).Find("[data-testid=ceo-to-tell]"))
	if !strings.Contains(banner, "The chief executive was emailed the new dates on Mon 14 Apr 2025") || !strings.Contains(banner, "add a covering note") {
		t.Errorf("banner %q", banner)
	}
	page := parse(t, ts.get(leadC, w.path+"/ceo-told"))
	if got := htmltest.Text(page.Find("h1")); got != "Add a note to the chief executive" {
		t.Errorf("note page %q", got)
	}
	if res := ts.post(leadC, w.path+"/ceo-told", url.Values{"ceo-note": {strings.Repeat("x", 2001)}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a note too long: %d", res.StatusCode)
	}
	if res := ts.post(leadC, w.path+"/ceo-told", url.Values{"ceo-note": {"Sorry for the change."}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("note: %d", res.StatusCode)
	}
	if n := parse(t, ts.get(leadC, w.path)).Find("[data-testid=ceo-to-tell]").Length(); n != 0 {
		t.Error("the banner stays after the note")
	}
	ts.runJobs()
	var subjects []string
	for _, m := range w.smtp.Messages() {
		if m.To[0] == w.ceo.Email {
			subjects = append(subjects, m.Subject)
		}
		if strings.Contains(m.Subject, "a note about") && !strings.Contains(m.Body, "Sorry for the change.") {
			t.Errorf("the note's email:\n%s", m.Body)
		}
	}
	want := []string{"notice given", "the dates have changed", "the dates have changed", "a note about the new dates"}
	if len(subjects) != len(want) {
		t.Fatalf("the chief executive got %q", subjects)
	}
	for i, s := range want {
		if !strings.HasSuffix(subjects[i], s) {
			t.Errorf("message %d: %q, want …%q", i, subjects[i], s)
		}
	}
}

package jobs_test

import (
	"bytes"
	"context"
	"fmt"
	"github.com/ofsted/focusedvisits/internal/history"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/annexa"
	"github.com/ofsted/focusedvisits/internal/childdata"
	"github.com/ofsted/focusedvisits/internal/jobs"
	"github.com/ofsted/focusedvisits/internal/letter"
	"github.com/ofsted/focusedvisits/internal/notify"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// What must never be in a message (DOMAIN decision 19): a child's name
// and ids from the child-level list, and the letter's text.
var secrets = []string{"Zebedee", "Quill", "CF-7301", "7301", "Quillfeather", "confidential sentence", "Priya Patel"}

// childList is a child-level list naming Zebedee Quill; bad adds a row
// with a law type that does not exist, so the list is rejected.
func childList(cover childdata.DateRange, bad bool) string {
	d := func(x workday.Date) string { return x.Format("02/01/2006") }
	var b strings.Builder
	b.WriteString("Case ref,Child ID,Case name,Gender,Ethnicity,Disability (Y/N),DOB,Lead application,Law type,Case type,Practitioner,Team,Service area,Local authority,Court,Case start date,Case end date,Child seen (Y/N),Section 7 filed,Audit (Y/N)\n")
	law := "Private"
	if bad {
		law = "Civil"
	}
	fmt.Fprintf(&b, "CF-7301,7301,Re Zebedee Quill,M,White British,N,14/03/2016,C100,%s,s7,Priya Patel,Team 4,South East,,Medway,%s,%s,Y,N,N\n",
		law, d(cover.From.AddDays(-200)), d(cover.From.AddDays(3)))
	return b.String()
}

// walk is a visit walked from scheduling to publication: the events
// recorded through the store as the pages record them, the jobs run at
// 08:00 on every working day and after each event, and the messages the
// mail server should have by the end.
type walk struct {
	*mailFixture
	id      int64
	ref     string
	cal     *workday.Calendar
	morning workday.Date // the last morning run
	want    []string     // "address: subject"
}

// expect notes the messages that should arrive: subject to each address.
func (w *walk) expect(subject string, to ...string) {
	for _, k := range to {
		w.want = append(w.want, w.users[k].Email+": "+strings.ReplaceAll(subject, "REF", w.ref))
	}
}

// morningsThrough runs the jobs at 08:00 on each working day after the
// last one run, up to and including day.
func (w *walk) morningsThrough(day string) {
	w.t.Helper()
	for d := w.morning.AddDays(1); !d.After(date(day)); d = d.AddDays(1) {
		if ok, _ := w.cal.IsWorkingDay(d); ok {
			w.runAt(d.String(), 8, 0)
		}
		w.morning = d
	}
}

// at sets the clock to h:m on day (running the mornings before it), for
// an event.
func (w *walk) at(day string, h, m int) {
	w.t.Helper()
	w.morningsThrough(day)
	w.clock.set(at(day, h, m))
}

// deliver runs the jobs now, as the 30-second delivery would.
func (w *walk) deliver() {
	w.t.Helper()
	if _, err := jobs.RunDue(context.Background(), w.config()); err != nil {
		w.t.Fatal(err)
	}
}

// TestWalk_FromSchedulingToPublication walks one visit of the Easter 2025
// example (DOMAIN B.4: notice Mon 14 Apr, child-level data by the end of
// Wed 16 Apr, management information Tue 22 Apr, fieldwork Thu 24 and Fri
// 25 Apr, draft Mon 12 May, comments until Mon 19 May, final Thu 29 May,
// complaint until Thu 5 Jun, publication Tue 10 Jun) with a clock the test
// moves, and checks the exact set of messages the mail server receives:
// who, which subject, the dates from the engine, and that no message
// carries a child's name or id or any of the letter's text. In the middle
// the mail server is down for 60 s of the clock: everything arrives
// afterwards, once.
func TestWalk_FromSchedulingToPublication(t *testing.T) {
	t.Parallel()
	f := newMailFixture(t)
	ctx := context.Background()
	u := f.users
	w := &walk{mailFixture: f, cal: workday.EnglandAndWales(), morning: date("2025-04-08")}

	// Scheduled on Fri 4 Apr: nothing goes to anyone yet.
	f.clock.set(at("2025-04-04", 10, 0))
	w.id = f.visit("2025-04-14")
	w.ref = fmt.Sprintf("FV-2025-%04d", w.id)
	w.deliver()

	// The lead's reminders of the notice call: 2 working days before, and
	// on the day.
	w.expect("Focused visit REF: reminder, the notice call to the Cafcass chief executive due in 2 working days", "lead")
	w.expect("Focused visit REF: reminder, the notice call to the Cafcass chief executive due today", "lead")

	// Mon 14 Apr, 09:05: notice given. Cafcass hears of the visit now.
	w.at("2025-04-14", 9, 5)
	f.must(f.st.RecordActual(ctx, w.id, 0, visit.Actual{Code: "notice", Date: date("2025-04-14"), Time: "09:05"}, "Notice call", u["lead"]))
	w.expect("Ofsted focused visit REF: notice given", "ceo", "deputy")
	_, err := f.st.SetRequest(ctx, w.id, annexa.Latest().Version, []store.Pick{{Number: "CL.1", DueDay: 3}, {Number: "1.01", DueDay: 5}, {Number: "1.03", DueDay: 5}}, u["lead"])
	f.must(err)
	w.deliver()
	items := map[string]store.RequestItem{}
	list, err := f.st.ListItems(ctx, w.id)
	f.must(err)
	for _, it := range list {
		items[it.Number] = it
	}

	// Tue 15 Apr: a question to the SAO, answered; a date set by hand after
	// notice, emailed to the chief executive with the lead's note.
	w.at("2025-04-15", 11, 0)
	qid, err := f.st.AskQuestion(ctx, items["1.01"].ID, u["sao"].ID, "Does the chart include Zebedee Quill's guardian's team?", u["ceo"])
	f.must(err)
	w.expect("Focused visit REF: Cafcass asked about item 1.01", "sao")
	f.must(f.st.AnswerQuestion(ctx, items["1.01"].ID, qid, "Yes: the chart covers every team.", u["sao"]))
	w.expect("Ofsted focused visit REF: your question about item 1.01 is answered", "ceo")
	f.must(f.st.SetOverride(ctx, w.id, 0, visit.Override{Code: "team-meeting", Date: date("2025-04-22"), To: date("2025-04-23"),
		Reason: "Inspectors' availability", CEONote: "The team will call you on Tuesday morning."}, "Team meeting", history.Days(workday.NewDate(2025, 4, 17), workday.NewDate(2025, 4, 22)), u["lead"]))
	w.expect("Ofsted focused visit REF: the dates have changed", "ceo")
	w.deliver()

	// Wed 16 Apr, 08:00: the child-level list is due today (its first
	// reminder would have been on the notice day, so only this one goes),
	// and 1.01 and 1.03 in 2 working days (Tue 22 Apr, after Easter). The
	// mail server is down for 60 s as they go out.
	w.morningsThrough("2025-04-15")
	f.smtp.Stop()
	w.runAt("2025-04-16", 8, 0)
	w.runAt("2025-04-16", 8, 0) // the same instant: nothing is due again yet
	f.clock.set(at("2025-04-16", 8, 0).Add(30 * time.Second))
	w.deliver()
	waiting := 0
	for _, m := range f.outbox() {
		if m.Status == notify.Queued {
			waiting++
			if m.Attempts != 2 {
				t.Errorf("while the server is down: %s to %s tried %d times", m.Subject, m.ToAddress, m.Attempts)
			}
		}
	}
	if waiting != 4 {
		t.Errorf("%d messages waiting while the server is down, want the 4 reminders", waiting)
	}
	f.smtp.Resume()
	f.clock.set(at("2025-04-16", 8, 1))
	w.deliver()
	w.morning = date("2025-04-16")
	w.expect("Ofsted focused visit REF: reminder, item CL.1 of the information request due today", "ceo", "deputy")
	w.expect("Ofsted focused visit REF: reminder, items 1.01 and 1.03 of the information request due in 2 working days", "ceo", "deputy")

	// A list with an error, then a good one, then the items are submitted:
	// the lead hears once that day.
	w.at("2025-04-16", 10, 0)
	cover := childdata.DateRange{From: date("2025-03-31"), To: date("2025-04-13")}
	for _, bad := range []bool{true, false} {
		_, _, err := f.st.ImportChildList(ctx, store.NewChildList{VisitID: w.id, ItemID: items["CL.1"].ID, FileName: "CL.1 closed cases.csv", Cover: cover},
			func(accept func(*childdata.Row) error) (*childdata.Result, error) {
				return childdata.Check(childdata.NewCSV(strings.NewReader(childList(cover, bad))), cover, childdata.Options{Today: date("2025-04-16"), Accept: accept})
			}, u["ceo"])
		f.must(err)
	}
	w.expect("Ofsted focused visit REF: child-level list CL.1 has errors", "ceo")
	w.expect("Ofsted focused visit REF: child-level list CL.1 accepted", "ceo")
	for _, n := range []string{"CL.1", "1.01"} {
		w.submit(items[n])
	}
	w.expect("Focused visit REF: Cafcass is submitting items", "lead")
	w.deliver()

	// Thu 17 Apr: 1.01 returned and sent again: Cafcass hears, and the
	// lead hears of the day's submissions once more.
	w.at("2025-04-17", 14, 0)
	f.must(f.st.SetItemStatus(ctx, items["1.01"].ID, annexa.Submitted, annexa.Returned, "The chart of Zebedee Quill's area is missing.", u["lead"]))
	w.expect("Ofsted focused visit REF: item 1.01 returned", "ceo", "deputy")
	f.must(f.st.SetItemStatus(ctx, items["1.01"].ID, annexa.Returned, annexa.Submitted, "", u["ceo"]))
	w.expect("Focused visit REF: Cafcass is submitting items", "lead")
	w.deliver()

	// Tue 22 Apr: 1.03 is due today; then sent.
	w.expect("Ofsted focused visit REF: reminder, item 1.03 of the information request due today", "ceo", "deputy")
	w.at("2025-04-22", 10, 0)
	w.submit(items["1.03"])
	w.expect("Focused visit REF: Cafcass is submitting items", "lead")
	w.deliver()

	// The letter, with an area for priority action: QA returns it, then
	// approves it; the moderator agrees it.
	w.at("2025-05-02", 10, 0)
	content := letter.Content{
		Sections: map[letter.Section]string{letter.Introduction: "This confidential sentence is the letter's own text.",
			letter.PriorityAction: "Leaders must act on the Quillfeather finding."},
		Findings: []letter.Finding{{Kind: letter.KindPriorityAction, Area: letter.PublicLaw, Text: "Quillfeather finding: care plans are not reviewed"}},
	}
	_, err = f.st.SaveLetterVersion(ctx, w.id, 0, content, letter.Drafting, u["lead"])
	f.must(err)
	f.must(f.st.MoveLetter(ctx, w.id, store.LetterMove{Action: letter.Submit, From: letter.Drafting, To: letter.InQA, Version: 1}, u["lead"]))
	w.expect("Focused visit REF: letter waiting for QA", "qam")
	f.must(f.st.ReturnLetter(ctx, w.id, store.LetterMove{Action: letter.Return, From: letter.InQA, To: letter.Returned, Version: 1},
		[]store.NewQAComment{{Section: letter.Introduction, Comment: "Say when the visit took place."}}, u["qam"]))
	w.expect("Focused visit REF: letter returned by quality assurance", "lead")
	w.deliver()
	w.at("2025-05-06", 10, 0)
	_, err = f.st.SaveLetterVersion(ctx, w.id, 1, content, letter.Returned, u["lead"])
	f.must(err)
	f.must(f.st.MoveLetter(ctx, w.id, store.LetterMove{Action: letter.Submit, From: letter.Returned, To: letter.InQA, Version: 2}, u["lead"]))
	w.expect("Focused visit REF: letter waiting for QA", "qam")
	f.must(f.st.MoveLetter(ctx, w.id, store.LetterMove{Action: letter.Approve, From: letter.InQA, To: letter.InModeration, Version: 2}, u["qam"]))
	w.expect("Focused visit REF: letter waiting for moderation", "moderator")
	w.deliver()
	w.at("2025-05-07", 10, 0)
	f.must(f.st.RecordModeration(ctx, w.id, store.LetterMove{Action: letter.Moderate, From: letter.InModeration, To: letter.Moderated, Version: 2},
		letter.Moderation{Outcome: letter.Agreed}, u["moderator"]))
	w.expect("Focused visit REF: letter moderated", "lead")
	w.deliver()

	// The draft is due Mon 12 May (Mon 5 May is a bank holiday): the lead
	// is reminded on Thu 8 May and on the day, and sends it.
	w.expect("Focused visit REF: reminder, the draft letter to Cafcass due in 2 working days", "lead")
	w.expect("Focused visit REF: reminder, the draft letter to Cafcass due today", "lead")
	w.at("2025-05-12", 10, 0)
	f.must(f.st.SendDraftLetter(ctx, w.id, store.LetterMove{Action: letter.SendDraft, From: letter.Moderated, To: letter.DraftSent, Version: 2}, date("2025-05-12"), u["lead"]))
	w.expect("Ofsted focused visit REF: draft letter for your comments", "ceo", "deputy")
	w.deliver()

	// The comment window closes Mon 19 May: a note on Fri 16 May; then
	// Cafcass comments, and the lead and the QAM hear.
	w.expect("Ofsted focused visit REF: the time for comments on the draft letter ends on Monday 19 May 2025", "ceo", "deputy")
	w.at("2025-05-19", 10, 0)
	l, err := f.st.GetLetter(ctx, w.id)
	f.must(err)
	cid, err := f.st.AddLetterComment(ctx, l.ID, 2, letter.NewComment{Section: letter.Introduction, About: letter.AboutFindings,
		Body: "The Quillfeather finding misreads our audit."}, u["ceo"])
	f.must(err)
	_, err = f.st.SubmitLetterComments(ctx, w.id, l.ID, false, u["ceo"])
	f.must(err)
	w.expect("Focused visit REF: Cafcass commented on the draft letter", "lead", "qam")
	f.must(f.st.RespondToLetterComment(ctx, w.id, l.ID, cid, "We have considered it.", u["lead"]))
	w.deliver()

	// The final is due Thu 29 May (Mon 26 May is a bank holiday): reminded
	// on Tue 27 May and on the day; sent, with the action plans asked for.
	w.expect("Focused visit REF: reminder, the final letter to Cafcass due in 2 working days", "lead")
	w.expect("Focused visit REF: reminder, the final letter to Cafcass due today", "lead")
	w.at("2025-05-29", 11, 0)
	f.must(f.st.SendFinalLetter(ctx, w.id, store.LetterMove{Action: letter.SendFinal, From: letter.DraftSent, To: letter.FinalSent, Version: 2}, date("2025-05-29"), u["lead"]))
	f.must(f.st.WriteChildrenSummary(ctx, w.id, letter.FinalSent, "Inspectors found that Cafcass listens to children.", date("2025-05-29").At(11, 0, 0, 0, time.UTC), u["lead"]))
	w.expect("Ofsted focused visit REF: final letter, under embargo", "ceo", "deputy")
	w.expect("Ofsted focused visit REF: action plans due", "ceo", "deputy")
	w.deliver()

	// The complaint window closes Thu 5 Jun: a note on Wed 4 Jun. No
	// complaint: the letter is published at 00:00 on Tue 10 Jun, and the
	// team and Cafcass hear.
	w.expect("Ofsted focused visit REF: the time for a formal complaint about the final letter ends on Thursday 5 June 2025", "ceo", "deputy")
	w.morningsThrough("2025-06-09")
	w.runAt("2025-06-10", 0, 5)
	w.expect("Ofsted focused visit REF: letter published", "lead", "team", "qam", "moderator", "sao", "ceo", "deputy")
	w.morningsThrough("2025-06-10")

	got := received(f.smtp)
	slices.Sort(got)
	slices.Sort(w.want)
	if !slices.Equal(got, w.want) {
		t.Errorf("the mail server received %d messages, want %d:\n%s", len(got), len(w.want), diffLines(got, w.want))
	}
	// Every message arrived once, and the outbox agrees.
	for _, m := range f.outbox() {
		if m.Status != notify.Sent {
			t.Errorf("%s to %s: %s (%s)", m.Subject, m.ToAddress, m.Status, m.LastError)
		}
	}
	ids := map[string]bool{}
	for _, m := range f.smtp.Messages() {
		if ids[m.MessageID] {
			t.Errorf("%s arrived twice", m.MessageID)
		}
		ids[m.MessageID] = true
		for _, s := range secrets {
			if strings.Contains(m.Body, s) || strings.Contains(m.Subject, s) {
				t.Errorf("%q to %s carries %q:\n%s", m.Subject, m.To, s, m.Body)
			}
		}
	}

	// The dates are the engine's.
	body := func(to, subject string) string {
		for _, m := range f.smtp.Messages() {
			if m.To[0] == u[to].Email && m.Subject == strings.ReplaceAll(subject, "REF", w.ref) {
				return m.Body
			}
		}
		t.Errorf("no %q to %s", subject, to)
		return ""
	}
	apDraft, err := w.cal.Add(date("2025-05-29"), 20)
	f.must(err)
	apPlan, err := w.cal.Add(date("2025-05-29"), 70)
	f.must(err)
	for _, c := range []struct {
		to, subject string
		want        []string
	}{
		{"ceo", "Ofsted focused visit REF: notice given", []string{"Dear Cara Chief,", "by the end of Wednesday 16 April 2025", "by the end of Tuesday 22 April 2025",
			"Fieldwork is on Thursday 24 and Friday 25 April 2025.", "https://fv.example.gov.uk/visits/"}},
		{"ceo", "Ofsted focused visit REF: the dates have changed", []string{"- Team meeting by telephone conference: was Thursday 17 to Tuesday 22 April 2025, now Tuesday 22 and Wednesday 23 April 2025",
			"Ofsted set a date by hand", "A note from the lead inspector, Lena Lead:\nThe team will call you on Tuesday morning.", "written record"}},
		{"lead", "Focused visit REF: reminder, the notice call to the Cafcass chief executive due in 2 working days", []string{"by the end of Monday 14 April 2025"}},
		{"deputy", "Ofsted focused visit REF: reminder, items 1.01 and 1.03 of the information request due in 2 working days", []string{"by the end of Tuesday 22 April 2025", "Send them here:"}},
		{"ceo", "Ofsted focused visit REF: reminder, item CL.1 of the information request due today", []string{"by the end of Wednesday 16 April 2025, today", "Send it here:"}},
		{"lead", "Focused visit REF: reminder, the draft letter to Cafcass due in 2 working days", []string{"by the end of Monday 12 May 2025"}},
		{"ceo", "Ofsted focused visit REF: draft letter for your comments", []string{"until the end of Monday 19 May 2025", "due on Thursday 29 May 2025", "/letter/draft"}},
		{"ceo", "Ofsted focused visit REF: final letter, under embargo", []string{"planned for Tuesday 10 June 2025", "until the end of Thursday 5 June 2025"}},
		{"deputy", "Ofsted focused visit REF: action plans due", []string{"by the end of " + notify.Day(apDraft), "by the end of " + notify.Day(apPlan)}},
		{"team", "Ofsted focused visit REF: letter published", []string{"on Tuesday 10 June 2025", "https://fv.example.gov.uk/letters/focused-visit-" + strings.ToLower(w.ref)}},
		{"ceo", "Ofsted focused visit REF: child-level list CL.1 has errors", []string{"has 1 error"}},
	} {
		b := body(c.to, c.subject)
		for _, s := range c.want {
			if !strings.Contains(b, s) {
				t.Errorf("%q to %s does not say %q:\n%s", c.subject, c.to, s, b)
			}
		}
	}
	if apDraft != date("2025-06-26") {
		t.Errorf("draft action plan due %s, want Thu 26 Jun 2025", apDraft)
	}

	// Each message queued is in the visit's history.
	es, err := f.st.ListEvents(ctx, w.id)
	f.must(err)
	n := 0
	for _, e := range es {
		if e.Kind == history.MessageQueued {
			n++
		}
	}
	if n != len(w.want) {
		t.Errorf("%d history lines of messages queued, want %d", n, len(w.want))
	}
}

// submit gives the item a file, as an upload does, and submits it.
func (w *walk) submit(it store.RequestItem) {
	w.t.Helper()
	ctx := context.Background()
	_, err := w.st.SaveFile(ctx, store.NewFile{VisitID: w.id, ItemID: it.ID, Name: it.Number + " file.pdf", OriginalName: "file.pdf", ContentType: "application/pdf"},
		bytes.NewReader([]byte("%PDF-1.4 "+it.Number)), w.users["ceo"])
	w.must(err)
	now, err := w.st.GetItem(ctx, w.id, it.ID)
	w.must(err)
	w.must(w.st.SetItemStatus(ctx, it.ID, now.Status, annexa.Submitted, "", w.users["ceo"]))
}

// diffLines lists what only got has and what only want has.
func diffLines(got, want []string) string {
	var b strings.Builder
	count := func(s []string) map[string]int {
		m := map[string]int{}
		for _, x := range s {
			m[x]++
		}
		return m
	}
	g, wt := count(got), count(want)
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range g {
			if !yield(k) {
				return
			}
		}
	}) {
		if g[k] > wt[k] {
			fmt.Fprintf(&b, "  unexpected (%d more): %s\n", g[k]-wt[k], k)
		}
	}
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range wt {
			if !yield(k) {
				return
			}
		}
	}) {
		if wt[k] > g[k] {
			fmt.Fprintf(&b, "  missing (%d): %s\n", wt[k]-g[k], k)
		}
	}
	return b.String()
}

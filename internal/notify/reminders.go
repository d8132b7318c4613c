package notify

import (
	"fmt"
	"slices"
	"strings"

	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// Reminders (issue 13, item 3; DOMAIN decisions 13, 16 and 19). A job
// asks at 08:00 Europe/London which reminders a visit has that day: for
// every deadline someone must meet, one a number of working days before
// it and one on the day, to the people who must act, never once it is
// done. Cafcass gets none before notice is recorded, and no "before"
// reminder on the notice day or earlier (so a deadline within that many
// working days of the notice gets only its on-the-day reminder). Optional
// windows (comments, a complaint) are never due: Cafcass gets a note on
// the working day before one closes, if it has not used it.

// Facts are what reminders need beyond the plan: the request's items, and
// whether Cafcass used the letter's optional windows.
type Facts struct {
	Items             []Item
	CommentsSubmitted bool
	Complained        bool
}

// leadDeadlines are the lead inspector's dated steps, in plan order.
var leadDeadlines = []struct{ code, what, do, path string }{
	{timeline.CodeNotice, "the notice call to the Cafcass chief executive", "Record it on the visit's page:", ""},
	{timeline.CodeDraftLetter, "the draft letter to Cafcass", "Go to the letter:", "/letter"},
	{timeline.CodeFinalLetter, "the final letter to Cafcass", "Go to the letter:", "/letter"},
}

// deadline is one thing due, to whom, and how to word it.
type deadline struct {
	key     string // what it is, for the dedupe key
	due     workday.Date
	to      []Recipient
	cafcass bool
	data    map[string]string
	path    string
}

// Reminders are the reminders of the visit on the day today: before is
// how many working days ahead the first comes (REMINDER_WORKING_DAYS; 0
// leaves it out). A cancelled visit has none.
func (a About) Reminders(f Facts, cal *workday.Calendar, today workday.Date, before int) ([]Message, error) {
	if a.Visit.Status != visit.Active {
		return nil, nil
	}
	var notice workday.Date
	if m, ok := a.Plan.Milestone(timeline.CodeNotice); ok {
		notice = m.First()
	}
	var out []Message
	for _, d := range a.deadlines(f) {
		which := ""
		switch {
		case d.due == today:
			which = "day"
		case before > 0:
			first, err := cal.Add(d.due, -before)
			if err != nil {
				return nil, err
			}
			// Never a "before" reminder to Cafcass on or before the notice day.
			if first == today && !(d.cafcass && !today.After(notice)) {
				which = "before"
			}
		}
		if which == "" {
			continue
		}
		data := map[string]string{"Due": Day(d.due), "When": "today", "Service": "Focused visit"}
		if which == "before" {
			data["When"] = "in " + workingDays(before)
		}
		if d.cafcass {
			data["Service"] = "Ofsted focused visit"
		}
		for k, v := range d.data {
			data[k] = v
		}
		for _, to := range d.to {
			m := a.message(Reminder, to, d.path, data)
			m.DedupeKey = fmt.Sprintf("reminder:%d:%s:%s:%s:%d", a.Visit.ID, d.key, d.due, which, to.UserID)
			out = append(out, m)
		}
	}
	windows, err := a.windowsClosing(f, cal, today)
	return append(out, windows...), err
}

// deadlines are the visit's deadlines not yet met.
func (a About) deadlines(f Facts) []deadline {
	var out []deadline
	lead := a.Lead()
	for _, ld := range leadDeadlines {
		m, ok := a.Plan.Milestone(ld.code)
		if !ok || m.State == timeline.StateActual || len(lead) == 0 {
			continue
		}
		out = append(out, deadline{key: ld.code, due: m.First(), to: lead, path: a.VisitPath() + ld.path,
			data: map[string]string{"What": ld.what, "Verb": "is", "Do": ld.do}})
	}
	cafcass := a.Cafcass()
	if len(cafcass) == 0 {
		return out
	}
	// Cafcass's items, one reminder for all those due on one day.
	byDay := map[workday.Date][]string{}
	var days []workday.Date
	for _, it := range f.Items {
		if it.Done || it.Due.IsZero() {
			continue
		}
		if _, ok := byDay[it.Due]; !ok {
			days = append(days, it.Due)
		}
		byDay[it.Due] = append(byDay[it.Due], it.Number)
	}
	slices.SortFunc(days, workday.Date.Compare)
	for _, day := range days {
		numbers := byDay[day]
		what, verb, do := "item "+numbers[0], "is", "Send it here:"
		if len(numbers) > 1 {
			what, verb, do = "items "+andList(numbers), "are", "Send them here:"
		}
		out = append(out, deadline{key: "items", due: day, to: cafcass, cafcass: true, path: a.VisitPath() + "/request",
			data: map[string]string{"What": what + " of the information request", "Verb": verb, "Do": do}})
	}
	return out
}

// windowsClosing are the notes, on the working day before an optional
// window closes, that Cafcass may still use it.
func (a About) windowsClosing(f Facts, cal *workday.Calendar, today workday.Date) ([]Message, error) {
	cafcass := a.Cafcass()
	var out []Message
	for _, w := range []struct {
		code, window, path string
		used               bool
	}{
		{timeline.CodeComments, "comments on the draft letter", "/letter/draft", f.CommentsSubmitted},
		{timeline.CodeComplaint, "a formal complaint about the final letter", "/letter/final", f.Complained},
	} {
		m, ok := a.Plan.Milestone(w.code)
		if !ok || !m.Opened || w.used || len(cafcass) == 0 {
			continue
		}
		eve, err := cal.Add(m.Last(), -1)
		if err != nil {
			return nil, err
		}
		if eve != today {
			continue
		}
		for _, to := range cafcass {
			msg := a.message(WindowClosing, to, a.VisitPath()+w.path, map[string]string{"Window": w.window, "Closes": Day(m.Last())})
			msg.DedupeKey = fmt.Sprintf("window:%d:%s:%s:%d", a.Visit.ID, w.code, m.Last(), to.UserID)
			out = append(out, msg)
		}
	}
	return out, nil
}

func workingDays(n int) string {
	if n == 1 {
		return "1 working day"
	}
	return fmt.Sprintf("%d working days", n)
}

// andList joins "1.01", "1.02" and "1.03" as "1.01, 1.02 and 1.03".
func andList(s []string) string {
	if len(s) < 2 {
		return strings.Join(s, "")
	}
	return strings.Join(s[:len(s)-1], ", ") + " and " + s[len(s)-1]
}

// ItemDue is the day an item of the request is due by the end of: day n
// of the notice week, or, for an action plan, the last day of its plan
// milestone (code); zero while the plan has no such day.
func ItemDue(p timeline.Plan, n int, code string) workday.Date {
	if code != "" {
		m, ok := p.Milestone(code)
		if !ok {
			return workday.Date{}
		}
		return m.Last()
	}
	if n < 1 || n > len(p.Days) {
		return workday.Date{}
	}
	return p.Days[n-1]
}

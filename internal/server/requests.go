package server

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/ofsted/focusedvisits/internal/annexa"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
	"github.com/ofsted/focusedvisits/web/components"
	"github.com/ofsted/focusedvisits/web/pages"
)

func requestHref(d visit.Details) string { return visitHref(d) + "/request" }

func itemHref(d visit.Details, it store.RequestItem) string {
	return visitHref(d) + "/request/items/" + it.PublicID
}

// requestCaption is the caption above a request page's h1.
func requestCaption(d visit.Details) string { return d.Reference + ": information request" }

// dueOf is the date and the instant by which an item due on day n is due:
// the end of day n of the notice week in London (DOMAIN decision 5).
func dueOf(p timeline.Plan, n int) (workday.Date, time.Time) {
	if n < 1 || n > len(p.Days) {
		return workday.Date{}, time.Time{}
	}
	day := p.Days[n-1]
	return day, workday.EndOfDay(day, london)
}

// dueWords is "day 3, Wed 16 Apr 2025, 23:59".
func dueWords(p timeline.Plan, n int) string {
	day, at := dueOf(p, n)
	if day.IsZero() {
		return fmt.Sprintf("day %d", n)
	}
	return fmt.Sprintf("day %d, %s, %s", n, timeline.FormatDate(day), at.Format("15:04"))
}

// dayOptions are the days an item may be due, with their dates; chosen is
// checked.
func dayOptions(p timeline.Plan, chosen int) []components.Option {
	var opts []components.Option
	for n := annexa.FirstDay; n <= annexa.LastDay; n++ {
		text := fmt.Sprintf("Day %d", n)
		if day, _ := dueOf(p, n); !day.IsZero() {
			text += ", " + timeline.FormatDate(day)
		}
		opts = append(opts, components.Option{Value: strconv.Itoa(n), Text: text, Checked: n == chosen})
	}
	return opts
}

// requestPlan is a visit's dates, for the request pages: the numbered days
// are all they need. d is as the store returned it.
func (s *Server) requestPlan(r *http.Request, d visit.Details) (timeline.Plan, error) {
	cal, err := s.calendarFor(r.Context(), d)
	if err != nil {
		return timeline.Plan{}, err
	}
	return s.datesOf(cal, d)
}

// planDue maps the request items due by a milestone of the plan rather
// than by a day of the notice week (the action plans AP.1 and AP.2, whose
// due_day is only a placeholder) to that milestone's code.
type planDue map[int64]string

// planDueOf loads a visit's items due by a plan milestone.
func (s *Server) planDueOf(r *http.Request, visitID int64) (planDue, error) {
	items, codes, err := s.store.ListActionPlanItems(r.Context(), visitID)
	if err != nil {
		return nil, err
	}
	pd := planDue{}
	for i, it := range items {
		pd[it.ID] = codes[i]
	}
	return pd, nil
}

// itemDue is the date and the instant by which an item is due: the end of
// the last day of its plan milestone (zero while the plan has no such
// milestone), or else of its day of the notice week.
func itemDue(p timeline.Plan, it store.RequestItem, pd planDue) (workday.Date, time.Time) {
	day := dueBy(p, it.DueDay, pd[it.ID])
	if day.IsZero() {
		return day, time.Time{}
	}
	return day, workday.EndOfDay(day, london)
}

// dueBy is the day an item is due: the last day of the plan milestone code
// (zero while the plan has none), or with no code day n of the notice week.
func dueBy(p timeline.Plan, n int, code string) workday.Date {
	if code == "" {
		day, _ := dueOf(p, n)
		return day
	}
	m, _ := p.Milestone(code)
	return m.Last()
}

// itemDueWords is dueWords for an item: "day 3, Wed 16 Apr 2025, 23:59", or
// for an action plan "Wed 16 Jul 2025, 23:59".
func itemDueWords(p timeline.Plan, it store.RequestItem, pd planDue) string {
	if _, ok := pd[it.ID]; !ok {
		return dueWords(p, it.DueDay)
	}
	day, at := itemDue(p, it, pd)
	if day.IsZero() {
		return "the date set by the final letter"
	}
	return timeline.FormatDate(day) + ", " + at.Format("15:04")
}

// actionPlansHeading is the task list's group of the items due by the plan.
const actionPlansHeading = "Action plans"

// itemTag is an item's status tag, and whether it is overdue at now.
func itemTag(it store.RequestItem, p timeline.Plan, pd planDue, now time.Time) (components.TagParams, bool) {
	_, due := itemDue(p, it, pd)
	tag := components.TagParams{Text: it.Status.Label(), Colour: it.Status.Colour()}
	return tag, annexa.Overdue(it.Status, due, now)
}

func (s *Server) handleRequestShow(w http.ResponseWriter, r *http.Request) error {
	p, err := s.visitPage(r, "request")
	if err != nil {
		return err
	}
	d, plan, ctx := p.d, p.plan, r.Context()
	items, err := s.store.ListItems(ctx, d.ID)
	if err != nil {
		return err
	}
	pd, err := s.planDueOf(r, d.ID)
	if err != nil {
		return err
	}
	now := s.now()
	a := p.a
	v := pages.RequestShowView{
		Page:      s.page(r, d.Reference+": information request"),
		Header:    p.header,
		IsCafcass: a.Cafcass,
	}
	if a.Manages() && d.Status == visit.Active {
		v.EditHref, v.AddHref = requestHref(d)+"/edit", requestHref(d)+"/items/new"
	}
	if visit.May(visit.AskDeferral, a, d, visit.Facts{}) {
		v.DeferralHref = visitHref(d) + "/deferrals/request"
	}
	if v.Sample, err = s.releasedSample(r, p); err != nil {
		return err
	}
	var done, notHeld int
	// The action plans are not due on a day of the notice week: they go in
	// a group of their own, after the days.
	var plans pages.RequestGroup
	for _, it := range items {
		var g *pages.RequestGroup
		if _, ok := pd[it.ID]; ok {
			plans.Heading = actionPlansHeading
			g = &plans
		} else {
			heading := "Due by the end of " + dueWords(plan, it.DueDay)
			if len(v.Groups) == 0 || v.Groups[len(v.Groups)-1].Heading != heading {
				v.Groups = append(v.Groups, pages.RequestGroup{Heading: heading})
			}
			g = &v.Groups[len(v.Groups)-1]
		}
		tag, overdue := itemTag(it, plan, pd, now)
		hint, why := "", ""
		if overdue {
			v.Overdue++
			if it.Status != annexa.NotStarted {
				hint = "Status: " + it.Status.Label()
			}
			tag = components.TagParams{Text: annexa.OverdueLabel, Colour: annexa.OverdueColour}
		}
		if it.Status == annexa.Returned && !overdue {
			hint, why = "Returned by Ofsted: ", "see why"
		}
		if _, ok := pd[it.ID]; ok && hint == "" {
			hint = "Due by the end of " + itemDueWords(plan, it, pd)
		}
		switch it.Status {
		case annexa.Submitted, annexa.Accepted:
			done++
		case annexa.NotHeld:
			notHeld++
		}
		row := components.TaskListItem{Title: it.Number + " " + it.Title, Href: itemHref(d, it), Hint: hint, Status: tag}
		if why != "" {
			row.HintLink, row.HintHref = why, itemHref(d, it)+"#item-reason"
		}
		g.Items = append(g.Items, row)
	}
	if len(plans.Items) > 0 {
		v.Groups = append(v.Groups, plans)
	}
	v.Summary = requestSummary(done, notHeld, len(items))
	return s.render(w, r, http.StatusOK, pages.RequestShow(v))
}

// requestSummary is the line above the task list: "3 of 8 items submitted
// or accepted, 1 not held." ("" for an empty request).
func requestSummary(done, notHeld, total int) string {
	if total == 0 {
		return ""
	}
	sum := fmt.Sprintf("%d of %d items submitted or accepted", done, total)
	if notHeld > 0 {
		sum += fmt.Sprintf(", %d not held", notHeld)
	}
	return sum + "."
}

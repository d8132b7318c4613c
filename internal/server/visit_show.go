package server

import (
	"net/http"
	"strings"

	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
	"github.com/ofsted/focusedvisits/web/components"
	"github.com/ofsted/focusedvisits/web/pages"
)

// visitPageData is what every page of a visit starts from.
type visitPageData struct {
	d     visit.Details
	u     user.User
	a     visit.Actor
	cal   *workday.Calendar
	calAt calendarAt // cal with its version
	plan  timeline.Plan
	today workday.Date
	// header is the top of the page, with the tab named by visitPage's tab.
	header pages.VisitHeader
}

// visitPage loads the visit named in the URL for the signed-in user (as
// visitFor: a hidden visit is a missing one), its plan with the current
// calendar and the page's header. The timeline tab gets the full plan
// (explanations and the clash check); the other tabs the dates alone.
func (s *Server) visitPage(r *http.Request, tab string) (visitPageData, error) {
	d, err := s.visitFor(r)
	if err != nil {
		return visitPageData{}, err
	}
	return s.visitPageOf(r, d, tab)
}

// visitPageOf is visitPage for a visit already loaded, by a loader that
// checks more than visitFor (childDataVisitFor, sampleVisitFor). d must be
// as the store returned it: its plans are kept by its versions.
func (s *Server) visitPageOf(r *http.Request, d visit.Details, tab string) (visitPageData, error) {
	ctx := r.Context()
	u, _ := currentUser(ctx)
	cal, err := s.calendarFor(ctx, d)
	if err != nil {
		return visitPageData{}, err
	}
	var plan timeline.Plan
	if tab == "timeline" {
		plan, err = s.visitPlan(ctx, cal, d)
	} else {
		plan, err = s.datesOf(cal, d)
	}
	if err != nil {
		return visitPageData{}, err
	}
	p := visitPageData{d: d, u: u, a: visit.ActorFor(u, d), cal: cal.cal, calAt: cal, plan: plan, today: s.today()}
	p.header = visitHeader(d, plan, p.today, u, tab)
	return p, nil
}

// milestoneDates is a milestone's date or window as people read it.
func milestoneDates(m timeline.Milestone) string {
	if m.Kind == timeline.KindWindow {
		return timeline.FormatDates(m.From, m.To)
	}
	return timeline.FormatDate(m.Date)
}

// visitHeader is the top of every page of a visit.
func visitHeader(d visit.Details, p timeline.Plan, today workday.Date, u user.User, current string) pages.VisitHeader {
	a := visit.ActorFor(u, d)
	stage := visit.Stage(d, p, today)
	base := visitHref(d)
	h := pages.VisitHeader{Href: base, Reference: d.Reference, Title: "Focused visit of Cafcass", Stage: stage, StageColour: stageColour(stage)}
	h.Tabs = []pages.VisitTab{
		{Text: "Timeline", Href: base, Current: current == "timeline"},
		{Text: "Information request", Href: base + "/request", Current: current == "request"},
		{Text: "Visit workspace", Href: base + "/workspace", Current: current == "workspace"},
	}
	if a.Cafcass {
		h.Tabs = append(h.Tabs, pages.VisitTab{Text: "Letter", Href: base + "/letter/cafcass", Current: current == "letter"})
	}
	if visit.CanSeeChildData(u, d) {
		h.Tabs = append(h.Tabs, pages.VisitTab{Text: "Child-level data", Href: base + "/child-data", Current: current == "child-data"})
	}
	if visit.May(visit.SeeInternal, a, d, visit.Facts{}) {
		h.Tabs = append(h.Tabs, pages.VisitTab{Text: "Letter", Href: base + "/letter", Current: current == "letter"})
		h.Tabs = append(h.Tabs, pages.VisitTab{Text: "History", Href: base + "/history", Current: current == "history"})
	}
	return h
}

func (s *Server) handleVisitShow(w http.ResponseWriter, r *http.Request) error {
	p, err := s.visitPage(r, "timeline")
	if err != nil {
		return err
	}
	d, a := p.d, p.a
	// The plan as first made, with nothing recorded or set by hand, beside
	// it: before any deferral (DOMAIN decision 11).
	dfs, err := s.store.ListDeferrals(r.Context(), d.ID)
	if err != nil {
		return err
	}
	baseline, err := s.firstDatesOf(p.calAt, d, dfs)
	if err != nil {
		return err
	}
	internal := visit.May(visit.SeeInternal, a, d, visit.Facts{})
	v := pages.VisitShowView{
		Page:         s.page(r, d.Reference),
		Header:       p.header,
		CanManage:    visit.May(visit.EditVisit, a, d, visit.Facts{}) && d.Status == visit.Active,
		IsCafcass:    !internal,
		Cancelled:    d.Status == visit.Cancelled,
		CancelReason: d.CancelReason,
		Provisional:  p.plan.Provisional,
		ICSHref:      visitHref(d) + "/calendar.ics",
	}
	// The internal note is Ofsted's alone (DOMAIN decision 18).
	if internal {
		v.CancelNote = d.CancelNote
	}
	if visit.May(visit.Audit, a, d, visit.Facts{}) {
		v.ChildDataViewsHref = childDataViewsHref(d)
	}
	if v.CEOToldHref, v.CEOEmailed, err = s.ceoBanner(r, a, d); err != nil {
		return err
	}
	if visit.CheckUndoNotice(a, d, s.now(), london) == nil {
		v.UndoNoticeHref = visitHref(d) + "/notice/undo"
	}
	if v.Feedback, err = s.feedbackPanel(r, p); err != nil {
		return err
	}
	v.Summary = teamSummary(d)
	v.Deferrals = deferralList(a, d, dfs)
	if v.Sample, err = s.releasedSample(r, p); err != nil {
		return err
	}
	accepted := map[string]bool{}
	for _, ac := range d.Acceptances {
		accepted[ac.Code] = true
	}
	v.Accepted = acceptedWarnings(d.Acceptances)
	for _, wn := range p.plan.Warnings {
		if !accepted[string(wn.Code)] {
			v.Warnings = append(v.Warnings, wn.Message)
		}
	}
	for _, m := range p.plan.Milestones {
		v.Rows = append(v.Rows, timelineRow(p, m, baseline, v.CanManage))
	}
	return s.render(w, r, http.StatusOK, pages.VisitShow(v))
}

// timelineRow is one milestone on the visit's timeline, beside its planned
// (baseline) date, with the links the user may follow.
func timelineRow(p visitPageData, m timeline.Milestone, baseline timeline.Plan, canManage bool) pages.MilestoneRow {
	d := p.d
	internal := visit.May(visit.SeeInternal, p.a, d, visit.Facts{})
	row := pages.MilestoneRow{
		Code: m.Code, Day: m.Day, Label: m.Label, Actor: m.ActorLabel,
		Current: milestoneDates(m), TimeNote: m.TimeNote, Explanation: m.Explanation, Provisional: m.Provisional,
	}
	if b, ok := baseline.Milestone(m.Code); ok {
		row.Planned = milestoneDates(b)
		row.Changed = row.Planned != row.Current
	}
	switch m.State {
	case timeline.StateActual:
		row.TimeNote = ""
		row.StateNote = "Recorded as done"
		if a, ok := d.Actual(m.Code); ok && a.Time != "" {
			row.StateNote += " at " + a.Time
		}
	case timeline.StateOverridden:
		row.StateNote = "Date changed by Ofsted"
		if internal {
			row.StateNote = "Set by hand: " + m.Reason
		} else {
			row.Explanation = "Ofsted changed this date."
		}
	}
	if d.Status == visit.Cancelled {
		row.Progress, row.ProgressColour = "Cancelled", "grey"
	} else {
		pr := visit.ProgressOf(m, p.today)
		row.Progress, row.ProgressColour = pr.Label(), pr.Colour()
	}
	if canManage {
		if visit.May(visit.RecordMilestone, p.a, d, visit.Facts{Milestone: &m}) {
			row.RecordHref = visitHref(d) + "/milestones/" + m.Code + "/record"
		}
		row.OverrideHref = visitHref(d) + "/milestones/" + m.Code + "/override"
	}
	return row
}

// teamSummary lists who is on the visit and what it is planned from.
func teamSummary(d visit.Details) []components.SummaryRow {
	names := func(r visit.MemberRole) string {
		var ns []string
		for _, m := range d.MembersAs(r) {
			ns = append(ns, m.Name)
		}
		if len(ns) == 0 {
			return "None"
		}
		return strings.Join(ns, ", ")
	}
	planned := "The notice day, " + timeline.FormatDate(d.AnchorDate)
	if d.AnchorCode == timeline.CodeFieldwork {
		planned = "Back from the first fieldwork day, " + timeline.FormatDate(d.AnchorDate)
	}
	rows := []components.SummaryRow{
		{Key: "Planned from", Value: planned},
		{Key: "Lead inspector", Value: names(visit.RoleLead)},
		{Key: "Team inspectors", Value: names(visit.RoleTeam)},
		{Key: "Quality assurance manager", Value: names(visit.RoleQAM)},
		{Key: "Moderator", Value: names(visit.RoleModerator)},
		{Key: "Senior analytical officers", Value: names(visit.RoleSAO)},
		{Key: "Cafcass", Value: names(visit.RoleCafcass)},
	}
	if d.PriorityAction {
		rows = append(rows, components.SummaryRow{Key: "Letter of findings", Value: "Has an area for priority action"})
	}
	return rows
}

// acceptedWarnings are the scheduling warnings the lead went ahead with,
// one line for each warning however often it was accepted again (saving
// the visit or granting a deferral with the same clash), with the latest
// reason given (issue 15.4).
func acceptedWarnings(as []visit.Acceptance) []pages.KeyDate {
	var out []pages.KeyDate
	at := map[string]int{}
	for _, ac := range as {
		if i, ok := at[ac.Message]; ok {
			out[i].Date = ac.Reason
			continue
		}
		at[ac.Message] = len(out)
		out = append(out, pages.KeyDate{Label: ac.Message, Date: ac.Reason})
	}
	return out
}

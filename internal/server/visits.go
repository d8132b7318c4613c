package server

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
	"github.com/ofsted/focusedvisits/web/components"
	"github.com/ofsted/focusedvisits/web/pages"
)

// schedulers may create visits.
var schedulers = Access{Roles: []user.Role{user.Admin, user.LeadInspector}}

// visitForm is the schedule/edit form as typed.
type visitForm struct {
	Plan string
	Date DateField
	Lead int64
	Team []int64
	QAM  int64
	// Moderator is optional: a QAM other than the visit's own (DOMAIN
	// decision 14).
	Moderator int64
	SAO       []int64
	Cafcass   []int64
	Priority  bool
	Version   int

	date workday.Date // set by Valid
}

func readVisitForm(r *http.Request) visitForm {
	f := visitForm{
		Plan:     r.PostForm.Get("plan"),
		Date:     dateField(r, "date"),
		Team:     ids(r.PostForm["team"]),
		SAO:      ids(r.PostForm["sao"]),
		Cafcass:  ids(r.PostForm["cafcass"]),
		Priority: r.PostForm.Get("priority") == "yes",
	}
	f.Lead = first(ids([]string{r.PostForm.Get("lead")}))
	f.QAM = first(ids([]string{r.PostForm.Get("qam")}))
	f.Moderator = first(ids([]string{r.PostForm.Get("moderator")}))
	f.Version = formVersion(r.PostForm.Get("version"))
	return f
}

func first(xs []int64) int64 {
	if len(xs) == 0 {
		return 0
	}
	return xs[0]
}

// people are the users who can be put on a visit, by role.
type people struct {
	byRole map[user.Role][]user.User
	byID   map[int64]user.User
}

func (s *Server) people(ctx context.Context) (people, error) {
	us, err := s.store.ListUsers(ctx)
	if err != nil {
		return people{}, err
	}
	p := people{byRole: map[user.Role][]user.User{}, byID: map[int64]user.User{}}
	for _, u := range us {
		if !u.Active {
			continue
		}
		p.byRole[u.Role] = append(p.byRole[u.Role], u)
		p.byID[u.ID] = u
	}
	return p, nil
}

// has reports whether id is an active user with one of the roles.
func (p people) has(id int64, roles ...user.Role) bool {
	u, ok := p.byID[id]
	return ok && slices.Contains(roles, u.Role)
}

// Valid checks the form against the people who may fill each place.
func (f *visitForm) Valid(p people) form.Errors {
	var errs form.Errors
	if f.Plan != "notice" && f.Plan != "fieldwork" {
		errs.Add("plan", "Select how you want to plan the visit")
	}
	what := "The date"
	if f.Plan == "notice" {
		what = "The notice day"
	} else if f.Plan == "fieldwork" {
		what = "The first fieldwork day"
	}
	d, msg := f.Date.Parse(what)
	if msg != "" {
		errs.AddDate("date", msg)
	}
	f.date = d
	if !p.has(f.Lead, user.LeadInspector) {
		errs.Add("lead", "Select the lead inspector")
	}
	for _, id := range f.Team {
		if !p.has(id, user.TeamInspector, user.LeadInspector) || id == f.Lead {
			errs.Add("team", "Select team inspectors from the list")
			break
		}
	}
	if !p.has(f.QAM, user.QAM) {
		errs.Add("qam", "Select the quality assurance manager")
	}
	switch {
	case f.Moderator == 0:
	case !p.has(f.Moderator, user.QAM):
		errs.Add("moderator", "Select the moderator from the list")
	case f.Moderator == f.QAM:
		errs.Add("moderator", "Select a moderator other than the quality assurance manager")
	}
	if len(f.SAO) == 0 {
		errs.Add("sao", "Select at least one senior analytical officer")
	} else if !allHave(p, f.SAO, user.SAO) {
		errs.Add("sao", "Select senior analytical officers from the list")
	}
	if len(f.Cafcass) == 0 {
		errs.Add("cafcass", "Select who at Cafcass receives notice")
	} else if !allHave(p, f.Cafcass, user.CafcassCEO, user.CafcassDeputy) {
		errs.Add("cafcass", "Select Cafcass people from the list")
	}
	return errs
}

func allHave(p people, idsList []int64, roles ...user.Role) bool {
	for _, id := range idsList {
		if !p.has(id, roles...) {
			return false
		}
	}
	return true
}

// members turns the form's choices into the visit's team.
func (f visitForm) members(p people) []visit.Member {
	m := func(id int64, r visit.MemberRole) visit.Member {
		return visit.Member{UserID: id, Name: p.byID[id].Name, Role: r}
	}
	ms := []visit.Member{m(f.Lead, visit.RoleLead)}
	for _, id := range f.Team {
		ms = append(ms, m(id, visit.RoleTeam))
	}
	ms = append(ms, m(f.QAM, visit.RoleQAM))
	if f.Moderator != 0 {
		ms = append(ms, m(f.Moderator, visit.RoleModerator))
	}
	for _, id := range f.SAO {
		ms = append(ms, m(id, visit.RoleSAO))
	}
	for _, id := range f.Cafcass {
		ms = append(ms, m(id, visit.RoleCafcass))
	}
	return ms
}

func (f visitForm) anchorCode() string {
	if f.Plan == "fieldwork" {
		return timeline.CodeFieldwork
	}
	return timeline.CodeNotice
}

// formFromVisit fills the form from a stored visit.
func formFromVisit(d visit.Details) visitForm {
	f := visitForm{Plan: "notice", Date: fieldOf(d.AnchorDate), Priority: d.PriorityAction, Version: d.Version}
	if d.AnchorCode == timeline.CodeFieldwork {
		f.Plan = "fieldwork"
	}
	for _, m := range d.Members {
		switch m.Role {
		case visit.RoleLead:
			f.Lead = m.UserID
		case visit.RoleTeam:
			f.Team = append(f.Team, m.UserID)
		case visit.RoleQAM:
			f.QAM = m.UserID
		case visit.RoleModerator:
			f.Moderator = m.UserID
		case visit.RoleSAO:
			f.SAO = append(f.SAO, m.UserID)
		case visit.RoleCafcass:
			f.Cafcass = append(f.Cafcass, m.UserID)
		}
	}
	return f
}

func options(us []user.User, chosen []int64, withBlank bool) []components.Option {
	var opts []components.Option
	if withBlank {
		opts = append(opts, components.Option{Value: "", Text: "Select a person"})
	}
	for _, u := range us {
		opts = append(opts, components.Option{Value: strconv.FormatInt(u.ID, 10), Text: u.Name, Hint: hintFor(u), Checked: slices.Contains(chosen, u.ID)})
	}
	return opts
}

func hintFor(u user.User) string {
	if u.Role.IsCafcass() {
		return u.Role.Label()
	}
	return ""
}

func (s *Server) visitFormView(r *http.Request, title string, f visitForm, p people, errs form.Errors, editing bool) pages.VisitFormView {
	u, _ := currentUser(r.Context())
	v := pages.VisitFormView{
		Page:       s.page(r, title),
		Caption:    "Focused visit of Cafcass",
		Action:     r.URL.Path,
		BackHref:   "/",
		Submit:     "Continue",
		Plan:       f.Plan,
		Date:       pages.DateValue(f.Date),
		ShowLead:   u.Role == user.Admin,
		Leads:      options(p.byRole[user.LeadInspector], []int64{f.Lead}, true),
		Team:       options(p.byRole[user.TeamInspector], f.Team, false),
		QAMs:       options(p.byRole[user.QAM], []int64{f.QAM}, true),
		Moderators: options(p.byRole[user.QAM], []int64{f.Moderator}, true),
		SAOs:       options(p.byRole[user.SAO], f.SAO, false),
		Cafcass:    options(append(slices.Clone(p.byRole[user.CafcassCEO]), p.byRole[user.CafcassDeputy]...), f.Cafcass, false),
		Errors:     errs,
	}
	if editing {
		v.ShowPriority = true
		v.Priority = f.Priority
		v.Version = f.Version
		v.Submit = "Save changes"
		v.BackHref = strings.TrimSuffix(r.URL.Path, "/edit")
		v.ShowLead = u.Role == user.Admin
	}
	v.Page.HasErrors = errs.Any()
	return v
}

func (s *Server) handleVisitNew(w http.ResponseWriter, r *http.Request) error {
	p, err := s.people(r.Context())
	if err != nil {
		return err
	}
	u, _ := currentUser(r.Context())
	f := visitForm{Plan: "fieldwork"}
	if u.Role == user.LeadInspector {
		f.Lead = u.ID
	}
	return s.render(w, r, http.StatusOK, pages.VisitForm(s.visitFormView(r, "Schedule a focused visit", f, p, nil, false)))
}

func (s *Server) handleVisitCreate(w http.ResponseWriter, r *http.Request) error {
	return s.saveVisit(w, r, nil)
}

func (s *Server) handleVisitEdit(w http.ResponseWriter, r *http.Request) error {
	d, err := s.manageableVisitFor(r)
	if err != nil {
		return err
	}
	p, err := s.people(r.Context())
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, pages.VisitForm(s.visitFormView(r, "Edit "+d.Reference, formFromVisit(d), p, nil, true)))
}

func (s *Server) handleVisitUpdate(w http.ResponseWriter, r *http.Request) error {
	d, err := s.manageableVisitFor(r)
	if err != nil {
		return err
	}
	return s.saveVisit(w, r, &d)
}

// saveVisit handles the schedule and edit forms: check the form, then the
// scheduling rules (a page to go back or go ahead with a reason), then save.
func (s *Server) saveVisit(w http.ResponseWriter, r *http.Request, existing *visit.Details) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	ctx := r.Context()
	u, _ := currentUser(ctx)
	p, err := s.people(ctx)
	if err != nil {
		return err
	}
	f := readVisitForm(r)
	editing := existing != nil
	title := "Schedule a focused visit"
	if editing {
		title = "Edit " + existing.Reference
		if u.Role != user.Admin {
			lead, _ := existing.Lead()
			f.Lead = lead.UserID
		}
	} else if u.Role == user.LeadInspector {
		f.Lead = u.ID
	}
	step := r.PostForm.Get("step")
	if errs := f.Valid(p); errs.Any() || step == "change" {
		status := http.StatusUnprocessableEntity
		if !errs.Any() {
			status = http.StatusOK
		}
		return s.render(w, r, status, pages.VisitForm(s.visitFormView(r, title, f, p, errs, editing)))
	}

	// Plan the visit as it would be saved, to check the scheduling rules.
	cal, err := s.calendar(ctx)
	if err != nil {
		return err
	}
	draft := visit.Details{Visit: visit.Visit{Reference: "this visit", TemplateID: timeline.FocusedVisit, AnchorCode: f.anchorCode(), AnchorDate: f.date, PriorityAction: f.Priority}, Members: f.members(p)}
	if editing {
		draft.ID = existing.ID
		draft.Reference = existing.Reference
		draft.TemplateID, draft.TemplateVersion = existing.TemplateID, existing.TemplateVersion
		draft.Actuals, draft.Overrides = existing.Actuals, existing.Overrides
	} else {
		t, err := timeline.Lookup(timeline.FocusedVisit, "")
		if err != nil {
			return err
		}
		draft.TemplateVersion = t.Version
	}
	plan, err := s.planOf(ctx, cal, draft)
	if err != nil {
		var errs form.Errors
		errs.AddDate("date", "The dates cannot be worked out from that date: choose a date between 1991 and 2099")
		s.log.InfoContext(ctx, "plan failed", "request_id", requestID(ctx), "error", err)
		return s.render(w, r, http.StatusUnprocessableEntity, pages.VisitForm(s.visitFormView(r, title, f, p, errs, editing)))
	}
	var acceptances []visit.Acceptance
	if len(plan.Warnings) > 0 {
		reason := clean(r.PostForm.Get("reason"))
		if step != "confirm" || reason == "" || len(reason) > 2000 {
			var errs form.Errors
			if step == "confirm" && reason == "" {
				errs.Add("reason", "Enter why you are going ahead with these dates")
			} else if len(reason) > 2000 {
				errs.Add("reason", "Reason must be 2000 characters or fewer")
			}
			status := http.StatusOK
			if errs.Any() {
				status = http.StatusUnprocessableEntity
			}
			return s.render(w, r, status, pages.VisitWarnings(s.warningsView(r, f, plan, reason, errs)))
		}
		for _, wn := range plan.Warnings {
			acceptances = append(acceptances, visit.Acceptance{Code: string(wn.Code), Message: wn.Message, Reason: reason})
		}
	}

	if !editing {
		id, err := s.store.CreateVisit(ctx, store.NewVisit{
			TemplateID: draft.TemplateID, TemplateVersion: draft.TemplateVersion,
			AnchorCode: draft.AnchorCode, AnchorDate: draft.AnchorDate,
			Members: draft.Members, Acceptances: acceptances,
		}, u)
		if err != nil {
			return err
		}
		d, err := s.store.GetVisit(ctx, id)
		if err != nil {
			return err
		}
		s.flash(r, "Visit scheduled")
		http.Redirect(w, r, visitHref(d), http.StatusSeeOther)
		return nil
	}
	err = s.store.UpdateVisit(ctx, existing.ID, f.Version, store.UpdateVisit{
		AnchorCode: draft.AnchorCode, AnchorDate: draft.AnchorDate, PriorityAction: f.Priority,
		Members: draft.Members, Acceptances: acceptances,
	}, u)
	if errors.Is(err, store.ErrConflict) {
		var errs form.Errors
		errs.Add("plan", "Someone else changed this visit while you were editing it. Check the visit below, then make your change again")
		fresh, gerr := s.store.GetVisit(ctx, existing.ID)
		if gerr != nil {
			return gerr
		}
		return s.render(w, r, http.StatusConflict, pages.VisitForm(s.visitFormView(r, title, formFromVisit(fresh), p, errs, true)))
	}
	if err != nil {
		return err
	}
	s.flash(r, "Visit updated")
	http.Redirect(w, r, visitHref(*existing), http.StatusSeeOther)
	return nil
}

// warningsView carries the whole form in hidden fields so that going back
// or going ahead loses nothing.
func (s *Server) warningsView(r *http.Request, f visitForm, plan timeline.Plan, reason string, errs form.Errors) pages.VisitWarningsView {
	hidden := []pages.Hidden{
		{Name: "plan", Value: f.Plan},
		{Name: "date-day", Value: f.Date.Day}, {Name: "date-month", Value: f.Date.Month}, {Name: "date-year", Value: f.Date.Year},
		{Name: "lead", Value: strconv.FormatInt(f.Lead, 10)},
		{Name: "qam", Value: strconv.FormatInt(f.QAM, 10)},
		{Name: "moderator", Value: strconv.FormatInt(f.Moderator, 10)},
	}
	if f.Version > 0 {
		hidden = append(hidden, pages.Hidden{Name: "version", Value: strconv.Itoa(f.Version)})
	}
	if f.Priority {
		hidden = append(hidden, pages.Hidden{Name: "priority", Value: "yes"})
	}
	for name, list := range map[string][]int64{"team": f.Team, "sao": f.SAO, "cafcass": f.Cafcass} {
		for _, id := range list {
			hidden = append(hidden, pages.Hidden{Name: name, Value: strconv.FormatInt(id, 10)})
		}
	}
	slices.SortStableFunc(hidden, func(a, b pages.Hidden) int { return strings.Compare(a.Name, b.Name) })
	v := pages.VisitWarningsView{Page: s.page(r, "Check the dates before you save"), Action: r.URL.Path, Hidden: hidden, Reason: reason, Errors: errs}
	v.Page.HasErrors = errs.Any()
	for _, w := range plan.Warnings {
		v.Warnings = append(v.Warnings, w.Message)
	}
	for _, code := range []string{timeline.CodeNotice, timeline.CodeFieldwork, timeline.CodeDraftLetter, timeline.CodePublication} {
		if m, ok := plan.Milestone(code); ok {
			v.Dates = append(v.Dates, pages.KeyDate{Label: m.Label, Date: milestoneDates(m)})
		}
	}
	return v
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
	stage := visit.Stage(d, p, today)
	base := visitHref(d)
	h := pages.VisitHeader{Href: base, Reference: d.Reference, Title: "Focused visit of Cafcass", Stage: stage, StageColour: stageColour(stage)}
	h.Tabs = []pages.VisitTab{
		{Text: "Timeline", Href: base, Current: current == "timeline"},
		{Text: "Information request", Href: base + "/request", Current: current == "request"},
	}
	if u.Role.IsCafcass() {
		h.Tabs = append(h.Tabs, pages.VisitTab{Text: "Letter", Href: base + "/letter/cafcass", Current: current == "letter"})
	}
	if visit.CanSeeChildData(u, d) {
		h.Tabs = append(h.Tabs, pages.VisitTab{Text: "Child-level data", Href: base + "/child-data", Current: current == "child-data"})
	}
	if !u.Role.IsCafcass() {
		h.Tabs = append(h.Tabs, pages.VisitTab{Text: "Letter", Href: base + "/letter", Current: current == "letter"})
		h.Tabs = append(h.Tabs, pages.VisitTab{Text: "History", Href: base + "/history", Current: current == "history"})
	}
	return h
}

func (s *Server) handleVisitShow(w http.ResponseWriter, r *http.Request) error {
	d, err := s.visitFor(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	u, _ := currentUser(ctx)
	cal, err := s.calendar(ctx)
	if err != nil {
		return err
	}
	plan, err := s.planOf(ctx, cal, d)
	if err != nil {
		return err
	}
	// The plan as first made, with nothing recorded or set by hand, beside it.
	base := d
	base.Actuals, base.Overrides = nil, nil
	baseline, err := base.Dates(cal, london)
	if err != nil {
		return err
	}
	today := s.today()
	canManage := visit.CanManage(u, d) && d.Status == visit.Active
	v := pages.VisitShowView{
		Page:         s.page(r, d.Reference),
		Header:       visitHeader(d, plan, today, u, "timeline"),
		CanManage:    canManage,
		IsCafcass:    u.Role.IsCafcass(),
		Cancelled:    d.Status == visit.Cancelled,
		CancelReason: d.CancelReason,
		Provisional:  plan.Provisional,
		ICSHref:      visitHref(d) + "/calendar.ics",
	}
	// The internal note is Ofsted's alone (DOMAIN decision 18).
	if !u.Role.IsCafcass() {
		v.CancelNote = d.CancelNote
	}
	if u.Role == user.Admin {
		v.ChildDataViewsHref = childDataViewsHref(d)
	}
	if visit.CheckUndoNotice(u, d, s.now(), london) == nil {
		v.UndoNoticeHref = visitHref(d) + "/notice/undo"
	}
	v.Summary = teamSummary(d)
	if v.Deferrals, err = s.deferralList(r, d); err != nil {
		return err
	}
	accepted := map[string]bool{}
	for _, a := range d.Acceptances {
		accepted[a.Code] = true
		v.Accepted = append(v.Accepted, pages.KeyDate{Label: a.Message, Date: a.Reason})
	}
	for _, wn := range plan.Warnings {
		if !accepted[string(wn.Code)] {
			v.Warnings = append(v.Warnings, wn.Message)
		}
	}
	for _, m := range plan.Milestones {
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
			if !u.Role.IsCafcass() {
				row.StateNote = "Set by hand: " + m.Reason
			}
		}
		if u.Role.IsCafcass() && m.State == timeline.StateOverridden {
			row.Explanation = "Ofsted changed this date."
		}
		if d.Status == visit.Cancelled {
			row.Progress, row.ProgressColour = "Cancelled", "grey"
		} else {
			p := visit.ProgressOf(m, today)
			row.Progress, row.ProgressColour = p.Label(), p.Colour()
		}
		if canManage {
			if visit.CanRecordOnTimeline(m) {
				row.RecordHref = visitHref(d) + "/milestones/" + m.Code + "/record"
			}
			row.OverrideHref = visitHref(d) + "/milestones/" + m.Code + "/override"
		}
		v.Rows = append(v.Rows, row)
	}
	return s.render(w, r, http.StatusOK, pages.VisitShow(v))
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

func (s *Server) handleVisitHistory(w http.ResponseWriter, r *http.Request) error {
	d, err := s.visitFor(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	u, _ := currentUser(ctx)
	cal, err := s.calendar(ctx)
	if err != nil {
		return err
	}
	plan, err := d.Dates(cal, london)
	if err != nil {
		return err
	}
	events, err := s.store.ListEvents(ctx, d.ID)
	if err != nil {
		return err
	}
	events = historyFor(u, d, events)
	v := pages.VisitHistoryView{Page: s.page(r, d.Reference+": history"), Header: visitHeader(d, plan, s.today(), u, "history")}
	if u.Role == user.Admin {
		v.ExportHref = visitHref(d) + "/history.csv"
	}
	for _, e := range events {
		v.Rows = append(v.Rows, pages.HistoryRow{
			When: e.At.In(london).Format("2 Jan 2006 15:04"), Who: e.UserName, Action: e.Action,
			Field: e.Field, Old: e.Old, New: e.New, Detail: e.Detail,
		})
	}
	return s.render(w, r, http.StatusOK, pages.VisitHistory(v))
}

func (s *Server) handleVisitCancelShow(w http.ResponseWriter, r *http.Request) error {
	d, err := s.manageableVisitFor(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, pages.VisitCancel(s.cancelView(r, d, visit.Cancellation{}, nil)))
}

func (s *Server) cancelView(r *http.Request, d visit.Details, c visit.Cancellation, errs form.Errors) pages.VisitCancelView {
	v := pages.VisitCancelView{
		Page:     s.page(r, "Cancel "+d.Reference),
		Header:   pages.VisitHeader{Href: visitHref(d), Reference: d.Reference},
		Action:   r.URL.Path,
		BackHref: visitHref(d),
		Reason:   c.Reason,
		Note:     c.Note,
		Version:  d.Version,
		Errors:   errs,
	}
	v.Page.HasErrors = errs.Any()
	return v
}

func (s *Server) handleVisitCancel(w http.ResponseWriter, r *http.Request) error {
	d, err := s.manageableVisitFor(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	c := visit.Cancellation{Reason: clean(r.PostForm.Get("reason")), Note: clean(r.PostForm.Get("note"))}
	version := formVersion(r.PostForm.Get("version"))
	if errs := c.Check(d); errs.Any() {
		return s.render(w, r, http.StatusUnprocessableEntity, pages.VisitCancel(s.cancelView(r, d, c, errs)))
	}
	u, _ := currentUser(r.Context())
	err = s.store.CancelVisit(r.Context(), d.ID, version, c, u)
	if errors.Is(err, store.ErrConflict) {
		var errs form.Errors
		errs.Add("reason", "Someone else changed this visit while you were on this page. Check the visit, then try again")
		d.Version = 0
		return s.render(w, r, http.StatusConflict, pages.VisitCancel(s.cancelView(r, d, c, errs)))
	}
	if err != nil {
		return err
	}
	s.flash(r, "Visit cancelled")
	http.Redirect(w, r, visitHref(d), http.StatusSeeOther)
	return nil
}

package server

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
	"github.com/ofsted/focusedvisits/web/components"
	"github.com/ofsted/focusedvisits/web/pages"
)

// visitForm is the schedule/edit form as typed.
type visitForm struct {
	Plan string
	Date DateField
	visit.Team
	Priority bool
	Version  int
}

func readVisitForm(r *http.Request) visitForm {
	f := visitForm{
		Plan:     r.PostForm.Get("plan"),
		Date:     dateField(r, "date"),
		Priority: r.PostForm.Get("priority") == "yes",
	}
	f.Team = visit.Team{
		Lead:      first(ids([]string{r.PostForm.Get("lead")})),
		Team:      ids(r.PostForm["team"]),
		QAM:       first(ids([]string{r.PostForm.Get("qam")})),
		Moderator: first(ids([]string{r.PostForm.Get("moderator")})),
		SAO:       ids(r.PostForm["sao"]),
		Cafcass:   ids(r.PostForm["cafcass"]),
	}
	f.Version = formVersion(r.PostForm.Get("version"))
	return f
}

func first(xs []int64) int64 {
	if len(xs) == 0 {
		return 0
	}
	return xs[0]
}

// staff are the users who can be put on a visit.
func (s *Server) staff(r *http.Request) (visit.Staff, error) {
	us, err := s.store.ListUsers(r.Context())
	if err != nil {
		return visit.Staff{}, err
	}
	return visit.NewStaff(us), nil
}

// valid checks the form: how it is planned and from when here, the team
// against the people who may fill each place in the domain (visit.Team).
// The errors follow the form's order.
func (f visitForm) valid(s visit.Staff) (workday.Date, form.Errors) {
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
	return d, append(errs, f.Team.Check(s)...)
}

func (f visitForm) anchorCode() string {
	if f.Plan == "fieldwork" {
		return timeline.CodeFieldwork
	}
	return timeline.CodeNotice
}

// formFromVisit fills the form from a stored visit.
func formFromVisit(d visit.Details) visitForm {
	f := visitForm{Plan: "notice", Date: fieldOf(d.AnchorDate), Team: visit.TeamOf(d), Priority: d.PriorityAction, Version: d.Version}
	if d.AnchorCode == timeline.CodeFieldwork {
		f.Plan = "fieldwork"
	}
	return f
}

func options(us []user.User, chosen []int64, withBlank bool) []components.Option {
	var opts []components.Option
	if withBlank {
		opts = append(opts, components.Option{Value: "", Text: "Select a person"})
	}
	for _, u := range us {
		opts = append(opts, components.Option{Value: strconv.FormatInt(u.ID, 10), Text: u.Name, Hint: visit.RoleHint(u), Checked: slices.Contains(chosen, u.ID)})
	}
	return opts
}

func (s *Server) visitFormView(r *http.Request, title string, f visitForm, p visit.Staff, errs form.Errors, editing bool) pages.VisitFormView {
	u, _ := currentUser(r.Context())
	v := pages.VisitFormView{
		Page:       s.page(r, title),
		Caption:    "Focused visit of Cafcass",
		Action:     r.URL.Path,
		BackHref:   "/",
		Submit:     "Continue",
		Plan:       f.Plan,
		Date:       pages.DateValue(f.Date),
		ShowLead:   visit.May(visit.ChooseLead, visit.ActorFor(u, visit.Details{}), visit.Details{}, visit.Facts{}),
		Leads:      options(p.Offered(visit.RoleLead), []int64{f.Lead}, true),
		Team:       options(p.Offered(visit.RoleTeam), f.Team.Team, false),
		QAMs:       options(p.Offered(visit.RoleQAM), []int64{f.QAM}, true),
		Moderators: options(p.Offered(visit.RoleModerator), []int64{f.Moderator}, true),
		SAOs:       options(p.Offered(visit.RoleSAO), f.SAO, false),
		Cafcass:    options(p.Offered(visit.RoleCafcass), f.Cafcass, false),
		Errors:     errs,
	}
	if editing {
		v.ShowPriority = true
		v.Priority = f.Priority
		v.Version = f.Version
		v.Submit = "Save changes"
		v.BackHref = strings.TrimSuffix(r.URL.Path, "/edit")
	}
	v.Page.HasErrors = errs.Any()
	return v
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
	for name, list := range map[string][]int64{"team": f.Team.Team, "sao": f.SAO, "cafcass": f.Cafcass} {
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

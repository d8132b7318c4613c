package server

import (
	"errors"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ofsted/focusedvisits/internal/annexa"
	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/publicid"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
	"github.com/ofsted/focusedvisits/web/components"
	"github.com/ofsted/focusedvisits/web/pages"
)

// requestRoutes registers the routes of the information request (Annex A).
//

const (
	itemTextMax   = 2000
	itemTitleMax  = 200
	itemNumberMax = 20
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

// parseDay reads a due day, 0 when it is not one of days 1 to 8.
func parseDay(s string) int {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	if err != nil || n < annexa.FirstDay || n > annexa.LastDay {
		return 0
	}
	return n
}

// canReview reports whether u checks what Cafcass sends on the visit: its
// lead inspector (or an administrator) and its senior analytical officers.
func canReview(u user.User, d visit.Details) bool {
	if visit.CanManage(u, d) {
		return true
	}
	if u.Role != user.SAO {
		return false
	}
	return slices.ContainsFunc(d.Members, func(m visit.Member) bool { return m.UserID == u.ID && m.Role == visit.RoleSAO })
}

// requestPlan is a visit's dates, for the request pages: the numbered days
// are all they need.
func (s *Server) requestPlan(r *http.Request, d visit.Details) (timeline.Plan, error) {
	cal, err := s.calendar(r.Context())
	if err != nil {
		return timeline.Plan{}, err
	}
	return d.Dates(cal, london)
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
	code, ok := pd[it.ID]
	if !ok {
		return dueOf(p, it.DueDay)
	}
	m, ok := p.Milestone(code)
	if !ok || m.Last().IsZero() {
		return workday.Date{}, time.Time{}
	}
	return m.Last(), workday.EndOfDay(m.Last(), london)
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
	d, err := s.visitFor(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	u, _ := currentUser(ctx)
	plan, err := s.requestPlan(r, d)
	if err != nil {
		return err
	}
	items, err := s.store.ListItems(ctx, d.ID)
	if err != nil {
		return err
	}
	pd, err := s.planDueOf(r, d.ID)
	if err != nil {
		return err
	}
	now := s.now()
	v := pages.RequestShowView{
		Page:      s.page(r, d.Reference+": information request"),
		Header:    visitHeader(d, plan, s.today(), u, "request"),
		IsCafcass: u.Role.IsCafcass(),
	}
	if visit.CanManage(u, d) && d.Status == visit.Active {
		v.EditHref, v.AddHref = requestHref(d)+"/edit", requestHref(d)+"/items/new"
	}
	if u.Role.IsCafcass() && d.Status == visit.Active {
		v.DeferralHref = visitHref(d) + "/deferrals/request"
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
		hint := ""
		if overdue {
			v.Overdue++
			if it.Status != annexa.NotStarted {
				hint = "Status: " + it.Status.Label()
			}
			tag = components.TagParams{Text: annexa.OverdueLabel, Colour: annexa.OverdueColour}
		}
		if it.Status == annexa.Returned && !overdue {
			hint = "Returned by Ofsted: see why"
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
		g.Items = append(g.Items, components.TaskListItem{Title: it.Number + " " + it.Title, Href: itemHref(d, it), Hint: hint, Status: tag})
	}
	if len(plans.Items) > 0 {
		v.Groups = append(v.Groups, plans)
	}
	if len(items) > 0 {
		v.Summary = fmt.Sprintf("%d of %d items submitted or accepted", done, len(items))
		if notHeld > 0 {
			v.Summary += fmt.Sprintf(", %d not held", notHeld)
		}
		v.Summary += "."
	}
	return s.render(w, r, http.StatusOK, pages.RequestShow(v))
}

// The request form.

func (s *Server) requestEditView(r *http.Request, d visit.Details, plan timeline.Plan, rows []pages.RequestEditRow, errs form.Errors) pages.RequestEditView {
	cat := annexa.Latest()
	v := pages.RequestEditView{
		Page:    s.page(r, "Choose the information to request"),
		Caption: requestCaption(d), BackHref: requestHref(d), Action: requestHref(d) + "/edit",
		AddHref: requestHref(d) + "/items/new",
		Version: cat.Label, Rows: rows, Errors: errs,
	}
	v.Page.HasErrors = errs.Any()
	return v
}

// requestRows are the catalogue's items and any others on the request,
// ticked as on the request (all of the catalogue when nothing is requested
// yet), with their due days.
func requestRows(plan timeline.Plan, items []store.RequestItem) []pages.RequestEditRow {
	byNumber := map[string]store.RequestItem{}
	for _, it := range items {
		byNumber[it.Number] = it
	}
	row := func(number, title, desc string, checked bool, day int, st annexa.Status) pages.RequestEditRow {
		rw := pages.RequestEditRow{Number: number, Title: title, Description: desc, Checked: checked, Days: dayOptions(plan, day)}
		if st != "" && st != annexa.NotStarted {
			rw.Locked = "Cafcass has started on this item (" + strings.ToLower(st.Label()) + "), so it stays on the request."
		}
		return rw
	}
	var rows []pages.RequestEditRow
	for _, ci := range annexa.Latest().Items {
		if it, ok := byNumber[ci.Number]; ok {
			rows = append(rows, row(ci.Number, ci.Title, ci.Description, true, it.DueDay, it.Status))
			delete(byNumber, ci.Number)
			continue
		}
		rows = append(rows, row(ci.Number, ci.Title, ci.Description, len(items) == 0, ci.DueDay, ""))
	}
	for _, it := range items {
		if _, ok := byNumber[it.Number]; ok {
			rows = append(rows, row(it.Number, it.Title, it.Description, true, it.DueDay, it.Status))
		}
	}
	return rows
}

// requestEditable loads what the request form needs; only the lead
// inspector of an active visit may change the request.
func (s *Server) requestEditable(r *http.Request) (visit.Details, timeline.Plan, []store.RequestItem, error) {
	d, err := s.manageableVisitFor(r)
	if err != nil {
		return d, timeline.Plan{}, nil, err
	}
	if d.Status != visit.Active {
		return d, timeline.Plan{}, nil, badRequest(errors.New("the visit is cancelled"))
	}
	plan, err := s.requestPlan(r, d)
	if err != nil {
		return d, plan, nil, err
	}
	items, err := s.store.ListItems(r.Context(), d.ID)
	return d, plan, items, err
}

func (s *Server) handleRequestEdit(w http.ResponseWriter, r *http.Request) error {
	d, plan, items, err := s.requestEditable(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, pages.RequestEdit(s.requestEditView(r, d, plan, requestRows(plan, items), nil)))
}

func (s *Server) handleRequestUpdate(w http.ResponseWriter, r *http.Request) error {
	d, plan, items, err := s.requestEditable(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	ticked := r.PostForm["item"]
	rows := requestRows(plan, items)
	var errs form.Errors
	var picks []store.Pick
	for i := range rows {
		rw := &rows[i]
		rw.Checked = slices.Contains(ticked, rw.Number)
		raw := r.PostForm.Get("due-" + rw.Number)
		day := parseDay(raw)
		for j := range rw.Days {
			rw.Days[j].Checked = rw.Days[j].Value == raw
		}
		if day == 0 {
			errs.Add("due-"+rw.Number, fmt.Sprintf("Choose the day by the end of which %s is due", rw.Number))
			continue
		}
		if rw.Checked {
			picks = append(picks, store.Pick{Number: rw.Number, DueDay: day})
		}
	}
	if len(picks) == 0 && !errs.Any() {
		errs = append(form.Errors{{Field: "item", Message: "Select at least one item to request"}}, errs...)
	}
	if errs.Any() {
		return s.render(w, r, http.StatusUnprocessableEntity, pages.RequestEdit(s.requestEditView(r, d, plan, rows, errs)))
	}
	u, _ := currentUser(r.Context())
	kept, err := s.store.SetRequest(r.Context(), d.ID, annexa.Current, picks, u)
	if err != nil {
		return err
	}
	msg := "Information request saved."
	if len(kept) > 0 {
		msg += " Cafcass has started on " + strings.Join(kept, ", ") + ", so they stay on the request."
	}
	s.flash(r, msg)
	http.Redirect(w, r, requestHref(d), http.StatusSeeOther)
	return nil
}

// Items of the lead inspector's own.

// itemNumber is what an item of one's own may be numbered: it begins a file
// name, so letters, digits, dots and hyphens only.
var itemNumber = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9.\-]*$`)

type itemForm struct {
	Number, Title, Description, Kind, DueDay string
}

func (f itemForm) valid() (store.NewItem, form.Errors) {
	var errs form.Errors
	switch {
	case f.Number == "":
		errs.Add("number", "Enter the item number")
	case utf8.RuneCountInString(f.Number) > itemNumberMax:
		errs.Add("number", fmt.Sprintf("Item number must be %d characters or fewer", itemNumberMax))
	case !itemNumber.MatchString(f.Number):
		errs.Add("number", "Item number must only include letters, numbers, full stops and hyphens")
	}
	switch {
	case f.Title == "":
		errs.Add("title", "Enter a title")
	case utf8.RuneCountInString(f.Title) > itemTitleMax:
		errs.Add("title", fmt.Sprintf("Title must be %d characters or fewer", itemTitleMax))
	}
	if utf8.RuneCountInString(f.Description) > itemTextMax {
		errs.Add("description", fmt.Sprintf("What Cafcass should send must be %d characters or fewer", itemTextMax))
	}
	kind := annexa.Kind(f.Kind)
	if kind != annexa.Custom && kind != annexa.ChildList {
		errs.Add("kind", "Select whether it is a child-level data list")
	}
	day := parseDay(f.DueDay)
	if day == 0 {
		errs.Add("due-day", "Choose the day by the end of which it is due")
	}
	return store.NewItem{Number: f.Number, Title: f.Title, Description: f.Description, DueDay: day, Kind: kind}, errs
}

func (s *Server) itemNewView(r *http.Request, d visit.Details, plan timeline.Plan, f itemForm, errs form.Errors) pages.RequestItemNewView {
	v := pages.RequestItemNewView{
		Page:    s.page(r, "Add an item of your own"),
		Caption: requestCaption(d), BackHref: requestHref(d), Action: requestHref(d) + "/items/new",
		Number: f.Number, Title: f.Title, Description: f.Description, Kind: f.Kind,
		Days:   dayOptions(plan, parseDay(f.DueDay)),
		Errors: errs,
	}
	v.Page.HasErrors = errs.Any()
	return v
}

func (s *Server) handleRequestItemNew(w http.ResponseWriter, r *http.Request) error {
	d, plan, _, err := s.requestEditable(r)
	if err != nil {
		return err
	}
	f := itemForm{Kind: string(annexa.Custom), DueDay: strconv.Itoa(annexa.DocumentsDueDay)}
	return s.render(w, r, http.StatusOK, pages.RequestItemNew(s.itemNewView(r, d, plan, f, nil)))
}

func (s *Server) handleRequestItemCreate(w http.ResponseWriter, r *http.Request) error {
	d, plan, _, err := s.requestEditable(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	f := itemForm{
		Number:      strings.TrimSpace(clean(r.PostForm.Get("number"))),
		Title:       strings.Join(strings.Fields(clean(r.PostForm.Get("title"))), " "),
		Description: clean(r.PostForm.Get("description")),
		Kind:        r.PostForm.Get("kind"),
		DueDay:      r.PostForm.Get("due-day"),
	}
	n, errs := f.valid()
	if !errs.Any() {
		u, _ := currentUser(r.Context())
		_, err := s.store.AddCustomItem(r.Context(), d.ID, n, u)
		switch {
		case errors.Is(err, store.ErrConflict):
			errs.Add("number", "The request already has an item "+n.Number+": choose another number")
		case err != nil:
			return err
		}
	}
	if errs.Any() {
		return s.render(w, r, http.StatusUnprocessableEntity, pages.RequestItemNew(s.itemNewView(r, d, plan, f, errs)))
	}
	s.flash(r, fmt.Sprintf("%s %s added to the request.", n.Number, n.Title))
	http.Redirect(w, r, requestHref(d), http.StatusSeeOther)
	return nil
}

// One item.

// itemFor loads the visit and the item named in the URL; an item of another
// visit is not found.
func (s *Server) itemFor(r *http.Request) (visit.Details, store.RequestItem, error) {
	d, err := s.visitFor(r)
	if err != nil {
		return d, store.RequestItem{}, err
	}
	id, ok := publicIDParam(r, "itemID")
	if !ok {
		return d, store.RequestItem{}, store.ErrNotFound
	}
	it, err := s.store.GetItemByPublicID(r.Context(), d.ID, id)
	return d, it, err
}

// itemInput is what was typed on an item's page, kept to show again.
type itemInput struct {
	CoversFrom, CoversTo DateField
	NotHeldReason        string
	ReturnReason         string
	AddressedTo          string
	Question             string
	AnswerTo             string // the question's public id
	Answer               string
}

func (s *Server) itemShowView(r *http.Request, d visit.Details, it store.RequestItem, in itemInput, errs form.Errors) (pages.RequestItemShowView, error) {
	ctx := r.Context()
	u, _ := currentUser(ctx)
	plan, err := s.requestPlan(r, d)
	if err != nil {
		return pages.RequestItemShowView{}, err
	}
	pd, err := s.planDueOf(r, d.ID)
	if err != nil {
		return pages.RequestItemShowView{}, err
	}
	tag, overdue := itemTag(it, plan, pd, s.now())
	v := pages.RequestItemShowView{
		Page:    s.page(r, it.Number+" "+it.Title),
		Caption: requestCaption(d), BackHref: requestHref(d), Action: itemHref(d, it),
		Title: it.Title, Number: it.Number, Status: tag, Overdue: overdue,
		Errors: errs,
	}
	v.Page.HasErrors = errs.Any()
	switch it.Status {
	case annexa.Returned:
		v.Reason, v.ReasonKey = it.StatusReason, "Returned by Ofsted"
	case annexa.NotHeld:
		v.Reason, v.ReasonKey = it.StatusReason, "Not held"
	}
	desc := it.Description
	if desc == "" {
		desc = it.Title
	}
	v.Summary = []components.SummaryRow{
		{Key: "Item", Value: it.Number + ", " + it.Kind.Label()},
		{Key: "What to send", Value: desc},
		{Key: "Due", Value: "By the end of " + itemDueWords(plan, it, pd)},
	}
	if it.Kind.NeedsCoverage() {
		covers := "Not given yet"
		if it.HasCoverage() {
			covers = timeline.FormatDate(it.CoversFrom) + " to " + timeline.FormatDate(it.CoversTo)
		}
		v.Summary = append(v.Summary, components.SummaryRow{Key: "Dates the list covers", Value: covers})
	}
	if !it.SubmittedAt.IsZero() {
		v.Summary = append(v.Summary, components.SummaryRow{Key: "Last submitted", Value: it.SubmittedAt.In(london).Format("Mon 2 Jan 2006 15:04")})
	}
	if v.Files, err = s.itemFiles(r, d, it); err != nil {
		return v, err
	}

	active := d.Status == visit.Active
	cafcass := u.Role.IsCafcass() && active
	review := !u.Role.IsCafcass() && canReview(u, d) && active
	if cafcass {
		v.CanSubmit = annexa.Allowed(annexa.CafcassSide, it.Status, annexa.Submitted)
		v.CanNotHeld = annexa.Allowed(annexa.CafcassSide, it.Status, annexa.NotHeld)
		v.CanStart = it.Status == annexa.NotHeld && annexa.Allowed(annexa.CafcassSide, it.Status, annexa.InProgress)
		v.NeedsCoverage = it.Kind.NeedsCoverage()
		v.CanSetCoverage = v.NeedsCoverage && (v.CanSubmit || it.Status == annexa.NotHeld)
		v.CanAsk = true
		v.NotHeldReason, v.Question = in.NotHeldReason, in.Question
		from, to := in.CoversFrom, in.CoversTo
		if from.Blank() && to.Blank() && it.HasCoverage() {
			from, to = fieldOf(it.CoversFrom), fieldOf(it.CoversTo)
		}
		v.CoversFrom = pages.DeferralDateInput(from)
		v.CoversTo = pages.DeferralDateInput(to)
		v.Askable = askable(d, in.AddressedTo)
	}
	if review {
		v.CanAccept = annexa.Allowed(annexa.OfstedSide, it.Status, annexa.Accepted)
		v.CanReturn = annexa.Allowed(annexa.OfstedSide, it.Status, annexa.Returned)
		v.ReturnReason = in.ReturnReason
	}
	qs, err := s.store.ListQuestions(ctx, it.ID)
	if err != nil {
		return v, err
	}
	for _, q := range qs {
		qv := pages.QuestionView{
			ID: q.PublicID, Question: q.Question, AskedOf: q.AddressedToName,
			AskedBy:     q.AskedByName + ", " + q.AskedAt.In(london).Format("2 Jan 2006 15:04"),
			Answer:      q.Answer,
			AnswerField: "answer-" + q.PublicID,
		}
		if q.Answered() {
			qv.AnsweredBy = q.AnsweredByName + ", " + q.AnsweredAt.In(london).Format("2 Jan 2006 15:04")
		} else if review {
			qv.CanAnswer = true
			if in.AnswerTo == q.PublicID {
				qv.TypedAnswer = in.Answer
			}
		}
		v.Questions = append(v.Questions, qv)
	}
	return v, nil
}

// askable are whom Cafcass may ask about an item: the visit's lead
// inspector and senior analytical officers.
func askable(d visit.Details, chosen string) []components.Option {
	opts := []components.Option{{Value: "", Text: "Choose who to ask", Checked: chosen == ""}}
	for _, m := range d.Members {
		if m.Role != visit.RoleLead && m.Role != visit.RoleSAO {
			continue
		}
		id := strconv.FormatInt(m.UserID, 10)
		opts = append(opts, components.Option{Value: id, Text: m.Name + " (" + strings.ToLower(m.Role.Label()) + ")", Checked: chosen == id})
	}
	return opts
}

func (s *Server) handleRequestItemShow(w http.ResponseWriter, r *http.Request) error {
	d, it, err := s.itemFor(r)
	if err != nil {
		return err
	}
	v, err := s.itemShowView(r, d, it, itemInput{}, nil)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, pages.RequestItemShow(v))
}

// moveMessage is the error people read for a refused change of status.
func moveMessage(err error, to annexa.Status) form.FieldError {
	switch {
	case errors.Is(err, annexa.ErrNoFiles):
		return form.FieldError{Field: "files", Message: "Upload at least one file before you mark the item as submitted"}
	case errors.Is(err, annexa.ErrNoCoverage):
		return form.FieldError{Field: "covers-from", Message: "Enter the dates the list covers before you mark it as submitted", Anchor: "covers-from-day"}
	case errors.Is(err, annexa.ErrNoExplanation):
		return form.FieldError{Field: "not-held-reason", Message: "Explain why Cafcass does not hold this information"}
	case errors.Is(err, annexa.ErrNoReason):
		return form.FieldError{Field: "return-reason", Message: "Enter why you are returning the item"}
	case errors.Is(err, annexa.ErrNothingChanged):
		return form.FieldError{Field: "status", Message: "The item is already " + strings.ToLower(to.Label())}
	}
	return form.FieldError{Field: "status", Message: "You cannot make the item " + strings.ToLower(to.Label()) + " now. It has changed since you opened the page, or it is not yours to change"}
}

func (s *Server) handleRequestItemUpdate(w http.ResponseWriter, r *http.Request) error {
	d, it, err := s.itemFor(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	ctx := r.Context()
	u, _ := currentUser(ctx)
	in := itemInput{
		CoversFrom: dateField(r, "covers-from"), CoversTo: dateField(r, "covers-to"),
		NotHeldReason: clean(r.PostForm.Get("not-held-reason")),
		ReturnReason:  clean(r.PostForm.Get("return-reason")),
		AddressedTo:   r.PostForm.Get("addressed-to"),
		Question:      clean(r.PostForm.Get("question")),
		Answer:        clean(r.PostForm.Get("answer")),
	}
	in.AnswerTo = r.PostForm.Get("question-id")

	var errs form.Errors
	fail := func() error {
		v, err := s.itemShowView(r, d, it, in, errs)
		if err != nil {
			return err
		}
		return s.render(w, r, http.StatusUnprocessableEntity, pages.RequestItemShow(v))
	}
	if d.Status != visit.Active {
		return badRequest(errors.New("the visit is cancelled"))
	}
	cafcass := u.Role.IsCafcass()
	review := !cafcass && canReview(u, d)
	side := annexa.OfstedSide
	if cafcass {
		side = annexa.CafcassSide
	}
	flash := ""
	action := r.PostForm.Get("action")
	switch action {
	case "submit", "not-held", "start", "accept", "return":
		if !cafcass && !review {
			return forbidden(errors.New("may not change the item's status"))
		}
		to, reason := map[string]annexa.Status{
			"submit": annexa.Submitted, "not-held": annexa.NotHeld, "start": annexa.InProgress,
			"accept": annexa.Accepted, "return": annexa.Returned,
		}[action], ""
		switch to {
		case annexa.NotHeld:
			reason = in.NotHeldReason
		case annexa.Returned:
			reason = in.ReturnReason
		}
		if utf8.RuneCountInString(reason) > itemTextMax {
			field := "not-held-reason"
			if to == annexa.Returned {
				field = "return-reason"
			}
			errs.Add(field, fmt.Sprintf("Your text must be %d characters or fewer", itemTextMax))
			return fail()
		}
		m := annexa.Move{From: it.Status, To: to, By: side, Reason: reason, NeedsCoverage: it.Kind.NeedsCoverage(), HasCoverage: it.HasCoverage()}
		if to == annexa.Submitted {
			if m.HasFiles, err = s.store.ItemHasFiles(ctx, it.ID); err != nil {
				return err
			}
		}
		if err := annexa.Check(m); err != nil {
			errs = append(errs, moveMessage(err, to))
			return fail()
		}
		err := s.store.SetItemStatus(ctx, it.ID, it.Status, to, reason, u)
		if errors.Is(err, store.ErrConflict) || errors.Is(err, annexa.ErrNoFiles) {
			// Moved, or its last file removed, since the page was read.
			errs = append(errs, moveMessage(err, to))
			if it, err = s.store.GetItem(ctx, d.ID, it.ID); err != nil {
				return err
			}
			return fail()
		}
		if err != nil {
			return err
		}
		flash = fmt.Sprintf("%s %s.", it.Number, map[annexa.Status]string{
			annexa.Submitted: "marked as submitted", annexa.NotHeld: "marked as not held", annexa.InProgress: "is in progress again",
			annexa.Accepted: "accepted", annexa.Returned: "returned to Cafcass",
		}[to])
	case "coverage":
		if !cafcass || !it.Kind.NeedsCoverage() {
			return forbidden(errors.New("may not set the dates of the item"))
		}
		if it.Status == annexa.Submitted || it.Status == annexa.Accepted {
			errs.Add("covers-from", "The list has been submitted: its dates cannot change now")
			return fail()
		}
		from, to, coverErrs := parseCoverage(in.CoversFrom, in.CoversTo)
		errs = append(errs, coverErrs...)
		if errs.Any() {
			return fail()
		}
		if err := s.store.SetCoverage(ctx, it.ID, from, to, u); err != nil {
			return err
		}
		flash = "Dates the list covers saved."
	case "ask":
		if !cafcass {
			return forbidden(errors.New("only Cafcass asks questions"))
		}
		to, _ := strconv.ParseInt(in.AddressedTo, 10, 64)
		if to == 0 || !slices.ContainsFunc(d.Members, func(m visit.Member) bool {
			return m.UserID == to && (m.Role == visit.RoleLead || m.Role == visit.RoleSAO)
		}) {
			errs.Add("addressed-to", "Choose who to ask")
		}
		switch {
		case in.Question == "":
			errs.Add("question", "Enter your question")
		case utf8.RuneCountInString(in.Question) > itemTextMax:
			errs.Add("question", fmt.Sprintf("Your question must be %d characters or fewer", itemTextMax))
		}
		if errs.Any() {
			return fail()
		}
		if _, err := s.store.AskQuestion(ctx, it.ID, to, in.Question, u); err != nil {
			return err
		}
		flash = "Question sent."
	case "answer":
		if !review {
			return forbidden(errors.New("may not answer questions"))
		}
		if !publicid.Valid(in.AnswerTo) {
			return store.ErrNotFound // names no question
		}
		field := "answer-" + in.AnswerTo
		switch {
		case in.Answer == "":
			errs.Add(field, "Enter your answer")
		case utf8.RuneCountInString(in.Answer) > itemTextMax:
			errs.Add(field, fmt.Sprintf("Your answer must be %d characters or fewer", itemTextMax))
		}
		if errs.Any() {
			return fail()
		}
		err := s.store.AnswerQuestion(ctx, it.ID, in.AnswerTo, in.Answer, u)
		switch {
		case errors.Is(err, store.ErrConflict):
			flash = "That question had already been answered."
		case err != nil:
			return err
		default:
			flash = "Answer sent."
		}
	default:
		return badRequest(fmt.Errorf("unknown action %q", action))
	}
	s.flash(r, flash)
	http.Redirect(w, r, itemHref(d, it), http.StatusSeeOther)
	return nil
}

// Deferral requests from Cafcass.

// cafcassVisitFor is visitFor for Cafcass's own actions on an active visit:
// Ofsted users get 403 (they record requests on /deferrals/new).
func (s *Server) cafcassVisitFor(r *http.Request) (visit.Details, user.User, error) {
	d, err := s.visitFor(r)
	if err != nil {
		return d, user.User{}, err
	}
	u, _ := currentUser(r.Context())
	if !u.Role.IsCafcass() {
		return d, u, forbidden(errors.New("Ofsted records deferral requests on /deferrals/new"))
	}
	if d.Status != visit.Active {
		return d, u, badRequest(errors.New("the visit is cancelled"))
	}
	return d, u, nil
}

func (s *Server) deferralAskView(r *http.Request, d visit.Details, reason string, errs form.Errors) (pages.RequestDeferralView, error) {
	v := pages.RequestDeferralView{
		Page:    s.page(r, "Ask Ofsted to defer the visit"),
		Caption: d.Reference, BackHref: requestHref(d), Action: visitHref(d) + "/deferrals/request",
		Reason: reason, Errors: errs,
	}
	v.Page.HasErrors = errs.Any()
	dfs, err := s.store.ListDeferrals(r.Context(), d.ID)
	if err != nil {
		return v, err
	}
	for _, df := range dfs {
		// Cafcass sees when each request was made and where it stands,
		// never Ofsted's reasons.
		it := deferralItem(df, "")
		v.Mine = append(v.Mine, pages.DeferralItem{RequestedOn: it.RequestedOn, Status: it.Status, StatusColour: it.StatusColour})
	}
	return v, nil
}

func (s *Server) handleDeferralAskShow(w http.ResponseWriter, r *http.Request) error {
	d, _, err := s.cafcassVisitFor(r)
	if err != nil {
		return err
	}
	v, err := s.deferralAskView(r, d, "", nil)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, pages.RequestDeferral(v))
}

func (s *Server) handleDeferralAsk(w http.ResponseWriter, r *http.Request) error {
	d, u, err := s.cafcassVisitFor(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	reason := clean(r.PostForm.Get("reason"))
	var errs form.Errors
	switch {
	case reason == "":
		errs.Add("reason", "Enter why you want the visit deferred")
	case utf8.RuneCountInString(reason) > deferralReasonMax:
		errs.Add("reason", fmt.Sprintf("Why must be %d characters or fewer", deferralReasonMax))
	}
	if errs.Any() {
		v, err := s.deferralAskView(r, d, reason, errs)
		if err != nil {
			return err
		}
		return s.render(w, r, http.StatusUnprocessableEntity, pages.RequestDeferral(v))
	}
	by := u.Name + ", " + u.Role.Label()
	if _, err := s.store.CreateDeferral(r.Context(), store.NewDeferral{VisitID: d.ID, RequestedBy: by, RequestedOn: s.today(), Reason: reason}, u); err != nil {
		return err
	}
	s.flash(r, "Deferral request sent. The lead inspector will tell you Ofsted’s decision.")
	http.Redirect(w, r, requestHref(d), http.StatusSeeOther)
	return nil
}

// requestProgress counts a visit's request items: how many there are, how
// many are submitted or accepted, and how many are overdue at now. It is for
// summaries such as the Cafcass chief executive's start page.
func (s *Server) requestProgress(r *http.Request, d visit.Details, plan timeline.Plan) (total, done, overdue int, err error) {
	items, err := s.store.ListItems(r.Context(), d.ID)
	if err != nil {
		return 0, 0, 0, err
	}
	pd, err := s.planDueOf(r, d.ID)
	if err != nil {
		return 0, 0, 0, err
	}
	now := s.now()
	for _, it := range items {
		if it.Status == annexa.Submitted || it.Status == annexa.Accepted {
			done++
		}
		if _, late := itemTag(it, plan, pd, now); late {
			overdue++
		}
	}
	return len(items), done, overdue, nil
}

package server

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/ofsted/focusedvisits/internal/fieldwork"
	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/web/components"
	"github.com/ofsted/focusedvisits/web/pages"
)

// Children, parents and carers (issue 17, item 5): contacts with what they
// said, and the two checks of the Young People's Board. Children's data
// (DOMAIN decision 17), for the visit's lead, team inspectors and SAOs
// only; every view is recorded. Who may do what is fieldwork.Check's; a
// child's contact needs a parent's or carer's agreement for the case
// (fieldwork.CheckContact), checked again by the store as it records it.

// contactsVisitFor loads the visit for the contact pages and the action.
func (s *Server) contactsVisitFor(r *http.Request, a fieldwork.Action) (visitPageData, error) {
	d, err := s.childDataVisitFor(r)
	if err != nil {
		return visitPageData{}, err
	}
	p, err := s.visitPageOf(r, d, "workspace")
	if err != nil {
		return p, err
	}
	return p, fieldworkError(fieldwork.Check(a, p.u, d, fieldwork.Facts{}))
}

func caseWords(caseID, childID, none string) string {
	if caseID == "" {
		return none
	}
	return "Case " + caseID + ", child " + childID
}

// GET /visits/{visitID}/workspace/contacts
func (s *Server) handleContactsShow(w http.ResponseWriter, r *http.Request) error {
	p, err := s.contactsVisitFor(r, fieldwork.SeeContacts)
	if err != nil {
		return err
	}
	d, u := p.d, p.u
	contacts, err := s.store.ListContacts(r.Context(), d.ID)
	if err != nil {
		return err
	}
	if err := s.recordChildView(r, d, visit.FamilyContacts); err != nil {
		return err
	}
	v := pages.ContactsView{Page: s.page(r, "Contacts with children, parents and carers, "+d.Reference), Header: p.header}
	record := fieldwork.May(fieldwork.RecordContact, u, d, fieldwork.Facts{})
	if record {
		v.AddHref = workspaceHref(d) + "/contacts/new"
	}
	byID := map[string]fieldwork.Contact{}
	for _, c := range contacts {
		byID[c.PublicID] = c
	}
	today := s.today()
	for _, c := range contacts {
		row := pages.ContactRow{HeldOn: timeline.FormatDate(c.HeldOn), Who: c.Description + " (" + fieldwork.WhoLabel(c.Who) + ")",
			About: caseWords(c.CaseID, c.ChildID, "No case"), Mode: fieldwork.ContactModeLabel(c.Mode), By: c.InspectorName, Said: c.Said,
			IsChild: c.Who == "child"}
		if c.IsAnswer() {
			row.Agreement = fieldwork.AgreementLabel(c.Agreement)
			if standing, ok := fieldwork.Standing(contacts, c.SamplePublicID, today); record && ok &&
				standing.PublicID == c.PublicID && c.Agreement == "agreed" {
				row.ChildHref = workspaceHref(d) + "/contacts/new?" + url.Values{"case": {c.SamplePublicID}, "who": {"child"}}.Encode()
			}
		}
		if a, ok := byID[c.AgreementPublicID]; ok {
			row.RestsOn = "With the agreement of " + a.Description + " (" + lowerFirst(fieldwork.WhoLabel(a.Who)) + "), recorded for " + timeline.FormatDate(a.HeldOn)
		}
		v.Contacts = append(v.Contacts, row)
	}
	return s.render(w, r, http.StatusOK, pages.Contacts(v))
}

func (s *Server) contactFormView(r *http.Request, p visitPageData, plan []store.PlanCase, c fieldwork.Contact, df DateField, errs form.Errors) pages.ContactFormView {
	_, inspectors := workspaceInspectors(p.d, c.InspectorID)
	agreement := c.Agreement
	if agreement == "" {
		agreement = "none"
	}
	v := pages.ContactFormView{Page: s.page(r, "Record a contact"), Header: p.header, BackHref: workspaceHref(p.d) + "/contacts",
		Action: workspaceHref(p.d) + "/contacts/new", Who: choiceOptions(fieldwork.ContactWho, c.Who), Description: c.Description,
		Modes: choiceOptions(fieldwork.ContactModes, c.Mode), HeldOn: pages.DateValue(df), Inspectors: inspectors, Said: c.Said,
		Agreements: choiceOptions(fieldwork.Agreements, agreement), Errors: errs}
	v.Cases = append(v.Cases, components.Option{Value: "", Text: "No case", Checked: c.SamplePublicID == ""})
	for _, pc := range plan {
		v.Cases = append(v.Cases, components.Option{Value: pc.SamplePublicID, Text: caseWords(pc.CaseID, pc.ChildID, ""), Checked: pc.SamplePublicID == c.SamplePublicID})
	}
	for _, e := range errs {
		if e.Field == "who" && (e.Message == fieldwork.NoAgreementMessage) {
			v.AgreementHref = workspaceHref(p.d) + "/contacts/new?" + url.Values{"case": {c.SamplePublicID}, "who": {"parent"}}.Encode()
		}
	}
	v.Page.HasErrors = errs.Any()
	return v
}

// GET /visits/{visitID}/workspace/contacts/new
func (s *Server) handleContactNew(w http.ResponseWriter, r *http.Request) error {
	p, err := s.contactsVisitFor(r, fieldwork.RecordContact)
	if err != nil {
		return err
	}
	plan, err := s.store.ListFieldworkPlan(r.Context(), p.d.ID)
	if err != nil {
		return err
	}
	if err := s.recordChildView(r, p.d, visit.CaseSample); err != nil {
		return err
	}
	c := fieldwork.Contact{InspectorID: p.u.ID}
	q := r.URL.Query()
	for _, pc := range plan {
		if pc.SamplePublicID == q.Get("case") {
			c.SamplePublicID = pc.SamplePublicID
		}
	}
	switch who := q.Get("who"); who {
	case "child", "parent", "carer":
		c.Who = who
		if who != "child" && c.SamplePublicID != "" {
			c.Agreement = "agreed" // the way here from a refused child contact
		}
	}
	return s.render(w, r, http.StatusOK, pages.ContactForm(s.contactFormView(r, p, plan, c, fieldOf(s.today()), nil)))
}

// POST /visits/{visitID}/workspace/contacts/new
func (s *Server) handleContactCreate(w http.ResponseWriter, r *http.Request) error {
	p, err := s.contactsVisitFor(r, fieldwork.RecordContact)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	f := func(name string) string { return clean(r.PostForm.Get(name)) }
	inspector, _ := strconv.ParseInt(r.PostForm.Get("inspector"), 10, 64)
	c := fieldwork.Contact{SamplePublicID: f("case"), Who: f("who"), Description: f("description"), Mode: f("mode"),
		InspectorID: inspector, Said: f("said"), Agreement: f("agreement")}
	if c.Agreement == "none" {
		c.Agreement = ""
	}
	df := dateField(r, "held-on")
	var msg string
	c.HeldOn, msg = df.Parse("The date of the contact")
	ctx := r.Context()
	plan, err := s.store.ListFieldworkPlan(ctx, p.d.ID)
	if err != nil {
		return err
	}
	for attempt := 0; ; attempt++ {
		earlier, err := s.store.ListContacts(ctx, p.d.ID)
		if err != nil {
			return err
		}
		facts := fieldwork.ContactFacts{DateMsg: msg, Today: s.today(), Earlier: earlier}
		facts.Inspectors, _ = workspaceInspectors(p.d, 0)
		for _, pc := range plan {
			facts.Samples = append(facts.Samples, pc.SamplePublicID)
		}
		errs, agreement := fieldwork.CheckContact(c, facts)
		if !errs.Any() {
			err = s.store.AddContact(ctx, p.d.ID, c, agreement, p.u)
			if errors.Is(err, store.ErrConflict) && attempt == 0 {
				continue // an answer was recorded meanwhile: check again
			}
			if errors.Is(err, store.ErrConflict) {
				errs.Add("who", fieldwork.NoAgreementMessage)
			} else if err != nil {
				return err
			}
		}
		if errs.Any() {
			if err := s.recordChildView(r, p.d, visit.CaseSample); err != nil {
				return err
			}
			return s.render(w, r, http.StatusUnprocessableEntity, pages.ContactForm(s.contactFormView(r, p, plan, c, df, errs)))
		}
		break
	}
	s.flash(r, "Contact with "+c.Description+" recorded.")
	http.Redirect(w, r, workspaceHref(p.d)+"/contacts", http.StatusSeeOther)
	return nil
}

// GET /visits/{visitID}/workspace/checks
func (s *Server) handleChecksShow(w http.ResponseWriter, r *http.Request) error {
	p, err := s.contactsVisitFor(r, fieldwork.SeeContacts)
	if err != nil {
		return err
	}
	d, ctx := p.d, r.Context()
	views, err := s.store.ListViewsChecks(ctx, d.ID)
	if err != nil {
		return err
	}
	offices, err := s.store.ListOfficeChecks(ctx, d.ID)
	if err != nil {
		return err
	}
	if err := s.recordChildView(r, d, visit.ChildrenChecks); err != nil {
		return err
	}
	v := pages.ChecksView{Page: s.page(r, "Children's views and offices, "+d.Reference), Header: p.header}
	if fieldwork.May(fieldwork.RecordContact, p.u, d, fieldwork.Facts{}) {
		v.AddViewsHref, v.AddOfficeHref = workspaceHref(d)+"/checks/views/new", workspaceHref(d)+"/checks/office/new"
	}
	for _, c := range views {
		v.Views = append(v.Views, pages.ViewsRow{About: caseWords(c.CaseID, c.ChildID, "The visit as a whole"),
			Judgement: fieldwork.ViewsLabel(c.Judgement), Notes: c.Notes, By: c.ByName, At: timeline.FormatTime(c.RecordedAt)})
	}
	for _, o := range offices {
		row := pages.OfficeRow{Office: o.Office, VisitedOn: timeline.FormatDate(o.VisitedOn), Notes: o.Notes, By: o.ByName}
		for _, it := range fieldwork.OfficeChecklist {
			met := false
			for _, seen := range o.Items {
				met = met || seen == it.Value
			}
			row.Items = append(row.Items, pages.OfficeItem{Label: it.Label, Met: met})
		}
		v.Offices = append(v.Offices, row)
	}
	return s.render(w, r, http.StatusOK, pages.Checks(v))
}

func (s *Server) viewsFormView(r *http.Request, p visitPageData, plan []store.PlanCase, c fieldwork.ViewsCheck, errs form.Errors) pages.ViewsFormView {
	v := pages.ViewsFormView{Page: s.page(r, "How well children's views are heard"), Header: p.header, BackHref: workspaceHref(p.d) + "/checks",
		Action: workspaceHref(p.d) + "/checks/views/new", Judgements: choiceOptions(fieldwork.ViewsJudgements, c.Judgement), Notes: c.Notes, Errors: errs}
	v.Cases = append(v.Cases, components.Option{Value: "", Text: "The visit as a whole", Checked: c.SamplePublicID == ""})
	for _, pc := range plan {
		v.Cases = append(v.Cases, components.Option{Value: pc.SamplePublicID, Text: caseWords(pc.CaseID, pc.ChildID, ""), Checked: pc.SamplePublicID == c.SamplePublicID})
	}
	v.Page.HasErrors = errs.Any()
	return v
}

// GET /visits/{visitID}/workspace/checks/views/new
func (s *Server) handleViewsCheckNew(w http.ResponseWriter, r *http.Request) error {
	p, err := s.contactsVisitFor(r, fieldwork.RecordContact)
	if err != nil {
		return err
	}
	plan, err := s.store.ListFieldworkPlan(r.Context(), p.d.ID)
	if err != nil {
		return err
	}
	if err := s.recordChildView(r, p.d, visit.CaseSample); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, pages.ViewsForm(s.viewsFormView(r, p, plan, fieldwork.ViewsCheck{}, nil)))
}

// POST /visits/{visitID}/workspace/checks/views/new
func (s *Server) handleViewsCheckCreate(w http.ResponseWriter, r *http.Request) error {
	p, err := s.contactsVisitFor(r, fieldwork.RecordContact)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	c := fieldwork.ViewsCheck{SamplePublicID: clean(r.PostForm.Get("case")), Judgement: clean(r.PostForm.Get("judgement")), Notes: clean(r.PostForm.Get("notes"))}
	plan, err := s.store.ListFieldworkPlan(r.Context(), p.d.ID)
	if err != nil {
		return err
	}
	var samples []string
	for _, pc := range plan {
		samples = append(samples, pc.SamplePublicID)
	}
	if errs := fieldwork.CheckViews(c, samples); errs.Any() {
		if err := s.recordChildView(r, p.d, visit.CaseSample); err != nil {
			return err
		}
		return s.render(w, r, http.StatusUnprocessableEntity, pages.ViewsForm(s.viewsFormView(r, p, plan, c, errs)))
	}
	if err := s.store.AddViewsCheck(r.Context(), p.d.ID, c, p.u); err != nil {
		return err
	}
	s.flash(r, "How well children's views are heard: recorded.")
	http.Redirect(w, r, workspaceHref(p.d)+"/checks#views", http.StatusSeeOther)
	return nil
}

func (s *Server) officeFormView(r *http.Request, p visitPageData, o fieldwork.OfficeCheck, df DateField, errs form.Errors) pages.OfficeFormView {
	v := pages.OfficeFormView{Page: s.page(r, "How welcoming is the office?"), Header: p.header, BackHref: workspaceHref(p.d) + "/checks",
		Action: workspaceHref(p.d) + "/checks/office/new", Office: o.Office, VisitedOn: pages.DateValue(df), Notes: o.Notes, Errors: errs}
	for _, it := range fieldwork.OfficeChecklist {
		seen := false
		for _, s := range o.Items {
			seen = seen || s == it.Value
		}
		v.Items = append(v.Items, components.Option{Value: it.Value, Text: it.Label, Checked: seen})
	}
	v.Page.HasErrors = errs.Any()
	return v
}

// GET /visits/{visitID}/workspace/checks/office/new
func (s *Server) handleOfficeCheckNew(w http.ResponseWriter, r *http.Request) error {
	p, err := s.contactsVisitFor(r, fieldwork.RecordContact)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, pages.OfficeForm(s.officeFormView(r, p, fieldwork.OfficeCheck{}, fieldOf(s.today()), nil)))
}

// POST /visits/{visitID}/workspace/checks/office/new
func (s *Server) handleOfficeCheckCreate(w http.ResponseWriter, r *http.Request) error {
	p, err := s.contactsVisitFor(r, fieldwork.RecordContact)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	o := fieldwork.OfficeCheck{Office: clean(r.PostForm.Get("office")), Notes: clean(r.PostForm.Get("notes"))}
	for _, it := range r.PostForm["items"] {
		o.Items = append(o.Items, clean(it))
	}
	df := dateField(r, "visited-on")
	var msg string
	o.VisitedOn, msg = df.Parse("The date of the visit to the office")
	if errs := fieldwork.CheckOffice(o, msg, s.today()); errs.Any() {
		return s.render(w, r, http.StatusUnprocessableEntity, pages.OfficeForm(s.officeFormView(r, p, o, df, errs)))
	}
	if err := s.store.AddOfficeCheck(r.Context(), p.d.ID, o, p.u); err != nil {
		return err
	}
	s.flash(r, "Check of "+o.Office+" recorded.")
	http.Redirect(w, r, workspaceHref(p.d)+"/checks#offices", http.StatusSeeOther)
	return nil
}

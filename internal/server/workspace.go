package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/ofsted/focusedvisits/internal/feedback"
	"github.com/ofsted/focusedvisits/internal/fieldwork"
	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/web/components"
	"github.com/ofsted/focusedvisits/web/pages"
)

// The visit workspace (issue 17): the set-up call record, conversations
// with stakeholders and the fieldwork plan. internal/fieldwork decides who
// may see and do what; a refusal of something not the user's to know about
// answers as for something that is not there.

func workspaceHref(d visit.Details) string { return visitHref(d) + "/workspace" }

// fieldworkError turns a refusal by fieldwork.Check into the answer.
func fieldworkError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, fieldwork.ErrNotThere):
		return notFound(err)
	}
	return forbidden(err)
}

// workspaceInspectors are the visit's lead and team inspectors, as user ids
// and as choices.
func workspaceInspectors(d visit.Details, chosen int64) ([]int64, []components.Option) {
	var ids []int64
	for _, m := range d.Members {
		if m.Role == visit.RoleLead || m.Role == visit.RoleTeam {
			ids = append(ids, m.UserID)
		}
	}
	return ids, sampleInspectors(d, chosen)
}

func choiceOptions(cs []fieldwork.Choice, chosen string) []components.Option {
	var o []components.Option
	for _, c := range cs {
		o = append(o, components.Option{Value: c.Value, Text: c.Label, Checked: c.Value == chosen})
	}
	return o
}

// GET /visits/{visitID}/workspace
func (s *Server) handleWorkspaceShow(w http.ResponseWriter, r *http.Request) error {
	p, err := s.visitPage(r, "workspace")
	if err != nil {
		return err
	}
	d, u := p.d, p.u
	if err := fieldworkError(fieldwork.Check(fieldwork.SeeSetUp, u, d, fieldwork.Facts{})); err != nil {
		return err
	}
	ctx := r.Context()
	v := pages.WorkspaceView{Page: s.page(r, "Visit workspace, "+d.Reference), Header: p.header, IsCafcass: p.a.Cafcass}
	c, ok, err := s.store.GetSetUpCall(ctx, d.ID)
	if err != nil {
		return err
	}
	if ok {
		notes := fieldwork.May(fieldwork.SeeSetUpNotes, u, d, fieldwork.Facts{})
		for _, f := range fieldwork.SetUpFields {
			if f.Internal && !notes {
				continue // Ofsted's alone
			}
			val := f.Value(c)
			if val == "" {
				val = "None recorded"
			}
			v.SetUp = append(v.SetUp, components.SummaryRow{Key: f.Label, Value: val})
		}
	}
	if fieldwork.May(fieldwork.EditSetUp, u, d, fieldwork.Facts{}) {
		v.SetUpHref = workspaceHref(d) + "/set-up"
	}
	if fieldwork.May(fieldwork.SeeStakeholders, u, d, fieldwork.Facts{}) {
		v.ShowStakeholders = true
		cs, err := s.store.ListConversations(ctx, d.ID)
		if err != nil {
			return err
		}
		for _, c := range cs {
			v.Conversations = append(v.Conversations, pages.ConversationRow{
				Kind: fieldwork.KindLabel(c.Kind), Who: c.Who, HeldOn: timeline.FormatDate(c.HeldOn), HeldBy: c.HeldByName, Note: c.Note})
		}
		if fieldwork.May(fieldwork.RecordStakeholder, u, d, fieldwork.Facts{}) {
			v.AddConversationHref = workspaceHref(d) + "/stakeholders/new"
		}
	}
	switch {
	case fieldwork.May(fieldwork.SeePlan, u, d, fieldwork.Facts{}):
		v.FieldworkHref, v.FieldworkText = workspaceHref(d)+"/fieldwork", "Fieldwork plan: case discussions and your schedule"
	case p.a.Cafcass && visit.CanSeeChildRecord(u, d, visit.CaseSample, false):
		v.FieldworkHref, v.FieldworkText = workspaceHref(d)+"/fieldwork", "Case discussions to arrange"
	}
	if fieldwork.May(fieldwork.SeeEvidence, u, d, fieldwork.Facts{}) {
		v.EvidenceHref = workspaceHref(d) + "/evidence"
	}
	if fieldwork.May(fieldwork.SeeContacts, u, d, fieldwork.Facts{}) {
		v.ContactsHref, v.ChecksHref = workspaceHref(d)+"/contacts", workspaceHref(d)+"/checks"
	}
	if feedback.May(feedback.SeeAnswers, u, d, feedback.Facts{}) {
		v.FeedbackHref = workspaceHref(d) + "/feedback"
	}
	return s.render(w, r, http.StatusOK, pages.Workspace(v))
}

// setUpVisitFor loads the visit for recording its set-up call.
func (s *Server) setUpVisitFor(r *http.Request) (visitPageData, error) {
	p, err := s.visitPage(r, "workspace")
	if err != nil {
		return p, err
	}
	return p, fieldworkError(fieldwork.Check(fieldwork.EditSetUp, p.u, p.d, fieldwork.Facts{}))
}

func setUpFormView(v pages.SetUpFormView, c fieldwork.SetUpCall) pages.SetUpFormView {
	v.Values = map[string]string{}
	for _, f := range fieldwork.SetUpFields {
		if f.ID != "held-on" {
			v.Values[f.ID] = f.Value(c)
		}
	}
	v.Version = c.Version
	v.PrioritiesProtocol = choiceOptions(fieldwork.YesNo, c.PrioritiesProtocol)
	v.RecordAccess = choiceOptions(fieldwork.RecordAccess, c.RecordAccess)
	v.EvidenceMix = choiceOptions(fieldwork.EvidenceMix, c.EvidenceMix)
	return v
}

// GET /visits/{visitID}/workspace/set-up
func (s *Server) handleSetUpEdit(w http.ResponseWriter, r *http.Request) error {
	p, err := s.setUpVisitFor(r)
	if err != nil {
		return err
	}
	c, _, err := s.store.GetSetUpCall(r.Context(), p.d.ID)
	if err != nil {
		return err
	}
	v := pages.SetUpFormView{Page: s.page(r, "Set-up call"), Header: p.header, BackHref: workspaceHref(p.d), Action: workspaceHref(p.d) + "/set-up",
		HeldOn: pages.DateValue(fieldOf(c.HeldOn))}
	return s.render(w, r, http.StatusOK, pages.SetUpForm(setUpFormView(v, c)))
}

// POST /visits/{visitID}/workspace/set-up
func (s *Server) handleSetUpUpdate(w http.ResponseWriter, r *http.Request) error {
	p, err := s.setUpVisitFor(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	f := func(name string) string { return clean(r.PostForm.Get(name)) }
	c := fieldwork.SetUpCall{
		OversightChanges: f("oversight-changes"), PrioritiesProtocol: f("priorities-protocol"), Offices: f("offices"),
		WorkingPractice: f("working-practice"), RecordAccess: f("record-access"), EvidenceMix: f("evidence-mix"),
		EvidenceDetail: f("evidence-detail"), AuditList: f("audit-list"), Adjustments: f("adjustments"),
		OtherAgreed: f("other-agreed"), InternalNotes: f("internal-notes"), Version: formVersion(r.PostForm.Get("version")),
	}
	df := dateField(r, "held-on")
	var msg string
	c.HeldOn, msg = df.Parse("The date of the set-up call")
	errs := fieldwork.CheckSetUp(c, msg, s.today())
	if !errs.Any() {
		u, _ := currentUser(r.Context())
		err := s.store.SaveSetUpCall(r.Context(), p.d.ID, c, u)
		if errors.Is(err, store.ErrConflict) {
			errs.Add("held-on", "Someone else changed the set-up call record while you were editing it: reload the page to see their changes")
		} else if err != nil {
			return err
		} else {
			s.flash(r, "Set-up call record saved.")
			http.Redirect(w, r, workspaceHref(p.d)+"#set-up", http.StatusSeeOther)
			return nil
		}
	}
	v := pages.SetUpFormView{Page: s.page(r, "Set-up call"), Header: p.header, BackHref: workspaceHref(p.d), Action: workspaceHref(p.d) + "/set-up",
		HeldOn: pages.DateValue(df), Errors: errs}
	v.Page.HasErrors = true
	return s.render(w, r, http.StatusUnprocessableEntity, pages.SetUpForm(setUpFormView(v, c)))
}

// conversationVisitFor loads the visit for recording a conversation.
func (s *Server) conversationVisitFor(r *http.Request) (visitPageData, error) {
	p, err := s.visitPage(r, "workspace")
	if err != nil {
		return p, err
	}
	return p, fieldworkError(fieldwork.Check(fieldwork.RecordStakeholder, p.u, p.d, fieldwork.Facts{}))
}

func (s *Server) conversationView(r *http.Request, p visitPageData, c fieldwork.Conversation, df DateField, errs form.Errors) pages.ConversationFormView {
	_, inspectors := workspaceInspectors(p.d, c.HeldBy)
	v := pages.ConversationFormView{Page: s.page(r, "Record a conversation with a stakeholder"), Header: p.header,
		BackHref: workspaceHref(p.d) + "#stakeholders", Action: workspaceHref(p.d) + "/stakeholders/new",
		Kinds: choiceOptions(fieldwork.StakeholderKinds, c.Kind), Who: c.Who, HeldOn: pages.DateValue(df), Inspectors: inspectors,
		Note: c.Note, Errors: errs}
	v.Page.HasErrors = errs.Any()
	return v
}

// GET /visits/{visitID}/workspace/stakeholders/new
func (s *Server) handleConversationNew(w http.ResponseWriter, r *http.Request) error {
	p, err := s.conversationVisitFor(r)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, pages.ConversationForm(s.conversationView(r, p, fieldwork.Conversation{HeldBy: p.u.ID}, DateField{}, nil)))
}

// POST /visits/{visitID}/workspace/stakeholders/new
func (s *Server) handleConversationCreate(w http.ResponseWriter, r *http.Request) error {
	p, err := s.conversationVisitFor(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	heldBy, _ := strconv.ParseInt(r.PostForm.Get("held-by"), 10, 64)
	c := fieldwork.Conversation{Kind: clean(r.PostForm.Get("kind")), Who: clean(r.PostForm.Get("who")), HeldBy: heldBy, Note: clean(r.PostForm.Get("note"))}
	df := dateField(r, "held-on")
	var msg string
	c.HeldOn, msg = df.Parse("The date of the conversation")
	ids, _ := workspaceInspectors(p.d, 0)
	errs := fieldwork.CheckConversation(c, msg, s.today(), ids)
	if errs.Any() {
		return s.render(w, r, http.StatusUnprocessableEntity, pages.ConversationForm(s.conversationView(r, p, c, df, errs)))
	}
	if err := s.store.AddConversation(r.Context(), p.d.ID, c, p.u); err != nil {
		return err
	}
	s.flash(r, "Conversation with "+c.Who+" recorded.")
	http.Redirect(w, r, workspaceHref(p.d)+"#stakeholders", http.StatusSeeOther)
	return nil
}

package server

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/ofsted/focusedvisits/internal/annexa"
	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/web/components"
	"github.com/ofsted/focusedvisits/web/pages"
)

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
		v.Summary = append(v.Summary, components.SummaryRow{Key: "Last submitted", Value: timeline.FormatTime(it.SubmittedAt)})
	}
	if v.Files, err = s.itemFiles(r, d, it); err != nil {
		return v, err
	}

	by := annexa.ActorFor(u, d)
	next := annexa.Next(by, itemFacts(d, it))
	offers := func(a annexa.Action) bool { return slices.Contains(next, a) }
	v.CanSubmit, v.CanNotHeld, v.CanStart = offers(annexa.Submit), offers(annexa.MarkNotHeld), offers(annexa.Start)
	v.CanSetCoverage, v.CanAsk = offers(annexa.SetCoverage), offers(annexa.Ask)
	v.CanAccept, v.CanReturn = offers(annexa.Accept), offers(annexa.Return)
	v.NeedsCoverage = by.Cafcass && it.Kind.NeedsCoverage()
	if v.CanAsk {
		v.NotHeldReason, v.Question = in.NotHeldReason, in.Question
		from, to := in.CoversFrom, in.CoversTo
		if from.Blank() && to.Blank() && it.HasCoverage() {
			from, to = fieldOf(it.CoversFrom), fieldOf(it.CoversTo)
		}
		v.CoversFrom = pages.DeferralDateInput(from)
		v.CoversTo = pages.DeferralDateInput(to)
		v.Askable = askable(d, in.AddressedTo)
	}
	v.ReturnReason = in.ReturnReason
	v.SubmitAction, v.NotHeldAction, v.StartAction = itemHref(d, it)+"/submit", itemHref(d, it)+"/not-held", itemHref(d, it)+"/start"
	v.CoverageAction, v.AskAction = itemHref(d, it)+"/coverage", itemHref(d, it)+"/questions"
	v.AcceptAction, v.ReturnAction = itemHref(d, it)+"/accept", itemHref(d, it)+"/return"
	answers := offers(annexa.Answer)
	qs, err := s.store.ListQuestions(ctx, it.ID)
	if err != nil {
		return v, err
	}
	for _, q := range qs {
		qv := pages.QuestionView{
			ID: q.PublicID, Question: q.Question, AskedOf: q.AddressedToName,
			AskedBy:     q.AskedByName + ", " + timeline.FormatTime(q.AskedAt),
			Answer:      q.Answer,
			AnswerField: "answer-" + q.PublicID,
		}
		if q.Answered() {
			qv.AnsweredBy = q.AnsweredByName + ", " + timeline.FormatTime(q.AnsweredAt)
		} else if answers {
			qv.CanAnswer = true
			qv.Action = itemHref(d, it) + "/questions/" + q.PublicID + "/answer"
			if in.AnswerTo == q.PublicID {
				qv.TypedAnswer = in.Answer
			}
		}
		v.Questions = append(v.Questions, qv)
	}
	return v, nil
}

// itemFacts are what the rules need to know of an item of visit d.
func itemFacts(d visit.Details, it store.RequestItem) annexa.Facts {
	return annexa.Facts{Status: it.Status, Kind: it.Kind, VisitActive: d.Status == visit.Active, HasCoverage: it.HasCoverage()}
}

// askable are whom Cafcass may ask about an item: the visit's lead
// inspector and senior analytical officers.
func askable(d visit.Details, chosen string) []components.Option {
	opts := []components.Option{{Value: "", Text: "Choose who to ask", Checked: chosen == ""}}
	for _, m := range annexa.Askable(d) {
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

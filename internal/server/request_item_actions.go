package server

import (
	"errors"
	"net/http"

	"github.com/ofsted/focusedvisits/internal/annexa"
	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/publicid"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/web/pages"
)

// The actions on one item of the request, each on its own POST route, each
// allowed by annexa.Check: the rule the item's page used to offer it.

// itemAction is an item, who acts on it and what they typed.
type itemAction struct {
	d  visit.Details
	it store.RequestItem
	by annexa.Actor
	in itemInput
}

// readItemInput reads what may be typed on an item's page.
func readItemInput(r *http.Request) itemInput {
	return itemInput{
		CoversFrom: dateField(r, "covers-from"), CoversTo: dateField(r, "covers-to"),
		NotHeldReason: clean(r.PostForm.Get("not-held-reason")),
		ReturnReason:  clean(r.PostForm.Get("return-reason")),
		AddressedTo:   r.PostForm.Get("addressed-to"),
		Question:      clean(r.PostForm.Get("question")),
		Answer:        clean(r.PostForm.Get("answer")),
	}
}

// itemActionFor loads the item named in the URL and reads the form.
func (s *Server) itemActionFor(w http.ResponseWriter, r *http.Request) (itemAction, error) {
	d, it, err := s.itemFor(r)
	if err != nil {
		return itemAction{}, err
	}
	if err := parseForm(w, r); err != nil {
		return itemAction{}, err
	}
	u, _ := currentUser(r.Context())
	return itemAction{d: d, it: it, by: annexa.ActorFor(u, d), in: readItemInput(r)}, nil
}

// itemFailed shows the item's page again with errs, at 422.
func (s *Server) itemFailed(w http.ResponseWriter, r *http.Request, ia itemAction, errs form.Errors) error {
	v, err := s.itemShowView(r, ia.d, ia.it, ia.in, errs)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusUnprocessableEntity, pages.RequestItemShow(v))
}

// itemRefused answers an action annexa.Check refused: 403 for what is never
// the user's, 400 on a cancelled visit, else the page with the reason by
// its field.
func (s *Server) itemRefused(w http.ResponseWriter, r *http.Request, ia itemAction, err error) error {
	var re *annexa.RuleError
	switch {
	case errors.Is(err, annexa.ErrNotYours):
		return forbidden(err)
	case errors.Is(err, annexa.ErrCancelled):
		return badRequest(err)
	case !errors.As(err, &re):
		return err
	}
	return s.itemFailed(w, r, ia, form.Errors{{Field: re.Field, Message: re.Message, Anchor: re.Anchor}})
}

// itemDone flashes msg and goes back to the item's page.
func (s *Server) itemDone(w http.ResponseWriter, r *http.Request, ia itemAction, msg string) error {
	s.flash(r, msg)
	http.Redirect(w, r, itemHref(ia.d, ia.it), http.StatusSeeOther)
	return nil
}

// moveItem takes a status move: the action's rule, what it needs, then the
// store's compare-and-set on the status.
func (s *Server) moveItem(w http.ResponseWriter, r *http.Request, a annexa.Action, done string) error {
	ia, err := s.itemActionFor(w, r)
	if err != nil {
		return err
	}
	f := itemFacts(ia.d, ia.it)
	field := map[annexa.Action]string{annexa.MarkNotHeld: "not-held-reason", annexa.Return: "return-reason"}[a]
	f.Reason = map[annexa.Action]string{annexa.MarkNotHeld: ia.in.NotHeldReason, annexa.Return: ia.in.ReturnReason}[a]
	ctx := r.Context()
	if a == annexa.Submit {
		if f.HasFiles, err = s.store.ItemHasFiles(ctx, ia.it.ID); err != nil {
			return err
		}
	}
	if err := annexa.Check(a, ia.by, f); err != nil {
		return s.itemRefused(w, r, ia, err)
	}
	if errs := annexa.ValidReason(field, f.Reason); field != "" && errs.Any() {
		return s.itemFailed(w, r, ia, errs)
	}
	to := map[annexa.Action]annexa.Status{annexa.Submit: annexa.Submitted, annexa.MarkNotHeld: annexa.NotHeld, annexa.Start: annexa.InProgress,
		annexa.Accept: annexa.Accepted, annexa.Return: annexa.Returned}[a]
	u, _ := currentUser(ctx)
	err = s.store.SetItemStatus(ctx, ia.it.ID, ia.it.Status, to, f.Reason, u)
	if errors.Is(err, store.ErrConflict) || errors.Is(err, annexa.ErrNoFiles) {
		// Moved, or its last file removed, since the page was read.
		refused := annexa.Refusal(a, ia.it.Status)
		if errors.Is(err, annexa.ErrNoFiles) {
			refused = &annexa.RuleError{Action: a, Field: "files", Message: "Upload at least one file before you mark the item as submitted"}
		}
		if ia.it, err = s.store.GetItem(ctx, ia.d.ID, ia.it.ID); err != nil {
			return err
		}
		return s.itemRefused(w, r, ia, refused)
	}
	if err != nil {
		return err
	}
	return s.itemDone(w, r, ia, ia.it.Number+" "+done+".")
}

func (s *Server) handleRequestItemSubmit(w http.ResponseWriter, r *http.Request) error {
	return s.moveItem(w, r, annexa.Submit, "marked as submitted")
}

func (s *Server) handleRequestItemNotHeld(w http.ResponseWriter, r *http.Request) error {
	return s.moveItem(w, r, annexa.MarkNotHeld, "marked as not held")
}

func (s *Server) handleRequestItemStart(w http.ResponseWriter, r *http.Request) error {
	return s.moveItem(w, r, annexa.Start, "is in progress again")
}

func (s *Server) handleRequestItemAccept(w http.ResponseWriter, r *http.Request) error {
	return s.moveItem(w, r, annexa.Accept, "accepted")
}

func (s *Server) handleRequestItemReturn(w http.ResponseWriter, r *http.Request) error {
	return s.moveItem(w, r, annexa.Return, "returned to Cafcass")
}

func (s *Server) handleRequestItemCoverage(w http.ResponseWriter, r *http.Request) error {
	ia, err := s.itemActionFor(w, r)
	if err != nil {
		return err
	}
	if err := annexa.Check(annexa.SetCoverage, ia.by, itemFacts(ia.d, ia.it)); err != nil {
		return s.itemRefused(w, r, ia, err)
	}
	from, to, errs := parseCoverage(ia.in.CoversFrom, ia.in.CoversTo)
	if errs.Any() {
		return s.itemFailed(w, r, ia, errs)
	}
	u, _ := currentUser(r.Context())
	if err := s.store.SetCoverage(r.Context(), ia.it.ID, from, to, u); err != nil {
		return err
	}
	return s.itemDone(w, r, ia, "Dates the list covers saved.")
}

func (s *Server) handleRequestItemAsk(w http.ResponseWriter, r *http.Request) error {
	ia, err := s.itemActionFor(w, r)
	if err != nil {
		return err
	}
	if err := annexa.Check(annexa.Ask, ia.by, itemFacts(ia.d, ia.it)); err != nil {
		return s.itemRefused(w, r, ia, err)
	}
	var ids []int64
	for _, m := range annexa.Askable(ia.d) {
		ids = append(ids, m.UserID)
	}
	to, errs := annexa.QuestionForm{AddressedTo: ia.in.AddressedTo, Question: ia.in.Question}.Valid(ids)
	if errs.Any() {
		return s.itemFailed(w, r, ia, errs)
	}
	u, _ := currentUser(r.Context())
	if _, err := s.store.AskQuestion(r.Context(), ia.it.ID, to, ia.in.Question, u); err != nil {
		return err
	}
	return s.itemDone(w, r, ia, "Question sent.")
}

func (s *Server) handleRequestItemAnswer(w http.ResponseWriter, r *http.Request) error {
	ia, err := s.itemActionFor(w, r)
	if err != nil {
		return err
	}
	qid, ok := publicIDParam(r, "questionID")
	if !ok || !publicid.Valid(qid) {
		return store.ErrNotFound // names no question
	}
	if err := annexa.Check(annexa.Answer, ia.by, itemFacts(ia.d, ia.it)); err != nil {
		return s.itemRefused(w, r, ia, err)
	}
	ia.in.AnswerTo = qid
	if errs := annexa.ValidAnswer("answer-"+qid, ia.in.Answer); errs.Any() {
		return s.itemFailed(w, r, ia, errs)
	}
	u, _ := currentUser(r.Context())
	err = s.store.AnswerQuestion(r.Context(), ia.it.ID, qid, ia.in.Answer, u)
	switch {
	case errors.Is(err, store.ErrConflict):
		return s.itemDone(w, r, ia, "That question had already been answered.")
	case err != nil:
		return err
	}
	return s.itemDone(w, r, ia, "Answer sent.")
}

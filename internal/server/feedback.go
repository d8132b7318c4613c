package server

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/ofsted/focusedvisits/internal/feedback"
	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
	"github.com/ofsted/focusedvisits/web/components"
	"github.com/ofsted/focusedvisits/web/pages"
)

// The anonymous feedback form for children and young people (issue 17.6):
// public, no sign-in, no session written, a visit found by the short code
// Cafcass passes on. Every POST counts against the client address's limit
// (FEEDBACK_ADDRESS_LIMIT) and every answer stored against the code's
// (FEEDBACK_CODE_LIMIT); the body is bounded; the text stored is plain
// and without obvious identifiers (feedback.Answer.Clean). The answers are
// children's data (DOMAIN decision 17), read on the team's page.

// feedbackLimits are the feedback form's limits, per instance.
type feedbackLimits struct {
	address, code *feedback.Limiter
}

func newFeedbackLimits(perAddress, perCode int) feedbackLimits {
	return feedbackLimits{
		address: &feedback.Limiter{Max: perAddress, Window: time.Hour, MaxKeys: 100_000},
		code:    &feedback.Limiter{Max: perCode, Window: time.Hour, MaxKeys: 100_000},
	}
}

// errFeedbackLimited is a request over a limit; wait is how long until the
// limit's window ends.
type errFeedbackLimited struct{ wait time.Duration }

func (e errFeedbackLimited) Error() string { return "feedback: over the limit" }

// feedbackURL is where children enter their code.
func (s *Server) feedbackURL() string { return s.cfg.BaseURL.JoinPath("feedback").String() }

// GET /feedback
func (s *Server) handleFeedbackShow(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, pages.FeedbackCode(pages.FeedbackCodeView{Page: s.page(r, "Tell us about Cafcass")}))
}

// feedbackRequest counts a POST against the client address's limit and
// reads its bounded form.
func (s *Server) feedbackRequest(w http.ResponseWriter, r *http.Request) error {
	addr := user.AddressKey(clientAddress(r, s.cfg.TrustedProxies))
	if ok, wait := s.feedbackLimits.address.Allow(addr, s.now()); !ok {
		return errFeedbackLimited{wait}
	}
	return parseFormUpTo(w, r, feedback.MaxBodyBytes)
}

// feedbackLimited answers a request over a limit: 429, with the page that
// says to wait.
func (s *Server) feedbackLimited(w http.ResponseWriter, r *http.Request, err error) (bool, error) {
	var lim errFeedbackLimited
	if !errors.As(err, &lim) {
		return false, err
	}
	s.log.InfoContext(r.Context(), "feedback limited", "request_id", requestID(r.Context()))
	w.Header().Set("Retry-After", strconv.Itoa(int(lim.wait.Seconds())+1))
	v := pages.FeedbackDoneView{Page: s.page(r, "Please wait before you try again"), Limited: true, Wait: minutes(lim.wait)}
	return true, s.render(w, r, http.StatusTooManyRequests, pages.FeedbackDone(v))
}

// feedbackVisit finds the visit whose form the code typed opens: its id,
// or form errors saying the code is not right (the same for a code that
// does not exist and one of a visit before notice or cancelled: DOMAIN
// decision 9) or the form is closed.
func (s *Server) feedbackVisit(r *http.Request, typed string) (int64, string, form.Errors, error) {
	var errs form.Errors
	code, ok := feedback.NormalizeCode(typed)
	if !ok {
		if typed == "" {
			errs.Add("code", "Enter your code")
		} else {
			errs.Add("code", "Enter the code you were given, with 8 letters and numbers, like K7QP-M4XD")
		}
		return 0, "", errs, nil
	}
	d, err := s.store.FeedbackVisit(r.Context(), code)
	if errors.Is(err, store.ErrNotFound) {
		errs.Add("code", "That code is not right. Check it and try again")
		return 0, code, errs, nil
	}
	if err != nil {
		return 0, code, nil, err
	}
	closes, err := s.feedbackClosesOn(r, d)
	if err != nil {
		return 0, code, nil, err
	}
	if !feedback.Open(d, closes, s.today()) {
		errs.Add("code", "This form is closed. Thank you for wanting to tell us")
		return 0, code, errs, nil
	}
	return d.ID, code, nil, nil
}

// feedbackClosesOn is the last day the visit's form is open, from the
// last day of fieldwork in its current plan.
func (s *Server) feedbackClosesOn(r *http.Request, d visit.Details) (workday.Date, error) {
	cal, err := s.calendarFor(r.Context(), d)
	if err != nil {
		return workday.Date{}, err
	}
	plan, err := s.datesOf(cal, d)
	if err != nil {
		return workday.Date{}, err
	}
	fw, ok := plan.Milestone(timeline.CodeFieldwork)
	if !ok {
		return workday.Date{}, errors.New("feedback: the plan has no fieldwork")
	}
	return feedback.ClosesOn(cal.cal, fw.Last())
}

// POST /feedback: the code, then the questions.
func (s *Server) handleFeedbackCode(w http.ResponseWriter, r *http.Request) error {
	if err := s.feedbackRequest(w, r); err != nil {
		_, err = s.feedbackLimited(w, r, err)
		return err
	}
	typed := clean(r.PostForm.Get("code"))
	_, code, errs, err := s.feedbackVisit(r, typed)
	if err != nil {
		return err
	}
	if errs.Any() {
		return s.feedbackCodeAgain(w, r, typed, errs)
	}
	return s.render(w, r, http.StatusOK, pages.FeedbackQuestions(s.feedbackQuestions(r, code, feedback.Answer{}, nil)))
}

// feedbackCodeAgain shows the code's page again with what was typed (cut
// to a sensible length) and why it was refused.
func (s *Server) feedbackCodeAgain(w http.ResponseWriter, r *http.Request, typed string, errs form.Errors) error {
	if r := []rune(typed); len(r) > 64 {
		typed = string(r[:64])
	}
	v := pages.FeedbackCodeView{Page: s.page(r, "Tell us about Cafcass"), Code: typed, Errors: errs}
	v.Page.HasErrors = true
	return s.render(w, r, http.StatusUnprocessableEntity, pages.FeedbackCode(v))
}

func (s *Server) feedbackQuestions(r *http.Request, code string, a feedback.Answer, errs form.Errors) pages.FeedbackQuestionsView {
	v := pages.FeedbackQuestionsView{Page: s.page(r, "Tell us about Cafcass"), Code: feedback.FormatCode(code),
		Helped: a.Helped, Anything: a.Anything, MaxHelped: feedback.MaxHelped, MaxAnything: feedback.MaxAnything, Errors: errs}
	v.Page.HasErrors = errs.Any()
	for _, c := range feedback.Listened {
		v.Listened = append(v.Listened, components.Option{Value: c.Value, Text: c.Label, Checked: c.Value == a.Listened})
	}
	for _, c := range feedback.Ages {
		v.Ages = append(v.Ages, components.Option{Value: c.Value, Text: c.Label, Checked: c.Value == a.Age})
	}
	return v
}

// POST /feedback/answers
func (s *Server) handleFeedbackCreate(w http.ResponseWriter, r *http.Request) error {
	if err := s.feedbackRequest(w, r); err != nil {
		_, err = s.feedbackLimited(w, r, err)
		return err
	}
	typed := clean(r.PostForm.Get("code"))
	id, code, errs, err := s.feedbackVisit(r, typed)
	if err != nil {
		return err
	}
	if errs.Any() {
		return s.feedbackCodeAgain(w, r, typed, errs)
	}
	a := feedback.Tidy(feedback.Answer{Helped: r.PostForm.Get("helped"), Listened: r.PostForm.Get("listened"),
		Anything: r.PostForm.Get("anything"), Age: r.PostForm.Get("age")})
	if errs := a.Check(); errs.Any() {
		return s.render(w, r, http.StatusUnprocessableEntity, pages.FeedbackQuestions(s.feedbackQuestions(r, code, a, errs)))
	}
	if ok, wait := s.feedbackLimits.code.Allow(code, s.now()); !ok {
		_, err := s.feedbackLimited(w, r, errFeedbackLimited{wait})
		return err
	}
	if err := s.store.AddFeedback(r.Context(), id, a.Clean(), s.now()); err != nil {
		return err
	}
	http.Redirect(w, r, "/feedback/thanks", http.StatusSeeOther)
	return nil
}

// GET /feedback/thanks
func (s *Server) handleFeedbackThanks(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, pages.FeedbackDone(pages.FeedbackDoneView{Page: s.page(r, "Thank you")}))
}

// feedbackError is the answer to a refusal of feedback.Check.
func feedbackError(err error) error {
	switch {
	case err == nil:
		return nil
	case errors.Is(err, feedback.ErrNotThere):
		return notFound(err)
	}
	return forbidden(err)
}

// feedbackPanel is what the visit's page shows of its feedback code.
func (s *Server) feedbackPanel(r *http.Request, p visitPageData) (pages.FeedbackPanel, error) {
	d, u := p.d, p.u
	var fp pages.FeedbackPanel
	if !feedback.May(feedback.SeeCode, u, d, feedback.Facts{}) {
		return fp, nil
	}
	fp.ForCafcass = visit.ActorFor(u, d).Cafcass
	if feedback.May(feedback.SeeAnswers, u, d, feedback.Facts{}) {
		fp.AnswersHref = workspaceHref(d) + "/feedback"
	}
	c, err := s.store.GetFeedbackCode(r.Context(), d.ID)
	// A notice undone as recorded in error hides the code again: the form
	// finds nothing by it until notice is given (DOMAIN decision 9).
	if errors.Is(err, store.ErrNotFound) || err == nil && !d.NoticeGiven() {
		if feedback.May(feedback.MakeCode, u, d, feedback.Facts{}) {
			fp.MakeAction = visitHref(d) + "/feedback-code"
		}
		return fp, nil
	}
	if err != nil {
		return fp, err
	}
	fw, ok := p.plan.Milestone(timeline.CodeFieldwork)
	if !ok {
		return fp, nil
	}
	closes, err := feedback.ClosesOn(p.cal, fw.Last())
	if err != nil {
		return fp, err
	}
	fp.Code, fp.URL, fp.Closes = feedback.FormatCode(c.Code), s.feedbackURL(), timeline.FormatDate(closes)
	fp.Closed = !feedback.Open(d, closes, p.today)
	return fp, nil
}

// POST /visits/{visitID}/feedback-code: the lead makes the code, when
// notice was given and the visit has none.
func (s *Server) handleFeedbackCodeCreate(w http.ResponseWriter, r *http.Request) error {
	d, err := s.visitFor(r)
	if err != nil {
		return err
	}
	u, _ := currentUser(r.Context())
	_, err = s.store.GetFeedbackCode(r.Context(), d.ID)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if err := feedbackError(feedback.Check(feedback.MakeCode, u, d, feedback.Facts{HasCode: err == nil})); err != nil {
		return err
	}
	if _, err := s.store.MakeFeedbackCode(r.Context(), d.ID, u); err != nil {
		return err
	}
	s.flash(r, "Feedback code made")
	http.Redirect(w, r, visitHref(d), http.StatusSeeOther)
	return nil
}

// GET /visits/{visitID}/workspace/feedback: the answers, summarised, for
// the need-to-know team; every view is recorded.
func (s *Server) handleFeedbackAnswers(w http.ResponseWriter, r *http.Request) error {
	d, err := s.childDataVisitFor(r)
	if err != nil {
		return err
	}
	p, err := s.visitPageOf(r, d, "workspace")
	if err != nil {
		return err
	}
	if err := feedbackError(feedback.Check(feedback.SeeAnswers, p.u, d, feedback.Facts{})); err != nil {
		return err
	}
	v := pages.FeedbackAnswersView{Page: s.page(r, "Feedback from children and young people, "+d.Reference), Header: p.header}
	panel, err := s.feedbackPanel(r, p)
	if err != nil {
		return err
	}
	v.Code, v.URL, v.Closes = panel.Code, panel.URL, panel.Closes
	answers, err := s.store.ListFeedback(r.Context(), d.ID)
	if err != nil {
		return err
	}
	if err := s.recordChildView(r, d, visit.FeedbackAnswers); err != nil {
		return err
	}
	v.Total = len(answers)
	listened, ages := map[string]int{}, map[string]int{}
	for _, a := range answers {
		listened[a.Listened]++
		ages[a.Age]++
		if a.Helped != "" || a.Anything != "" {
			v.Texts = append(v.Texts, pages.FeedbackText{On: timeline.FormatDate(workday.DateOf(a.CreatedAt.In(london))),
				Listened: feedback.Label(feedback.Listened, a.Listened), Age: ageLabel(a.Age), Helped: a.Helped, Anything: a.Anything})
		}
	}
	for _, c := range feedback.Listened {
		v.Listened = append(v.Listened, pages.FeedbackCount{Label: c.Label, Count: listened[c.Value]})
	}
	for _, c := range feedback.Ages {
		v.Ages = append(v.Ages, pages.FeedbackCount{Label: c.Label, Count: ages[c.Value]})
	}
	v.Ages = append(v.Ages, pages.FeedbackCount{Label: "Not said", Count: ages[""]})
	return s.render(w, r, http.StatusOK, pages.FeedbackAnswers(v))
}

func ageLabel(v string) string {
	if l := feedback.Label(feedback.Ages, v); l != "" {
		return l
	}
	return "not said"
}

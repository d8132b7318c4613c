package server

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/letter"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/web/components"
	"github.com/ofsted/focusedvisits/web/pages"
)

// Moderation of a letter with an area for priority action, by the visit's
// moderator (DOMAIN decision 14).

// moderationInput is what the moderation form carries.
type moderationInput struct {
	Outcome  string
	Notes    string
	Dates    map[string]DateField
	Method   string
	ToldAt   DateField
	ToldTime string
}

func readModerationForm(r *http.Request, plan timeline.Plan) moderationInput {
	in := moderationInput{
		Outcome: r.PostForm.Get("outcome"), Notes: clean(r.PostForm.Get("notes")),
		Dates: map[string]DateField{}, Method: r.PostForm.Get("ceo-method"), ToldAt: dateField(r, "ceo-told"),
		ToldTime: strings.TrimSpace(r.PostForm.Get("ceo-told-time")),
	}
	for _, code := range letter.DateCodes {
		if _, ok := plan.Milestone(code); ok {
			in.Dates[code] = dateField(r, letter.DateField(code))
		}
	}
	return in
}

// valid reads the form into a moderation record: what cannot be read (a
// date or a time that is not one) is the form's to say, the rest
// letter.Moderation.Validate's, in the order of the form.
func (in moderationInput) valid(plan timeline.Plan, now time.Time) (letter.Moderation, form.Errors) {
	mod := letter.Moderation{Outcome: letter.Outcome(in.Outcome), Notes: in.Notes, CEOToldMethod: letter.CEOToldMethod(in.Method)}
	var unread form.Errors
	for _, code := range letter.DateCodes {
		m, ok := plan.Milestone(code)
		f, typed := in.Dates[code]
		if !ok || !typed || f.Blank() {
			continue
		}
		d, msg := f.Parse("The new date of " + lowerFirst(m.Label))
		if msg != "" {
			unread.AddDate(letter.DateField(code), msg)
			continue
		}
		if d != m.First() {
			mod.DateChanges = append(mod.DateChanges, letter.DateChange{Code: code, Label: m.Label, Old: m.First(), New: d})
		}
	}
	if !in.ToldAt.Blank() {
		day, msg := in.ToldAt.Parse("The date the chief executive was told")
		hh, mm := 9, 0
		if t, err := time.Parse("15:04", in.ToldTime); err == nil {
			hh, mm = t.Hour(), t.Minute()
		} else if in.ToldTime != "" && msg == "" {
			unread.Add("ceo-told-time", "Enter a time like 14:30")
		}
		if msg != "" {
			unread.AddDate("ceo-told", msg)
		} else {
			mod.CEOToldAt = time.Date(day.Year(), day.Month(), day.Day(), hh, mm, 0, 0, london)
		}
	}
	// The form's fields, in order: a field the form could not read has
	// that error, not the rules'.
	fields := []string{"outcome", "notes"}
	for _, code := range letter.DateCodes {
		fields = append(fields, letter.DateField(code))
	}
	fields = append(fields, "ceo-method", "ceo-told", "ceo-told-time")
	ruled := mod.Validate(now)
	var errs form.Errors
	for _, f := range fields {
		mine := unread.For(f) != ""
		for _, e := range append(unread, ruled...) {
			if e.Field == f && (mine == slices.Contains(unread, e)) {
				errs = append(errs, e)
			}
		}
	}
	return mod, errs
}

// GET /visits/{visitID}/letter/moderation
func (s *Server) handleLetterModerationShow(w http.ResponseWriter, r *http.Request) error {
	p, err := s.loadDraft(r)
	if err != nil {
		return err
	}
	v, err := s.letterModerationView(r, p, moderationInput{Dates: map[string]DateField{}}, nil, nil)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, pages.LetterModeration(v))
}

func (s *Server) letterModerationView(r *http.Request, p letterPage, in moderationInput, errs form.Errors, dateErrs map[string]string) (pages.LetterModerationView, error) {
	v := pages.LetterModerationView{
		Page: s.page(r, p.d.Reference+": moderate the letter"), Header: s.letterHeader(p), Errors: errs,
		Action: p.base() + "/moderation", BackHref: p.base(), Version: p.l.CurrentVersion, Notes: in.Notes,
		ToldAt: pages.LetterDateInput{Day: in.ToldAt.Day, Month: in.ToldAt.Month, Year: in.ToldAt.Year}, ToldTime: in.ToldTime,
		Sections: letterSections(p.cur.Content, nil),
	}
	if len(errs) > 0 {
		v.Page.Title = "Error: " + v.Page.Title
	}
	if err := s.evidenceOnFindings(r, p, v.Sections); err != nil {
		return v, err
	}
	for _, o := range []letter.Outcome{letter.Agreed, letter.ChangesNeeded} {
		v.Outcomes = append(v.Outcomes, components.Option{Value: string(o), Text: o.Label(), Checked: in.Outcome == string(o)})
	}
	for _, m := range letter.CEOToldMethods {
		v.Methods = append(v.Methods, components.Option{Value: string(m), Text: m.Label(), Checked: in.Method == string(m)})
	}
	for _, code := range letter.DateCodes {
		m, ok := p.plan.Milestone(code)
		if !ok {
			continue
		}
		f := in.Dates[code]
		v.Dates = append(v.Dates, pages.LetterModerationDate{Code: code, Label: m.Label, Planned: milestoneDates(m),
			Input: pages.LetterDateInput{Day: f.Day, Month: f.Month, Year: f.Year}, Error: dateErrs[code]})
	}
	if p.l.ID != 0 {
		mods, err := s.store.ListModerations(r.Context(), p.l.ID)
		if err != nil {
			return v, err
		}
		v.Earlier = moderationRows(mods, p.plan)
	}
	facts, err := s.letterFacts(r, p, 0)
	if err != nil {
		return v, err
	}
	if _, err := letter.Check(p.l, letter.Moderate, p.actor, facts); err == nil {
		v.CanModerate = p.d.Status == visit.Active
	} else {
		v.Blocked = err.Error()
	}
	return v, nil
}

// POST /visits/{visitID}/letter/moderation
func (s *Server) handleLetterModeration(w http.ResponseWriter, r *http.Request) error {
	p, err := s.draftForChange(w, r)
	if err != nil {
		return err
	}
	if !letter.MayDo(letter.Moderate, p.actor) {
		return forbidden(errors.New("not the visit's moderator"))
	}
	version := formVersion(r.PostForm.Get("version"))
	in := readModerationForm(r, p.plan)
	mod, errs := in.valid(p.plan, s.now())
	dateErrs := map[string]string{}
	for _, code := range letter.DateCodes {
		if msg := errs.For(letter.DateField(code)); msg != "" {
			dateErrs[code] = msg
		}
	}
	fail := func(errs form.Errors, status int) error {
		v, err := s.letterModerationView(r, p, in, errs, dateErrs)
		if err != nil {
			return err
		}
		return s.render(w, r, status, pages.LetterModeration(v))
	}
	if errs.Any() {
		return fail(errs, http.StatusUnprocessableEntity)
	}
	action := mod.Outcome.Action()
	facts, err := s.letterFacts(r, p, version)
	if err != nil {
		return err
	}
	to, err := letter.Check(p.l, action, p.actor, facts)
	if err != nil {
		if !letter.MayDo(action, p.actor) {
			return forbidden(err)
		}
		fe, _ := refusal(err)
		return fail(form.Errors{fe}, http.StatusUnprocessableEntity)
	}
	m := store.LetterMove{Action: action, From: p.l.State, To: to, Version: p.l.CurrentVersion}
	err = s.store.RecordModeration(r.Context(), p.d.ID, m, mod, p.u)
	if errors.Is(err, store.ErrConflict) {
		return fail(form.Errors{errLetterChanged}, http.StatusConflict)
	}
	if err != nil {
		return err
	}
	msg := "Moderation recorded: " + lowerFirst(mod.Outcome.Label()) + "."
	if n := len(mod.DateChanges); n > 0 {
		msg += fmt.Sprintf(" %s moved on the timeline.", pluralWord(n, "date"))
	}
	s.flash(r, msg)
	http.Redirect(w, r, p.base(), http.StatusSeeOther)
	return nil
}

func moderationRows(ms []letter.Moderation, plan timeline.Plan) []pages.LetterModerationRow {
	var out []pages.LetterModerationRow
	for _, m := range ms {
		row := pages.LetterModerationRow{Version: m.Version, Outcome: m.Outcome.Label(), Notes: m.Notes, By: m.ByName, At: timeWords(m.At)}
		for _, dc := range m.DateChanges {
			label := dc.Code
			if ms, ok := plan.Milestone(dc.Code); ok {
				label = ms.Label
			}
			w := label + ": " + timeline.FormatDate(dc.New)
			if !dc.Old.IsZero() {
				w += " (was " + timeline.FormatDate(dc.Old) + ")"
			}
			row.Dates = append(row.Dates, w)
		}
		if m.CEOToldMethod != "" {
			row.CEOTold = m.CEOToldMethod.Label() + ", " + timeWords(m.CEOToldAt)
		}
		out = append(out, row)
	}
	return out
}

package server

import (
	"errors"
	"net/http"

	"github.com/ofsted/focusedvisits/internal/notify"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/web/pages"
)

// The record, after a closure day moved a visit's dates after notice, that
// the chief executive was told in writing (DOMAIN decision 14). Overrides
// and deferrals ask for it on their own forms. Once the service emails
// (a mail server is set), its email of the old and new dates is the
// record, and the lead may add a covering note.

// mailOn reports whether the service sends email (SMTP_URL is set).
func (s *Server) mailOn() bool { return s.cfg.SMTP.Enabled() }

func (s *Server) ceoToldView(r *http.Request, d visit.Details) (pages.CEOToldView, error) {
	title := "Record that you told the chief executive"
	if s.mailOn() {
		title = "Add a note to the chief executive"
	}
	v := pages.CEOToldView{
		Page:   s.page(r, title),
		Header: pages.VisitHeader{Href: visitHref(d), Reference: d.Reference}, BackHref: visitHref(d),
		Action:  visitHref(d) + "/ceo-told",
		CEOTold: pages.CEOToldInput{Email: s.mailOn()},
	}
	if s.mailOn() {
		emailed, err := s.ceoEmailed(r, d)
		v.Emailed = emailed
		return v, err
	}
	return v, nil
}

// ceoBanner is what the visit's page says, to who may change the visit,
// after a closure day moved its dates after notice: where to record
// telling the chief executive, and, once the service emails, when it did.
func (s *Server) ceoBanner(r *http.Request, a visit.Actor, d visit.Details) (href, emailed string, err error) {
	if !d.CEOToTell || !visit.May(visit.EditVisit, a, d, visit.Facts{}) {
		return "", "", nil
	}
	if s.mailOn() {
		emailed, err = s.ceoEmailed(r, d)
	}
	return visitHref(d) + "/ceo-told", emailed, err
}

// ceoEmailed says when the service last emailed the chief executive the
// visit's new dates, for the banner and the note page.
func (s *Server) ceoEmailed(r *http.Request, d visit.Details) (string, error) {
	ms, err := s.store.ListVisitMessages(r.Context(), d.ID, notify.DatesChanged)
	if err != nil || len(ms) == 0 {
		return "The service emails the chief executive the new dates.", err
	}
	m := ms[0]
	when := "was emailed the new dates on " + timeline.FormatTime(m.CreatedAt)
	switch m.Status {
	case notify.Sent:
		when = "was emailed the new dates on " + timeline.FormatTime(m.SentAt)
	case notify.Queued:
		when += " (waiting to be sent)"
	case notify.Failed:
		when += ", but the email failed: an administrator can send it again"
	}
	return "The chief executive " + when + ".", nil
}

// GET /visits/{visitID}/ceo-told
func (s *Server) handleCEOToldShow(w http.ResponseWriter, r *http.Request) error {
	d, err := s.visitAllowing(r, visit.EditVisit)
	if err != nil {
		return err
	}
	v, err := s.ceoToldView(r, d)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, pages.CEOToldForm(v))
}

// POST /visits/{visitID}/ceo-told
func (s *Server) handleCEOTold(w http.ResponseWriter, r *http.Request) error {
	d, err := s.visitAllowing(r, visit.EditVisit)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	told, in, errs := readCEOTold(r, s.today(), s.mailOn())
	if !errs.Any() {
		u, _ := currentUser(r.Context())
		var err error
		msg := "Recorded that you told the chief executive of the new dates."
		if s.mailOn() {
			err = s.store.SendCEONote(r.Context(), d.ID, told.Note, u)
			msg = "Your note to the chief executive will be emailed."
			if told.Note == "" {
				msg = "Recorded that no note to the chief executive is needed."
			}
		} else {
			err = s.store.RecordCEOTold(r.Context(), d.ID, told, u)
		}
		if errors.Is(err, store.ErrConflict) {
			return badRequest(err)
		}
		if err != nil {
			return err
		}
		s.flash(r, msg)
		http.Redirect(w, r, visitHref(d), http.StatusSeeOther)
		return nil
	}
	v, err := s.ceoToldView(r, d)
	if err != nil {
		return err
	}
	v.CEOTold, v.Errors = in, errs
	v.Page.HasErrors = true
	return s.render(w, r, http.StatusUnprocessableEntity, pages.CEOToldForm(v))
}

package server

import (
	"net/http"

	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/notify"
	"github.com/ofsted/focusedvisits/web/components"
	"github.com/ofsted/focusedvisits/web/pages"
)

// Your emails (issue 13): each person chooses how the information messages
// come (each as it happens, in one digest at 08:00 on working days, or not
// at all). Action messages always come (notify.Disposition).

func (s *Server) accountMessagesView(r *http.Request, chosen notify.Preference, errs form.Errors) pages.AccountMessagesView {
	v := pages.AccountMessagesView{Page: s.page(r, "Emails from this service"), Errors: errs}
	for _, p := range notify.Preferences {
		v.Options = append(v.Options, components.Option{Value: string(p.Value), Text: p.Label, Hint: p.Hint, Checked: p.Value == chosen})
	}
	v.Page.HasErrors = errs.Any()
	return v
}

// GET /account/messages
func (s *Server) handleAccountMessagesShow(w http.ResponseWriter, r *http.Request) error {
	u, _ := currentUser(r.Context())
	p, err := s.store.MessagePreference(r.Context(), u.ID)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, pages.AccountMessages(s.accountMessagesView(r, p, nil)))
}

// POST /account/messages
func (s *Server) handleAccountMessages(w http.ResponseWriter, r *http.Request) error {
	if err := parseForm(w, r); err != nil {
		return err
	}
	u, _ := currentUser(r.Context())
	p, err := notify.ParsePreference(r.PostForm.Get("information"))
	if err != nil {
		var errs form.Errors
		errs.Add("information", "Choose how you want the emails you do not need to act on")
		return s.render(w, r, http.StatusUnprocessableEntity, pages.AccountMessages(s.accountMessagesView(r, "", errs)))
	}
	if err := s.store.SetMessagePreference(r.Context(), u.ID, p); err != nil {
		return err
	}
	s.flash(r, "Your choice of emails is saved.")
	http.Redirect(w, r, "/account/messages", http.StatusSeeOther)
	return nil
}

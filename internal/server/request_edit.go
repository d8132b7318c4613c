package server

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/ofsted/focusedvisits/internal/annexa"
	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/web/pages"
)

// The request form.

// catalogueFor is the Annex A in force for visit d on its notice day (day 1
// of the plan): what the request asks for and how it names it.
func catalogueFor(d visit.Details, plan timeline.Plan) annexa.Catalogue {
	day := d.AnchorDate
	if len(plan.Days) > 0 {
		day = plan.Days[0]
	}
	return annexa.InForceOn(day)
}

func (s *Server) requestEditView(r *http.Request, d visit.Details, plan timeline.Plan, rows []pages.RequestEditRow, errs form.Errors) pages.RequestEditView {
	cat := catalogueFor(d, plan)
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
func requestRows(cat annexa.Catalogue, plan timeline.Plan, items []store.RequestItem) []pages.RequestEditRow {
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
	for _, ci := range cat.Items {
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
	return s.render(w, r, http.StatusOK, pages.RequestEdit(s.requestEditView(r, d, plan, requestRows(catalogueFor(d, plan), plan, items), nil)))
}

func (s *Server) handleRequestUpdate(w http.ResponseWriter, r *http.Request) error {
	d, plan, items, err := s.requestEditable(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	cat := catalogueFor(d, plan)
	rows := requestRows(cat, plan, items)
	in := readRequestForm(r, rows)
	picks, errs := annexa.ValidRequest(in)
	if errs.Any() {
		for i := range rows {
			rows[i].Checked = in[i].Ticked
			for j := range rows[i].Days {
				rows[i].Days[j].Checked = rows[i].Days[j].Value == in[i].DueDay
			}
		}
		return s.render(w, r, http.StatusUnprocessableEntity, pages.RequestEdit(s.requestEditView(r, d, plan, rows, errs)))
	}
	u, _ := currentUser(r.Context())
	var sp []store.Pick
	for _, p := range picks {
		sp = append(sp, store.Pick{Number: p.Number, DueDay: p.DueDay})
	}
	kept, err := s.store.SetRequest(r.Context(), d.ID, cat.Version, sp, u)
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

// readRequestForm reads the request form: for each row of the form, whether
// it is ticked and its due day.
func readRequestForm(r *http.Request, rows []pages.RequestEditRow) []annexa.RequestRow {
	ticked := r.PostForm["item"]
	in := make([]annexa.RequestRow, len(rows))
	for i, rw := range rows {
		in[i] = annexa.RequestRow{Number: rw.Number, Ticked: slices.Contains(ticked, rw.Number), DueDay: r.PostForm.Get("due-" + rw.Number)}
	}
	return in
}

// Items of the lead inspector's own.

func (s *Server) itemNewView(r *http.Request, d visit.Details, plan timeline.Plan, f annexa.ItemForm, errs form.Errors) pages.RequestItemNewView {
	v := pages.RequestItemNewView{
		Page:    s.page(r, "Add an item of your own"),
		Caption: requestCaption(d), BackHref: requestHref(d), Action: requestHref(d) + "/items/new",
		Number: f.Number, Title: f.Title, Description: f.Description, Kind: f.Kind,
		Days:   dayOptions(plan, annexa.ParseDay(f.DueDay)),
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
	f := annexa.ItemForm{Kind: string(annexa.Custom), DueDay: strconv.Itoa(annexa.DocumentsDueDay)}
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
	f := readItemForm(r)
	n, errs := f.Valid()
	if !errs.Any() {
		u, _ := currentUser(r.Context())
		_, err := s.store.AddCustomItem(r.Context(), d.ID, store.NewItem{Number: n.Number, Title: n.Title, Description: n.Description, DueDay: n.DueDay, Kind: n.Kind}, u)
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

// readItemForm reads the form that adds an item of one's own.
func readItemForm(r *http.Request) annexa.ItemForm {
	return annexa.ItemForm{
		Number:      strings.TrimSpace(clean(r.PostForm.Get("number"))),
		Title:       strings.Join(strings.Fields(clean(r.PostForm.Get("title"))), " "),
		Description: clean(r.PostForm.Get("description")),
		Kind:        r.PostForm.Get("kind"),
		DueDay:      r.PostForm.Get("due-day"),
	}
}

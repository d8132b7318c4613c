package server

import (
	"errors"
	"fmt"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ofsted/focusedvisits/internal/annexa"
	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/web/components"
	"github.com/ofsted/focusedvisits/web/pages"
)

// sampleInspectors are the inspectors on the visit a case can be given to.
func sampleInspectors(d visit.Details, chosen int64) []components.Option {
	var o []components.Option
	for _, m := range d.Members {
		if m.Role == visit.RoleLead || m.Role == visit.RoleTeam {
			o = append(o, components.Option{Value: strconv.FormatInt(m.UserID, 10), Text: m.Name + " (" + strings.ToLower(m.Role.Label()) + ")", Checked: m.UserID == chosen})
		}
	}
	return o
}

func (s *Server) sampleNewView(r *http.Request, d visit.Details, caseID, childID, reason string, inspector int64, errs form.Errors) (pages.ChildSampleNewView, error) {
	row, err := s.store.FindChildRow(r.Context(), d.ID, caseID, childID)
	if err != nil {
		return pages.ChildSampleNewView{}, err
	}
	if err := s.recordChildView(r, d, visit.ChildRowForSample); err != nil {
		return pages.ChildSampleNewView{}, err
	}
	base := visitHref(d) + "/child-data"
	v := pages.ChildSampleNewView{
		Page: s.page(r, "Add case "+caseID+" to the sample"), Caption: d.Reference, BackHref: base + "#rows", Action: base + "/sample/new",
		CaseID: caseID, ChildID: childID, Reason: reason, Inspectors: sampleInspectors(d, inspector), Errors: errs,
		Summary: []components.SummaryRow{
			{Key: "Child ID", Value: row.ChildID}, {Key: "Case name", Value: row.CaseName},
			{Key: "Law and case type", Value: childLawLabels[row.LawType] + ", " + caseTypeLabel(row.CaseType)},
			{Key: "Team", Value: row.Team + " (" + row.ServiceArea + ")"}, {Key: "Practitioner", Value: row.Practitioner},
			{Key: "Case dates", Value: row.CaseStart.Format("2/1/2006") + " to " + row.CaseEnd.Format("2/1/2006")},
		},
	}
	v.Page.HasErrors = errs.Any()
	return v, nil
}

func (s *Server) sampleVisitFor(r *http.Request) (visit.Details, error) {
	d, err := s.childDataVisitFor(r)
	if err != nil {
		return d, err
	}
	u, _ := currentUser(r.Context())
	if !annexa.CanChooseSample(u, d) {
		return d, forbidden(errors.New("not the visit's lead inspector or SAO"))
	}
	return d, nil
}

func (s *Server) handleSampleNew(w http.ResponseWriter, r *http.Request) error {
	d, err := s.sampleVisitFor(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	v, err := s.sampleNewView(r, d, q.Get("case"), q.Get("child"), "", 0, nil)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, pages.ChildSampleNew(v))
}

// sampleReasonMax bounds the reason for choosing a case.
const sampleReasonMax = 1000

func (s *Server) handleSampleCreate(w http.ResponseWriter, r *http.Request) error {
	d, err := s.sampleVisitFor(r)
	if err != nil {
		return err
	}
	if err := parseForm(w, r); err != nil {
		return err
	}
	ctx := r.Context()
	u, _ := currentUser(ctx)
	caseID, childID := r.PostForm.Get("case"), r.PostForm.Get("child")
	if !plainText(caseID) || !plainText(childID) {
		// No case has such an id; PostgreSQL would refuse it (a 500).
		return notFound(errors.New("sample: case or child id is not plain text"))
	}
	reason := clean(r.PostForm.Get("reason"))
	inspector, _ := strconv.ParseInt(r.PostForm.Get("inspector"), 10, 64)
	var errs form.Errors
	ok := false
	for _, o := range sampleInspectors(d, 0) {
		ok = ok || o.Value == strconv.FormatInt(inspector, 10)
	}
	if !ok {
		errs.Add("inspector", "Select the inspector who will look at the case")
	}
	switch {
	case reason == "":
		errs.Add("reason", "Enter why you chose this case")
	case utf8.RuneCountInString(reason) > sampleReasonMax:
		errs.Add("reason", fmt.Sprintf("The reason must be %d characters or fewer", sampleReasonMax))
	}
	if !errs.Any() {
		err = s.store.AddToSample(ctx, d.ID, caseID, childID, reason, inspector, u)
		switch {
		case errors.Is(err, store.ErrConflict):
			s.flash(r, "Case "+caseID+" is already in the sample.")
		case err != nil:
			return err
		default:
			s.flash(r, "Case "+caseID+" added to the sample.")
		}
		http.Redirect(w, r, visitHref(d)+"/child-data#sample", http.StatusSeeOther)
		return nil
	}
	v, err := s.sampleNewView(r, d, caseID, childID, reason, inspector, errs)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusUnprocessableEntity, pages.ChildSampleNew(v))
}

func (s *Server) handleSampleDelete(w http.ResponseWriter, r *http.Request) error {
	d, err := s.sampleVisitFor(r)
	if err != nil {
		return err
	}
	id, ok := publicIDParam(r, "sampleID")
	if !ok {
		return store.ErrNotFound
	}
	u, _ := currentUser(r.Context())
	if err := s.store.RemoveFromSample(r.Context(), d.ID, id, u); err != nil {
		return err
	}
	s.flash(r, "Case removed from the sample.")
	http.Redirect(w, r, visitHref(d)+"/child-data#sample", http.StatusSeeOther)
	return nil
}

// sampleRows are the cases of the sample as Cafcass sees them: no reason.
func sampleRows(sample []store.SampleCase) []pages.CaseSampleRow {
	var rows []pages.CaseSampleRow
	for _, c := range sample {
		rows = append(rows, pages.CaseSampleRow{CaseID: c.CaseID, ChildID: c.ChildID, CaseName: c.CaseName, Inspector: c.InspectorName})
	}
	return rows
}

// handleSampleReleaseConfirm asks to confirm releasing the sample, listing
// what Cafcass will see (issue 15.6); once released, it says when.
func (s *Server) handleSampleReleaseConfirm(w http.ResponseWriter, r *http.Request) error {
	d, err := s.sampleVisitFor(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	released, err := s.store.SampleReleased(ctx, d.ID)
	if err != nil {
		return err
	}
	sample, err := s.store.ListSample(ctx, d.ID)
	if err != nil {
		return err
	}
	if err := s.recordChildView(r, d, visit.CaseSample); err != nil {
		return err
	}
	base := visitHref(d) + "/child-data"
	v := pages.ChildSampleReleaseView{
		Page: s.page(r, "Release the case sample to Cafcass?"), Caption: d.Reference,
		BackHref: base + "#sample", Action: base + "/sample/release", Rows: sampleRows(sample),
	}
	if !released.IsZero() {
		v.Page = s.page(r, "Case sample released")
		v.Released = timeline.FormatTime(released)
	}
	return s.render(w, r, http.StatusOK, pages.ChildSampleRelease(v))
}

func (s *Server) handleSampleRelease(w http.ResponseWriter, r *http.Request) error {
	d, err := s.sampleVisitFor(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	u, _ := currentUser(ctx)
	sample, err := s.store.ListSample(ctx, d.ID)
	if err != nil {
		return err
	}
	if len(sample) == 0 {
		return s.renderChildData(w, r, d, http.StatusUnprocessableEntity, form.Errors{{Field: "sample", Message: "Choose at least one case before you release the sample"}})
	}
	if err := s.store.ReleaseSample(ctx, d.ID, u); err != nil {
		return err
	}
	s.flash(r, "Case sample released to Cafcass.")
	http.Redirect(w, r, visitHref(d)+"/child-data#sample", http.StatusSeeOther)
	return nil
}

// handleCaseSampleShow is the released sample: the cases chosen and their
// inspectors, never the reasons. Cafcass sees it once it is released.
func (s *Server) handleCaseSampleShow(w http.ResponseWriter, r *http.Request) error {
	p, err := s.visitPage(r, "case-sample")
	if err != nil {
		return err
	}
	d := p.d
	if !visit.CanSeeChildRecord(p.u, d, visit.CaseSample, true) {
		return store.ErrNotFound
	}
	ctx := r.Context()
	released, err := s.store.SampleReleased(ctx, d.ID)
	if err != nil {
		return err
	}
	v := pages.CaseSampleView{Page: s.page(r, "Case sample, "+d.Reference), Header: p.header,
		ForOfsted: !p.a.Cafcass, ChildDataHref: visitHref(d) + "/child-data"}
	if !released.IsZero() {
		v.Released = timeline.FormatDay(released)
		sample, err := s.store.ListSample(ctx, d.ID)
		if err != nil {
			return err
		}
		// Only what Cafcass may see is copied: no reason.
		v.Rows = sampleRows(sample)
		if err := s.recordChildView(r, d, visit.CaseSample); err != nil {
			return err
		}
	}
	return s.render(w, r, http.StatusOK, pages.CaseSample(v))
}

// releasedSample is what Cafcass's visit and request pages say of the case
// sample: once Ofsted has released it, when, with a link to it (issue
// 15.2); nothing before, and nothing for Ofsted, whose child-level data
// page has it.
func (s *Server) releasedSample(r *http.Request, p visitPageData) (pages.SampleNotice, error) {
	if !p.a.Cafcass || !visit.CanSeeChildRecord(p.u, p.d, visit.CaseSample, true) {
		return pages.SampleNotice{}, nil
	}
	at, err := s.store.SampleReleased(r.Context(), p.d.ID)
	if err != nil || at.IsZero() {
		return pages.SampleNotice{}, err
	}
	return pages.SampleNotice{Href: visitHref(p.d) + "/case-sample", Released: timeline.FormatDay(at)}, nil
}

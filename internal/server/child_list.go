package server

import (
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/ofsted/focusedvisits/internal/annexa"
	"github.com/ofsted/focusedvisits/internal/childdata"
	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/upload"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/web/pages"
)

func childListHref(d visit.Details, it store.RequestItem) string {
	return itemHref(d, it) + "/child-list"
}

// childListItemFor is itemFor for child-level lists: another kind of item
// is not found here, nor is the list of a visit whose children's data the
// user may neither see nor send (DOMAIN decision 17).
func (s *Server) childListItemFor(r *http.Request) (visit.Details, store.RequestItem, error) {
	d, it, err := s.itemFor(r)
	if err != nil {
		return d, it, err
	}
	u, _ := currentUser(r.Context())
	if it.Kind != annexa.ChildList || !visit.MaySendChildData(u, d) {
		return visit.Details{}, store.RequestItem{}, store.ErrNotFound
	}
	return d, it, nil
}

// childListForm is what the upload form held besides the file.
type childListForm struct {
	From, To DateField
}

func (s *Server) childListView(r *http.Request, d visit.Details, it store.RequestItem, f childListForm, errs form.Errors, res *pages.ChildListResult) pages.ChildListUploadView {
	u, _ := currentUser(r.Context())
	v := pages.ChildListUploadView{
		Page:     s.page(r, "Upload "+sentenceCase(it.Title)),
		Caption:  it.Number + ", " + d.Reference,
		BackHref: itemHref(d, it), Action: childListHref(d, it), ItemTitle: "Upload " + sentenceCase(it.Title),
		CanUpload: canChangeFiles(u, d, it), MaxSize: upload.FormatSize(s.maxUploadBytes()),
		From: pages.DeferralDateInput(f.From), To: pages.DeferralDateInput(f.To),
		Errors: errs, Result: res,
	}
	if canUpload(u, d, it) && !v.CanUpload {
		v.Frozen = frozenMessage(it.Status)
	}
	v.Page.HasErrors = errs.Any()
	schema := childListSchema(it)
	for _, ct := range schema.CaseTypes {
		v.CaseTypes = append(v.CaseTypes, ct.Label)
	}
	v.Columns = childListColumns(schema)
	v.TemplateCSV, v.TemplateXLSX = childListHref(d, it)+"/template.csv", childListHref(d, it)+"/template.xlsx"
	return v
}

// issueRows formats issues for the result tables.
func issueRows(is []childdata.Issue) []pages.ChildIssueRow {
	out := make([]pages.ChildIssueRow, 0, len(is))
	for _, i := range is {
		row := strconv.Itoa(i.Row)
		switch i.Row {
		case 0:
			row = "Whole file"
		case 1:
			row = "1 (headers)"
		}
		col := i.Column
		if i.Header != "" {
			if col != "" {
				col += " (" + i.Header + ")"
			} else {
				col = i.Header
			}
		}
		out = append(out, pages.ChildIssueRow{Row: row, Column: col, Message: i.Message})
	}
	return out
}

func (s *Server) listResult(l store.ChildList, errs, queries []childdata.Issue) *pages.ChildListResult {
	return &pages.ChildListResult{
		Accepted: l.Accepted(), FileName: l.FileName,
		Covers:     timeline.FormatDate(l.Cover.From) + " to " + timeline.FormatDate(l.Cover.To),
		CheckedBy:  l.CheckedByName + ", " + timeline.FormatTime(l.CheckedAt),
		Rows:       l.RowCount,
		ErrorCount: l.ErrorCount, QueryCount: l.QueryCount,
		Errors: issueRows(errs), Queries: issueRows(queries),
	}
}

// handleChildListShow shows the upload form and how the latest list was
// checked.
func (s *Server) handleChildListShow(w http.ResponseWriter, r *http.Request) error {
	d, it, err := s.childListItemFor(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	u, _ := currentUser(ctx)
	var res *pages.ChildListResult
	l, err := s.store.LatestChildList(ctx, d.ID, it.ID)
	switch {
	case errors.Is(err, store.ErrNotFound):
	case err != nil:
		return err
	case !annexa.CanSeeChildRecord(u, d, visit.ChildListCheck, l.CheckedByRole):
		// Cafcass sees the checks of the lists it sent, not Ofsted's.
	default:
		is, err := s.store.ChildListIssues(ctx, l.ID)
		if err != nil {
			return err
		}
		var es, qs []childdata.Issue
		for _, i := range is {
			if i.Kind == childdata.Error {
				es = append(es, i)
			} else {
				qs = append(qs, i)
			}
		}
		res = s.listResult(l, es, qs)
		if err := s.recordChildView(r, d, visit.ChildListCheck); err != nil {
			return err
		}
	}
	f := childListForm{}
	if it.HasCoverage() {
		f.From, f.To = fieldOf(it.CoversFrom), fieldOf(it.CoversTo)
	}
	return s.render(w, r, http.StatusOK, pages.ChildListUpload(s.childListView(r, d, it, f, nil, res)))
}

// maxFieldBytes bounds a non-file field of the upload form.
const maxFieldBytes = 256

// handleChildListCreate reads the upload as a stream: the date fields
// first (they come before the file in the form), then the file part, which
// is staged in the database chunk by chunk and then read back from there
// to be checked and imported. Memory stays bounded whatever the file's
// size. An accepted list keeps its file and rows; a rejected one keeps its
// issues only.
func (s *Server) handleChildListCreate(w http.ResponseWriter, r *http.Request) error {
	d, it, err := s.childListItemFor(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	u, _ := currentUser(ctx)
	if !canUpload(u, d, it) {
		return forbidden(errors.New("may not upload to this visit"))
	}
	max := s.maxUploadBytes()
	p := &childListReply{s: s, w: w, r: r, d: d, it: it}
	if !canChangeFiles(u, d, it) {
		return p.frozen()
	}
	if r.ContentLength > max+1<<20 {
		p.errs.Add("file", "The selected file must be smaller than "+upload.FormatSize(max))
		return p.fail(http.StatusRequestEntityTooLarge)
	}
	allowSlowBody(w)
	r.Body = http.MaxBytesReader(w, r.Body, max+1<<20)
	mr, err := r.MultipartReader()
	if err != nil {
		return badRequest(err)
	}
	up, err := s.readChildList(r, d, it, mr, max)
	p.f, p.errs = up.form, up.errs
	if err != nil {
		return s.childListReadError(w, r, p.fail, &p.errs, err)
	}
	if p.errs.Any() {
		s.store.DiscardFiles(ctx, up.staged.ID)
		status := http.StatusUnprocessableEntity
		if strings.Contains(p.errs.For("file"), "must be smaller") {
			status = http.StatusRequestEntityTooLarge
		}
		return p.fail(status)
	}
	return s.importChildList(p, up.staged)
}

// childListReply answers a child-level list upload with the upload page
// again: the form as sent and what is wrong with it.
type childListReply struct {
	s    *Server
	w    http.ResponseWriter
	r    *http.Request
	d    visit.Details
	it   store.RequestItem
	f    childListForm
	errs form.Errors
}

// fail shows the upload page with the form and its errors.
func (p *childListReply) fail(status int) error {
	return p.s.render(p.w, p.r, status, pages.ChildListUpload(p.s.childListView(p.r, p.d, p.it, p.f, p.errs, nil)))
}

// frozen shows the item as it is now, with the reason its files cannot
// change in the error summary: 409.
func (p *childListReply) frozen() error {
	it, err := p.s.store.GetItem(p.r.Context(), p.d.ID, p.it.ID)
	if err != nil {
		return err
	}
	p.it = it
	p.errs = form.Errors{{Field: "upload", Message: frozenMessage(it.Status)}}
	return p.fail(http.StatusConflict)
}

// importChildList checks the staged list, when no more than
// IMPORT_MAX_CONCURRENT others are being checked, and imports it if it has
// no errors. A list that is not kept has its staged file discarded.
func (s *Server) importChildList(p *childListReply, staged upload.File) error {
	r, d, it := p.r, p.d, p.it
	ctx := r.Context()
	u, _ := currentUser(ctx)
	// Checking is the costly part: at most IMPORT_MAX_CONCURRENT at once.
	release, ok := s.imports.enter(ctx)
	if !ok {
		s.store.DiscardFiles(ctx, staged.ID)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		p.errs = form.Errors{{Field: "file", Message: "The service is checking other lists just now. Try again in a few minutes: this upload has not been kept"}}
		p.w.Header().Set("Retry-After", "60")
		return p.fail(http.StatusServiceUnavailable)
	}
	defer release()
	from, _ := p.f.From.Parse("")
	to, _ := p.f.To.Parse("")
	cover := childdata.DateRange{From: from, To: to}
	l, res, err := s.store.ImportChildList(ctx, store.NewChildList{VisitID: d.ID, ItemID: it.ID, FileID: staged.ID, FileName: staged.Name, Cover: cover},
		s.childListCheck(ctx, staged, cover, childListSchema(it)), u)
	switch {
	case errors.Is(err, store.ErrConflict):
		s.store.DiscardFiles(ctx, staged.ID)
		p.errs = form.Errors{{Field: "file", Message: "Another list is being checked for this item. Wait a minute, then look at the result on this page before you upload the list again"}}
		return p.fail(http.StatusConflict)
	case errors.Is(err, annexa.ErrFilesFrozen):
		s.store.DiscardFiles(ctx, staged.ID)
		return p.frozen()
	case err != nil:
		s.store.DiscardFiles(ctx, staged.ID)
		return err
	}
	if !l.Accepted() {
		s.store.DiscardFiles(ctx, staged.ID)
		errs := form.Errors{{Field: "list-errors", Message: fmt.Sprintf("The list has %s. Fix them and upload the list again", childPlural(l.ErrorCount, "error", "errors"))}}
		// The uploader is shown how the list they sent was checked.
		if err := s.recordChildView(r, d, visit.ChildListCheck); err != nil {
			return err
		}
		if is, ok := limitIssue(res.Errors); ok {
			// Over a limit: say which, on the file input.
			errs = form.Errors{{Field: "file", Message: is.Message}}
		}
		v := s.childListView(r, d, it, p.f, errs, s.listResult(l, res.Errors, res.Queries))
		return s.render(p.w, r, http.StatusUnprocessableEntity, pages.ChildListUpload(v))
	}
	// The import started the item if Cafcass had not (annexa.StartsOnUpload).
	msg := fmt.Sprintf("List accepted with %s.", childPlural(l.RowCount, "row", "rows"))
	if l.QueryCount > 0 {
		msg += fmt.Sprintf(" Check the %s below.", childPlural(l.QueryCount, "query", "queries"))
	}
	s.flash(r, msg)
	http.Redirect(p.w, r, childListHref(d, it)+"#result", http.StatusSeeOther)
	return nil
}

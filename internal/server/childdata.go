package server

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ofsted/focusedvisits/internal/annexa"
	"github.com/ofsted/focusedvisits/internal/childdata"
	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/upload"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
	"github.com/ofsted/focusedvisits/web/components"
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
		Page:     s.page(r, "Upload "+it.Title),
		Caption:  it.Number + ", " + d.Reference,
		BackHref: itemHref(d, it), Action: childListHref(d, it), ItemTitle: it.Number + " " + it.Title,
		CanUpload: canChangeFiles(u, d, it), MaxSize: upload.FormatSize(s.maxUploadBytes()),
		From: pages.DeferralDateInput(f.From), To: pages.DeferralDateInput(f.To),
		Errors: errs, Result: res,
	}
	if canUpload(u, d, it) && !v.CanUpload {
		v.Frozen = frozenMessage(it.Status)
	}
	v.Page.HasErrors = errs.Any()
	for _, ct := range childdata.DefaultCaseTypes() {
		v.CaseTypes = append(v.CaseTypes, ct.Label)
	}
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
		CheckedBy:  l.CheckedByName + ", " + l.CheckedAt.In(london).Format("Mon 2 Jan 2006 15:04"),
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
	case !visit.CanSeeChildRecord(u, d, visit.ChildListCheck, l.CheckedByRole.IsCafcass()):
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
	var f childListForm
	var errs form.Errors
	fail := func(status int) error {
		return s.render(w, r, status, pages.ChildListUpload(s.childListView(r, d, it, f, errs, nil)))
	}
	frozen := func() error {
		// The item as it is now, with the reason in the error summary.
		if it, err = s.store.GetItem(ctx, d.ID, it.ID); err != nil {
			return err
		}
		errs = form.Errors{{Field: "upload", Message: frozenMessage(it.Status)}}
		return fail(http.StatusConflict)
	}
	if !canChangeFiles(u, d, it) {
		return frozen()
	}
	if r.ContentLength > max+1<<20 {
		errs.Add("file", "The selected file must be smaller than "+upload.FormatSize(max))
		return fail(http.StatusRequestEntityTooLarge)
	}
	allowSlowBody(w)
	r.Body = http.MaxBytesReader(w, r.Body, max+1<<20)
	mr, err := r.MultipartReader()
	if err != nil {
		return badRequest(err)
	}
	fields := map[string]string{}
	var staged upload.File
	fileSeen := false
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			s.store.DiscardFiles(ctx, staged.ID)
			return s.childListReadError(w, r, fail, &errs, err)
		}
		if part.FormName() != "file" {
			b, err := io.ReadAll(io.LimitReader(part, maxFieldBytes))
			if err != nil {
				return s.childListReadError(w, r, fail, &errs, err)
			}
			fields[part.FormName()] = strings.TrimSpace(string(b))
			continue
		}
		if fileSeen || part.FileName() == "" {
			continue
		}
		fileSeen = true
		f = childListForm{
			From: DateField{Day: fields["covers-from-day"], Month: fields["covers-from-month"], Year: fields["covers-from-year"]},
			To:   DateField{Day: fields["covers-to-day"], Month: fields["covers-to-month"], Year: fields["covers-to-year"]},
		}
		errs = coverErrors(f)
		if errs.Any() {
			// Nothing will be stored: do not read the file.
			continue
		}
		var problem string
		staged, problem, err = s.stageChildList(r, d, it, part, max)
		if err != nil {
			return s.childListReadError(w, r, fail, &errs, err)
		}
		if problem != "" {
			errs.Add("file", problem)
		}
	}
	if !fileSeen {
		f = childListForm{
			From: DateField{Day: fields["covers-from-day"], Month: fields["covers-from-month"], Year: fields["covers-from-year"]},
			To:   DateField{Day: fields["covers-to-day"], Month: fields["covers-to-month"], Year: fields["covers-to-year"]},
		}
		errs = coverErrors(f)
		errs.Add("file", "Select the list")
	}
	if errs.Any() {
		s.store.DiscardFiles(ctx, staged.ID)
		status := http.StatusUnprocessableEntity
		if strings.Contains(errs.For("file"), "must be smaller") {
			status = http.StatusRequestEntityTooLarge
		}
		return fail(status)
	}
	// Checking is the costly part: at most IMPORT_MAX_CONCURRENT at once.
	release, ok := s.imports.enter(ctx)
	if !ok {
		s.store.DiscardFiles(ctx, staged.ID)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		errs = form.Errors{{Field: "file", Message: "The service is checking other lists just now. Try again in a few minutes: this upload has not been kept"}}
		w.Header().Set("Retry-After", "60")
		return fail(http.StatusServiceUnavailable)
	}
	defer release()
	from, _ := f.From.Parse("")
	to, _ := f.To.Parse("")
	cover := childdata.DateRange{From: from, To: to}
	l, res, err := s.store.ImportChildList(ctx, store.NewChildList{VisitID: d.ID, ItemID: it.ID, FileID: staged.ID, FileName: staged.Name, Cover: cover},
		s.childListCheck(ctx, staged, cover), u)
	switch {
	case errors.Is(err, store.ErrConflict):
		s.store.DiscardFiles(ctx, staged.ID)
		errs = form.Errors{{Field: "file", Message: "Another list is being checked for this item. Wait a minute, then look at the result on this page before you upload the list again"}}
		return fail(http.StatusConflict)
	case errors.Is(err, annexa.ErrFilesFrozen):
		s.store.DiscardFiles(ctx, staged.ID)
		return frozen()
	case err != nil:
		s.store.DiscardFiles(ctx, staged.ID)
		return err
	}
	if !l.Accepted() {
		s.store.DiscardFiles(ctx, staged.ID)
		errs = form.Errors{{Field: "list-errors", Message: fmt.Sprintf("The list has %s. Fix them and upload the list again", childPlural(l.ErrorCount, "error", "errors"))}}
		// The uploader is shown how the list they sent was checked.
		if err := s.recordChildView(r, d, visit.ChildListCheck); err != nil {
			return err
		}
		if is, ok := limitIssue(res.Errors); ok {
			// Over a limit: say which, on the file input.
			errs = form.Errors{{Field: "file", Message: is.Message}}
		}
		v := s.childListView(r, d, it, f, errs, s.listResult(l, res.Errors, res.Queries))
		return s.render(w, r, http.StatusUnprocessableEntity, pages.ChildListUpload(v))
	}
	// The import started the item if Cafcass had not (annexa.StartsOnUpload).
	msg := fmt.Sprintf("List accepted with %s.", childPlural(l.RowCount, "row", "rows"))
	if l.QueryCount > 0 {
		msg += fmt.Sprintf(" Check the %s below.", childPlural(l.QueryCount, "query", "queries"))
	}
	s.flash(r, msg)
	http.Redirect(w, r, childListHref(d, it)+"#result", http.StatusSeeOther)
	return nil
}

func childPlural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}

// coverErrors checks the date range a list covers: both dates, real, and
// from on or before to.
func coverErrors(f childListForm) form.Errors {
	_, _, errs := parseCoverage(f.From, f.To)
	return errs
}

// parseCoverage reads the date range a child-level list covers (the date
// inputs covers-from and covers-to), from on or before to.
func parseCoverage(fromField, toField DateField) (from, to workday.Date, errs form.Errors) {
	from, msg := fromField.Parse("The date the list covers from")
	if msg != "" {
		errs.AddDate("covers-from", msg)
	}
	to, msg2 := toField.Parse("The date the list covers to")
	if msg2 != "" {
		errs.AddDate("covers-to", msg2)
	}
	if msg == "" && msg2 == "" && to.Before(from) {
		errs.AddDate("covers-to", "The date the list covers to must be the same as or after the date it covers from")
	}
	return from, to, errs
}

// stageChildList checks the file's type from its name and content and
// streams it into a staged file.
func (s *Server) stageChildList(r *http.Request, d visit.Details, it store.RequestItem, part io.Reader, max int64) (upload.File, string, error) {
	u, _ := currentUser(r.Context())
	mp, _ := part.(interface{ FileName() string })
	name := "list"
	if mp != nil {
		name = upload.CleanName(mp.FileName())
	}
	ext := strings.ToLower(path.Ext(name))
	if ext != ".csv" && ext != ".xlsx" {
		return upload.File{}, "The selected file must be a CSV or Excel (.xlsx) file", nil
	}
	br := bufio.NewReaderSize(part, upload.SniffLen)
	head, err := br.Peek(upload.SniffLen)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return upload.File{}, "", err
	}
	ct, err := upload.Check(name, head)
	if errors.Is(err, upload.ErrMismatch) && ext == ".xlsx" && upload.IsZip(head) {
		// Writers that stream a large sheet (excelize's StreamWriter,
		// openpyxl) put [Content_Types].xml after it, beyond the head Check
		// sees. A list is read whole before any of it is kept, and one that
		// is not a workbook is refused then.
		ct, err = upload.ContentType(name), nil
	}
	switch {
	case errors.Is(err, upload.ErrEmpty):
		return upload.File{}, "The selected file is empty", nil
	case errors.Is(err, upload.ErrNotAllowed), errors.Is(err, upload.ErrMismatch):
		return upload.File{}, "The selected file must be a CSV or Excel (.xlsx) file: its content is a different type of file", nil
	case err != nil:
		return upload.File{}, "", err
	}
	stored, _ := upload.WithItemNumber(name, it.Number)
	f, err := s.store.StageFile(r.Context(), store.NewFile{
		VisitID: d.ID, ItemID: it.ID, Name: stored, OriginalName: name, ContentType: ct, MaxBytes: max,
	}, br, u)
	switch {
	case errors.Is(err, upload.ErrTooLarge):
		return upload.File{}, "The selected file must be smaller than " + upload.FormatSize(max), nil
	case errors.Is(err, upload.ErrEmpty):
		return upload.File{}, "The selected file is empty", nil
	case err != nil:
		return upload.File{}, "", err
	}
	return f, "", nil
}

// childListCheck reads the staged file back from the store and checks it.
func (s *Server) childListCheck(ctx context.Context, f upload.File, cover childdata.DateRange) store.CheckFunc {
	return func(accept func(*childdata.Row) error) (*childdata.Result, error) {
		var rd childdata.Reader
		src := s.store.OpenFile(ctx, f)
		if strings.EqualFold(path.Ext(f.Name), ".xlsx") {
			x, err := childdata.NewXLSX(src, childdata.XLSXOptions{Limits: s.importLimits()})
			var fe *childdata.FormatError
			if errors.As(err, &fe) {
				return &childdata.Result{ErrorCount: 1, Errors: []childdata.Issue{childdata.FormatIssue(fe)}}, nil
			}
			if err != nil {
				return nil, err
			}
			defer x.Close()
			rd = x
		} else {
			rd = childdata.NewCSVWithin(src, s.importLimits())
		}
		return childdata.Check(rd, cover, childdata.Options{Today: s.today(), MaxRows: s.cfg.ImportMaxRows, Accept: accept})
	}
}

// childListReadError answers when the body could not be read.
func (s *Server) childListReadError(w http.ResponseWriter, r *http.Request, fail func(int) error, errs *form.Errors, err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		*errs = form.Errors{{Field: "file", Message: "The selected file must be smaller than " + upload.FormatSize(s.maxUploadBytes())}}
		return fail(http.StatusRequestEntityTooLarge)
	}
	if r.Context().Err() != nil {
		return r.Context().Err()
	}
	return badRequest(err)
}

// canSample reports whether u may choose and release the case sample: the
// visit's lead inspector or one of its senior analytical officers (who may
// see its children's data), while the visit is active. Team inspectors see
// the rows but do not choose; administrators see none of it.
func canSample(u user.User, d visit.Details) bool {
	if d.Status != visit.Active || !visit.CanSeeChildData(u, d) {
		return false
	}
	return slices.ContainsFunc(d.Members, func(m visit.Member) bool {
		return m.UserID == u.ID && (m.Role == visit.RoleLead && u.Role == user.LeadInspector || m.Role == visit.RoleSAO && u.Role == user.SAO)
	})
}

var childLawLabels = map[string]string{childdata.Public: "Public", childdata.Private: "Private"}

func caseTypeLabel(code string) string {
	for _, ct := range childdata.DefaultCaseTypes() {
		if ct.Code == code {
			return ct.Label
		}
	}
	return code
}

func yesNo(b *bool) string {
	switch {
	case b == nil:
		return ""
	case *b:
		return "Y"
	}
	return "N"
}

// childColumns are the table's sortable columns, in order.
var childColumns = []struct{ key, label string }{
	{"case", "Case ID"}, {"child", "Child ID"}, {"dob", "Date of birth"}, {"law", "Law type"}, {"type", "Case type"},
	{"practitioner", "Practitioner"}, {"team", "Team"}, {"area", "Service area"}, {"start", "Start"}, {"end", "End"},
}

func (s *Server) handleChildDataShow(w http.ResponseWriter, r *http.Request) error {
	d, err := s.childDataVisitFor(r)
	if err != nil {
		return err
	}
	return s.renderChildData(w, r, d, http.StatusOK, nil)
}

func (s *Server) renderChildData(w http.ResponseWriter, r *http.Request, d visit.Details, status int, sampleErrs form.Errors) error {
	ctx := r.Context()
	u, _ := currentUser(ctx)
	cal, err := s.calendar(ctx)
	if err != nil {
		return err
	}
	plan, err := d.Dates(cal, london)
	if err != nil {
		return err
	}
	sum, err := s.store.ChildDataSummary(ctx, d.ID)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	filter := store.ChildRowFilter{
		LawType: q.Get("law"), CaseType: q.Get("type"), ServiceArea: q.Get("area"), Team: q.Get("team"),
		Search: clean(q.Get("q")), Sort: q.Get("sort"), Desc: q.Get("desc") == "1",
	}
	if utf8.RuneCountInString(filter.Search) > 100 {
		filter.Search = string([]rune(filter.Search)[:100])
	}
	if _, ok := store.ChildRowSorts[filter.Sort]; !ok {
		filter.Sort = "case"
	}
	filter.Page, _ = queryInt(r, "page", 1, math.MaxInt32) // 0, the first page, when not a page number
	page, err := s.store.ListChildRows(ctx, d.ID, filter)
	if err != nil {
		return err
	}
	sample, err := s.store.ListSample(ctx, d.ID)
	if err != nil {
		return err
	}
	released, err := s.store.SampleReleased(ctx, d.ID)
	if err != nil {
		return err
	}
	can := canSample(u, d)
	base := visitHref(d) + "/child-data"
	v := pages.ChildDataView{
		Page:   s.page(r, "Child-level data, "+d.Reference),
		Header: visitHeader(d, plan, s.today(), u, "child-data"),
		Rows:   sum.Rows, Search: filter.Search, Sort: filter.Sort, Desc: filter.Desc, Total: page.Total,
		CanSample: can, ReleaseHref: base + "/sample/release", CafcassHref: visitHref(d) + "/case-sample",
		SampleErrors: sampleErrs,
	}
	v.Page.HasErrors = sampleErrs.Any()
	for _, l := range sum.Lists {
		v.Lists = append(v.Lists, fmt.Sprintf("%s: %d rows, covering %s to %s", l.FileName, l.RowCount,
			timeline.FormatDate(l.Cover.From), timeline.FormatDate(l.Cover.To)))
	}
	if !sum.FirstEnd.IsZero() {
		v.Covers = append(v.Covers, "Cases closed "+timeline.FormatDate(sum.FirstEnd)+" to "+timeline.FormatDate(sum.LastEnd))
	}
	if !sum.FirstStart.IsZero() {
		v.Covers = append(v.Covers, "Cases started "+timeline.FormatDate(sum.FirstStart)+" to "+timeline.FormatDate(sum.LastStart))
	}
	opts := func(chosen, all string, counts []store.Count, label func(string) string) []components.Option {
		o := []components.Option{{Value: "", Text: all, Checked: chosen == ""}}
		for _, c := range counts {
			o = append(o, components.Option{Value: c.Value, Text: label(c.Value), Checked: c.Value == chosen})
		}
		return o
	}
	same := func(s string) string { return s }
	law := func(s string) string { return childLawLabels[s] }
	for _, c := range sum.ByLaw {
		v.ByLaw = append(v.ByLaw, pages.ChildCount{Label: law(c.Value), N: c.N})
	}
	for _, c := range sum.ByCaseType {
		v.ByCaseType = append(v.ByCaseType, pages.ChildCount{Label: caseTypeLabel(c.Value), N: c.N})
	}
	for _, c := range sum.ByServiceArea {
		v.ByServiceArea = append(v.ByServiceArea, pages.ChildCount{Label: c.Value, N: c.N})
	}
	var teams []store.Count
	seenTeam := map[string]bool{}
	for _, c := range sum.ByTeam {
		v.ByTeam = append(v.ByTeam, pages.ChildCount{Label: c.Team + " (" + c.Area + ")", N: c.N})
		if !seenTeam[c.Team] {
			seenTeam[c.Team] = true
			teams = append(teams, store.Count{Value: c.Team})
		}
	}
	v.Law = opts(filter.LawType, "All", sum.ByLaw, law)
	v.CaseType = opts(filter.CaseType, "All", sum.ByCaseType, caseTypeLabel)
	v.Area = opts(filter.ServiceArea, "All", sum.ByServiceArea, same)
	v.Team = opts(filter.Team, "All", teams, same)

	link := func(sort string, desc bool, pg int) string {
		p := url.Values{}
		for k, val := range map[string]string{"law": filter.LawType, "type": filter.CaseType, "area": filter.ServiceArea, "team": filter.Team, "q": filter.Search} {
			if val != "" {
				p.Set(k, val)
			}
		}
		p.Set("sort", sort)
		if desc {
			p.Set("desc", "1")
		}
		if pg > 1 {
			p.Set("page", strconv.Itoa(pg))
		}
		return base + "?" + p.Encode() + "#rows"
	}
	for _, c := range childColumns {
		sl := pages.ChildSortLink{Label: c.label, Href: link(c.key, false, 1), Sort: "none"}
		if c.key == filter.Sort {
			sl.Sort = "ascending"
			sl.Href = link(c.key, !filter.Desc, 1)
			if filter.Desc {
				sl.Sort = "descending"
			}
		}
		v.Columns = append(v.Columns, sl)
	}
	for _, row := range page.Rows {
		rv := pages.ChildRowView{
			CaseID: row.CaseID, ChildID: row.ChildID, CaseName: row.CaseName, DOB: row.DateOfBirth.Format("2/1/2006"),
			Law: law(row.LawType), CaseType: caseTypeLabel(row.CaseType), Practitioner: row.Practitioner, Team: row.Team,
			Area: row.ServiceArea, Start: row.CaseStart.Format("2/1/2006"), End: row.CaseEnd.Format("2/1/2006"),
			Seen: yesNo(row.ChildSeen), Sampled: row.Sampled,
		}
		if can {
			rv.AddHref = base + "/sample/new?" + url.Values{"case": {row.CaseID}, "child": {row.ChildID}}.Encode()
		}
		v.Table = append(v.Table, rv)
	}
	if page.Total == 0 {
		v.Showing = "No rows match."
	} else {
		first := (page.Page-1)*store.ChildRowsPerPage + 1
		v.Showing = fmt.Sprintf("Showing %d to %d of %d rows", first, first+len(page.Rows)-1, page.Total)
	}
	if page.Page > 1 {
		v.Pagination.Previous = &components.PaginationLink{Href: link(filter.Sort, filter.Desc, page.Page-1), HiddenText: " page", Label: fmt.Sprintf("%d of %d", page.Page-1, page.Pages)}
	}
	if page.Page < page.Pages {
		v.Pagination.Next = &components.PaginationLink{Href: link(filter.Sort, filter.Desc, page.Page+1), HiddenText: " page", Label: fmt.Sprintf("%d of %d", page.Page+1, page.Pages)}
	}
	v.Pagination.LandmarkLabel = "Pages of rows"
	for _, c := range sample {
		v.Sample = append(v.Sample, pages.SampleRow{
			RemoveAction: base + "/sample/" + c.PublicID + "/remove", CaseID: c.CaseID, ChildID: c.ChildID, CaseName: c.CaseName, Inspector: c.InspectorName,
			Reason: c.Reason, Selected: c.SelectedBy + ", " + c.SelectedAt.In(london).Format("2 Jan 2006"), InList: c.InList,
		})
	}
	if !released.IsZero() {
		v.Released = released.In(london).Format("Mon 2 Jan 2006 15:04")
	}
	if err := s.recordChildView(r, d, visit.ChildRowsPage); err != nil {
		return err
	}
	return s.render(w, r, status, pages.ChildData(v))
}

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
	page, err := s.store.ListChildRows(r.Context(), d.ID, store.ChildRowFilter{Search: caseID})
	if err != nil {
		return pages.ChildSampleNewView{}, err
	}
	var row *store.ChildRow
	for i := range page.Rows {
		if page.Rows[i].CaseID == caseID && page.Rows[i].ChildID == childID {
			row = &page.Rows[i]
		}
	}
	if row == nil {
		return pages.ChildSampleNewView{}, store.ErrNotFound
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
	if !canSample(u, d) {
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
	d, err := s.visitFor(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	u, _ := currentUser(ctx)
	if !visit.CanSeeChildRecord(u, d, visit.CaseSample, true) {
		return store.ErrNotFound
	}
	cal, err := s.calendar(ctx)
	if err != nil {
		return err
	}
	plan, err := d.Dates(cal, london)
	if err != nil {
		return err
	}
	released, err := s.store.SampleReleased(ctx, d.ID)
	if err != nil {
		return err
	}
	v := pages.CaseSampleView{Page: s.page(r, "Case sample, "+d.Reference), Header: visitHeader(d, plan, s.today(), u, "case-sample")}
	if !released.IsZero() {
		v.Released = released.In(london).Format("Mon 2 Jan 2006")
		sample, err := s.store.ListSample(ctx, d.ID)
		if err != nil {
			return err
		}
		for _, c := range sample {
			// Only what Cafcass may see is copied: no reason.
			v.Rows = append(v.Rows, pages.CaseSampleRow{CaseID: c.CaseID, ChildID: c.ChildID, CaseName: c.CaseName, Inspector: c.InspectorName})
		}
		if err := s.recordChildView(r, d, visit.CaseSample); err != nil {
			return err
		}
	}
	return s.render(w, r, http.StatusOK, pages.CaseSample(v))
}

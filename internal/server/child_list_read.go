package server

import (
	"bufio"
	"context"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"path"
	"strconv"
	"strings"

	"github.com/ofsted/focusedvisits/internal/childdata"
	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/upload"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

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

// childListUpload is what readChildList read from the multipart body: the
// form's dates, what is wrong with the form, and the file staged when
// nothing was.
type childListUpload struct {
	form   childListForm
	errs   form.Errors
	staged upload.File
}

// readChildList reads the parts of a child-level list upload: the date
// fields, then the list, which is staged only when the dates are right. It
// returns an error when the body could not be read, having discarded the
// staged file if the body broke off after it.
func (s *Server) readChildList(r *http.Request, d visit.Details, it store.RequestItem, mr *multipart.Reader, max int64) (childListUpload, error) {
	var up childListUpload
	fields := map[string]string{}
	dates := func() childListForm {
		return childListForm{
			From: DateField{Day: fields["covers-from-day"], Month: fields["covers-from-month"], Year: fields["covers-from-year"]},
			To:   DateField{Day: fields["covers-to-day"], Month: fields["covers-to-month"], Year: fields["covers-to-year"]},
		}
	}
	fileSeen := false
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			s.store.DiscardFiles(r.Context(), up.staged.ID)
			return up, err
		}
		if part.FormName() != "file" {
			b, err := io.ReadAll(io.LimitReader(part, maxFieldBytes))
			if err != nil {
				return up, err
			}
			fields[part.FormName()] = strings.TrimSpace(string(b))
			continue
		}
		if fileSeen || part.FileName() == "" {
			continue
		}
		fileSeen = true
		up.form = dates()
		up.errs = coverErrors(up.form)
		if up.errs.Any() {
			// Nothing will be stored: do not read the file.
			continue
		}
		var problem string
		up.staged, problem, err = s.stageChildList(r, d, it, part, max)
		if err != nil {
			return up, err
		}
		if problem != "" {
			up.errs.Add("file", problem)
		}
	}
	if !fileSeen {
		up.form = dates()
		up.errs = coverErrors(up.form)
		up.errs.Add("file", "Select the list")
	}
	return up, nil
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
func (s *Server) childListCheck(ctx context.Context, f upload.File, cover childdata.DateRange, schema *childdata.Schema) store.CheckFunc {
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
		return childdata.Check(rd, cover, childdata.Options{Schema: schema, Today: s.today(), MaxRows: s.cfg.ImportMaxRows, Accept: accept})
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

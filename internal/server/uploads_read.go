package server

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"

	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/upload"
	"github.com/ofsted/focusedvisits/internal/visit"
)

// uploadProblems collects what is wrong with the files of one upload.
type uploadProblems struct {
	errs     form.Errors
	tooLarge bool // answer 413 rather than 422
	conflict bool // answer 409
}

func (p *uploadProblems) add(msg string) { p.errs.Add("file-upload", msg) }

// fileUpload is what handleFileCreate read from the multipart body: the
// files staged so far, the names we prefixed with the item number, and
// what is wrong with the files.
type fileUpload struct {
	staged []upload.File
	added  []string // names we prefixed
	probs  uploadProblems
}

// ids are the ids of the staged files.
func (up fileUpload) ids() []int64 {
	ids := make([]int64, len(up.staged))
	for i, f := range up.staged {
		ids[i] = f.ID
	}
	return ids
}

// readUpload reads the parts of an upload's multipart body, staging each
// file while nothing is wrong and checking the rest, so that every problem
// is reported at once. It returns an error when the body could not be
// read; either way the files it staged are in the result, for the caller
// to commit or discard.
func (s *Server) readUpload(r *http.Request, d visit.Details, item store.RequestItem, mr *multipart.Reader, max int64) (fileUpload, error) {
	var up fileUpload
	files := 0
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return up, err
		}
		if part.FormName() != "files" || part.FileName() == "" {
			// Other fields, and the empty part a browser sends when no file
			// was chosen: NextPart skips what is left of them.
			continue
		}
		files++
		if files > maxFilesPerUpload {
			up.probs.add(fmt.Sprintf("Select up to %d files at a time", maxFilesPerUpload))
			break
		}
		f, problem, err := s.stagePart(r, d, item, part, max, len(up.probs.errs) == 0)
		if err != nil {
			return up, err
		}
		switch {
		case problem != "":
			up.probs.add(problem)
			up.probs.tooLarge = up.probs.tooLarge || strings.Contains(problem, "must be smaller")
		case f.ID != 0:
			up.staged = append(up.staged, f)
			if f.Name != f.OriginalName {
				up.added = append(up.added, f.Name)
			}
		}
	}
	if files == 0 {
		up.probs.add("Select a file")
	}
	return up, nil
}

// stagePart checks one file part and, when stage is set and nothing is
// wrong so far, streams it into a staged file. It returns a problem to
// show the user, or an error when the body could not be read.
func (s *Server) stagePart(r *http.Request, d visit.Details, item store.RequestItem, part *multipart.Part, max int64, stage bool) (upload.File, string, error) {
	u, _ := currentUser(r.Context())
	name := upload.CleanName(part.FileName())
	shown := name
	if shown == "" {
		shown = "The selected file"
		name = "file"
	}
	br := bufio.NewReaderSize(part, upload.SniffLen)
	head, err := br.Peek(upload.SniffLen)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return upload.File{}, "", err
	}
	ct, err := upload.Check(name, head)
	switch {
	case errors.Is(err, upload.ErrNotAllowed):
		return upload.File{}, shown + " must be a " + upload.Allowed + " file", nil
	case errors.Is(err, upload.ErrMismatch):
		return upload.File{}, fmt.Sprintf("%s must be %s: its content is a different type of file", shown, upload.Label(name)), nil
	case errors.Is(err, upload.ErrEmpty):
		return upload.File{}, shown + " is empty", nil
	case err != nil:
		return upload.File{}, "", err
	}
	tooLarge := fmt.Sprintf("%s must be smaller than %s", shown, upload.FormatSize(max))
	if !stage {
		// Something else is wrong, so nothing will be stored: only check
		// the size, to report every problem at once.
		n, err := io.Copy(io.Discard, io.LimitReader(br, max+1))
		if err != nil {
			return upload.File{}, "", err
		}
		if n > max {
			return upload.File{}, tooLarge, nil
		}
		return upload.File{}, "", nil
	}
	stored, _ := upload.WithItemNumber(name, item.Number)
	f, err := s.store.StageFile(r.Context(), store.NewFile{
		VisitID: d.ID, ItemID: item.ID, Name: stored, OriginalName: name, ContentType: ct, MaxBytes: max,
	}, br, u)
	switch {
	case errors.Is(err, upload.ErrTooLarge):
		return upload.File{}, tooLarge, nil
	case errors.Is(err, upload.ErrEmpty):
		return upload.File{}, shown + " is empty", nil
	case err != nil:
		return upload.File{}, "", err
	}
	return f, "", nil
}

// uploadReadError answers when the request body could not be read: over
// the whole request's limit (413 with the page), or cut off or malformed.
func (s *Server) uploadReadError(w http.ResponseWriter, r *http.Request, d visit.Details, item store.RequestItem, probs *uploadProblems, err error) error {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		probs.tooLarge = true
		probs.errs = form.Errors{{Field: "file-upload", Message: fmt.Sprintf(
			"The selected files must be smaller than %s in total: upload them a few at a time", upload.FormatSize(tooBig.Limit-1<<20))}}
		return s.renderUploadProblems(w, r, d, item, probs)
	}
	if r.Context().Err() != nil {
		return r.Context().Err() // the client went away
	}
	return badRequest(err)
}

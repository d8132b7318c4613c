package server

import (
	"context"
	"errors"
	"fmt"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"net/http"
	"strconv"
	"strings"

	"github.com/ofsted/focusedvisits/internal/annexa"
	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/upload"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/web/pages"
)

// maxFilesPerUpload bounds the files chosen together; the whole request is
// bounded by this many times the per-file limit.
const maxFilesPerUpload = 5

// canUpload reports whether u may upload and remove files of the item on
// the visit, whatever its status (annexa.ChangeFiles: its Cafcass members,
// its lead inspector or an administrator, while the visit is active; the
// files of an item that holds children's data only for those who may see
// it, DOMAIN decision 17).
func canUpload(u user.User, d visit.Details, it store.RequestItem) bool {
	err := annexa.Check(annexa.ChangeFiles, annexa.ActorFor(u, d), itemFacts(d, it))
	return err == nil || errors.Is(err, annexa.ErrFilesFrozen)
}

// canChangeFiles reports whether u may upload, replace and remove files on
// the item now: canUpload, and the item's status allows it (Cafcass cannot
// change the files of an item it has submitted until Ofsted returns it).
func canChangeFiles(u user.User, d visit.Details, it store.RequestItem) bool {
	return annexa.Check(annexa.ChangeFiles, annexa.ActorFor(u, d), itemFacts(d, it)) == nil
}

// frozenMessage says why the files of an item with status st cannot change.
func frozenMessage(st annexa.Status) string {
	if st == annexa.Accepted {
		return "Ofsted has accepted this item, so its files can no longer be changed"
	}
	return "This item has been submitted, so its files cannot be changed unless Ofsted returns it"
}

func fileHref(d visit.Details, f upload.File) string {
	return visitHref(d) + "/files/" + f.PublicID
}

// fileFor loads the file named in the URL and its item, on a visit the
// user may see: a made-up id, another visit's file, a visit they may not
// see and a child-level file they may not see (DOMAIN decision 17) all
// answer with the same 404. child says whether the file holds children's
// data, so that its download is recorded.
func (s *Server) fileFor(r *http.Request) (d visit.Details, it store.RequestItem, f upload.File, child bool, err error) {
	d, err = s.visitFor(r)
	if err != nil {
		return d, it, f, false, err
	}
	id, ok := publicIDParam(r, "fileID")
	if !ok {
		return d, it, f, false, store.ErrNotFound
	}
	ctx := r.Context()
	if f, err = s.store.GetFileByPublicID(ctx, d.ID, id); err != nil {
		return d, it, f, false, err
	}
	if it, err = s.store.GetItem(ctx, d.ID, f.ItemID); err != nil {
		return d, it, f, false, err
	}
	child = it.Kind.HoldsChildData()
	u, _ := currentUser(ctx)
	if child && !annexa.CanSeeChildRecord(u, d, visit.ChildFile, f.UploaderRole) {
		return visit.Details{}, store.RequestItem{}, upload.File{}, false, store.ErrNotFound
	}
	return d, it, f, child, nil
}

// childFilesHidden is what an item's page says instead of its files to
// someone who may not see them.
const childFilesHidden = "These files hold children's data. Only the visit's lead inspector, team inspectors and senior analytical officers see them."

// fileSection is the files part of an item page, for s.itemFiles.
func (s *Server) fileSection(r *http.Request, d visit.Details, item store.RequestItem, errMsg string) (pages.ItemFilesView, error) {
	u, _ := currentUser(r.Context())
	if item.Kind.HoldsChildData() && !visit.MaySendChildData(u, d) {
		// Not even the files' names: for them the files are not there.
		return pages.ItemFilesView{Hidden: childFilesHidden}, nil
	}
	docs, err := s.store.ListItemFiles(r.Context(), item.ID)
	if err != nil {
		return pages.ItemFilesView{}, err
	}
	can := canChangeFiles(u, d, item)
	v := pages.ItemFilesView{
		ShowDigest:   showsDigest(u, d),
		CanUpload:    can,
		Action:       itemHref(d, item) + "/files",
		Number:       item.Number,
		MaxSize:      upload.FormatSize(s.maxUploadBytes()),
		Accept:       upload.Accept,
		ErrorMessage: errMsg,
	}
	if canUpload(u, d, item) && !can {
		v.Frozen = frozenMessage(item.Status)
	}
	if item.Kind == annexa.ChildList {
		v.ChildListHref = itemHref(d, item) + "/child-list"
	}
	// Of an item's children's data, Cafcass sees what it sent.
	sees := func(f upload.File) bool {
		return !item.Kind.HoldsChildData() || annexa.CanSeeChildRecord(u, d, visit.ChildFile, f.UploaderRole)
	}
	for _, doc := range docs {
		if !sees(doc.Current) {
			continue
		}
		row := pages.DocumentRow{FileRow: s.fileRow(d, doc.Current)}
		if can {
			row.RemoveHref = fileHref(d, doc.Current) + "/remove"
		}
		for _, e := range doc.Earlier {
			if sees(e) {
				row.Earlier = append(row.Earlier, s.fileRow(d, e))
			}
		}
		v.Documents = append(v.Documents, row)
	}
	return v, nil
}

// showsDigest reports whether u sees files' SHA-256 digests: Ofsted's
// check that a file is the one sent, not shown to Cafcass.
func showsDigest(u user.User, d visit.Details) bool { return !annexa.ActorFor(u, d).Cafcass }

func (s *Server) fileRow(d visit.Details, f upload.File) pages.FileRow {
	return pages.FileRow{
		ID: f.PublicID, Name: f.Name, Href: fileHref(d, f), Size: upload.FormatSize(f.Size), Version: f.Version,
		UploadedBy: f.UploaderName, UploadedAt: timeline.FormatTime(f.UploadedAt),
		SHA256: f.Digest(), ShortSHA: f.ShortDigest(),
	}
}

func (s *Server) maxUploadBytes() int64 {
	if s.cfg.UploadMaxBytes > 0 {
		return s.cfg.UploadMaxBytes
	}
	return upload.DefaultMaxBytes
}

// handleFileCreate stores the files chosen together, streaming each part
// of the multipart body into the database as it arrives (never buffering a
// whole file). Each file's type is judged from its content; names that do
// not begin with the item number get it added. Either every file is stored
// or none: on any problem the staged files are discarded and the page
// lists every problem.
func (s *Server) handleFileCreate(w http.ResponseWriter, r *http.Request) error {
	d, item, err := s.itemFor(r)
	if err != nil {
		return err
	}
	ctx := r.Context()
	u, _ := currentUser(ctx)
	if !canUpload(u, d, item) {
		return forbidden(errors.New("may not upload to this visit"))
	}
	if !canChangeFiles(u, d, item) {
		return s.renderFilesFrozen(w, r, d, item)
	}
	if item.Kind == annexa.ChildList {
		// A child-level list goes through its own form, which checks it.
		http.Redirect(w, r, itemHref(d, item)+"/child-list", http.StatusSeeOther)
		return nil
	}
	max := s.maxUploadBytes()
	limit := max*maxFilesPerUpload + 1<<20 // room for the multipart headers
	if r.ContentLength > limit {
		return s.renderUploadProblems(w, r, d, item, &uploadProblems{tooLarge: true, errs: form.Errors{{Field: "file-upload",
			Message: fmt.Sprintf("The selected files must be smaller than %s in total: upload them a few at a time", upload.FormatSize(limit-1<<20))}}})
	}
	allowSlowBody(w)
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	mr, err := r.MultipartReader()
	if err != nil {
		return badRequest(err)
	}
	up, err := s.readUpload(r, d, item, mr, max)
	if err != nil {
		s.store.DiscardFiles(ctx, up.ids()...)
		return s.uploadReadError(w, r, d, item, &up.probs, err)
	}
	if up.probs.errs.Any() {
		s.store.DiscardFiles(ctx, up.ids()...)
		return s.renderUploadProblems(w, r, d, item, &up.probs)
	}
	return s.commitUpload(w, r, d, item, up)
}

// commitUpload keeps the files staged by readUpload, or discards them all
// when they cannot be kept.
func (s *Server) commitUpload(w http.ResponseWriter, r *http.Request, d visit.Details, item store.RequestItem, up fileUpload) error {
	ctx := r.Context()
	u, _ := currentUser(ctx)
	discard := func() { s.store.DiscardFiles(ctx, up.ids()...) }
	// Committing also starts an item Cafcass had not started on, in the
	// same transaction (annexa.StartsOnUpload).
	_, err := s.store.CommitFiles(ctx, d.ID, up.ids(), u)
	if errors.Is(err, annexa.ErrFilesFrozen) {
		// Submitted while the files were on their way.
		discard()
		return s.renderFilesFrozen(w, r, d, item)
	}
	if errors.Is(err, store.ErrConflict) {
		// Not expected (commits take the item's lock in turn), but never a 500.
		discard()
		return s.renderUploadProblems(w, r, d, item, &uploadProblems{conflict: true, errs: form.Errors{{Field: "file-upload",
			Message: "The item's files changed as you uploaded: check the files below, then upload yours again"}}})
	}
	if err != nil {
		discard()
		return err
	}
	s.flash(r, uploadedMessage(len(up.staged), up.added))
	http.Redirect(w, r, itemHref(d, item)+"#files", http.StatusSeeOther)
	return nil
}

// uploadErrorKey carries the file input's error message to itemFiles when
// the item page is shown again after a failed upload.
type uploadErrorKey struct{}

// renderUploadProblems shows the item page again with the problems in its
// error summary and on the file input: 413 when a file was too large, 422
// otherwise. Nothing was stored.
func (s *Server) renderUploadProblems(w http.ResponseWriter, r *http.Request, d visit.Details, item store.RequestItem, probs *uploadProblems) error {
	r = r.WithContext(context.WithValue(r.Context(), uploadErrorKey{}, probs.errs[0].Message))
	v, err := s.itemShowView(r, d, item, itemInput{}, probs.errs)
	if err != nil {
		return err
	}
	status := http.StatusUnprocessableEntity
	switch {
	case probs.tooLarge:
		status = http.StatusRequestEntityTooLarge
	case probs.conflict:
		status = http.StatusConflict
	}
	return s.render(w, r, status, pages.RequestItemShow(v))
}

// renderFilesFrozen answers an upload, replacement or removal the item's
// status does not allow now: 409, with the item page as it is now and the
// reason in its error summary.
func (s *Server) renderFilesFrozen(w http.ResponseWriter, r *http.Request, d visit.Details, item store.RequestItem) error {
	fresh, err := s.store.GetItem(r.Context(), d.ID, item.ID)
	if err != nil {
		return err
	}
	errs := form.Errors{{Field: "files", Message: frozenMessage(fresh.Status)}}
	v, err := s.itemShowView(r, d, fresh, itemInput{}, errs)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusConflict, pages.RequestItemShow(v))
}

func uploadedMessage(n int, added []string) string {
	msg := "1 file uploaded."
	if n != 1 {
		msg = strconv.Itoa(n) + " files uploaded."
	}
	if len(added) > 0 {
		msg += " We added the item number: " + strings.Join(added, ", ") + "."
	}
	return msg
}

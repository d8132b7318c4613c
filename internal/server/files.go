package server

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/ofsted/focusedvisits/internal/annexa"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/upload"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/web/pages"
)

// handleFileShow downloads a file as an attachment, streamed chunk by chunk
// from the database, with the type detected at upload.
func (s *Server) handleFileShow(w http.ResponseWriter, r *http.Request) error {
	d, _, f, child, err := s.fileFor(r)
	if err != nil {
		return err
	}
	u, _ := currentUser(r.Context())
	if err := s.store.RecordFileDownload(r.Context(), f, u); err != nil {
		return err
	}
	if child {
		if err := s.recordChildView(r, d, visit.ChildFile); err != nil {
			return err
		}
	}
	h := w.Header()
	h.Set("Content-Type", f.ContentType)
	h.Set("Content-Disposition", contentDisposition(f.Name))
	h.Set("Content-Length", strconv.FormatInt(f.Size, 10))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; sandbox; frame-ancestors 'none'")
	h.Set("Digest", "sha-256="+f.Digest())
	w.WriteHeader(http.StatusOK)
	if _, err := io.Copy(w, s.store.OpenFile(r.Context(), f)); err != nil && r.Context().Err() == nil {
		// The headers are gone: all we can do is cut the response short
		// (the client sees fewer bytes than Content-Length) and log it.
		s.log.ErrorContext(r.Context(), "download failed", "file_id", f.ID, "request_id", requestID(r.Context()), "error", err)
		panic(http.ErrAbortHandler)
	}
	return nil
}

// contentDisposition names the file for saving: an ASCII fallback and the
// exact UTF-8 name (RFC 6266, RFC 5987).
func contentDisposition(name string) string {
	ascii := strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' || r == '%' {
			return '_'
		}
		return r
	}, name)
	return fmt.Sprintf(`attachment; filename="%s"; filename*=UTF-8''%s`, ascii, strings.ReplaceAll(url.PathEscape(name), "+", "%2B"))
}

// fileItemFor is fileFor for changing a file: 403 for those who may not
// change the visit's files at all, the item page with a 409 when the item's
// status does not allow it now.
func (s *Server) fileItemFor(w http.ResponseWriter, r *http.Request) (visit.Details, upload.File, store.RequestItem, bool, error) {
	d, it, f, _, err := s.fileFor(r)
	if err != nil {
		return d, f, it, false, err
	}
	u, _ := currentUser(r.Context())
	if !canUpload(u, d, it) {
		return d, f, it, false, forbidden(errors.New("may not remove files of this visit"))
	}
	if !canChangeFiles(u, d, it) {
		return d, f, it, false, s.renderFilesFrozen(w, r, d, it)
	}
	return d, f, it, true, nil
}

func (s *Server) handleFileRemoveConfirm(w http.ResponseWriter, r *http.Request) error {
	d, f, _, ok, err := s.fileItemFor(w, r)
	if !ok {
		return err
	}
	docs, err := s.store.ListItemFiles(r.Context(), f.ItemID)
	if err != nil {
		return err
	}
	u, _ := currentUser(r.Context())
	earlier := 0
	for _, doc := range docs {
		if doc.Current.ID == f.ID {
			earlier = len(doc.Earlier)
		}
	}
	return s.render(w, r, http.StatusOK, pages.FileRemove(pages.FileRemoveView{
		Page:     s.page(r, "Remove "+f.Name),
		Caption:  d.Reference,
		BackHref: itemHref(d, store.RequestItem{ID: f.ItemID, PublicID: f.ItemPublicID}) + "#files",
		Action:   fileHref(d, f) + "/remove",
		File:     s.fileRow(d, f),
		Earlier:  earlier,
		// The signed-in user may see the visit (fileItemFor).
		ShowDigest: showsDigest(u, d),
	}))
}

func (s *Server) handleFileRemove(w http.ResponseWriter, r *http.Request) error {
	d, f, it, ok, err := s.fileItemFor(w, r)
	if !ok {
		return err
	}
	u, _ := currentUser(r.Context())
	// The store checks the status again with the item locked: a submission
	// that got there first wins.
	_, err = s.store.RemoveFile(r.Context(), d.ID, f.ID, u)
	if errors.Is(err, annexa.ErrFilesFrozen) {
		return s.renderFilesFrozen(w, r, d, it)
	}
	if err != nil {
		return err
	}
	s.flash(r, f.Name+" removed.")
	http.Redirect(w, r, itemHref(d, store.RequestItem{ID: f.ItemID, PublicID: f.ItemPublicID})+"#files", http.StatusSeeOther)
	return nil
}

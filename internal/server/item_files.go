package server

import (
	"net/http"

	"github.com/a-h/templ"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/web/pages"
)

// itemFiles is the files section of a request item's page (GET
// /visits/{visitID}/request/items/{itemID}): the item's files and, for
// those who may add them, the upload form. The item page renders it inside
// <div id="files">, under an h2 "Files", and links the "add at least one
// file" error there.
//
// Contract: d is a visit the signed-in user may see (visitFor has run, so a
// Cafcass user is on it and notice is given) and item belongs to d. It must
// render no h1. After a failed upload, the file input shows the message
// renderUploadProblems put in the request's context.
func (s *Server) itemFiles(r *http.Request, d visit.Details, item store.RequestItem) (templ.Component, error) {
	msg, _ := r.Context().Value(uploadErrorKey{}).(string)
	v, err := s.fileSection(r, d, item, msg)
	if err != nil {
		return nil, err
	}
	return pages.ItemFiles(v), nil
}

package pages

import (
	"github.com/ofsted/focusedvisits/web/layout"
)

// FileRow is one stored version of a file.
type FileRow struct {
	ID         string // the file's public id
	Name       string
	Href       string // download
	Size       string // "2.3 MB"
	Version    int
	UploadedBy string
	UploadedAt string // "Tue 15 Apr 2025 10:02"
	SHA256     string // full, hex
	ShortSHA   string // first 8 hex digits
	RemoveHref string // set when the user may remove it
}

// DocumentRow is a file on an item: its current version and the earlier
// versions it replaced, newest first.
type DocumentRow struct {
	FileRow
	Earlier []FileRow
}

// ItemFilesView is the files section of a request item: the documents and,
// for those who may upload, the upload form.
type ItemFilesView struct {
	Documents []DocumentRow
	// ShowDigest shows each file's SHA-256: Ofsted's check that a file is
	// the one sent, which means nothing to Cafcass.
	ShowDigest bool
	CanUpload  bool
	Action     string // the upload form's action
	Number     string // the item number names must begin with
	MaxSize    string // "100 MB"
	Accept     string
	// ErrorMessage is shown on the file input after a failed upload.
	ErrorMessage string
	// Frozen, when set, says why the signed-in user, who could otherwise,
	// may not change the files now (the item was submitted).
	Frozen string
	// ChildListHref, for a child-level data list, is the form that checks
	// the list row by row; it replaces the plain upload form.
	ChildListHref string
	// Hidden, when set, is shown instead of the files and the form: the
	// item's files hold children's data the user may not see.
	Hidden string
}

// FileRemoveView asks to confirm the removal of a file.
type FileRemoveView struct {
	layout.Page
	Caption  string
	BackHref string
	Action   string
	File     FileRow
	Earlier  int // how many earlier versions go with it
	// ShowDigest shows the file's SHA-256 (Ofsted only).
	ShowDigest bool
}

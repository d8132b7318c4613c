// Package upload holds the rules for files uploaded against a request item:
// what a stored file is, which types are allowed (judged from the content,
// not only the name), and how names are cleaned and prefixed with the item
// number. No SQL, no net/http.
package upload

import (
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/ofsted/focusedvisits/internal/user"
)

// DefaultMaxBytes is the default per-file size limit: 100 MB.
const DefaultMaxBytes = 100 << 20

// ChunkSize is how much of a file each stored chunk holds.
const ChunkSize = 1 << 20

// ErrTooLarge means a file went over the size limit while it was read.
var ErrTooLarge = errors.New("upload: file too large")

// ErrEmpty means a file had no content.
var ErrEmpty = errors.New("upload: file is empty")

// File is one stored version of a file.
type File struct {
	ID           int64
	PublicID     string // names the file in URLs
	VisitID      int64
	ItemID       int64
	ItemPublicID string // names the item in URLs
	Name         string // as stored, beginning with the item number
	OriginalName string // as sent, cleaned
	ContentType  string // detected from the content
	Size         int64
	SHA256       []byte
	Version      int
	Replaces     int64 // the version this one replaced, or 0
	Superseded   bool
	UploadedBy   int64
	UploaderName string
	// UploaderRole is the uploader's role, which says whether Cafcass sent
	// the file (visit.CanSeeChildRecord).
	UploaderRole user.Role
	UploadedAt   time.Time
	Removed      bool
	RemovedAt    time.Time
	RemovedBy    int64
}

// Digest is the file's SHA-256 in hex.
func (f File) Digest() string { return hex.EncodeToString(f.SHA256) }

// ShortDigest is the first 8 hex digits of the SHA-256, for lists.
func (f File) ShortDigest() string {
	d := f.Digest()
	if len(d) > 8 {
		return d[:8]
	}
	return d
}

// Document is a file name on an item: its current version and the earlier
// versions it replaced, newest first.
type Document struct {
	Current File
	Earlier []File
}

// FormatSize gives a size as people read it: "512 bytes", "2.3 KB",
// "2.3 MB", "1.2 GB" (powers of 1,024, as the size limit is).
func FormatSize(n int64) string {
	switch {
	case n < 1<<10:
		if n == 1 {
			return "1 byte"
		}
		return fmt.Sprintf("%d bytes", n)
	case n < 1<<20:
		return trimZero(fmt.Sprintf("%.1f", float64(n)/(1<<10))) + " KB"
	case n < 1<<30:
		return trimZero(fmt.Sprintf("%.1f", float64(n)/(1<<20))) + " MB"
	}
	return trimZero(fmt.Sprintf("%.1f", float64(n)/(1<<30))) + " GB"
}

func trimZero(s string) string {
	if len(s) > 2 && s[len(s)-2:] == ".0" {
		return s[:len(s)-2]
	}
	return s
}

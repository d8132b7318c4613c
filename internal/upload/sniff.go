package upload

import (
	"bytes"
	"encoding/binary"
	"errors"
	"net/http"
	"path"
	"strings"
)

// SniffLen is how much of the start of a file Check needs to see (the whole
// file when it is shorter). OOXML files name their parts in the first few
// kilobytes; 64 KiB leaves room for large [Content_Types].xml parts.
const SniffLen = 64 << 10

// ErrNotAllowed means the file's name has an extension that is not allowed.
var ErrNotAllowed = errors.New("upload: type not allowed")

// ErrMismatch means the content is not what the extension says.
var ErrMismatch = errors.New("upload: content does not match the extension")

// Allowed describes the allowed types, for error messages and hints.
const Allowed = "PDF, Word, Excel, CSV, PowerPoint, image (PNG, JPEG or GIF) or plain text"

// Accept is the file input's accept attribute: a hint for browsers only;
// the server checks the content.
const Accept = ".pdf,.doc,.docx,.xls,.xlsx,.csv,.ppt,.pptx,.png,.jpg,.jpeg,.gif,.txt"

type kind int

const (
	kPDF kind = iota
	kOLE2
	kOOXML
	kText
	kPNG
	kJPEG
	kGIF
)

type fileType struct {
	kind        kind
	contentType string
	label       string // "a PDF"
	ooxmlDir    string // the OOXML part folder: "word/", "xl/", "ppt/"
}

// types maps each allowed extension to what its content must be. The
// extension decides between types that share a container (the OLE2 .doc,
// .xls and .ppt; the OOXML zip's .docx, .xlsx and .pptx, whose part folder
// must agree).
var types = map[string]fileType{
	".pdf":  {kPDF, "application/pdf", "a PDF", ""},
	".doc":  {kOLE2, "application/msword", "a Word document", ""},
	".xls":  {kOLE2, "application/vnd.ms-excel", "an Excel spreadsheet", ""},
	".ppt":  {kOLE2, "application/vnd.ms-powerpoint", "a PowerPoint presentation", ""},
	".docx": {kOOXML, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "a Word document", "word/"},
	".xlsx": {kOOXML, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "an Excel spreadsheet", "xl/"},
	".pptx": {kOOXML, "application/vnd.openxmlformats-officedocument.presentationml.presentation", "a PowerPoint presentation", "ppt/"},
	".csv":  {kText, "text/csv", "a CSV file", ""},
	".txt":  {kText, "text/plain", "a plain text file", ""},
	".png":  {kPNG, "image/png", "a PNG image", ""},
	".jpg":  {kJPEG, "image/jpeg", "a JPEG image", ""},
	".jpeg": {kJPEG, "image/jpeg", "a JPEG image", ""},
	".gif":  {kGIF, "image/gif", "a GIF image", ""},
}

// Label is how an error message names the type the extension promises ("a
// PDF"), or "" for an extension that is not allowed.
func Label(name string) string { return types[strings.ToLower(path.Ext(name))].label }

// ContentType is the content type Check gives a file of that name when its
// content matches, or "" for an extension that is not allowed.
func ContentType(name string) string { return types[strings.ToLower(path.Ext(name))].contentType }

// IsZip reports whether head begins as a zip file does.
func IsZip(head []byte) bool { return bytes.HasPrefix(head, zipMagic) }

var (
	ole2Magic = []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}
	zipMagic  = []byte("PK\x03\x04")
	pngMagic  = []byte("\x89PNG\r\n\x1a\n")
)

// Check decides from a file's name and the start of its content (head: at
// least SniffLen bytes, or the whole file) whether it is allowed, and
// returns the content type to store and serve it with. The extension must
// be allowed and the content must be of that type: a .pdf that is really a
// program or a web page is refused. Executables, HTML, SVG and archives
// other than OOXML documents are never allowed.
func Check(name string, head []byte) (string, error) {
	t, ok := types[strings.ToLower(path.Ext(name))]
	if !ok {
		return "", ErrNotAllowed
	}
	if len(head) == 0 {
		return "", ErrEmpty
	}
	var match bool
	switch t.kind {
	case kPDF:
		match = bytes.HasPrefix(head, []byte("%PDF-"))
	case kOLE2:
		match = bytes.HasPrefix(head, ole2Magic)
	case kOOXML:
		match = bytes.HasPrefix(head, zipMagic) && ooxmlKind(head) == t.ooxmlDir
	case kPNG:
		match = bytes.HasPrefix(head, pngMagic)
	case kJPEG:
		match = bytes.HasPrefix(head, []byte{0xFF, 0xD8, 0xFF})
	case kGIF:
		match = bytes.HasPrefix(head, []byte("GIF87a")) || bytes.HasPrefix(head, []byte("GIF89a"))
	case kText:
		match = isPlainText(head)
	}
	if !match {
		return "", ErrMismatch
	}
	return t.contentType, nil
}

// ooxmlKind reads the names of the zip entries in head and returns the
// OOXML part folder they belong to ("word/", "xl/", "ppt/"), or "" when the
// zip is not an OOXML document (no [Content_Types].xml, or no part folder).
func ooxmlKind(head []byte) string {
	contentTypes, dir := false, ""
	for off := 0; ; {
		i := bytes.Index(head[off:], zipMagic)
		if i < 0 {
			break
		}
		h := head[off+i:]
		off += i + len(zipMagic)
		if len(h) < 30 {
			break
		}
		n := int(binary.LittleEndian.Uint16(h[26:28]))
		if len(h) < 30+n {
			break
		}
		entry := string(h[30 : 30+n])
		switch {
		case entry == "[Content_Types].xml":
			contentTypes = true
		case dir == "" && strings.HasPrefix(entry, "word/"):
			dir = "word/"
		case dir == "" && strings.HasPrefix(entry, "xl/"):
			dir = "xl/"
		case dir == "" && strings.HasPrefix(entry, "ppt/"):
			dir = "ppt/"
		}
	}
	if !contentTypes {
		return ""
	}
	return dir
}

// isPlainText reports whether head looks like text (no binary bytes, as
// http.DetectContentType judges) and not like a web page or SVG image,
// which a browser could run scripts in.
func isPlainText(head []byte) bool {
	if !strings.HasPrefix(http.DetectContentType(head), "text/plain") {
		return false
	}
	if bytes.IndexByte(head, 0) >= 0 && !bytes.HasPrefix(head, []byte{0xFE, 0xFF}) && !bytes.HasPrefix(head, []byte{0xFF, 0xFE}) {
		return false
	}
	lower := bytes.ToLower(head)
	for _, tag := range []string{"<script", "<svg", "<html", "<!doctype html", "<iframe", "<body"} {
		if bytes.Contains(lower, []byte(tag)) {
			return false
		}
	}
	return true
}

package upload_test

import (
	"archive/zip"
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/ofsted/focusedvisits/internal/upload"
)

// ooxml builds a small zip as Word, Excel and PowerPoint write them.
func ooxml(t *testing.T, dir string) []byte {
	t.Helper()
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for _, name := range []string{"[Content_Types].xml", "_rels/.rels", dir + "document.xml"} {
		w, err := z.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte("<xml/>"))
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestCheck(t *testing.T) {
	t.Parallel()
	ole2 := append([]byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}, make([]byte, 100)...)
	plainZip := func() []byte {
		var b bytes.Buffer
		z := zip.NewWriter(&b)
		w, _ := z.Create("evil.exe")
		w.Write([]byte("MZ"))
		z.Close()
		return b.Bytes()
	}()
	for _, tc := range []struct {
		name    string
		content []byte
		want    string
		err     error
	}{
		{"1.03 report.pdf", []byte("%PDF-1.7\n..."), "application/pdf", nil},
		{"1.03 REPORT.PDF", []byte("%PDF-1.4"), "application/pdf", nil},
		{"a.doc", ole2, "application/msword", nil},
		{"a.xls", ole2, "application/vnd.ms-excel", nil},
		{"a.ppt", ole2, "application/vnd.ms-powerpoint", nil},
		{"a.docx", ooxml(t, "word/"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", nil},
		{"a.xlsx", ooxml(t, "xl/"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", nil},
		{"a.pptx", ooxml(t, "ppt/"), "application/vnd.openxmlformats-officedocument.presentationml.presentation", nil},
		{"a.csv", []byte("id,name\n1,Ann\n"), "text/csv", nil},
		{"a.txt", []byte("Notes\r\nmore notes\xa3 (Windows-1252)"), "text/plain", nil},
		{"a.png", []byte("\x89PNG\r\n\x1a\n...."), "image/png", nil},
		{"a.jpg", []byte{0xFF, 0xD8, 0xFF, 0xE0, 0, 0}, "image/jpeg", nil},
		{"a.gif", []byte("GIF89a...."), "image/gif", nil},

		{"a.pdf", []byte("MZ\x90\x00\x03\x00\x00\x00"), "", upload.ErrMismatch},               // a program
		{"a.pdf", []byte("<!DOCTYPE html><script>alert(1)</script>"), "", upload.ErrMismatch}, // a web page
		{"a.txt", []byte("<!DOCTYPE html><html>"), "", upload.ErrMismatch},
		{"a.txt", []byte("hello <svg onload=alert(1)>"), "", upload.ErrMismatch},
		{"a.csv", []byte("\x7fELF\x02\x01\x01\x00\x00\x00"), "", upload.ErrMismatch},
		{"a.docx", ooxml(t, "xl/"), "", upload.ErrMismatch}, // an Excel file named .docx
		{"a.docx", plainZip, "", upload.ErrMismatch},        // any other zip
		{"a.docx", ole2, "", upload.ErrMismatch},
		{"a.doc", []byte("%PDF-1.7"), "", upload.ErrMismatch},
		{"a.png", []byte("GIF89a"), "", upload.ErrMismatch},
		{"a.exe", []byte("MZ"), "", upload.ErrNotAllowed},
		{"a.html", []byte("<html>"), "", upload.ErrNotAllowed},
		{"a.svg", []byte("<svg/>"), "", upload.ErrNotAllowed},
		{"a.zip", plainZip, "", upload.ErrNotAllowed},
		{"no extension", []byte("text"), "", upload.ErrNotAllowed},
		{"a.txt", nil, "", upload.ErrEmpty},
	} {
		got, err := upload.Check(tc.name, tc.content)
		if got != tc.want || !errors.Is(err, tc.err) {
			t.Errorf("Check(%q, %.12q) = %q, %v; want %q, %v", tc.name, tc.content, got, err, tc.want, tc.err)
		}
	}
}

func TestCleanName(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("a", 300) + ".pdf"
	for raw, want := range map[string]string{
		"report.pdf":                    "report.pdf",
		`C:\Users\ceo\My Docs\plan.pdf`: "plan.pdf",
		"../../etc/passwd":              "passwd",
		"a\x00b\nc\u202e.txt":           "ab c.txt", // control and bidi override characters; a line break is a space
		"  lots   of\tspace .pdf ":      "lots of space .pdf",
		`what?"<x>".csv`:                "what___x__.csv",
		"...":                           "",
		"":                              "",
		long:                            strings.Repeat("a", upload.MaxNameRunes-4) + ".pdf",
	} {
		if got := upload.CleanName(raw); got != want {
			t.Errorf("CleanName(%q) = %q, want %q", raw, got, want)
		}
	}
}

func TestWithItemNumber(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ name, number, want string }{
		{"1.03 MI report.pdf", "1.03", "1.03 MI report.pdf"},
		{"1.03_MI.pdf", "1.03", "1.03_MI.pdf"},
		{"MI report.pdf", "1.03", "1.03 MI report.pdf"},
		{"1.031 report.pdf", "1.03", "1.03 1.031 report.pdf"},
		{"cl.1 list.csv", "CL.1", "cl.1 list.csv"},
		{"1.03", "1.03", "1.03"},
	} {
		got, added := upload.WithItemNumber(tc.name, tc.number)
		if got != tc.want || added != (tc.name != tc.want) {
			t.Errorf("WithItemNumber(%q, %q) = %q, %v; want %q", tc.name, tc.number, got, added, tc.want)
		}
	}
}

func TestFormatSize(t *testing.T) {
	t.Parallel()
	for n, want := range map[int64]string{1: "1 byte", 512: "512 bytes", 2355: "2.3 KB", 2411725: "2.3 MB", 100 << 20: "100 MB", 3 << 30: "3 GB"} {
		if got := upload.FormatSize(n); got != want {
			t.Errorf("FormatSize(%d) = %q, want %q", n, got, want)
		}
	}
}

func TestContentTypeAndIsZip(t *testing.T) {
	t.Parallel()
	if got := upload.ContentType("CL.1 list.XLSX"); got != "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" {
		t.Errorf("ContentType(.XLSX) = %q", got)
	}
	if got := upload.ContentType("x.exe"); got != "" {
		t.Errorf("ContentType(.exe) = %q", got)
	}
	if !upload.IsZip([]byte("PK\x03\x04rest")) || upload.IsZip([]byte("%PDF-1.7")) {
		t.Error("IsZip")
	}
}

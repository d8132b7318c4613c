package upload_test

import (
	"path"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"github.com/ofsted/focusedvisits/internal/upload"
)

// FuzzCleanName: a cleaned name is safe to store and to put in a
// Content-Disposition header, and cleaning it again changes nothing.
func FuzzCleanName(f *testing.F) {
	for _, s := range []string{
		"report.pdf", `C:\Users\me\Desktop\1.03 MI report.pdf`, "../../etc/passwd", "a\x00b\x1b.pdf",
		"\u202Egnp.exe", "  ..hidden.. ", "\xff\xfe.csv", strings.Repeat("漢", 200) + ".xlsx",
		strings.Repeat("a", 148) + ". .pdf", "<script>.pdf", `"quoted".docx`, "tab\tname\r\n.txt", "name." + strings.Repeat("x", 20),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		name := upload.CleanName(raw)
		if name == "" {
			return
		}
		if !utf8.ValidString(name) || utf8.RuneCountInString(name) > upload.MaxNameRunes {
			t.Fatalf("CleanName(%q) = %q: invalid or too long", raw, name)
		}
		if strings.ContainsAny(name, "/\\<>:\"|?*") || strings.ContainsFunc(name, func(r rune) bool {
			return unicode.IsControl(r) || unicode.In(r, unicode.Cf) || r == utf8.RuneError
		}) {
			t.Fatalf("CleanName(%q) = %q: unsafe character", raw, name)
		}
		if strings.Trim(name, " .") != name || strings.Contains(name, "  ") {
			t.Fatalf("CleanName(%q) = %q: untrimmed", raw, name)
		}
		if again := upload.CleanName(name); again != name {
			t.Fatalf("CleanName not idempotent: %q → %q → %q", raw, name, again)
		}
	})
}

// FuzzCheck: whatever the name and content, Check never panics, never
// allows a type outside the allowed list, and never allows markup or an
// executable whatever the name says.
func FuzzCheck(f *testing.F) {
	for _, s := range [][2]string{
		{"a.pdf", "%PDF-1.4"}, {"a.pdf", "<html><script>"}, {"a.csv", "Case ID,Child ID\n1,2\n"}, {"a.csv", "MZ\x90\x00"},
		{"a.xlsx", "PK\x03\x04"}, {"a.png", "\x89PNG\r\n\x1a\n"}, {"a.svg", "<svg/>"}, {"a.html", "<html>"},
		{"a.txt", "\xff\xfe"}, {"a.exe", "MZ"}, {"a.docx", "PK\x03\x04\x14\x00\x00\x00[Content_Types].xml"}, {"A.PDF", "%PDF-"}, {"", ""},
	} {
		f.Add(s[0], []byte(s[1]))
	}
	allowed := map[string]bool{}
	f.Fuzz(func(t *testing.T, name string, head []byte) {
		ct, err := upload.Check(name, head)
		if err != nil {
			if ct != "" {
				t.Fatalf("Check(%q): error %v with type %q", name, err, ct)
			}
			return
		}
		if ct == "" || strings.Contains(ct, "html") || strings.Contains(ct, "svg") || strings.Contains(ct, "javascript") {
			t.Fatalf("Check(%q, %q) allowed as %q", name, head, ct)
		}
		if upload.Label(name) == "" {
			t.Fatalf("Check(%q) allowed an extension with no label", name)
		}
		ext := strings.ToLower(path.Ext(name))
		if ext == ".exe" || ext == ".html" || ext == ".htm" || ext == ".svg" || ext == ".js" {
			t.Fatalf("Check(%q) allowed", name)
		}
		allowed[ct] = true
	})
}

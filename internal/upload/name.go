package upload

import (
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// MaxNameRunes bounds a stored file name, extension included.
const MaxNameRunes = 150

// CleanName makes a browser-sent file name safe to store and to send back
// in a Content-Disposition header: only the last path element (some
// browsers send a full Windows path), no control or format characters, no
// leading or trailing spaces or dots, runs of spaces as one, and at most
// MaxNameRunes runes with the extension kept. It returns "" when nothing
// usable is left.
func CleanName(raw string) string {
	if i := strings.LastIndexAny(raw, `/\`); i >= 0 {
		raw = raw[i+1:]
	}
	if !utf8.ValidString(raw) {
		raw = strings.ToValidUTF8(raw, "")
	}
	var b strings.Builder
	space := false
	for _, r := range raw {
		switch {
		case unicode.IsSpace(r):
			space = true
			continue
		case unicode.IsControl(r) || unicode.In(r, unicode.Cf) || r == utf8.RuneError:
			continue
		case strings.ContainsRune(`<>:"|?*`, r):
			// Not allowed in Windows file names: the team saves these.
			r = '_'
		}
		if space && b.Len() > 0 {
			b.WriteByte(' ')
		}
		space = false
		b.WriteRune(r)
	}
	name := strings.Trim(b.String(), " .")
	if name == "" {
		return ""
	}
	if utf8.RuneCountInString(name) > MaxNameRunes {
		ext := path.Ext(name)
		if utf8.RuneCountInString(ext) > 10 {
			ext = ""
		}
		stem := []rune(strings.TrimSuffix(name, ext))
		stem = stem[:MaxNameRunes-utf8.RuneCountInString(ext)]
		name = strings.TrimRight(string(stem), " .") + ext
	}
	return name
}

// HasItemNumber reports whether name begins with the item number, followed
// by anything but another digit ("1.03 MI report.pdf", "1.03-report.pdf",
// but not "1.031 report.pdf"), ignoring case ("cl.1 list.csv").
func HasItemNumber(name, number string) bool {
	if number == "" {
		return true
	}
	if len(name) < len(number) || !strings.EqualFold(name[:len(number)], number) {
		return false
	}
	rest := name[len(number):]
	return rest == "" || !unicode.IsDigit(rune(rest[0]))
}

// WithItemNumber is the name to store: name itself when it begins with the
// item number, otherwise the number, a space and the name (added reports
// which). The result is cut to MaxNameRunes, keeping the extension.
func WithItemNumber(name, number string) (stored string, added bool) {
	if HasItemNumber(name, number) {
		return name, false
	}
	return CleanName(number + " " + name), true
}

package browsertest

import (
	"path/filepath"

	"github.com/chromedp/chromedp"
)

// UploadFiles chooses files in the <input type="file"> matching the CSS
// selector, as a user does with the file picker: the input's files are
// replaced by paths (absolute, or relative to the working directory) and
// it fires input and change, so GOV.UK Frontend's file upload sees the
// choice. Nothing is sent until the form is submitted (with Submit).
//
// Chromium reads the files when the form is submitted, from the machine
// the test runs on; write them into t.TempDir().
func (b *Browser) UploadFiles(selector string, paths ...string) {
	b.t.Helper()
	if len(paths) == 0 {
		b.t.Fatalf("browsertest: upload to %s: no files given", selector)
	}
	abs := make([]string, len(paths))
	for i, p := range paths {
		a, err := filepath.Abs(p)
		if err != nil {
			b.t.Fatalf("browsertest: upload %s: %v", p, err)
		}
		abs[i] = a
	}
	b.run("choose files for "+selector, chromedp.SetUploadFiles(chromedp.CSS(selector), abs))
	b.checkProblems()
}

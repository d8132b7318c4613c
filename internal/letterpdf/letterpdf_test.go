package letterpdf_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ofsted/focusedvisits/internal/letter"
	"github.com/ofsted/focusedvisits/internal/letterpdf"
)

// TestRender_LongLetter: a letter longer than a page, with long paragraphs
// and curly quotes, reads back (poppler's pdftotext) word for word in
// order, over several pages, the same bytes each time.
func TestRender_LongLetter(t *testing.T) {
	pdftotext, err := exec.LookPath("pdftotext")
	if err != nil {
		if os.Getenv("CI") != "" || os.Getenv("REQUIRE_BROWSER") != "" { // CI, or make test
			t.Fatal("pdftotext is missing: install Debian's poppler-utils (.ci/run does)")
		}
		t.Skip("pdftotext is missing (apt-get install poppler-utils); CI and make test fail here")
	}
	para := strings.Repeat("Cafcass’s practitioners know the children they work with well – and their work is child-centred. ", 12)
	d := letterpdf.Document{Title: "Focused visit to Cafcass, April 2025", SummaryHeading: letter.SummaryHeading,
		Facts:   []letter.Block{{Kind: letter.BlockFact, Lead: "Date of visit:", Text: "Tue 8 to Wed 9 Apr 2025"}},
		Summary: []letter.Block{{Kind: letter.BlockParagraph, Text: "Inspectors found that workers listen to children."}}}
	for i := 0; i < 8; i++ {
		d.Blocks = append(d.Blocks, letter.Block{Kind: letter.BlockHeading, Text: "Areas of strength"},
			letter.Block{Kind: letter.BlockParagraph, Text: para},
			letter.Block{Kind: letter.BlockFinding, Lead: "Private family law:", Text: para})
	}
	pdf, err := letterpdf.Render(d)
	if err != nil {
		t.Fatal(err)
	}
	if again, err := letterpdf.Render(d); err != nil || !bytes.Equal(pdf, again) {
		t.Errorf("rendering twice gives different bytes (%v)", err)
	}
	path := filepath.Join(t.TempDir(), "letter.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(pdftotext, "-layout", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	want = append(want, "Ofsted", d.Title)
	for _, b := range d.Facts {
		want = append(want, b.Words())
	}
	for _, b := range d.Blocks {
		want = append(want, b.Words())
	}
	want = append(want, d.SummaryHeading)
	for _, b := range d.Summary {
		want = append(want, b.Words())
	}
	if got, w := strings.Join(strings.Fields(string(out)), " "), strings.Join(strings.Fields(strings.Join(want, " ")), " "); got != w {
		t.Errorf("read back:\n%s\nwant:\n%s", got, w)
	}
	if pages := strings.Count(strings.TrimRight(string(out), "\f"), "\f") + 1; pages < 3 {
		t.Errorf("%d pages, want the letter over several and the summary on its own", pages)
	}
}

// BenchmarkRender prints a letter of about two pages with its summary.
func BenchmarkRender(b *testing.B) {
	para := strings.Repeat("Practitioners know the children they work with well, and their work is child-centred. ", 10)
	d := letterpdf.Document{Title: "Focused visit to Cafcass, April 2025", SummaryHeading: letter.SummaryHeading,
		Summary: []letter.Block{{Kind: letter.BlockParagraph, Text: para}}}
	for i := 0; i < 6; i++ {
		d.Blocks = append(d.Blocks, letter.Block{Kind: letter.BlockHeading, Text: "Areas of strength"}, letter.Block{Kind: letter.BlockParagraph, Text: para})
	}
	var size int
	for b.Loop() {
		pdf, err := letterpdf.Render(d)
		if err != nil {
			b.Fatal(err)
		}
		size = len(pdf)
	}
	b.ReportMetric(float64(size), "bytes/pdf")
}

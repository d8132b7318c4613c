// Package letterpdf prints a published letter of findings as a PDF, from
// the same blocks (letter.Blocks) as its web page, so that the two say the
// same thing in the same order (issue 15.7). It uses
// github.com/signintech/gopdf, a pure-Go writer kept up to date (the
// container has no browser to print with), and embeds the Go fonts
// (golang.org/x/image/font/gofont, BSD licence, the licence of Go itself),
// which cover the Latin text, curly quotes and dashes of a letter.
package letterpdf

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/signintech/gopdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goregular"

	"github.com/ofsted/focusedvisits/internal/letter"
)

// Document is what the PDF prints: the letter, then its summary for
// children and young people on a page of its own.
type Document struct {
	Title          string
	Facts          []letter.Block
	Blocks         []letter.Block
	SummaryHeading string
	Summary        []letter.Block
}

// The page: A4 in points, with 2 cm margins.
const (
	margin   = 56.7
	textSize = 11
	leading  = 15.5 // the distance between lines of body text
	gap      = 7    // the space after a paragraph
)

type printer struct {
	pdf   *gopdf.GoPdf
	width float64 // of the text column
	y     float64
	err   error
}

// Render prints the document as a PDF.
func Render(d Document) ([]byte, error) {
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4})
	pdf.SetInfo(gopdf.PdfInfo{Title: d.Title, Author: "Ofsted", Subject: "Letter of findings", Creator: "Focused visits"})
	if err := pdf.AddTTFFontData("regular", goregular.TTF); err != nil {
		return nil, fmt.Errorf("letterpdf: font: %w", err)
	}
	if err := pdf.AddTTFFontData("bold", gobold.TTF); err != nil {
		return nil, fmt.Errorf("letterpdf: font: %w", err)
	}
	p := &printer{pdf: pdf, width: gopdf.PageSizeA4.W - 2*margin}
	p.newPage()
	p.text("regular", textSize, "Ofsted", leading, 2)
	p.text("bold", 20, d.Title, 25, 10)
	for _, b := range d.Facts {
		p.text("bold", textSize, b.Lead, leading, 0)
		p.text("regular", textSize, b.Text, leading, gap)
	}
	p.y += gap
	p.blocks(d.Blocks)
	if len(d.Summary) > 0 {
		p.newPage()
		p.text("bold", 15, d.SummaryHeading, 20, gap)
		p.blocks(d.Summary)
	}
	if p.err != nil {
		return nil, fmt.Errorf("letterpdf: %w", p.err)
	}
	var buf bytes.Buffer
	if err := pdf.Write(&buf); err != nil {
		return nil, fmt.Errorf("letterpdf: write: %w", err)
	}
	return buf.Bytes(), nil
}

func (p *printer) blocks(bs []letter.Block) {
	for i, b := range bs {
		switch b.Kind {
		case letter.BlockHeading:
			p.y += gap
			p.text("bold", 14, b.Text, 19, gap)
		case letter.BlockFinding:
			p.text("bold", textSize, b.Lead, leading, 0)
			p.text("regular", textSize, b.Text, leading, gap)
		case letter.BlockAddress, letter.BlockSignature:
			after := 0.0
			if i+1 == len(bs) || bs[i+1].Kind != b.Kind {
				after = gap
			}
			p.text("regular", textSize, b.Text, leading, after)
		default:
			p.text("regular", textSize, b.Text, leading, gap)
		}
	}
}

func (p *printer) newPage() {
	p.pdf.AddPage()
	p.y = margin
}

// text prints s in the font at the size, wrapped to the column, each line
// height apart, then leaves after; it starts a new page where the next
// line would not fit.
func (p *printer) text(font string, size float64, s string, height, after float64) {
	s = strings.TrimSpace(s)
	if p.err != nil || s == "" {
		return
	}
	if p.err = p.pdf.SetFont(font, "", size); p.err != nil {
		return
	}
	lines, err := p.pdf.SplitTextWithWordWrap(s, p.width)
	if err != nil {
		p.err = err
		return
	}
	for _, line := range lines {
		if p.y+height > gopdf.PageSizeA4.H-margin {
			p.newPage()
		}
		p.pdf.SetXY(margin, p.y)
		if p.err = p.pdf.Cell(nil, strings.TrimSpace(line)); p.err != nil {
			return
		}
		p.y += height
	}
	p.y += after
}

package letter

import (
	"strings"

	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// A published letter is printed twice from the same words: as the public
// web page and as its PDF (issue 15.7). Blocks is the one place that says
// what the letter says, in order, so the two cannot drift apart.

// Header is what a published letter says about itself, copied when it is
// published: the dates of the visit, who it is addressed to, who signed it
// and when it was published.
type Header struct {
	Title         string
	VisitFrom     workday.Date
	VisitTo       workday.Date
	Addressee     string // the chief executive's name; "" when the visit has none
	AddresseeRole string
	Signatory     string // the lead inspector's name
	SignatoryRole string
	PublishedOn   workday.Date
}

// The roles printed under the addressee's and the signatory's names.
const (
	AddresseeRole = "Chief Executive, Cafcass"
	SignatoryRole = "His Majesty’s Inspector, lead inspector"
)

// HeaderParty is a Cafcass member of the visit, as the header needs them.
type HeaderParty struct {
	Name string
	Role user.Role
}

// NewHeader is the header of a letter published on the day on, with the
// visit's fieldwork days from its plan. The letter is addressed to the
// visit's Cafcass chief executive (the first member whose role is
// user.CafcassCEO) and signed by its lead inspector, the inspector who led
// the visit and wrote the letter; the seeds say nothing of who signs, and
// Ofsted's published Cafcass letters were signed by the national director,
// so the signatory's role is one constant (SignatoryRole) to change.
func NewHeader(p timeline.Plan, cafcass []HeaderParty, lead string, on workday.Date) Header {
	h := Header{Title: Title(p), AddresseeRole: AddresseeRole, Signatory: lead, SignatoryRole: SignatoryRole, PublishedOn: on}
	if m, ok := p.Milestone(timeline.CodeFieldwork); ok {
		h.VisitFrom, h.VisitTo = m.First(), m.Last()
	}
	for _, c := range cafcass {
		if c.Role == user.CafcassCEO {
			h.Addressee = c.Name
			break
		}
	}
	return h
}

// BlockKind is what a block of a printed letter is.
type BlockKind string

// The kinds of block.
const (
	// BlockFact is a line of the letter's header, "Date of visit: …".
	BlockFact BlockKind = "fact"
	// BlockAddress is a line of the address.
	BlockAddress BlockKind = "address"
	// BlockHeading is a section's heading.
	BlockHeading BlockKind = "heading"
	// BlockParagraph is a paragraph.
	BlockParagraph BlockKind = "paragraph"
	// BlockFinding is a finding: its area (Lead) and its text.
	BlockFinding BlockKind = "finding"
	// BlockSignature is a line of the signature.
	BlockSignature BlockKind = "signature"
)

// Block is one part of a printed letter. Lead is printed in bold before
// Text (a fact's name, a finding's area).
type Block struct {
	Kind BlockKind
	Lead string
	Text string
}

// Words is the block as one line of text.
func (b Block) Words() string {
	if b.Lead == "" {
		return b.Text
	}
	return b.Lead + " " + b.Text
}

// Facts are the header's lines: the dates of the visit and of publication.
func (h Header) Facts() []Block {
	var out []Block
	if !h.VisitFrom.IsZero() {
		out = append(out, Block{Kind: BlockFact, Lead: "Date of visit:", Text: timeline.FormatDates(h.VisitFrom, h.VisitTo)})
	}
	if !h.PublishedOn.IsZero() {
		out = append(out, Block{Kind: BlockFact, Lead: "Date of publication:", Text: timeline.FormatDate(h.PublishedOn)})
	}
	return out
}

// Blocks is the letter's body as it is printed, after its title and facts:
// the address and greeting, each section with its findings (sections with
// nothing in them are left out), and the signature.
func Blocks(h Header, c Content) []Block {
	var out []Block
	addressee := h.Addressee
	if addressee != "" {
		out = append(out, Block{Kind: BlockAddress, Text: addressee})
	} else {
		addressee = "Chief Executive"
	}
	if h.AddresseeRole != "" {
		out = append(out, Block{Kind: BlockAddress, Text: h.AddresseeRole})
	}
	out = append(out, Block{Kind: BlockParagraph, Text: "Dear " + addressee})
	for _, sec := range Sections {
		var body []Block
		for _, p := range Paragraphs(c.Text(sec)) {
			body = append(body, Block{Kind: BlockParagraph, Text: p})
		}
		for _, k := range Kinds {
			if k.Section() != sec {
				continue
			}
			for _, f := range c.FindingsOf(k) {
				body = append(body, Block{Kind: BlockFinding, Lead: f.Area.Label() + ":", Text: strings.TrimSpace(f.Text)})
			}
		}
		if len(body) == 0 {
			continue
		}
		out = append(out, Block{Kind: BlockHeading, Text: sec.Label()})
		out = append(out, body...)
	}
	out = append(out, Block{Kind: BlockParagraph, Text: "Yours sincerely"})
	if h.Signatory != "" {
		out = append(out, Block{Kind: BlockSignature, Text: h.Signatory})
	}
	if h.SignatoryRole != "" {
		out = append(out, Block{Kind: BlockSignature, Text: h.SignatoryRole})
	}
	return out
}

// SummaryBlocks is the summary for children and young people as it is
// printed under its heading (SummaryHeading).
func SummaryBlocks(summary string) []Block {
	var out []Block
	for _, p := range Paragraphs(summary) {
		out = append(out, Block{Kind: BlockParagraph, Text: p})
	}
	return out
}

// Paragraphs splits text at its line breaks, leaving out blank lines.
func Paragraphs(text string) []string {
	var ps []string
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			ps = append(ps, line)
		}
	}
	return ps
}

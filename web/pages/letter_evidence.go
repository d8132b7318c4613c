package pages

import (
	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/web/components"
	"github.com/ofsted/focusedvisits/web/layout"
)

// Evidence linked to the letter's findings (issue 17, item 4): children's
// data, for the visit's need-to-know team and its QAM and moderator, who
// see only what is linked (DOMAIN decision 17).

// LinkedNote is an evidence note as a finding shows it.
type LinkedNote struct {
	Area, Focus, About, Author, At, Body string
}

// FindingEvidence is a finding of the current version with what it rests
// on.
type FindingEvidence struct {
	ID       string
	Number   int
	Kind     string
	Area     string
	Text     string
	Count    string // "Rests on 2 evidence notes"
	LinkHref string // the lead's "Link evidence"; "" for everyone else
	Notes    []LinkedNote
}

// LetterEvidenceView is the letter's findings, each with its evidence.
type LetterEvidenceView struct {
	layout.Page
	Header   VisitHeader
	BackHref string
	Version  int
	Findings []FindingEvidence
}

// EvidenceGroup is a practice area's evidence notes, as checkboxes.
type EvidenceGroup struct {
	Name   string
	Legend string
	Hint   string
	Items  []components.Option
}

// FindingEvidenceFormView is the lead's page for linking evidence notes
// to a finding.
type FindingEvidenceFormView struct {
	layout.Page
	Header   VisitHeader
	BackHref string
	Action   string
	Errors   form.Errors
	Finding  FindingEvidence
	Groups   []EvidenceGroup
}

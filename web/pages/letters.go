package pages

import (
	"context"
	"fmt"
	"io"
	"strings"
	"unicode"

	"github.com/a-h/templ"

	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/web/components"
	"github.com/ofsted/focusedvisits/web/layout"
)

// The Ofsted side of the letter of findings: drafting, versions, QA and
// moderation. None of these pages is ever shown to Cafcass.

// LetterFinding is a finding as the letter pages show it.
type LetterFinding struct {
	ID   string // the finding's public id
	Kind string
	Area string
	Text string
	// Evidence says what the finding rests on ("Rests on 2 evidence
	// notes"), linking to EvidenceHref, for those who may see linked
	// evidence; LinkHref is the lead's "Link evidence".
	Evidence     string
	EvidenceHref string
	LinkHref     string
}

// LetterQAComment is a QA comment as the letter pages show it.
type LetterQAComment struct {
	ID         int64
	Version    int
	Section    string
	Comment    string
	By         string
	At         string
	Resolved   bool
	ResolvedBy string
	CanResolve bool
}

// LetterSection is a section of the letter with its findings and the QA
// comments on it.
type LetterSection struct {
	Code     string
	Heading  string
	Text     string
	Findings []LetterFinding
	Comments []LetterQAComment
}

// LetterModerationRow is a moderation record (internal).
type LetterModerationRow struct {
	Version int
	Outcome string
	Notes   string
	Dates   []string
	CEOTold string
	By      string
	At      string
}

// LetterShowView is the letter page: where it stands, the current version,
// and what the user may do next.
type LetterShowView struct {
	layout.Page
	Header         VisitHeader
	Errors         form.Errors
	Action         string
	State          components.TagParams
	PriorityAction bool
	HasLetter      bool
	Version        int
	Summary        []components.SummaryRow
	Sections       []LetterSection
	Moderations    []LetterModerationRow
	EditHref       string
	VersionsHref   string
	QAHref         string
	ModerationHref string
	// CommentsHref is Cafcass's comments on the sent draft and Ofsted's
	// responses ("" before the draft is sent); CafcassHref is the letter as
	// Cafcass has it: the final, complaints, action plans and publication.
	CommentsHref string
	CafcassHref  string
	CanEdit      bool
	CanSubmit    bool
	CanQA        bool
	CanModerate  bool
	CanSendDraft bool
	CanSendFinal bool
	// SendDraftDay and SendFinalDay say when the actual event is recorded.
	SendDraftDay string
	SendFinalDay string
	// Blocked explains, to the lead inspector, why the next step is not
	// open yet ("" when nothing blocks it).
	Blocked string
}

// LetterEditSection is a section's textarea on the edit form.
type LetterEditSection struct {
	Code     string
	Label    string
	Hint     string
	Value    string
	Error    string
	Theirs   string // on a conflict: the text in the version saved meanwhile
	Changed  bool   // on a conflict: theirs differs from what the user started from
	Comments []LetterQAComment
}

// LetterEditFinding is one finding's fields on the edit form.
type LetterEditFinding struct {
	Index     int
	ID        string // the finding's public id, kept across versions
	Label     string
	Kinds     []components.Option
	Areas     []components.Option
	Text      string
	KindError string
	AreaError string
	TextError string
}

// LetterConflict is the version someone else saved while the user edited.
type LetterConflict struct {
	Version     int
	Author      string
	At          string
	CompareHref string
	Findings    []LetterFinding
}

// LetterEditView is the drafting form.
type LetterEditView struct {
	layout.Page
	Header      VisitHeader
	Errors      form.Errors
	Action      string
	CancelHref  string
	BaseVersion int
	Sections    []LetterEditSection
	Findings    []LetterEditFinding
	Conflict    *LetterConflict
	// Note warns what saving does ("The QAM's approval will lapse").
	Note string
}

// LetterVersionRow is a line of the versions list.
type LetterVersionRow struct {
	Number      int
	Author      string
	At          string
	Marks       []string
	CompareHref string
}

// LetterVersionsView lists a letter's versions and compares any two.
type LetterVersionsView struct {
	layout.Page
	Header     VisitHeader
	BackHref   string
	Action     string
	Rows       []LetterVersionRow
	Choices    []components.Option
	ChoicesB   []components.Option
	HasVersion bool
}

// LetterDiffChunk is a piece of a comparison: Op 0 the same, 1 added, 2
// removed.
type LetterDiffChunk struct {
	Op   int
	Text string
}

// LetterCompareSection is a section compared side by side.
type LetterCompareSection struct {
	Heading string
	Changed bool
	Left    []LetterDiffChunk // the same and removed text
	Right   []LetterDiffChunk // the same and added text
}

// LetterCompareView compares two versions side by side.
type LetterCompareView struct {
	layout.Page
	Header   VisitHeader
	BackHref string
	A, B     string // "Version 2 by …, saved …"
	// AName and BName head the columns: "Version 2".
	AName, BName string
	Sections     []LetterCompareSection
	Changed      bool
}

// LetterQAView is the QAM's page: the version submitted, a comment box per
// section, approve or return.
type LetterQAView struct {
	layout.Page
	Header    VisitHeader
	Errors    form.Errors
	Action    string
	BackHref  string
	Version   int
	Summary   []components.SummaryRow
	Sections  []LetterSection
	Inputs    map[string]string // typed comments by section code
	CanReview bool
	Blocked   string
	// PriorityAction: approving sends it to moderation, not to the lead.
	PriorityAction bool
}

// LetterModerationView records the moderation of a letter with a priority
// action.
type LetterModerationView struct {
	layout.Page
	Header      VisitHeader
	Errors      form.Errors
	Action      string
	BackHref    string
	Version     int
	Sections    []LetterSection
	Outcomes    []components.Option
	Notes       string
	Dates       []LetterModerationDate
	Methods     []components.Option
	ToldAt      LetterDateInput
	ToldTime    string
	CanModerate bool
	Blocked     string
	Earlier     []LetterModerationRow
}

// LetterModerationDate is a milestone moderation may move.
type LetterModerationDate struct {
	Code    string
	Label   string
	Planned string
	Input   LetterDateInput
	Error   string
}

// LetterDateInput is what was typed into a date input.
type LetterDateInput struct {
	Day, Month, Year string
}

// paragraphs splits text at blank lines; single newlines stay as line
// breaks inside a paragraph.
func paragraphs(text string) [][]string {
	var out [][]string
	for _, p := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n\n") {
		if strings.TrimSpace(p) == "" {
			continue
		}
		out = append(out, strings.Split(strings.Trim(p, "\n"), "\n"))
	}
	return out
}

// chunkLines splits a chunk at newlines, so they can be shown as breaks.
func chunkLines(text string) []string { return strings.Split(text, "\n") }

// diffChunk writes a chunk of a comparison. A change is marked with <ins>
// or <del>, with hidden words for screen readers, and the white space
// around it stays outside the mark. It writes nothing else: a template
// puts a space between its lines, which showed inside words and before full
// stops.
func diffChunk(c LetterDiffChunk) templ.Component {
	return templ.ComponentFunc(func(_ context.Context, w io.Writer) error {
		var b strings.Builder
		text := func(t string) {
			for i, l := range chunkLines(t) {
				if i > 0 {
					b.WriteString("<br>")
				}
				b.WriteString(templ.EscapeString(l))
			}
		}
		mark := func(tag, class, testid, start, end string) {
			core := strings.TrimSpace(c.Text)
			lead := c.Text[:len(c.Text)-len(strings.TrimLeftFunc(c.Text, unicode.IsSpace))]
			trail := ""
			if core != "" {
				trail = c.Text[len(strings.TrimRightFunc(c.Text, unicode.IsSpace)):]
			}
			text(lead)
			fmt.Fprintf(&b, `<%s class="%s" data-testid="%s"><span class="govuk-visually-hidden">%s</span>`, tag, class, testid, start)
			text(core)
			fmt.Fprintf(&b, `<span class="govuk-visually-hidden">%s</span></%s>`, end, tag)
			text(trail)
		}
		switch c.Op {
		case 1:
			mark("ins", "app-diff-added", "added", "[added: ", ", end of addition]")
		case 2:
			mark("del", "app-diff-removed", "removed", "[removed: ", ", end of removal]")
		default:
			text(c.Text)
		}
		_, err := io.WriteString(w, b.String())
		return err
	})
}

// Package letter is the letter of findings of a visit (DOMAIN E.3, B.5): its
// sections and findings, its numbered versions, and the rules for moving it
// from the first draft to publication. It does no I/O.
package letter

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ofsted/focusedvisits/internal/form"
)

// Section is a part of the letter's text.
type Section string

// The sections of a focused-visit letter, in the order they are printed
// (E.3: strengths, what most needs to improve, and priority action in a
// section of its own).
const (
	Introduction   Section = "introduction"
	Strengths      Section = "strengths"
	Improvement    Section = "improvement"
	PriorityAction Section = "priority_action"
	NextSteps      Section = "next_steps"
)

// Sections lists every section in order.
var Sections = []Section{Introduction, Strengths, Improvement, PriorityAction, NextSteps}

// ParseSection returns the section named s.
func ParseSection(s string) (Section, bool) {
	for _, x := range Sections {
		if string(x) == s {
			return x, true
		}
	}
	return "", false
}

// Label is the section's heading.
func (s Section) Label() string {
	switch s {
	case Introduction:
		return "Introduction"
	case Strengths:
		return "Areas of strength"
	case Improvement:
		return "Areas for improvement"
	case PriorityAction:
		return "Areas for priority action"
	case NextSteps:
		return "Next steps"
	}
	return string(s)
}

// Kind is what a finding says.
type Kind string

// The kinds of finding (E.3).
const (
	KindStrength       Kind = "strength"
	KindImprovement    Kind = "improvement"
	KindPriorityAction Kind = "priority_action"
)

// Kinds lists the kinds in the order the letter gives them.
var Kinds = []Kind{KindStrength, KindImprovement, KindPriorityAction}

// ParseKind returns the kind named s.
func ParseKind(s string) (Kind, bool) {
	for _, k := range Kinds {
		if string(k) == s {
			return k, true
		}
	}
	return "", false
}

// Label is the kind as people say it.
func (k Kind) Label() string {
	switch k {
	case KindStrength:
		return "Area of strength"
	case KindImprovement:
		return "Area for improvement"
	case KindPriorityAction:
		return "Area for priority action"
	}
	return string(k)
}

// Section is the section of the letter the kind's findings go in.
func (k Kind) Section() Section {
	switch k {
	case KindStrength:
		return Strengths
	case KindImprovement:
		return Improvement
	}
	return PriorityAction
}

// Area is the practice area a finding is about (E.1).
type Area string

// The practice areas of a focused visit.
const (
	PrivateLaw Area = "private_law"
	PublicLaw  Area = "public_law"
	Leaders    Area = "leaders"
)

// Areas lists the practice areas in order.
var Areas = []Area{PrivateLaw, PublicLaw, Leaders}

// ParseArea returns the area named s.
func ParseArea(s string) (Area, bool) {
	for _, a := range Areas {
		if string(a) == s {
			return a, true
		}
	}
	return "", false
}

// Label is the practice area as people say it.
func (a Area) Label() string {
	switch a {
	case PrivateLaw:
		return "Private family law"
	case PublicLaw:
		return "Public family law"
	case Leaders:
		return "Impact of leaders"
	}
	return string(a)
}

// Finding is one structured finding.
type Finding struct {
	// ID is the finding's public id, the same in every version that keeps
	// the finding (the edit form carries it), so that what is linked to a
	// finding (the evidence it rests on) follows it from draft to draft.
	// "" for a finding not saved yet: saving gives it one.
	ID   string
	Kind Kind
	Area Area
	Text string
}

// Content is what a version of the letter says.
type Content struct {
	Sections map[Section]string
	Findings []Finding
}

// Text returns a section's text ("" when empty).
func (c Content) Text(s Section) string { return c.Sections[s] }

// Empty reports whether the content says nothing at all.
func (c Content) Empty() bool {
	for _, t := range c.Sections {
		if strings.TrimSpace(t) != "" {
			return false
		}
	}
	return len(c.Findings) == 0
}

// HasPriorityAction reports whether any finding is an area for priority
// action: such a letter needs moderation (B.5 L8) and action plans (B.6).
func (c Content) HasPriorityAction() bool {
	for _, f := range c.Findings {
		if f.Kind == KindPriorityAction {
			return true
		}
	}
	return false
}

// FindingsOf returns the findings of a kind, in order.
func (c Content) FindingsOf(k Kind) []Finding {
	var fs []Finding
	for _, f := range c.Findings {
		if f.Kind == k {
			fs = append(fs, f)
		}
	}
	return fs
}

// MaxSectionLength bounds a section's text, in characters.
const MaxSectionLength = 50000

// MaxFindingLength bounds a finding's text, in characters.
const MaxFindingLength = 5000

// SectionField is the form field of a section's text.
func SectionField(s Section) string { return "section-" + string(s) }

// FindingField is the form field of a part ("kind", "area" or "text") of
// the n-th finding (from 1).
func FindingField(part string, n int) string { return fmt.Sprintf("finding-%s-%d", part, n) }

// Validate reports what is wrong with the content, keyed by the edit
// form's fields in the order of the form (sections, then the findings, the
// n-th finding being Findings[n-1]). Content with nothing in it is not
// saved.
func (c Content) Validate() form.Errors {
	var errs form.Errors
	for _, s := range Sections {
		if utf8.RuneCountInString(c.Sections[s]) > MaxSectionLength {
			errs.Add(SectionField(s), fmt.Sprintf("%s must be %d characters or fewer", s.Label(), MaxSectionLength))
		}
	}
	for s := range c.Sections {
		if _, ok := ParseSection(string(s)); !ok {
			errs.Add(SectionField(s), fmt.Sprintf("Unknown section %q", s))
		}
	}
	for i, f := range c.Findings {
		n := i + 1
		if _, ok := ParseKind(string(f.Kind)); !ok {
			errs.Add(FindingField("kind", n), fmt.Sprintf("Choose what finding %d is", n))
		}
		if _, ok := ParseArea(string(f.Area)); !ok {
			errs.Add(FindingField("area", n), fmt.Sprintf("Choose the practice area of finding %d", n))
		}
		if strings.TrimSpace(f.Text) == "" {
			errs.Add(FindingField("text", n), fmt.Sprintf("Enter the text of finding %d", n))
		} else if utf8.RuneCountInString(f.Text) > MaxFindingLength {
			errs.Add(FindingField("text", n), fmt.Sprintf("Finding %d must be %d characters or fewer", n, MaxFindingLength))
		}
	}
	if c.Empty() {
		errs.Add(SectionField(Introduction), "Write at least one section or finding before saving")
	}
	return errs
}

// Version is one saved version of the letter.
type Version struct {
	ID          int64
	LetterID    int64
	Number      int
	BaseVersion int
	Content
	AuthorID   int64
	AuthorName string
	CreatedAt  time.Time
}

// Letter is a visit's letter: where it stands and which versions matter.
// A version number 0 means "none".
type Letter struct {
	ID             int64
	VisitID        int64
	State          State
	CurrentVersion int
	// ApprovedVersion is the version the QAM approved (0: none, or lapsed).
	ApprovedVersion int
	ApprovedBy      string
	ApprovedAt      time.Time
	PriorityAction  bool
	// ModeratedVersion is the version moderation agreed.
	ModeratedVersion int
	SentDraftVersion int
	DraftSentAt      time.Time
	FinalVersion     int
	FinalSentAt      time.Time
	HeldAt           time.Time
	HoldReason       string
	PublishedAt      time.Time
	CreatedAt        time.Time
	UpdatedAt        time.Time
	// Revision increases with every change to the letter.
	Revision int
	// ChildrenSummary is the summary for children and young people
	// (summary.go), "" until the lead inspector writes it.
	ChildrenSummary string
}

// Approved reports whether the current version carries the QAM's approval.
func (l Letter) Approved() bool {
	return l.ApprovedVersion != 0 && l.ApprovedVersion == l.CurrentVersion
}

// DraftSent reports whether a draft has been sent to Cafcass.
func (l Letter) DraftSent() bool { return l.SentDraftVersion != 0 && !l.DraftSentAt.IsZero() }

// FinalSent reports whether the final letter has been sent to Cafcass.
func (l Letter) FinalSent() bool { return l.FinalVersion != 0 && !l.FinalSentAt.IsZero() }

// Published reports whether the letter is published.
func (l Letter) Published() bool { return l.State == Published }

// VersionSummary is a line of the versions list.
type VersionSummary struct {
	Number     int
	AuthorName string
	CreatedAt  time.Time
	// Marks says what the version became ("Approved", "Sent as draft", …).
	Marks []string
}

// QAComment is a QAM's comment on a section of one version (Ofsted only).
type QAComment struct {
	ID         int64
	Version    int
	Section    Section
	Comment    string
	ByName     string
	At         time.Time
	ResolvedAt time.Time
	ResolvedBy string
}

// Resolved reports whether the comment has been dealt with.
func (c QAComment) Resolved() bool { return !c.ResolvedAt.IsZero() }

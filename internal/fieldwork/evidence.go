package fieldwork

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
)

// Area is a practice area of the focused visit (the guidance's scope).
type Area struct {
	Value, Label string
	// Focus are the guidance's focus points in the area, then "other".
	Focus []Choice
}

// Areas are the practice areas with their focus points (guidance seed 002:
// "We will focus on specific elements within these practice areas").
var Areas = []Area{
	{Value: "private_law", Label: "Private family law proceedings", Focus: []Choice{
		{"early_intervention", "The national family business centre and early intervention before first hearings"},
		{"seeing_children", "Whether to see children and where, face to face or remote"},
		{"after_first_hearing", "Work after first hearings, up to recommendations to the family court"},
		{"other", "Another line of evidence"},
	}},
	{Value: "public_law", Label: "Public law family proceedings", Focus: []Choice{
		{"seeing_children", "Whether to see children and where, face to face or remote"},
		{"secure_placements", "A local authority seeking a secure placement, to deprive a child of their liberty or to place a child in an unregistered placement"},
		{"guardian_prioritisation", "How children's guardians manage and prioritise the cases allocated to them"},
		{"other", "Another line of evidence"},
	}},
	{Value: "leaders", Label: "Impact of leaders", Focus: []Choice{
		{"prioritise_allocate", "How leaders prioritise and allocate work, including their use of the prioritisation protocol"},
		{"line_of_sight", "Leaders' line of sight to the quality and impact of practice"},
		{"capacity", "Management and workforce capacity, including staff well-being"},
		{"family_justice", "Leaders' part in the local and national family justice system"},
		{"other", "Another line of evidence"},
	}},
}

// AreaLabel is the words of an area.
func AreaLabel(area string) string {
	for _, a := range Areas {
		if a.Value == area {
			return a.Label
		}
	}
	return area
}

// FocusLabel is the words of a focus point of an area.
func FocusLabel(area, focus string) string {
	for _, a := range Areas {
		if a.Value == area {
			return labelOf(a.Focus, focus)
		}
	}
	return focus
}

// FocusValue is how a form names a focus point: "area/focus".
func FocusValue(area, focus string) string { return area + "/" + focus }

// ParseFocus reads a form's "area/focus", and whether it is one of Areas.
func ParseFocus(v string) (area, focus string, ok bool) {
	area, focus, _ = strings.Cut(v, "/")
	for _, a := range Areas {
		if a.Value == area && known(a.Focus, focus) {
			return area, focus, true
		}
	}
	return "", "", false
}

// NoteKinds: evidence, or a line of enquiry for the team.
var NoteKinds = []Choice{{"evidence", "Evidence"}, {"enquiry", "A line of enquiry for the team"}}

// Note is an inspector's evidence note, or a line of enquiry, in a
// practice area against a focus point, about one sampled case or the
// visit as a whole. Children's data (DOMAIN decision 17).
type Note struct {
	PublicID       string
	SamplePublicID string // "" for the visit as a whole
	CaseID         string
	ChildID        string
	Area           string
	Focus          string
	Kind           string
	Body           string
	AuthorID       int64
	AuthorName     string
	CreatedAt      time.Time
}

// CheckNote checks a note, keyed by form field in order. samples are the
// public ids of the visit's sampled cases a note may be about.
func CheckNote(n Note, samples []string) form.Errors {
	var errs form.Errors
	if n.SamplePublicID != "" {
		ok := false
		for _, s := range samples {
			ok = ok || s == n.SamplePublicID
		}
		if !ok {
			errs.Add("case", "Select a case in the sample, or the visit as a whole")
		}
	}
	if _, _, ok := ParseFocus(FocusValue(n.Area, n.Focus)); !ok {
		errs.Add("focus", "Select the practice area and focus point")
	}
	if !known(NoteKinds, n.Kind) {
		errs.Add("kind", "Select evidence or a line of enquiry")
	}
	switch {
	case strings.TrimSpace(n.Body) == "":
		errs.Add("body", "Enter the evidence")
	case utf8.RuneCountInString(n.Body) > MaxText:
		errs.Add("body", fmt.Sprintf("The evidence must be %d characters or fewer", MaxText))
	}
	return errs
}

// Evidence actions.
const (
	// SeeEvidence: the evidence pages at all (the visit's lead, team
	// inspectors and SAOs: children's data).
	SeeEvidence Action = "see_evidence"
	// RecordEvidence: record a note (the visit's lead and team inspectors).
	RecordEvidence Action = "record_evidence"
	// LinkEvidence: link evidence notes to a finding of the letter, and
	// unlink them (the visit's lead inspector alone).
	LinkEvidence Action = "link_evidence"
	// SeeLinkedEvidence: the evidence notes linked to the letter's
	// findings (the need-to-know team, and the visit's QAM and moderator,
	// who see only those: DOMAIN decision 17).
	SeeLinkedEvidence Action = "see_linked_evidence"
)

// checkEvidence is Check for the evidence actions.
func checkEvidence(a Action, u user.User, d visit.Details) error {
	refuse := func(err error, reason string) error { return &RuleError{Action: a, Reason: reason, err: err} }
	if a == SeeLinkedEvidence {
		if visit.CanSeeChildData(u, d) || u.Role == user.QAM && onVisitAs(u, d, visit.RoleQAM, visit.RoleModerator) {
			return nil
		}
		return refuse(ErrNotThere, "evidence notes are children's data")
	}
	if !visit.CanSeeChildData(u, d) {
		return refuse(ErrNotThere, "evidence notes are children's data")
	}
	if a == LinkEvidence {
		if !visit.ActorFor(u, d).Lead {
			return refuse(ErrNotAllowed, "only the visit's lead inspector links evidence to the letter's findings")
		}
		if d.Status != visit.Active {
			return refuse(ErrNotAllowed, "the visit is cancelled")
		}
	}
	if a == RecordEvidence {
		if !onVisitAs(u, d, visit.RoleLead, visit.RoleTeam) {
			return refuse(ErrNotAllowed, "only the visit's inspectors record evidence")
		}
		if d.Status != visit.Active {
			return refuse(ErrNotAllowed, "the visit is cancelled")
		}
	}
	return nil
}

// Linkable reports whether a note may be linked to a finding: evidence,
// not a line of enquiry.
func Linkable(n Note) bool { return n.Kind == "evidence" }

// SeesAllEvidence reports whether u sees every note of the visit: its lead
// inspector (who reads all evidence by practice area) and its SAOs. A team
// inspector sees their own notes and every line of enquiry.
func SeesAllEvidence(u user.User, d visit.Details) bool {
	return visit.CanSeeChildData(u, d) && (visit.ActorFor(u, d).Lead || onVisitAs(u, d, visit.RoleSAO))
}

// LinkedNoteVisible reports whether u, who may see the evidence linked to
// the letter's findings, may read the linked note n: the need-to-know team
// as they read the notes themselves (a team inspector their own), the QAM
// and the moderator every linked note (DOMAIN decision 17).
func LinkedNoteVisible(u user.User, d visit.Details, n Note) bool {
	if visit.CanSeeChildData(u, d) {
		return NoteVisible(u, d, n)
	}
	return true
}

// NoteVisible reports whether u may read the note.
func NoteVisible(u user.User, d visit.Details, n Note) bool {
	if !visit.CanSeeChildData(u, d) {
		return false
	}
	return SeesAllEvidence(u, d) || n.AuthorID == u.ID || n.Kind == "enquiry"
}

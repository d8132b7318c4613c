package history

import (
	"fmt"
	"strings"

	"github.com/ofsted/focusedvisits/internal/fieldwork"
	"github.com/ofsted/focusedvisits/internal/timeline"
)

// The visit's workspace: the set-up call, conversations with stakeholders,
// the fieldwork plan and evidence (issue 17).
const (
	SetUpRecorded       Kind = "workspace.setup_recorded"
	SetUpChanged        Kind = "workspace.setup_changed"
	StakeholderRecorded Kind = "workspace.stakeholder_recorded"
	DiscussionPlanned   Kind = "workspace.discussion_planned"
	DiscussionChanged   Kind = "workspace.discussion_changed"
	EvidenceRecorded    Kind = "workspace.evidence_recorded"
	// Children, parents and carers (issue 17, item 5): the lines name who
	// (a code), how, when, by whom, the case and the answer about
	// contacting the child; never what was said nor any notes.
	ContactRecorded     Kind = "workspace.contact_recorded"
	ViewsCheckRecorded  Kind = "workspace.views_check_recorded"
	OfficeCheckRecorded Kind = "workspace.office_check_recorded"
)

func init() {
	setUp := func(action string) func(p Params) Line {
		return func(p Params) Line { return Line{Action: action, Field: p.Label, Old: p.OldValue, New: p.Value} }
	}
	discussion := func(action string) func(p Params) Line {
		return func(p Params) Line {
			detail := fmt.Sprintf("%s, %s to %s; %s; inspector: %s", timeline.FormatDate(p.Dates.From),
				fieldwork.Clock(p.Start), fieldwork.Clock(p.Start+p.Minutes), fieldwork.ModeLabel(p.Mode), p.Name)
			if p.Warning != "" {
				detail += ". " + p.Warning
			}
			return Line{Action: action, New: sampleCase(p), Detail: detail}
		}
	}
	for k, w := range map[Kind]func(Params) Line{
		SetUpRecorded: setUp("Set-up call recorded"),
		SetUpChanged:  setUp("Set-up call record changed"),
		StakeholderRecorded: func(p Params) Line {
			return Line{Action: "Conversation with a stakeholder recorded", New: fieldwork.KindLabel(p.Code) + ": " + p.Text,
				Detail: "On " + timeline.FormatDate(p.On) + ", by " + p.Name}
		},
		DiscussionPlanned: discussion("Case discussion planned"),
		DiscussionChanged: discussion("Case discussion changed"),
		EvidenceRecorded: func(p Params) Line {
			about, kind := "The visit as a whole", "Evidence"
			if p.Case != "" {
				about = sampleCase(p)
			}
			if p.Enquiry {
				kind = "Line of enquiry"
			}
			return Line{Action: "Evidence recorded", New: about,
				Detail: kind + ": " + fieldwork.AreaLabel(p.Code) + ", " + fieldwork.FocusLabel(p.Code, p.Focus)}
		},
		ContactRecorded: func(p Params) Line {
			about := "No case"
			if p.Case != "" {
				about = sampleCase(p)
			}
			detail := fmt.Sprintf("%s, by %s, on %s, by %s", fieldwork.WhoLabel(p.Code), strings.ToLower(fieldwork.ContactModeLabel(p.Mode)),
				timeline.FormatDate(p.On), p.Name)
			if p.Value != "" {
				detail += ". " + fieldwork.AgreementLabel(p.Value)
			}
			return Line{Action: "Contact with a child, parent or carer recorded", New: about, Detail: detail}
		},
		ViewsCheckRecorded: func(p Params) Line {
			about := "The visit as a whole"
			if p.Case != "" {
				about = sampleCase(p)
			}
			return Line{Action: "How well children's views are heard: check recorded", New: about, Detail: fieldwork.ViewsLabel(p.Code)}
		},
		OfficeCheckRecorded: func(p Params) Line {
			return Line{Action: "How welcoming the office is: check recorded", New: p.Text,
				Detail: fmt.Sprintf("Visited on %s; %d of %d checks met", timeline.FormatDate(p.On), p.Count, len(fieldwork.OfficeChecklist))}
		},
	} {
		words[k] = w
	}
}

func contactsDeleted(contacts, checks int) string {
	s := ""
	switch {
	case contacts == 1:
		s += " Deleted 1 contact with a child, parent or carer."
	case contacts > 1:
		s += fmt.Sprintf(" Deleted %d contacts with children, parents and carers.", contacts)
	}
	switch {
	case checks == 1:
		s += " Deleted 1 check of children's views or of an office."
	case checks > 1:
		s += fmt.Sprintf(" Deleted %d checks of children's views and of offices.", checks)
	}
	return s
}

func evidenceDeleted(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(" Deleted %s.", plural(n, "evidence note"))
}

package history

import (
	"fmt"

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
	} {
		words[k] = w
	}
}

func evidenceDeleted(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(" Deleted %s.", plural(n, "evidence note"))
}

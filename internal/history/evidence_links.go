package history

import (
	"fmt"

	"github.com/ofsted/focusedvisits/internal/fieldwork"
	"github.com/ofsted/focusedvisits/internal/letter"
)

// Evidence linked to the letter's findings (issue 17, item 4). A line names
// the finding (its number in the version then, its kind and practice area)
// and the note's practice area and focus point; never the note, nor its
// case, so it names no child's case.
const (
	EvidenceLinked   Kind = "letter.evidence_linked"
	EvidenceUnlinked Kind = "letter.evidence_unlinked"
)

func init() {
	link := func(action string) func(p Params) Line {
		return func(p Params) Line {
			return Line{Action: action,
				New: fmt.Sprintf("Finding %s of version %d: %s, %s", p.Item, p.Version,
					letter.Kind(p.Label).Label(), letter.Area(p.Section).Label()),
				Detail: "Evidence: " + fieldwork.AreaLabel(p.Code) + ", " + fieldwork.FocusLabel(p.Code, p.Focus)}
		}
	}
	words[EvidenceLinked] = link("Evidence linked to a finding")
	words[EvidenceUnlinked] = link("Evidence unlinked from a finding")
}

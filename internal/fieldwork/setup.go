package fieldwork

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// Choice is one value of a closed list, with its words.
type Choice struct{ Value, Label string }

// labelOf is the words of a value of choices, or the value itself.
func labelOf(choices []Choice, v string) string {
	for _, c := range choices {
		if c.Value == v {
			return c.Label
		}
	}
	return v
}

func known(choices []Choice, v string) bool {
	for _, c := range choices {
		if c.Value == v {
			return true
		}
	}
	return false
}

// RecordAccess is how inspectors will reach Cafcass's case records (the
// guidance's set-up call agenda).
var RecordAccess = []Choice{
	{"platform", "Cafcass uploads case material to a secure data-sharing platform"},
	{"laptops", "Cafcass provides laptops for inspectors"},
	{"office", "An inspector visits a Cafcass office to use its systems"},
}

// EvidenceMix is the balance of on-site and remote evidence-gathering.
var EvidenceMix = []Choice{
	{"on_site", "On site"},
	{"remote", "Remote"},
	{"mixed", "A mix of on-site and remote"},
}

// YesNo answers whether the priorities protocol was invoked.
var YesNo = []Choice{{"yes", "Yes"}, {"no", "No"}}

// SetUpCall is the record of the set-up call (day 1 afternoon, the lead
// inspector and the chief executive). Every field but InternalNotes is what
// was agreed, shared with Cafcass; InternalNotes stays with Ofsted.
type SetUpCall struct {
	HeldOn             workday.Date
	OversightChanges   string // strategic oversight since the last visit: senior people
	PrioritiesProtocol string // "yes" or "no": was the priorities protocol invoked
	Offices            string // which offices are open, who works where
	WorkingPractice    string // changes in working practice
	RecordAccess       string // one of RecordAccess
	EvidenceMix        string // one of EvidenceMix
	EvidenceDetail     string
	AuditList          string // the audit list agreed
	Adjustments        string // reasonable adjustments
	OtherAgreed        string // anything else agreed
	InternalNotes      string // Ofsted's alone
	Version            int
}

// MaxText bounds each free-text field of the workspace.
const MaxText = 4000

// SetUpField is one field of the record as pages and the history name it.
type SetUpField struct {
	ID    string // the form field
	Label string
	// Internal: Ofsted's alone.
	Internal bool
	Value    func(SetUpCall) string
}

// SetUpFields are the record's fields in the order of the form and the
// summary.
var SetUpFields = []SetUpField{
	{ID: "held-on", Label: "Date of the set-up call", Value: func(c SetUpCall) string { return timeline.FormatDate(c.HeldOn) }},
	{ID: "oversight-changes", Label: "Changes to strategic oversight since the last visit", Value: func(c SetUpCall) string { return c.OversightChanges }},
	{ID: "priorities-protocol", Label: "Priorities protocol invoked since the last visit", Value: func(c SetUpCall) string { return labelOf(YesNo, c.PrioritiesProtocol) }},
	{ID: "offices", Label: "Offices open and who works where", Value: func(c SetUpCall) string { return c.Offices }},
	{ID: "working-practice", Label: "Changes in working practice", Value: func(c SetUpCall) string { return c.WorkingPractice }},
	{ID: "record-access", Label: "How inspectors will reach case records", Value: func(c SetUpCall) string { return labelOf(RecordAccess, c.RecordAccess) }},
	{ID: "evidence-mix", Label: "On-site and remote evidence-gathering", Value: func(c SetUpCall) string { return labelOf(EvidenceMix, c.EvidenceMix) }},
	{ID: "evidence-detail", Label: "How evidence will be gathered", Value: func(c SetUpCall) string { return c.EvidenceDetail }},
	{ID: "audit-list", Label: "Audit list agreed", Value: func(c SetUpCall) string { return c.AuditList }},
	{ID: "adjustments", Label: "Reasonable adjustments", Value: func(c SetUpCall) string { return c.Adjustments }},
	{ID: "other-agreed", Label: "Anything else agreed", Value: func(c SetUpCall) string { return c.OtherAgreed }},
	{ID: "internal-notes", Label: "Internal notes (Ofsted only)", Internal: true, Value: func(c SetUpCall) string { return c.InternalNotes }},
}

// Changes lists the fields whose values differ between before and after,
// in form order (all of them when before is the zero record).
func Changes(before, after SetUpCall) []SetUpField {
	var out []SetUpField
	for _, f := range SetUpFields {
		if before.HeldOn.IsZero() || f.Value(before) != f.Value(after) {
			out = append(out, f)
		}
	}
	return out
}

// CheckSetUp checks the record, keyed by its form fields in form order.
// dateMsg is the date input's parse error; the call is today or earlier
// (DOMAIN decision 10: recorded means it happened).
func CheckSetUp(c SetUpCall, dateMsg string, today workday.Date) form.Errors {
	var errs form.Errors
	switch {
	case dateMsg != "":
		errs.AddDate("held-on", dateMsg)
	case c.HeldOn.After(today):
		errs.AddDate("held-on", "The date of the set-up call must be today or in the past")
	}
	text := func(id, label, v string) {
		if utf8.RuneCountInString(v) > MaxText {
			errs.Add(id, fmt.Sprintf("%s must be %d characters or fewer", label, MaxText))
		}
	}
	text("oversight-changes", "Changes to strategic oversight", c.OversightChanges)
	if !known(YesNo, c.PrioritiesProtocol) {
		errs.Add("priorities-protocol", "Select yes if Cafcass has invoked the priorities protocol since the last visit")
	}
	text("offices", "Offices open and who works where", c.Offices)
	text("working-practice", "Changes in working practice", c.WorkingPractice)
	if !known(RecordAccess, c.RecordAccess) {
		errs.Add("record-access", "Select how inspectors will reach case records")
	}
	if !known(EvidenceMix, c.EvidenceMix) {
		errs.Add("evidence-mix", "Select the mix of on-site and remote evidence-gathering")
	}
	text("evidence-detail", "How evidence will be gathered", c.EvidenceDetail)
	if strings.TrimSpace(c.AuditList) == "" {
		errs.Add("audit-list", "Enter the audit list agreed")
	}
	text("audit-list", "The audit list", c.AuditList)
	text("adjustments", "Reasonable adjustments", c.Adjustments)
	text("other-agreed", "Anything else agreed", c.OtherAgreed)
	text("internal-notes", "Internal notes", c.InternalNotes)
	return errs
}

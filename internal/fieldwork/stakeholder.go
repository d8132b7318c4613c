package fieldwork

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// StakeholderKinds are who the lead talks to before fieldwork (the
// guidance: the local family judiciary, local authorities, HM Courts and
// Tribunals Service, and others as they deem necessary).
var StakeholderKinds = []Choice{
	{"judiciary", "Local family judiciary"},
	{"local_authority", "Local authority"},
	{"hmcts", "HM Courts and Tribunals Service"},
	{"other", "Other"},
}

// KindLabel is the words of a stakeholder kind.
func KindLabel(kind string) string { return labelOf(StakeholderKinds, kind) }

// Conversation is a conversation with a stakeholder before fieldwork:
// Ofsted's alone.
type Conversation struct {
	PublicID   string
	Kind       string // one of StakeholderKinds
	Who        string
	HeldOn     workday.Date
	HeldBy     int64 // an inspector on the visit
	HeldByName string
	Note       string
	RecordedAt time.Time
}

// MaxWho bounds who a conversation was with.
const MaxWho = 200

// CheckConversation checks a conversation, keyed by form field in order;
// inspectors are the user ids who may have held it (the visit's lead and
// team inspectors).
func CheckConversation(c Conversation, dateMsg string, today workday.Date, inspectors []int64) form.Errors {
	var errs form.Errors
	if !known(StakeholderKinds, c.Kind) {
		errs.Add("kind", "Select who the stakeholder is")
	}
	switch {
	case strings.TrimSpace(c.Who) == "":
		errs.Add("who", "Enter who you spoke to")
	case utf8.RuneCountInString(c.Who) > MaxWho:
		errs.Add("who", fmt.Sprintf("Who you spoke to must be %d characters or fewer", MaxWho))
	}
	switch {
	case dateMsg != "":
		errs.AddDate("held-on", dateMsg)
	case c.HeldOn.After(today):
		errs.AddDate("held-on", "The date of the conversation must be today or in the past")
	}
	ok := false
	for _, id := range inspectors {
		ok = ok || id == c.HeldBy
	}
	if !ok {
		errs.Add("held-by", "Select the inspector who spoke to them")
	}
	switch {
	case strings.TrimSpace(c.Note) == "":
		errs.Add("note", "Enter a note of the conversation")
	case utf8.RuneCountInString(c.Note) > MaxText:
		errs.Add("note", fmt.Sprintf("The note must be %d characters or fewer", MaxText))
	}
	return errs
}

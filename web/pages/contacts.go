package pages

import (
	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/web/components"
	"github.com/ofsted/focusedvisits/web/layout"
)

// Children, parents and carers (issue 17, item 5): contacts with what they
// said, and the two checks of the Young People's Board. Children's data:
// handlers fill these only for the visit's lead, team inspectors and SAOs.

// ContactsView lists a visit's contacts with children, parents and carers.
type ContactsView struct {
	layout.Page
	Header   VisitHeader
	AddHref  string // "" when the user may not record one
	Contacts []ContactRow
}

// ContactRow is one contact.
type ContactRow struct {
	HeldOn    string
	Who       string // "Mother (parent)"
	About     string // "Case C1, child K1" or "No case"
	Mode      string
	By        string
	Said      string
	Agreement string // a parent's or carer's answer; "" for none
	RestsOn   string // a child's: the agreement it rests on, in words
	IsChild   bool
	ChildHref string // a parent's or carer's agreement standing: record a contact with the child
}

// ContactFormView records a contact.
type ContactFormView struct {
	layout.Page
	Header      VisitHeader
	BackHref    string
	Action      string
	Cases       []components.Option
	Who         []components.Option
	Description string
	Modes       []components.Option
	HeldOn      DateValue
	Inspectors  []components.Option
	Said        string
	Agreements  []components.Option
	// AgreementHref is where to record a parent's or carer's agreement for
	// the case, shown when a child's contact was refused for want of one.
	AgreementHref string
	Errors        form.Errors
}

// ChecksView is the two checks: how well children's views are heard, and
// how welcoming each office visited is.
type ChecksView struct {
	layout.Page
	Header        VisitHeader
	AddViewsHref  string
	AddOfficeHref string
	Views         []ViewsRow
	Offices       []OfficeRow
}

// ViewsRow is one judgement of how well children's views are heard.
type ViewsRow struct {
	About, Judgement, Notes, By, At string
}

// OfficeRow is one office check.
type OfficeRow struct {
	Office, VisitedOn, Notes, By string
	// Items is the whole checklist, each marked seen or not.
	Items []OfficeItem
}

// OfficeItem is a checklist item and whether it was seen.
type OfficeItem struct {
	Label string
	Met   bool
}

// ViewsFormView records a judgement of how well children's views are heard.
type ViewsFormView struct {
	layout.Page
	Header     VisitHeader
	BackHref   string
	Action     string
	Cases      []components.Option
	Judgements []components.Option
	Notes      string
	Errors     form.Errors
}

// OfficeFormView records an office check.
type OfficeFormView struct {
	layout.Page
	Header    VisitHeader
	BackHref  string
	Action    string
	Office    string
	VisitedOn DateValue
	Items     []components.Option
	Notes     string
	Errors    form.Errors
}

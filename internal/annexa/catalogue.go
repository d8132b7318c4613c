// Package annexa is the Annex A information and data request (DOMAIN D): the
// catalogue of items Ofsted may ask Cafcass for, held as versioned reference
// data, the statuses an item of a visit's request goes through, and the rules
// for moving between them. It does no I/O.
//
// # Numbering
//
// The numbered documents keep Ofsted's own numbers ("1.01" … "1.15"), so a
// file name can begin with them (DOMAIN D.1). Annex A gives the lists no
// number, so the service numbers them itself:
//
//   - "CL.1" — the child-level data list (all cases closed in the two weeks
//     before the visit; DOMAIN D.2). Further lists the lead inspector asks
//     for are added as their own items, "CL.2", "CL.3" …;
//   - "AL.1" — the list of recently audited cases.
//
// The letter prefix keeps these apart from Ofsted's numbers whatever Ofsted
// numbers next. Items 1.06 to 1.14 were not retrievable and are left out
// rather than invented (DOMAIN I.13); a lead inspector adds them as items of
// their own when needed.
package annexa

import (
	"fmt"
	"slices"

	"github.com/ofsted/focusedvisits/internal/workday"
)

// Kind is what sort of thing an item is.
type Kind string

// The kinds of item (the request_items.kind column).
const (
	// ChildList is a child-level data list: rows, one per child or case,
	// with the date range the list covers.
	ChildList Kind = "child_list"
	// AuditList is the list of recently audited cases.
	AuditList Kind = "audit_list"
	// Document is a numbered document or management information.
	Document Kind = "document"
	// Custom is an item the lead inspector added.
	Custom Kind = "custom"
)

// Label is the kind as people say it.
func (k Kind) Label() string {
	switch k {
	case ChildList:
		return "Child-level data list"
	case AuditList:
		return "List of recently audited cases"
	case Document:
		return "Document"
	case Custom:
		return "Added by the lead inspector"
	}
	return string(k)
}

// HoldsChildData reports whether the files sent for an item of this kind
// hold children's data (DOMAIN decision 17): the child-level data lists and
// the list of recently audited cases name children's cases. Their files are
// seen only on a need-to-know basis (visit.CanSeeChildRecord).
func (k Kind) HoldsChildData() bool { return k == ChildList || k == AuditList }

// OneDocument reports whether an item of this kind holds one document whose
// every upload is a new version of it, whatever the file is called: a
// child-level data list, where a corrected list replaces the one before
// (issue 15.1). The files of other items are versions of one another only
// when they have the same name.
func (k Kind) OneDocument() bool { return k == ChildList }

// NeedsCoverage reports whether an item of this kind must state the date
// range it covers before it is submitted (DOMAIN D.1, rule FV-N4).
func (k Kind) NeedsCoverage() bool { return k == ChildList }

// Default due days (DOMAIN D.1, rules FV-N3 and FV-N5): the lists by the end
// of day 3, documents and management information by the end of day 5.
const (
	ListsDueDay     = 3
	DocumentsDueDay = 5
	// FirstDay and LastDay bound the day an item may be due: the numbered
	// days of the focused-visit timeline.
	FirstDay = 1
	LastDay  = 8
)

// DefaultDueDay is the day an item of kind k is due unless the lead
// inspector says otherwise.
func DefaultDueDay(k Kind) int {
	if k == ChildList || k == AuditList {
		return ListsDueDay
	}
	return DocumentsDueDay
}

// Item is one entry of the catalogue.
type Item struct {
	Number      string
	Kind        Kind
	Title       string
	Description string
	DueDay      int
	// Source says where the entry comes from (DOMAIN source keys).
	Source string
}

// Catalogue is one version of Annex A.
type Catalogue struct {
	Version string // "2025-09"
	Label   string // "September 2025"
	// From is the day this version came into force: Ofsted published it
	// then (P-COLL, P-CHG). A visit uses the version in force on its
	// notice day (InForceOn).
	From  workday.Date
	Items []Item
}

// Item returns the catalogue's item with the number.
func (c Catalogue) Item(number string) (Item, bool) {
	i := slices.IndexFunc(c.Items, func(it Item) bool { return it.Number == number })
	if i < 0 {
		return Item{}, false
	}
	return c.Items[i], true
}

// Current is the version a new request is made from.
const Current = "2025-09"

// The texts shared by both versions, paraphrased from Annex A (P-ANXA) and
// the summary of changes (P-CHG).
const (
	childListDesc2024 = "A full list of all cases closed across the whole organisation in the 2 weeks before the visit begins, one row per child, with these fields: case ID, case name, gender, ethnicity, disability (Y/N), date of birth, lead application, law type (public or private), case type, practitioner, team, service area, local authority (public law), court, and file location (only if not electronic). State the date range the list covers."
	childListDesc2025 = "A full list of all cases closed across the whole organisation in the 2 weeks before the visit begins, one row per child, with these fields: case ID, child ID, case name, gender, ethnicity, disability (Y/N), date of birth, lead application, law type (public or private), case type, practitioner, team, service area, local authority (public law), court, file location (only if not electronic), case start date, case end date, child seen in person (Y/N), section 7 filed, and audit (Y/N). State the date range the list covers."
	auditListDesc     = "A list of the cases audited recently, with the date range the list covers."
	doc101            = "An organisation chart showing lines of reporting and accountability."
	doc102            = "The policy on allocating and transferring cases, with the workflow documents or flowcharts that explain what happens after an application is made to the court, in public and in private law."
	doc103            = "The management information reports used to monitor and improve performance: the latest national and regional monthly or quarterly reports, and any national or local improvement plans linked to them."
	doc104            = "How feedback is gathered from children and families, how complaints and notifications of serious incidents are handled, and what changed in practice as a result."
	doc105            = "The latest national and regional self-evaluations of practice, and any peer or similar external evaluation of practice from the last 12 months."
	doc115v2024       = "A list of the social workers who hold cases."
	doc115v2025       = "A list of the social workers who hold cases, showing how long their cases had been open when notice was given, as counts: under 26 weeks; 26 to under 52 weeks; 52 to under 100 weeks; 100 weeks or more."
)

func catalogue(version, label, from, childDesc, doc115 string) Catalogue {
	src := "P-ANXA (" + label + ")"
	day, err := workday.ParseDate(from)
	if err != nil {
		panic(err)
	}
	return Catalogue{Version: version, Label: label, From: day, Items: []Item{
		{Number: "CL.1", Kind: ChildList, Title: "Child-level data: cases closed in the 2 weeks before the visit", Description: childDesc, DueDay: ListsDueDay, Source: src + "; S2:L96-102"},
		{Number: "AL.1", Kind: AuditList, Title: "List of recently audited cases", Description: auditListDesc, DueDay: ListsDueDay, Source: "S2:L96-102, S2:L246"},
		{Number: "1.01", Kind: Document, Title: "Organisation chart", Description: doc101, DueDay: DocumentsDueDay, Source: src},
		{Number: "1.02", Kind: Document, Title: "Case allocation and transfer policy and workflows", Description: doc102, DueDay: DocumentsDueDay, Source: src},
		{Number: "1.03", Kind: Document, Title: "Management information and performance reports", Description: doc103, DueDay: DocumentsDueDay, Source: src},
		{Number: "1.04", Kind: Document, Title: "Feedback, complaints and serious incidents", Description: doc104, DueDay: DocumentsDueDay, Source: src},
		{Number: "1.05", Kind: Document, Title: "Self-evaluations of practice", Description: doc105, DueDay: DocumentsDueDay, Source: src},
		{Number: "1.15", Kind: Document, Title: "Case-holding social workers", Description: doc115, DueDay: DocumentsDueDay, Source: "P-CHG"},
	}}
}

// catalogues are the known versions, oldest first.
var catalogues = []Catalogue{
	catalogue("2024-12", "December 2024", "2024-12-17", childListDesc2024, doc115v2024),
	catalogue("2025-09", "September 2025", "2025-09-30", childListDesc2025, doc115v2025),
}

// InForceOn returns the catalogue in force on day: the latest version that
// had come into force by then, or the oldest known for a day before any
// (issue 15.5: a visit in April 2025 asks for what Annex A asked for then).
func InForceOn(day workday.Date) Catalogue {
	c := catalogues[0]
	for _, o := range catalogues[1:] {
		if !day.Before(o.From) {
			c = o
		}
	}
	return cloned(c)
}

// Lookup returns the catalogue of the version.
func Lookup(version string) (Catalogue, error) {
	for _, c := range catalogues {
		if c.Version == version {
			return cloned(c), nil
		}
	}
	return Catalogue{}, fmt.Errorf("annexa: no catalogue version %q", version)
}

// Latest returns the current catalogue.
func Latest() Catalogue {
	c, err := Lookup(Current)
	if err != nil {
		panic(err)
	}
	return c
}

// Versions lists the known versions, oldest first.
func Versions() []string {
	vs := make([]string, len(catalogues))
	for i, c := range catalogues {
		vs[i] = c.Version
	}
	return vs
}

func cloned(c Catalogue) Catalogue {
	c.Items = slices.Clone(c.Items)
	return c
}

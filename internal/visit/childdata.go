package visit

import "github.com/ofsted/focusedvisits/internal/user"

// Children's data on a need-to-know basis (DOMAIN decision 17). A visit's
// child-level rows, its case sample and its child-level files are seen by
// the visit's lead inspector, team inspectors and senior analytical
// officers, and by Cafcass for what it sent. The QAM (and the moderator)
// and administrators see none of it: for them it is not there. Every view
// and download of it is recorded, by kind of record, never the data.

// ChildRecord is a kind of children's data that a page or a download shows.
// Its value is what the record of views stores (child_data_views.record).
type ChildRecord string

const (
	// ChildRowsPage is the analysts' page: the summary of the rows, the
	// table of rows and the case sample with Ofsted's reasons.
	ChildRowsPage ChildRecord = "child_rows"
	// ChildRowForSample is one child's row, shown to add the case to the
	// sample.
	ChildRowForSample ChildRecord = "child_row"
	// CaseSample is the case sample as released to Cafcass: the cases and
	// their inspectors, never the reasons.
	CaseSample ChildRecord = "case_sample"
	// ChildListCheck is how an uploaded child-level list was checked: its
	// errors and queries, by row and column.
	ChildListCheck ChildRecord = "child_list_check"
	// ChildFile is a download of a child-level file.
	ChildFile ChildRecord = "child_file"
	// EvidenceNotes are inspectors' evidence notes (the visit workspace).
	EvidenceNotes ChildRecord = "evidence_notes"
	// FamilyContacts are the contacts with children, parents and carers,
	// with what they said (the visit workspace).
	FamilyContacts ChildRecord = "family_contacts"
	// ChildrenChecks are the checks of how well children's views are heard
	// and how welcoming each office is: their notes may name a child.
	ChildrenChecks ChildRecord = "children_checks"
	// FeedbackAnswers are the answers children and young people gave on
	// the anonymous feedback form (internal/feedback).
	FeedbackAnswers ChildRecord = "feedback"
)

// ChildRecords lists every kind, in the order pages list them.
var ChildRecords = []ChildRecord{ChildRowsPage, ChildRowForSample, CaseSample, ChildListCheck, ChildFile, EvidenceNotes, FamilyContacts, ChildrenChecks, FeedbackAnswers}

// Label is the kind as the record of views names it.
func (c ChildRecord) Label() string {
	switch c {
	case ChildRowsPage:
		return "Child-level rows page"
	case ChildRowForSample:
		return "Child-level row (adding a case to the sample)"
	case CaseSample:
		return "Case sample"
	case ChildListCheck:
		return "Child-level list check"
	case ChildFile:
		return "Child-level file download"
	case EvidenceNotes:
		return "Evidence notes"
	case FamilyContacts:
		return "Contacts with children, parents and carers"
	case ChildrenChecks:
		return "Children's views and office checks"
	case FeedbackAnswers:
		return "Feedback from children and young people"
	}
	return string(c)
}

// CanSeeChildData reports whether u may see all of the visit's children's
// data: u is on the visit as its lead inspector, a team inspector or a
// senior analytical officer. Administrators never may, nor the QAM (or the
// moderator) as such, nor Cafcass (see CanSeeChildRecord for what Cafcass
// sees), nor anyone not on the visit.
func CanSeeChildData(u user.User, d Details) bool {
	if u.Role == user.Admin || u.Role.IsCafcass() {
		return false
	}
	for _, m := range d.Members {
		if m.UserID == u.ID && (m.Role == RoleLead || m.Role == RoleTeam || m.Role == RoleSAO) {
			return true
		}
	}
	return false
}

// CanSeeChildRecord reports whether u may see one record of children's data
// of the kind c on the visit; sentByCafcass says whether Cafcass sent it (a
// list or file a Cafcass user uploaded). Those who may see the visit's
// children's data (CanSeeChildData) see every record. A Cafcass user on the
// visit, once it may see the visit at all (after notice), sees the checks of
// the lists Cafcass sent, the files Cafcass sent, and the case sample
// (Cafcass's own cases, without Ofsted's reasons); never the analysts' rows
// page nor a row shown for the sample. Nobody else sees any.
//
// Every handler that serves children's data asks this (or CanSeeChildData)
// before it loads the data; a refusal answers as for a record that does not
// exist.
func CanSeeChildRecord(u user.User, d Details, c ChildRecord, sentByCafcass bool) bool {
	if CanSeeChildData(u, d) {
		return true
	}
	if !u.Role.IsCafcass() || !CanSee(u, d) {
		return false
	}
	switch c {
	case CaseSample:
		return true
	case ChildListCheck, ChildFile:
		return sentByCafcass
	}
	return false
}

// MaySendChildData reports whether u may be shown the pages through which
// Cafcass sends children's data (a child-level list's upload page) on the
// visit: those who may see its children's data, and its Cafcass users once
// they may see the visit. What such a page then shows of earlier uploads
// is for CanSeeChildRecord.
func MaySendChildData(u user.User, d Details) bool {
	return CanSeeChildData(u, d) || u.Role.IsCafcass() && CanSee(u, d)
}

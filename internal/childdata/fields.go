// Package childdata reads and checks the child-level data lists Cafcass
// sends for a focused visit (Annex A, DOMAIN D.2): it matches a file's
// column headers to the Annex A fields forgivingly, reads CSV and .xlsx
// files one row at a time, and reports, by row and column, the errors that
// must be fixed and the queries that may be explained instead, as the
// Department for Education's data collection services do.
//
// It does no I/O beyond the reader it is given (an .xlsx file is spooled to
// a temporary file: a zip is read from its end). Reading is bounded by
// Limits, so that no file, whatever it claims, costs more than they allow.
package childdata

import "slices"

// Kind is the type of a field's values.
type Kind int

const (
	// Text is free text.
	Text Kind = iota
	// Date is a date: 2024-12-25, 25/12/2024, 5/1/2024, or an Excel serial
	// date in an .xlsx file.
	Date
	// YesNo is Y or N (Yes and No are accepted too).
	YesNo
	// Law is the law type: public or private.
	Law
	// Case is the case type, one of the schema's CaseTypes.
	Case
)

// Field is one Annex A column.
type Field struct {
	// Key names the field in code and in the database ("case_id").
	Key string
	// Label is the field as people read it ("Case ID").
	Label string
	Kind  Kind
	// Required fields must have a column, and a value in every row.
	Required bool
	// Aliases are other headers that mean this field; the key and label
	// match too. They are compared after Normalise.
	Aliases []string
	// Example is a value the check accepts, shown to people filling in
	// the list (and checked: TestExamplesAreAccepted).
	Example string
	// Note says when the field applies, for fields that do not always
	// ("Public law cases").
	Note string
}

// Field keys, one per Annex A field (DOMAIN D.2: 1–15 from December 2024,
// 16–21 added in September 2025).
const (
	CaseID          = "case_id"
	CaseName        = "case_name"
	Gender          = "gender"
	Ethnicity       = "ethnicity"
	Disability      = "disability"
	DateOfBirth     = "date_of_birth"
	LeadApplication = "lead_application"
	LawType         = "law_type"
	CaseType        = "case_type"
	Practitioner    = "practitioner"
	Team            = "team"
	ServiceArea     = "service_area"
	LocalAuthority  = "local_authority"
	Court           = "court"
	FileLocation    = "file_location"
	ChildID         = "child_id"
	CaseStart       = "case_start_date"
	CaseEnd         = "case_end_date"
	ChildSeen       = "child_seen_in_person"
	Section7Filed   = "section_7_filed"
	Audit           = "audit"
)

// Public and Private are the law types.
const (
	Public  = "public"
	Private = "private"
)

// CaseTypeDef is one case type a list may name.
type CaseTypeDef struct {
	// Code is what is stored ("s31").
	Code string
	// Label is what people read ("Section 31 (care and supervision)").
	Label string
	// Law is the law type the case type belongs to, or "" for either; a row
	// whose law type differs raises a query.
	Law string
	// Aliases are other spellings, compared after Normalise.
	Aliases []string
}

// Schema is the definition of a child-level list: its fields and the case
// types it may name. It is data, so a visit can use another version.
type Schema struct {
	// Name says which version of Annex A it is.
	Name      string
	Fields    []Field
	CaseTypes []CaseTypeDef
}

// Field returns the field with the key.
func (s *Schema) Field(key string) (Field, bool) {
	i := slices.IndexFunc(s.Fields, func(f Field) bool { return f.Key == key })
	if i < 0 {
		return Field{}, false
	}
	return s.Fields[i], true
}

// AnnexA2025 is the child-level list of the September 2025 Annex A: the 15
// fields of December 2024 and the 6 added in September 2025.
//
// Required: what identifies the case and child and what the summary and
// sample need (IDs, name, dates, law and case type, practitioner, team,
// service area, whether the child was seen). Optional: special-category data
// Cafcass may not hold (gender, ethnicity, disability), fields that apply to
// some cases only (local authority for public law, court, file location only
// if not electronic, section 7 filed for private law) and the rest.
func AnnexA2025() *Schema {
	return &Schema{
		Name: "Annex A, September 2025",
		Fields: []Field{
			{Key: CaseID, Label: "Case ID", Kind: Text, Required: true,
				Aliases: []string{"Case ref", "Case reference", "Case number", "Case no", "Case #", "Cafcass case number", "Case identifier"}, Example: "C123456"},
			{Key: CaseName, Label: "Case name", Kind: Text, Required: true,
				Aliases: []string{"Case title", "Name of case"}, Example: "Re Smith (children)"},
			{Key: Gender, Label: "Gender", Kind: Text, Aliases: []string{"Sex", "Child gender", "Gender of child"}, Example: "Female"},
			{Key: Ethnicity, Label: "Ethnicity", Kind: Text, Aliases: []string{"Ethnic origin", "Ethnic group", "Child ethnicity"}, Example: "White British"},
			{Key: Disability, Label: "Disability", Kind: YesNo, Aliases: []string{"Disabled", "Child disability", "Has disability"}, Example: "N"},
			{Key: DateOfBirth, Label: "Date of birth", Kind: Date, Required: true,
				Aliases: []string{"DOB", "D.O.B.", "Birth date", "Child DOB", "Child date of birth", "Birthdate"}, Example: "14/03/2015"},
			{Key: LeadApplication, Label: "Lead application", Kind: Text, Aliases: []string{"Lead app", "Application", "Lead application type"}, Example: "C100"},
			{Key: LawType, Label: "Law type", Kind: Law, Required: true,
				Aliases: []string{"Public or private law", "Public/private", "Public private", "Law", "Type of law"}, Example: "Private"},
			{Key: CaseType, Label: "Case type", Kind: Case, Required: true,
				Aliases: []string{"Type of case", "Case category", "Work type", "Order type"}, Example: "Section 7 report"},
			{Key: Practitioner, Label: "Practitioner", Kind: Text, Required: true,
				Aliases: []string{"Allocated practitioner", "Worker", "FCA", "Family court adviser", "Social worker", "Allocated worker"}, Example: "Sam Smith"},
			{Key: Team, Label: "Team", Kind: Text, Required: true, Aliases: []string{"Team name"}, Example: "Private law team 2"},
			{Key: ServiceArea, Label: "Service area", Kind: Text, Required: true, Aliases: []string{"Area", "Service area name", "Region"}, Example: "South East"},
			{Key: LocalAuthority, Label: "Local authority", Kind: Text, Aliases: []string{"LA", "Local authority name", "Council"}, Example: "Kent", Note: "Public law cases"},
			{Key: Court, Label: "Court", Kind: Text, Aliases: []string{"Court name", "Family court", "Court centre"}, Example: "Chelmsford Family Court"},
			{Key: FileLocation, Label: "File location", Kind: Text, Aliases: []string{"Location of file", "Paper file location"}, Example: "Chelmsford office", Note: "Only if the file is not electronic"},
			{Key: ChildID, Label: "Child ID", Kind: Text, Required: true,
				Aliases: []string{"Child ref", "Child reference", "Child number", "Child no", "Child identifier", "Subject ID"}, Example: "K1"},
			{Key: CaseStart, Label: "Case start date", Kind: Date, Required: true,
				Aliases: []string{"Start date", "Case start", "Date case started", "Case opened", "Date opened", "Open date"}, Example: "02/09/2024"},
			{Key: CaseEnd, Label: "Case end date", Kind: Date, Required: true,
				Aliases: []string{"End date", "Case end", "Date case ended", "Case closed", "Date closed", "Closure date", "Close date", "Case closure date"}, Example: "04/04/2025"},
			{Key: ChildSeen, Label: "Child seen in person", Kind: YesNo, Required: true,
				Aliases: []string{"Child seen", "Seen in person", "Child seen face to face", "Seen"}, Example: "Y"},
			{Key: Section7Filed, Label: "Section 7 filed", Kind: YesNo,
				Aliases: []string{"S7 filed", "s.7 filed", "Section 7 report filed", "S7 report filed"}, Example: "Y", Note: "Private law cases"},
			{Key: Audit, Label: "Audit", Kind: YesNo, Aliases: []string{"Audited", "Case audited", "Audit completed"}, Example: "N"},
		},
		CaseTypes: DefaultCaseTypes(),
	}
}

// AnnexA2024 is the December 2024 list: the same fields, but the six added
// in September 2025 are optional.
func AnnexA2024() *Schema {
	s := AnnexA2025()
	s.Name = "Annex A, December 2024"
	for i, f := range s.Fields {
		switch f.Key {
		case ChildID, CaseStart, CaseEnd, ChildSeen, Section7Filed, Audit:
			s.Fields[i].Required = false
		}
	}
	return s
}

// DefaultCaseTypes are the case types Cafcass works on. DOMAIN D.2 names
// safeguarding letter only, s7, r16.4, s25 and s31; the others are the
// remaining Children Act 1989 and Adoption and Children Act 2002 work Cafcass
// reports on, so that a full national list can be read without errors.
func DefaultCaseTypes() []CaseTypeDef {
	return []CaseTypeDef{
		{Code: "safeguarding_letter", Label: "Safeguarding letter only", Law: Private,
			Aliases: []string{"Safeguarding letter", "SG letter", "SLO", "Safeguarding letter only", "WTFH", "Work to first hearing"}},
		{Code: "s7", Label: "Section 7 report", Law: Private,
			Aliases: []string{"Section 7", "s.7", "s7 report", "Section 7 report", "CA89 s7"}},
		{Code: "r16.4", Label: "Rule 16.4 (children's guardian in private law)", Law: Private,
			Aliases: []string{"Rule 16.4", "r16.4", "16.4", "FPR 16.4", "r16.4 guardian"}},
		{Code: "s25", Label: "Section 25 (secure accommodation)", Law: Public,
			Aliases: []string{"Section 25", "s.25", "Secure accommodation"}},
		{Code: "s31", Label: "Section 31 (care and supervision)", Law: Public,
			Aliases: []string{"Section 31", "s.31", "Care", "Care order", "Care proceedings", "Supervision order"}},
		{Code: "s8", Label: "Section 8 (child arrangements, prohibited steps, specific issue)", Law: Private,
			Aliases: []string{"Section 8", "s.8", "Child arrangements", "CAO", "Prohibited steps", "Specific issue"}},
		{Code: "s37", Label: "Section 37 (direction to investigate)", Law: "",
			Aliases: []string{"Section 37", "s.37"}},
		{Code: "s34", Label: "Section 34 (contact with a child in care)", Law: Public,
			Aliases: []string{"Section 34", "s.34", "Contact with child in care"}},
		{Code: "s39", Label: "Section 39 (discharge or variation of a care order)", Law: Public,
			Aliases: []string{"Section 39", "s.39", "Discharge of care order"}},
		{Code: "s44", Label: "Section 44 (emergency protection order)", Law: Public,
			Aliases: []string{"Section 44", "s.44", "EPO", "Emergency protection order"}},
		{Code: "s14a", Label: "Section 14A (special guardianship)", Law: "",
			Aliases: []string{"Section 14A", "s.14A", "SGO", "Special guardianship", "Special guardianship order"}},
		{Code: "s11j", Label: "Section 11J (enforcement)", Law: Private,
			Aliases: []string{"Section 11J", "s.11J", "Enforcement", "Enforcement order"}},
		{Code: "placement", Label: "Placement order (ACA 2002 s21)", Law: Public,
			Aliases: []string{"Placement order", "ACA s21", "Placement"}},
		{Code: "adoption", Label: "Adoption (ACA 2002)", Law: "",
			Aliases: []string{"Adoption order", "Adoption application"}},
		{Code: "parental_order", Label: "Parental order (HFEA 2008 s54)", Law: Private,
			Aliases: []string{"Parental order", "s54", "Section 54", "Surrogacy"}},
		{Code: "other", Label: "Other", Law: "", Aliases: []string{"Other"}},
	}
}

package user

import "slices"

// capabilities says what each role may do, as an administrator changing a
// person's role needs to read it: the confirmation names what the person
// gains and loses. The route access table (internal/server/access.go) and
// the rule tables of the domain packages are what enforce these; this is
// their summary in words.
var capabilities = map[Role][]string{
	Admin: {
		"see every visit and its history",
		"schedule visits",
		"manage people: invite, change roles, deactivate, unlock",
		"add and remove closure days",
		"read the record of who viewed children's data",
		"undo a notice call recorded in error",
		"see scheduled jobs",
	},
	LeadInspector: {
		"schedule visits",
		"lead the visits they are on: timeline, information request, letter",
		"see children's data on the visits they are on",
	},
	TeamInspector: {
		"work on the visits they are on",
		"see children's data on the visits they are on",
	},
	QAM: {
		"work on the visits they are on",
		"approve letters for the visits they are the QAM of",
		"moderate letters with an area for priority action",
	},
	SAO: {
		"work on the visits they are on",
		"check the information Cafcass sends and answer its questions",
		"see children's data on the visits they are on",
	},
	CafcassCEO: {
		"see a visit they are on once notice is given",
		"send the information Ofsted asks for",
		"comment on the draft letter and complain about the final",
		"ask for a deferral",
	},
	CafcassDeputy: {
		"see a visit they are on once notice is given",
		"send the information Ofsted asks for",
		"comment on the draft letter and complain about the final",
		"ask for a deferral",
	},
}

// Capabilities lists what the role may do.
func (r Role) Capabilities() []string { return capabilities[r] }

// RoleChange is what a person gains and loses by moving from one role to
// another.
type RoleChange struct {
	From, To Role
	Gains    []string
	Loses    []string
}

// ChangeOf describes a move from one role to another.
func ChangeOf(from, to Role) RoleChange {
	c := RoleChange{From: from, To: to}
	for _, s := range capabilities[to] {
		if !slices.Contains(capabilities[from], s) {
			c.Gains = append(c.Gains, s)
		}
	}
	for _, s := range capabilities[from] {
		if !slices.Contains(capabilities[to], s) {
			c.Loses = append(c.Loses, s)
		}
	}
	return c
}

package notify

import "sort"

// catalogue is every message the service sends, by name. Add a message
// here, with a test in catalogue_test.go; the data each body uses is the
// Data map of the Message (missing keys are an error, never "<no value>").
//
// Data every visit message has: Reference (FV-2026-0001), Link (absolute
// URL of the page where the reader acts). Dates come from the working-day
// engine, worded by internal/timeline (Due: "Friday 12 June 2026").
var catalogue = map[string]Template{}

func register(ts ...Template) {
	for _, t := range ts {
		if _, dup := catalogue[t.Name]; dup {
			panic("notify: template registered twice: " + t.Name)
		}
		catalogue[t.Name] = t
	}
}

func sortByName(ts []Template) {
	sort.Slice(ts, func(i, j int) bool { return ts[i].Name < ts[j].Name })
}

func init() {
	register(
		Template{
			Name: "visit.notice_given", Kind: Action, Cafcass: true,
			Subject: "Ofsted focused visit {{.Data.Reference}}: notice given",
			Body: `Dear {{.To.Name}},

Ofsted has given notice of focused visit {{.Data.Reference}}.

The child-level data is due by the end of {{.Data.ChildDataDue}}.
The management information is due by the end of {{.Data.InformationDue}}.
Fieldwork is on {{.Data.Fieldwork}}.

See the visit and what Ofsted has asked for:
{{.Data.Link}}

Ofsted focused visits`,
		},
	)
}

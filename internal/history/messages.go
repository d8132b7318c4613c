package history

import "strings"

// Email (issue 13): every message the service queues about a visit is in
// its history (DOMAIN decision 19), and what the lead added to the
// service's email of new dates to the chief executive (decision 14).
const (
	MessageQueued  Kind = "message.queued"
	MessageRetried Kind = "message.retried"
	CEONoteNone    Kind = "visit.ceo_note_none"
	CEONoteSent    Kind = "visit.ceo_note_sent"
)

func init() {
	for k, w := range map[Kind]func(Params) Line{
		MessageQueued: func(p Params) Line {
			detail := p.Title
			if p.Label != "" {
				detail += " (" + p.Label + ")"
			}
			switch p.Status {
			case "digest":
				detail += ". Held for the recipient's daily digest"
			case "skipped":
				if p.Reason != "" {
					detail += ". " + strings.ToUpper(p.Reason[:1]) + p.Reason[1:]
				}
			}
			return Line{Action: "Email queued", New: p.Name, Detail: detail}
		},
		MessageRetried: func(p Params) Line {
			return Line{Action: "Failed email sent again", New: p.Name, Detail: p.Title}
		},
		CEONoteNone: func(p Params) Line {
			return Line{Action: "No covering note to the chief executive", Detail: "The service's email of the new dates is the written record"}
		},
		CEONoteSent: func(p Params) Line {
			return Line{Action: "Covering note to the chief executive", Detail: p.Note}
		},
	} {
		words[k] = w
	}
}

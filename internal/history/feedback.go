package history

// Feedback from children and young people (issue 17, item 6): the visit's
// code, made when notice is given or by its lead. The answers are never in
// the history.
const (
	FeedbackCodeMade Kind = "feedback.code_made"
)

func init() {
	words[FeedbackCodeMade] = func(p Params) Line {
		return Line{Action: "Feedback code made", New: p.Text,
			Detail: "Cafcass passes it on to children and young people, who use it to give feedback anonymously"}
	}
}

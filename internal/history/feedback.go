package history

import "fmt"

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

// feedbackDeleted is what the retention purge's line adds for the answers.
func feedbackDeleted(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf(" Deleted %s from children and young people.", plural(n, "feedback answer"))
}

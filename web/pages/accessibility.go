package pages

// When the accessibility statement was prepared and last reviewed, and when
// the service was last tested: change them when the statement is reviewed
// (GOV.UK's model statement asks for all three).
const (
	statementPrepared = "1 December 2026"
	statementReviewed = "1 December 2026"
	serviceTested     = "1 December 2026"
)

// KnownIssue is a way the service fails an accessibility requirement: what
// it is, for whom, and the WCAG 2.2 success criterion.
type KnownIssue struct {
	Text, Criterion string
}

// knownIssues are the service's known failures of WCAG 2.2 AA. Keep this
// list honest: add what a test or a user finds, remove what is fixed.
var knownIssues = []KnownIssue{
	{"You are signed out after a time without activity (1 hour unless the service is set otherwise), with no warning beforehand and no way to ask for more time. Anything you were typing and had not saved is lost.", "2.2.1 Timing adjustable"},
	{"On a narrow screen, the month calendar does not reflow: it keeps its seven columns and you scroll sideways to see them.", "1.4.10 Reflow"},
	{"Documents people upload to the service, such as PDFs, Word documents and spreadsheets, are not checked for accessibility, and may not work with assistive technology.", "several, depending on the document"},
}

package pages

import (
	"github.com/ofsted/focusedvisits/internal/form"
	"github.com/ofsted/focusedvisits/web/components"
	"github.com/ofsted/focusedvisits/web/layout"
)

// MessageListView is the administrators' page of the outbox (issue 13):
// every message the service sent or would send, newest first, filtered by
// status.
type MessageListView struct {
	layout.Page
	// MailServer says where messages go ("none set": they are not sent).
	MailServer string
	Sending    bool
	Filters    []MessageFilter
	Showing    string
	Rows       []MessageRow
	Pagination components.PaginationParams
}

// MessageFilter is one status to filter by, with its count.
type MessageFilter struct {
	Text    string
	Href    string
	Count   int
	Current bool
}

// MessageRow is one message in the list.
type MessageRow struct {
	Href      string
	Subject   string
	To        string
	Visit     string
	VisitHref string
	Queued    string
	Status    components.TagParams
	Attempts  string
}

// MessageShowView is one message as it was worded, with what became of it.
type MessageShowView struct {
	layout.Page
	BackHref string
	Subject  string
	Status   components.TagParams
	Rows     []components.SummaryRow
	// Body is the plain text as paragraphs of lines.
	Body [][]string
	// RetryAction is the form that sends a failed message again; "" when
	// it cannot be retried.
	RetryAction string
}

// AccountMessagesView is where a person chooses how they get information
// messages.
type AccountMessagesView struct {
	layout.Page
	Options []components.Option
	Errors  form.Errors
}

package server

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/ofsted/focusedvisits/internal/notify"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/web/components"
	"github.com/ofsted/focusedvisits/web/pages"
)

// The administrators' Messages page (issue 13): the outbox, every email the
// service sent or would send, by status; one message as it was worded and
// what became of it; and a failed one sent again.

// messagesPerPage is how many messages the list shows at a time.
const messagesPerPage = 50

const messagesPath = "/admin/messages"

func messageHref(publicID string) string { return messagesPath + "/" + publicID }

// GET /admin/messages[?status=failed&page=2]
func (s *Server) handleMessageList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var status notify.Status
	if q := r.URL.Query().Get("status"); q != "" {
		st, err := notify.ParseStatus(q)
		if err != nil {
			return badRequest(err)
		}
		status = st
	}
	page := 1
	if r.URL.Query().Has("page") {
		n, ok := queryInt(r, "page", 1, 100000)
		if !ok {
			return badRequest(errors.New("page is not a page number"))
		}
		page = n
	}
	counts, err := s.store.CountMessages(ctx)
	if err != nil {
		return err
	}
	list, total, err := s.store.ListMessages(ctx, store.MessageFilter{Status: status, Limit: messagesPerPage, Offset: (page - 1) * messagesPerPage})
	if err != nil {
		return err
	}
	v := pages.MessageListView{Page: s.page(r, "Messages"), MailServer: s.cfg.SMTP.String(), Sending: s.mailOn()}
	all := 0
	for _, n := range counts {
		all += n
	}
	v.Filters = append(v.Filters, pages.MessageFilter{Text: "All", Href: messagesPath, Count: all, Current: status == ""})
	for _, st := range notify.Statuses {
		v.Filters = append(v.Filters, pages.MessageFilter{Text: st.Label(), Href: messagesPath + "?status=" + string(st), Count: counts[st], Current: st == status})
	}
	for _, m := range list {
		v.Rows = append(v.Rows, messageRow(m))
	}
	if total > 0 {
		first := (page-1)*messagesPerPage + 1
		v.Showing = fmt.Sprintf("Showing %d to %d of %d messages, newest first", first, first+len(list)-1, total)
	}
	v.Pagination = messagePages(status, page, (total+messagesPerPage-1)/messagesPerPage)
	return s.render(w, r, http.StatusOK, pages.MessageList(v))
}

func messageRow(m store.OutboxMessage) pages.MessageRow {
	row := pages.MessageRow{
		Href: messageHref(m.PublicID), Subject: m.Subject, To: recipientWords(m), Queued: timeline.FormatTime(m.CreatedAt),
		Status: components.TagParams{Text: m.Status.Label(), Colour: m.Status.Colour()}, Visit: m.VisitReference,
	}
	if m.VisitPublicID != "" {
		row.VisitHref = "/visits/" + m.VisitPublicID
	}
	if m.Attempts > 0 && m.Status != notify.Sent {
		row.Attempts = attemptsWords(m.Attempts)
	}
	return row
}

func recipientWords(m store.OutboxMessage) string {
	if m.ToName == "" {
		return m.ToAddress
	}
	return m.ToName + " <" + m.ToAddress + ">"
}

func attemptsWords(n int) string {
	if n == 1 {
		return "Tried once"
	}
	return fmt.Sprintf("Tried %d times", n)
}

func messagePages(status notify.Status, page, last int) components.PaginationParams {
	link := func(n int) string {
		q := url.Values{}
		if status != "" {
			q.Set("status", string(status))
		}
		if n > 1 {
			q.Set("page", strconv.Itoa(n))
		}
		if len(q) == 0 {
			return messagesPath
		}
		return messagesPath + "?" + q.Encode()
	}
	p := components.PaginationParams{LandmarkLabel: "Pages of messages"}
	if page > 1 {
		p.Previous = &components.PaginationLink{Href: link(page - 1), HiddenText: " page", Label: fmt.Sprintf("%d of %d", page-1, last)}
	}
	if page < last {
		p.Next = &components.PaginationLink{Href: link(page + 1), HiddenText: " page", Label: fmt.Sprintf("%d of %d", page+1, last)}
	}
	return p
}

// messageFor loads the message named in the URL.
func (s *Server) messageFor(r *http.Request) (store.OutboxMessage, error) {
	id, ok := publicIDParam(r, "messageID")
	if !ok {
		return store.OutboxMessage{}, store.ErrNotFound
	}
	return s.store.GetMessage(r.Context(), id)
}

// GET /admin/messages/{messageID}
func (s *Server) handleMessageShow(w http.ResponseWriter, r *http.Request) error {
	m, err := s.messageFor(r)
	if err != nil {
		return err
	}
	kind := "Information: the recipient may turn these off or have them in a daily digest"
	if m.Kind == notify.Action {
		kind = "Action: always sent"
	}
	when := func(label string, t interface{ IsZero() bool }, words string) []components.SummaryRow {
		if t.IsZero() {
			return nil
		}
		return []components.SummaryRow{{Key: label, Value: words}}
	}
	rows := []components.SummaryRow{
		{Key: "To", Value: recipientWords(m)},
		{Key: "Kind", Value: kind},
		{Key: "Template", Value: m.Template},
		{Key: "Written", Value: timeline.FormatTime(m.CreatedAt)},
	}
	if m.VisitReference != "" {
		rows = append(rows, components.SummaryRow{Key: "Visit", Value: m.VisitReference, ActionHref: "/visits/" + m.VisitPublicID, ActionText: "See the visit"})
	}
	rows = append(rows, components.SummaryRow{Key: "Attempts", Value: strconv.Itoa(m.Attempts)})
	rows = append(rows, when("Last attempt", m.LastAttemptAt, timeline.FormatTime(m.LastAttemptAt))...)
	if m.Status == notify.Queued {
		rows = append(rows, when("Next attempt", m.NextAttemptAt, timeline.FormatTime(m.NextAttemptAt))...)
	}
	rows = append(rows, when("Sent", m.SentAt, timeline.FormatTime(m.SentAt))...)
	if m.LastError != "" {
		rows = append(rows, components.SummaryRow{Key: "Last error", Value: m.LastError})
	}
	if m.DigestPublicID != "" {
		rows = append(rows, components.SummaryRow{Key: "Digest", Value: "Sent in a daily digest", ActionHref: messageHref(m.DigestPublicID), ActionText: "See the digest"})
	}
	rows = append(rows, when("Sent again by an administrator", m.RetriedAt, m.RetriedBy+", "+timeline.FormatTime(m.RetriedAt))...)
	v := pages.MessageShowView{
		Page: s.page(r, m.Subject), BackHref: messagesPath, Subject: m.Subject, Rows: rows, Body: textParagraphs(m.Body),
		Status: components.TagParams{Text: m.Status.Label(), Colour: m.Status.Colour()},
	}
	if notify.CheckRetry(true, m.Status) == nil {
		v.RetryAction = messageHref(m.PublicID) + "/retry"
	}
	return s.render(w, r, http.StatusOK, pages.MessageShow(v))
}

// textParagraphs splits plain text into paragraphs of lines.
func textParagraphs(text string) [][]string {
	var out [][]string
	for _, p := range strings.Split(strings.TrimSpace(text), "\n\n") {
		out = append(out, strings.Split(strings.TrimSpace(p), "\n"))
	}
	return out
}

// POST /admin/messages/{messageID}/retry queues a failed message again.
func (s *Server) handleMessageRetry(w http.ResponseWriter, r *http.Request) error {
	id, ok := publicIDParam(r, "messageID")
	if !ok {
		return store.ErrNotFound
	}
	u, _ := currentUser(r.Context())
	err := s.store.RetryMessage(r.Context(), id, u)
	switch {
	case errors.Is(err, store.ErrConflict):
		s.flash(r, "That message is not failed, so it was not sent again.")
	case err != nil:
		return err
	default:
		s.log.InfoContext(r.Context(), "message sent again", "request_id", requestID(r.Context()), "user_id", u.ID, "message", id)
		s.flash(r, "The message will be sent again within a minute.")
	}
	http.Redirect(w, r, messageHref(id), http.StatusSeeOther)
	return nil
}

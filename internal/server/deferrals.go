package server

import (
	"net/http"
	"strings"

	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
	"github.com/ofsted/focusedvisits/web/pages"
)

func visitHref(d visit.Details) string { return "/visits/" + d.PublicID }

// deferralCaption is the caption above a deferral page's h1.
// decideHref is the page for deciding on a deferral request.
func decideHref(d visit.Details, df store.Deferral) string {
	return visitHref(d) + "/deferrals/" + df.PublicID + "/decide"
}

func deferralCaption(d visit.Details) string { return d.Reference + ": deferral" }

// deferralFor loads the deferral named in the URL, of the visit d.
func (s *Server) deferralFor(r *http.Request, d visit.Details) (store.Deferral, error) {
	id, ok := publicIDParam(r, "deferralID")
	if !ok {
		return store.Deferral{}, store.ErrNotFound
	}
	return s.store.GetDeferralByPublicID(r.Context(), d.ID, id)
}

// anchorPhrase says what a plan is counted from: "the notice day, Mon 12
// May 2025".
func anchorPhrase(code string, day workday.Date) string {
	if code == timeline.CodeFieldwork {
		return "the first fieldwork day, " + timeline.FormatDate(day)
	}
	return "the notice day, " + timeline.FormatDate(day)
}

func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// deferralItem is a deferral request as the pages show it; href, the page
// for deciding on it, is set when the user may decide on it.
func deferralItem(df store.Deferral, href string) pages.DeferralItem {
	it := pages.DeferralItem{
		ID: df.PublicID, RequestedBy: df.RequestedBy, RequestedOn: timeline.FormatDate(df.RequestedOn), Reason: df.Reason,
		RecordedBy: df.RecordedBy + ", " + timeline.FormatDay(df.RecordedAt),
		Status:     df.Status.Label(), StatusColour: "yellow",
		DecisionReason: df.DecisionReason,
	}
	switch df.Status {
	case store.DeferralGranted:
		it.StatusColour = "green"
	case store.DeferralRefused:
		it.StatusColour = "red"
	default:
		it.DecideHref = href
	}
	if !df.DecidedAt.IsZero() {
		it.DecidedBy, it.DecidedOn = df.DecidedBy, timeline.FormatDay(df.DecidedAt)
	}
	if df.Status == store.DeferralGranted && !df.OldAnchorDate.IsZero() {
		it.MovedFrom = upperFirst(anchorPhrase(df.OldAnchorCode, df.OldAnchorDate))
		it.MovedTo = upperFirst(anchorPhrase(df.NewAnchorCode, df.NewAnchorDate))
	}
	return it
}

// DeferralList is the deferrals section of a visit's page for the signed-in
// user: nothing for Cafcass users yet (their side comes later), links to
// record and decide for those who may manage the visit.
func deferralList(a visit.Actor, d visit.Details, dfs []store.Deferral) pages.DeferralListView {
	var v pages.DeferralListView
	if !visit.May(visit.SeeInternal, a, d, visit.Facts{}) {
		return v
	}
	canManage := visit.May(visit.RecordDeferral, a, d, visit.Facts{})
	if canManage {
		v.NewHref = visitHref(d) + "/deferrals/new"
	}
	for _, df := range dfs {
		href := ""
		if canManage {
			href = decideHref(d, df)
		}
		v.Deferrals = append(v.Deferrals, deferralItem(df, href))
	}
	return v
}

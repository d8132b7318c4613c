package server

import (
	"context"

	"github.com/ofsted/focusedvisits/internal/history"
	"github.com/ofsted/focusedvisits/internal/store"
)

// historyEvents is the visit's history, newest first: its lines
// (visit_events) and the record of who read a letter sent to Cafcass or
// downloaded a file (material_views), merged by time. The views are kept
// apart because they are recorded on a GET (DOMAIN decision 16); Ofsted
// still reads them in the history, in the order they happened.
func (s *Server) historyEvents(ctx context.Context, visitID int64) ([]store.Event, error) {
	events, err := s.store.ListEvents(ctx, visitID)
	if err != nil {
		return nil, err
	}
	views, err := s.store.ListMaterialViews(ctx, visitID)
	if err != nil {
		return nil, err
	}
	return mergeViews(events, views), nil
}

// mergeViews merges two lists, each newest first, into one newest first;
// a view and a line at the same instant keep the line first.
func mergeViews(events []store.Event, views []store.MaterialView) []store.Event {
	if len(views) == 0 {
		return events
	}
	out := make([]store.Event, 0, len(events)+len(views))
	for len(events) > 0 || len(views) > 0 {
		if len(views) > 0 && (len(events) == 0 || views[0].At.After(events[0].At)) {
			v := views[0]
			// The record of views keeps its own words (visit.MaterialView),
			// shown as a line stored with its words.
			out = append(out, store.Event{VisitID: v.VisitID, At: v.At, UserID: v.UserID, UserName: v.ByName,
				Event: history.Event{Kind: history.Legacy, Stored: history.Line{Action: v.What.Words(), Detail: v.Detail()}}})
			views = views[1:]
			continue
		}
		out = append(out, events[0])
		events = events[1:]
	}
	return out
}

package demo

import (
	"context"
	"time"

	"github.com/ofsted/focusedvisits/internal/feedback"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// demoFeedback are the answers children and young people gave the visit
// in fieldwork (issue 17.6), as stored: plain text, identifiers removed.
var demoFeedback = []feedback.Answer{
	{Helped: "She explained what the judge would decide and asked me what I wanted.", Listened: "yes", Age: "11_15"},
	{Helped: "He came to my school so I did not miss football.", Listened: "a_bit", Age: "11_15",
		Anything: "I had three different workers and had to say everything again each time."},
	{Listened: "no", Anything: "Nobody told me what happened in court until my mum did.", Age: "16_17"},
	{Helped: "Talked to me on video and it was ok. Call me on 07700 900123.", Listened: "yes"},
}

// loadFeedback gives the visit in fieldwork a few answers to its feedback
// form, one each working day from notice (its code was made when notice
// was recorded).
func loadFeedback(ctx context.Context, tx *store.Store, visitID int64, notice workday.Date) error {
	cal := workday.EnglandAndWales()
	for i, a := range demoFeedback {
		day, err := cal.Add(notice, i+1)
		if err != nil {
			return err
		}
		at := time.Date(day.Year(), day.Month(), day.Day(), 16+i%3, 10*i, 0, 0, workday.London)
		if err := tx.AddFeedback(ctx, visitID, feedback.Tidy(a).Clean(), at); err != nil {
			return err
		}
	}
	return nil
}

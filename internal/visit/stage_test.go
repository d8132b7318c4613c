package visit_test

import (
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// TestRecordOf: what RecordOf says a visit at a stage has on record is what
// every visit Stage puts at that stage has, so a search narrowed by it in
// the query loses none; and a stage needs the plan exactly when Dated says.
func TestRecordOf(t *testing.T) {
	t.Parallel()
	cal := workday.EnglandAndWales()
	notice := workday.NewDate(2025, time.April, 14)
	base := visit.Details{Visit: visit.Visit{TemplateID: timeline.FocusedVisit, TemplateVersion: "2021-03-17",
		AnchorCode: timeline.CodeNotice, AnchorDate: notice, Status: visit.Active}}
	given := func(d visit.Details, codes ...string) visit.Details {
		d.NoticeGivenAt = notice.At(9, 0, 0, 0, time.UTC)
		d.Actuals = []visit.Actual{{Code: timeline.CodeNotice, Date: notice}}
		for _, c := range codes {
			d.Actuals = append(d.Actuals, visit.Actual{Code: c, Date: notice.AddDays(30)})
		}
		return d
	}
	cancelled := base
	cancelled.Status = visit.Cancelled
	visits := []visit.Details{base, cancelled, given(base), given(base, timeline.CodeDraftLetter), given(base, timeline.CodeDraftLetter, timeline.CodeFinalLetter),
		given(base, timeline.CodeDraftLetter, timeline.CodeFinalLetter, timeline.CodePublication)}
	seen := map[string]bool{}
	for _, d := range visits {
		p, err := d.Dates(cal, time.UTC)
		if err != nil {
			t.Fatal(err)
		}
		for _, today := range []string{"2025-04-09", "2025-04-24", "2025-05-20", "2025-12-01"} {
			day, _ := workday.ParseDate(today)
			stage := visit.Stage(d, p, day)
			seen[stage] = true
			rec := visit.RecordOf(stage)
			_, published := d.Actual(timeline.CodePublication)
			has := func(h visit.Has, b bool) bool { return h == visit.Either || (h == visit.Yes) == b }
			if rec.Status != d.Status || !has(rec.NoticeGiven, d.NoticeGiven()) || !has(rec.Published, published) {
				t.Errorf("a visit at %q on %s has another record than %+v", stage, today, rec)
			}
			if rec.Dated != visit.Dated(d) {
				t.Errorf("%q: Dated %v, but visit.Dated says %v", stage, rec.Dated, visit.Dated(d))
			}
			if !rec.Dated && visit.Stage(d, timeline.Plan{}, day) != stage {
				t.Errorf("%q needs the plan, yet its record says it does not", stage)
			}
		}
	}
	for _, st := range visit.Stages {
		if !seen[st] {
			t.Errorf("no visit reached the stage %q", st)
		}
	}
}

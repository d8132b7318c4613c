package browsertest_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/browsertest"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// TestCalendarMonthFits (issue 15.9): the month calendar, full of the demo
// visits and one more, bank holidays and all, is no wider than the screen
// at 1280 and 390 px, with every link inside the page's column. On the wide
// screen each entry's reference stays on one line inside its day; on the
// narrow one the grid becomes a list of the days with entries, each under
// its date.
func TestCalendarMonthFits(t *testing.T) {
	t.Parallel()
	today := workday.NewDate(2025, time.April, 15)
	now := tenAM(today)
	a := startDemoApp(t, today, func() time.Time { return now }, func(a *demoApp) {
		a.newVisit(t, workday.NewDate(2025, time.April, 14))
		a.newVisit(t, workday.NewDate(2025, time.April, 16))
	})
	b := browsertest.New(t, a.URL)
	signInAs(t, b, a.ByRole[user.LeadInspector])
	const path = "/calendar?month=2025-04"
	for _, width := range []int64{1280, 390} {
		b.Resize(width, 900)
		b.Visit(path)
		o := b.Overflow()
		if o.Document > o.Viewport {
			t.Errorf("the calendar at %d px is %d px wide", width, o.Document)
		}
		for _, e := range o.Outside {
			t.Errorf("the calendar at %d px: %s", width, e)
		}
		if n := b.Count(`[data-testid="calendar-legend"] [data-category]`); n < 4 {
			t.Errorf("at %d px the legend explains %d markers, want the month's (at least 4)", width, n)
		}
		var cells struct {
			Entries, Broken, Spilling, Worded, Shown, ShownEmpty, DatesShown int
		}
		b.Eval(`(() => {
			const r = {Entries: 0, Broken: 0, Spilling: 0, Worded: 0, Shown: 0, ShownEmpty: 0, DatesShown: 0};
			for (const ref of document.querySelectorAll('.app-calendar__ref')) {
				r.Entries++;
				if (ref.getClientRects().length !== 1) r.Broken++;
				const cell = ref.closest('td').getBoundingClientRect(), box = ref.getBoundingClientRect();
				if (box.left < cell.left - 1 || box.right > cell.right + 1) r.Spilling++;
				if (ref.parentElement.querySelector('.app-calendar__detail').getBoundingClientRect().width > 1) r.Worded++;
			}
			for (const td of document.querySelectorAll('td.app-calendar__day:not(.app-calendar__day--outside)')) {
				if (td.getClientRects().length === 0) continue;
				r.Shown++;
				if (!td.querySelector('.app-calendar__entry')) r.ShownEmpty++;
				if (td.querySelector('.app-calendar__date').getBoundingClientRect().width > 1) r.DatesShown++;
			}
			return r;
		})()`, &cells)
		if cells.Entries < 10 {
			t.Fatalf("at %d px the month shows %d visit entries, want many", width, cells.Entries)
		}
		if cells.Broken > 0 {
			t.Errorf("at %d px %d of %d references are broken over lines", width, cells.Broken, cells.Entries)
		}
		if cells.Spilling > 0 {
			t.Errorf("at %d px %d of %d references spill out of their day", width, cells.Spilling, cells.Entries)
		}
		switch width {
		case 1280:
			if cells.Shown != 30 || cells.DatesShown != 0 || cells.Worded != 0 {
				t.Errorf("at 1280 px the grid shows %d days of April (want 30) with %d full dates and %d entries' wording shown (want none: they are for screen readers)", cells.Shown, cells.DatesShown, cells.Worded)
			}
		case 390:
			if cells.ShownEmpty != 0 || cells.DatesShown != cells.Shown || cells.Worded != cells.Entries {
				t.Errorf("at 390 px the list shows %d days, %d without entries (want none), %d under their date, %d of %d entries in full", cells.Shown, cells.ShownEmpty, cells.DatesShown, cells.Worded, cells.Entries)
			}
		}
		b.Screenshot(fmt.Sprintf("calendar-%d", width))
	}
}

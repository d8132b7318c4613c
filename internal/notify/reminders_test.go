package notify_test

import (
	"strings"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/notify"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// about is the B.4 visit (notice Mon 14 Apr 2025), noticed or not.
func about(t *testing.T, noticed bool) (notify.About, *workday.Calendar) {
	t.Helper()
	cal := workday.EnglandAndWales()
	d := visit.Details{
		Visit: visit.Visit{ID: 7, PublicID: "pub", Reference: "FV-2025-0007", TemplateID: timeline.FocusedVisit, TemplateVersion: "2021-03-17",
			AnchorCode: timeline.CodeNotice, AnchorDate: workday.NewDate(2025, 4, 14), Status: visit.Active},
		Members: []visit.Member{
			{UserID: 1, Name: "Lena Lead", Email: "lead@example.gov.uk", UserRole: user.LeadInspector, Role: visit.RoleLead},
			{UserID: 2, Name: "Cara Chief", Email: "ceo@cafcass.example", UserRole: user.CafcassCEO, Role: visit.RoleCafcass},
		},
	}
	if noticed {
		d.NoticeGivenAt = time.Date(2025, 4, 14, 9, 5, 0, 0, workday.London)
		d.Actuals = []visit.Actual{{Code: timeline.CodeNotice, Date: workday.NewDate(2025, 4, 14)}}
	}
	p, err := d.Dates(cal, workday.London)
	if err != nil {
		t.Fatal(err)
	}
	return notify.About{Visit: d, Plan: p, Base: "https://fv.example"}, cal
}

// remindersOn words the reminders of day as "address: subject".
func remindersOn(t *testing.T, a notify.About, cal *workday.Calendar, f notify.Facts, day workday.Date, before int) []string {
	t.Helper()
	ms, err := a.Reminders(f, cal, day, before)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, m := range ms {
		r, err := notify.Render(m)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, m.To.Email+": "+r.Subject)
	}
	return out
}

func TestReminders(t *testing.T) {
	items := func(done bool) notify.Facts {
		return notify.Facts{Items: []notify.Item{
			{Number: "CL.1", Due: workday.NewDate(2025, 4, 16), Done: done},
			{Number: "1.03", Due: workday.NewDate(2025, 4, 22)},
		}}
	}
	d := workday.NewDate
	for _, c := range []struct {
		name    string
		noticed bool
		facts   notify.Facts
		day     workday.Date
		before  int
		want    []string
	}{
		{"the lead, 2 working days before the notice call", false, items(false), d(2025, 4, 10), 2,
			[]string{"lead@example.gov.uk: Focused visit FV-2025-0007: reminder, the notice call to the Cafcass chief executive due in 2 working days"}},
		{"nothing to Cafcass before notice, whatever is due", false, items(false), d(2025, 4, 16), 2, nil},
		{"no reminder to Cafcass on the notice day (CL.1 is due 2 working days after it)", true, items(false), d(2025, 4, 14), 2, nil},
		{"on the day; and 1.03, 2 working days before Tue 22 Apr across Easter", true, items(false), d(2025, 4, 16), 2, []string{
			"ceo@cafcass.example: Ofsted focused visit FV-2025-0007: reminder, item CL.1 of the information request due today",
			"ceo@cafcass.example: Ofsted focused visit FV-2025-0007: reminder, item 1.03 of the information request due in 2 working days",
		}},
		{"never once it is done", true, items(true), d(2025, 4, 16), 2, []string{
			"ceo@cafcass.example: Ofsted focused visit FV-2025-0007: reminder, item 1.03 of the information request due in 2 working days",
		}},
		{"only on the day when asked for none before", true, items(false), d(2025, 4, 16), 0, []string{
			"ceo@cafcass.example: Ofsted focused visit FV-2025-0007: reminder, item CL.1 of the information request due today",
		}},
		{"the draft letter, 3 working days before (Mon 5 May is a bank holiday)", true, notify.Facts{}, d(2025, 5, 7), 3, []string{
			"lead@example.gov.uk: Focused visit FV-2025-0007: reminder, the draft letter to Cafcass due in 3 working days",
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			a, cal := about(t, c.noticed)
			got := remindersOn(t, a, cal, c.facts, c.day, c.before)
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("got\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
	t.Run("none for a cancelled visit", func(t *testing.T) {
		a, cal := about(t, true)
		a.Visit.Status = visit.Cancelled
		if got := remindersOn(t, a, cal, items(false), d(2025, 4, 16), 2); len(got) != 0 {
			t.Errorf("%q", got)
		}
	})
}

package annexa_test

import (
	"errors"
	"regexp"
	"slices"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/annexa"
	"github.com/ofsted/focusedvisits/internal/workday"
)

func TestCatalogues(t *testing.T) {
	t.Parallel()
	docNumber := regexp.MustCompile(`^1\.\d{2}$`)
	for _, v := range annexa.Versions() {
		c, err := annexa.Lookup(v)
		if err != nil {
			t.Fatal(err)
		}
		seen := map[string]bool{}
		for _, it := range c.Items {
			if seen[it.Number] {
				t.Errorf("%s: %s twice", v, it.Number)
			}
			seen[it.Number] = true
			if it.Title == "" || it.Description == "" {
				t.Errorf("%s %s: no title or description", v, it.Number)
			}
			if it.DueDay != annexa.DefaultDueDay(it.Kind) {
				t.Errorf("%s %s: due day %d, want %d", v, it.Number, it.DueDay, annexa.DefaultDueDay(it.Kind))
			}
			if it.Kind == annexa.Document && !docNumber.MatchString(it.Number) {
				t.Errorf("%s: document number %q", v, it.Number)
			}
		}
		// Only the documents that were read: 1.06 to 1.14 are unknown.
		for _, n := range []string{"CL.1", "AL.1", "1.01", "1.02", "1.03", "1.04", "1.05", "1.15"} {
			if !seen[n] {
				t.Errorf("%s: no item %s", v, n)
			}
		}
		if len(c.Items) != 8 {
			t.Errorf("%s: %d items, want 8", v, len(c.Items))
		}
	}
	if _, err := annexa.Lookup("1999-01"); err == nil {
		t.Error("an unknown version was found")
	}
	// Sep 2025: 1.15 gained the breakdown by how long cases were open.
	old, _ := annexa.Lookup("2024-12")
	cur := annexa.Latest()
	a, _ := old.Item("1.15")
	b, _ := cur.Item("1.15")
	if a.Description == b.Description {
		t.Error("1.15 is the same in both versions")
	}
	// A lookup is a copy: changing it does not change the catalogue.
	cur.Items[0].Title = "changed"
	if annexa.Latest().Items[0].Title == "changed" {
		t.Error("Lookup returned the catalogue itself")
	}
}

func TestCheck(t *testing.T) {
	t.Parallel()
	ceo := annexa.Actor{UserID: 1, Cafcass: true, Member: true}
	lead := annexa.Actor{UserID: 2, Manages: true, Reviews: true, SeesChildData: true}
	sao := annexa.Actor{UserID: 3, Reviews: true, SeesChildData: true}
	team := annexa.Actor{UserID: 4, SeesChildData: true}
	admin := annexa.Actor{UserID: 5, Manages: true, Reviews: true}
	on := func(s annexa.Status) annexa.Facts {
		return annexa.Facts{Status: s, Kind: annexa.Document, VisitActive: true}
	}
	with := func(f annexa.Facts, change func(*annexa.Facts)) annexa.Facts { change(&f); return f }
	files := func(f *annexa.Facts) { f.HasFiles = true }
	reason := func(f *annexa.Facts) { f.Reason = "We do not keep this" }
	list := func(f *annexa.Facts) { f.Kind, f.HasFiles = annexa.ChildList, true }
	tests := []struct {
		name   string
		action annexa.Action
		by     annexa.Actor
		facts  annexa.Facts
		want   error
	}{
		{"cafcass submits with files", annexa.Submit, ceo, with(on(annexa.NotStarted), files), nil},
		{"cafcass submits in progress", annexa.Submit, ceo, with(on(annexa.InProgress), files), nil},
		{"cafcass resubmits returned", annexa.Submit, ceo, with(on(annexa.Returned), files), nil},
		{"submit needs a file", annexa.Submit, ceo, on(annexa.NotStarted), annexa.ErrNoFiles},
		{"child list needs its dates", annexa.Submit, ceo, with(on(annexa.InProgress), list), annexa.ErrNoCoverage},
		{"child list with dates", annexa.Submit, ceo, with(with(on(annexa.InProgress), list), func(f *annexa.Facts) { f.HasCoverage = true }), nil},
		{"not held with explanation", annexa.MarkNotHeld, ceo, with(on(annexa.NotStarted), reason), nil},
		{"not held needs an explanation", annexa.MarkNotHeld, ceo, on(annexa.NotStarted), annexa.ErrNoExplanation},
		{"cafcass takes back not held", annexa.Start, ceo, on(annexa.NotHeld), nil},
		{"start is only from not held", annexa.Start, ceo, on(annexa.Returned), annexa.ErrForbidden},
		{"cafcass cannot accept", annexa.Accept, ceo, on(annexa.Submitted), annexa.ErrForbidden},
		{"cafcass cannot reopen accepted", annexa.Submit, ceo, with(on(annexa.Accepted), files), annexa.ErrForbidden},
		{"lead accepts", annexa.Accept, lead, on(annexa.Submitted), nil},
		{"sao accepts", annexa.Accept, sao, on(annexa.Submitted), nil},
		{"administrator accepts", annexa.Accept, admin, on(annexa.Submitted), nil},
		{"team inspector cannot accept", annexa.Accept, team, on(annexa.Submitted), annexa.ErrNotYours},
		{"ofsted returns with reason", annexa.Return, sao, with(on(annexa.Submitted), reason), nil},
		{"return needs a reason", annexa.Return, lead, on(annexa.Submitted), annexa.ErrNoReason},
		{"ofsted returns not held", annexa.Return, lead, with(on(annexa.NotHeld), reason), nil},
		{"ofsted cannot accept what was not submitted", annexa.Accept, lead, on(annexa.NotStarted), annexa.ErrForbidden},
		{"ofsted cannot submit", annexa.Submit, lead, with(on(annexa.NotStarted), files), annexa.ErrForbidden},
		{"team inspector cannot submit", annexa.Submit, team, with(on(annexa.NotStarted), files), annexa.ErrNotYours},
		{"ofsted cannot return accepted", annexa.Return, lead, with(on(annexa.Accepted), reason), annexa.ErrForbidden},
		{"no change", annexa.Submit, ceo, with(on(annexa.Submitted), files), annexa.ErrNothingChanged},
		{"cancelled visit", annexa.Submit, ceo, with(with(on(annexa.InProgress), files), func(f *annexa.Facts) { f.VisitActive = false }), annexa.ErrCancelled},
		{"cancelled visit, not theirs", annexa.Accept, team, annexa.Facts{Status: annexa.Submitted}, annexa.ErrCancelled},
		{"cafcass sets a list's dates", annexa.SetCoverage, ceo, with(on(annexa.InProgress), list), nil},
		{"dates of a document", annexa.SetCoverage, ceo, on(annexa.InProgress), annexa.ErrNotYours},
		{"dates of a submitted list", annexa.SetCoverage, ceo, with(on(annexa.Submitted), list), annexa.ErrForbidden},
		{"ofsted sets no dates", annexa.SetCoverage, lead, with(on(annexa.InProgress), list), annexa.ErrNotYours},
		{"cafcass asks", annexa.Ask, ceo, on(annexa.Accepted), nil},
		{"ofsted does not ask", annexa.Ask, lead, on(annexa.Accepted), annexa.ErrNotYours},
		{"sao answers", annexa.Answer, sao, on(annexa.Accepted), nil},
		{"cafcass does not answer", annexa.Answer, ceo, on(annexa.Accepted), annexa.ErrNotYours},
		{"team inspector does not answer", annexa.Answer, team, on(annexa.NotStarted), annexa.ErrNotYours},
		{"cafcass uploads", annexa.ChangeFiles, ceo, on(annexa.Returned), nil},
		{"cafcass files frozen", annexa.ChangeFiles, ceo, on(annexa.Submitted), annexa.ErrFilesFrozen},
		{"cafcass not on the visit", annexa.ChangeFiles, annexa.Actor{Cafcass: true}, on(annexa.InProgress), annexa.ErrNotYours},
		{"lead changes accepted files", annexa.ChangeFiles, lead, on(annexa.Accepted), nil},
		{"sao changes no files", annexa.ChangeFiles, sao, on(annexa.InProgress), annexa.ErrNotYours},
		{"administrator, a document", annexa.ChangeFiles, admin, on(annexa.InProgress), nil},
		{"administrator, children's data", annexa.ChangeFiles, admin, with(on(annexa.InProgress), list), annexa.ErrNotYours},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := annexa.Check(tt.action, tt.by, tt.facts)
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("Check(%s, %+v, %+v) = %v, want %v", tt.action, tt.by, tt.facts, err, tt.want)
			}
			var re *annexa.RuleError
			if err != nil && (!errors.As(err, &re) || re.Field == "" || re.Message == "") {
				t.Errorf("Check(%s) = %v: not a RuleError with a field and a message", tt.action, err)
			}
			// What a page offers is what Check allows, whatever the move
			// still needs.
			needs := errors.Is(err, annexa.ErrNoFiles) || errors.Is(err, annexa.ErrNoCoverage) || errors.Is(err, annexa.ErrNoReason) || errors.Is(err, annexa.ErrNoExplanation)
			if got, want := annexa.May(tt.action, tt.by, tt.facts), err == nil || needs; got != want {
				t.Errorf("May(%s) = %v, Check says %v", tt.action, got, err)
			}
			if got := slices.Contains(annexa.Next(tt.by, tt.facts), tt.action); got != (err == nil || needs) {
				t.Errorf("Next offers %s: %v, Check says %v", tt.action, got, err)
			}
		})
	}
}

func TestOverdue(t *testing.T) {
	t.Parallel()
	due := time.Date(2025, 4, 16, 23, 59, 59, 0, time.UTC)
	before, after := due.Add(-time.Hour), due.Add(time.Second)
	for _, s := range annexa.Statuses {
		if annexa.Overdue(s, due, before) {
			t.Errorf("%s overdue before the deadline", s)
		}
		want := s != annexa.Submitted && s != annexa.Accepted && s != annexa.NotHeld
		if got := annexa.Overdue(s, due, after); got != want {
			t.Errorf("%s after the deadline: overdue %v, want %v", s, got, want)
		}
		if s.Label() == string(s) || s.Colour() == "" {
			t.Errorf("%s: no label or colour", s)
		}
		if p, err := annexa.ParseStatus(string(s)); err != nil || p != s {
			t.Errorf("ParseStatus(%s) = %v, %v", s, p, err)
		}
	}
}

func TestCheckFiles(t *testing.T) {
	t.Parallel()
	frozen := map[annexa.Status]bool{annexa.Submitted: true, annexa.Accepted: true}
	for _, st := range annexa.Statuses {
		for _, side := range []annexa.Side{annexa.CafcassSide, annexa.OfstedSide} {
			want := side == annexa.CafcassSide && frozen[st]
			err := annexa.CheckFiles(side, st)
			if got := errors.Is(err, annexa.ErrFilesFrozen); got != want || (err != nil && !got) {
				t.Errorf("%s, %s: %v, want frozen %v", side, st, err, want)
			}
			if annexa.CanChangeFiles(side, st) == want {
				t.Errorf("%s, %s: CanChangeFiles disagrees with CheckFiles", side, st)
			}
		}
	}
	if !annexa.StartsOnUpload(annexa.CafcassSide, annexa.NotStarted) {
		t.Error("Cafcass uploading to a not-started item does not start it")
	}
	// A corrected file for an item Ofsted returned takes it back in
	// progress: one clear status, not "Returned" beside the new file
	// (issue 15.1).
	if !annexa.StartsOnUpload(annexa.CafcassSide, annexa.Returned) {
		t.Error("Cafcass uploading to a returned item leaves it returned")
	}
	for _, st := range annexa.Statuses {
		if st != annexa.NotStarted && st != annexa.Returned && annexa.StartsOnUpload(annexa.CafcassSide, st) {
			t.Errorf("uploading to a %s item starts it", st)
		}
		if annexa.StartsOnUpload(annexa.OfstedSide, st) {
			t.Errorf("Ofsted uploading to a %s item starts it", st)
		}
	}
}

// TestInForceOn: a visit asks for the Annex A in force on its notice day
// (issue 15.5): December 2024's from 17 Dec 2024 (and for any day before,
// the oldest known), September 2025's from 30 Sep 2025.
func TestInForceOn(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct{ day, want string }{
		{"2024-06-03", "2024-12"},
		{"2024-12-17", "2024-12"},
		{"2025-04-14", "2024-12"},
		{"2025-09-29", "2024-12"},
		{"2025-09-30", "2025-09"},
		{"2026-12-01", "2025-09"},
	} {
		day, err := workday.ParseDate(tt.day)
		if err != nil {
			t.Fatal(err)
		}
		if got := annexa.InForceOn(day); got.Version != tt.want {
			t.Errorf("%s: Annex A %s, want %s", tt.day, got.Version, tt.want)
		}
	}
	if annexa.InForceOn(annexa.Latest().From).Version != annexa.Current {
		t.Error("the current version is not in force from its own day")
	}
}

package annexa_test

import (
	"errors"
	"regexp"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/annexa"
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
	const C, O = annexa.CafcassSide, annexa.OfstedSide
	tests := []struct {
		name string
		move annexa.Move
		want error
	}{
		{"cafcass submits with files", annexa.Move{From: annexa.NotStarted, To: annexa.Submitted, By: C, HasFiles: true}, nil},
		{"cafcass submits in progress", annexa.Move{From: annexa.InProgress, To: annexa.Submitted, By: C, HasFiles: true}, nil},
		{"cafcass resubmits returned", annexa.Move{From: annexa.Returned, To: annexa.Submitted, By: C, HasFiles: true}, nil},
		{"submit needs a file", annexa.Move{From: annexa.NotStarted, To: annexa.Submitted, By: C}, annexa.ErrNoFiles},
		{"child list needs its dates", annexa.Move{From: annexa.InProgress, To: annexa.Submitted, By: C, HasFiles: true, NeedsCoverage: true}, annexa.ErrNoCoverage},
		{"child list with dates", annexa.Move{From: annexa.InProgress, To: annexa.Submitted, By: C, HasFiles: true, NeedsCoverage: true, HasCoverage: true}, nil},
		{"not held with explanation", annexa.Move{From: annexa.NotStarted, To: annexa.NotHeld, By: C, Reason: "We do not keep this"}, nil},
		{"not held needs an explanation", annexa.Move{From: annexa.NotStarted, To: annexa.NotHeld, By: C}, annexa.ErrNoExplanation},
		{"cafcass takes back not held", annexa.Move{From: annexa.NotHeld, To: annexa.InProgress, By: C}, nil},
		{"cafcass cannot accept", annexa.Move{From: annexa.Submitted, To: annexa.Accepted, By: C}, annexa.ErrForbidden},
		{"cafcass cannot unsubmit", annexa.Move{From: annexa.Submitted, To: annexa.InProgress, By: C}, annexa.ErrForbidden},
		{"cafcass cannot reopen accepted", annexa.Move{From: annexa.Accepted, To: annexa.Submitted, By: C, HasFiles: true}, annexa.ErrForbidden},
		{"ofsted accepts", annexa.Move{From: annexa.Submitted, To: annexa.Accepted, By: O}, nil},
		{"ofsted returns with reason", annexa.Move{From: annexa.Submitted, To: annexa.Returned, By: O, Reason: "The date range is missing"}, nil},
		{"return needs a reason", annexa.Move{From: annexa.Submitted, To: annexa.Returned, By: O}, annexa.ErrNoReason},
		{"ofsted returns not held", annexa.Move{From: annexa.NotHeld, To: annexa.Returned, By: O, Reason: "You sent this last year"}, nil},
		{"ofsted cannot accept what was not submitted", annexa.Move{From: annexa.NotStarted, To: annexa.Accepted, By: O}, annexa.ErrForbidden},
		{"ofsted cannot submit", annexa.Move{From: annexa.NotStarted, To: annexa.Submitted, By: O, HasFiles: true}, annexa.ErrForbidden},
		{"ofsted cannot return accepted", annexa.Move{From: annexa.Accepted, To: annexa.Returned, By: O, Reason: "x"}, annexa.ErrForbidden},
		{"no change", annexa.Move{From: annexa.Submitted, To: annexa.Submitted, By: C, HasFiles: true}, annexa.ErrNothingChanged},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := annexa.Check(tt.move)
			if tt.want == nil && err != nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("Check(%+v) = %v, want %v", tt.move, err, tt.want)
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
	for _, st := range annexa.Statuses {
		if st != annexa.NotStarted && annexa.StartsOnUpload(annexa.CafcassSide, st) {
			t.Errorf("uploading to a %s item starts it", st)
		}
		if annexa.StartsOnUpload(annexa.OfstedSide, st) {
			t.Errorf("Ofsted uploading to a %s item starts it", st)
		}
	}
}

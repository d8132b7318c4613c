package history

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ofsted/focusedvisits/internal/annexa"
	"github.com/ofsted/focusedvisits/internal/letter"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// declaredKinds reads every constant of type Kind declared in the package's
// files, so that a kind added without words fails TestEveryKindHasWords.
func declaredKinds(t *testing.T) map[string]Kind {
	t.Helper()
	fset := token.NewFileSet()
	out := map[string]Kind{}
	names, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range names {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range f.Decls {
			g, ok := d.(*ast.GenDecl)
			if !ok || g.Tok != token.CONST {
				continue
			}
			for _, spec := range g.Specs {
				vs := spec.(*ast.ValueSpec)
				if id, ok := vs.Type.(*ast.Ident); !ok || id.Name != "Kind" {
					continue
				}
				for i, n := range vs.Names {
					lit, ok := vs.Values[i].(*ast.BasicLit)
					if !ok {
						t.Fatalf("%s: not a literal", n.Name)
					}
					v, err := strconv.Unquote(lit.Value)
					if err != nil {
						t.Fatal(err)
					}
					out[n.Name] = Kind(v)
				}
			}
		}
	}
	if len(out) < 50 {
		t.Fatalf("found only %d kinds: %v", len(out), out)
	}
	return out
}

// TestEveryKindHasWords: every kind declared has words, its code is a
// unique dotted code, and its words name what happened whatever its params
// (none, or all of them).
func TestEveryKindHasWords(t *testing.T) {
	kinds := declaredKinds(t)
	seen := map[Kind]string{}
	full := fullParams()
	for name, k := range kinds {
		if other, ok := seen[k]; ok {
			t.Errorf("%s and %s are both %q", name, other, k)
		}
		seen[k] = name
		if _, ok := words[k]; !ok {
			t.Errorf("%s (%q) has no words", name, k)
			continue
		}
		if k == Legacy {
			continue
		}
		if !strings.Contains(string(k), ".") || strings.ToLower(string(k)) != string(k) {
			t.Errorf("%s: %q is not a lower-case dotted code", name, k)
		}
		if !Known(k) {
			t.Errorf("%s is not Known", name)
		}
		for _, p := range []Params{{}, full} {
			if l := (Event{Kind: k, Params: p}).Words(); l.Action == "" {
				t.Errorf("%s: no action in %+v", name, l)
			}
		}
	}
	for k := range words {
		if _, ok := seen[k]; !ok {
			t.Errorf("words for %q, which is not declared", k)
		}
	}
	if Known(Legacy) || Known("visit.no_such_thing") {
		t.Error("Known takes a kind the store may not record")
	}
}

// TestKindsOfMoves: every move of the letter that records a line, and every
// status an item moves to, has a kind with words.
func TestKindsOfMoves(t *testing.T) {
	for _, a := range []letter.Action{letter.Submit, letter.Return, letter.Approve, letter.Moderate, letter.ModerateReturn,
		letter.SendDraft, letter.SendFinal, letter.Hold, letter.Release} {
		k, ok := LetterMoved(a)
		if !ok || !Known(k) {
			t.Errorf("letter action %s: kind %q", a, k)
		}
		if got := (Event{Kind: k}).Words().Action; got != a.Label() {
			t.Errorf("letter action %s says %q", a, got)
		}
	}
	for _, st := range []string{"not_started", "in_progress", "submitted", "accepted", "returned", "not_held"} {
		k, ok := ItemMoved(annexa.Status(st))
		if !ok || !Known(k) {
			t.Errorf("status %s: kind %q", st, k)
		}
	}
}

// TestParamsJSON: params are stored as JSON with ISO dates, leaving out what
// a kind does not use, and read back whole.
func TestParamsJSON(t *testing.T) {
	p := Params{Milestone: "fieldwork", Dates: Days(workday.NewDate(2025, 5, 20), workday.NewDate(2025, 5, 21)), Reason: "Away", Version: 2}
	b, err := json.Marshal(p)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"milestone":"fieldwork","dates":{"from":"2025-05-20","to":"2025-05-21"},"reason":"Away","version":2}`
	if string(b) != want {
		t.Errorf("JSON %s, want %s", b, want)
	}
	full := fullParams()
	b, err = json.Marshal(full)
	if err != nil {
		t.Fatal(err)
	}
	var back Params
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(full, back, cmp.Comparer(func(a, b workday.Date) bool { return a == b })); d != "" {
		t.Errorf("round trip (-want +got):\n%s", d)
	}
	if b, _ := json.Marshal(Params{}); string(b) != "{}" {
		t.Errorf("empty params %s", b)
	}
}

// TestWords: the words of some kinds, with dates formatted when shown.
func TestWords(t *testing.T) {
	d := workday.NewDate
	for _, tc := range []struct {
		e    Event
		want Line
	}{
		{Event{Kind: VisitCreated, Params: Params{Reference: "FV-2025-0001", Anchor: "notice", AnchorDate: d(2025, 5, 12)}},
			Line{Action: "Visit created", New: "FV-2025-0001", Detail: "Planned from the notice day, Mon 12 May 2025"}},
		{Event{Kind: VisitStepRecorded, Params: Params{Milestone: "notice", Dates: Day(d(2025, 5, 12)), Time: "09:30"}},
			Line{Action: "Recorded as done", Field: "Notice call to the Cafcass chief executive", New: "Mon 12 May 2025 at 09:30"}},
		{Event{Kind: VisitDateSet, Params: Params{Milestone: "fieldwork", Label: "Fieldwork", OldDates: Days(d(2025, 5, 20), d(2025, 5, 21)),
			Dates: Days(d(2025, 5, 21), d(2025, 5, 22)), Reason: "Leave"}},
			Line{Action: "Date set by hand", Field: "Fieldwork", Old: "Tue 20 to Wed 21 May 2025", New: "Wed 21 to Thu 22 May 2025", Detail: "Reason: Leave"}},
		{Event{Kind: LetterModerationMovedDate, Params: Params{Label: "Publication", Dates: Day(d(2025, 7, 1)), Method: "email",
			At: time.Date(2025, 6, 2, 13, 5, 0, 0, time.UTC)}},
			Line{Action: "Date set by hand", Field: "Publication", New: "Tue 1 Jul 2025",
				Detail: "Reason: Moved by moderation of the letter (area for priority action). Chief executive told by email on Mon 2 Jun 2025 at 14:05"}},
		{Event{Kind: VisitCEOTold, Params: Params{Method: "letter", On: d(2025, 4, 14), Note: "New dates"}},
			Line{Action: "Chief executive told of the change", Detail: "Chief executive told in writing by letter on Mon 14 Apr 2025: New dates"}},
		{Event{Kind: DeferralGranted, Params: Params{OldAnchor: "notice", OldAnchorDate: d(2025, 5, 12), Anchor: "fieldwork", AnchorDate: d(2025, 6, 17),
			OldDates: Days(d(2025, 5, 20), d(2025, 5, 21)), Dates: Days(d(2025, 6, 17), d(2025, 6, 18)), Name: "Chris Chief", On: d(2025, 5, 2), Reason: "Fine"}},
			Line{Action: "Deferral granted", Field: "Planned from", Old: "the notice day, Mon 12 May 2025", New: "the first fieldwork day, Tue 17 Jun 2025",
				Detail: "Fieldwork moved from Tue 20 to Wed 21 May 2025 to Tue 17 to Wed 18 Jun 2025. Requested by Chris Chief on Fri 2 May 2025. Reason: Fine"}},
		{Event{Kind: LetterReturnedByQA, Params: Params{OldState: "in_qa", State: "returned", Version: 1, Count: 2}},
			Line{Action: "Letter returned by QA", Field: "Letter", Old: "With QA", New: "Returned by QA", Detail: "Version 1. 2 comments"}},
		{Event{Kind: ItemReturned, Params: Params{Item: "CL.1", OldStatus: "submitted", Status: "returned", Reason: "Wrong dates"}},
			Line{Action: "Item CL.1 returned", Field: "Status", Old: "Submitted", New: "Returned", Detail: "Reason: Wrong dates"}},
		{Event{Kind: RequestChanged, Params: Params{Added: []ItemDay{{"1.01", 3}}, Changed: []DayChange{{"1.02", 3, 5}}, Dropped: []string{"1.04"}, Kept: []string{"1.05"}}},
			Line{Action: "Information request changed",
				Detail: "Added 1.01 (day 3). Due day changed: 1.02 from day 3 to day 5. Taken off 1.04. Kept, as Cafcass has started on them: 1.05."}},
		{Event{Kind: FileRemoved, Params: Params{File: "1.03 MI.txt", Size: 6, SHA256: "0123456789abcdef", Earlier: 2}},
			Line{Action: "File removed", Detail: "1.03 MI.txt (6 bytes, sha256 01234567…), with its 2 earlier versions"}},
		{Event{Kind: Legacy, Stored: Line{Action: "Visit created", New: "FV-2021-0001", Detail: "Planned from the notice day, Mon 12 Apr 2021"}},
			Line{Action: "Visit created", New: "FV-2021-0001", Detail: "Planned from the notice day, Mon 12 Apr 2021"}},
		{Event{Stored: Line{Action: "Something old"}}, Line{Action: "Something old"}},
		{Event{Kind: "visit.from_a_newer_release"}, Line{Action: "visit.from_a_newer_release"}},
	} {
		if got := tc.e.Words(); got != tc.want {
			t.Errorf("%s:\n got %+v\nwant %+v", tc.e.Kind, got, tc.want)
		}
	}
}

// TestNamesChildCase: the lines of the case sample name a child's case,
// whether recorded with a kind or before kinds.
func TestNamesChildCase(t *testing.T) {
	for _, tc := range []struct {
		e    Event
		want bool
	}{
		{Event{Kind: SampleCaseAdded}, true},
		{Event{Kind: SampleCaseRemoved}, true},
		{Event{Kind: SampleReleased}, false},
		{Event{Kind: ContactRecorded, Params: Params{Case: "C1"}}, true},
		{Event{Kind: ContactRecorded}, true},
		{Event{Kind: ViewsCheckRecorded, Params: Params{Case: "C1"}}, true},
		{Event{Kind: OfficeCheckRecorded, Params: Params{Text: "Coventry"}}, false},
		{Event{Kind: Legacy, Stored: Line{Action: "Case added to the sample"}}, true},
		{Event{Stored: Line{Action: "Case removed from the sample"}}, true},
		{Event{Kind: Legacy, Stored: Line{Action: "Visit created"}}, false},
	} {
		if got := tc.e.NamesChildCase(); got != tc.want {
			t.Errorf("%+v: %v", tc.e, got)
		}
	}
}

// fullParams sets every param, so that each kind's words can be checked
// with all of them.
func fullParams() Params {
	d := workday.NewDate(2025, 5, 12)
	return Params{
		Reference: "FV-2025-0001", OldAnchor: "notice", OldAnchorDate: d, Anchor: "fieldwork", AnchorDate: d.AddDays(7),
		Milestone: "fieldwork", Label: "Fieldwork", OldDates: Days(d, d.AddDays(1)), Dates: Day(d.AddDays(7)), Time: "09:30",
		Before: true, After: true, Role: "lead_inspector", OldNames: []string{"A"}, Names: []string{"B", "C"},
		Name: "Chris", UserRole: "cafcass_ceo", On: d, At: time.Date(2025, 5, 12, 9, 30, 0, 0, time.UTC), Method: "email",
		Reason: "R", Note: "N", Text: "T", Warning: "W", Message: "M",
		Action: "submit", OldState: "drafting", State: "in_qa", OldVersion: 1, Version: 2, Section: "introduction", Outcome: "agreed",
		Count: 3, Late: true, InTime: true, Slug: "s",
		Item: "1.01", Title: "Policy", Day: 3, OldStatus: "not_started", Status: "returned",
		Added: []ItemDay{{"1.01", 3}}, Changed: []DayChange{{"1.02", 3, 5}}, Dropped: []string{"1.03"}, Kept: []string{"1.04"},
		File: "f.txt", Size: 10, SHA256: "abcdef0123456789", Replaced: 1, Superseded: true, Earlier: 1,
		Rows: 1, Errors: 2, Queries: 3, Issues: 4, Samples: 5, Files: 6, Case: "C1", Child: "K1", Days: 365, Published: d, Contacts: 2, Checks: 1,
		Closure: d, ClosureReason: "Office move", Why: "Postponed",
	}
}

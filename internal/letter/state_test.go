package letter_test

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/form"

	"github.com/ofsted/focusedvisits/internal/letter"
)

var (
	lead    = letter.Actor{UserID: 1, Lead: true, Ofsted: true}
	qam     = letter.Actor{UserID: 2, QAM: true, Ofsted: true}
	admin   = letter.Actor{UserID: 3, Admin: true}
	team    = letter.Actor{UserID: 4, Ofsted: true}
	mod     = letter.Actor{UserID: 6, Moderator: true, Ofsted: true}
	cafcass = letter.Actor{UserID: 5, Cafcass: true}
	system  = letter.Actor{System: true}
	text    = letter.Content{Sections: map[letter.Section]string{letter.Introduction: "We visited."}}
	withPA  = letter.Content{Findings: []letter.Finding{{Kind: letter.KindPriorityAction, Area: letter.PublicLaw, Text: "Guardians' caseloads"}}}
	authors = []int64{lead.UserID}
)

// TestRulesReachEveryState: every state is reachable from drafting, and
// every rule's states are known.
func TestRulesReachEveryState(t *testing.T) {
	seen := map[letter.State]bool{letter.Drafting: true}
	for changed := true; changed; {
		changed = false
		for _, r := range letter.Rules {
			if !slices.Contains(letter.States, r.From) || !slices.Contains(letter.States, r.To) {
				t.Errorf("rule %v uses an unknown state", r)
			}
			if seen[r.From] && !seen[r.To] {
				seen[r.To], changed = true, true
			}
		}
	}
	for _, s := range letter.States {
		if !seen[s] {
			t.Errorf("state %s cannot be reached", s)
		}
	}
}

// TestNoPathSkipsARequiredStep walks every path of the rule table: a letter
// reaches draft_sent only through QA approval, and (with a priority action)
// moderation; the final only after the draft; publication only after the
// final. Saving (a new version) after approval starts QA again.
func TestNoPathSkipsARequiredStep(t *testing.T) {
	for _, pa := range []bool{false, true} {
		type node struct {
			s        letter.State
			approved bool // approved since the last save
			moderate bool // moderated since the last save
			draft    bool
			final    bool
		}
		start := node{s: letter.Drafting}
		seen := map[node]bool{start: true}
		queue := []node{start}
		for len(queue) > 0 {
			n := queue[0]
			queue = queue[1:]
			for _, r := range letter.Rules {
				if r.From != n.s || !(r.When == letter.Any || (r.When == letter.WithPriorityAction) == pa) {
					continue
				}
				m := n
				m.s = r.To
				switch r.Action {
				case letter.Save:
					if n.s != letter.DraftSent {
						m.approved, m.moderate = false, false
					}
				case letter.Approve:
					m.approved = true
				case letter.Moderate:
					m.moderate = true
				case letter.SendDraft:
					if !n.approved {
						t.Errorf("pa=%v: draft sent from %s without approval", pa, n.s)
					}
					if pa && !n.moderate {
						t.Errorf("pa=%v: draft sent from %s without moderation", pa, n.s)
					}
					m.draft = true
				case letter.SendFinal:
					if !n.draft {
						t.Errorf("final sent from %s before the draft", n.s)
					}
					m.final = true
				case letter.Publish:
					if !n.final {
						t.Errorf("published from %s before the final", n.s)
					}
				}
				if r.To == letter.Drafting || r.To == letter.Returned || r.To == letter.InQA {
					m.approved, m.moderate = false, false
				}
				if !seen[m] {
					seen[m] = true
					queue = append(queue, m)
				}
			}
		}
	}
}

func TestCheck(t *testing.T) {
	at := func(s letter.State, pa bool) letter.Letter {
		return letter.Letter{State: s, CurrentVersion: 3, PriorityAction: pa}
	}
	approved := func(s letter.State, pa bool) letter.Letter {
		l := at(s, pa)
		l.ApprovedVersion = 3
		if pa && s == letter.Moderated {
			l.ModeratedVersion = 3
		}
		return l
	}
	tests := []struct {
		name   string
		l      letter.Letter
		a      letter.Action
		by     letter.Actor
		f      letter.Facts
		want   letter.State
		reason string // "" for allowed
	}{
		{"lead saves a draft", at(letter.Drafting, false), letter.Save, lead, letter.Facts{Current: text}, letter.Drafting, ""},
		{"lead's first save", letter.Letter{}, letter.Save, lead, letter.Facts{Current: text}, letter.Drafting, ""},
		{"team inspector cannot save", at(letter.Drafting, false), letter.Save, team, letter.Facts{}, "", "Only the visit's lead inspector can do this"},
		{"Cafcass cannot save", at(letter.Drafting, false), letter.Save, cafcass, letter.Facts{}, "", "Only the visit's lead inspector can do this"},
		{"saving in QA withdraws it", at(letter.InQA, false), letter.Save, lead, letter.Facts{Current: text}, letter.Drafting, ""},
		{"saving after approval lapses it", approved(letter.Approved, false), letter.Save, lead, letter.Facts{Current: text}, letter.Drafting, ""},
		{"saving after moderation lapses it", approved(letter.Moderated, true), letter.Save, lead, letter.Facts{Current: withPA}, letter.Drafting, ""},
		{"saving the final after the draft", at(letter.DraftSent, false), letter.Save, lead, letter.Facts{Current: text}, letter.DraftSent, ""},
		{"no saving after the final", at(letter.FinalSent, false), letter.Save, lead, letter.Facts{Current: text}, "", "The letter cannot be changed once it is final sent (embargoed)"},

		{"submit", at(letter.Drafting, false), letter.Submit, lead, letter.Facts{Current: text}, letter.InQA, ""},
		{"resubmit after return", at(letter.Returned, false), letter.Submit, lead, letter.Facts{Current: text}, letter.InQA, ""},
		{"no submitting an empty letter", at(letter.Drafting, false), letter.Submit, lead, letter.Facts{}, "", "Write the letter before submitting it: it is empty"},
		{"no submitting before any save", letter.Letter{}, letter.Submit, lead, letter.Facts{Current: text}, "", "Write the letter before submitting it: it is empty"},
		{"QAM cannot submit", at(letter.Drafting, false), letter.Submit, qam, letter.Facts{Current: text}, "", "Only the visit's lead inspector can do this"},

		{"QAM approves", at(letter.InQA, false), letter.Approve, qam, letter.Facts{Authors: authors}, letter.Approved, ""},
		{"approval of a priority action goes to moderation", at(letter.InQA, true), letter.Approve, qam, letter.Facts{Authors: authors}, letter.InModeration, ""},
		{"no approval by the lead", at(letter.InQA, false), letter.Approve, lead, letter.Facts{Authors: authors}, "", "Only the visit's quality assurance manager can do this"},
		{"no approval by an admin", at(letter.InQA, false), letter.Approve, admin, letter.Facts{Authors: authors}, "", "Only the visit's quality assurance manager can do this"},
		{"no approval by an author", at(letter.InQA, false), letter.Approve, qam, letter.Facts{Authors: []int64{1, 2}}, "", "You cannot approve or moderate a letter you wrote"},
		{"no approval of a draft not submitted", at(letter.Drafting, false), letter.Approve, qam, letter.Facts{}, "", "Only a letter submitted for QA can be approved or returned"},
		{"no approval of a changed version", at(letter.InQA, false), letter.Approve, qam, letter.Facts{Version: 2}, "", "The letter has changed since you opened it (version 3 is now the latest): check it again"},
		{"return with comments", at(letter.InQA, false), letter.Return, qam, letter.Facts{Comments: 1}, letter.Returned, ""},
		{"no return without a comment", at(letter.InQA, false), letter.Return, qam, letter.Facts{}, "", "Add at least one comment saying what needs to change"},

		{"the moderator moderates", approved(letter.InModeration, true), letter.Moderate, mod, letter.Facts{Authors: authors}, letter.Moderated, ""},
		{"the QAM who approved cannot moderate (decision 14)", approved(letter.InModeration, true), letter.Moderate, qam, letter.Facts{Authors: authors}, "", "Only the visit's moderator can do this"},
		{"an admin cannot moderate", approved(letter.InModeration, true), letter.Moderate, admin, letter.Facts{Authors: authors}, "", "Only the visit's moderator can do this"},
		{"moderation returns", approved(letter.InModeration, true), letter.ModerateReturn, mod, letter.Facts{Authors: authors}, letter.Returned, ""},
		{"lead cannot moderate", approved(letter.InModeration, true), letter.Moderate, lead, letter.Facts{}, "", "Only the visit's moderator can do this"},
		{"a moderator who wrote it cannot moderate", approved(letter.InModeration, true), letter.Moderate, mod, letter.Facts{Authors: []int64{1, 6}}, "", "You cannot approve or moderate a letter you wrote"},
		{"a priority action added after the draft is moderated", at(letter.DraftSent, true), letter.Moderate, mod, letter.Facts{Authors: authors}, letter.DraftSent, ""},
		{"no final with an unmoderated priority action", at(letter.DraftSent, true), letter.SendFinal, lead, letter.Facts{CommentWindowClosed: true}, "", "The area for priority action has changed since it was moderated, or was never moderated: the visit's moderator must moderate it before the final letter is sent"},
		{"the final once moderated", at(letter.DraftSent, true), letter.SendFinal, lead, letter.Facts{CommentWindowClosed: true, PriorityActionModerated: true}, letter.FinalSent, ""},
		{"no second moderation of the same priority action", at(letter.DraftSent, true), letter.Moderate, mod, letter.Facts{PriorityActionModerated: true}, "", "The area for priority action in the current version has already been moderated"},
		{"no moderation without priority action", approved(letter.Approved, false), letter.Moderate, qam, letter.Facts{}, "", "Only a letter with an area for priority action is moderated"},

		{"send the approved draft", approved(letter.Approved, false), letter.SendDraft, lead, letter.Facts{}, letter.DraftSent, ""},
		{"send the moderated draft", approved(letter.Moderated, true), letter.SendDraft, lead, letter.Facts{}, letter.DraftSent, ""},
		{"no sending without approval", at(letter.Drafting, false), letter.SendDraft, lead, letter.Facts{}, "", "The letter must be approved by QA before it is sent"},
		{"no sending from QA", at(letter.InQA, false), letter.SendDraft, lead, letter.Facts{}, "", "The letter must be approved by QA before it is sent"},
		{"no sending a priority action unmoderated", approved(letter.InModeration, true), letter.SendDraft, lead, letter.Facts{}, "", "A letter with an area for priority action must be moderated before it is sent"},
		{"no sending a version not approved", at(letter.Approved, false), letter.SendDraft, lead, letter.Facts{}, "", "The current version has not been approved: submit it for QA"},
		{"QAM cannot send", approved(letter.Approved, false), letter.SendDraft, qam, letter.Facts{}, "", "Only the visit's lead inspector can do this"},
		{"no sending twice", at(letter.DraftSent, false), letter.SendDraft, lead, letter.Facts{}, "", "The draft has already been sent"},

		{"send the final", at(letter.DraftSent, false), letter.SendFinal, lead, letter.Facts{CommentWindowClosed: true}, letter.FinalSent, ""},
		{"no final during the comment window", at(letter.DraftSent, false), letter.SendFinal, lead, letter.Facts{}, "", "Cafcass's time to comment on the draft has not ended"},
		{"no final with a comment unanswered (decision 15)", at(letter.DraftSent, false), letter.SendFinal, lead, letter.Facts{CommentWindowClosed: true, Unanswered: 1}, "", "Respond to every comment Cafcass made on the draft before you send the final letter: 1 comment has no response yet"},
		{"no final with comments unanswered", at(letter.DraftSent, false), letter.SendFinal, lead, letter.Facts{CommentWindowClosed: true, Unanswered: 3}, "", "Respond to every comment Cafcass made on the draft before you send the final letter: 3 comments have no response yet"},
		{"no final before the draft", approved(letter.Approved, false), letter.SendFinal, lead, letter.Facts{CommentWindowClosed: true}, "", "The draft must be sent to Cafcass for comments before the final"},

		{"publish", at(letter.FinalSent, false), letter.Publish, system, letter.Facts{Summary: "Inspectors found…"}, letter.Published, ""},
		{"no publishing without a summary for children", at(letter.FinalSent, false), letter.Publish, system, letter.Facts{Summary: " \n"}, "", "The letter has no summary for children and young people: the lead inspector must write one before it is published"},
		{"publish after a late complaint", at(letter.FinalSent, false), letter.Publish, system, letter.Facts{Summary: "s", Complaints: []letter.Complaint{{InTime: false}}}, letter.Published, ""},
		{"publish after a resolved complaint", at(letter.FinalSent, false), letter.Publish, system, letter.Facts{Summary: "s", Complaints: []letter.Complaint{{InTime: true, ResolvedAt: londonAt("2025-06-20", 12, 0, 0)}}}, letter.Published, ""},
		{"the lead writes the summary while the final is with Cafcass", at(letter.FinalSent, false), letter.WriteSummary, lead, letter.Facts{}, letter.FinalSent, ""},
		{"the lead writes the summary while drafting", at(letter.Drafting, false), letter.WriteSummary, lead, letter.Facts{}, letter.Drafting, ""},
		{"no summary changes once published", at(letter.Published, false), letter.WriteSummary, lead, letter.Facts{}, "", "The summary for children and young people cannot be changed once the letter is published"},
		{"the QAM cannot write the summary", at(letter.FinalSent, false), letter.WriteSummary, qam, letter.Facts{}, "", "Only the visit's lead inspector can do this"},
		{"Cafcass cannot write the summary", at(letter.DraftSent, false), letter.WriteSummary, cafcass, letter.Facts{}, "", "Only the visit's lead inspector can do this"},
		{"no publishing while a complaint in time is open", at(letter.FinalSent, false), letter.Publish, system, letter.Facts{Complaints: []letter.Complaint{{InTime: true}}}, "", "A complaint made in time is not resolved: publication is held until it is"},
		{"no publishing while held", at(letter.OnHold, false), letter.Publish, system, letter.Facts{}, "", "Only a final letter that has been sent can be held, released or published"},
		{"no publishing a draft", at(letter.DraftSent, false), letter.Publish, system, letter.Facts{}, "", "Only a final letter that has been sent can be held, released or published"},
		{"Cafcass cannot publish", at(letter.FinalSent, false), letter.Publish, cafcass, letter.Facts{}, "", "Only the service or an Ofsted member of the visit can do this"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := letter.Check(tt.l, tt.a, tt.by, tt.f)
			if tt.reason == "" {
				if err != nil {
					t.Fatalf("Check: %v", err)
				}
				if got != tt.want {
					t.Errorf("Check = %s, want %s", got, tt.want)
				}
				return
			}
			if !errors.Is(err, letter.ErrNotAllowed) {
				t.Fatalf("Check = %s, %v; want refused", got, err)
			}
			if err.Error() != tt.reason {
				t.Errorf("reason = %q\nwant     %q", err.Error(), tt.reason)
			}
		})
	}
}

// TestCafcassHoldsNoDuty: no rule lets a Cafcass user move the letter;
// Cafcass may only comment on the draft and complain about the final.
func TestCafcassHoldsNoDuty(t *testing.T) {
	for _, s := range letter.States {
		for _, a := range letter.Next(letter.Letter{State: s, PriorityAction: true}, cafcass) {
			if a != letter.Comment && a != letter.Complain {
				t.Errorf("Cafcass may %v from %s", a, s)
			}
		}
	}
	for _, r := range letter.Rules {
		if slices.Contains(r.Who, letter.DutyCafcass) && r.From != r.To {
			t.Errorf("Cafcass moves the letter: %+v", r)
		}
	}
}

// TestMayDo: who may do what at all is the rule table's, so handlers ask it
// instead of comparing roles.
func TestMayDo(t *testing.T) {
	for _, c := range []struct {
		name string
		a    letter.Action
		by   letter.Actor
		want bool
	}{
		{"Cafcass comments", letter.Comment, cafcass, true},
		{"the lead does not comment as Cafcass", letter.Comment, lead, false},
		{"the lead responds", letter.Respond, lead, true},
		{"an administrator responds", letter.Respond, admin, true},
		{"the QAM does not respond", letter.Respond, qam, false},
		{"Cafcass complains", letter.Complain, cafcass, true},
		{"the team does not complain", letter.Complain, team, false},
		{"the lead resolves", letter.Resolve, lead, true},
		{"Cafcass does not resolve", letter.Resolve, cafcass, false},
		{"the QAM approves", letter.Approve, qam, true},
		{"the lead does not approve", letter.Approve, lead, false},
	} {
		if got := letter.MayDo(c.a, c.by); got != c.want {
			t.Errorf("%s: MayDo = %v", c.name, got)
		}
	}
}

// TestModerationValidate: moderation's rules name the form fields they
// are about, in the order of the form, so the page shows them as they are.
func TestModerationValidate(t *testing.T) {
	now := londonAt("2025-06-20", 12, 0, 0)
	m := letter.Moderation{Outcome: letter.Agreed, DateChanges: []letter.DateChange{{Code: "final-letter", Label: "Final letter"}}}
	want := form.Errors{
		{Field: "date-final-letter", Message: "Enter the new date of final letter", Anchor: "date-final-letter-day"},
		{Field: "ceo-method", Message: "Choose how the chief executive was told of the new dates"},
		{Field: "ceo-told", Message: "Enter the date the chief executive was told", Anchor: "ceo-told-day"},
	}
	if errs := m.Validate(now); !slices.Equal(errs, want) {
		t.Errorf("Validate = %q\nwant %q", errs, want)
	}
	if errs := (letter.Moderation{Outcome: letter.Agreed}).Validate(now); len(errs) != 0 {
		t.Errorf("no date change: %q", errs)
	}
	later := letter.Moderation{Outcome: letter.ChangesNeeded, CEOToldMethod: letter.ToldByEmail, CEOToldAt: now.Add(time.Hour)}
	want = form.Errors{
		{Field: "notes", Message: "Enter the notes: say what needs to change"},
		{Field: "ceo-told", Message: "The date the chief executive was told must be today or in the past", Anchor: "ceo-told-day"},
	}
	if errs := later.Validate(now); !slices.Equal(errs, want) {
		t.Errorf("Validate = %q\nwant %q", errs, want)
	}
}

// TestContentValidate: the content's rules name the edit form's fields.
func TestContentValidate(t *testing.T) {
	c := letter.Content{
		Sections: map[letter.Section]string{letter.Strengths: strings.Repeat("x", letter.MaxSectionLength+1)},
		Findings: []letter.Finding{
			{Kind: letter.KindStrength, Area: letter.PublicLaw, Text: "Good."},
			{Kind: "nonsense", Area: letter.PrivateLaw},
		},
	}
	want := form.Errors{
		{Field: "section-strengths", Message: fmt.Sprintf("Areas of strength must be %d characters or fewer", letter.MaxSectionLength)},
		{Field: "finding-kind-2", Message: "Choose what finding 2 is"},
		{Field: "finding-text-2", Message: "Enter the text of finding 2"},
	}
	if errs := c.Validate(); !slices.Equal(errs, want) {
		t.Errorf("Validate = %q\nwant %q", errs, want)
	}
	if errs := (letter.Content{}).Validate(); !slices.Equal(errs, form.Errors{{Field: "section-introduction", Message: "Write at least one section or finding before saving"}}) {
		t.Errorf("empty: %q", errs)
	}
}

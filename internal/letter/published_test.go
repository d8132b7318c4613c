package letter_test

import (
	"strings"
	"testing"

	"github.com/ofsted/focusedvisits/internal/letter"
	"github.com/ofsted/focusedvisits/internal/user"
)

// TestBlocks: a published letter is addressed to the visit's chief
// executive (not the deputy), greets them, gives its sections in order
// with their findings, leaves out empty sections, and is signed by the
// lead inspector; its header gives the visit's and the publication's dates.
func TestBlocks(t *testing.T) {
	h := letter.NewHeader(plan(t), []letter.HeaderParty{{Name: "Dee Deputy", Role: user.CafcassDeputy}, {Name: "Chris Chief", Role: user.CafcassCEO}}, "Lee Lead", d("2025-06-30"))
	var facts []string
	for _, b := range h.Facts() {
		facts = append(facts, b.Words())
	}
	if got := strings.Join(facts, " | "); got != "Date of visit: Tue 20 to Wed 21 May 2025 | Date of publication: Mon 30 Jun 2025" {
		t.Errorf("facts %q", got)
	}
	c := letter.Content{
		Sections: map[letter.Section]string{letter.Introduction: "First.\n\n Second. ", letter.NextSteps: "Next."},
		Findings: []letter.Finding{{Kind: letter.KindStrength, Area: letter.PrivateLaw, Text: "Timely checks"}},
	}
	var got []string
	for _, b := range letter.Blocks(h, c) {
		got = append(got, string(b.Kind)+": "+b.Words())
	}
	want := []string{
		"address: Chris Chief", "address: " + letter.AddresseeRole, "paragraph: Dear Chris Chief",
		"heading: Introduction", "paragraph: First.", "paragraph: Second.",
		"heading: Areas of strength", "finding: Private family law: Timely checks",
		"heading: Next steps", "paragraph: Next.",
		"paragraph: Yours sincerely", "signature: Lee Lead", "signature: " + letter.SignatoryRole,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("blocks:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// No chief executive on the visit: "Dear Chief Executive".
	h = letter.NewHeader(plan(t), nil, "Lee Lead", d("2025-06-30"))
	if bs := letter.Blocks(h, c); bs[0].Text != letter.AddresseeRole || bs[1].Text != "Dear Chief Executive" {
		t.Errorf("without a chief executive: %+v", bs[:2])
	}
}

// TestValidateSummary: the summary for children is required and at most
// MaxSummaryLength characters (not bytes).
func TestValidateSummary(t *testing.T) {
	for _, c := range []struct {
		text string
		ok   bool
	}{
		{"", false},
		{" \n ", false},
		{"Inspectors found that workers listen to children.", true},
		{strings.Repeat("’", letter.MaxSummaryLength), true},
		{strings.Repeat("a", letter.MaxSummaryLength+1), false},
	} {
		if errs := letter.ValidateSummary(c.text); errs.Any() == c.ok {
			t.Errorf("ValidateSummary(%.20q…) = %v, want ok %v", c.text, errs, c.ok)
		}
	}
}

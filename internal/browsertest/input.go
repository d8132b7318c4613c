package browsertest

import "github.com/chromedp/chromedp"

// Typing and choosing, beyond Fill.

// Type types text into the field matching the CSS selector, after whatever
// it holds, as a user does. Unlike Fill it works on an empty textarea
// (chromedp.Clear fails on a textarea with no text node).
func (b *Browser) Type(selector, text string) {
	b.t.Helper()
	b.run("type into "+selector, chromedp.SendKeys(chromedp.CSS(selector), text))
	b.checkProblems()
}

// SelectOption chooses the option whose visible text is text in the select
// matching the CSS selector, and fires input and change as a browser does.
// It fails the test if there is no such select or option.
func (b *Browser) SelectOption(selector, text string) {
	b.t.Helper()
	var ok bool
	b.Eval(`(() => {
		const s = document.querySelector(`+jsString(selector)+`);
		if (!s || s.tagName !== 'SELECT') return false;
		const o = [...s.options].find(o => o.text.trim() === `+jsString(text)+`);
		if (!o) return false;
		s.focus();
		s.value = o.value;
		s.dispatchEvent(new Event('input', {bubbles: true}));
		s.dispatchEvent(new Event('change', {bubbles: true}));
		return true;
	})()`, &ok)
	if !ok {
		b.t.Fatalf("browsertest: select %q in %s on %s: no such select or option", text, selector, b.where())
	}
	b.checkProblems()
}

package browsertest

import "github.com/chromedp/chromedp"

// Resize makes the tab's viewport width × height CSS pixels, as a window
// or phone of that size shows pages. Pages loaded afterwards keep it.
func (b *Browser) Resize(width, height int64) {
	b.t.Helper()
	b.run("resize", chromedp.EmulateViewport(width, height))
}

// Overflow is what does not fit the page's width: Document is the
// document's width beside the viewport's, and Outside names each link,
// button and form control of <main> that reaches past the edges of <main>
// (so off-screen, or cut off inside a box that scrolls sideways), and each
// one outside <main> (header, footer) that reaches past the screen's.
type Overflow struct {
	Document, Viewport int
	Outside            []string
}

// Overflow measures the page as it is laid out now.
func (b *Browser) Overflow() Overflow {
	b.t.Helper()
	var o Overflow
	b.Eval(`(() => {
		const main = document.querySelector('main').getBoundingClientRect();
		const out = [];
		for (const e of document.querySelectorAll('main a, main button, main input, main select, main textarea')) {
			const r = e.getBoundingClientRect();
			if (r.width === 0 || r.height === 0) continue;
			// GOV.UK's checkboxes and radios are invisible inputs over
			// their boxes, reaching past the column on purpose to make
			// a bigger target: they need only be on the screen.
			if (e.type === 'checkbox' || e.type === 'radio') {
				if (r.left < -1 || r.right > window.innerWidth + 1) {
					out.push('input "' + e.name + '" from ' + Math.round(r.left) + ' to ' + Math.round(r.right) + ' px, outside the screen of ' + window.innerWidth);
				}
				continue;
			}
			// GOV.UK's file input reaches 5 px past its box on purpose.
			const slack = e.type === 'file' ? 6 : 1;
			if (r.left < main.left - slack || r.right > main.right + slack) {
				out.push(e.tagName.toLowerCase() + ' "' + (e.textContent || e.name || '').trim().replace(/\s+/g, ' ').slice(0, 60) + '" from ' + Math.round(r.left) + ' to ' + Math.round(r.right) + ' px, main from ' + Math.round(main.left) + ' to ' + Math.round(main.right));
			}
		}
		// Outside <main> (the header, its navigation, the footer), within
		// the screen.
		for (const e of document.querySelectorAll('a, button, input, select, textarea')) {
			if (e.closest('main')) continue;
			const r = e.getBoundingClientRect();
			if (r.width === 0 || r.height === 0) continue;
			if (r.left < -1 || r.right > window.innerWidth + 1) {
				out.push(e.tagName.toLowerCase() + ' "' + (e.textContent || e.name || '').trim().replace(/\s+/g, ' ').slice(0, 60) + '" from ' + Math.round(r.left) + ' to ' + Math.round(r.right) + ' px, outside the screen of ' + window.innerWidth);
			}
		}
		return {Document: document.documentElement.scrollWidth, Viewport: window.innerWidth, Outside: out};
	})()`, &o)
	return o
}

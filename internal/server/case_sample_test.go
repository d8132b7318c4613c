package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/ofsted/focusedvisits/internal/htmltest"
)

// sampledFixture is the child-level list fixture with a list accepted and
// case C0003 in the sample, given to the team inspector, not released.
func sampledFixture(t *testing.T) *requestFixture {
	t.Helper()
	f, path := newChildListFixture(t)
	if res := f.postList(t, f.ceoC, path, coverApril("list.csv", []byte(goodList()))); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d", res.StatusCode)
	}
	add := url.Values{"case": {"C0003"}, "child": {"K1"}, "inspector": {fmt.Sprint(f.team.ID)}, "reason": {"Three changes of practitioner"}}
	if res := f.ts.post(f.saoC, f.base+"/child-data/sample/new", add); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add to sample: %d", res.StatusCode)
	}
	return f
}

// TestCaseSample_ReachableForCafcassOnceReleased: the released sample is
// linked from Cafcass's visit and request pages, which say it was
// released; before release there is no link. Each side reads its own
// words on the sample's page (issue 15.2).
func TestCaseSample_ReachableForCafcassOnceReleased(t *testing.T) {
	t.Parallel()
	f := sampledFixture(t)
	sample := f.base + "/case-sample"
	pages := []string{f.base, f.base + "/request"}
	for _, p := range pages {
		doc := parse(t, f.ts.get(f.ceoC, p))
		if doc.Find(`a[href="`+sample+`"]`).Length() != 0 {
			t.Errorf("%s links to the sample before it is released", p)
		}
	}
	// Before release: Cafcass is told Ofsted has not shared it; Ofsted's
	// team is told it is not released to Cafcass yet.
	if got := htmltest.Text(parse(t, f.ts.get(f.ceoC, sample)).Find("main")); !strings.Contains(got, "Ofsted has not shared the case sample yet") {
		t.Errorf("Cafcass before release: %q", got)
	}
	for name, c := range map[string]*http.Client{"team inspector": f.teamC, "lead": f.leadC} {
		got := htmltest.Text(parse(t, f.ts.get(c, sample)).Find("main"))
		if strings.Contains(got, "Ofsted has not shared") || !strings.Contains(got, "not released the case sample to Cafcass yet") {
			t.Errorf("%s before release: %q", name, got)
		}
	}

	if res := f.ts.post(f.leadC, f.base+"/child-data/sample/release", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("release: %d", res.StatusCode)
	}
	for _, p := range pages {
		doc := parse(t, f.ts.get(f.ceoC, p))
		link := doc.Find(`a[href="` + sample + `"]`)
		if link.Length() == 0 {
			t.Errorf("%s: no link to the released sample", p)
			continue
		}
		if got := htmltest.Text(doc.Find("[data-testid=sample-released]")); !strings.Contains(got, "Ofsted has released the case sample") {
			t.Errorf("%s does not say the sample was released: %q", p, got)
		}
	}
	// Ofsted's own pages say nothing of the kind to Ofsted.
	if doc := parse(t, f.ts.get(f.leadC, f.base)); doc.Find("[data-testid=sample-released]").Length() != 0 {
		t.Error("the lead is shown Cafcass's banner")
	}
	got := htmltest.Text(parse(t, f.ts.get(f.teamC, sample)).Find("main"))
	if !strings.Contains(got, "C0003") || !strings.Contains(got, "released to Cafcass") {
		t.Errorf("team inspector after release: %q", got)
	}
}

// TestCaseSample_ReleaseAsksFirst: the child-level page's release is a
// link to a page that lists the cases and asks to confirm; only its form
// releases the sample (issue 15.6).
func TestCaseSample_ReleaseAsksFirst(t *testing.T) {
	t.Parallel()
	f := sampledFixture(t)
	release := f.base + "/child-data/sample/release"
	doc := parse(t, f.ts.get(f.leadC, f.base+"/child-data"))
	if doc.Find(`form[action="`+release+`"]`).Length() != 0 {
		t.Error("the child-level page releases the sample in one click")
	}
	if doc.Find(`a[href="`+release+`"]`).Length() != 1 {
		t.Fatal("no link to release the sample")
	}
	res := f.ts.get(f.leadC, release)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("confirm page: %d", res.StatusCode)
	}
	doc = parse(t, res)
	htmltest.CheckPage(t, doc)
	if got := htmltest.Text(doc.Find("h1")); got != "Release the case sample to Cafcass?" {
		t.Errorf("h1 %q", got)
	}
	if got := htmltest.Text(doc.Find("main")); !strings.Contains(got, "C0003") || !strings.Contains(got, f.team.Name) || strings.Contains(got, "Three changes") {
		t.Errorf("confirm page: %q", got)
	}
	if doc.Find(`form[action="`+release+`"] button`).Length() != 1 {
		t.Error("no button to release")
	}
	if released := htmltest.Text(parse(t, f.ts.get(f.ceoC, f.base+"/case-sample")).Find("[data-testid=case-sample]")); released != "" {
		t.Errorf("opening the confirm page released the sample: %q", released)
	}
	// A team inspector may not release it.
	if res := f.ts.get(f.teamC, release); res.StatusCode != http.StatusForbidden {
		t.Errorf("team inspector: %d", res.StatusCode)
	}
	if res := f.ts.post(f.leadC, release, nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("release: %d", res.StatusCode)
	}
	// Released: the page says so and offers nothing more.
	if got := htmltest.Text(parse(t, f.ts.get(f.leadC, release)).Find("main")); strings.Contains(got, "Release the case sample to Cafcass?") {
		t.Errorf("released, the confirm page still asks: %q", got)
	}
}

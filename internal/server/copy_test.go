package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/annexa"
	"github.com/ofsted/focusedvisits/internal/htmltest"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/user"
)

// The words and layout a service assessor walking the pages found wrong
// (issue 15.5), each checked on the page people see.

// TestCopy_World checks, on the world's visit, the pages whose words were
// wrong.
func TestCopy_World(t *testing.T) {
	t.Parallel()
	w := newWorld(t, nil)
	ts := w.ts
	ctx := context.Background()
	base := "/visits/" + w.params["visitID"]
	ceo, lead := w.clients[user.CafcassCEO], w.clients[user.LeadInspector]

	t.Run("one draft comment is not 'your 1 comments'", func(t *testing.T) {
		doc := parse(t, ts.get(ceo, base+"/letter/draft"))
		link := htmltest.Text(doc.Find(`a[href="` + base + `/letter/draft/comments/check"]`))
		if link != "Check and submit your comment" {
			t.Errorf("link %q, want %q", link, "Check and submit your comment")
		}
	})

	t.Run("page title of the child-level list upload in sentence case", func(t *testing.T) {
		doc := parse(t, ts.get(ceo, base+"/request/items/"+w.params["childListItemID"]+"/child-list"))
		title := htmltest.Text(doc.Find("title"))
		if !strings.HasPrefix(title, "Upload child-level data: cases closed") {
			t.Errorf("title %q, want it to begin %q", title, "Upload child-level data: cases closed")
		}
		if h1 := htmltest.Text(doc.Find("h1")); !strings.HasPrefix(title, h1) {
			t.Errorf("h1 %q is not the page's title %q", h1, title)
		}
	})

	t.Run("SHA-256 only for Ofsted", func(t *testing.T) {
		item := base + "/request/items/" + w.params["itemID"]
		for _, tc := range []struct {
			role user.Role
			want bool
		}{{user.CafcassCEO, false}, {user.CafcassDeputy, false}, {user.LeadInspector, true}} {
			doc := parse(t, ts.get(w.clients[tc.role], item))
			if doc.Find("[data-testid=file]").Length() == 0 {
				t.Fatalf("%s: no file listed", tc.role)
			}
			shown := strings.Contains(htmltest.Text(doc.Find("main")), "SHA-256") || doc.Find("[data-testid=file-sha]").Length() > 0
			if shown != tc.want {
				t.Errorf("%s: SHA-256 shown %v, want %v", tc.role, shown, tc.want)
			}
		}
	})

	t.Run("the Annex A version in force for the visit", func(t *testing.T) {
		// Visit A's notice is Mon 14 Apr 2025: the December 2024 Annex A
		// applied then, not September 2025's.
		doc := parse(t, ts.get(lead, base+"/request/edit"))
		if got := htmltest.Text(doc.Find("main")); !strings.Contains(got, "Annex A, December 2024") || strings.Contains(got, "September 2025") {
			t.Errorf("request form: %q", got)
		}
		items, err := ts.Store.ListItems(ctx, w.visitIDOf(t, w.params["visitID"]))
		if err != nil {
			t.Fatal(err)
		}
		for _, it := range items {
			if it.CatalogueVersion != "" && it.CatalogueVersion != "2024-12" {
				t.Errorf("item %s from Annex A %s, want 2024-12", it.Number, it.CatalogueVersion)
			}
		}
	})

	t.Run("the child-level data summary has no two rows of one name", func(t *testing.T) {
		doc := parse(t, ts.get(lead, base+"/child-data"))
		seen := map[string]bool{}
		keys := doc.Find(".govuk-summary-list__key")
		if keys.Length() == 0 {
			t.Fatal("no summary")
		}
		for i := range keys.Length() {
			k := htmltest.Text(keys.Eq(i))
			if seen[k] {
				t.Errorf("two rows called %q", k)
			}
			seen[k] = true
		}
	})

	t.Run("returned: a link to why", func(t *testing.T) {
		it := w.itemByPublicID(t, w.params["itemID"])
		must(t, ts.Store.SetItemStatus(ctx, it.ID, annexa.InProgress, annexa.Submitted, "", w.users[user.CafcassCEO]))
		must(t, ts.Store.SetItemStatus(ctx, it.ID, annexa.Submitted, annexa.Returned, "Send the 2025 chart", w.users[user.LeadInspector]))
		doc := parse(t, ts.get(ceo, base+"/request"))
		href := base + "/request/items/" + it.PublicID + "#item-reason"
		link := doc.Find(`.govuk-task-list__hint a[href="` + href + `"]`)
		if got := htmltest.Text(link); got != "see why" {
			t.Errorf("returned hint link %q, want %q to %s: %q", got, "see why", href, htmltest.Text(doc.Find(".govuk-task-list")))
		}
		if parse(t, ts.get(ceo, base+"/request/items/"+it.PublicID)).Find("#item-reason").Length() != 1 {
			t.Error("the item page has no #item-reason for the link")
		}
	})

	t.Run("tags do not run together", func(t *testing.T) {
		// Eleven days on, items not started are overdue.
		ts.setClock(time.Date(2025, 4, 25, 10, 0, 0, 0, londonTZ))
		defer ts.setClock(time.Date(2025, 4, 14, 10, 0, 0, 0, londonTZ))
		var path string
		for _, it := range w.items(t) {
			if it.Status == annexa.NotStarted && !strings.HasPrefix(it.Number, "AP") {
				path = base + "/request/items/" + it.PublicID
				break
			}
		}
		doc := parse(t, ts.get(ceo, path))
		tags := doc.Find("[data-testid=item-status] .govuk-tag")
		if tags.Length() != 2 {
			t.Fatalf("%d tags, want Not started and Overdue", tags.Length())
		}
		if got := htmltest.Text(doc.Find("[data-testid=item-status]")); got != "Not started Overdue" {
			t.Errorf("status %q, want the tags apart: %q", got, "Not started Overdue")
		}
	})
}

// TestCopy_PriorityActionOnlyOnceTheFinalSays: Cafcass is told the final
// letter has an area for priority action only once a final letter exists;
// while only the draft is sent, the draft is what it reads.
func TestCopy_PriorityActionOnlyOnceTheFinalSays(t *testing.T) {
	t.Parallel()
	f := newCafcassLetterFixture(t, true)
	f.sendDraft(t)
	f.at("2025-06-05", 10)
	page := htmltest.Text(parse(t, f.ts.get(f.ceoC, f.base+"/cafcass")).Find("main"))
	if strings.Contains(page, "final letter has an area for priority action") {
		t.Errorf("with only the draft sent: %q", page)
	}
	f.sendFinal(t)
	f.at("2025-06-19", 10)
	page = htmltest.Text(parse(t, f.ts.get(f.ceoC, f.base+"/cafcass")).Find("main"))
	if !strings.Contains(page, "The final letter has an area for priority action") {
		t.Errorf("with the final sent: %q", page)
	}
}

// TestCopy_PublishedListNoSpaceBeforeComma: "Focused visit ... April 2025"
// then, on its own line, "Published Mon 30 Jun 2025." with no space before
// a comma or a full stop (issue 15.7).
func TestCopy_PublishedListNoSpaceBeforeComma(t *testing.T) {
	t.Parallel()
	f := newCafcassLetterFixture(t, false)
	f.sendDraft(t)
	f.sendFinal(t)
	f.writeSummary(t)
	f.at("2025-06-30", 1)
	f.ts.runJobs()
	doc := parse(t, f.ts.get(f.out, "/letters"))
	items := doc.Find("[data-testid=publications] li")
	if items.Length() != 1 {
		t.Fatalf("%d letters published: %q", items.Length(), htmltest.Text(doc.Find("main")))
	}
	got := htmltest.Text(items)
	if strings.Contains(got, " ,") || strings.Contains(got, " .") || !strings.Contains(got, "Published Mon 30 Jun 2025.") {
		t.Errorf("published letter %q", got)
	}
}

// TestCopy_ReturnWithCommentsIsNotAWarning: the QAM's "Return with
// comments" destroys nothing, so it is a secondary button, not a red one.
func TestCopy_ReturnWithCommentsIsNotAWarning(t *testing.T) {
	t.Parallel()
	f := newDraftFixture(t)
	f.post(t, f.leadC, f.base+"/edit", draftForm(0, "We visited Cafcass in April."), http.StatusSeeOther)
	f.post(t, f.leadC, f.base, url.Values{"action": {"submit"}, "version": {"1"}}, http.StatusSeeOther)
	doc := parse(t, f.ts.get(f.qamC, f.base+"/qa"))
	b := doc.Find(`button[name=action][value=return]`)
	if b.Length() != 1 {
		t.Fatal("no Return with comments button")
	}
	class, _ := b.Attr("class")
	if strings.Contains(class, "govuk-button--warning") || !strings.Contains(class, "govuk-button--secondary") {
		t.Errorf("Return with comments: class %q, want a secondary button", class)
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// items maps visit A's request items by number.
func (w *world) items(t *testing.T) map[string]store.RequestItem {
	t.Helper()
	list, err := w.ts.Store.ListItems(context.Background(), w.visitIDOf(t, w.params["visitID"]))
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]store.RequestItem{}
	for _, it := range list {
		m[it.Number] = it
	}
	return m
}

// itemByPublicID is visit A's request item with the public id.
func (w *world) itemByPublicID(t *testing.T, id string) store.RequestItem {
	t.Helper()
	for _, it := range w.items(t) {
		if it.PublicID == id {
			return it
		}
	}
	t.Fatalf("no item %s", id)
	return store.RequestItem{}
}

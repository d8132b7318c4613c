package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/ofsted/focusedvisits/internal/htmltest"
)

// bigList is a valid list of n rows.
func bigList(n int) []byte {
	var b strings.Builder
	b.WriteString(cdListHeader + "\n")
	for i := range n {
		law, typ := "Private", "s7"
		if i%3 == 0 {
			law, typ = "Public", "s31"
		}
		b.WriteString(cdListRow(i, law, typ, fmt.Sprintf("Team %d", i%2), "South East") + "\n")
	}
	return []byte(b.String())
}

// TestChildList_ParallelImportsToOneItem posts the same valid 2,000-row list
// to one item several times at once, as two people (or one impatient one)
// might: each answer is the list accepted (303) or a clear 409, never a
// server error, and the item ends with exactly one current list.
func TestChildList_ParallelImportsToOneItem(t *testing.T) {
	t.Parallel()
	f, path := newChildListFixture(t)
	list := bigList(2000)
	const n = 6
	statuses := make([]int, n)
	bodies := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			res := f.postList(t, f.ceoC, path, coverApril("list.csv", list))
			statuses[i] = res.StatusCode
			if res.StatusCode != http.StatusSeeOther {
				bodies[i] = htmltest.Text(parse(t, res).Find("main"))
			}
		})
	}
	wg.Wait()
	t.Logf("statuses: %v", statuses)
	accepted := 0
	for i, st := range statuses {
		switch st {
		case http.StatusSeeOther:
			accepted++
		case http.StatusConflict:
			if !strings.Contains(bodies[i], "Another list is being checked") {
				t.Errorf("409 without the explanation: %q", bodies[i])
			}
		default:
			t.Errorf("upload %d: status %d: %s", i, st, bodies[i])
		}
	}
	if accepted == 0 {
		t.Errorf("no upload was accepted: %v", statuses)
	}
	if rows, files, _ := f.stored(t); rows != 2000 || files != 1 {
		t.Errorf("%d rows and %d current files stored, want 2000 and 1 (%v)", rows, files, statuses)
	}
}

// TestFileUpload_ParallelSameNameToOneItem uploads a file of the same name
// to a not-started item several times at once: every upload is stored (each
// a new version) or answered 409, never a server error.
func TestFileUpload_ParallelSameNameToOneItem(t *testing.T) {
	t.Parallel()
	f := newUploadFixture(t, nil, true)
	item := f.itemPath(t, "1.01")
	const n = 8
	statuses := make([]int, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			res := f.upload(t, f.ceoC, item, filePart{"1.01 policy.pdf", pdf})
			statuses[i] = res.StatusCode
		})
	}
	wg.Wait()
	stored := 0
	for i, st := range statuses {
		switch st {
		case http.StatusSeeOther:
			stored++
		case http.StatusConflict:
		default:
			t.Errorf("upload %d: status %d", i, st)
		}
	}
	files, _ := f.stored(t)
	if files != stored {
		t.Errorf("%d uploads answered 303 but %d versions stored (%v)", stored, files, statuses)
	}
	if st := f.items(t)["1.01"].Status; st != "in_progress" {
		t.Errorf("item status %s, want in_progress", st)
	}
}

// TestFiles_FrozenOnceSubmitted: once Cafcass submits an item it is offered
// no upload or removal, and a request made anyway (an old page, a crafted
// post) is answered 409 with the reason, changing nothing, until Ofsted
// returns the item (DOMAIN decision 18).
func TestFiles_FrozenOnceSubmitted(t *testing.T) {
	t.Parallel()
	f := newUploadFixture(t, nil, true)
	item := f.itemPath(t, "1.01")
	if res := f.upload(t, f.ceoC, item, filePart{"1.01 policy.pdf", pdf}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: %d", res.StatusCode)
	}
	doc := parse(t, f.ts.get(f.ceoC, item))
	remove := doc.Find(`a[href$="/remove"]`).AttrOr("href", "")
	if remove == "" || doc.Find(`form[action$="/files"]`).Length() != 1 {
		t.Fatal("before submitting, Cafcass is not offered removal and upload")
	}
	f.act(t, f.ceoC, "1.01", "submit", http.StatusSeeOther, nil)

	doc = parse(t, f.ts.get(f.ceoC, item))
	if doc.Find(`a[href$="/remove"]`).Length() != 0 || doc.Find(`form[action$="/files"]`).Length() != 0 {
		t.Error("after submitting, Cafcass is still offered removal or upload")
	}
	if got := htmltest.Text(doc.Find("#files .govuk-inset-text")); !strings.Contains(got, "cannot be changed unless Ofsted returns it") {
		t.Errorf("no reason given on the page: %q", got)
	}
	wantFrozen := func(what string, res *http.Response) {
		t.Helper()
		if res.StatusCode != http.StatusConflict {
			t.Errorf("%s: status %d, want 409", what, res.StatusCode)
			return
		}
		doc := parse(t, res)
		wantErrors(t, doc, "#files")
		if got := htmltest.Text(doc.Find(".govuk-error-summary")); !strings.Contains(got, "its files can") {
			t.Errorf("%s: error summary %q", what, got)
		}
	}
	wantFrozen("remove page", f.ts.get(f.ceoC, remove))
	wantFrozen("remove", f.ts.post(f.ceoC, remove, nil))
	wantFrozen("replace", f.upload(t, f.ceoC, item, filePart{"1.01 policy.pdf", pdf}))
	wantFrozen("add", f.upload(t, f.ceoC, item, filePart{"1.01 other.pdf", pdf}))
	if files, _ := f.stored(t); files != 1 {
		t.Errorf("%d files stored, want the one submitted", files)
	}

	// Accepted: still frozen for Cafcass.
	f.act(t, f.leadC, "1.01", "accept", http.StatusSeeOther, nil)
	wantFrozen("remove once accepted", f.ts.post(f.ceoC, remove, nil))

	// A child-level list: the upload form is not offered once submitted,
	// and a list posted anyway is refused; once returned, it is taken.
	cl := f.itemPath(t, "CL.1")
	if res := f.postList(t, f.ceoC, cl+"/child-list", coverApril("list.csv", []byte(goodList()))); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("list: %d", res.StatusCode)
	}
	f.act(t, f.ceoC, "CL.1", "submit", http.StatusSeeOther, nil)
	doc = parse(t, f.ts.get(f.ceoC, cl+"/child-list"))
	if doc.Find(`input[type=file]`).Length() != 0 || !strings.Contains(htmltest.Text(doc.Find("#upload")), "submitted") {
		t.Error("the list page still offers an upload once submitted, or does not say why not")
	}
	res := f.postList(t, f.ceoC, cl+"/child-list", coverApril("list.csv", []byte(goodList())))
	if res.StatusCode != http.StatusConflict {
		t.Fatalf("list posted to a submitted item: status %d", res.StatusCode)
	}
	wantErrors(t, parse(t, res), "#upload")
	lists, err := f.ts.Store.CurrentChildLists(context.Background(), f.visit.ID)
	if err != nil || len(lists) != 1 {
		t.Fatalf("lists %v, %v", lists, err)
	}
	f.act(t, f.saoC, "CL.1", "return", http.StatusSeeOther, url.Values{"return-reason": {"Please add the audit column"}})
	if res := f.postList(t, f.ceoC, cl+"/child-list", coverApril("list.csv", []byte(goodList()))); res.StatusCode != http.StatusSeeOther {
		t.Errorf("list to a returned item: status %d", res.StatusCode)
	}
}

// TestFiles_SubmitRacingRemoval submits an item and removes its only file at
// the same moment, many times: whichever comes first wins, the other is
// refused with a clear answer, and an item is never left submitted without
// a file.
func TestFiles_SubmitRacingRemoval(t *testing.T) {
	t.Parallel()
	f := newUploadFixture(t, nil, true)
	ctx := context.Background()
	for round := range 10 {
		number := "1.01"
		// Start each round with the item in progress and one file.
		it := f.items(t)[number]
		if it.Status == "submitted" {
			f.act(t, f.leadC, number, "return", http.StatusSeeOther, url.Values{"return-reason": {"Round over"}})
		}
		path := f.itemPath(t, number)
		name := fmt.Sprintf("1.01 round %d.pdf", round)
		if res := f.upload(t, f.ceoC, path, filePart{name, pdf}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("round %d: upload %d", round, res.StatusCode)
		}
		docs, err := f.ts.Store.ListItemFiles(ctx, it.ID)
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range docs {
			if d.Current.Name != name {
				if _, err := f.ts.Store.RemoveFile(ctx, f.visit.ID, d.Current.ID, f.lead); err != nil {
					t.Fatal(err)
				}
				continue
			}
			it = f.items(t)[number]
			var wg sync.WaitGroup
			var submit, remove int
			wg.Go(func() {
				submit = f.ts.post(f.ceoC, path, url.Values{"action": {"submit"}}).StatusCode
			})
			wg.Go(func() {
				remove = f.ts.post(f.ceoC, fmt.Sprintf("%s/files/%d/remove", f.base, d.Current.ID), nil).StatusCode
			})
			wg.Wait()
			if submit >= 500 || remove >= 500 {
				t.Errorf("round %d: submit %d, remove %d", round, submit, remove)
			}
			n, err := f.ts.Store.CountItemFiles(ctx, it.ID)
			if err != nil {
				t.Fatal(err)
			}
			if st := f.items(t)[number].Status; st == "submitted" && n == 0 {
				t.Errorf("round %d: submitted with no file (submit %d, remove %d)", round, submit, remove)
			}
		}
	}
}

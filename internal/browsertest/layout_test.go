package browsertest_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/browsertest"
	"github.com/ofsted/focusedvisits/internal/childdata"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// wideList is a child-level list with values as long as real ones get, so
// that its table is as wide as it gets.
func wideList(cover childdata.DateRange) string {
	var b strings.Builder
	b.WriteString(childListHeader)
	for i := range 12 {
		fmt.Fprintf(&b, "CF-10000%04d,CH-2000%04d,Re Montgomery-Fitzgerald (children),F,White and Black Caribbean,N,14/03/2016,C100,Public,s31,Alexandra Montgomery-Fitzgerald,Public law team North and East,South East and London,Kent County Council,Chelmsford Family Court,01/10/2024,%s,Y,N,N\n",
			i, i, cover.From.AddDays(i%10).Format("02/01/2006"))
	}
	return b.String()
}

// TestLayoutFits: at 1280 and 390 px wide, the pages with wide tables (the
// visit's timeline, the child-level rows, the request and the list upload)
// are no wider than the screen, and every link and button is within the
// page's main column, none off-screen or cut off (issue 15.3).
func TestLayoutFits(t *testing.T) {
	t.Parallel()
	today := workday.NewDate(2025, time.April, 15)
	notice := workday.NewDate(2025, time.April, 14)
	now := tenAM(today)
	var visitPath, uploadPath string
	a := startDemoApp(t, today, func() time.Time { return now }, func(a *demoApp) {
		ctx := context.Background()
		d := a.newVisit(t, notice)
		visitPath = "/visits/" + d.PublicID
		lead := a.User(t, user.LeadInspector)
		if _, err := a.Store.SetRequest(ctx, d.ID, "2024-12", []store.Pick{{Number: "CL.1", DueDay: 3}, {Number: "1.01", DueDay: 5}}, lead); err != nil {
			t.Fatal(err)
		}
		items, err := a.Store.ListItems(ctx, d.ID)
		if err != nil {
			t.Fatal(err)
		}
		cover := childdata.DateRange{From: notice.AddDays(-14), To: notice.AddDays(-1)}
		for _, it := range items {
			if it.Number != "CL.1" {
				continue
			}
			uploadPath = visitPath + "/request/items/" + it.PublicID + "/child-list"
			csv := wideList(cover)
			_, _, err := a.Store.ImportChildList(ctx, store.NewChildList{VisitID: d.ID, ItemID: it.ID, FileName: "CL.1 closed cases.csv", Cover: cover},
				func(accept func(*childdata.Row) error) (*childdata.Result, error) {
					return childdata.Check(childdata.NewCSV(strings.NewReader(csv)), cover, childdata.Options{Today: today, Accept: accept})
				}, a.User(t, user.CafcassCEO))
			if err != nil {
				t.Fatal(err)
			}
		}
	})
	b := browsertest.New(t, a.URL)
	signInAs(t, b, a.ByRole[user.LeadInspector])
	for _, width := range []int64{1280, 390} {
		b.Resize(width, 900)
		for _, p := range []string{visitPath, visitPath + "/child-data", visitPath + "/request", uploadPath} {
			b.Visit(p)
			o := b.Overflow()
			if o.Document > o.Viewport {
				t.Errorf("%s at %d px: the page is %d px wide", p, width, o.Document)
			}
			for _, e := range o.Outside {
				t.Errorf("%s at %d px: %s", p, width, e)
			}
			b.Screenshot(fmt.Sprintf("%d%s", width, strings.ReplaceAll(strings.TrimPrefix(p, visitPath), "/", "-")))
		}
	}
}

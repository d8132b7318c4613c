package demo

import (
	"context"
	"fmt"
	"strings"

	"github.com/ofsted/focusedvisits/internal/annexa"
	"github.com/ofsted/focusedvisits/internal/childdata"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// loadChildList gives the visit's child-level list item (CL.1, set by
// loadRequests) a rejected upload by the Cafcass chief executive: a list of
// cases closed in the two weeks before notice, with a few rows that raise
// errors (law type, an impossible date, a date of birth in the future, a
// case that ends before it starts) and queries (a child over 18, a public
// law case without its local authority, a case closed outside the dates,
// the same child twice). Call it after loadRequests.
func loadChildList(ctx context.Context, tx *store.Store, visitID int64, notice, today workday.Date, users map[user.Role][]user.User) error {
	items, err := tx.ListItems(ctx, visitID)
	if err != nil {
		return err
	}
	var item *store.RequestItem
	for i := range items {
		if items[i].Kind == annexa.ChildList {
			item = &items[i]
			break
		}
	}
	if item == nil {
		return fmt.Errorf("demo: visit %d has no child-level list item", visitID)
	}
	_, err = importChildList(ctx, tx, *item, notice, today, true, users[user.CafcassCEO][0])
	return err
}

// importChildList uploads the demo list of cases closed in the two weeks
// before notice to the item, as by, with the rows that raise errors when
// wrong is set (so it is rejected), else without them (so it is accepted).
func importChildList(ctx context.Context, tx *store.Store, item store.RequestItem, notice, today workday.Date, wrong bool, by user.User) (store.ChildList, error) {
	cover := childdata.DateRange{From: notice.AddDays(-14), To: notice.AddDays(-1)}
	csv := demoChildList(cover, wrong)
	l, _, err := tx.ImportChildList(ctx, store.NewChildList{VisitID: item.VisitID, ItemID: item.ID, FileName: item.Number + " closed cases.csv", Cover: cover},
		func(accept func(*childdata.Row) error) (*childdata.Result, error) {
			return childdata.Check(childdata.NewCSV(strings.NewReader(csv)), cover, childdata.Options{Today: today, Accept: accept})
		}, by)
	if err != nil {
		return l, fmt.Errorf("demo child list: %w", err)
	}
	return l, nil
}

// demoChildList is a small list of closed cases, some rows wrong when wrong
// is set (the rows that raise queries are there either way).
func demoChildList(cover childdata.DateRange, wrong bool) string {
	d := func(x workday.Date) string { return x.Format("02/01/2006") }
	end := cover.From.AddDays(3)
	start := cover.From.AddDays(-200)
	var b strings.Builder
	b.WriteString("Case ref,Child ID,Case name,Gender,Ethnicity,Disability (Y/N),DOB,Lead application,Law type,Case type,Practitioner,Team,Service area,Local authority,Court,Case start date,Case end date,Child seen (Y/N),Section 7 filed,Audit (Y/N)\n")
	row := func(caseID, childID, name, dob, law, typ, la, startDate, endDate string) {
		fmt.Fprintf(&b, "%s,%s,%s,F,White British,N,%s,C100,%s,%s,Priya Patel,Team 4,South East,%s,Medway,%s,%s,Y,N,N\n",
			caseID, childID, name, dob, law, typ, la, startDate, endDate)
	}
	row("CF-1001", "1", "Re A (children)", "14/03/2016", "Private", "s7", "", d(start), d(end))
	row("CF-1001", "2", "Re A (children)", "02/11/2018", "Private", "s7", "", d(start), d(end))
	row("CF-1002", "1", "Re B", "21/07/2020", "Public", "s31", "Kent", d(start), d(end))
	if wrong {
		row("CF-1003", "1", "Re C", "05/05/2019", "Civil", "s7", "", d(start), d(end))                         // error: law type
		row("CF-1004", "1", "Re D", "31/02/2017", "Private", "Safeguarding letter only", "", d(start), d(end)) // error: no such date
		row("CF-1005", "1", "Re E", d(end.AddDays(400)), "Private", "r16.4", "", d(start), d(end))             // error: born in the future
		row("CF-1006", "1", "Re F", "12/12/2012", "Public", "s31", "Kent", d(end), d(start))                   // error: ends before it starts (and a query: outside the dates)
	}
	row("CF-1007", "1", "Re G", "01/01/2000", "Private", "s7", "", d(start), d(end))                     // query: over 18 at the start
	row("CF-1008", "1", "Re H", "09/09/2014", "Public", "s25", "", d(start), d(end))                     // query: no local authority
	row("CF-1009", "1", "Re I", "17/06/2015", "Private", "s8", "", d(start), d(cover.From.AddDays(-30))) // query: closed before the dates
	row("CF-1002", "1", "Re B", "21/07/2020", "Public", "s31", "Kent", d(start), d(end))                 // query: the same child twice
	return b.String()
}

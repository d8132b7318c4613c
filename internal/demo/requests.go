package demo

import (
	"context"
	"fmt"
	"strings"

	"github.com/ofsted/focusedvisits/internal/annexa"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// loadRequests gives the demo visit in its notice week (today is day 3) an
// information request at several stages: 1.01 submitted and accepted, 1.03
// and 1.05 submitted, the child-level list returned with a reason, 1.02 not
// held, the list of audited cases due on day 2 and overdue, and questions
// on 1.04 (answered), 1.15 (open, to the lead inspector) and CL.1 (open, to
// the senior analytical officer). notice is the visit's notice day.
func loadRequests(ctx context.Context, tx *store.Store, visitID int64, notice workday.Date, users map[user.Role][]user.User) error {
	lead, sao, ceo := users[user.LeadInspector][0], users[user.SAO][0], users[user.CafcassCEO][0]
	var picks []store.Pick
	for _, it := range annexa.Latest().Items {
		day := it.DueDay
		if it.Number == "AL.1" {
			day = 2 // asked for early, and not yet sent: overdue
		}
		picks = append(picks, store.Pick{Number: it.Number, DueDay: day})
	}
	if _, err := tx.SetRequest(ctx, visitID, annexa.Current, picks, lead); err != nil {
		return fmt.Errorf("demo request: %w", err)
	}
	list, err := tx.ListItems(ctx, visitID)
	if err != nil {
		return err
	}
	items := map[string]store.RequestItem{}
	for _, it := range list {
		items[it.Number] = it
	}
	// A file Cafcass uploads starts its item (annexa.StartsOnUpload).
	file := func(number, name, body string) error {
		_, err := tx.SaveFile(ctx, store.NewFile{
			VisitID: visitID, ItemID: items[number].ID, Name: name, OriginalName: name, ContentType: "text/plain",
		}, strings.NewReader(body), ceo)
		if err != nil {
			return fmt.Errorf("demo file %s: %w", name, err)
		}
		return nil
	}
	move := func(number string, from, to annexa.Status, reason string, by user.User) error {
		if err := tx.SetItemStatus(ctx, items[number].ID, from, to, reason, by); err != nil {
			return fmt.Errorf("demo item %s: %w", number, err)
		}
		return nil
	}
	steps := []func() error{
		func() error {
			return file("1.01", "1.01 Organisation chart.txt", "Chief executive\n  Directors of operations (3)\n    Heads of practice (19 service areas)\n")
		},
		func() error { return move("1.01", annexa.InProgress, annexa.Submitted, "", ceo) },
		func() error { return move("1.01", annexa.Submitted, annexa.Accepted, "", lead) },
		func() error {
			return file("1.03", "1.03 National performance report Q4.txt", "Quarterly performance summary (demo text).\n")
		},
		func() error { return move("1.03", annexa.InProgress, annexa.Submitted, "", ceo) },
		func() error {
			return file("1.05", "1.05 National self-evaluation.txt", "National self-evaluation of practice (demo text).\n")
		},
		func() error { return move("1.05", annexa.InProgress, annexa.Submitted, "", ceo) },
		func() error {
			return tx.SetCoverage(ctx, items["CL.1"].ID, notice.AddDays(-14), notice.AddDays(-1), ceo)
		},
		func() error {
			return file("CL.1", "CL.1 Closed cases.csv", "case ID,case name,law type\nC1,Smith,private\nC2,Jones,\n")
		},
		func() error { return move("CL.1", annexa.InProgress, annexa.Submitted, "", ceo) },
		func() error {
			return move("CL.1", annexa.Submitted, annexa.Returned, "The law type is missing for some cases. Please complete the column and send the list again.", sao)
		},
		func() error {
			return move("1.02", annexa.NotStarted, annexa.NotHeld, "Cases are allocated by the national business centre's rules in the case management system; there is no separate written policy.", ceo)
		},
		func() error {
			q, err := tx.AskQuestion(ctx, items["1.04"].ID, sao.ID, "Do you want the complaints log itself, or the quarterly summary?", ceo)
			if err != nil {
				return err
			}
			return tx.AnswerQuestion(ctx, items["1.04"].ID, q, "The quarterly summary is enough, with the themes and what changed.", sao)
		},
		func() error {
			_, err := tx.AskQuestion(ctx, items["1.15"].ID, lead.ID, "Should agency social workers be included?", ceo)
			return err
		},
		func() error {
			_, err := tx.AskQuestion(ctx, items["CL.1"].ID, sao.ID, "Should cases transferred to another service area before they closed be in the list?", ceo)
			return err
		},
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	return nil
}

// loadFieldworkRequest gives the demo visit in fieldwork an information
// request Cafcass sent in full: every item accepted but the child-level
// list, accepted by its checks and submitted, which the senior analytical
// officer has yet to check; and two of its cases chosen for the sample (for
// the team inspector and the lead inspector) but not yet released to
// Cafcass. So the analyst's start page shows a list to check and a sample
// to release, both due by the team's off-site evaluation and overdue.
func loadFieldworkRequest(ctx context.Context, tx *store.Store, visitID int64, notice, today workday.Date, users map[user.Role][]user.User) error {
	lead, team, sao, ceo := users[user.LeadInspector][0], users[user.TeamInspector][0], users[user.SAO][0], users[user.CafcassCEO][0]
	var picks []store.Pick
	for _, it := range annexa.Latest().Items {
		picks = append(picks, store.Pick{Number: it.Number, DueDay: it.DueDay})
	}
	if _, err := tx.SetRequest(ctx, visitID, annexa.Current, picks, lead); err != nil {
		return fmt.Errorf("demo request: %w", err)
	}
	items, err := tx.ListItems(ctx, visitID)
	if err != nil {
		return err
	}
	for _, it := range items {
		if it.Kind == annexa.ChildList {
			if err := tx.SetCoverage(ctx, it.ID, notice.AddDays(-14), notice.AddDays(-1), ceo); err != nil {
				return fmt.Errorf("demo item %s: %w", it.Number, err)
			}
		}
		name := it.Number + " " + it.Title + ".txt"
		if _, err := tx.SaveFile(ctx, store.NewFile{VisitID: visitID, ItemID: it.ID, Name: name, OriginalName: name, ContentType: "text/plain"},
			strings.NewReader(it.Title+" (demo text).\n"), ceo); err != nil {
			return fmt.Errorf("demo file %s: %w", name, err)
		}
		if it.Kind == annexa.ChildList {
			if _, err := importChildList(ctx, tx, it, notice, today, false, ceo); err != nil {
				return err
			}
		}
		if err := tx.SetItemStatus(ctx, it.ID, annexa.InProgress, annexa.Submitted, "", ceo); err != nil {
			return fmt.Errorf("demo item %s: %w", it.Number, err)
		}
		if it.Kind == annexa.ChildList {
			continue
		}
		if err := tx.SetItemStatus(ctx, it.ID, annexa.Submitted, annexa.Accepted, "", lead); err != nil {
			return fmt.Errorf("demo item %s: %w", it.Number, err)
		}
	}
	for _, c := range []struct {
		caseID, childID, reason string
		to                      user.User
	}{
		{"CF-1001", "1", "Two children in one private law case: how their wishes were heard.", team},
		{"CF-1002", "1", "A public law case with the local authority: the guardian's work before the first hearing.", lead},
	} {
		if err := tx.AddToSample(ctx, visitID, c.caseID, c.childID, c.reason, c.to.ID, sao); err != nil {
			return fmt.Errorf("demo sample %s: %w", c.caseID, err)
		}
	}
	return nil
}

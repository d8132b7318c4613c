package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// extraInspectors fill out the demo team (their passwords are not printed:
// they are there to be chosen, not to sign in).
var extraInspectors = []struct{ Email, Name string }{
	{"ines@ofsted.example", "Ines Inspector"},
	{"omar@ofsted.example", "Omar Okafor"},
	{"priya@ofsted.example", "Priya Patel"},
}

// stage is one demo visit: where its notice day falls, counted in working
// days from today, and what has been recorded.
type stage struct {
	name          string
	noticeOffset  int // working days from today to the notice day
	recordNotice  bool
	recordFieldwk bool
	recordDraft   bool
	priority      bool
}

var stages = []stage{
	{name: "planned, notice not given", noticeOffset: 12},
	{name: "in the notice week", noticeOffset: -2, recordNotice: true},
	{name: "in fieldwork", noticeOffset: -6, recordNotice: true},
	{name: "awaiting the letter", noticeOffset: -14, recordNotice: true, recordFieldwk: true},
	{name: "draft letter sent, priority action", noticeOffset: -19, recordNotice: true, recordFieldwk: true, recordDraft: true, priority: true},
	// Its final letter went 10 working days ago, a complaint came in time
	// and is not resolved: publication (2 working days ago) is held.
	{name: stageComplaintHolds, noticeOffset: -39, recordNotice: true, recordFieldwk: true},
	// The whole path, published: the Easter 2025 example of DOMAIN B.4
	// (see publishedNotice).
	{name: stagePublished, noticeOffset: -48, recordNotice: true, recordFieldwk: true},
}

// loadVisits creates visits at several stages around today, so that a
// newcomer sees the start page, timelines and deadlines in use.
func loadVisits(ctx context.Context, tx *store.Store, today workday.Date, users map[user.Role][]user.User) error {
	cal := workday.EnglandAndWales()
	lead := users[user.LeadInspector][0]
	t, err := timeline.Lookup(timeline.FocusedVisit, "")
	if err != nil {
		return err
	}
	for _, st := range stages {
		notice, err := cal.Add(today, st.noticeOffset)
		if err != nil {
			return err
		}
		if st.name == stagePublished {
			notice = publishedNotice(cal, today, notice)
		}
		members := []visit.Member{{UserID: lead.ID, Role: visit.RoleLead}}
		for _, u := range users[user.TeamInspector] {
			members = append(members, visit.Member{UserID: u.ID, Role: visit.RoleTeam})
		}
		members = append(members,
			visit.Member{UserID: users[user.QAM][0].ID, Role: visit.RoleQAM},
			visit.Member{UserID: users[user.QAM][1].ID, Role: visit.RoleModerator},
			visit.Member{UserID: users[user.SAO][0].ID, Role: visit.RoleSAO},
			visit.Member{UserID: users[user.CafcassCEO][0].ID, Role: visit.RoleCafcass},
			visit.Member{UserID: users[user.CafcassDeputy][0].ID, Role: visit.RoleCafcass},
		)
		id, err := tx.CreateVisit(ctx, store.NewVisit{
			TemplateID: t.ID, TemplateVersion: t.Version, AnchorCode: timeline.CodeNotice, AnchorDate: notice,
			PriorityAction: st.priority, Members: members,
		}, lead)
		if err != nil {
			return fmt.Errorf("demo visit %s: %w", st.name, err)
		}
		d, err := tx.GetVisit(ctx, id)
		if err != nil {
			return err
		}
		p, err := d.Plan(cal, time.UTC, nil)
		if err != nil {
			return err
		}
		record := func(code, at string) error {
			m, ok := p.Milestone(code)
			if !ok {
				return fmt.Errorf("demo: no %s", code)
			}
			return tx.RecordActual(ctx, id, 0, visit.Actual{Code: code, Date: m.First(), To: toOf(m), Time: at}, m.Label, lead)
		}
		if st.recordNotice {
			if err := record(timeline.CodeNotice, "09:02"); err != nil {
				return err
			}
			if err := record(timeline.CodeSetUpCall, "14:00"); err != nil {
				return err
			}
		}
		if st.name == "in the notice week" {
			if err := loadRequests(ctx, tx, id, notice, users); err != nil {
				return err
			}
			if err := loadChildList(ctx, tx, id, notice, today, users); err != nil {
				return err
			}
		}
		if st.name == "in fieldwork" {
			if err := loadFieldworkRequest(ctx, tx, id, notice, today, users); err != nil {
				return err
			}
			if err := loadWorkspace(ctx, tx, id, notice, today, users); err != nil {
				return err
			}
			if err := loadFeedback(ctx, tx, id, notice); err != nil {
				return err
			}
		}
		if st.recordFieldwk {
			if err := record(timeline.CodeFieldwork, ""); err != nil {
				return err
			}
		}
		if st.recordDraft {
			if err := record(timeline.CodeDraftLetter, ""); err != nil {
				return err
			}
		}
		if err := loadLetters(ctx, tx, st.name, id, today, users); err != nil {
			return err
		}
		// What went to plan before today is recorded as done, as a lead
		// inspector keeping the visit up to date would have; the letter's
		// steps are left to the stage above.
		if st.recordNotice {
			for _, m := range p.Milestones {
				if !m.Last().Before(today) || letterStep[m.Code] {
					continue
				}
				if _, done := recorded(ctx, tx, id, m.Code); done {
					continue
				}
				if err := record(m.Code, ""); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// letterStep are the steps of the letter, recorded only as a stage says.
var letterStep = map[string]bool{
	timeline.CodeDraftLetter: true, timeline.CodeComments: true, timeline.CodeFinalLetter: true,
	timeline.CodeComplaint: true, timeline.CodePublication: true,
	timeline.CodeDraftActionPlan: true, timeline.CodeActionPlan: true,
}

// recorded reports whether the step is already recorded as done.
func recorded(ctx context.Context, tx *store.Store, visitID int64, code string) (visit.Actual, bool) {
	d, err := tx.GetVisit(ctx, visitID)
	if err != nil {
		return visit.Actual{}, false
	}
	return d.Actual(code)
}

func toOf(m timeline.Milestone) workday.Date {
	if m.Kind == timeline.KindWindow {
		return m.To
	}
	return workday.Date{}
}

package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/ofsted/focusedvisits/internal/history"
	"github.com/ofsted/focusedvisits/internal/htmltest"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// TestDecisions_EveryPageTheSameDates: for the Easter 2025 and Christmas
// 2026 visits of DOMAIN B.4, each scenario of DOMAIN decisions 10 to 14
// with a clock the test moves, then what the lead inspector, the QAM and
// the chief executive see: the same current date for every milestone on
// each one's visit page and start page (its tasks), and the chief executive's
// letter page; no optional window overdue anywhere; the final never inside
// the comment window.
func TestDecisions_EveryPageTheSameDates(t *testing.T) {
	t.Parallel()
	visits := []struct {
		name   string
		notice workday.Date
		// fieldwork as planned, and a new first fieldwork day to defer to
		fieldwork string
		deferTo   workday.Date
	}{
		{"Easter 2025", date("2025-04-14"), "Thu 24 to Fri 25 Apr 2025", date("2025-06-04")},
		{"Christmas 2026", date("2026-12-15"), "Wed 23 to Thu 24 Dec 2026", date("2027-01-20")},
	}
	type scenario struct {
		name  string
		apply func(t *testing.T, ts *testServer, d visit.Details, lead user.User, p timeline.Plan) time.Time // returns the clock to look on
	}
	day := func(d workday.Date, hour int) time.Time {
		return time.Date(d.Year(), d.Month(), d.Day(), hour, 0, 0, 0, londonTZ)
	}
	record := func(t *testing.T, ts *testServer, d visit.Details, code string, on workday.Date, by user.User) {
		t.Helper()
		if err := ts.Store.RecordActual(context.Background(), d.ID, 0, visit.Actual{Code: code, Date: on}, code, by); err != nil {
			t.Fatal(err)
		}
	}
	scenarios := []scenario{
		{"decision 10: notice recorded on its day", func(t *testing.T, ts *testServer, d visit.Details, lead user.User, p timeline.Plan) time.Time {
			record(t, ts, d, timeline.CodeNotice, d.AnchorDate, lead)
			return day(d.AnchorDate, 15)
		}},
		{"decision 11: deferral after notice", func(t *testing.T, ts *testServer, d visit.Details, lead user.User, p timeline.Plan) time.Time {
			record(t, ts, d, timeline.CodeNotice, d.AnchorDate, lead)
			return time.Time{} // set by the caller: the deferral needs the visit's own date
		}},
		{"decision 12: the draft sent late", func(t *testing.T, ts *testServer, d visit.Details, lead user.User, p timeline.Plan) time.Time {
			record(t, ts, d, timeline.CodeNotice, d.AnchorDate, lead)
			draft, _ := p.Milestone(timeline.CodeDraftLetter)
			late := draft.Date.AddDays(11)
			record(t, ts, d, timeline.CodeDraftLetter, late, lead)
			return day(late, 12)
		}},
		{"decision 13: the windows after they close", func(t *testing.T, ts *testServer, d visit.Details, lead user.User, p timeline.Plan) time.Time {
			record(t, ts, d, timeline.CodeNotice, d.AnchorDate, lead)
			draft, _ := p.Milestone(timeline.CodeDraftLetter)
			final, _ := p.Milestone(timeline.CodeFinalLetter)
			record(t, ts, d, timeline.CodeDraftLetter, draft.Date, lead)
			record(t, ts, d, timeline.CodeFinalLetter, final.Date, lead)
			complaint, _ := p.Milestone(timeline.CodeComplaint)
			return day(complaint.To.AddDays(1), 10)
		}},
		{"a closure day after notice", func(t *testing.T, ts *testServer, d visit.Details, lead user.User, p timeline.Plan) time.Time {
			record(t, ts, d, timeline.CodeNotice, d.AnchorDate, lead)
			day3, _ := p.Milestone(timeline.CodeChildData)
			if err := ts.Store.AddClosureDay(context.Background(), day3.Date, "Office closed", lead.ID); err != nil {
				t.Fatal(err)
			}
			return day(d.AnchorDate, 16)
		}},
	}
	for _, v := range visits {
		for _, sc := range scenarios {
			t.Run(v.name+"/"+sc.name, func(t *testing.T) {
				t.Parallel()
				ts := newTestServer(t, nil)
				ts.setClock(day(v.notice.AddDays(-7), 10))
				lead := ts.addUser(user.LeadInspector, "lead@example.gov.uk")
				qam := ts.addUser(user.QAM, "qam@example.gov.uk")
				ceo := ts.addUser(user.CafcassCEO, "ceo@example.gov.uk")
				d := ts.createTestVisit(lead, "notice", v.notice,
					visit.Member{UserID: lead.ID, Role: visit.RoleLead},
					visit.Member{UserID: qam.ID, Role: visit.RoleQAM},
					visit.Member{UserID: ceo.ID, Role: visit.RoleCafcass})
				_, p := ts.planNow(d.ID)
				if got := datesOf(t, p, timeline.CodeFieldwork); got != v.fieldwork {
					t.Fatalf("fieldwork planned %s, want %s", got, v.fieldwork)
				}
				clock := sc.apply(t, ts, d, lead, p)
				if strings.HasPrefix(sc.name, "decision 11") {
					fresh, _ := ts.planNow(d.ID)
					err := ts.Store.UpdateVisit(context.Background(), d.ID, fresh.Version, store.UpdateVisit{
						AnchorCode: timeline.CodeFieldwork, AnchorDate: v.deferTo, PlanFromAnchor: visit.DeferralRebases(fresh), Kind: history.DeferralGranted,
					}, lead)
					if err != nil {
						t.Fatal(err)
					}
					clock = day(v.notice.AddDays(1), 10)
				}
				ts.setClock(clock)
				_, now := ts.planNow(d.ID)
				if strings.HasPrefix(sc.name, "decision 11") {
					fw, _ := now.Milestone(timeline.CodeFieldwork)
					if fw.First() != v.deferTo {
						t.Errorf("fieldwork after the deferral %s, want %s", fw.First(), v.deferTo)
					}
				}
				final, _ := now.Milestone(timeline.CodeFinalLetter)
				comments, _ := now.Milestone(timeline.CodeComments)
				if final.State == timeline.StatePlanned && !final.Date.After(comments.To) {
					t.Errorf("final %s inside the comment window to %s", final.Date, comments.To)
				}

				path := "/visits/" + d.PublicID
				pages := map[string]map[string]string{}
				for who, u := range map[string]user.User{"lead": lead, "QAM": qam, "chief executive": ceo} {
					c := ts.signIn(u.Email)
					res := ts.get(c, path)
					if res.StatusCode != http.StatusOK {
						t.Fatalf("%s: visit page %d", who, res.StatusCode)
					}
					doc := parse(t, res)
					pages[who] = currentDates(doc)
					doc.Find(`[data-testid=timeline] tbody tr`).Each(func(_ int, s *goquery.Selection) {
						code, _ := s.Attr("data-code")
						// Decision 14: the letter's steps are shown, never recorded here.
						if m, ok := now.Milestone(code); ok && m.RecordedBy != "" && s.Find(`a[href$="/record"]`).Length() != 0 {
							t.Errorf("%s is offered to record %s on the timeline", who, code)
						}
						if (code == timeline.CodeComments || code == timeline.CodeComplaint) && strings.Contains(htmltest.Text(s), "Overdue") {
							t.Errorf("%s sees the optional window %s overdue", who, code)
						}
					})
					if who == "lead" {
						// Decision 14: and the record form for them is not there.
						for _, code := range []string{timeline.CodeDraftLetter, timeline.CodeFinalLetter, timeline.CodePublication} {
							if res := ts.post(c, path+"/milestones/"+code+"/record", url.Values{"date-day": {"1"}, "date-month": {"1"}, "date-year": {"2025"}}); res.StatusCode != http.StatusNotFound {
								t.Errorf("recording %s on the timeline: %d, want 404", code, res.StatusCode)
							}
						}
					}
					// The start page's tasks carry the visit page's dates: a
					// task due by a milestone shows its date (or, for a
					// window, its days, its first or its last day); no
					// optional window is ever an overdue task.
					parse(t, ts.get(c, "/")).Find(`[data-testid=tasks] tbody tr`).Each(func(_ int, s *goquery.Selection) {
						code, _ := s.Attr("data-code")
						m, ok := now.Milestone(code)
						if !ok {
							return
						}
						got := htmltest.Text(s.Find("td").Eq(2))
						if got != pages[who][code] && got != timeline.FormatDate(m.First()) && got != timeline.FormatDate(m.Last()) {
							t.Errorf("%s's start page shows a task due by %s on %q, the visit page %q", who, code, got, pages[who][code])
						}
						if m.Optional && strings.Contains(htmltest.Text(s), "Overdue") {
							t.Errorf("%s's start page shows the optional %s overdue", who, code)
						}
					})
				}
				for who, got := range pages {
					for code, want := range pages["lead"] {
						if got[code] != want {
							t.Errorf("%s sees %s as %q, the lead %q", who, code, got[code], want)
						}
					}
				}
			})
		}
	}
}

package tasks_test

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/ofsted/focusedvisits/internal/annexa"
	"github.com/ofsted/focusedvisits/internal/letter"
	"github.com/ofsted/focusedvisits/internal/tasks"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// The people of the test visit, one per role, and a second QAM named as its
// moderator.
var (
	lead   = user.User{ID: 1, Name: "Lead", Role: user.LeadInspector}
	team   = user.User{ID: 2, Name: "Team", Role: user.TeamInspector}
	qam    = user.User{ID: 3, Name: "QAM", Role: user.QAM}
	mod    = user.User{ID: 4, Name: "Moderator", Role: user.QAM}
	sao    = user.User{ID: 5, Name: "SAO", Role: user.SAO}
	ceo    = user.User{ID: 6, Name: "CEO", Role: user.CafcassCEO}
	deputy = user.User{ID: 7, Name: "Deputy", Role: user.CafcassDeputy}
	admin  = user.User{ID: 8, Name: "Admin", Role: user.Admin}
)

var cal = workday.EnglandAndWales()

func day(s string) workday.Date {
	d, err := workday.ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// The B.4 visit's plan: notice Mon 14 Apr 2025, day 3 Wed 16 Apr, day 5 Tue
// 22 Apr, off-site evaluation Wed 23 Apr, fieldwork Thu 24 and Fri 25 Apr,
// draft Mon 12 May, comments Tue 13 to Mon 19 May, final Thu 29 May,
// publication Tue 10 Jun.
const (
	notice     = "2025-04-14"
	day3       = "2025-04-16"
	day4       = "2025-04-17"
	day5       = "2025-04-22"
	day6       = "2025-04-23"
	fieldwork1 = "2025-04-24"
	fieldwork2 = "2025-04-25"
	draftDay   = "2025-05-12"
	finalDay   = "2025-05-29"
	pubDay     = "2025-06-10"
)

// b4 is the visit, with its notice call recorded when given is set; change
// adds to it before its plan is counted.
func b4(t *testing.T, given bool, change func(v *tasks.Visit)) tasks.Visit {
	t.Helper()
	v := tasks.Visit{Details: visit.Details{
		Visit: visit.Visit{PublicID: "v1", Reference: "FV-1", TemplateID: timeline.FocusedVisit, TemplateVersion: "2021-03-17",
			AnchorCode: timeline.CodeNotice, AnchorDate: day(notice), Status: visit.Active},
		Members: []visit.Member{
			{UserID: lead.ID, UserRole: lead.Role, Role: visit.RoleLead}, {UserID: team.ID, UserRole: team.Role, Role: visit.RoleTeam},
			{UserID: qam.ID, UserRole: qam.Role, Role: visit.RoleQAM}, {UserID: mod.ID, UserRole: mod.Role, Role: visit.RoleModerator},
			{UserID: sao.ID, UserRole: sao.Role, Role: visit.RoleSAO},
			{UserID: ceo.ID, UserRole: ceo.Role, Role: visit.RoleCafcass}, {UserID: deputy.ID, UserRole: deputy.Role, Role: visit.RoleCafcass},
		},
	}, Requested: 3}
	if given {
		v.NoticeGivenAt = day(notice).At(9, 5, 0, 0, time.UTC)
		v.Actuals = append(v.Actuals, visit.Actual{Code: timeline.CodeNotice, Date: day(notice)})
	}
	if change != nil {
		change(&v)
	}
	p, err := v.Dates(cal, time.UTC)
	if err != nil {
		t.Fatal(err)
	}
	v.Plan = p
	return v
}

// record marks steps of the plan done on their planned days.
func record(v *tasks.Visit, codes ...string) {
	dates := map[string][2]string{
		timeline.CodeFieldwork: {fieldwork1, fieldwork2}, timeline.CodeDraftLetter: {draftDay}, timeline.CodeFinalLetter: {finalDay},
		timeline.CodePublication: {pubDay},
	}
	for _, c := range codes {
		ds := dates[c]
		a := visit.Actual{Code: c, Date: day(ds[0])}
		if ds[1] != "" {
			a.To = day(ds[1])
		}
		v.Actuals = append(v.Actuals, a)
	}
}

// item is an item due on the day given.
func item(number string, k annexa.Kind, s annexa.Status, due string) tasks.Item {
	return tasks.Item{PublicID: "i" + number, Number: number, Title: "Title " + number, Kind: k, Status: s, Due: day(due)}
}

// line is a task as the tests compare it: kind, status, deadline, link.
func line(t tasks.Task) string {
	return fmt.Sprintf("%s %s %s %s", t.Kind, t.Status, t.Due, t.Href)
}

func TestFor(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		who   user.User
		today string
		v     func(t *testing.T) tasks.Visit
		want  []string
	}{
		{"lead: the notice call on its day, and the request to set up", lead, notice,
			func(t *testing.T) tasks.Visit {
				return b4(t, false, func(v *tasks.Visit) { v.Requested = 0 })
			},
			[]string{
				"record-notice due-today 2025-04-14 /visits/v1/milestones/notice/record",
				"set-up-request due-today 2025-04-14 /visits/v1/request/edit",
			}},
		{"lead: before the notice day, only the request", lead, "2025-04-09",
			func(t *testing.T) tasks.Visit { return b4(t, false, func(v *tasks.Visit) { v.Requested = 0 }) },
			[]string{"set-up-request to-do 2025-04-14 /visits/v1/request/edit"}},
		{"lead: a visit beyond the horizon asks nothing yet", lead, "2025-03-20",
			func(t *testing.T) tasks.Visit { return b4(t, false, func(v *tasks.Visit) { v.Requested = 0 }) },
			nil},
		{"lead: the notice call not recorded is overdue", lead, day3,
			func(t *testing.T) tasks.Visit { return b4(t, false, nil) },
			[]string{"record-notice overdue 2025-04-14 /visits/v1/milestones/notice/record"}},
		{"lead: submitted items to review by the off-site evaluation, and a question put to no one", lead, day3,
			func(t *testing.T) tasks.Visit {
				return b4(t, true, func(v *tasks.Visit) {
					v.Items = []tasks.Item{
						item("1.03", annexa.Document, annexa.Submitted, day5), item("CL.1", annexa.ChildList, annexa.Submitted, day3),
						item("AP.1", annexa.Custom, annexa.Submitted, "2025-06-27"),
						item("1.01", annexa.Document, annexa.NotStarted, day5), item("1.02", annexa.Document, annexa.NotHeld, day5),
					}
					v.Questions = []tasks.Question{
						{Item: item("1.15", annexa.Document, annexa.NotStarted, day5)},
						{Item: item("1.04", annexa.Document, annexa.NotStarted, day5), AddressedTo: sao.ID},
						{Item: item("1.05", annexa.Document, annexa.NotStarted, day5), Answered: true},
					}
				})
			},
			[]string{
				"answer-question to-do 2025-04-22 /visits/v1/request/items/i1.15",
				"review-item to-do 2025-04-23 /visits/v1/request/items/i1.03",
				"review-item to-do 2025-04-23 /visits/v1/request/items/iCL.1",
				"review-item to-do 2025-06-27 /visits/v1/request/items/iAP.1",
			}},
		{"analyst: lists to check, questions put to them, the sample before fieldwork", sao, day5,
			func(t *testing.T) tasks.Visit {
				return b4(t, true, func(v *tasks.Visit) {
					v.Items = []tasks.Item{item("CL.1", annexa.ChildList, annexa.Submitted, day3), item("1.03", annexa.Document, annexa.Submitted, day5)}
					v.Questions = []tasks.Question{
						{Item: item("1.04", annexa.Document, annexa.NotStarted, day5), AddressedTo: sao.ID},
						{Item: item("1.15", annexa.Document, annexa.NotStarted, day5)},
					}
					v.ChildRows = true
				})
			},
			[]string{
				"answer-question due-today 2025-04-22 /visits/v1/request/items/i1.04",
				"review-item to-do 2025-04-23 /visits/v1/request/items/iCL.1",
				"choose-sample to-do 2025-04-23 /visits/v1/child-data",
			}},
		{"analyst: a list to check after the off-site evaluation is overdue", sao, fieldwork1,
			func(t *testing.T) tasks.Visit {
				return b4(t, true, func(v *tasks.Visit) {
					v.Items = []tasks.Item{item("AL.1", annexa.AuditList, annexa.Submitted, day3)}
				})
			},
			[]string{"review-item overdue 2025-04-23 /visits/v1/request/items/iAL.1"}},
		{"analyst: nothing once the sample is released", sao, day6,
			func(t *testing.T) tasks.Visit {
				return b4(t, true, func(v *tasks.Visit) { v.ChildRows, v.SampleReleased = true, true })
			},
			nil},
		{"lead: the letter to write once fieldwork starts", lead, fieldwork2,
			func(t *testing.T) tasks.Visit { return b4(t, true, nil) },
			[]string{"write-letter to-do 2025-05-12 /visits/v1/letter/edit"}},
		{"lead: nothing of the letter before fieldwork", lead, day6,
			func(t *testing.T) tasks.Visit { return b4(t, true, nil) },
			nil},
		{"lead: a letter returned by QA, late", lead, "2025-05-13",
			func(t *testing.T) tasks.Visit {
				return b4(t, true, func(v *tasks.Visit) {
					record(v, timeline.CodeFieldwork)
					v.Letter = letter.Letter{ID: 1, State: letter.Returned, CurrentVersion: 1}
				})
			},
			[]string{"write-letter overdue 2025-05-12 /visits/v1/letter"}},
		{"lead: an approved letter to send", lead, "2025-05-09",
			func(t *testing.T) tasks.Visit {
				return b4(t, true, func(v *tasks.Visit) {
					record(v, timeline.CodeFieldwork)
					v.Letter = letter.Letter{ID: 1, State: letter.Approved, CurrentVersion: 2, ApprovedVersion: 2}
				})
			},
			[]string{"send-draft to-do 2025-05-12 /visits/v1/letter"}},
		{"lead: comments to answer before the final", lead, "2025-05-21",
			func(t *testing.T) tasks.Visit {
				return b4(t, true, func(v *tasks.Visit) {
					record(v, timeline.CodeFieldwork, timeline.CodeDraftLetter)
					v.Letter = letter.Letter{ID: 1, State: letter.DraftSent, CurrentVersion: 2, ApprovedVersion: 2, SentDraftVersion: 2}
					v.LetterFacts.Unanswered = 2
					v.CommentsSubmitted = true
				})
			},
			[]string{"respond-comments to-do 2025-05-29 /visits/v1/letter/comments"}},
		{"lead: the final to send once the window closed and comments are answered", lead, "2025-05-21",
			func(t *testing.T) tasks.Visit {
				return b4(t, true, func(v *tasks.Visit) {
					record(v, timeline.CodeFieldwork, timeline.CodeDraftLetter)
					v.Letter = letter.Letter{ID: 1, State: letter.DraftSent, CurrentVersion: 2, ApprovedVersion: 2, SentDraftVersion: 2}
				})
			},
			[]string{"send-final to-do 2025-05-29 /visits/v1/letter"}},
		{"lead: not the final while the window is open", lead, "2025-05-19",
			func(t *testing.T) tasks.Visit {
				return b4(t, true, func(v *tasks.Visit) {
					record(v, timeline.CodeFieldwork, timeline.CodeDraftLetter)
					v.Letter = letter.Letter{ID: 1, State: letter.DraftSent, CurrentVersion: 2, ApprovedVersion: 2, SentDraftVersion: 2}
				})
			},
			nil},
		{"lead: the summary for children to write once the final is sent", lead, "2025-06-02",
			func(t *testing.T) tasks.Visit {
				return b4(t, true, func(v *tasks.Visit) {
					record(v, timeline.CodeFieldwork, timeline.CodeDraftLetter, timeline.CodeFinalLetter)
					v.Letter = letter.Letter{ID: 1, State: letter.FinalSent, CurrentVersion: 2, ApprovedVersion: 2, SentDraftVersion: 2,
						FinalVersion: 2, FinalSentAt: day(finalDay).At(10, 0, 0, 0, time.UTC)}
				})
			},
			[]string{"write-summary to-do 2025-06-10 /visits/v1/letter/children-summary"}},
		{"lead: no task once the summary is written", lead, "2025-06-02",
			func(t *testing.T) tasks.Visit {
				return b4(t, true, func(v *tasks.Visit) {
					record(v, timeline.CodeFieldwork, timeline.CodeDraftLetter, timeline.CodeFinalLetter)
					v.Letter = letter.Letter{ID: 1, State: letter.FinalSent, CurrentVersion: 2, ApprovedVersion: 2, SentDraftVersion: 2,
						FinalVersion: 2, FinalSentAt: day(finalDay).At(10, 0, 0, 0, time.UTC), ChildrenSummary: "We visited Cafcass."}
				})
			},
			nil},
		{"lead: a complaint holding publication", lead, "2025-06-11",
			func(t *testing.T) tasks.Visit {
				return b4(t, true, func(v *tasks.Visit) {
					record(v, timeline.CodeFieldwork, timeline.CodeDraftLetter, timeline.CodeFinalLetter)
					v.Letter = letter.Letter{ID: 1, State: letter.OnHold, CurrentVersion: 2, FinalVersion: 2}
					v.Complaints = []letter.Complaint{{PublicID: "c1", InTime: true}}
				})
			},
			[]string{"resolve-complaint overdue 2025-06-10 /visits/v1/letter/complaints/c1/resolve"}},
		{"lead: a deferral to decide and the chief executive to tell", lead, day3,
			func(t *testing.T) tasks.Visit {
				return b4(t, true, func(v *tasks.Visit) { v.Deferrals = []string{"d1"}; v.CEOToTell = true })
			},
			[]string{
				"record-ceo-told due-today 2025-04-16 /visits/v1/ceo-told",
				"decide-deferral to-do 2025-04-24 /visits/v1/deferrals/d1/decide",
			}},
		{"QAM: a letter waiting for QA", qam, "2025-05-06",
			func(t *testing.T) tasks.Visit {
				return b4(t, true, func(v *tasks.Visit) { v.Letter = letter.Letter{ID: 1, State: letter.InQA, CurrentVersion: 1} })
			},
			[]string{"quality-assure to-do 2025-05-12 /visits/v1/letter/qa"}},
		{"QAM: not a letter they wrote", qam, "2025-05-06",
			func(t *testing.T) tasks.Visit {
				return b4(t, true, func(v *tasks.Visit) {
					v.Letter = letter.Letter{ID: 1, State: letter.InQA, CurrentVersion: 1}
					v.LetterFacts.Authors = []int64{qam.ID}
				})
			},
			nil},
		{"moderator: not a letter waiting for QA", mod, "2025-05-06",
			func(t *testing.T) tasks.Visit {
				return b4(t, true, func(v *tasks.Visit) { v.Letter = letter.Letter{ID: 1, State: letter.InQA, CurrentVersion: 1} })
			},
			nil},
		{"moderator: a letter with a priority action awaiting moderation", mod, "2025-05-13",
			func(t *testing.T) tasks.Visit {
				return b4(t, true, func(v *tasks.Visit) {
					v.Letter = letter.Letter{ID: 1, State: letter.InModeration, CurrentVersion: 1, ApprovedVersion: 1, PriorityAction: true}
				})
			},
			[]string{"moderate overdue 2025-05-12 /visits/v1/letter/moderation"}},
		{"moderator: a priority action changed after the draft went", mod, "2025-05-20",
			func(t *testing.T) tasks.Visit {
				return b4(t, true, func(v *tasks.Visit) {
					record(v, timeline.CodeFieldwork, timeline.CodeDraftLetter)
					v.Letter = letter.Letter{ID: 1, State: letter.DraftSent, CurrentVersion: 2, ModeratedVersion: 1, SentDraftVersion: 1,
						DraftSentAt: day(draftDay).Time(time.UTC), PriorityAction: true}
				})
			},
			[]string{"moderate to-do 2025-05-29 /visits/v1/letter/moderation"}},
		{"moderator: nothing once moderated", mod, "2025-05-20",
			func(t *testing.T) tasks.Visit {
				return b4(t, true, func(v *tasks.Visit) {
					record(v, timeline.CodeFieldwork, timeline.CodeDraftLetter)
					v.Letter = letter.Letter{ID: 1, State: letter.DraftSent, CurrentVersion: 2, ModeratedVersion: 2, SentDraftVersion: 2, PriorityAction: true}
					v.LetterFacts.PriorityActionModerated = true
				})
			},
			nil},
		{"team: fieldwork coming up", team, day5,
			func(t *testing.T) tasks.Visit { return b4(t, true, nil) },
			[]string{"fieldwork upcoming 2025-04-25 /visits/v1"}},
		{"team: fieldwork under way, and the sampled cases given to them", team, fieldwork1,
			func(t *testing.T) tasks.Visit {
				return b4(t, true, func(v *tasks.Visit) {
					v.SampleReleased = true
					v.Sampled = map[int64]int{team.ID: 2, lead.ID: 1}
				})
			},
			[]string{"fieldwork in-progress 2025-04-25 /visits/v1", "sampled-cases to-do 2025-04-25 /visits/v1/case-sample"}},
		{"team: nothing after fieldwork", team, "2025-04-28",
			func(t *testing.T) tasks.Visit { return b4(t, true, nil) },
			nil},
		{"Cafcass: nothing before notice", ceo, "2025-04-09",
			func(t *testing.T) tasks.Visit {
				return b4(t, false, func(v *tasks.Visit) { v.Items = []tasks.Item{item("1.01", annexa.Document, annexa.NotStarted, day5)} })
			},
			nil},
		{"Cafcass: items due, overdue or returned, and an answer to read", deputy, day4,
			func(t *testing.T) tasks.Visit {
				return b4(t, true, func(v *tasks.Visit) {
					v.Items = []tasks.Item{
						item("AL.1", annexa.AuditList, annexa.NotStarted, day3), item("CL.1", annexa.ChildList, annexa.Returned, day3),
						item("1.01", annexa.Document, annexa.InProgress, day5), item("1.03", annexa.Document, annexa.Submitted, day5),
						item("1.02", annexa.Document, annexa.NotHeld, day5),
					}
					v.Questions = []tasks.Question{
						{Item: item("AL.1", annexa.AuditList, annexa.NotStarted, day3), Answered: true},
						{Item: item("1.03", annexa.Document, annexa.Submitted, day5), Answered: true},
					}
				})
			},
			[]string{
				"send-item overdue 2025-04-16 /visits/v1/request/items/iAL.1",
				"send-item overdue 2025-04-16 /visits/v1/request/items/iCL.1",
				"read-answer to-do 2025-04-16 /visits/v1/request/items/iAL.1",
				"send-item to-do 2025-04-22 /visits/v1/request/items/i1.01",
			}},
		{"Cafcass: the draft to comment on while the window is open", ceo, "2025-05-19",
			func(t *testing.T) tasks.Visit {
				return b4(t, true, func(v *tasks.Visit) {
					record(v, timeline.CodeFieldwork, timeline.CodeDraftLetter)
					v.Letter = letter.Letter{ID: 1, State: letter.DraftSent, CurrentVersion: 1, SentDraftVersion: 1}
				})
			},
			[]string{"comment-on-draft open 2025-05-19 /visits/v1/letter/draft"}},
		{"Cafcass: the window closed is no task, never an overdue one", ceo, "2025-05-20",
			func(t *testing.T) tasks.Visit {
				return b4(t, true, func(v *tasks.Visit) {
					record(v, timeline.CodeFieldwork, timeline.CodeDraftLetter)
					v.Letter = letter.Letter{ID: 1, State: letter.DraftSent, CurrentVersion: 1, SentDraftVersion: 1}
				})
			},
			nil},
		{"Cafcass: nothing more once its comments are in", ceo, "2025-05-15",
			func(t *testing.T) tasks.Visit {
				return b4(t, true, func(v *tasks.Visit) {
					record(v, timeline.CodeFieldwork, timeline.CodeDraftLetter)
					v.Letter = letter.Letter{ID: 1, State: letter.DraftSent, CurrentVersion: 1, SentDraftVersion: 1}
					v.CommentsSubmitted = true
				})
			},
			nil},
		{"a cancelled visit asks nothing", lead, notice,
			func(t *testing.T) tasks.Visit {
				return b4(t, false, func(v *tasks.Visit) { v.Requested = 0; v.Status = visit.Cancelled })
			},
			nil},
		{"administrator: no visit's tasks", admin, notice,
			func(t *testing.T) tasks.Visit { return b4(t, false, func(v *tasks.Visit) { v.Requested = 0 }) },
			nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got := tasks.For(tasks.Input{User: c.who, Today: day(c.today), Calendar: cal, Visits: []tasks.Visit{c.v(t)}})
			var lines []string
			for _, task := range got {
				lines = append(lines, line(task))
				if task.Visit != "FV-1" || task.VisitHref != "/visits/v1" || task.What == "" {
					t.Errorf("task %+v: visit or words missing", task)
				}
			}
			if diff := cmp.Diff(c.want, lines); diff != "" {
				t.Errorf("tasks (-want +got):\n%s", diff)
			}
		})
	}
}

// TestForService: an administrator's tasks of the service itself.
func TestForService(t *testing.T) {
	t.Parallel()
	got := tasks.For(tasks.Input{User: admin, Today: day(notice), Calendar: cal, Service: tasks.Service{FailedJobs: 2, LockedAccounts: 1, FailedMessages: 3}})
	var lines []string
	for _, task := range got {
		lines = append(lines, fmt.Sprintf("%s %s %s", task.Kind, task.Href, task.What))
	}
	want := []string{
		"failed-jobs /admin/jobs 2 scheduled jobs have failed: see what went wrong",
		"failed-messages /admin/messages?status=failed 3 emails were not delivered: retry from the Messages page",
		"locked-accounts #locked-accounts 1 account is locked after too many wrong passwords",
	}
	if diff := cmp.Diff(want, lines); diff != "" {
		t.Errorf("tasks (-want +got):\n%s", diff)
	}
	if got := tasks.For(tasks.Input{User: lead, Today: day(notice), Calendar: cal, Service: tasks.Service{FailedJobs: 2}}); len(got) != 0 {
		t.Errorf("a lead inspector is given the service's tasks: %v", got)
	}
}

// TestForOrder: overdue first, then by deadline, across visits.
func TestForOrder(t *testing.T) {
	t.Parallel()
	early := b4(t, false, func(v *tasks.Visit) { v.Reference, v.PublicID = "FV-2", "v2" })
	later := b4(t, false, func(v *tasks.Visit) {
		v.AnchorDate = day("2025-04-28")
		v.Requested = 0
	})
	got := tasks.For(tasks.Input{User: lead, Today: day(day3), Calendar: cal, Visits: []tasks.Visit{later, early}})
	var order []string
	for _, task := range got {
		order = append(order, task.Visit+" "+string(task.Kind)+" "+string(task.Status))
	}
	want := []string{"FV-2 record-notice overdue", "FV-1 set-up-request to-do"}
	if !slices.Equal(order, want) {
		t.Errorf("order %q, want %q", order, want)
	}
}

// TestOpenVisit: which visits may still ask anything of anyone.
func TestOpenVisit(t *testing.T) {
	t.Parallel()
	v := b4(t, true, nil)
	if !tasks.OpenVisit(v.Details) {
		t.Error("an active visit is not open")
	}
	record(&v, timeline.CodePublication)
	if tasks.OpenVisit(v.Details) {
		t.Error("a published visit is open")
	}
	v.PriorityAction = true
	if !tasks.OpenVisit(v.Details) {
		t.Error("a published visit with action plans to come is not open")
	}
	v.Status = visit.Cancelled
	if tasks.OpenVisit(v.Details) {
		t.Error("a cancelled visit is open")
	}
}

// TestStatus: optional windows are never overdue (DOMAIN decision 13), and
// each status reads as a tag.
func TestStatus(t *testing.T) {
	t.Parallel()
	for _, s := range []tasks.Status{tasks.Overdue, tasks.DueToday, tasks.ToDo, tasks.Upcoming, tasks.InProgress, tasks.Open} {
		if s.Label() == "" || s.Colour() == "" {
			t.Errorf("status %q has no label or colour", s)
		}
	}
	if tasks.Open.Label() == tasks.Overdue.Label() || tasks.Open.Colour() == "red" {
		t.Error("an optional window reads as overdue")
	}
}

// TestNeedsOf: the items loaded are those the rules let each side act on.
func TestNeedsOf(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		role user.Role
		want tasks.Needs
	}{
		{user.CafcassDeputy, tasks.Needs{Items: []annexa.Status{annexa.NotStarted, annexa.InProgress, annexa.Returned}, Questions: true, Answered: true}},
		{user.LeadInspector, tasks.Needs{Items: []annexa.Status{annexa.Submitted}, Questions: true}},
		{user.SAO, tasks.Needs{Items: []annexa.Status{annexa.Submitted}, Questions: true}},
		{user.QAM, tasks.Needs{}},
		{user.TeamInspector, tasks.Needs{}},
		{user.Admin, tasks.Needs{}},
	} {
		if diff := cmp.Diff(c.want, tasks.NeedsOf(c.role)); diff != "" {
			t.Errorf("%s (-want +got):\n%s", c.role, diff)
		}
	}
}

// TestWaiting: what of a visit still waits for someone once it is published.
func TestWaiting(t *testing.T) {
	t.Parallel()
	for _, c := range []struct {
		name string
		v    tasks.Visit
		want bool
	}{
		{"nothing", tasks.Visit{}, false},
		{"an item", tasks.Visit{Items: []tasks.Item{{Number: "AP.1"}}}, true},
		{"a question", tasks.Visit{Questions: []tasks.Question{{}}}, true},
		{"a comment without a response", tasks.Visit{LetterFacts: letter.Facts{Unanswered: 1}}, true},
		{"a complaint", tasks.Visit{Complaints: []letter.Complaint{{PublicID: "c"}}}, true},
		{"a deferral request", tasks.Visit{Deferrals: []string{"d"}}, true},
		{"the chief executive to tell", tasks.Visit{Details: visit.Details{Visit: visit.Visit{CEOToTell: true}}}, true},
	} {
		if got := tasks.Waiting(c.v); got != c.want {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

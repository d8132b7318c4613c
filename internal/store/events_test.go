package store_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/pressly/goose/v3"

	"github.com/ofsted/focusedvisits/internal/dbtest"
	"github.com/ofsted/focusedvisits/internal/feedback"
	"github.com/ofsted/focusedvisits/internal/history"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
	"github.com/ofsted/focusedvisits/migrations"
)

// TestEventsAreStructured: the store records what happened as a kind and
// its params (dates as ISO dates, names as they were), never words: the
// words come from the history's table when the history is read (issue 11,
// item 6).
func TestEventsAreStructured(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	pool := dbtest.New(t)
	st := store.New(pool)
	lead, err := st.CreateUser(ctx, user.New{Email: "lead@example.gov.uk", Name: "Lee Lead", Role: user.LeadInspector}, "x")
	if err != nil {
		t.Fatal(err)
	}
	notice := workday.NewDate(2025, 5, 12)
	id, err := st.CreateVisit(ctx, store.NewVisit{TemplateID: timeline.FocusedVisit, TemplateVersion: "2021-03-17", AnchorCode: timeline.CodeNotice,
		AnchorDate: notice, Members: []visit.Member{{UserID: lead.ID, Role: visit.RoleLead}}}, lead)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.RecordActual(ctx, id, 0, visit.Actual{Code: timeline.CodeNotice, Date: notice, Time: "09:30"}, "Notice call to the Cafcass chief executive", lead); err != nil {
		t.Fatal(err)
	}
	if err := st.SetOverride(ctx, id, 0, visit.Override{Code: timeline.CodeFieldwork, Date: notice.AddDays(9), To: notice.AddDays(10), Reason: "Inspector on leave"},
		"Fieldwork", history.Days(notice.AddDays(8), notice.AddDays(9)), lead); err != nil {
		t.Fatal(err)
	}
	if err := st.CancelVisit(ctx, id, 0, visit.Cancellation{Reason: "Stood down", Note: "Internal"}, lead); err != nil {
		t.Fatal(err)
	}

	rows, err := pool.Query(ctx, `SELECT kind, params, action || field || old_value || new_value || detail FROM visit_events WHERE visit_id = $1 ORDER BY id`, id)
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	var params []string
	for rows.Next() {
		var kind, text string
		var p []byte
		if err := rows.Scan(&kind, &p, &text); err != nil {
			t.Fatal(err)
		}
		kinds, params = append(kinds, kind), append(params, string(p))
		if !history.Known(history.Kind(kind)) {
			t.Errorf("kind %q has no words", kind)
		}
		if text != "" {
			t.Errorf("%s stored words: %q", kind, text)
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	// Recording the notice call makes the code for children's feedback.
	want := []string{"visit.created", "visit.step_recorded", "feedback.code_made", "visit.date_set", "visit.cancelled", "visit.cancel_note"}
	if strings.Join(kinds, " ") != strings.Join(want, " ") {
		t.Fatalf("kinds %q, want %q", kinds, want)
	}
	var recorded, set map[string]any
	if err := json.Unmarshal([]byte(params[1]), &recorded); err != nil {
		t.Fatal(err)
	}
	if recorded["milestone"] != "notice" || recorded["time"] != "09:30" || recorded["dates"].(map[string]any)["from"] != "2025-05-12" {
		t.Errorf("recorded as done: %s", params[1])
	}
	if err := json.Unmarshal([]byte(params[3]), &set); err != nil {
		t.Fatal(err)
	}
	if set["reason"] != "Inspector on leave" || set["old_dates"].(map[string]any)["from"] != "2025-05-20" || set["dates"].(map[string]any)["to"] != "2025-05-22" {
		t.Errorf("date set by hand: %s", params[3])
	}

	// A reason is found by its kind and params (as cmd/faulttest finds
	// the reasons of the overrides it made).
	var reason string
	if err := pool.QueryRow(ctx, `SELECT params->>'reason' FROM visit_events WHERE kind = $1 AND params->>'reason' LIKE $2`,
		history.VisitDateSet, "Inspector%").Scan(&reason); err != nil || reason != "Inspector on leave" {
		t.Errorf("reason %q, %v", reason, err)
	}

	// The words are the history's, newest first.
	events, err := st.ListEvents(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, e := range events {
		w := e.Words()
		lines = append(lines, strings.Join([]string{w.Action, w.Field, w.Old, w.New, w.Detail}, "|"))
		if e.UserName != lead.Name {
			t.Errorf("%s by %q", e.Kind, e.UserName)
		}
	}
	code, err := st.GetFeedbackCode(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	wantLines := []string{
		"Internal note on the cancellation||||Not shown to Cafcass: Internal",
		"Visit cancelled|Status|Active|Cancelled|Reason shown to Cafcass: Stood down",
		"Date set by hand|Fieldwork|Tue 20 to Wed 21 May 2025|Wed 21 to Thu 22 May 2025|Reason: Inspector on leave",
		"Feedback code made|||" + feedback.FormatCode(code.Code) + "|Cafcass passes it on to children and young people, who use it to give feedback anonymously",
		"Recorded as done|Notice call to the Cafcass chief executive||Mon 12 May 2025 at 09:30|",
		fmt.Sprintf("Visit created|||FV-2025-%04d|Planned from the notice day, Mon 12 May 2025", id),
	}
	if strings.Join(lines, "\n") != strings.Join(wantLines, "\n") {
		t.Errorf("history:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(wantLines, "\n"))
	}
}

// TestEventsBeforeKinds: lines recorded before migration 00026 keep their
// words and are shown as they were stored, beside the lines recorded since;
// rolling the migration back and forward again loses none of them.
func TestEventsBeforeKinds(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	url := dbtest.URL(t)
	pool, err := pgxpool.New(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	st := store.New(pool)
	lead, err := st.CreateUser(ctx, user.New{Email: "lead@example.gov.uk", Name: "Lee Lead", Role: user.LeadInspector}, "x")
	if err != nil {
		t.Fatal(err)
	}
	id, err := st.CreateVisit(ctx, store.NewVisit{TemplateID: timeline.FocusedVisit, TemplateVersion: "2021-03-17", AnchorCode: timeline.CodeNotice,
		AnchorDate: workday.NewDate(2025, 5, 12)}, lead)
	if err != nil {
		t.Fatal(err)
	}

	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p, err := goose.NewProvider(goose.DialectPostgres, db, migrations.FS)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.DownTo(ctx, 25); err != nil {
		t.Fatalf("down to 25: %v", err)
	}
	// A line as the service wrote them before kinds.
	if _, err := pool.Exec(ctx, `INSERT INTO visit_events (visit_id, user_id, action, field, old_value, new_value, detail)
		VALUES ($1, $2, 'Case added to the sample', '', '', 'Case C1, child K1', 'Inspector: Lee Lead')`, id, lead.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatalf("up again: %v", err)
	}
	pool.Reset() // the connections cached the old table's row type
	if err := st.ReleaseSample(ctx, id, lead); err != nil {
		t.Fatal(err)
	}
	events, err := st.ListEvents(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if len(events) != 3 {
		t.Fatalf("%d events, want the creation, the old line and the release", len(events))
	}
	old := events[1]
	if old.Kind != history.Legacy || !old.NamesChildCase() ||
		old.Words() != (history.Line{Action: "Case added to the sample", New: "Case C1, child K1", Detail: "Inspector: Lee Lead"}) {
		t.Errorf("old line: %+v, words %+v", old, old.Words())
	}
	if w := events[0].Words(); events[0].Kind != history.SampleReleased || w.Action != "Case sample released to Cafcass" {
		t.Errorf("new line: %+v", events[0])
	}
	// The creation was recorded with a kind: rolled back, it keeps no
	// words, but the old line keeps its own.
	if _, err := p.DownTo(ctx, 25); err != nil {
		t.Fatalf("down to 25 again: %v", err)
	}
	var n int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM visit_events WHERE visit_id = $1 AND action = 'Case added to the sample'`, id).Scan(&n); err != nil || n != 1 {
		t.Errorf("old lines after rolling back: %d, %v", n, err)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatalf("up: %v", err)
	}
}

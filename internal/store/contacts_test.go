package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/fieldwork"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// TestContacts: a child's contact rests on the standing agreement of its
// case (one withdrawn since is ErrConflict and records nothing), and the
// retention purge removes every contact and both checks, counting them.
func TestContacts(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newCDFixture(t)
	if l, _ := f.importCSV(t, cdCSV(3)); !l.Accepted() {
		t.Fatal("list not accepted")
	}
	if err := f.st.AddToSample(ctx, f.visit, "C0000000", "K0", "Long case", f.inspector.ID, f.lead); err != nil {
		t.Fatal(err)
	}
	sample, err := f.st.ListSample(ctx, f.visit)
	if err != nil {
		t.Fatal(err)
	}
	day := workday.NewDate(2025, 10, 22)
	parent := fieldwork.Contact{SamplePublicID: sample[0].PublicID, Who: "parent", Description: "Mother", Mode: "phone", HeldOn: day,
		InspectorID: f.inspector.ID, Said: "Happy for us to talk to her daughter", Agreement: "agreed"}
	if err := f.st.AddContact(ctx, f.visit, parent, "", f.inspector); err != nil {
		t.Fatal(err)
	}
	contacts, err := f.st.ListContacts(ctx, f.visit)
	if err != nil || len(contacts) != 1 {
		t.Fatalf("contacts: %v %v", contacts, err)
	}
	child := fieldwork.Contact{SamplePublicID: sample[0].PublicID, Who: "child", Description: "Child, 11", Mode: "video", HeldOn: day,
		InspectorID: f.inspector.ID, Said: "My guardian listened to me"}
	if err := f.st.AddContact(ctx, f.visit, child, contacts[0].PublicID, f.inspector); err != nil {
		t.Fatal(err)
	}
	withdrawn := parent
	withdrawn.HeldOn, withdrawn.Agreement, withdrawn.Said = day.AddDays(1), "withdrawn", "Changed her mind"
	if err := f.st.AddContact(ctx, f.visit, withdrawn, "", f.inspector); err != nil {
		t.Fatal(err)
	}
	later := child
	later.HeldOn = day.AddDays(1)
	if err := f.st.AddContact(ctx, f.visit, later, contacts[0].PublicID, f.inspector); err != store.ErrConflict {
		t.Fatalf("child contact after the agreement was withdrawn: %v, want ErrConflict", err)
	}
	contacts, err = f.st.ListContacts(ctx, f.visit)
	if err != nil || len(contacts) != 3 || contacts[1].Who != "child" || contacts[1].AgreementPublicID != contacts[0].PublicID {
		t.Fatalf("contacts: %+v %v", contacts, err)
	}
	if err := f.st.AddViewsCheck(ctx, f.visit, fieldwork.ViewsCheck{SamplePublicID: sample[0].PublicID, Judgement: "well", Notes: "Her wishes are in the report"}, f.lead); err != nil {
		t.Fatal(err)
	}
	if err := f.st.AddOfficeCheck(ctx, f.visit, fieldwork.OfficeCheck{Office: "Coventry", VisitedOn: day, Items: []string{"clean", "friendly"}, Notes: "Bright room"}, f.lead); err != nil {
		t.Fatal(err)
	}
	if err := f.st.RecordActual(ctx, f.visit, 0, visit.Actual{Code: "publication", Date: workday.NewDate(2025, 11, 3)}, "Publication", f.lead); err != nil {
		t.Fatal(err)
	}
	held := func() string {
		q := func(sql string) int { return f.count(t, fmt.Sprintf(sql, f.visit)) }
		return fmt.Sprintf("contacts=%d views=%d offices=%d",
			q(`SELECT count(*) FROM family_contacts WHERE visit_id = %d`),
			q(`SELECT count(*) FROM views_checks WHERE visit_id = %d`),
			q(`SELECT count(*) FROM office_checks WHERE visit_id = %d`))
	}
	if got, want := held(), "contacts=3 views=1 offices=1"; got != want {
		t.Fatalf("before: %s, want %s", got, want)
	}
	now := time.Date(2026, 11, 10, 12, 0, 0, 0, time.UTC)
	r, err := f.st.DeleteChildData(ctx, f.visit, now.Add(-365*24*time.Hour), now, 365)
	if err != nil {
		t.Fatal(err)
	}
	if r.Contacts != 3 || r.Checks != 2 {
		t.Errorf("counted %d contacts and %d checks, want 3 and 2", r.Contacts, r.Checks)
	}
	if got, want := held(), "contacts=0 views=0 offices=0"; got != want {
		t.Fatalf("after the purge: %s, want %s", got, want)
	}
	if n := f.count(t, fmt.Sprintf(`SELECT count(*) FROM visit_events WHERE visit_id = %d AND kind = 'retention.child_data_deleted' AND (params->>'contacts')::int = 3`, f.visit)); n != 1 {
		t.Errorf("history lines counting the contacts: %d", n)
	}
}

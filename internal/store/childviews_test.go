package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// TestChildDataViews_AppendOnly: the record of who viewed children's data
// is listed newest first, a page at a time, for one visit or all; the
// database refuses to change, delete or truncate it, and it survives the
// retention job that deletes the data itself.
func TestChildDataViews_AppendOnly(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	f := newCDFixture(t)
	at := time.Date(2025, 10, 14, 9, 30, 0, 0, time.UTC)
	for i, rec := range []visit.ChildRecord{visit.ChildRowsPage, visit.ChildFile, visit.CaseSample} {
		if err := f.st.RecordChildDataView(ctx, store.NewChildDataView{VisitID: f.visit, UserID: f.inspector.ID, Role: f.inspector.Role,
			Record: rec, At: at.Add(time.Duration(i) * time.Minute)}); err != nil {
			t.Fatal(err)
		}
	}
	p, err := f.st.ListChildDataViews(ctx, store.ChildDataViewFilter{VisitID: f.visit})
	if err != nil {
		t.Fatal(err)
	}
	if p.Total != 3 || p.Pages != 1 || p.Page != 1 || len(p.Views) != 3 {
		t.Fatalf("page %+v", p)
	}
	newest := p.Views[0]
	if newest.Record != visit.CaseSample || newest.UserName != "Ted Team" || newest.Role != f.inspector.Role ||
		newest.VisitID != f.visit || newest.VisitReference == "" || !newest.At.Equal(at.Add(2*time.Minute)) {
		t.Errorf("newest view %+v", newest)
	}
	if other, err := f.st.ListChildDataViews(ctx, store.ChildDataViewFilter{VisitID: f.visit + 1}); err != nil || other.Total != 0 || other.Pages != 1 {
		t.Errorf("another visit's record: %+v, %v", other, err)
	}

	for _, sql := range []string{
		`UPDATE child_data_views SET user_id = user_id`,
		`DELETE FROM child_data_views`,
		`TRUNCATE child_data_views`,
	} {
		if _, err := f.pool.Exec(ctx, sql); err == nil {
			t.Errorf("%s: allowed", sql)
		}
	}
	// An unknown kind of record is refused.
	if err := f.st.RecordChildDataView(ctx, store.NewChildDataView{VisitID: f.visit, UserID: f.lead.ID, Role: f.lead.Role, Record: "rows", At: at}); err == nil {
		t.Error("an unknown kind of record was recorded")
	}

	// The retention job deletes the data, not the record of who saw it.
	if err := f.st.RecordActual(ctx, f.visit, 0, visit.Actual{Code: "publication", Date: workday.NewDate(2025, 11, 3)}, "Publication", f.lead); err != nil {
		t.Fatal(err)
	}
	if l, _ := f.importCSV(t, cdCSV(3)); !l.Accepted() {
		t.Fatal("list not accepted")
	}
	r, err := f.st.DeleteChildData(ctx, f.visit, time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), time.Now(), 365)
	if err != nil || r.Rows != 3 || r.Files != 1 {
		t.Fatalf("retention deleted %+v, %v", r, err)
	}
	if p, err := f.st.ListChildDataViews(ctx, store.ChildDataViewFilter{}); err != nil || p.Total != 3 {
		t.Errorf("after retention: %d views, %v", p.Total, err)
	}
}

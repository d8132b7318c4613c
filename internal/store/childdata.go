package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/ofsted/focusedvisits/internal/annexa"
	"github.com/ofsted/focusedvisits/internal/childdata"
	"github.com/ofsted/focusedvisits/internal/history"
	"github.com/ofsted/focusedvisits/internal/notify"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// ChildList is one upload of a child-level list, as checked.
type ChildList struct {
	ID, VisitID, ItemID int64
	// FileID is the stored file of an accepted list; 0 for a rejected one.
	FileID   int64
	FileName string
	Cover    childdata.DateRange
	// Status is "accepted" or "rejected".
	Status string
	// Current is the item's latest accepted list: the one the summary uses.
	Current                          bool
	RowCount, ErrorCount, QueryCount int
	CheckedAt                        time.Time
	CheckedBy                        int64
	CheckedByName                    string
	// CheckedByRole is the uploader's role: whether Cafcass sent the list.
	CheckedByRole user.Role
}

// Accepted reports whether the list was accepted.
func (l ChildList) Accepted() bool { return l.Status == "accepted" }

// NewChildList is a list about to be checked and imported.
type NewChildList struct {
	VisitID, ItemID int64
	// FileID is the list's file, staged (StageFile) and not yet committed:
	// ImportChildList commits it if the list is accepted. The caller
	// discards it otherwise.
	FileID   int64
	FileName string
	Cover    childdata.DateRange
}

// CheckFunc runs childdata.Check over the list, passing accept as
// Options.Accept.
type CheckFunc func(accept func(*childdata.Row) error) (*childdata.Result, error)

// childRowColumns are child_rows' columns in the order rowValues gives.
var childRowColumns = []string{"list_id", "row_number", "case_id", "case_name", "gender", "ethnicity", "disability",
	"date_of_birth", "lead_application", "law_type", "case_type", "practitioner", "team", "service_area",
	"local_authority", "court", "file_location", "child_id", "case_start", "case_end", "child_seen",
	"section_7_filed", "audit"}

func rowValues(listID int64, r *childdata.Row) []any {
	return []any{listID, r.Number, r.CaseID, r.CaseName, r.Gender, r.Ethnicity, r.Disability,
		pgDate(r.DateOfBirth), r.LeadApplication, r.LawType, r.CaseType, r.Practitioner, r.Team, r.ServiceArea,
		r.LocalAuthority, r.Court, r.FileLocation, r.ChildID, pgDate(r.CaseStart), pgDate(r.CaseEnd), r.ChildSeen,
		r.Section7Filed, r.Audit}
}

// errCopyStopped tells the checker that the copy has stopped taking rows.
var errCopyStopped = errors.New("store: copy stopped")

// importLockWait is how long an import waits for another change to its item
// (usually another import) to finish before giving up with ErrConflict.
const importLockWait = "2s"

// ImportChildList checks a list and stores the outcome in one transaction.
// It first locks the item, waiting at most importLockWait (ErrConflict when
// another list is being imported to it), and refuses with
// annexa.ErrFilesFrozen a list that by may not upload now. Rows are copied in (COPY) as check accepts them, inside a savepoint; at
// the end an accepted list keeps them, becomes its item's current list
// (the rows of the list it replaces are deleted), commits its file and sets
// the item's dates covered; a list with errors is rolled back to no rows at
// all and stored as rejected with its issues (the first 1,000 of each
// kind). An error from check or the database stores nothing.
func (s *Store) ImportChildList(ctx context.Context, n NewChildList, check CheckFunc, by user.User) (ChildList, *childdata.Result, error) {
	var list ChildList
	var res *childdata.Result
	err := s.WithTx(ctx, func(tx *Store) error {
		outer, ok := tx.db.(pgx.Tx)
		if !ok {
			return errors.New("store: import child list needs a transaction")
		}
		// The item first, before anything else is locked: two imports to
		// one item then queue here instead of deadlocking later. One that
		// waits longer than importLockWait (another list is being
		// checked) gives up with ErrConflict.
		if _, err := tx.db.Exec(ctx, `SELECT set_config('lock_timeout', $1, true)`, importLockWait); err != nil {
			return fmt.Errorf("store: import child list: %w", err)
		}
		it, err := tx.lockItem(ctx, n.VisitID, n.ItemID)
		if isLockNotAvailable(err) {
			return ErrConflict
		}
		if err != nil {
			return err
		}
		if _, err := tx.db.Exec(ctx, `SET LOCAL lock_timeout TO DEFAULT`); err != nil {
			return fmt.Errorf("store: import child list: %w", err)
		}
		if it.Kind != annexa.ChildList {
			return ErrNotFound
		}
		if err := annexa.CheckFiles(annexa.SideOf(by.Role.IsCafcass()), it.Status); err != nil {
			return err
		}
		err = tx.db.QueryRow(ctx, `
			INSERT INTO child_lists (visit_id, item_id, file_name, covers_from, covers_to, status, checked_by)
			VALUES ($1, $2, $3, $4, $5, 'accepted', $6)
			RETURNING id, checked_at`, n.VisitID, n.ItemID, n.FileName, pgDate(n.Cover.From), pgDate(n.Cover.To), by.ID).
			Scan(&list.ID, &list.CheckedAt)
		if err != nil {
			return fmt.Errorf("store: import child list on item %d: %w", n.ItemID, err)
		}
		sp, err := outer.Begin(ctx)
		if err != nil {
			return fmt.Errorf("store: import child list: %w", err)
		}
		defer sp.Rollback(ctx) // after Commit, a no-op
		res, err = copyRows(ctx, sp, list.ID, check)
		if err != nil {
			return err
		}
		list.VisitID, list.ItemID, list.FileName, list.Cover = n.VisitID, n.ItemID, n.FileName, n.Cover
		list.RowCount, list.ErrorCount, list.QueryCount = res.Rows, res.ErrorCount, res.QueryCount
		list.CheckedBy, list.CheckedByName = by.ID, by.Name
		if !res.Accepted() {
			if err := sp.Rollback(ctx); err != nil {
				return fmt.Errorf("store: import child list: %w", err)
			}
			list.Status = "rejected"
			if list.ErrorCount == 0 {
				list.ErrorCount = 1 // an empty list: childdata reports it as an error
			}
			return tx.rejectList(ctx, list, res, by)
		}
		if err := sp.Commit(ctx); err != nil {
			return fmt.Errorf("store: import child list: %w", err)
		}
		list.Status, list.Current, list.FileID = "accepted", true, n.FileID
		return tx.acceptList(ctx, list, res, by)
	})
	if err != nil {
		return ChildList{}, nil, err
	}
	return list, res, nil
}

// copyRows runs check in a goroutine and copies the rows it accepts into
// child_rows as they come.
func copyRows(ctx context.Context, tx pgx.Tx, listID int64, check CheckFunc) (*childdata.Result, error) {
	rows := make(chan []any, 256)
	stop := make(chan struct{})
	var res *childdata.Result
	var checkErr error
	go func() {
		defer close(rows)
		defer func() {
			if p := recover(); p != nil {
				checkErr = fmt.Errorf("store: child list check panicked: %v", p)
			}
		}()
		res, checkErr = check(func(r *childdata.Row) error {
			select {
			case rows <- rowValues(listID, r):
				return nil
			case <-stop:
				return errCopyStopped
			}
		})
	}()
	_, copyErr := tx.CopyFrom(ctx, pgx.Identifier{"child_rows"}, childRowColumns, pgx.CopyFromFunc(func() ([]any, error) {
		v, ok := <-rows
		if !ok {
			return nil, nil
		}
		return v, nil
	}))
	close(stop)
	for range rows { // wait for the checker to finish
	}
	switch {
	case checkErr != nil && !errors.Is(checkErr, errCopyStopped):
		return nil, fmt.Errorf("store: check child list: %w", checkErr)
	case copyErr != nil:
		return nil, fmt.Errorf("store: copy child rows: %w", copyErr)
	case checkErr != nil:
		return nil, checkErr
	}
	return res, nil
}

func (s *Store) rejectList(ctx context.Context, l ChildList, res *childdata.Result, by user.User) error {
	_, err := s.db.Exec(ctx, `UPDATE child_lists SET status = 'rejected', row_count = $2, error_count = $3, query_count = $4 WHERE id = $1`,
		l.ID, l.RowCount, l.ErrorCount, l.QueryCount)
	if err != nil {
		return fmt.Errorf("store: reject child list %d: %w", l.ID, err)
	}
	if err := s.saveIssues(ctx, l.ID, res); err != nil {
		return err
	}
	if err := s.addEvent(ctx, l.VisitID, by.ID, history.Event{Kind: history.ChildListRejected,
		Params: history.Params{File: l.FileName, Rows: l.RowCount, Errors: l.ErrorCount, Queries: l.QueryCount}}); err != nil {
		return err
	}
	return s.tellListChecked(ctx, l, false, by)
}

// tellListChecked tells who sent a child-level list how its check went:
// the counts, never a row (DOMAIN decision 19).
func (s *Store) tellListChecked(ctx context.Context, l ChildList, accepted bool, by user.User) error {
	return s.tellItem(ctx, l.VisitID, l.ItemID, func(a notify.About, it notify.Item) []notify.Message {
		return a.ChildListChecked(it, recipientOf(by), accepted, l.RowCount, l.ErrorCount, l.QueryCount)
	})
}

func (s *Store) acceptList(ctx context.Context, l ChildList, res *childdata.Result, by user.User) error {
	// The list it replaces loses its rows: only the current list's are kept.
	_, err := s.db.Exec(ctx, `
		WITH old AS (UPDATE child_lists SET is_current = false WHERE item_id = $1 AND is_current RETURNING id)
		DELETE FROM child_rows WHERE list_id IN (SELECT id FROM old)`, l.ItemID)
	if err != nil {
		return fmt.Errorf("store: replace child list of item %d: %w", l.ItemID, err)
	}
	var fileID *int64
	if l.FileID != 0 {
		if _, err := s.CommitFiles(ctx, l.VisitID, []int64{l.FileID}, by); err != nil {
			return err
		}
		fileID = &l.FileID
	}
	_, err = s.db.Exec(ctx, `
		UPDATE child_lists SET is_current = true, file_id = $2, row_count = $3, error_count = 0, query_count = $4 WHERE id = $1`,
		l.ID, fileID, l.RowCount, l.QueryCount)
	if err != nil {
		return fmt.Errorf("store: accept child list %d: %w", l.ID, err)
	}
	if err := s.saveIssues(ctx, l.ID, res); err != nil {
		return err
	}
	if err := s.SetCoverage(ctx, l.ItemID, l.Cover.From, l.Cover.To, by); err != nil {
		return err
	}
	if err := s.addEvent(ctx, l.VisitID, by.ID, history.Event{Kind: history.ChildListAccepted,
		Params: history.Params{File: l.FileName, Rows: l.RowCount, Queries: l.QueryCount}}); err != nil {
		return err
	}
	return s.tellListChecked(ctx, l, true, by)
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	if strings.HasSuffix(word, "y") {
		return fmt.Sprintf("%d %sies", n, word[:len(word)-1])
	}
	return fmt.Sprintf("%d %ss", n, word)
}

// saveIssues stores the kept errors and queries of a list.
func (s *Store) saveIssues(ctx context.Context, listID int64, res *childdata.Result) error {
	all := append(append([]childdata.Issue(nil), res.Errors...), res.Queries...)
	if len(all) == 0 {
		return nil
	}
	i := 0
	_, err := s.db.(interface {
		CopyFrom(context.Context, pgx.Identifier, []string, pgx.CopyFromSource) (int64, error)
	}).CopyFrom(ctx, pgx.Identifier{"child_list_issues"},
		[]string{"list_id", "seq", "row_number", "col", "header", "field", "kind", "code", "message"},
		pgx.CopyFromFunc(func() ([]any, error) {
			if i >= len(all) {
				return nil, nil
			}
			is := all[i]
			i++
			return []any{listID, i, is.Row, is.Column, is.Header, is.Field, string(is.Kind), is.Code, is.Message}, nil
		}))
	if err != nil {
		return fmt.Errorf("store: save issues of child list %d: %w", listID, err)
	}
	return nil
}

const childListColumns = `l.id, l.visit_id, l.item_id, coalesce(l.file_id, 0), l.file_name, l.covers_from, l.covers_to, l.status,
	l.is_current, l.row_count, l.error_count, l.query_count, l.checked_at, l.checked_by, u.name, u.role`

func scanChildList(row pgx.CollectableRow) (ChildList, error) {
	var l ChildList
	var from, to pgtype.Date
	err := row.Scan(&l.ID, &l.VisitID, &l.ItemID, &l.FileID, &l.FileName, &from, &to, &l.Status, &l.Current,
		&l.RowCount, &l.ErrorCount, &l.QueryCount, &l.CheckedAt, &l.CheckedBy, &l.CheckedByName, &l.CheckedByRole)
	l.Cover = childdata.DateRange{From: fromPGDate(from), To: fromPGDate(to)}
	return l, err
}

// LatestChildList returns the item's most recent upload, accepted or not.
func (s *Store) LatestChildList(ctx context.Context, visitID, itemID int64) (ChildList, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+childListColumns+` FROM child_lists l JOIN users u ON u.id = l.checked_by
		WHERE l.visit_id = $1 AND l.item_id = $2 ORDER BY l.id DESC LIMIT 1`, visitID, itemID)
	l, err := pgx.CollectExactlyOneRow(rows, scanChildList)
	if err != nil {
		return ChildList{}, notFound(err, "latest child list of item %d", itemID)
	}
	return l, nil
}

// CurrentChildLists returns a visit's current (accepted) lists.
func (s *Store) CurrentChildLists(ctx context.Context, visitID int64) ([]ChildList, error) {
	rows, _ := s.db.Query(ctx, `SELECT `+childListColumns+` FROM child_lists l JOIN users u ON u.id = l.checked_by
		WHERE l.visit_id = $1 AND l.is_current ORDER BY l.item_id`, visitID)
	ls, err := pgx.CollectRows(rows, scanChildList)
	if err != nil {
		return nil, fmt.Errorf("store: current child lists of visit %d: %w", visitID, err)
	}
	return ls, nil
}

// ChildListIssues returns a list's stored errors and queries, in file order.
func (s *Store) ChildListIssues(ctx context.Context, listID int64) ([]childdata.Issue, error) {
	rows, _ := s.db.Query(ctx, `SELECT row_number, col, header, field, kind, code, message FROM child_list_issues
		WHERE list_id = $1 ORDER BY seq`, listID)
	is, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (childdata.Issue, error) {
		var i childdata.Issue
		var kind string
		err := r.Scan(&i.Row, &i.Column, &i.Header, &i.Field, &kind, &i.Code, &i.Message)
		i.Kind = childdata.IssueKind(kind)
		return i, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: issues of child list %d: %w", listID, err)
	}
	return is, nil
}

// Count is how many rows have a value.
type Count struct {
	Value string
	N     int
}

// ChildSummary summarises a visit's current child-level data.
type ChildSummary struct {
	Lists []ChildList
	Rows  int
	// By law type, case type, service area and team (team as "team|area"
	// is split into Value and Area).
	ByLaw, ByCaseType, ByServiceArea []Count
	ByTeam                           []TeamCount
	// The case start and end dates the rows span.
	FirstStart, LastStart, FirstEnd, LastEnd workday.Date
}

// TeamCount is the rows of a team, with its service area.
type TeamCount struct {
	Team, Area string
	N          int
}

// ChildDataSummary counts a visit's current rows by law type, case type,
// service area and team, with the dates covered.
func (s *Store) ChildDataSummary(ctx context.Context, visitID int64) (ChildSummary, error) {
	var sum ChildSummary
	var err error
	if sum.Lists, err = s.CurrentChildLists(ctx, visitID); err != nil {
		return sum, err
	}
	counts := func(col string) ([]Count, error) {
		rows, _ := s.db.Query(ctx, `SELECT r.`+col+`, count(*) FROM child_rows r JOIN child_lists l ON l.id = r.list_id
			WHERE l.visit_id = $1 AND l.is_current GROUP BY 1 ORDER BY 2 DESC, 1`, visitID)
		return pgx.CollectRows(rows, pgx.RowToStructByPos[Count])
	}
	if sum.ByLaw, err = counts("law_type"); err != nil {
		return sum, fmt.Errorf("store: child data summary: %w", err)
	}
	if sum.ByCaseType, err = counts("case_type"); err != nil {
		return sum, fmt.Errorf("store: child data summary: %w", err)
	}
	if sum.ByServiceArea, err = counts("service_area"); err != nil {
		return sum, fmt.Errorf("store: child data summary: %w", err)
	}
	rows, _ := s.db.Query(ctx, `SELECT r.team, r.service_area, count(*) FROM child_rows r JOIN child_lists l ON l.id = r.list_id
		WHERE l.visit_id = $1 AND l.is_current GROUP BY 1, 2 ORDER BY 3 DESC, 1, 2`, visitID)
	if sum.ByTeam, err = pgx.CollectRows(rows, pgx.RowToStructByPos[TeamCount]); err != nil {
		return sum, fmt.Errorf("store: child data summary: %w", err)
	}
	var a, b, c, d pgtype.Date
	err = s.db.QueryRow(ctx, `SELECT count(*), min(r.case_start), max(r.case_start), min(r.case_end), max(r.case_end)
		FROM child_rows r JOIN child_lists l ON l.id = r.list_id WHERE l.visit_id = $1 AND l.is_current`, visitID).
		Scan(&sum.Rows, &a, &b, &c, &d)
	if err != nil {
		return sum, fmt.Errorf("store: child data summary: %w", err)
	}
	sum.FirstStart, sum.LastStart, sum.FirstEnd, sum.LastEnd = fromPGDate(a), fromPGDate(b), fromPGDate(c), fromPGDate(d)
	return sum, nil
}

// ChildRowsPerPage is the size of a page of rows.
const ChildRowsPerPage = 50

// ChildRowSorts are the columns rows may be sorted by, by name.
var ChildRowSorts = map[string]string{
	"case": "r.case_id", "child": "r.child_id", "name": "r.case_name", "dob": "r.date_of_birth",
	"law": "r.law_type", "type": "r.case_type", "practitioner": "r.practitioner", "team": "r.team",
	"area": "r.service_area", "start": "r.case_start", "end": "r.case_end",
}

// ChildRowFilter chooses and orders rows. Blank filters match everything.
type ChildRowFilter struct {
	LawType, CaseType, ServiceArea, Team string
	// Search finds case IDs containing it (any case).
	Search string
	// Sort is a key of ChildRowSorts ("" is case ID); Desc reverses it.
	Sort string
	Desc bool
	// Page counts from 1.
	Page int
}

// ChildRow is a stored row, with whether its case is in the sample.
type ChildRow struct {
	childdata.Row
	ListID  int64
	Sampled bool
}

// ChildRowPage is one page of rows.
type ChildRowPage struct {
	Rows  []ChildRow
	Total int
	Page  int
	Pages int
}

// ListChildRows returns a page of a visit's current rows, filtered and
// sorted.
func (s *Store) ListChildRows(ctx context.Context, visitID int64, f ChildRowFilter) (ChildRowPage, error) {
	where := []string{"l.visit_id = $1", "l.is_current"}
	args := []any{visitID}
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, fmt.Sprintf(cond, len(args)))
	}
	if f.LawType != "" {
		add("r.law_type = $%d", f.LawType)
	}
	if f.CaseType != "" {
		add("r.case_type = $%d", f.CaseType)
	}
	if f.ServiceArea != "" {
		add("r.service_area = $%d", f.ServiceArea)
	}
	if f.Team != "" {
		add("r.team = $%d", f.Team)
	}
	if q := strings.TrimSpace(f.Search); q != "" {
		add("strpos(lower(r.case_id), lower($%d)) > 0", q)
	}
	cond := strings.Join(where, " AND ")
	page := ChildRowPage{Page: max(f.Page, 1)}
	err := s.db.QueryRow(ctx, `SELECT count(*) FROM child_rows r JOIN child_lists l ON l.id = r.list_id WHERE `+cond, args...).Scan(&page.Total)
	if err != nil {
		return page, fmt.Errorf("store: count child rows of visit %d: %w", visitID, err)
	}
	page.Pages = max((page.Total+ChildRowsPerPage-1)/ChildRowsPerPage, 1)
	page.Page = min(page.Page, page.Pages)
	col, ok := ChildRowSorts[f.Sort]
	if !ok {
		col = ChildRowSorts["case"]
	}
	dir := "ASC"
	if f.Desc {
		dir = "DESC"
	}
	args = append(args, ChildRowsPerPage, (page.Page-1)*ChildRowsPerPage)
	rows, _ := s.db.Query(ctx, `
		SELECT r.list_id, r.row_number, r.case_id, r.case_name, r.gender, r.ethnicity, r.disability, r.date_of_birth,
			r.lead_application, r.law_type, r.case_type, r.practitioner, r.team, r.service_area, r.local_authority,
			r.court, r.file_location, r.child_id, r.case_start, r.case_end, r.child_seen, r.section_7_filed, r.audit,
			EXISTS (SELECT 1 FROM case_samples cs WHERE cs.visit_id = l.visit_id AND cs.case_id = r.case_id AND cs.child_id = r.child_id)
		FROM child_rows r JOIN child_lists l ON l.id = r.list_id
		WHERE `+cond+`
		ORDER BY `+col+` `+dir+` NULLS LAST, r.list_id, r.row_number
		LIMIT $`+fmt.Sprint(len(args)-1)+` OFFSET $`+fmt.Sprint(len(args)), args...)
	page.Rows, err = pgx.CollectRows(rows, scanChildRow)
	if err != nil {
		return page, fmt.Errorf("store: list child rows of visit %d: %w", visitID, err)
	}
	return page, nil
}

func scanChildRow(row pgx.CollectableRow) (ChildRow, error) {
	var r ChildRow
	var dob, start, end pgtype.Date
	err := row.Scan(&r.ListID, &r.Number, &r.CaseID, &r.CaseName, &r.Gender, &r.Ethnicity, &r.Disability, &dob,
		&r.LeadApplication, &r.LawType, &r.CaseType, &r.Practitioner, &r.Team, &r.ServiceArea, &r.LocalAuthority,
		&r.Court, &r.FileLocation, &r.ChildID, &start, &end, &r.ChildSeen, &r.Section7Filed, &r.Audit, &r.Sampled)
	r.DateOfBirth, r.CaseStart, r.CaseEnd = fromPGDate(dob), fromPGDate(start), fromPGDate(end)
	return r, err
}

// SampleCase is a case chosen for the sample.
type SampleCase struct {
	ID              int64
	PublicID        string // names the case in the sample in URLs
	CaseID, ChildID string
	// Reason is internal to Ofsted: never show it to Cafcass.
	Reason        string
	InspectorID   int64
	InspectorName string
	SelectedBy    string
	SelectedAt    time.Time
	// From the case's current row, if it still has one.
	CaseName, LawType, CaseType, Team string
	InList                            bool
}

// AddToSample adds a case of the visit's current rows to its sample, with
// the inspector who will look at it and the internal reason. A case not in
// the current rows is ErrNotFound; one already in the sample ErrConflict.
func (s *Store) AddToSample(ctx context.Context, visitID int64, caseID, childID, reason string, inspectorID int64, by user.User) error {
	return s.WithTx(ctx, func(tx *Store) error {
		var inspector string
		err := tx.db.QueryRow(ctx, `
			SELECT u.name FROM child_rows r JOIN child_lists l ON l.id = r.list_id, users u
			WHERE l.visit_id = $1 AND l.is_current AND r.case_id = $2 AND r.child_id = $3 AND u.id = $4
			LIMIT 1`, visitID, caseID, childID, inspectorID).Scan(&inspector)
		if err != nil {
			return notFound(err, "add case %s to the sample of visit %d", caseID, visitID)
		}
		_, err = tx.db.Exec(ctx, `INSERT INTO case_samples (visit_id, case_id, child_id, reason, inspector_id, selected_by)
			VALUES ($1, $2, $3, $4, $5, $6)`, visitID, caseID, childID, reason, inspectorID, by.ID)
		if isUniqueViolation(err) {
			return ErrConflict
		}
		if err != nil {
			return fmt.Errorf("store: add case %s to the sample of visit %d: %w", caseID, visitID, err)
		}
		return tx.addEvent(ctx, visitID, by.ID, history.Event{Kind: history.SampleCaseAdded,
			Params: history.Params{Case: caseID, Child: childID, Name: inspector}})
	})
}

// RemoveFromSample takes the case with the public id out of the visit's
// sample.
func (s *Store) RemoveFromSample(ctx context.Context, visitID int64, samplePublicID string, by user.User) error {
	return s.WithTx(ctx, func(tx *Store) error {
		var caseID, childID string
		err := tx.db.QueryRow(ctx, `DELETE FROM case_samples WHERE public_id = $1 AND visit_id = $2 RETURNING case_id, child_id`,
			samplePublicID, visitID).Scan(&caseID, &childID)
		if err != nil {
			return notFound(err, "remove sample case %s of visit %d", samplePublicID, visitID)
		}
		return tx.addEvent(ctx, visitID, by.ID, history.Event{Kind: history.SampleCaseRemoved, Params: history.Params{Case: caseID, Child: childID}})
	})
}

// ReleaseSample shows the visit's sample to Cafcass, from now on. Releasing
// again changes nothing.
func (s *Store) ReleaseSample(ctx context.Context, visitID int64, by user.User) error {
	return s.WithTx(ctx, func(tx *Store) error {
		tag, err := tx.db.Exec(ctx, `INSERT INTO case_sample_releases (visit_id, released_by) VALUES ($1, $2) ON CONFLICT DO NOTHING`, visitID, by.ID)
		if err != nil {
			return fmt.Errorf("store: release the sample of visit %d: %w", visitID, err)
		}
		if tag.RowsAffected() == 0 {
			return nil
		}
		return tx.addEvent(ctx, visitID, by.ID, history.Event{Kind: history.SampleReleased})
	})
}

// SampleReleased returns when the visit's sample was released, or the zero
// time.
func (s *Store) SampleReleased(ctx context.Context, visitID int64) (time.Time, error) {
	var at time.Time
	err := s.db.QueryRow(ctx, `SELECT released_at FROM case_sample_releases WHERE visit_id = $1`, visitID).Scan(&at)
	if errors.Is(err, pgx.ErrNoRows) {
		return time.Time{}, nil
	}
	if err != nil {
		return time.Time{}, fmt.Errorf("store: sample release of visit %d: %w", visitID, err)
	}
	return at, nil
}

// ListSample returns the visit's sample, by case ID.
func (s *Store) ListSample(ctx context.Context, visitID int64) ([]SampleCase, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT cs.id, cs.public_id, cs.case_id, cs.child_id, cs.reason, cs.inspector_id, i.name, b.name, cs.selected_at,
			coalesce(r.case_name, ''), coalesce(r.law_type, ''), coalesce(r.case_type, ''), coalesce(r.team, ''), r.case_id IS NOT NULL
		FROM case_samples cs
		JOIN users i ON i.id = cs.inspector_id
		JOIN users b ON b.id = cs.selected_by
		LEFT JOIN LATERAL (
			SELECT r.* FROM child_rows r JOIN child_lists l ON l.id = r.list_id
			WHERE l.visit_id = cs.visit_id AND l.is_current AND r.case_id = cs.case_id AND r.child_id = cs.child_id
			ORDER BY r.list_id, r.row_number LIMIT 1) r ON true
		WHERE cs.visit_id = $1
		ORDER BY cs.case_id, cs.child_id`, visitID)
	list, err := pgx.CollectRows(rows, pgx.RowToStructByPos[SampleCase])
	if err != nil {
		return nil, fmt.Errorf("store: sample of visit %d: %w", visitID, err)
	}
	return list, nil
}

// ChildRowCount counts the rows stored for a visit, in every list, current
// or not.
func (s *Store) ChildRowCount(ctx context.Context, visitID int64) (int, error) {
	var n int
	err := s.db.QueryRow(ctx, `SELECT count(*) FROM child_rows r JOIN child_lists l ON l.id = r.list_id WHERE l.visit_id = $1`, visitID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count child rows of visit %d: %w", visitID, err)
	}
	return n, nil
}

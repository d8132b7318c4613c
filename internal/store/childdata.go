package store

import (
	"bufio"
	"cmp"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"

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
	// Starts and Ends are the case start and end dates an accepted list's
	// rows span (zero when none has one).
	Starts, Ends childdata.DateRange
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

// childRowColumns are child_rows' columns in the order appendCopyRow writes them.
var childRowColumns = []string{"list_id", "row_number", "case_id", "case_name", "gender", "ethnicity", "disability",
	"date_of_birth", "lead_application", "law_type", "case_type", "practitioner", "team", "service_area",
	"local_authority", "court", "file_location", "child_id", "case_start", "case_end", "child_seen",
	"section_7_filed", "audit"}

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
		// The rows go into a bare table of their own, attached as the
		// list's partition of child_rows once accepted (acceptList): its
		// indexes are then built in one sort each, rather than kept up to
		// date row by row. The check constraint lets the attachment trust
		// the rows without reading them again.
		part := childRowsPartition(list.ID)
		if _, err := sp.Exec(ctx, `CREATE TABLE `+part.Sanitize()+` (LIKE child_rows INCLUDING DEFAULTS INCLUDING CONSTRAINTS)`); err != nil {
			return fmt.Errorf("store: import child list: %w", err)
		}
		if _, err := sp.Exec(ctx, fmt.Sprintf(`ALTER TABLE %s ADD CHECK (list_id = %d)`, part.Sanitize(), list.ID)); err != nil {
			return fmt.Errorf("store: import child list: %w", err)
		}
		var t tally
		res, err = copyRows(ctx, sp, part, list.ID, &t, check)
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
		list.Starts, list.Ends = t.starts, t.ends
		return tx.acceptList(ctx, list, res, &t, by)
	})
	if err != nil {
		return ChildList{}, nil, err
	}
	return list, res, nil
}

// childRowsPartition is the table of a list's rows: its partition of
// child_rows.
func childRowsPartition(listID int64) pgx.Identifier {
	return pgx.Identifier{fmt.Sprintf("child_rows_%d", listID)}
}

// tally is the summary of a list's rows, counted as they are copied in:
// the rows of each combination of law type, case type, service area and
// team, and the case dates they span. Its size grows with the number of
// combinations, not of rows.
type tally struct {
	cells        map[ChildCell]int
	starts, ends childdata.DateRange
}

func (t *tally) add(r *childdata.Row) {
	if t.cells == nil {
		t.cells = map[ChildCell]int{}
	}
	t.cells[ChildCell{LawType: r.LawType, CaseType: r.CaseType, ServiceArea: r.ServiceArea, Team: r.Team}]++
	widen(&t.starts, r.CaseStart)
	widen(&t.ends, r.CaseEnd)
}

func widen(r *childdata.DateRange, d workday.Date) {
	if d.IsZero() {
		return
	}
	if r.From.IsZero() || d.Before(r.From) {
		r.From = d
	}
	if r.To.IsZero() || d.After(r.To) {
		r.To = d
	}
}

// copyRows runs check in a goroutine and copies the rows it accepts into
// the table part as they come, counting them into t. The rows are written
// as COPY's text format into a pipe that PostgreSQL reads from, through a
// buffer of copyBufferSize bytes: memory is bounded by that buffer, not by
// the number of rows, and no row is held once written.
//
// The copy is FREEZE: part was created in this (sub)transaction, so its
// rows are written already frozen and visible to all, and the indexes built
// when it is attached, ANALYZE and the first pages read it without setting
// hint bits on every page (a second write of the whole table).
func copyRows(ctx context.Context, tx pgx.Tx, part pgx.Identifier, listID int64, t *tally, check CheckFunc) (*childdata.Result, error) {
	pr, pw := io.Pipe()
	var res *childdata.Result
	var checkErr error
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer func() {
			if p := recover(); p != nil {
				checkErr = fmt.Errorf("store: child list check panicked: %v", p)
			}
			// The copy ends here: at the end of the rows, or with the
			// check's error (COPY then fails and nothing is kept).
			if checkErr != nil {
				pw.CloseWithError(checkErr)
			} else {
				pw.Close()
			}
		}()
		w := bufio.NewWriterSize(pw, copyBufferSize)
		line := make([]byte, 0, 512)
		res, checkErr = check(func(r *childdata.Row) error {
			t.add(r)
			line = appendCopyRow(line[:0], listID, r)
			_, err := w.Write(line)
			return err
		})
		if checkErr == nil {
			checkErr = w.Flush()
		}
	}()
	sql := fmt.Sprintf(`COPY %s (%s) FROM STDIN WITH (FREEZE)`, part.Sanitize(), strings.Join(childRowColumns, ", "))
	_, copyErr := tx.Conn().PgConn().CopyFrom(ctx, pr, sql)
	// The copy has stopped reading: a checker still writing gets an error
	// and stops.
	pr.CloseWithError(errCopyStopped)
	<-done
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

// copyBufferSize is how many bytes of rows are written to the database at
// a time.
const copyBufferSize = 64 << 10

// appendCopyRow appends a row as a line of COPY's text format, its values
// in the order of childRowColumns.
func appendCopyRow(b []byte, listID int64, r *childdata.Row) []byte {
	b = strconv.AppendInt(b, listID, 10)
	b = append(b, '\t')
	b = strconv.AppendInt(b, int64(r.Number), 10)
	for _, s := range [...]string{r.CaseID, r.CaseName, r.Gender, r.Ethnicity} {
		b = appendCopyText(append(b, '\t'), s)
	}
	b = appendCopyBool(append(b, '\t'), r.Disability)
	b = appendCopyDate(append(b, '\t'), r.DateOfBirth)
	for _, s := range [...]string{r.LeadApplication, r.LawType, r.CaseType, r.Practitioner, r.Team, r.ServiceArea,
		r.LocalAuthority, r.Court, r.FileLocation, r.ChildID} {
		b = appendCopyText(append(b, '\t'), s)
	}
	b = appendCopyDate(append(b, '\t'), r.CaseStart)
	b = appendCopyDate(append(b, '\t'), r.CaseEnd)
	for _, v := range [...]*bool{r.ChildSeen, r.Section7Filed, r.Audit} {
		b = appendCopyBool(append(b, '\t'), v)
	}
	return append(b, '\n')
}

// appendCopyText appends s with the characters COPY's text format gives a
// meaning to (backslash, tab, newline and carriage return) escaped.
func appendCopyText(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			b = append(b, '\\', '\\')
		case '\t':
			b = append(b, '\\', 't')
		case '\n':
			b = append(b, '\\', 'n')
		case '\r':
			b = append(b, '\\', 'r')
		default:
			b = append(b, c)
		}
	}
	return b
}

func appendCopyBool(b []byte, v *bool) []byte {
	switch {
	case v == nil:
		return append(b, '\\', 'N')
	case *v:
		return append(b, 't')
	}
	return append(b, 'f')
}

func appendCopyDate(b []byte, d workday.Date) []byte {
	if d.IsZero() {
		return append(b, '\\', 'N')
	}
	b, _ = d.AppendText(b)
	return b
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

func (s *Store) acceptList(ctx context.Context, l ChildList, res *childdata.Result, t *tally, by user.User) error {
	// The list it replaces loses its rows: only the current list's are
	// kept. Emptying its partition is instant, however many rows it had.
	rows, _ := s.db.Query(ctx, `UPDATE child_lists SET is_current = false WHERE item_id = $1 AND is_current RETURNING id`, l.ItemID)
	old, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return fmt.Errorf("store: replace child list of item %d: %w", l.ItemID, err)
	}
	if err := s.emptyPartitions(ctx, old); err != nil {
		return err
	}
	part := childRowsPartition(l.ID).Sanitize()
	// Attaching builds the partition's indexes, a sort of its rows each:
	// with attachSortMemory and no parallel workers each is sorted in
	// memory by this backend alone, rather than in parts by workers that
	// write their runs to temporary files for this backend to merge (for
	// this transaction only).
	if _, err := s.db.Exec(ctx, `SELECT set_config('maintenance_work_mem', $1, true), set_config('max_parallel_maintenance_workers', '0', true)`,
		attachSortMemory); err != nil {
		return fmt.Errorf("store: attach the rows of child list %d: %w", l.ID, err)
	}
	if _, err := s.db.Exec(ctx, fmt.Sprintf(`ALTER TABLE child_rows ATTACH PARTITION %s FOR VALUES IN (%d)`, part, l.ID)); err != nil {
		return fmt.Errorf("store: attach the rows of child list %d: %w", l.ID, err)
	}
	// Statistics now, of the columns pages are filtered by, so that the
	// first pages are planned from them; and of the list, which every page
	// names, so that PostgreSQL knows every row has it and reads the sort
	// column's index in order rather than all the rows.
	if _, err := s.db.Exec(ctx, `ANALYZE `+part+` (list_id, law_type, case_type, service_area, team, case_id)`); err != nil {
		return fmt.Errorf("store: analyse the rows of child list %d: %w", l.ID, err)
	}
	if err := s.saveCounts(ctx, l.ID, t); err != nil {
		return err
	}
	var fileID *int64
	if l.FileID != 0 {
		if _, err := s.CommitFiles(ctx, l.VisitID, []int64{l.FileID}, by); err != nil {
			return err
		}
		fileID = &l.FileID
	}
	_, err = s.db.Exec(ctx, `
		UPDATE child_lists SET is_current = true, file_id = $2, row_count = $3, error_count = 0, query_count = $4,
			first_start = $5, last_start = $6, first_end = $7, last_end = $8 WHERE id = $1`,
		l.ID, fileID, l.RowCount, l.QueryCount, pgDate(l.Starts.From), pgDate(l.Starts.To), pgDate(l.Ends.From), pgDate(l.Ends.To))
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

// attachSortMemory is the memory an index build of an attached list may
// sort in (maintenance_work_mem, shared between the build's parallel
// workers, each given at least 32 MB). 200,000 rows sort in under 40 MB
// per index.
const attachSortMemory = "128MB"

// emptyPartitions deletes the rows of the lists, each list's partition
// emptied at once (lists rejected, or already emptied, have none).
func (s *Store) emptyPartitions(ctx context.Context, lists []int64) error {
	if len(lists) == 0 {
		return nil
	}
	rows, _ := s.db.Query(ctx, `
		SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
		WHERE i.inhparent = 'child_rows'::regclass AND c.relname = ANY($1)`, partitionNames(lists))
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return fmt.Errorf("store: find the rows of child lists %v: %w", lists, err)
	}
	for _, n := range names {
		if _, err := s.db.Exec(ctx, `TRUNCATE `+pgx.Identifier{n}.Sanitize()); err != nil {
			return fmt.Errorf("store: delete the rows of child list %s: %w", n, err)
		}
	}
	return nil
}

func partitionNames(lists []int64) []string {
	names := make([]string, len(lists))
	for i, id := range lists {
		names[i] = childRowsPartition(id)[0]
	}
	return names
}

// saveCounts stores the list's summary counts.
func (s *Store) saveCounts(ctx context.Context, listID int64, t *tally) error {
	cells := make([][]any, 0, len(t.cells))
	for c, n := range t.cells {
		cells = append(cells, []any{listID, c.LawType, c.CaseType, c.ServiceArea, c.Team, n})
	}
	_, err := s.db.(interface {
		CopyFrom(context.Context, pgx.Identifier, []string, pgx.CopyFromSource) (int64, error)
	}).CopyFrom(ctx, pgx.Identifier{"child_list_counts"},
		[]string{"list_id", "law_type", "case_type", "service_area", "team", "n"}, pgx.CopyFromRows(cells))
	if err != nil {
		return fmt.Errorf("store: save the counts of child list %d: %w", listID, err)
	}
	return nil
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
	l.is_current, l.row_count, l.error_count, l.query_count, l.checked_at, l.checked_by, u.name, u.role,
	l.first_start, l.last_start, l.first_end, l.last_end`

func scanChildList(row pgx.CollectableRow) (ChildList, error) {
	var l ChildList
	var from, to, s0, s1, e0, e1 pgtype.Date
	err := row.Scan(&l.ID, &l.VisitID, &l.ItemID, &l.FileID, &l.FileName, &from, &to, &l.Status, &l.Current,
		&l.RowCount, &l.ErrorCount, &l.QueryCount, &l.CheckedAt, &l.CheckedBy, &l.CheckedByName, &l.CheckedByRole,
		&s0, &s1, &e0, &e1)
	l.Cover = childdata.DateRange{From: fromPGDate(from), To: fromPGDate(to)}
	l.Starts = childdata.DateRange{From: fromPGDate(s0), To: fromPGDate(s1)}
	l.Ends = childdata.DateRange{From: fromPGDate(e0), To: fromPGDate(e1)}
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

// ChildCell is a combination of the values the rows are counted and
// filtered by.
type ChildCell struct {
	LawType, CaseType, ServiceArea, Team string
}

// ChildCellCount is the number of rows with a combination of values.
type ChildCellCount struct {
	ChildCell
	N int
}

// ChildSummary summarises a visit's current child-level data.
type ChildSummary struct {
	VisitID int64
	Lists   []ChildList
	Rows    int
	// Cells count the rows of each combination of law type, case type,
	// service area and team, as kept at import.
	Cells []ChildCellCount
	// By law type, case type, service area and team (team with its
	// service area), most rows first.
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

// listIDs are the current lists: the only ones with rows.
func (s ChildSummary) listIDs() []int64 {
	ids := make([]int64, len(s.Lists))
	for i, l := range s.Lists {
		ids[i] = l.ID
	}
	return ids
}

// Matching is how many rows the filter's law type, case type, service area
// and team choose, from the counts kept (its search is not counted).
func (s ChildSummary) Matching(f ChildRowFilter) int {
	n := 0
	for _, c := range s.Cells {
		if (f.LawType == "" || f.LawType == c.LawType) && (f.CaseType == "" || f.CaseType == c.CaseType) &&
			(f.ServiceArea == "" || f.ServiceArea == c.ServiceArea) && (f.Team == "" || f.Team == c.Team) {
			n += c.N
		}
	}
	return n
}

// ChildDataSummary returns the summary of a visit's current rows, kept at
// import: two small queries, whatever the number of rows.
func (s *Store) ChildDataSummary(ctx context.Context, visitID int64) (ChildSummary, error) {
	sum := ChildSummary{VisitID: visitID}
	var err error
	if sum.Lists, err = s.CurrentChildLists(ctx, visitID); err != nil {
		return sum, err
	}
	if len(sum.Lists) == 0 {
		return sum, nil
	}
	rows, _ := s.db.Query(ctx, `SELECT law_type, case_type, service_area, team, n FROM child_list_counts WHERE list_id = ANY($1)`, sum.listIDs())
	var c ChildCellCount
	_, err = pgx.ForEachRow(rows, []any{&c.LawType, &c.CaseType, &c.ServiceArea, &c.Team, &c.N}, func() error {
		sum.Cells = append(sum.Cells, c)
		return nil
	})
	if err != nil {
		return sum, fmt.Errorf("store: child data summary of visit %d: %w", visitID, err)
	}
	law, typ, area := map[string]int{}, map[string]int{}, map[string]int{}
	team := map[[2]string]int{}
	for _, c := range sum.Cells {
		law[c.LawType] += c.N
		typ[c.CaseType] += c.N
		area[c.ServiceArea] += c.N
		team[[2]string{c.Team, c.ServiceArea}] += c.N
	}
	sum.ByLaw, sum.ByCaseType, sum.ByServiceArea = countsOf(law), countsOf(typ), countsOf(area)
	for k, n := range team {
		sum.ByTeam = append(sum.ByTeam, TeamCount{Team: k[0], Area: k[1], N: n})
	}
	slices.SortFunc(sum.ByTeam, func(a, b TeamCount) int {
		return cmp.Or(cmp.Compare(b.N, a.N), cmp.Compare(a.Team, b.Team), cmp.Compare(a.Area, b.Area))
	})
	first := func(d *workday.Date, o workday.Date) {
		if !o.IsZero() && (d.IsZero() || o.Before(*d)) {
			*d = o
		}
	}
	last := func(d *workday.Date, o workday.Date) {
		if o.After(*d) {
			*d = o
		}
	}
	for _, c := range sum.Cells {
		sum.Rows += c.N
	}
	for _, l := range sum.Lists {
		first(&sum.FirstStart, l.Starts.From)
		last(&sum.LastStart, l.Starts.To)
		first(&sum.FirstEnd, l.Ends.From)
		last(&sum.LastEnd, l.Ends.To)
	}
	return sum, nil
}

// countsOf lists the counts, most rows first, then by value.
func countsOf(m map[string]int) []Count {
	out := make([]Count, 0, len(m))
	for v, n := range m {
		out = append(out, Count{Value: v, N: n})
	}
	slices.SortFunc(out, func(a, b Count) int { return cmp.Or(cmp.Compare(b.N, a.N), cmp.Compare(a.Value, b.Value)) })
	return out
}

// ChildRowsPerPage is the size of a page of rows.
const ChildRowsPerPage = 50

// ChildRowSorts are the columns rows may be sorted by, by name. Each has an
// index of it and the row number (migrations 00035, 00044), so any page of
// rows in any order is found without reading the rows before it.
var ChildRowSorts = map[string]string{
	"case": "case_id", "child": "child_id", "dob": "date_of_birth",
	"law": "law_type", "type": "case_type", "practitioner": "practitioner", "team": "team",
	"area": "service_area", "start": "case_start", "end": "case_end",
}

// childNarrowRows is how many rows filters may leave for a page of them to
// be found by the filters rather than by the sort column's index (a
// variable for tests, which try both ways).
var childNarrowRows atomic.Int64

func init() { childNarrowRows.Store(20_000) }

// childDateSorts are the sorts by a date, which may be blank: blanks come
// last in both directions.
var childDateSorts = map[string]bool{"dob": true, "start": true, "end": true}

// ChildRowFilter chooses and orders rows. Blank filters match everything.
type ChildRowFilter struct {
	LawType, CaseType, ServiceArea, Team string
	// Search finds case IDs containing it (any case).
	Search string
	// Sort is a key of ChildRowSorts ("" is case ID); Desc reverses it.
	Sort string
	Desc bool
	// After asks for the page after the row it names, Before for the page
	// before it (a ChildRowPage's Next and Prev); Last for the last page.
	// None of them: the first page. A cursor that cannot be read is
	// ignored.
	After, Before string
	Last          bool
}

// ChildRow is a stored row, with whether its case is in the sample.
type ChildRow struct {
	childdata.Row
	ListID  int64
	Sampled bool
}

// ChildRowPage is one page of rows.
type ChildRowPage struct {
	Rows []ChildRow
	// Total is the number of rows the filter matches.
	Total int
	// Pages is the number of pages they fill (at least 1).
	Pages int
	// Next and Prev are the cursors of the pages after and before this
	// one (ChildRowFilter's After and Before); "" when there is none.
	Next, Prev string
	// IsLast says this is the last page.
	IsLast bool
}

// childCursor names a row in an order: its sort value (Null when blank),
// list and row number.
type childCursor struct {
	Null  bool
	Value string
	List  int64
	Row   int
}

func (c childCursor) String() string {
	b, _ := json.Marshal([]any{c.Null, c.Value, c.List, c.Row})
	return base64.RawURLEncoding.EncodeToString(b)
}

func parseCursor(s string, date bool) (childCursor, bool) {
	var c childCursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || len(b) > 2048 {
		return c, false
	}
	var a []json.RawMessage
	if json.Unmarshal(b, &a) != nil || len(a) != 4 ||
		json.Unmarshal(a[0], &c.Null) != nil || json.Unmarshal(a[1], &c.Value) != nil ||
		json.Unmarshal(a[2], &c.List) != nil || json.Unmarshal(a[3], &c.Row) != nil {
		return c, false
	}
	if date && !c.Null {
		if _, err := workday.ParseDate(c.Value); err != nil {
			return c, false
		}
	}
	return c, utf8.ValidString(c.Value)
}

// ListChildRows returns a page of a visit's current rows, filtered and
// sorted: ChildRows over the visit's ChildDataSummary.
func (s *Store) ListChildRows(ctx context.Context, visitID int64, f ChildRowFilter) (ChildRowPage, error) {
	sum, err := s.ChildDataSummary(ctx, visitID)
	if err != nil {
		return ChildRowPage{}, err
	}
	return s.ChildRows(ctx, sum, f)
}

const childRowSelect = `r.list_id, r.row_number, r.case_id, r.case_name, r.gender, r.ethnicity, r.disability, r.date_of_birth,
	r.lead_application, r.law_type, r.case_type, r.practitioner, r.team, r.service_area, r.local_authority,
	r.court, r.file_location, r.child_id, r.case_start, r.case_end, r.child_seen, r.section_7_filed, r.audit`

// ChildRows returns a page of the summary's rows, filtered and sorted.
//
// Pages are found by keyset: the rows after (or before) the row the cursor
// names, in the order of the sort column, its list and row number, read
// from that column's index; so the last page costs what the first does.
// The total comes from the counts kept at import, except with a search,
// which is counted.
func (s *Store) ChildRows(ctx context.Context, sum ChildSummary, f ChildRowFilter) (ChildRowPage, error) {
	page := ChildRowPage{Pages: 1, IsLast: true}
	if len(sum.Lists) == 0 {
		return page, nil
	}
	where := []string{"r.list_id = ANY($1)"}
	args := []any{sum.listIDs()}
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
	page.Total = sum.Matching(f)
	if q := strings.TrimSpace(f.Search); q != "" {
		add("strpos(lower(r.case_id), lower($%d)) > 0", q)
		err := s.db.QueryRow(ctx, `SELECT count(*) FROM child_rows r WHERE `+strings.Join(where, " AND "), args...).Scan(&page.Total)
		if err != nil {
			return page, fmt.Errorf("store: count child rows of visit %d: %w", sum.VisitID, err)
		}
	}
	page.Pages = max((page.Total+ChildRowsPerPage-1)/ChildRowsPerPage, 1)
	if page.Total == 0 {
		return page, nil
	}
	// Few rows chosen (a search, or filters the counts say leave few): they
	// are found by the filters' indexes and sorted, which costs what they
	// number. Otherwise the sort column's index is read in order, skipping
	// rows the filters leave out: few, when the filters keep many.
	//
	// The sort column's index is (column, row number), without the list: a
	// list's rows are a partition of their own. So each list is read apart,
	// named by equality (then PostgreSQL knows the list is fixed and reads
	// the index in order), and the lists' pages are merged.
	from, with, lists := "child_rows r", "", sum.listIDs()
	if len(where) > 1 && (f.Search != "" || int64(page.Total) <= childNarrowRows.Load()) {
		with = `WITH m AS MATERIALIZED (SELECT ` + childRowSelect + ` FROM child_rows r WHERE ` + strings.Join(where, " AND ") + `) `
		from, where, lists = "m r", nil, []int64{0}
	}

	sortKey := f.Sort
	col, ok := ChildRowSorts[sortKey]
	if !ok {
		sortKey, col = "case", ChildRowSorts["case"]
	}
	nullable := childDateSorts[sortKey]
	var cur *childCursor
	backward := false
	switch {
	case f.After != "":
		if c, ok := parseCursor(f.After, nullable); ok {
			cur = &c
		}
	case f.Before != "":
		if c, ok := parseCursor(f.Before, nullable); ok {
			cur, backward = &c, true
		}
	case f.Last:
		backward = true
	}
	if cur != nil && cur.Null && !nullable {
		cur = nil
	}
	if cur == nil && !f.Last {
		backward = false
	}
	limit := ChildRowsPerPage + 1
	if f.Last && cur == nil {
		limit = page.Total - (page.Pages-1)*ChildRowsPerPage
	}

	// The rows in the order they are read: the display order, or its
	// reverse for a page before a row (then turned round). Blank dates
	// come after every date in the display order.
	asc := !f.Desc != backward
	dir, op := "ASC", ">"
	if !asc {
		dir, op = "DESC", "<"
	}
	var cast string
	if nullable {
		cast = "::date"
	}
	// segment reads one list's rows (list 0: the rows m holds, of every
	// list) with or without a blank sort value.
	segment := func(list int64, null bool, rank int) string {
		w := slices.Clone(where)
		a := func(cond string, vs ...any) {
			for _, v := range vs {
				args = append(args, v)
				cond = strings.Replace(cond, "?", fmt.Sprintf("$%d", len(args)), 1)
			}
			w = append(w, cond)
		}
		if list != 0 {
			a("r.list_id = ?", list)
		}
		order := fmt.Sprintf("r.%s %s, r.list_id %s, r.row_number %s", col, dir, dir, dir)
		switch {
		case null:
			w = append(w, "r."+col+" IS NULL")
			order = fmt.Sprintf("r.list_id %s, r.row_number %s", dir, dir)
		case nullable:
			w = append(w, "r."+col+" IS NOT NULL")
		}
		// The rows after the cursor in reading order. Of one list: in the
		// cursor's list, those after its row among its value's; in a list
		// read before it, those past its value (and no blanks); in a list
		// read after it, those from its value on (and every blank).
		switch {
		case cur == nil || cur.Null != null:
		case list == 0 && null:
			a(fmt.Sprintf("(r.list_id, r.row_number) %s (?, ?)", op), cur.List, cur.Row)
		case list == 0:
			a(fmt.Sprintf("(r.%s, r.list_id, r.row_number) %s (?%s, ?, ?)", col, op, cast), cur.Value, cur.List, cur.Row)
		case list == cur.List && null:
			a(fmt.Sprintf("r.row_number %s ?", op), cur.Row)
		case list == cur.List:
			a(fmt.Sprintf("(r.%s, r.row_number) %s (?%s, ?)", col, op, cast), cur.Value, cur.Row)
		case (list > cur.List) != asc && null:
			w = append(w, "false")
		case (list > cur.List) != asc:
			a(fmt.Sprintf("r.%s %s ?%s", col, op, cast), cur.Value)
		case !null:
			a(fmt.Sprintf("r.%s %s= ?%s", col, op, cast), cur.Value)
		}
		if len(w) == 0 {
			w = append(w, "true")
		}
		return fmt.Sprintf("(SELECT %s, %d AS seg FROM %s WHERE %s ORDER BY %s LIMIT %d)",
			childRowSelect, rank, from, strings.Join(w, " AND "), order, limit)
	}
	// The segments to read, in reading order: dates then blanks forwards,
	// blanks then dates backwards; none before the cursor's.
	var segs []string
	read := func(null bool, rank int) {
		for _, l := range lists {
			segs = append(segs, segment(l, null, rank))
		}
	}
	if !nullable {
		read(false, 0)
	} else {
		order := []bool{false, true}
		if backward {
			order = []bool{true, false}
		}
		started := cur == nil
		for i, null := range order {
			if !started && cur.Null == null {
				started = true
			}
			if started {
				read(null, i)
			}
		}
	}
	args = append(args, sum.VisitID)
	q := with + fmt.Sprintf(`
		SELECT r.list_id, r.row_number, r.case_id, r.case_name, r.gender, r.ethnicity, r.disability, r.date_of_birth,
			r.lead_application, r.law_type, r.case_type, r.practitioner, r.team, r.service_area, r.local_authority,
			r.court, r.file_location, r.child_id, r.case_start, r.case_end, r.child_seen, r.section_7_filed, r.audit,
			EXISTS (SELECT 1 FROM case_samples cs WHERE cs.visit_id = $%d AND cs.case_id = r.case_id AND cs.child_id = r.child_id)
		FROM (%s) r
		ORDER BY r.seg, r.%s %s, r.list_id %s, r.row_number %s LIMIT %d`,
		len(args), strings.Join(segs, " UNION ALL "), col, dir, dir, dir, limit)
	rows, _ := s.db.Query(ctx, q, args...)
	list, err := pgx.CollectRows(rows, scanChildRow)
	if err != nil {
		return page, fmt.Errorf("store: list child rows of visit %d: %w", sum.VisitID, err)
	}
	more := len(list) > ChildRowsPerPage
	if more {
		list = list[:ChildRowsPerPage]
	}
	if backward {
		slices.Reverse(list)
	}
	page.Rows = list
	if len(list) == 0 {
		return page, nil
	}
	cursorOf := func(r ChildRow) string {
		c := childCursor{List: r.ListID, Row: r.Number}
		switch sortKey {
		case "dob":
			c.Null, c.Value = r.DateOfBirth.IsZero(), r.DateOfBirth.String()
		case "start":
			c.Null, c.Value = r.CaseStart.IsZero(), r.CaseStart.String()
		case "end":
			c.Null, c.Value = r.CaseEnd.IsZero(), r.CaseEnd.String()
		default:
			c.Value = r.textValue(col)
		}
		if c.Null {
			c.Value = ""
		}
		return c.String()
	}
	first, last := cursorOf(list[0]), cursorOf(list[len(list)-1])
	switch {
	case f.Last && cur == nil:
		if page.Total > len(list) {
			page.Prev = first
		}
	case backward:
		page.Next = last
		if more {
			page.Prev = first
		}
	default:
		if cur != nil {
			page.Prev = first
		}
		if more {
			page.Next = last
		}
	}
	page.IsLast = page.Next == ""
	return page, nil
}

// textValue is the row's value of a text column.
func (r ChildRow) textValue(col string) string {
	switch col {
	case "case_id":
		return r.CaseID
	case "child_id":
		return r.ChildID
	case "law_type":
		return r.LawType
	case "case_type":
		return r.CaseType
	case "practitioner":
		return r.Practitioner
	case "team":
		return r.Team
	case "service_area":
		return r.ServiceArea
	}
	return ""
}

// FindChildRow returns the visit's current row of a case and child.
func (s *Store) FindChildRow(ctx context.Context, visitID int64, caseID, childID string) (ChildRow, error) {
	lists, err := s.currentListIDs(ctx, visitID)
	if err != nil {
		return ChildRow{}, err
	}
	rows, _ := s.db.Query(ctx, `
		SELECT `+childRowSelect+`,
			EXISTS (SELECT 1 FROM case_samples cs WHERE cs.visit_id = $4 AND cs.case_id = r.case_id AND cs.child_id = r.child_id)
		FROM child_rows r WHERE r.list_id = ANY($1) AND r.case_id = $2 AND r.child_id = $3
		ORDER BY r.list_id, r.row_number LIMIT 1`, lists, caseID, childID, visitID)
	r, err := pgx.CollectExactlyOneRow(rows, scanChildRow)
	if err != nil {
		return ChildRow{}, notFound(err, "find case %s of visit %d", caseID, visitID)
	}
	return r, nil
}

// currentListIDs are the visit's current lists: the only ones with rows.
// Queries of rows name them, so that only their partitions are read.
func (s *Store) currentListIDs(ctx context.Context, visitID int64) ([]int64, error) {
	rows, _ := s.db.Query(ctx, `SELECT id FROM child_lists WHERE visit_id = $1 AND is_current ORDER BY id`, visitID)
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("store: current child lists of visit %d: %w", visitID, err)
	}
	return ids, nil
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
		lists, err := tx.currentListIDs(ctx, visitID)
		if err != nil {
			return err
		}
		err = tx.db.QueryRow(ctx, `
			SELECT u.name FROM child_rows r, users u
			WHERE r.list_id = ANY($1) AND r.case_id = $2 AND r.child_id = $3 AND u.id = $4
			LIMIT 1`, lists, caseID, childID, inspectorID).Scan(&inspector)
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
	lists, err := s.currentListIDs(ctx, visitID)
	if err != nil {
		return nil, err
	}
	rows, _ := s.db.Query(ctx, `
		SELECT cs.id, cs.public_id, cs.case_id, cs.child_id, cs.reason, cs.inspector_id, i.name, b.name, cs.selected_at,
			coalesce(r.case_name, ''), coalesce(r.law_type, ''), coalesce(r.case_type, ''), coalesce(r.team, ''), r.case_id IS NOT NULL
		FROM case_samples cs
		JOIN users i ON i.id = cs.inspector_id
		JOIN users b ON b.id = cs.selected_by
		LEFT JOIN LATERAL (
			SELECT r.* FROM child_rows r
			WHERE r.list_id = ANY($2) AND r.case_id = cs.case_id AND r.child_id = cs.child_id
			ORDER BY r.list_id, r.row_number LIMIT 1) r ON true
		WHERE cs.visit_id = $1
		ORDER BY cs.case_id, cs.child_id`, visitID, lists)
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
	err := s.db.QueryRow(ctx, `SELECT count(*) FROM child_rows r
		WHERE r.list_id = ANY(ARRAY(SELECT id FROM child_lists WHERE visit_id = $1))`, visitID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: count child rows of visit %d: %w", visitID, err)
	}
	return n, nil
}

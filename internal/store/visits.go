package store

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/ofsted/focusedvisits/internal/history"
	"github.com/ofsted/focusedvisits/internal/notify"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/user"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// NewVisit is what creating a visit takes.
type NewVisit struct {
	TemplateID      string
	TemplateVersion string
	AnchorCode      string
	AnchorDate      workday.Date
	PriorityAction  bool
	Members         []visit.Member // UserID and Role are used
	Acceptances     []visit.Acceptance
}

// Event is one line of a visit's history: who, when, and what happened as
// a history kind and its params (history.Event), whose words are chosen
// when it is shown (Words).
type Event struct {
	ID       int64
	VisitID  int64
	At       time.Time
	UserID   int64 // 0 for the system
	UserName string
	history.Event
}

// addEvent appends a line to a visit's history: its kind and params, and no
// words (they are chosen when the line is shown).
func (s *Store) addEvent(ctx context.Context, visitID, userID int64, e history.Event) error {
	if !history.Known(e.Kind) {
		return fmt.Errorf("store: add event to visit %d: no words for kind %q", visitID, e.Kind)
	}
	params, err := json.Marshal(e.Params)
	if err != nil {
		return fmt.Errorf("store: add event to visit %d: %w", visitID, err)
	}
	var uid *int64
	if userID != 0 {
		uid = &userID
	}
	_, err = s.db.Exec(ctx, `
		INSERT INTO visit_events (visit_id, user_id, kind, params, action) VALUES ($1, $2, $3, $4, '')`,
		visitID, uid, e.Kind, params)
	if err != nil {
		return fmt.Errorf("store: add event to visit %d: %w", visitID, err)
	}
	return nil
}

// AddEvents appends history lines to visits, in one transaction (for
// changes made to many visits at once, such as a new closure day).
func (s *Store) AddEvents(ctx context.Context, events []Event) error {
	return s.WithTx(ctx, func(tx *Store) error {
		for _, e := range events {
			if err := tx.addEvent(ctx, e.VisitID, e.UserID, e.Event); err != nil {
				return err
			}
		}
		return nil
	})
}

// CreateVisit stores a new visit with its team and any scheduling warnings
// accepted, and records its creation in the history. Its reference is
// FV-<year of the anchor date>-<number>.
func (s *Store) CreateVisit(ctx context.Context, n NewVisit, by user.User) (int64, error) {
	var id int64
	err := s.WithTx(ctx, func(tx *Store) error {
		err := tx.db.QueryRow(ctx, `
			INSERT INTO visits (reference, template_id, template_version, anchor_code, anchor_date, priority_action, created_by)
			VALUES ('new-' || gen_random_uuid(), $1, $2, $3, $4, $5, $6)
			RETURNING id`, n.TemplateID, n.TemplateVersion, n.AnchorCode, pgDate(n.AnchorDate), n.PriorityAction, by.ID).Scan(&id)
		if err != nil {
			return fmt.Errorf("store: create visit: %w", err)
		}
		ref := fmt.Sprintf("FV-%d-%04d", n.AnchorDate.Year(), id)
		if _, err := tx.db.Exec(ctx, `UPDATE visits SET reference = $2 WHERE id = $1`, id, ref); err != nil {
			return fmt.Errorf("store: name visit %d: %w", id, err)
		}
		if err := tx.setMembers(ctx, id, n.Members); err != nil {
			return err
		}
		if err := tx.addAcceptances(ctx, id, n.Acceptances, by); err != nil {
			return err
		}
		return tx.addEvent(ctx, id, by.ID, history.Event{Kind: history.VisitCreated,
			Params: history.Params{Reference: ref, Anchor: n.AnchorCode, AnchorDate: n.AnchorDate}})
	})
	return id, err
}

func (s *Store) setMembers(ctx context.Context, visitID int64, members []visit.Member) error {
	if _, err := s.db.Exec(ctx, `DELETE FROM visit_members WHERE visit_id = $1`, visitID); err != nil {
		return fmt.Errorf("store: clear team of visit %d: %w", visitID, err)
	}
	for _, m := range members {
		if _, err := s.db.Exec(ctx, `INSERT INTO visit_members (visit_id, user_id, role) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, visitID, m.UserID, m.Role); err != nil {
			return fmt.Errorf("store: add %d to visit %d: %w", m.UserID, visitID, err)
		}
	}
	return nil
}

func (s *Store) addAcceptances(ctx context.Context, visitID int64, as []visit.Acceptance, by user.User) error {
	for _, a := range as {
		if _, err := s.db.Exec(ctx, `
			INSERT INTO visit_warning_acceptances (visit_id, code, message, reason, accepted_by) VALUES ($1, $2, $3, $4, $5)`,
			visitID, a.Code, a.Message, a.Reason, by.ID); err != nil {
			return fmt.Errorf("store: accept warning on visit %d: %w", visitID, err)
		}
		if err := s.addEvent(ctx, visitID, by.ID, history.Event{Kind: history.VisitWarningAccepted,
			Params: history.Params{Warning: a.Code, Message: a.Message, Reason: a.Reason}}); err != nil {
			return err
		}
	}
	return nil
}

// visitColumns are a visit's own columns, then its versions: the plan's
// and the calendar's, read in the same statement (so from the same
// snapshot) as everything the plan is computed from.
const visitColumns = `v.id, v.public_id, v.reference, v.template_id, v.template_version, v.anchor_code, v.anchor_date, v.priority_action, v.plan_from_anchor, v.ceo_to_tell,
	v.status, v.notice_given_at, v.cancelled_at, v.cancel_reason, v.cancel_note, v.created_by, v.created_at, v.updated_at, v.version,
	v.plan_version, (SELECT version FROM calendar_versions), v.detail_version`

// visitDetailColumns are a visit's team, events recorded, dates set by
// hand and warnings accepted, each as a JSON array, so that a visit and all
// it hangs on come back in one row of one statement: one round trip and
// one snapshot, whatever the number of visits. Visits read so are kept in
// memory by their detail version (visitcache.go): a table or column added
// here needs a trigger that moves visits.detail_version when it changes
// (migration 00043), or kept visits will not show the change.
const visitDetailColumns = `
	COALESCE((SELECT json_agg(json_build_object('id', u.id, 'name', u.name, 'email', u.email, 'user_role', u.role, 'role', m.role)
		ORDER BY array_position(ARRAY['lead_inspector','team_inspector','qam','sao','cafcass'], m.role), u.name)
		FROM visit_members m JOIN users u ON u.id = m.user_id WHERE m.visit_id = v.id), '[]'),
	COALESCE((SELECT json_agg(json_build_object('code', a.code, 'date', a.day, 'to', a.to_day,
		'time', COALESCE(to_char(a.at_time, 'HH24:MI'), ''), 'by', u.name, 'at', a.recorded_at) ORDER BY a.day, a.code)
		FROM visit_actuals a JOIN users u ON u.id = a.recorded_by WHERE a.visit_id = v.id), '[]'),
	COALESCE((SELECT json_agg(json_build_object('code', o.code, 'date', o.day, 'to', o.to_day, 'reason', o.reason,
		'by', u.name, 'at', o.set_at) ORDER BY o.day, o.code)
		FROM visit_overrides o JOIN users u ON u.id = o.set_by WHERE o.visit_id = v.id), '[]'),
	COALESCE((SELECT json_agg(json_build_object('code', w.code, 'message', w.message, 'reason', w.reason,
		'by', u.name, 'at', w.accepted_at) ORDER BY w.id)
		FROM visit_warning_acceptances w JOIN users u ON u.id = w.accepted_by WHERE w.visit_id = v.id), '[]')`

// selectVisits starts a query for visits v with everything they hang on.
const selectVisits = `SELECT ` + visitColumns + `,` + visitDetailColumns + ` FROM visits v `

// The JSON forms of visitDetailColumns' elements.
type (
	memberJSON struct {
		ID       int64            `json:"id"`
		Name     string           `json:"name"`
		Email    string           `json:"email"`
		UserRole user.Role        `json:"user_role"`
		Role     visit.MemberRole `json:"role"`
	}
	datedJSON struct {
		Code    string       `json:"code"`
		Date    workday.Date `json:"date"`
		To      workday.Date `json:"to"`
		Time    string       `json:"time"`
		Reason  string       `json:"reason"`
		Message string       `json:"message"`
		By      string       `json:"by"`
		At      time.Time    `json:"at"`
	}
)

func scanVisit(row pgx.Row) (visit.Details, error) {
	d, _, err := scanVisitVersion(row)
	return d, err
}

// scanVisitVersion scans a row of selectVisits: the visit, and the detail
// version it was read at (visitcache.go).
func scanVisitVersion(row pgx.Row) (visit.Details, int64, error) {
	var d visit.Details
	var detailVersion int64
	v := &d.Visit
	var anchor pgtype.Date
	var notice, cancelled pgtype.Timestamptz
	var members []memberJSON
	var actuals, overrides, acceptances []datedJSON
	err := row.Scan(&v.ID, &v.PublicID, &v.Reference, &v.TemplateID, &v.TemplateVersion, &v.AnchorCode, &anchor, &v.PriorityAction, &v.PlanFromAnchor, &v.CEOToTell,
		&v.Status, &notice, &cancelled, &v.CancelReason, &v.CancelNote, &v.CreatedBy, &v.CreatedAt, &v.UpdatedAt, &v.Version,
		&v.PlanVersion, &v.CalendarVersion, &detailVersion, &members, &actuals, &overrides, &acceptances)
	if err != nil {
		return d, 0, err
	}
	v.AnchorDate = fromPGDate(anchor)
	v.DetailVersion = detailVersion
	if notice.Valid {
		v.NoticeGivenAt = notice.Time
	}
	if cancelled.Valid {
		v.CancelledAt = cancelled.Time
	}
	for _, m := range members {
		d.Members = append(d.Members, visit.Member{UserID: m.ID, Name: m.Name, Email: m.Email, UserRole: m.UserRole, Role: m.Role})
	}
	for _, a := range actuals {
		d.Actuals = append(d.Actuals, visit.Actual{Code: a.Code, Date: a.Date, To: a.To, Time: a.Time, RecordedBy: a.By, RecordedAt: a.At})
	}
	for _, o := range overrides {
		d.Overrides = append(d.Overrides, visit.Override{Code: o.Code, Date: o.Date, To: o.To, Reason: o.Reason, SetBy: o.By, SetAt: o.At})
	}
	for _, w := range acceptances {
		d.Acceptances = append(d.Acceptances, visit.Acceptance{Code: w.Code, Message: w.Message, Reason: w.Reason, AcceptedBy: w.By, AcceptedAt: w.At})
	}
	return d, detailVersion, nil
}

// GetVisit returns a visit with its team, events recorded, overrides and
// accepted warnings, by its internal id, whoever asks: for the service's own
// work on a visit it already holds. A URL names a visit by its public id,
// through GetVisitFor.
func (s *Store) GetVisit(ctx context.Context, id int64) (visit.Details, error) {
	return oneVisit(s.visitsWhere(ctx, visit.Visibility{All: true}, `WHERE v.id = $1`, []any{id}, "get visit %d", id))
}

// oneVisit is the visit a visitsWhere for one finds, or ErrNotFound.
func oneVisit(ds []visit.Details, err error) (visit.Details, error) {
	switch {
	case err != nil:
		return visit.Details{}, err
	case len(ds) == 0:
		return visit.Details{}, ErrNotFound
	}
	return ds[0], nil
}

// GetVisitFor returns the visit with the public id if u may see it
// (visit.VisibilityFor), else ErrNotFound. Visibility is decided in the
// query that finds the visit, so a visit u may not see costs exactly what a
// visit that does not exist costs: the same statement, no row (DOMAIN
// decision 9).
func (s *Store) GetVisitFor(ctx context.Context, publicID string, u user.User) (visit.Details, error) {
	f := visit.VisibilityFor(u)
	cond, args := visibleTo(f, 2)
	return oneVisit(s.visitsWhere(ctx, f, `WHERE v.public_id = $1 AND `+cond, append([]any{publicID}, args...), "get visit %s for user %d", publicID, u.ID))
}

// visibleTo is the SQL condition on visits v that the filter is, with its
// arguments numbered from $next. The text depends only on the filter (so on
// the asker's role), never on the visit asked for.
func visibleTo(f visit.Visibility, next int) (string, []any) {
	if f.All {
		return "true", nil
	}
	cond := fmt.Sprintf("EXISTS (SELECT 1 FROM visit_members m WHERE m.visit_id = v.id AND m.user_id = $%d)", next)
	if f.NoticeGiven {
		cond += " AND v.notice_given_at IS NOT NULL"
	}
	return cond, []any{f.MemberID}
}

// ListVisitsFor returns the visits u may see (visit.VisibilityFor), soonest
// anchor first: every visit for an administrator, the visits they are on for
// other Ofsted users, and only notified visits they are on for Cafcass users.
func (s *Store) ListVisitsFor(ctx context.Context, u user.User) ([]visit.Details, error) {
	f := visit.VisibilityFor(u)
	cond, args := visibleTo(f, 1)
	return s.visitsWhere(ctx, f, `WHERE `+cond+` ORDER BY v.anchor_date, v.id`, args, "list visits for user %d", u.ID)
}

// ListOpenVisitsFor returns the open visits u may see
// (visit.VisibilityFor), soonest anchor first: those still active and not
// published, or published with action plans not yet accepted (migration
// 00041). Anyone who sees only the visits they are on finds them in the
// index of their own open visits (visit_people, migration 00046), so their
// cost does not grow with the visits of years past.
func (s *Store) ListOpenVisitsFor(ctx context.Context, u user.User) ([]visit.Details, error) {
	f := visit.VisibilityFor(u)
	if f.All {
		return s.visitsWhere(ctx, f, `WHERE v.open ORDER BY v.anchor_date, v.id`, nil, "list open visits for user %d", u.ID)
	}
	return s.visitsWhere(ctx, f, `JOIN visit_people p ON p.visit_id = v.id
		WHERE p.user_id = $1 AND p.open AND v.open AND `+noticeCond(f)+`
		ORDER BY p.anchor_date, p.visit_id`, []any{f.MemberID}, "list open visits for user %d", u.ID)
}

// ListPastVisitsFor returns a page of the past visits u may see (those not
// open: published or cancelled), latest anchor first: at most limit of
// them after the first offset, and whether there are more.
func (s *Store) ListPastVisitsFor(ctx context.Context, u user.User, limit, offset int) ([]visit.Details, bool, error) {
	f := visit.VisibilityFor(u)
	from := `WHERE NOT v.open ORDER BY v.anchor_date DESC, v.id DESC LIMIT $1 OFFSET $2`
	args := []any{limit + 1, offset}
	if !f.All {
		// The person's own past visits, latest first, by the index of
		// them (visit_people, migration 00045): a page costs the same
		// however many they have. Being in visit_people is being on the
		// team (visibleTo's test of visit_members would make the planner
		// read all of them to join the two); visitsWhere checks the rule
		// on every visit it returns all the same.
		from = `JOIN visit_people p ON p.visit_id = v.id
			WHERE p.user_id = $3 AND NOT p.open AND NOT v.open AND ` + noticeCond(f) + `
			ORDER BY p.anchor_date DESC, p.visit_id DESC LIMIT $1 OFFSET $2`
		args = append(args, f.MemberID)
	}
	ds, err := s.visitsWhere(ctx, f, from, args, "list past visits for user %d", u.ID)
	if err != nil {
		return nil, false, err
	}
	if len(ds) > limit {
		return ds[:limit], true, nil
	}
	return ds, false, nil
}

// ListVisitsAround returns the visits u may see (visit.VisibilityFor) whose
// plans are anchored from from to to, soonest first: the calendar's, which
// reads only the visits near the month it shows.
func (s *Store) ListVisitsAround(ctx context.Context, u user.User, from, to workday.Date) ([]visit.Details, error) {
	f := visit.VisibilityFor(u)
	where := `WHERE v.anchor_date BETWEEN $1 AND $2 ORDER BY v.anchor_date, v.id`
	args := []any{pgDate(from), pgDate(to)}
	if !f.All {
		// The person's own visits in the window, by the index of them
		// (visit_people, migrations 00045 and 00046), as for past visits.
		where = `JOIN visit_people p ON p.visit_id = v.id
			WHERE p.user_id = $3 AND p.anchor_date BETWEEN $1 AND $2 AND ` + noticeCond(f) + `
			ORDER BY p.anchor_date, p.visit_id`
		args = append(args, f.MemberID)
	}
	return s.visitsWhere(ctx, f, where, args, "list visits of user %d from %s to %s", u.ID, from, to)
}

// noticeCond is the part of visibleTo's rule that being in visit_people
// (being on the team) does not already say: for Cafcass users, that notice
// has been given. visitsWhere checks the whole rule on every visit all the
// same.
func noticeCond(f visit.Visibility) string {
	if f.NoticeGiven {
		return "v.notice_given_at IS NOT NULL"
	}
	return "true"
}

// ListActiveVisits returns every visit that is not cancelled.
func (s *Store) ListActiveVisits(ctx context.Context) ([]visit.Details, error) {
	return s.visitsWhere(ctx, visit.Visibility{All: true}, `WHERE v.status = 'active' ORDER BY v.anchor_date, v.id`, nil, "list active visits")
}

// ListVisits returns the visits with the internal ids, in the order of ids
// (leaving out any that do not exist).
func (s *Store) ListVisits(ctx context.Context, ids []int64) ([]visit.Details, error) {
	return s.visitsWhere(ctx, visit.Visibility{All: true}, `JOIN unnest($1::bigint[]) WITH ORDINALITY AS i (id, n) ON i.id = v.id ORDER BY i.n`, []any{ids}, "list visits %v", ids)
}

// ClashCandidate is another visit whose fieldwork may clash with a visit's:
// what the clash check needs, with the version that names its plan, so that
// a plan already computed need not be loaded again.
type ClashCandidate struct {
	ID          int64
	Reference   string
	PlanVersion int64
	// InspectorIDs are its lead and team inspectors.
	InspectorIDs []int64
}

// ListClashCandidates returns the active visits, other than exceptID, that
// any of the users is on as lead or team inspector, planned from a date
// between from and to: the candidates for a fieldwork clash. It reads those
// people's own visits in the window (visit_people, migration 00046), each
// with its inspectors kept on it (migration 00034), never a team's rows.
func (s *Store) ListClashCandidates(ctx context.Context, userIDs []int64, exceptID int64, from, to workday.Date) ([]ClashCandidate, error) {
	if len(userIDs) == 0 {
		return nil, nil
	}
	// The people as a list of parameters ($4, $5, ...), not one array: a
	// statement per team size, each with a generic plan PostgreSQL keeps.
	// With = ANY of an array a generic plan must guess its length, so the
	// statement was planned afresh on every visit page (0.4 ms of planning
	// for 0.4 ms of work). Whether a person found is an inspector on the
	// visit (not its QAM) is checked here, for the same reason.
	args := []any{exceptID, pgDate(from), pgDate(to)}
	marks := make([]string, len(userIDs))
	for i, id := range userIDs {
		args = append(args, id)
		marks[i] = "$" + strconv.Itoa(len(args))
	}
	rows, _ := s.db.Query(ctx, `
		SELECT v.id, v.reference, v.plan_version, v.inspector_ids FROM visits v
		WHERE v.id IN (SELECT p.visit_id FROM visit_people p WHERE p.user_id IN (`+strings.Join(marks, ", ")+`) AND p.anchor_date BETWEEN $2 AND $3)
			AND v.status = 'active' AND v.id <> $1
		ORDER BY v.anchor_date, v.id`, args...)
	cs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (ClashCandidate, error) {
		var c ClashCandidate
		err := r.Scan(&c.ID, &c.Reference, &c.PlanVersion, &c.InspectorIDs)
		return c, err
	})
	if err != nil {
		return nil, fmt.Errorf("store: list clash candidates: %w", err)
	}
	return slices.DeleteFunc(cs, func(c ClashCandidate) bool {
		return !slices.ContainsFunc(c.InspectorIDs, func(id int64) bool { return slices.Contains(userIDs, id) })
	}), nil
}

// touch bumps a visit's version, failing with ErrConflict when the caller's
// version is stale (someone else changed the visit first). version 0 skips
// the check.
func (s *Store) touch(ctx context.Context, visitID int64, version int) error {
	tag, err := s.db.Exec(ctx, `
		UPDATE visits SET version = version + 1, updated_at = now()
		WHERE id = $1 AND ($2 = 0 OR version = $2)`, visitID, version)
	if err != nil {
		return fmt.Errorf("store: touch visit %d: %w", visitID, err)
	}
	if tag.RowsAffected() == 0 {
		var exists bool
		if err := s.db.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM visits WHERE id = $1)`, visitID).Scan(&exists); err != nil {
			return fmt.Errorf("store: touch visit %d: %w", visitID, err)
		}
		if !exists {
			return ErrNotFound
		}
		return ErrConflict
	}
	return nil
}

// RecordActual records that a step happened (replacing an earlier record of
// it). Recording the notice call also makes the visit visible to its Cafcass
// members.
func (s *Store) RecordActual(ctx context.Context, visitID int64, version int, a visit.Actual, label string, by user.User) error {
	return s.WithTx(ctx, func(tx *Store) error {
		if err := tx.touch(ctx, visitID, version); err != nil {
			return err
		}
		var old history.Span
		var oldDay, oldTo pgtype.Date
		err := tx.db.QueryRow(ctx, `SELECT day, to_day FROM visit_actuals WHERE visit_id = $1 AND code = $2`, visitID, a.Code).Scan(&oldDay, &oldTo)
		if err == nil {
			old = history.Days(fromPGDate(oldDay), fromPGDate(oldTo))
		} else if err != pgx.ErrNoRows {
			return fmt.Errorf("store: read actual: %w", err)
		}
		var atTime *string
		if a.Time != "" {
			atTime = &a.Time
		}
		_, err = tx.db.Exec(ctx, `
			INSERT INTO visit_actuals (visit_id, code, day, to_day, at_time, recorded_by) VALUES ($1, $2, $3, $4, $5::time, $6)
			ON CONFLICT (visit_id, code) DO UPDATE SET day = EXCLUDED.day, to_day = EXCLUDED.to_day, at_time = EXCLUDED.at_time,
				recorded_by = EXCLUDED.recorded_by, recorded_at = now()`,
			visitID, a.Code, pgDate(a.Date), pgDate(a.To), atTime, by.ID)
		if err != nil {
			return fmt.Errorf("store: record %s on visit %d: %w", a.Code, visitID, err)
		}
		noticeGiven := false
		if a.Code == "notice" {
			tag, err := tx.db.Exec(ctx, `UPDATE visits SET notice_given_at = now() WHERE id = $1 AND notice_given_at IS NULL`, visitID)
			if err != nil {
				return fmt.Errorf("store: mark notice given on visit %d: %w", visitID, err)
			}
			noticeGiven = tag.RowsAffected() == 1
		}
		if err := tx.addEvent(ctx, visitID, by.ID, history.Event{Kind: history.VisitStepRecorded, Params: history.Params{
			Milestone: a.Code, Label: label, OldDates: old, Dates: history.Days(a.Date, a.To), Time: a.Time}}); err != nil {
			return err
		}
		if !noticeGiven {
			return nil
		}
		// The code for children's feedback exists from notice (issue 17.6).
		if _, err := tx.makeFeedbackCode(ctx, visitID, by.ID); err != nil {
			return err
		}
		// Cafcass learns of the visit now, and not before (DOMAIN decision 19).
		return tx.tell(ctx, visitID, notify.About.NoticeGiven)
	})
}

// ClearActual removes the record that a step happened. The notice call, once
// recorded, stays: Cafcass has been told.
func (s *Store) ClearActual(ctx context.Context, visitID int64, version int, code, label string, by user.User) error {
	return s.WithTx(ctx, func(tx *Store) error {
		if err := tx.touch(ctx, visitID, version); err != nil {
			return err
		}
		var day, to pgtype.Date
		err := tx.db.QueryRow(ctx, `DELETE FROM visit_actuals WHERE visit_id = $1 AND code = $2 RETURNING day, to_day`, visitID, code).Scan(&day, &to)
		if err != nil {
			return notFound(err, "clear %s on visit %d", code, visitID)
		}
		return tx.addEvent(ctx, visitID, by.ID, history.Event{Kind: history.VisitRecordRemoved, Params: history.Params{
			Milestone: code, Label: label, OldDates: history.Days(fromPGDate(day), fromPGDate(to))}})
	})
}

// SetOverride sets a step's date by hand, with a reason. label names the
// step in the visit's plan, and planned are the dates it replaces, for the
// history.
//
// After notice the chief executive is emailed the dates that moved, with
// o.CEONote as the lead's covering note (DOMAIN decision 14).
func (s *Store) SetOverride(ctx context.Context, visitID int64, version int, o visit.Override, label string, planned history.Span, by user.User) error {
	return s.WithTx(ctx, func(tx *Store) error {
		return tx.tellDatesChanged(ctx, visitID, "Ofsted set a date by hand", o.CEONote, func() error {
			return tx.setOverride(ctx, visitID, version, o, history.Event{Kind: history.VisitDateSet,
				Params: history.Params{Label: label, OldDates: planned, Reason: o.Reason}}, by)
		})
	})
}

// setOverride sets a step's date by hand and records e in the history,
// with the step's code and its new dates.
func (s *Store) setOverride(ctx context.Context, visitID int64, version int, o visit.Override, e history.Event, by user.User) error {
	e.Params.Milestone, e.Params.Dates = o.Code, history.Days(o.Date, o.To)
	return s.WithTx(ctx, func(tx *Store) error {
		if err := tx.touch(ctx, visitID, version); err != nil {
			return err
		}
		_, err := tx.db.Exec(ctx, `
			INSERT INTO visit_overrides (visit_id, code, day, to_day, reason, set_by) VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (visit_id, code) DO UPDATE SET day = EXCLUDED.day, to_day = EXCLUDED.to_day, reason = EXCLUDED.reason,
				set_by = EXCLUDED.set_by, set_at = now()`,
			visitID, o.Code, pgDate(o.Date), pgDate(o.To), o.Reason, by.ID)
		if err != nil {
			return fmt.Errorf("store: override %s on visit %d: %w", o.Code, visitID, err)
		}
		if err := tx.addEvent(ctx, visitID, by.ID, e); err != nil {
			return err
		}
		return tx.addCEOTold(ctx, visitID, by, o.Told)
	})
}

// RecordCEOTold records that the chief executive was told in writing of
// dates a closure day moved after notice, and clears the reminder.
func (s *Store) RecordCEOTold(ctx context.Context, visitID int64, t visit.CEOTold, by user.User) error {
	return s.WithTx(ctx, func(tx *Store) error {
		if err := tx.touch(ctx, visitID, 0); err != nil {
			return err
		}
		if _, err := tx.db.Exec(ctx, `UPDATE visits SET ceo_to_tell = false WHERE id = $1`, visitID); err != nil {
			return fmt.Errorf("store: record chief executive told on visit %d: %w", visitID, err)
		}
		return tx.addCEOTold(ctx, visitID, by, t)
	})
}

// addCEOTold records in the history that the chief executive was told of a
// date change (DOMAIN decision 14), when there is a record.
func (s *Store) addCEOTold(ctx context.Context, visitID int64, by user.User, t visit.CEOTold) error {
	if t.IsZero() {
		return nil
	}
	return s.addEvent(ctx, visitID, by.ID, history.Event{Kind: history.VisitCEOTold, Params: history.Params{Method: t.Method, On: t.On, Note: t.Note}})
}

// ClearOverride returns a step to its computed date.
// After notice the chief executive is emailed the dates that moved.
func (s *Store) ClearOverride(ctx context.Context, visitID int64, version int, code, label string, by user.User) error {
	return s.WithTx(ctx, func(tx *Store) error {
		return tx.tellDatesChanged(ctx, visitID, "Ofsted removed a date set by hand", "", func() error {
			return tx.clearOverride(ctx, visitID, version, code, label, by)
		})
	})
}

func (s *Store) clearOverride(ctx context.Context, visitID int64, version int, code, label string, by user.User) error {
	return s.WithTx(ctx, func(tx *Store) error {
		if err := tx.touch(ctx, visitID, version); err != nil {
			return err
		}
		var day, to pgtype.Date
		err := tx.db.QueryRow(ctx, `DELETE FROM visit_overrides WHERE visit_id = $1 AND code = $2 RETURNING day, to_day`, visitID, code).Scan(&day, &to)
		if err != nil {
			return notFound(err, "clear override %s on visit %d", code, visitID)
		}
		return tx.addEvent(ctx, visitID, by.ID, history.Event{Kind: history.VisitDateSetRemoved, Params: history.Params{
			Milestone: code, Label: label, OldDates: history.Days(fromPGDate(day), fromPGDate(to))}})
	})
}

// UpdateVisit is a change to a visit's plan or team.
type UpdateVisit struct {
	AnchorCode     string
	AnchorDate     workday.Date
	PriorityAction bool
	Members        []visit.Member
	Acceptances    []visit.Acceptance
	// PlanFromAnchor makes the notice-week dates count from the new anchor
	// although the notice is recorded (a deferral after notice: DOMAIN
	// decision 11). Once set it stays set.
	PlanFromAnchor bool
	// Kind is how the history records the change of plan:
	// history.VisitAnchorChanged (the default), only when the anchor
	// changed, or history.DeferralGranted, always. Params go with it (for
	// a deferral: who asked, when, the reason, the fieldwork's old and new
	// dates); the store adds the old and new anchors.
	Kind   history.Kind
	Params history.Params
	// CEONote is the lead's covering note to the chief executive, sent
	// with the service's email of the dates that moved after notice.
	CEONote string
}

// UpdateVisit changes a visit's anchor, priority flag and team, recording
// each change with its old and new value.
//
// After notice the chief executive is emailed the dates that moved.
func (s *Store) UpdateVisit(ctx context.Context, visitID int64, version int, u UpdateVisit, by user.User) error {
	return s.WithTx(ctx, func(tx *Store) error {
		return tx.tellDatesChanged(ctx, visitID, "Ofsted changed the visit's plan", u.CEONote, func() error {
			return tx.updateVisit(ctx, visitID, version, u, by)
		})
	})
}

func (s *Store) updateVisit(ctx context.Context, visitID int64, version int, u UpdateVisit, by user.User) error {
	return s.WithTx(ctx, func(tx *Store) error {
		old, err := tx.GetVisit(ctx, visitID)
		if err != nil {
			return err
		}
		if err := tx.touch(ctx, visitID, version); err != nil {
			return err
		}
		if _, err := tx.db.Exec(ctx, `UPDATE visits SET anchor_code = $2, anchor_date = $3, priority_action = $4,
			plan_from_anchor = plan_from_anchor OR $5 WHERE id = $1`,
			visitID, u.AnchorCode, pgDate(u.AnchorDate), u.PriorityAction, u.PlanFromAnchor); err != nil {
			return fmt.Errorf("store: update visit %d: %w", visitID, err)
		}
		e := history.Event{Kind: u.Kind, Params: u.Params}
		if e.Kind == "" {
			e.Kind = history.VisitAnchorChanged
		}
		e.Params.OldAnchor, e.Params.OldAnchorDate = old.AnchorCode, old.AnchorDate
		e.Params.Anchor, e.Params.AnchorDate = u.AnchorCode, u.AnchorDate
		if e.Kind != history.VisitAnchorChanged || old.AnchorCode != u.AnchorCode || old.AnchorDate != u.AnchorDate {
			if err := tx.addEvent(ctx, visitID, by.ID, e); err != nil {
				return err
			}
		}
		if old.PriorityAction != u.PriorityAction {
			if err := tx.addEvent(ctx, visitID, by.ID, history.Event{Kind: history.VisitPriorityActionChanged,
				Params: history.Params{Before: old.PriorityAction, After: u.PriorityAction}}); err != nil {
				return err
			}
		}
		if u.Members != nil {
			if err := tx.setMembers(ctx, visitID, u.Members); err != nil {
				return err
			}
			oldTeam := teamNames(old.Members, nil)
			newTeam, err := tx.newTeamNames(ctx, u.Members)
			if err != nil {
				return err
			}
			for _, r := range []visit.MemberRole{visit.RoleLead, visit.RoleTeam, visit.RoleQAM, visit.RoleModerator, visit.RoleSAO, visit.RoleCafcass} {
				if !slices.Equal(oldTeam[r], newTeam[r]) {
					if err := tx.addEvent(ctx, visitID, by.ID, history.Event{Kind: history.VisitTeamChanged,
						Params: history.Params{Role: string(r), OldNames: oldTeam[r], Names: newTeam[r]}}); err != nil {
						return err
					}
				}
			}
		}
		return tx.addAcceptances(ctx, visitID, u.Acceptances, by)
	})
}

// teamNames names the members in each role, as they are named now (names,
// by user id, for members who come without one).
func teamNames(ms []visit.Member, names map[int64]string) map[visit.MemberRole][]string {
	out := map[visit.MemberRole][]string{}
	for _, m := range ms {
		name := m.Name
		if name == "" {
			name = names[m.UserID]
		}
		out[m.Role] = append(out[m.Role], name)
	}
	return out
}

// newTeamNames is teamNames for members as a form gives them, by user id:
// their names are read.
func (s *Store) newTeamNames(ctx context.Context, ms []visit.Member) (map[visit.MemberRole][]string, error) {
	ids := make([]int64, 0, len(ms))
	for _, m := range ms {
		ids = append(ids, m.UserID)
	}
	rows, _ := s.db.Query(ctx, `SELECT id, name FROM users WHERE id = ANY($1)`, ids)
	names := map[int64]string{}
	var id int64
	var name string
	if _, err := pgx.ForEachRow(rows, []any{&id, &name}, func() error { names[id] = name; return nil }); err != nil {
		return nil, fmt.Errorf("store: names of the team: %w", err)
	}
	return teamNames(ms, names), nil
}

// CancelVisit cancels a visit with the reason Cafcass is shown and the
// internal note it is not (DOMAIN decision 18); the history records both,
// the note as a line of its own.
func (s *Store) CancelVisit(ctx context.Context, visitID int64, version int, c visit.Cancellation, by user.User) error {
	return s.WithTx(ctx, func(tx *Store) error {
		if err := tx.touch(ctx, visitID, version); err != nil {
			return err
		}
		if _, err := tx.db.Exec(ctx, `UPDATE visits SET status = 'cancelled', cancelled_at = now(), cancel_reason = $2, cancel_note = $3 WHERE id = $1`,
			visitID, c.Reason, c.Note); err != nil {
			return fmt.Errorf("store: cancel visit %d: %w", visitID, err)
		}
		if err := tx.addEvent(ctx, visitID, by.ID, history.Event{Kind: history.VisitCancelled, Params: history.Params{Reason: c.Reason}}); err != nil {
			return err
		}
		if c.Note == "" {
			return nil
		}
		return tx.addEvent(ctx, visitID, by.ID, history.Event{Kind: history.VisitCancelNote, Params: history.Params{Note: c.Note}})
	})
}

// ListEvents returns a visit's history, newest first.
func (s *Store) ListEvents(ctx context.Context, visitID int64) ([]Event, error) {
	rows, _ := s.db.Query(ctx, `
		SELECT e.id, e.visit_id, e.at, COALESCE(e.user_id, 0), COALESCE(u.name, 'The service'), COALESCE(e.kind, 'legacy'), e.params,
			e.action, e.field, e.old_value, e.new_value, e.detail
		FROM visit_events e LEFT JOIN users u ON u.id = e.user_id
		WHERE e.visit_id = $1 ORDER BY e.id DESC`, visitID)
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Event, error) {
		var e Event
		var params []byte
		st := &e.Stored
		if err := r.Scan(&e.ID, &e.VisitID, &e.At, &e.UserID, &e.UserName, &e.Kind, &params, &st.Action, &st.Field, &st.Old, &st.New, &st.Detail); err != nil {
			return e, err
		}
		if err := json.Unmarshal(params, &e.Params); err != nil {
			return e, fmt.Errorf("params of event %d: %w", e.ID, err)
		}
		return e, nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: list events of visit %d: %w", visitID, err)
	}
	return list, nil
}

// UndoNotice removes the record of the notice call, made in error, so that
// the visit is hidden from Cafcass again; the history keeps the record and
// its undoing, with the reason (DOMAIN decisions 10 and 19).
func (s *Store) UndoNotice(ctx context.Context, visitID int64, version int, reason string, by user.User) error {
	return s.WithTx(ctx, func(tx *Store) error {
		if err := tx.touch(ctx, visitID, version); err != nil {
			return err
		}
		var day, to pgtype.Date
		var at pgtype.Time
		err := tx.db.QueryRow(ctx, `DELETE FROM visit_actuals WHERE visit_id = $1 AND code = 'notice' RETURNING day, to_day, at_time`, visitID).Scan(&day, &to, &at)
		if err != nil {
			return notFound(err, "undo notice on visit %d", visitID)
		}
		if _, err := tx.db.Exec(ctx, `UPDATE visits SET notice_given_at = NULL WHERE id = $1`, visitID); err != nil {
			return fmt.Errorf("store: undo notice on visit %d: %w", visitID, err)
		}
		if err := tx.addEvent(ctx, visitID, by.ID, history.Event{Kind: history.VisitNoticeUndone, Params: history.Params{
			Milestone: timeline.CodeNotice, OldDates: history.Days(fromPGDate(day), fromPGDate(to)), Reason: reason}}); err != nil {
			return err
		}
		return tx.withdrawNotice(ctx, visitID)
	})
}

// withdrawNotice, once a notice recorded in error is undone, stops the
// messages to Cafcass about the visit that have not gone yet, and tells
// the Cafcass people who may have had one that the notice is withdrawn
// (DOMAIN decision 19). A message another process is sending at that
// moment goes, and its recipient is told.
func (s *Store) withdrawNotice(ctx context.Context, visitID int64) error {
	a, err := s.About(ctx, visitID)
	if err != nil {
		return err
	}
	var cafcass []int64
	for _, m := range a.Visit.MembersAs(visit.RoleCafcass) {
		cafcass = append(cafcass, m.UserID)
	}
	if _, err := s.db.Exec(ctx, `UPDATE outbox_messages SET status = 'skipped', last_error = 'not sent: the notice was withdrawn'
		WHERE id IN (SELECT id FROM outbox_messages WHERE visit_id = $1 AND user_id = ANY($2) AND status IN ('queued', 'digest')
			FOR UPDATE SKIP LOCKED)`, visitID, cafcass); err != nil {
		return fmt.Errorf("store: stop messages of visit %d: %w", visitID, err)
	}
	rows, _ := s.db.Query(ctx, `SELECT DISTINCT user_id FROM outbox_messages WHERE visit_id = $1 AND user_id = ANY($2) AND status <> 'skipped'`,
		visitID, cafcass)
	told, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return fmt.Errorf("store: Cafcass told of visit %d: %w", visitID, err)
	}
	var to []notify.Recipient
	for _, m := range a.Visit.MembersAs(visit.RoleCafcass) {
		if slices.Contains(told, m.UserID) {
			to = append(to, notify.RecipientOf(m))
		}
	}
	return s.QueueMessages(ctx, a.NoticeWithdrawn(to)...)
}

// VisitSearch narrows the list of every visit (administrators').
type VisitSearch struct {
	// Reference is part of a visit's reference, in any case ("" for any).
	Reference string
	// LeadID is the visit's lead inspector (0 for any).
	LeadID int64
	// AnchorFrom and AnchorTo bound the day the plan is counted from (zero
	// for no bound).
	AnchorFrom, AnchorTo workday.Date
	// Stage is what the visits found have on record (visit.RecordOf).
	Stage visit.StageRecord
	// Limit and Offset page the list (Limit 0: every visit found).
	Limit, Offset int
}

// SearchVisits returns the visits that match, latest anchor first, and how
// many match in all.
func (s *Store) SearchVisits(ctx context.Context, f VisitSearch) ([]visit.Details, int, error) {
	var conds []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args))
	}
	if f.Reference != "" {
		conds = append(conds, "v.reference ILIKE "+arg("%"+likeEscape(f.Reference)+"%"))
	}
	if f.LeadID != 0 {
		conds = append(conds, "EXISTS (SELECT 1 FROM visit_members m WHERE m.visit_id = v.id AND m.role = 'lead_inspector' AND m.user_id = "+arg(f.LeadID)+")")
	}
	if !f.AnchorFrom.IsZero() {
		conds = append(conds, "v.anchor_date >= "+arg(pgDate(f.AnchorFrom)))
	}
	if !f.AnchorTo.IsZero() {
		conds = append(conds, "v.anchor_date <= "+arg(pgDate(f.AnchorTo)))
	}
	if f.Stage.Status != "" {
		conds = append(conds, "v.status = "+arg(f.Stage.Status))
	}
	switch f.Stage.NoticeGiven {
	case visit.Yes:
		conds = append(conds, "v.notice_given_at IS NOT NULL")
	case visit.No:
		conds = append(conds, "v.notice_given_at IS NULL")
	}
	if f.Stage.Published != visit.Either {
		published := "EXISTS (SELECT 1 FROM visit_actuals a WHERE a.visit_id = v.id AND a.code = " + arg(timeline.CodePublication) + ")"
		if f.Stage.Published == visit.No {
			published = "NOT " + published
		}
		conds = append(conds, published)
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	var total int
	if err := s.db.QueryRow(ctx, `SELECT count(*) FROM visits v`+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count visits: %w", err)
	}
	page := ""
	if f.Limit > 0 {
		page = " LIMIT " + arg(f.Limit) + " OFFSET " + arg(f.Offset)
	}
	ds, err := s.visitsWhere(ctx, visit.Visibility{All: true}, where+` ORDER BY v.anchor_date DESC, v.id DESC`+page, args, "search visits")
	return ds, total, err
}

// likeEscape makes s match itself in a LIKE pattern.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

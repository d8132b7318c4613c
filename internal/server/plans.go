package server

import (
	"context"
	"slices"
	"sync/atomic"
	"time"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/ofsted/focusedvisits/internal/store"
	"github.com/ofsted/focusedvisits/internal/timeline"
	"github.com/ofsted/focusedvisits/internal/visit"
	"github.com/ofsted/focusedvisits/internal/workday"
)

// A visit's plan is a pure function of what it is computed from (issue
// 16.1): the visit's own inputs, which visits.plan_version names, and the
// calendar, which calendar_versions names. Both are in PostgreSQL, moved by
// triggers in the transaction of every change (migration 00034), and read
// with the visit, so each instance keeps the plans it computed and works one
// out again only when a version has moved, whichever instance moved it.

// planKind is which plan of a visit is kept.
type planKind uint8

const (
	// planExplained: with explanations and the scheduling checks for a
	// day (planKey.today), without the clash check, which depends on
	// other visits and is run on each request (timeline.ClashWarnings).
	planExplained planKind = iota + 1
	// planKindDates: the dates alone (visit.Details.Dates).
	planKindDates
	// planFirst: the dates alone of the plan as first made, before any
	// deferral and with nothing recorded or set by hand (DOMAIN decision
	// 11: the planned column).
	planFirst
	// planUndated: with explanations, checked on no particular day, for
	// calendar files, which outlive the day they are fetched on.
	planUndated
)

// planKey names one computed plan.
type planKey struct {
	visit, planVersion, calendarVersion int64
	kind                                planKind
	today                               workday.Date // planExplained only
}

// planCache keeps computed plans, the least recently used going first.
// Plans in it are shared by every request: never change one.
//
// The clash check reads the fieldwork of every other visit of a visit's
// inspectors near its dates, hundreds on a busy service: it keeps just
// those days (fieldworkPerPlan entries for each plan kept, a few dozen
// bytes each), so that a visit page does not push the plans out of the
// cache, nor load and plan its neighbours again on every view (issue 16.5).
type planCache struct {
	plans     *lru.Cache[planKey, timeline.Plan]
	fieldwork *lru.Cache[planKey, fieldworkDays]
	computed  atomic.Int64 // plans worked out (not found kept)
	reused    atomic.Int64 // plans (or their fieldwork) found kept
}

// fieldworkDays are a visit's fieldwork days by its plan; ok false for a
// plan without fieldwork.
type fieldworkDays struct {
	from, to workday.Date
	ok       bool
}

// fieldworkPerPlan is how many visits' fieldwork days are kept for each
// plan kept (PLAN_CACHE_SIZE).
const fieldworkPerPlan = 50

func newPlanCache(size int) *planCache {
	c, err := lru.New[planKey, timeline.Plan](max(size, 1))
	if err != nil {
		panic(err) // only for a size below 1
	}
	f, err := lru.New[planKey, fieldworkDays](max(size, 1) * fieldworkPerPlan)
	if err != nil {
		panic(err)
	}
	return &planCache{plans: c, fieldwork: f}
}

// PlanCounts says how many plans this server has worked out and how many
// it found already worked out, for tests and measurements.
func (s *Server) PlanCounts() (computed, reused int64) {
	return s.planCache.computed.Load(), s.planCache.reused.Load()
}

// CalendarFileCounts says how many visits' calendar files this server has
// made and how many it found kept, for tests and measurements.
func (s *Server) CalendarFileCounts() (made, kept int64) {
	return s.icsMade.Load(), s.icsKept.Load()
}

// calendarAt is a calendar and the version of the closure days it has,
// with how often and when last they were changed (store.CalendarState),
// which calendar files count in their SEQUENCE and LAST-MODIFIED.
type calendarAt struct {
	cal        *workday.Calendar
	version    int64
	changes    int
	lastChange time.Time
}

// loadCalendar returns the calendar: the one kept, with no query, when it
// has the version read with the signed-in user at the start of the request;
// else it reads the closure days with their version and builds it again
// (building one allocates its day tables, about 100 KB). Calendars are
// immutable, so requests share them.
func (s *Server) loadCalendar(ctx context.Context) (calendarAt, error) {
	if v, _ := ctx.Value(ctxCalendarVersion).(int64); v != 0 {
		if c, ok := s.keptCalendar(v); ok {
			return c, nil
		}
	}
	st, err := s.store.CalendarClosures(ctx)
	if err != nil {
		return calendarAt{}, err
	}
	s.calMu.Lock()
	defer s.calMu.Unlock()
	if s.cal.cal != nil && s.cal.version == st.Version {
		return s.cal, nil
	}
	c := calendarAt{cal: workday.EnglandAndWales().WithClosures(st.Closures), version: st.Version, changes: st.Changes, lastChange: st.LastChange}
	if c.version > s.cal.version || s.cal.cal == nil {
		s.cal = c
	}
	return c, nil
}

// keptCalendar is the calendar kept, if it is at version.
func (s *Server) keptCalendar(version int64) (calendarAt, bool) {
	s.calMu.Lock()
	c := s.cal
	s.calMu.Unlock()
	return c, c.cal != nil && c.version == version
}

// calendarFor is the calendar for a visit as the store returned it: the one
// kept, with no query, when it has the calendar version read with the
// visit; else loadCalendar.
func (s *Server) calendarFor(ctx context.Context, d visit.Details) (calendarAt, error) {
	if d.CalendarVersion != 0 {
		if c, ok := s.keptCalendar(d.CalendarVersion); ok {
			return c, nil
		}
	}
	return s.loadCalendar(ctx)
}

// keptPlan returns the plan key names, computing it (and keeping it) only
// when it is not kept. A visit not read from the store (PlanVersion 0) is
// always computed.
func (s *Server) keptPlan(key planKey, compute func() (timeline.Plan, error)) (timeline.Plan, error) {
	if key.planVersion != 0 {
		if p, ok := s.planCache.plans.Get(key); ok {
			s.planCache.reused.Add(1)
			return p, nil
		}
	}
	p, err := compute()
	if err != nil {
		return p, err
	}
	s.planCache.computed.Add(1)
	// Clipped, so that appending to a kept plan's slices copies them.
	p.Milestones, p.Warnings, p.Days = slices.Clip(p.Milestones), slices.Clip(p.Warnings), slices.Clip(p.Days)
	if key.planVersion != 0 {
		s.planCache.plans.Add(key, p)
	}
	return p, nil
}

// datesOf is d.Dates, kept: d must be as the store returned it.
func (s *Server) datesOf(c calendarAt, d visit.Details) (timeline.Plan, error) {
	key := planKey{visit: d.ID, planVersion: d.PlanVersion, calendarVersion: c.version, kind: planKindDates}
	return s.keptPlan(key, func() (timeline.Plan, error) { return d.Dates(c.cal, london) })
}

// undatedPlanOf is d.Plan with no other visits, kept: d must be as the
// store returned it.
func (s *Server) undatedPlanOf(c calendarAt, d visit.Details) (timeline.Plan, error) {
	key := planKey{visit: d.ID, planVersion: d.PlanVersion, calendarVersion: c.version, kind: planUndated}
	return s.keptPlan(key, func() (timeline.Plan, error) { return d.Plan(c.cal, london, nil) })
}

// firstDatesOf is the dates of d's plan as first made: from the anchor before
// the first deferral granted (dfs are d's deferrals), with nothing recorded
// or set by hand. d must be as the store returned it.
func (s *Server) firstDatesOf(c calendarAt, d visit.Details, dfs []store.Deferral) (timeline.Plan, error) {
	key := planKey{visit: d.ID, planVersion: d.PlanVersion, calendarVersion: c.version, kind: planFirst}
	return s.keptPlan(key, func() (timeline.Plan, error) {
		base := d
		base.Actuals, base.Overrides, base.PlanFromAnchor = nil, nil, false
		if code, day, ok := store.OriginalAnchor(dfs); ok {
			base.AnchorCode, base.AnchorDate = code, day
		}
		return base.Dates(c.cal, london)
	})
}

// visitPlan is d's full plan on today, explained and checked for fieldwork
// clashes with the other active visits of its inspectors: the explained plan
// kept, the clash check run afresh. d must be as the store returned it.
func (s *Server) visitPlan(ctx context.Context, c calendarAt, d visit.Details) (timeline.Plan, error) {
	today := s.today()
	key := planKey{visit: d.ID, planVersion: d.PlanVersion, calendarVersion: c.version, kind: planExplained, today: today}
	p, err := s.keptPlan(key, func() (timeline.Plan, error) {
		in, err := d.Input(c.cal, london, nil)
		if err != nil {
			return timeline.Plan{}, err
		}
		in.Today = today
		return timeline.Compute(in)
	})
	if err != nil {
		return p, err
	}
	others, err := s.otherFieldwork(ctx, c, d)
	if err != nil || len(others) == 0 {
		return p, err
	}
	in, err := d.Input(c.cal, london, others)
	if err != nil {
		return p, err
	}
	p.Warnings = append(p.Warnings, timeline.ClashWarnings(p, in)...)
	return p, nil
}

// clashWindowDays bounds the clash check to visits planned from a date this
// many calendar days either side of the visit's own anchor: fieldwork is
// within about two weeks of either anchor, so this leaves generous room for
// recorded dates and deferrals while skipping years of finished visits.
const clashWindowDays = 90

// otherFieldwork is the fieldwork of the other active visits that share an
// inspector with d. Their dates are kept plans: only the visits whose plan
// is not kept are loaded.
func (s *Server) otherFieldwork(ctx context.Context, c calendarAt, d visit.Details) ([]timeline.OtherVisit, error) {
	var ids []int64
	names := map[int64]string{}
	for _, m := range d.Members {
		if m.Role == visit.RoleLead || m.Role == visit.RoleTeam {
			ids = append(ids, m.UserID)
			names[m.UserID] = m.Name
		}
	}
	if len(ids) == 0 {
		return nil, nil
	}
	cands, err := s.store.ListClashCandidates(ctx, ids, d.ID, d.AnchorDate.AddDays(-clashWindowDays), d.AnchorDate.AddDays(clashWindowDays))
	if err != nil {
		return nil, err
	}
	days := make([]fieldworkDays, len(cands))
	var missing []int64
	at := map[int64]int{}
	for i, o := range cands {
		key := planKey{visit: o.ID, planVersion: o.PlanVersion, calendarVersion: c.version, kind: planKindDates}
		if f, ok := s.planCache.fieldwork.Get(key); ok {
			s.planCache.reused.Add(1)
			days[i] = f
			continue
		}
		if p, ok := s.planCache.plans.Get(key); ok {
			s.planCache.reused.Add(1)
			days[i] = s.keepFieldwork(key, p)
			continue
		}
		missing = append(missing, o.ID)
		at[o.ID] = i
	}
	if len(missing) > 0 {
		ds, err := s.store.ListVisits(ctx, missing)
		if err != nil {
			return nil, err
		}
		for _, o := range ds {
			p, err := s.datesOf(c, o)
			if err != nil {
				return nil, err
			}
			days[at[o.ID]] = s.keepFieldwork(planKey{visit: o.ID, planVersion: o.PlanVersion, calendarVersion: c.version, kind: planKindDates}, p)
		}
	}
	var others []timeline.OtherVisit
	for i, o := range cands {
		f := days[i]
		if !f.ok {
			continue
		}
		// Only d's inspectors can clash: the others need no name.
		var keys []string
		for _, id := range o.InspectorIDs {
			if name, ok := names[id]; ok {
				keys = append(keys, visit.InspectorKey(id, name))
			}
		}
		others = append(others, timeline.OtherVisit{Name: o.Reference, From: f.from, To: f.to, Inspectors: keys})
	}
	return others, nil
}

// keepFieldwork keeps the fieldwork days of p, the dates of the visit key
// names, for the clash check, and returns them.
func (s *Server) keepFieldwork(key planKey, p timeline.Plan) fieldworkDays {
	var f fieldworkDays
	if m, ok := p.Milestone(timeline.CodeFieldwork); ok {
		f = fieldworkDays{from: m.First(), to: m.Last(), ok: true}
	}
	if key.planVersion != 0 {
		s.planCache.fieldwork.Add(key, f)
	}
	return f
}

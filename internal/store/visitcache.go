package store

import (
	"context"
	"fmt"
	"slices"

	lru "github.com/hashicorp/golang-lru/v2"
	"github.com/jackc/pgx/v5"

	"github.com/ofsted/focusedvisits/internal/visit"
)

// Visits kept in memory (issue 16.2). Reading a visit in full costs the
// database a join and a JSON array for each of its team, events recorded,
// dates set by hand and warnings accepted, and the service the decoding of
// them: most of a start page's time when a person is on a hundred open
// visits. visits.detail_version takes a new number from one sequence with
// any change to any of those, by triggers (migration 00043), so a list reads
// the ids and detail versions of the visits it shows, then in full only
// those not kept at that version. A change made through any instance is
// seen by the next read on every other, and a number is never given twice,
// so a visit read inside a transaction that is rolled back is never served.

// DefaultVisitCacheSize is how many visits a store keeps unless told
// otherwise (VISIT_CACHE_SIZE): at a few KB each, a few tens of MB.
const DefaultVisitCacheSize = 5000

// keptVisit is a visit as read in full, with the detail version it was
// read at.
type keptVisit struct {
	version int64
	d       visit.Details
}

// visitCache keeps visits read in full, the least recently used dropped
// first.
type visitCache struct {
	kept *lru.Cache[int64, keptVisit]
}

func newVisitCache(size int) *visitCache {
	c, err := lru.New[int64, keptVisit](max(size, 1))
	if err != nil { // only for a size below 1
		panic(err)
	}
	return &visitCache{kept: c}
}

// get returns the visit kept at version, if it is.
func (c *visitCache) get(id, version int64) (visit.Details, bool) {
	k, ok := c.kept.Get(id)
	if !ok || k.version != version {
		return visit.Details{}, false
	}
	return k.d, true
}

// put keeps d, read at version. Its slices are clipped so that a caller
// appending to its copy never writes into what another request reads.
func (c *visitCache) put(d visit.Details, version int64) {
	d.Members = slices.Clip(d.Members)
	d.Actuals = slices.Clip(d.Actuals)
	d.Overrides = slices.Clip(d.Overrides)
	d.Acceptances = slices.Clip(d.Acceptances)
	c.kept.Add(d.ID, keptVisit{version: version, d: d})
}

// WithVisitCache returns a store that keeps at most size visits in memory
// (VISIT_CACHE_SIZE).
func (s *Store) WithVisitCache(size int) *Store {
	c := *s
	c.visits = newVisitCache(size)
	return &c
}

// visitsWhere returns the visits that from (a FROM visits v clause's tail:
// its joins, conditions, order and limit, with args) finds, in its order:
// the ids and versions first, then in full (selectVisits) only the visits
// not kept at their version. A visit kept is as the first statement found
// it, with the calendar version that statement read; a visit read in full
// may have changed since, so it is kept only if the filter, which from's
// conditions must apply too, still allows it (a notice undone or a member
// removed between the two statements must not show the visit: DOMAIN
// decision 9).
func (s *Store) visitsWhere(ctx context.Context, allow visit.Visibility, from string, args []any, format string, fargs ...any) ([]visit.Details, error) {
	type found struct{ id, version, calendar int64 }
	rows, _ := s.db.Query(ctx, `SELECT v.id, v.detail_version, (SELECT version FROM calendar_versions) FROM visits v `+from, args...)
	var fs []found
	var f found
	_, err := pgx.ForEachRow(rows, []any{&f.id, &f.version, &f.calendar}, func() error {
		fs = append(fs, f)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: "+format+": %w", append(fargs, err)...)
	}
	// ok[i]: fs[i] is in ds[i], found kept or read in full.
	ds, ok := make([]visit.Details, len(fs)), make([]bool, len(fs))
	var missing []int64
	for i, f := range fs {
		if ds[i], ok[i] = s.visits.get(f.id, f.version); ok[i] {
			ds[i].CalendarVersion = f.calendar
		} else {
			missing = append(missing, f.id)
		}
	}
	if len(missing) > 0 {
		// One visit (the usual miss: a visit just changed) by a statement
		// of its own, whose generic plan PostgreSQL keeps. With = ANY it
		// planned the statement afresh on every call, since a generic plan
		// must guess the array's length: 1 ms of planning for 0.7 ms of
		// work, the load test's costliest statement.
		if len(missing) == 1 {
			rows, _ = s.db.Query(ctx, selectVisits+`WHERE v.id = $1`, missing[0])
		} else {
			rows, _ = s.db.Query(ctx, selectVisits+`WHERE v.id = ANY($1)`, missing)
		}
		read := make(map[int64]visit.Details, len(missing))
		for rows.Next() {
			d, version, err := scanVisitVersion(rows)
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("store: "+format+": %w", append(fargs, err)...)
			}
			s.visits.put(d, version)
			read[d.ID] = d
		}
		if err := rows.Err(); err != nil {
			return nil, fmt.Errorf("store: "+format+": %w", append(fargs, err)...)
		}
		for i, f := range fs {
			if !ok[i] {
				ds[i], ok[i] = read[f.id]
			}
		}
	}
	// A visit deleted, or no longer allowed, between the two statements is
	// left out. (One kept is as the first statement found it, so allowed
	// already; it is checked all the same, as it costs nothing.)
	out := ds[:0]
	for i := range ds {
		if ok[i] && allow.Allows(ds[i]) {
			out = append(out, ds[i])
		}
	}
	return out, nil
}

-- +goose Up
-- Fewer writes and flat reads for the load test's mix (issue 16.5).
--
-- A person's visits by date: the calendar's month, the clash check's
-- window and the start page's open visits read a person's own entries of
-- visit_people, so their cost grows with that person's visits in view, not
-- with everyone's (the calendar and the clash check read every visit
-- anchored in the window and dropped those of other people: 1.3 ms and
-- 0.4 ms a page at 50 leads with visits in the same months) nor with the
-- person's own past (the open visits were found among all the person's
-- visit_members rows).
CREATE INDEX visit_people_anchor_idx ON visit_people (user_id, anchor_date, visit_id);
CREATE INDEX visit_people_open_idx ON visit_people (user_id, anchor_date, visit_id) WHERE open;
-- (An administrator's open visits are all of them: by date, read alone.)
CREATE INDEX visits_open_anchor_idx ON visits (anchor_date, id) WHERE open;

-- Nothing reads visits.member_ids by these any more (visit_people does
-- their work, in order); they were updated on every change to a visit's
-- row that was not a heap-only update.
DROP INDEX visits_open_members_idx;
DROP INDEX visits_members_idx;

-- Room on each page of visits for the new versions of its rows, so that
-- the updates every recorded event makes (its version, plan version and
-- detail version) are heap-only and write no index: 30% were not.
ALTER TABLE visits SET (fillfactor = 70);

-- A change to a visit's actual dates, dates set by hand or team already
-- updates the visit's row (its plan version, migration 00034; its
-- inspectors and members, migration 00041), which takes a new detail
-- version (migration 00043): these second updates of the same row did
-- nothing more. TestDetailVersionFollowsEveryChange checks each table.
DROP TRIGGER visit_actuals_detail_version ON visit_actuals;
DROP TRIGGER visit_overrides_detail_version ON visit_overrides;
DROP TRIGGER visit_members_detail_version ON visit_members;

-- +goose Down
CREATE TRIGGER visit_actuals_detail_version AFTER INSERT OR UPDATE OR DELETE ON visit_actuals
	FOR EACH ROW EXECUTE FUNCTION bump_visit_detail_version();
CREATE TRIGGER visit_overrides_detail_version AFTER INSERT OR UPDATE OR DELETE ON visit_overrides
	FOR EACH ROW EXECUTE FUNCTION bump_visit_detail_version();
CREATE TRIGGER visit_members_detail_version AFTER INSERT OR UPDATE OR DELETE ON visit_members
	FOR EACH ROW EXECUTE FUNCTION bump_visit_detail_version();
ALTER TABLE visits RESET (fillfactor);
CREATE INDEX visits_open_members_idx ON visits USING gin (member_ids) WHERE open;
CREATE INDEX visits_members_idx ON visits USING gin (member_ids);
DROP INDEX visits_open_anchor_idx;
DROP INDEX visit_people_open_idx;
DROP INDEX visit_people_anchor_idx;

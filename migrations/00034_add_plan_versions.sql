-- +goose Up
-- Versions that key the computed plans each instance keeps in memory (issue
-- 16.1). A visit's plan is a pure function of its template, anchor,
-- priority action, re-anchoring, recorded events, dates set by hand and
-- granted deferrals, and of the calendar (bank holidays, fixed in the
-- binary, and closure days). visits.plan_version goes up in the same
-- transaction as any change to those, and calendar_versions.version with any
-- change to the closure days, by triggers, so no write can forget it; every
-- instance reads both with the visit and computes a plan again only when one
-- has moved, whichever instance made the change.
ALTER TABLE visits ADD COLUMN plan_version bigint NOT NULL DEFAULT 1;

-- +goose StatementBegin
CREATE FUNCTION visits_bump_plan_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF (NEW.template_id, NEW.template_version, NEW.anchor_code, NEW.anchor_date, NEW.priority_action, NEW.plan_from_anchor)
		IS DISTINCT FROM (OLD.template_id, OLD.template_version, OLD.anchor_code, OLD.anchor_date, OLD.priority_action, OLD.plan_from_anchor) THEN
		NEW.plan_version := OLD.plan_version + 1;
	END IF;
	RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER visits_plan_version BEFORE UPDATE ON visits
	FOR EACH ROW EXECUTE FUNCTION visits_bump_plan_version();

-- A change to a row that hangs on a visit (its events recorded, its dates
-- set by hand, its deferrals) moves the visit's plan version.
-- +goose StatementBegin
CREATE FUNCTION bump_visit_plan_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP <> 'INSERT' THEN
		UPDATE visits SET plan_version = plan_version + 1 WHERE id = OLD.visit_id;
	END IF;
	IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.visit_id <> OLD.visit_id) THEN
		UPDATE visits SET plan_version = plan_version + 1 WHERE id = NEW.visit_id;
	END IF;
	RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER visit_actuals_plan_version AFTER INSERT OR UPDATE OR DELETE ON visit_actuals
	FOR EACH ROW EXECUTE FUNCTION bump_visit_plan_version();
CREATE TRIGGER visit_overrides_plan_version AFTER INSERT OR UPDATE OR DELETE ON visit_overrides
	FOR EACH ROW EXECUTE FUNCTION bump_visit_plan_version();
CREATE TRIGGER visit_deferrals_plan_version AFTER INSERT OR UPDATE OR DELETE ON visit_deferrals
	FOR EACH ROW EXECUTE FUNCTION bump_visit_plan_version();

-- The calendar's version: one row, moved by every change to the closure days.
CREATE TABLE calendar_versions (
	only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
	version  bigint NOT NULL DEFAULT 1
);
INSERT INTO calendar_versions DEFAULT VALUES;

-- +goose StatementBegin
CREATE FUNCTION bump_calendar_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE calendar_versions SET version = version + 1;
	RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER closure_days_calendar_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON closure_days
	FOR EACH STATEMENT EXECUTE FUNCTION bump_calendar_version();

-- The clash check reads the active visits planned from a date near a
-- visit's own (an index on that, so years of past visits are not read) and
-- keeps those with one of its inspectors: each visit's lead and team
-- inspectors are kept on it, by a trigger on its team, so that no visit's
-- team need be looked up to find them.
CREATE INDEX visits_active_anchor_idx ON visits (anchor_date) WHERE status = 'active';
ALTER TABLE visits ADD COLUMN inspector_ids bigint[] NOT NULL DEFAULT '{}';
UPDATE visits v SET inspector_ids = ARRAY(
	SELECT DISTINCT m.user_id FROM visit_members m
	WHERE m.visit_id = v.id AND m.role IN ('lead_inspector', 'team_inspector') ORDER BY m.user_id);

-- +goose StatementBegin
CREATE FUNCTION visits_set_inspector_ids() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	vid bigint;
BEGIN
	FOR vid IN SELECT DISTINCT x FROM unnest(ARRAY[
		CASE WHEN TG_OP <> 'INSERT' THEN OLD.visit_id END,
		CASE WHEN TG_OP <> 'DELETE' THEN NEW.visit_id END]) x WHERE x IS NOT NULL LOOP
		UPDATE visits SET inspector_ids = ARRAY(
			SELECT DISTINCT m.user_id FROM visit_members m
			WHERE m.visit_id = vid AND m.role IN ('lead_inspector', 'team_inspector') ORDER BY m.user_id)
		WHERE id = vid;
	END LOOP;
	RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER visit_members_inspector_ids AFTER INSERT OR UPDATE OR DELETE ON visit_members
	FOR EACH ROW EXECUTE FUNCTION visits_set_inspector_ids();

-- +goose Down
DROP TRIGGER visit_members_inspector_ids ON visit_members;
DROP FUNCTION visits_set_inspector_ids();
ALTER TABLE visits DROP COLUMN inspector_ids;
DROP INDEX visits_active_anchor_idx;
DROP TRIGGER closure_days_calendar_version ON closure_days;
DROP FUNCTION bump_calendar_version();
DROP TABLE calendar_versions;
DROP TRIGGER visit_deferrals_plan_version ON visit_deferrals;
DROP TRIGGER visit_overrides_plan_version ON visit_overrides;
DROP TRIGGER visit_actuals_plan_version ON visit_actuals;
DROP FUNCTION bump_visit_plan_version();
DROP TRIGGER visits_plan_version ON visits;
DROP FUNCTION visits_bump_plan_version();
ALTER TABLE visits DROP COLUMN plan_version;

-- +goose Up
-- Start pages that do not grow with history (issue 16.2). A visit is open
-- while it may still ask anything of anyone: it is active and not yet
-- published, or published with a priority action whose action plans
-- (items with a due_code) are not all accepted (or not held). Everything
-- else is past. visits.open is kept by triggers on what decides it, so no
-- write can forget it, and the start page and the calendar read the open
-- visits by an index of them and the past ones a page at a time: their cost
-- is that of what they show, never of the years of visits behind them.
ALTER TABLE visits ADD COLUMN open boolean NOT NULL DEFAULT true;

-- +goose StatementBegin
CREATE FUNCTION visit_is_open(vid bigint, vstatus text, vpriority boolean) RETURNS boolean LANGUAGE sql STABLE AS $$
	SELECT vstatus = 'active' AND (
		NOT EXISTS (SELECT 1 FROM visit_actuals a WHERE a.visit_id = vid AND a.code = 'publication')
		OR vpriority AND EXISTS (SELECT 1 FROM request_items i
			WHERE i.visit_id = vid AND i.due_code IS NOT NULL AND i.status NOT IN ('accepted', 'not_held')))
$$;
-- +goose StatementEnd

-- A visit's own row: its status or priority action changed.
-- +goose StatementBegin
CREATE FUNCTION visits_set_open() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF (NEW.status, NEW.priority_action) IS DISTINCT FROM (OLD.status, OLD.priority_action) THEN
		NEW.open := visit_is_open(NEW.id, NEW.status, NEW.priority_action);
	END IF;
	RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER visits_open BEFORE UPDATE OF status, priority_action ON visits
	FOR EACH ROW EXECUTE FUNCTION visits_set_open();

-- A row hanging on a visit (its publication, its action plans) changed.
-- +goose StatementBegin
CREATE FUNCTION refresh_visit_open() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	vid bigint;
BEGIN
	IF TG_TABLE_NAME = 'visit_actuals' THEN
		IF NOT ((TG_OP <> 'INSERT' AND OLD.code = 'publication') OR (TG_OP <> 'DELETE' AND NEW.code = 'publication')) THEN
			RETURN NULL;
		END IF;
	ELSIF NOT ((TG_OP <> 'INSERT' AND OLD.due_code IS NOT NULL) OR (TG_OP <> 'DELETE' AND NEW.due_code IS NOT NULL)) THEN
		RETURN NULL;
	END IF;
	FOR vid IN SELECT DISTINCT x FROM unnest(ARRAY[
		CASE WHEN TG_OP <> 'INSERT' THEN OLD.visit_id END,
		CASE WHEN TG_OP <> 'DELETE' THEN NEW.visit_id END]) x WHERE x IS NOT NULL LOOP
		UPDATE visits v SET open = visit_is_open(v.id, v.status, v.priority_action)
		WHERE v.id = vid AND v.open IS DISTINCT FROM visit_is_open(v.id, v.status, v.priority_action);
	END LOOP;
	RETURN NULL;
END
$$;
-- +goose StatementEnd
-- (Each looks at the row's code or due_code first: only a publication and
-- the action plans decide it.)
CREATE TRIGGER visit_actuals_open AFTER INSERT OR UPDATE OR DELETE ON visit_actuals
	FOR EACH ROW EXECUTE FUNCTION refresh_visit_open();
CREATE TRIGGER request_items_open AFTER INSERT OR UPDATE OR DELETE ON request_items
	FOR EACH ROW EXECUTE FUNCTION refresh_visit_open();

UPDATE visits v SET open = visit_is_open(v.id, v.status, v.priority_action);

-- Everyone on each visit is kept on it (member_ids, by the trigger that
-- keeps inspector_ids), so that a person's open visits are found by one
-- index of the open visits' members, not by going through every visit they
-- were ever on, and their past ones (a page at a time, latest first) and
-- those near a month of the calendar among their own visits, not among
-- everyone's.
ALTER TABLE visits ADD COLUMN member_ids bigint[] NOT NULL DEFAULT '{}';
UPDATE visits v SET member_ids = ARRAY(SELECT DISTINCT m.user_id FROM visit_members m WHERE m.visit_id = v.id ORDER BY m.user_id);

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION visits_set_inspector_ids() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	vid bigint;
BEGIN
	FOR vid IN SELECT DISTINCT x FROM unnest(ARRAY[
		CASE WHEN TG_OP <> 'INSERT' THEN OLD.visit_id END,
		CASE WHEN TG_OP <> 'DELETE' THEN NEW.visit_id END]) x WHERE x IS NOT NULL LOOP
		UPDATE visits SET inspector_ids = ARRAY(
			SELECT DISTINCT m.user_id FROM visit_members m
			WHERE m.visit_id = vid AND m.role IN ('lead_inspector', 'team_inspector') ORDER BY m.user_id),
		member_ids = ARRAY(SELECT DISTINCT m.user_id FROM visit_members m WHERE m.visit_id = vid ORDER BY m.user_id)
		WHERE id = vid;
	END LOOP;
	RETURN NULL;
END
$$;
-- +goose StatementEnd

CREATE INDEX visits_open_members_idx ON visits USING gin (member_ids) WHERE open;
CREATE INDEX visits_members_idx ON visits USING gin (member_ids);
CREATE INDEX visits_anchor_idx ON visits (anchor_date, id);

-- +goose Down
DROP INDEX visits_anchor_idx;
DROP INDEX visits_members_idx;
DROP INDEX visits_open_members_idx;
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION visits_set_inspector_ids() RETURNS trigger LANGUAGE plpgsql AS $$
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
ALTER TABLE visits DROP COLUMN member_ids;
DROP TRIGGER request_items_open ON request_items;
DROP TRIGGER visit_actuals_open ON visit_actuals;
DROP FUNCTION refresh_visit_open();
DROP TRIGGER visits_open ON visits;
DROP FUNCTION visits_set_open();
DROP FUNCTION visit_is_open(bigint, text, boolean);
ALTER TABLE visits DROP COLUMN open;

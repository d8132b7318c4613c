-- +goose Up
-- Visits kept in memory (issue 16.2). A visit as the service reads it is
-- its own row, its team (with each member's name, email and role), its
-- events recorded, its dates set by hand and its warnings accepted.
-- visits.detail_version takes a new number, from one sequence, in the same
-- transaction as any change to any of those, by triggers, so no write can
-- forget it; a list page reads only the ids and detail versions of the
-- visits it shows and reads in full only those no instance's memory holds
-- at that version. A number is never given twice, so a version read inside
-- a transaction that is then rolled back is never seen again.
CREATE SEQUENCE visit_detail_versions;
ALTER TABLE visits ADD COLUMN detail_version bigint NOT NULL DEFAULT nextval('visit_detail_versions');

-- Any change to the visit's own row.
-- +goose StatementBegin
CREATE FUNCTION visits_bump_detail_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	NEW.detail_version := nextval('visit_detail_versions');
	RETURN NEW;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER visits_detail_version BEFORE UPDATE ON visits
	FOR EACH ROW EXECUTE FUNCTION visits_bump_detail_version();

-- Any change to a row read with the visit: the update of the visit's row
-- takes the new number (the trigger above).
-- +goose StatementBegin
CREATE FUNCTION bump_visit_detail_version() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP <> 'INSERT' THEN
		UPDATE visits SET detail_version = 0 WHERE id = OLD.visit_id;
	END IF;
	IF TG_OP <> 'DELETE' AND (TG_OP = 'INSERT' OR NEW.visit_id <> OLD.visit_id) THEN
		UPDATE visits SET detail_version = 0 WHERE id = NEW.visit_id;
	END IF;
	RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER visit_members_detail_version AFTER INSERT OR UPDATE OR DELETE ON visit_members
	FOR EACH ROW EXECUTE FUNCTION bump_visit_detail_version();
CREATE TRIGGER visit_actuals_detail_version AFTER INSERT OR UPDATE OR DELETE ON visit_actuals
	FOR EACH ROW EXECUTE FUNCTION bump_visit_detail_version();
CREATE TRIGGER visit_overrides_detail_version AFTER INSERT OR UPDATE OR DELETE ON visit_overrides
	FOR EACH ROW EXECUTE FUNCTION bump_visit_detail_version();
CREATE TRIGGER visit_warning_acceptances_detail_version AFTER INSERT OR UPDATE OR DELETE ON visit_warning_acceptances
	FOR EACH ROW EXECUTE FUNCTION bump_visit_detail_version();

-- A person's name, email or role is read with every visit they are on, or
-- recorded, set or accepted something on. (Rare: a full look is cheap
-- enough.) A transaction adding them to a visit meanwhile holds a key-share
-- lock on their row, which FOR UPDATE waits for, so that its visit is among
-- those found (each statement here reads what is committed when it starts);
-- the visits are then locked in id order, so two such changes cannot
-- deadlock on them.
-- +goose StatementBegin
CREATE FUNCTION users_bump_visit_detail_versions() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	ids bigint[];
BEGIN
	PERFORM 1 FROM users WHERE id = NEW.id FOR UPDATE;
	SELECT array_agg(x ORDER BY x) INTO ids FROM (
		SELECT visit_id FROM visit_members WHERE user_id = NEW.id
		UNION SELECT visit_id FROM visit_actuals WHERE recorded_by = NEW.id
		UNION SELECT visit_id FROM visit_overrides WHERE set_by = NEW.id
		UNION SELECT visit_id FROM visit_warning_acceptances WHERE accepted_by = NEW.id) AS found(x);
	PERFORM 1 FROM visits WHERE id = ANY(ids) ORDER BY id FOR UPDATE;
	UPDATE visits SET detail_version = 0 WHERE id = ANY(ids);
	RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER users_visit_detail_versions AFTER UPDATE OF name, email, role ON users
	FOR EACH ROW WHEN ((OLD.name, OLD.email, OLD.role) IS DISTINCT FROM (NEW.name, NEW.email, NEW.role))
	EXECUTE FUNCTION users_bump_visit_detail_versions();

-- A person's past visits, a page at a time and latest first, are found by
-- walking the past visits alone back from the latest, so the open ones
-- (most of the recent visits) are never stepped over.
CREATE INDEX visits_past_anchor_idx ON visits (anchor_date, id) WHERE NOT open;

-- +goose Down
DROP INDEX visits_past_anchor_idx;
DROP TRIGGER users_visit_detail_versions ON users;
DROP FUNCTION users_bump_visit_detail_versions();
DROP TRIGGER visit_warning_acceptances_detail_version ON visit_warning_acceptances;
DROP TRIGGER visit_overrides_detail_version ON visit_overrides;
DROP TRIGGER visit_actuals_detail_version ON visit_actuals;
DROP TRIGGER visit_members_detail_version ON visit_members;
DROP FUNCTION bump_visit_detail_version();
DROP TRIGGER visits_detail_version ON visits;
DROP FUNCTION visits_bump_detail_version();
ALTER TABLE visits DROP COLUMN detail_version;
DROP SEQUENCE visit_detail_versions;

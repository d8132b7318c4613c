-- +goose Up
-- A person's past visits, a page at a time and latest first, read from an
-- index of their own visits in that order (issue 16.2). visits.member_ids
-- (migration 00041) finds a person's visits, but a GIN index has no order:
-- a page of the latest ten read all of the person's past visits and sorted
-- them, so its cost grew with their history. visit_people holds one row
-- per person on a visit, with the visit's anchor date and whether it is
-- open, kept from the visit's row by a trigger (which sees every change to
-- member_ids, anchor_date and open, whoever made it), so the page is the
-- first ten entries of the index under the person's id.
CREATE TABLE visit_people (
	user_id     bigint NOT NULL,
	visit_id    bigint NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
	anchor_date date NOT NULL,
	open        boolean NOT NULL,
	PRIMARY KEY (user_id, visit_id)
);
CREATE INDEX visit_people_visit_idx ON visit_people (visit_id);
CREATE INDEX visit_people_past_idx ON visit_people (user_id, anchor_date, visit_id) WHERE NOT open;

-- (An AFTER trigger on every update, not UPDATE OF: open is set by a BEFORE
-- trigger, which a column list does not see.)
-- +goose StatementBegin
CREATE FUNCTION visits_sync_people() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF TG_OP = 'UPDATE' AND (NEW.member_ids, NEW.anchor_date, NEW.open) IS NOT DISTINCT FROM (OLD.member_ids, OLD.anchor_date, OLD.open) THEN
		RETURN NULL;
	END IF;
	DELETE FROM visit_people WHERE visit_id = NEW.id AND user_id <> ALL (NEW.member_ids);
	INSERT INTO visit_people (user_id, visit_id, anchor_date, open)
		SELECT u, NEW.id, NEW.anchor_date, NEW.open FROM unnest(NEW.member_ids) AS u
	ON CONFLICT (user_id, visit_id) DO UPDATE SET anchor_date = EXCLUDED.anchor_date, open = EXCLUDED.open
		WHERE (visit_people.anchor_date, visit_people.open) IS DISTINCT FROM (EXCLUDED.anchor_date, EXCLUDED.open);
	RETURN NULL;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER visits_people AFTER INSERT OR UPDATE ON visits
	FOR EACH ROW EXECUTE FUNCTION visits_sync_people();

INSERT INTO visit_people (user_id, visit_id, anchor_date, open)
	SELECT u, v.id, v.anchor_date, v.open FROM visits v, unnest(v.member_ids) AS u;

-- +goose Down
DROP TRIGGER visits_people ON visits;
DROP FUNCTION visits_sync_people();
DROP TABLE visit_people;

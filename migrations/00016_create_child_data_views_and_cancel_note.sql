-- +goose Up
-- The record of who viewed children's data (DOMAIN decision 17): one row per
-- view or download of a visit's child-level rows, case sample, list checks
-- or child-level files. It says who, when, which visit and which kind of
-- record (visit.ChildRecord), never the data itself, so it is kept when the
-- retention job deletes the data. It is append-only: rows are never
-- changed or deleted, which the triggers below enforce.
CREATE TABLE child_data_views (
	id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	viewed_at timestamptz NOT NULL,
	visit_id  bigint NOT NULL REFERENCES visits (id),
	user_id   bigint NOT NULL REFERENCES users (id),
	-- user_role is the viewer's role when they viewed it.
	user_role text NOT NULL,
	record    text NOT NULL CHECK (record IN ('child_rows', 'child_row', 'case_sample', 'child_list_check', 'child_file'))
);
CREATE INDEX child_data_views_visit_idx ON child_data_views (visit_id, id DESC);

-- +goose StatementBegin
CREATE FUNCTION child_data_views_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'child_data_views is append-only: % refused', TG_OP
		USING ERRCODE = 'insufficient_privilege';
END
$$;
-- +goose StatementEnd
CREATE TRIGGER child_data_views_no_change BEFORE UPDATE OR DELETE ON child_data_views
	FOR EACH ROW EXECUTE FUNCTION child_data_views_append_only();
CREATE TRIGGER child_data_views_no_truncate BEFORE TRUNCATE ON child_data_views
	FOR EACH STATEMENT EXECUTE FUNCTION child_data_views_append_only();

-- A cancellation's reason is shown to Cafcass (visits.cancel_reason); its
-- internal note is not (DOMAIN decision 18).
ALTER TABLE visits ADD COLUMN cancel_note text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE visits DROP COLUMN cancel_note;
DROP TABLE child_data_views;
DROP FUNCTION child_data_views_append_only();

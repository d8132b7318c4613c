-- +goose Up
-- The record of who viewed material handed over in confidence or under
-- embargo (DOMAIN H.3): Cafcass reading the draft or the final letter sent
-- to it, and anyone downloading a file. These views happen on a GET, which
-- never writes domain data (DOMAIN decision 16), so they are not lines of
-- visit_events but rows of this record, as child_data_views is for
-- children's data. The visit's history shows both, merged by time.
-- It is append-only: rows are never changed or deleted, which the triggers
-- below enforce.
CREATE TABLE material_views (
	id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	-- viewed_at is the database's clock, as visit_events.at is: the
	-- history merges the two by time.
	viewed_at      timestamptz NOT NULL DEFAULT now(),
	visit_id       bigint NOT NULL REFERENCES visits (id),
	user_id        bigint NOT NULL REFERENCES users (id),
	-- user_role is the viewer's role when they viewed it.
	user_role      text NOT NULL,
	what           text NOT NULL CHECK (what IN ('draft_letter', 'final_letter', 'file')),
	-- letter_version is the version of the letter read (draft_letter,
	-- final_letter).
	letter_version integer CHECK (letter_version IS NULL OR what <> 'file'),
	-- file_id is the file downloaded. It is not a foreign key: the
	-- retention job deletes files, and the record of who downloaded them
	-- stays. A view moved from the history whose file was not found has
	-- none.
	file_id        bigint CHECK (file_id IS NULL OR what = 'file'),
	-- description names the file as it was (name, size, digest), so the
	-- record says what was downloaded after the file is gone; for a view
	-- moved from the history, the words the history had.
	description    text NOT NULL DEFAULT ''
);
CREATE INDEX material_views_visit_idx ON material_views (visit_id, viewed_at DESC);

-- +goose StatementBegin
CREATE FUNCTION material_views_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'material_views is append-only: % refused', TG_OP
		USING ERRCODE = 'insufficient_privilege';
END
$$;
-- +goose StatementEnd
CREATE TRIGGER material_views_no_change BEFORE UPDATE OR DELETE ON material_views
	FOR EACH ROW EXECUTE FUNCTION material_views_append_only();
CREATE TRIGGER material_views_no_truncate BEFORE TRUNCATE ON material_views
	FOR EACH STATEMENT EXECUTE FUNCTION material_views_append_only();

-- The views recorded so far as lines of the history move here, in the
-- order they were recorded. A letter view keeps its version (its words,
-- "Version 2, read by …", are chosen again when shown); a download keeps
-- the words naming the file, and its file when one of the visit's files
-- has that name, digest and version. A line recorded as a kind with params
-- (structured history: its detail is empty) gives the same from its
-- params; to_jsonb(e) -> 'params' is NULL where there is no such column.
INSERT INTO material_views (viewed_at, visit_id, user_id, user_role, what, letter_version, file_id, description)
SELECT e.at, e.visit_id, e.user_id, COALESCE(e.p ->> 'user_role', u.role),
	CASE e.action WHEN 'Draft letter viewed by Cafcass' THEN 'draft_letter'
		WHEN 'Final letter viewed by Cafcass' THEN 'final_letter' ELSE 'file' END,
	CASE WHEN e.action <> 'File downloaded' THEN
		COALESCE(substring(e.detail FROM '^Version ([0-9]{1,9}),')::integer, (e.p ->> 'version')::integer) END,
	CASE WHEN e.action = 'File downloaded' THEN (
		SELECT f.id FROM files f
		WHERE f.visit_id = e.visit_id AND CASE WHEN e.detail <> '' THEN
				starts_with(e.detail, f.name || ' (')
				AND strpos(e.detail, ', sha256 ' || left(encode(f.sha256, 'hex'), 8) || '…)') > 0
				AND f.version = COALESCE(substring(e.detail FROM ', version ([0-9]{1,9})$')::integer, 1)
			ELSE f.name = e.p ->> 'file' AND encode(f.sha256, 'hex') = e.p ->> 'sha256'
				AND f.version = (e.p ->> 'version')::integer END
		ORDER BY f.id LIMIT 1) END,
	CASE WHEN e.action = 'File downloaded' AND e.detail = '' AND e.p ? 'file' THEN
			-- As upload.FormatSize and the history name a file.
			(e.p ->> 'file') || ' (' || CASE WHEN z.size = 1 THEN '1 byte'
				WHEN z.size < 1024 THEN z.size || ' bytes'
				WHEN z.size < 1048576 THEN regexp_replace(round(z.size / 1024.0, 1)::text, '\.0$', '') || ' KB'
				WHEN z.size < 1073741824 THEN regexp_replace(round(z.size / 1048576.0, 1)::text, '\.0$', '') || ' MB'
				ELSE regexp_replace(round(z.size / 1073741824.0, 1)::text, '\.0$', '') || ' GB' END
			|| ', sha256 ' || left(e.p ->> 'sha256', 8) || '…)'
			|| CASE WHEN (e.p ->> 'version')::integer > 1 OR (e.p ->> 'superseded')::boolean THEN ', version ' || (e.p ->> 'version') ELSE '' END
		WHEN e.action = 'File downloaded' OR substring(e.detail FROM '^Version ([0-9]{1,9}),') IS NULL THEN e.detail
		ELSE '' END
FROM (SELECT v.*, to_jsonb(v) -> 'params' AS p FROM visit_events v) e
	JOIN users u ON u.id = e.user_id
	CROSS JOIN LATERAL (SELECT COALESCE((e.p ->> 'size')::bigint, 0) AS size) z
WHERE e.action IN ('Draft letter viewed by Cafcass', 'Final letter viewed by Cafcass', 'File downloaded')
ORDER BY e.id;
DELETE FROM visit_events
WHERE action IN ('Draft letter viewed by Cafcass', 'Final letter viewed by Cafcass', 'File downloaded') AND user_id IS NOT NULL;

-- +goose Down
-- The views go back into the history with the words it had, after its
-- other lines (it lists lines in the order they were added; each keeps its
-- time). Where lines have a kind (structured history), these are 'legacy'
-- lines, shown with the words stored.
-- +goose StatementBegin
DO $$
DECLARE
	kinds boolean := EXISTS (SELECT 1 FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = 'visit_events' AND column_name = 'kind');
BEGIN
	EXECUTE format($sql$
		INSERT INTO visit_events (visit_id, at, user_id, action, detail%s)
		SELECT m.visit_id, m.viewed_at, m.user_id,
			CASE m.what WHEN 'draft_letter' THEN 'Draft letter viewed by Cafcass'
				WHEN 'final_letter' THEN 'Final letter viewed by Cafcass' ELSE 'File downloaded' END,
			CASE WHEN m.description <> '' THEN m.description
				ELSE 'Version ' || m.letter_version || ', read by ' || u.name || ' (' || CASE m.user_role
					WHEN 'cafcass_ceo' THEN 'Cafcass chief executive'
					WHEN 'cafcass_deputy' THEN 'Cafcass deputy'
					ELSE m.user_role END || ')' END%s
		FROM material_views m JOIN users u ON u.id = m.user_id
		ORDER BY m.id$sql$,
		CASE WHEN kinds THEN ', kind' ELSE '' END, CASE WHEN kinds THEN ', ''legacy''' ELSE '' END);
END
$$;
-- +goose StatementEnd
DROP TABLE material_views;
DROP FUNCTION material_views_append_only();

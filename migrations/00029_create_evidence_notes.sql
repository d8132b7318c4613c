-- +goose Up
-- Inspectors' evidence (issue 17, item 4): notes per practice area of the
-- visit and focus point of the guidance, about one sampled case or the
-- visit as a whole, and lines of enquiry for the team. Children's data on a
-- need-to-know basis (DOMAIN decision 17): the retention purge deletes them
-- all (a note about a case goes with the case sample at once).
CREATE TABLE evidence_notes (
	id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	public_id  text NOT NULL DEFAULT new_public_id()
		CONSTRAINT evidence_notes_public_id_format CHECK (public_id ~ '^[0-9a-hjkmnp-tv-z]{20}$'),
	visit_id   bigint NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
	-- sample_id is the case the note is about; NULL for the visit as a whole.
	sample_id  bigint REFERENCES case_samples (id) ON DELETE CASCADE,
	area       text NOT NULL CHECK (area IN ('private_law', 'public_law', 'leaders')),
	focus      text NOT NULL CHECK (focus <> ''),
	kind       text NOT NULL CHECK (kind IN ('evidence', 'enquiry')),
	body       text NOT NULL CHECK (body <> ''),
	author_id  bigint NOT NULL REFERENCES users (id),
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX evidence_notes_public_id_idx ON evidence_notes (public_id);
CREATE INDEX evidence_notes_visit_idx ON evidence_notes (visit_id, area, focus);

-- Views of evidence notes are recorded as children's data.
ALTER TABLE child_data_views DROP CONSTRAINT child_data_views_record_check;
ALTER TABLE child_data_views ADD CONSTRAINT child_data_views_record_check
	CHECK (record IN ('child_rows', 'child_row', 'case_sample', 'child_list_check', 'child_file', 'evidence_notes'));

-- +goose Down
ALTER TABLE child_data_views DROP CONSTRAINT child_data_views_record_check;
ALTER TABLE child_data_views ADD CONSTRAINT child_data_views_record_check
	CHECK (record IN ('child_rows', 'child_row', 'case_sample', 'child_list_check', 'child_file'));
DROP TABLE evidence_notes;

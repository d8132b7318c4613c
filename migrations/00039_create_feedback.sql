-- +goose Up
-- Anonymous feedback from children and young people (issue 17, item 6). A
-- visit has one short code, made when notice is given (or by its lead once
-- notice is given): Cafcass passes it on, and the public form takes answers
-- for it while it is open. The answers are children's data (DOMAIN decision
-- 17): the retention purge deletes them. No name, no address, no session is
-- stored with an answer; its text is stored plain, identifiers taken out.
CREATE TABLE feedback_codes (
	visit_id   bigint PRIMARY KEY REFERENCES visits (id) ON DELETE CASCADE,
	code       text NOT NULL CONSTRAINT feedback_codes_code_format CHECK (code ~ '^[2-9A-HJKMNP-Z]{8}$'),
	created_by bigint REFERENCES users (id),
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX feedback_codes_code_idx ON feedback_codes (code);

CREATE TABLE feedback_answers (
	id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	visit_id   bigint NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
	helped     text NOT NULL DEFAULT '' CHECK (length(helped) <= 1000 AND position('<' IN helped) = 0),
	listened   text NOT NULL CHECK (listened IN ('yes', 'a_bit', 'no')),
	anything   text NOT NULL DEFAULT '' CHECK (length(anything) <= 2000 AND position('<' IN anything) = 0),
	age        text NOT NULL DEFAULT '' CHECK (age IN ('', 'under_11', '11_15', '16_17', '18_plus')),
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX feedback_answers_visit_idx ON feedback_answers (visit_id, id);

-- Views of the answers are recorded as children's data.
ALTER TABLE child_data_views DROP CONSTRAINT child_data_views_record_check;
ALTER TABLE child_data_views ADD CONSTRAINT child_data_views_record_check
	CHECK (record IN ('child_rows', 'child_row', 'case_sample', 'child_list_check', 'child_file', 'evidence_notes', 'family_contacts', 'children_checks', 'feedback'));

-- +goose Down
DELETE FROM child_data_views WHERE record = 'feedback';
ALTER TABLE child_data_views DROP CONSTRAINT child_data_views_record_check;
ALTER TABLE child_data_views ADD CONSTRAINT child_data_views_record_check
	CHECK (record IN ('child_rows', 'child_row', 'case_sample', 'child_list_check', 'child_file', 'evidence_notes', 'family_contacts', 'children_checks'));
DROP TABLE feedback_answers;
DROP TABLE feedback_codes;

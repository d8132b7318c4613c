-- +goose Up
-- Children, parents and carers (issue 17, item 5): contacts by phone or video
-- (or in person) with what they said, and the two checks the Cafcass Young
-- People's Board asked inspectors always to make (seed 000): how well
-- children's views are heard, and how welcoming each office visited is.
-- All of it is children's data on a need-to-know basis (DOMAIN decision 17):
-- the retention purge deletes it. The checks hold no child's details as
-- such, but their notes may, so they are treated as children's data too.

CREATE TABLE family_contacts (
	id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	public_id    text NOT NULL DEFAULT new_public_id()
		CONSTRAINT family_contacts_public_id_format CHECK (public_id ~ '^[0-9a-hjkmnp-tv-z]{20}$'),
	visit_id     bigint NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
	-- sample_id is the case the contact is about; NULL for none. A child is
	-- contacted only about a case.
	sample_id    bigint REFERENCES case_samples (id) ON DELETE CASCADE,
	who          text NOT NULL CHECK (who IN ('child', 'parent', 'carer')),
	description  text NOT NULL CHECK (description <> ''),
	mode         text NOT NULL CHECK (mode IN ('phone', 'video', 'in_person')),
	held_on      date NOT NULL,
	inspector_id bigint NOT NULL REFERENCES users (id),
	said         text NOT NULL CHECK (said <> ''),
	-- A parent's or carer's answer about contacting the child: '' (not
	-- asked), 'agreed', 'declined' or 'withdrawn' (an agreement withdrawn).
	agreement    text NOT NULL DEFAULT '' CHECK (agreement IN ('', 'agreed', 'declined', 'withdrawn')),
	-- agreement_id is, for a child, the parent's or carer's contact that
	-- recorded their agreement (same case).
	agreement_id bigint REFERENCES family_contacts (id) ON DELETE CASCADE,
	recorded_by  bigint NOT NULL REFERENCES users (id),
	recorded_at  timestamptz NOT NULL DEFAULT now(),
	CONSTRAINT family_contacts_child_rests_on_agreement
		CHECK ((who = 'child') = (agreement_id IS NOT NULL) AND (who <> 'child' OR sample_id IS NOT NULL)),
	CONSTRAINT family_contacts_agreement_by_adult CHECK (who <> 'child' OR agreement = '')
);
CREATE UNIQUE INDEX family_contacts_public_id_idx ON family_contacts (public_id);
CREATE INDEX family_contacts_visit_idx ON family_contacts (visit_id, held_on);
CREATE INDEX family_contacts_sample_idx ON family_contacts (sample_id) WHERE sample_id IS NOT NULL;
CREATE INDEX family_contacts_agreement_idx ON family_contacts (agreement_id) WHERE agreement_id IS NOT NULL;

-- How well children's views are heard: a judgement with notes, about the
-- visit as a whole or one sampled case.
CREATE TABLE views_checks (
	id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	visit_id    bigint NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
	sample_id   bigint REFERENCES case_samples (id) ON DELETE CASCADE,
	judgement   text NOT NULL CHECK (judgement IN ('well', 'partly', 'not_well')),
	notes       text NOT NULL DEFAULT '',
	recorded_by bigint NOT NULL REFERENCES users (id),
	recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX views_checks_visit_idx ON views_checks (visit_id, recorded_at);

-- How welcoming an office visited is: the checklist items seen (codes of
-- internal/fieldwork's OfficeChecklist) and notes.
CREATE TABLE office_checks (
	id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	visit_id    bigint NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
	office      text NOT NULL CHECK (office <> ''),
	visited_on  date NOT NULL,
	items       text[] NOT NULL DEFAULT '{}',
	notes       text NOT NULL DEFAULT '',
	recorded_by bigint NOT NULL REFERENCES users (id),
	recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX office_checks_visit_idx ON office_checks (visit_id, visited_on);

-- Views of contacts and of the checks are recorded as children's data.
ALTER TABLE child_data_views DROP CONSTRAINT child_data_views_record_check;
ALTER TABLE child_data_views ADD CONSTRAINT child_data_views_record_check
	CHECK (record IN ('child_rows', 'child_row', 'case_sample', 'child_list_check', 'child_file', 'evidence_notes',
		'family_contacts', 'children_checks'));

-- +goose Down
ALTER TABLE child_data_views DROP CONSTRAINT child_data_views_record_check;
ALTER TABLE child_data_views ADD CONSTRAINT child_data_views_record_check
	CHECK (record IN ('child_rows', 'child_row', 'case_sample', 'child_list_check', 'child_file', 'evidence_notes'));
DROP TABLE office_checks;
DROP TABLE views_checks;
DROP TABLE family_contacts;

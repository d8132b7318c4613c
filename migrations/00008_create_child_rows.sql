-- +goose Up
-- Child-level data lists (Annex A, DOMAIN D.2) as checked on upload. A list
-- is accepted with its rows, or rejected with its issues and no rows: never
-- partly stored. The current list of an item is its latest accepted one;
-- the rows of lists it replaced are deleted (special-category data is kept
-- no longer than needed), their records and issues kept.
CREATE TABLE child_lists (
	id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	visit_id    bigint NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
	item_id     bigint NOT NULL REFERENCES request_items (id) ON DELETE CASCADE,
	-- file_id is the stored upload of an accepted list; a rejected list's
	-- file is not kept.
	file_id     bigint REFERENCES files (id) ON DELETE SET NULL,
	file_name   text NOT NULL,
	covers_from date NOT NULL,
	covers_to   date NOT NULL,
	status      text NOT NULL CHECK (status IN ('accepted', 'rejected')),
	is_current  boolean NOT NULL DEFAULT false,
	row_count   integer NOT NULL DEFAULT 0,
	error_count integer NOT NULL DEFAULT 0,
	query_count integer NOT NULL DEFAULT 0,
	checked_at  timestamptz NOT NULL DEFAULT now(),
	checked_by  bigint NOT NULL REFERENCES users (id),
	CHECK (covers_from <= covers_to),
	CHECK (status = 'accepted' OR (NOT is_current AND error_count > 0))
);
CREATE INDEX child_lists_item_idx ON child_lists (item_id, id DESC);
CREATE INDEX child_lists_visit_idx ON child_lists (visit_id) WHERE is_current;
CREATE UNIQUE INDEX child_lists_current_idx ON child_lists (item_id) WHERE is_current;

-- One row per child of an accepted list, typed for the analysts' summary.
CREATE TABLE child_rows (
	list_id          bigint NOT NULL REFERENCES child_lists (id) ON DELETE CASCADE,
	row_number       integer NOT NULL,
	case_id          text NOT NULL,
	case_name        text NOT NULL DEFAULT '',
	gender           text NOT NULL DEFAULT '',
	ethnicity        text NOT NULL DEFAULT '',
	disability       boolean,
	date_of_birth    date,
	lead_application text NOT NULL DEFAULT '',
	law_type         text NOT NULL CHECK (law_type IN ('public', 'private')),
	case_type        text NOT NULL,
	practitioner     text NOT NULL DEFAULT '',
	team             text NOT NULL DEFAULT '',
	service_area     text NOT NULL DEFAULT '',
	local_authority  text NOT NULL DEFAULT '',
	court            text NOT NULL DEFAULT '',
	file_location    text NOT NULL DEFAULT '',
	child_id         text NOT NULL DEFAULT '',
	case_start       date,
	case_end         date,
	child_seen       boolean,
	section_7_filed  boolean,
	audit            boolean,
	PRIMARY KEY (list_id, row_number)
);
CREATE INDEX child_rows_case_idx ON child_rows (list_id, case_id, child_id);
CREATE INDEX child_rows_filter_idx ON child_rows (list_id, law_type, case_type);
CREATE INDEX child_rows_area_idx ON child_rows (list_id, service_area, team);

-- The errors and queries found in a list, as shown to Cafcass: the first
-- 1,000 of each kind (child_lists holds the full counts).
CREATE TABLE child_list_issues (
	list_id    bigint NOT NULL REFERENCES child_lists (id) ON DELETE CASCADE,
	seq        integer NOT NULL,
	row_number integer NOT NULL,
	col        text NOT NULL DEFAULT '',
	header     text NOT NULL DEFAULT '',
	field      text NOT NULL DEFAULT '',
	kind       text NOT NULL CHECK (kind IN ('error', 'query')),
	code       text NOT NULL,
	message    text NOT NULL,
	PRIMARY KEY (list_id, seq)
);

-- The case sample: the cases inspectors will look at, each with an
-- inspector on the visit and an internal reason Cafcass never sees. Cases
-- are named by case and child ID, so a sample survives a corrected list.
CREATE TABLE case_samples (
	id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	visit_id     bigint NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
	case_id      text NOT NULL CHECK (case_id <> ''),
	child_id     text NOT NULL DEFAULT '',
	-- reason is internal to Ofsted: never shown to Cafcass.
	reason       text NOT NULL CHECK (reason <> ''),
	inspector_id bigint NOT NULL REFERENCES users (id),
	selected_by  bigint NOT NULL REFERENCES users (id),
	selected_at  timestamptz NOT NULL DEFAULT now(),
	UNIQUE (visit_id, case_id, child_id)
);

-- When a visit's sample was released to Cafcass: from then on the Cafcass
-- users on the visit see the cases chosen and their inspectors.
CREATE TABLE case_sample_releases (
	visit_id    bigint PRIMARY KEY REFERENCES visits (id) ON DELETE CASCADE,
	released_at timestamptz NOT NULL DEFAULT now(),
	released_by bigint NOT NULL REFERENCES users (id)
);

-- +goose Down
DROP TABLE case_sample_releases;
DROP TABLE case_samples;
DROP TABLE child_list_issues;
DROP TABLE child_rows;
DROP TABLE child_lists;

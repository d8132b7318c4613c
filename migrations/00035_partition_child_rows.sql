-- +goose Up
-- Child-level data at any size (issue 16.4).
--
-- The summary is kept at import rather than counted on each view: the
-- number of rows of each combination of law type, case type, service area
-- and team (a few hundred at most for a whole country, however many rows),
-- from which the page sums the counts by each and the number of rows any
-- choice of those filters matches; and the case dates the list spans.
CREATE TABLE child_list_counts (
	list_id      bigint NOT NULL REFERENCES child_lists (id) ON DELETE CASCADE,
	law_type     text NOT NULL,
	case_type    text NOT NULL,
	service_area text NOT NULL,
	team         text NOT NULL,
	n            integer NOT NULL CHECK (n > 0),
	PRIMARY KEY (list_id, law_type, case_type, service_area, team)
);
ALTER TABLE child_lists
	ADD COLUMN first_start date, ADD COLUMN last_start date,
	ADD COLUMN first_end date, ADD COLUMN last_end date;

INSERT INTO child_list_counts (list_id, law_type, case_type, service_area, team, n)
	SELECT list_id, law_type, case_type, service_area, team, count(*) FROM child_rows GROUP BY 1, 2, 3, 4, 5;
UPDATE child_lists l SET first_start = x.a, last_start = x.b, first_end = x.c, last_end = x.d
	FROM (SELECT list_id, min(case_start) a, max(case_start) b, min(case_end) c, max(case_end) d FROM child_rows GROUP BY list_id) x
	WHERE x.list_id = l.id;

-- The rows are read a page at a time after (or before) the last row shown
-- (keyset pagination), in the order of any column the page sorts by: an
-- index for each, which also serves the filters on that column. Keeping a
-- dozen indexes up to date row by row makes a large import crawl, so each
-- list's rows are a partition of their own (child_rows_<list id>): an
-- import copies into a bare table and attaches it, which builds each index
-- in one sort; a replaced list's partition is emptied at once (TRUNCATE).
-- Queries name the lists they read, so only their partitions are opened.
ALTER TABLE child_rows RENAME TO child_rows_old;
ALTER INDEX child_rows_pkey RENAME TO child_rows_old_pkey;
DROP INDEX child_rows_case_idx;
DROP INDEX child_rows_filter_idx;
DROP INDEX child_rows_area_idx;

-- Without a foreign key to child_lists: attaching a partition to a table
-- with one locks child_lists against every import in progress (SHARE ROW
-- EXCLUSIVE), so two imports at once would deadlock. A list's rows go with
-- it by the trigger below instead.
CREATE TABLE child_rows (
	list_id          bigint NOT NULL,
	row_number       integer NOT NULL,
	case_id          text NOT NULL,
	case_name        text NOT NULL DEFAULT '',
	gender           text NOT NULL DEFAULT '',
	ethnicity        text NOT NULL DEFAULT '',
	disability       boolean,
	date_of_birth    date,
	lead_application text NOT NULL DEFAULT '',
	law_type         text NOT NULL CONSTRAINT child_rows_law_type_check CHECK (law_type IN ('public', 'private')),
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
) PARTITION BY LIST (list_id);
CREATE INDEX child_rows_case_idx ON child_rows (case_id, list_id, row_number);
CREATE INDEX child_rows_child_idx ON child_rows (child_id, list_id, row_number);
CREATE INDEX child_rows_dob_idx ON child_rows (date_of_birth, list_id, row_number);
CREATE INDEX child_rows_law_idx ON child_rows (law_type, list_id, row_number);
CREATE INDEX child_rows_type_idx ON child_rows (case_type, list_id, row_number);
CREATE INDEX child_rows_practitioner_idx ON child_rows (practitioner, list_id, row_number);
CREATE INDEX child_rows_team_idx ON child_rows (team, list_id, row_number);
CREATE INDEX child_rows_area_idx ON child_rows (service_area, list_id, row_number);
CREATE INDEX child_rows_start_idx ON child_rows (case_start, list_id, row_number);
CREATE INDEX child_rows_end_idx ON child_rows (case_end, list_id, row_number);

-- +goose StatementBegin
DO $$
DECLARE
	l bigint;
BEGIN
	FOR l IN SELECT DISTINCT list_id FROM child_rows_old LOOP
		EXECUTE format('CREATE TABLE %I PARTITION OF child_rows FOR VALUES IN (%s)', 'child_rows_' || l, l);
	END LOOP;
END
$$;
-- +goose StatementEnd
INSERT INTO child_rows SELECT * FROM child_rows_old;
DROP TABLE child_rows_old;

-- +goose StatementBegin
CREATE FUNCTION child_lists_delete_rows() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	IF to_regclass(format('%I', 'child_rows_' || OLD.id)) IS NOT NULL THEN
		EXECUTE format('TRUNCATE %I', 'child_rows_' || OLD.id);
	END IF;
	RETURN OLD;
END
$$;
-- +goose StatementEnd
CREATE TRIGGER child_lists_delete_rows BEFORE DELETE ON child_lists
	FOR EACH ROW EXECUTE FUNCTION child_lists_delete_rows();

-- +goose Down
DROP TRIGGER child_lists_delete_rows ON child_lists;
DROP FUNCTION child_lists_delete_rows();
CREATE TABLE child_rows_flat (LIKE child_rows INCLUDING DEFAULTS INCLUDING CONSTRAINTS);
INSERT INTO child_rows_flat SELECT * FROM child_rows;
DROP TABLE child_rows;
ALTER TABLE child_rows_flat RENAME TO child_rows;
ALTER TABLE child_rows ADD PRIMARY KEY (list_id, row_number);
ALTER TABLE child_rows ADD FOREIGN KEY (list_id) REFERENCES child_lists (id) ON DELETE CASCADE;
CREATE INDEX child_rows_case_idx ON child_rows (list_id, case_id, child_id);
CREATE INDEX child_rows_filter_idx ON child_rows (list_id, law_type, case_type);
CREATE INDEX child_rows_area_idx ON child_rows (list_id, service_area, team);
ALTER TABLE child_lists DROP COLUMN first_start, DROP COLUMN last_start, DROP COLUMN first_end, DROP COLUMN last_end;
DROP TABLE child_list_counts;

-- The indexes of the child-level data's sorts are (column, row number), no
-- longer (column, list, row number). Each list's rows are a partition of
-- their own, so within a partition the list is the same in every entry: it
-- only made every index longer and every tie in its sort at attach dearer
-- (ties are broken by reading the entries' later columns, after the text).
-- A page names each list it reads by equality, so PostgreSQL knows the list
-- is fixed and reads the column's index in order (store.ChildRows), when it
-- has statistics of the list column: an import takes them, and the lists
-- already here get them below.
-- 200,000 rows attached: 2.3 s of CPU for the ten against 3.0 s.

-- +goose Up
DROP INDEX child_rows_case_idx;
DROP INDEX child_rows_child_idx;
DROP INDEX child_rows_dob_idx;
DROP INDEX child_rows_law_idx;
DROP INDEX child_rows_type_idx;
DROP INDEX child_rows_practitioner_idx;
DROP INDEX child_rows_team_idx;
DROP INDEX child_rows_area_idx;
DROP INDEX child_rows_start_idx;
DROP INDEX child_rows_end_idx;
CREATE INDEX child_rows_case_idx ON child_rows (case_id, row_number);
CREATE INDEX child_rows_child_idx ON child_rows (child_id, row_number);
CREATE INDEX child_rows_dob_idx ON child_rows (date_of_birth, row_number);
CREATE INDEX child_rows_law_idx ON child_rows (law_type, row_number);
CREATE INDEX child_rows_type_idx ON child_rows (case_type, row_number);
CREATE INDEX child_rows_practitioner_idx ON child_rows (practitioner, row_number);
CREATE INDEX child_rows_team_idx ON child_rows (team, row_number);
CREATE INDEX child_rows_area_idx ON child_rows (service_area, row_number);
CREATE INDEX child_rows_start_idx ON child_rows (case_start, row_number);
CREATE INDEX child_rows_end_idx ON child_rows (case_end, row_number);
ANALYZE child_rows;

-- +goose Down
DROP INDEX child_rows_case_idx;
DROP INDEX child_rows_child_idx;
DROP INDEX child_rows_dob_idx;
DROP INDEX child_rows_law_idx;
DROP INDEX child_rows_type_idx;
DROP INDEX child_rows_practitioner_idx;
DROP INDEX child_rows_team_idx;
DROP INDEX child_rows_area_idx;
DROP INDEX child_rows_start_idx;
DROP INDEX child_rows_end_idx;
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

-- When the summary for children and young people was first written: a
-- letter is not published without one, so one written after the day it was
-- due to be published is published on the day it was written, and the
-- public copy says so, never an earlier day on which it was not public.

-- +goose Up
ALTER TABLE letters ADD COLUMN children_summary_at timestamptz;
UPDATE letters SET children_summary_at = updated_at WHERE children_summary <> '';
ALTER TABLE letters ADD CONSTRAINT letters_children_summary_at_check
	CHECK ((children_summary = '') = (children_summary_at IS NULL));

-- +goose Down
ALTER TABLE letters DROP CONSTRAINT letters_children_summary_at_check;
ALTER TABLE letters DROP COLUMN children_summary_at;

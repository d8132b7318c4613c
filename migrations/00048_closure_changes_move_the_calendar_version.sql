-- +goose Up
-- A calendar's state is kept by its version: the closure days, and how often
-- and when last they were changed (closure_day_changes), which calendar files
-- count in their SEQUENCE and LAST-MODIFIED (issue 16.5). The store records a
-- change in the transaction that changes closure_days, which moves the
-- version; this makes the database itself hold that rule, so that a change
-- recorded any other way still moves it (a second move in the same
-- transaction is harmless).
CREATE TRIGGER closure_day_changes_calendar_version AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON closure_day_changes
	FOR EACH STATEMENT EXECUTE FUNCTION bump_calendar_version();

-- +goose Down
DROP TRIGGER closure_day_changes_calendar_version ON closure_day_changes;

-- +goose Up
-- A line of a visit's history is recorded as what happened, not as words:
-- kind is a stable dotted code (internal/history: "visit.created",
-- "item.returned" ...) and params its facts (strings, ISO dates, numbers,
-- names as they were then). The words are chosen when the history is shown,
-- so rewording needs no data migration.
--
-- The lines already recorded keep the words they were stored with (action,
-- field, old_value, new_value, detail) and are shown as they are: they get
-- kind 'legacy'. The default only marks those rows (PostgreSQL stores it
-- once, rewriting nothing); it is dropped at once, so every new line must
-- name its kind.
ALTER TABLE visit_events
	ADD COLUMN kind text NOT NULL DEFAULT 'legacy' CHECK (kind <> ''),
	ADD COLUMN params jsonb NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(params) = 'object');
ALTER TABLE visit_events ALTER COLUMN kind DROP DEFAULT;

-- +goose Down
-- Lines recorded since keep no words of their own: rolling back leaves them
-- with empty text (the three records of views keep their action).
ALTER TABLE visit_events DROP COLUMN params, DROP COLUMN kind;

-- +goose Up
-- The information Ofsted asks Cafcass for on a visit (Annex A): the items
-- the lead inspector picked from the catalogue and any of their own.
CREATE TABLE request_items (
	id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	visit_id          bigint NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
	-- number is the item's number ("1.01", "CL.1"); documents' file names
	-- must begin with it.
	number            text NOT NULL,
	kind              text NOT NULL CHECK (kind IN ('child_list', 'audit_list', 'document', 'custom')),
	title             text NOT NULL,
	description       text NOT NULL DEFAULT '',
	-- catalogue_version names the Annex A version the item came from ('' for
	-- the lead inspector's own items).
	catalogue_version text NOT NULL DEFAULT '',
	-- due_day is the notice-week day by the end of which it is due (3 or 5
	-- by default); the date is computed from the visit's plan.
	due_day           integer NOT NULL CHECK (due_day BETWEEN 1 AND 8),
	status            text NOT NULL DEFAULT 'not_started'
		CHECK (status IN ('not_started', 'in_progress', 'submitted', 'accepted', 'returned', 'not_held')),
	-- status_reason is why Ofsted returned it, or Cafcass's explanation of
	-- why it is not held.
	status_reason     text NOT NULL DEFAULT '',
	-- The date range a child-level list covers (required for those lists).
	covers_from       date,
	covers_to         date,
	position          integer NOT NULL DEFAULT 0,
	submitted_at      timestamptz,
	created_at        timestamptz NOT NULL DEFAULT now(),
	updated_at        timestamptz NOT NULL DEFAULT now(),
	UNIQUE (visit_id, number)
);
CREATE INDEX request_items_visit_idx ON request_items (visit_id, position);

-- Questions Cafcass asks about an item, and Ofsted's answers.
CREATE TABLE item_questions (
	id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	item_id     bigint NOT NULL REFERENCES request_items (id) ON DELETE CASCADE,
	-- addressed_to is the Ofsted user (lead inspector or SAO) asked.
	addressed_to bigint REFERENCES users (id),
	question    text NOT NULL CHECK (question <> ''),
	asked_by    bigint NOT NULL REFERENCES users (id),
	asked_at    timestamptz NOT NULL DEFAULT now(),
	answer      text NOT NULL DEFAULT '',
	answered_by bigint REFERENCES users (id),
	answered_at timestamptz
);
CREATE INDEX item_questions_item_idx ON item_questions (item_id, id);

-- +goose Down
DROP TABLE item_questions;
DROP TABLE request_items;

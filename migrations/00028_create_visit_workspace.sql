-- +goose Up
-- The visit workspace (issue 17): the set-up call record, the stakeholder
-- conversations before fieldwork and the fieldwork plan of case discussions.

-- The set-up call (day 1 afternoon, lead inspector and chief executive), one
-- per visit. Every field but internal_notes is what was agreed, shared with
-- Cafcass once it may see the visit; internal_notes stays with Ofsted. It
-- holds no children's data, so the retention purge keeps it.
CREATE TABLE setup_calls (
	visit_id            bigint PRIMARY KEY REFERENCES visits (id) ON DELETE CASCADE,
	held_on             date NOT NULL,
	oversight_changes   text NOT NULL DEFAULT '',
	priorities_protocol text NOT NULL CHECK (priorities_protocol IN ('yes', 'no')),
	offices             text NOT NULL DEFAULT '',
	working_practice    text NOT NULL DEFAULT '',
	record_access       text NOT NULL CHECK (record_access IN ('platform', 'laptops', 'office')),
	evidence_mix        text NOT NULL CHECK (evidence_mix IN ('on_site', 'remote', 'mixed')),
	evidence_detail     text NOT NULL DEFAULT '',
	audit_list          text NOT NULL DEFAULT '',
	adjustments         text NOT NULL DEFAULT '',
	other_agreed        text NOT NULL DEFAULT '',
	internal_notes      text NOT NULL DEFAULT '',
	version             integer NOT NULL DEFAULT 1,
	updated_at          timestamptz NOT NULL DEFAULT now(),
	updated_by          bigint NOT NULL REFERENCES users (id)
);

-- Conversations with stakeholders before fieldwork: Ofsted's alone.
CREATE TABLE stakeholder_conversations (
	id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	public_id   text NOT NULL DEFAULT new_public_id()
		CONSTRAINT stakeholder_conversations_public_id_format CHECK (public_id ~ '^[0-9a-hjkmnp-tv-z]{20}$'),
	visit_id    bigint NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
	kind        text NOT NULL CHECK (kind IN ('judiciary', 'local_authority', 'hmcts', 'other')),
	who         text NOT NULL CHECK (who <> ''),
	held_on     date NOT NULL,
	held_by     bigint NOT NULL REFERENCES users (id),
	note        text NOT NULL DEFAULT '',
	recorded_by bigint NOT NULL REFERENCES users (id),
	recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX stakeholder_conversations_public_id_idx ON stakeholder_conversations (public_id);
CREATE INDEX stakeholder_conversations_visit_idx ON stakeholder_conversations (visit_id, held_on);

-- The fieldwork plan: a sampled case's discussion with its practitioner and
-- manager, given to an inspector at a time. It hangs on the case sample
-- (children's data), so the retention purge, which deletes the sample,
-- deletes it too. note is Ofsted's: Cafcass never sees it.
CREATE TABLE case_discussions (
	sample_id    bigint PRIMARY KEY REFERENCES case_samples (id) ON DELETE CASCADE,
	visit_id     bigint NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
	inspector_id bigint NOT NULL REFERENCES users (id),
	day          date NOT NULL,
	starts_at    time NOT NULL,
	minutes      integer NOT NULL CHECK (minutes BETWEEN 5 AND 480),
	mode         text NOT NULL CHECK (mode IN ('in_person', 'phone', 'video')),
	practitioner text NOT NULL DEFAULT '',
	manager      text NOT NULL DEFAULT '',
	note         text NOT NULL DEFAULT '',
	updated_at   timestamptz NOT NULL DEFAULT now(),
	updated_by   bigint NOT NULL REFERENCES users (id)
);
CREATE INDEX case_discussions_visit_idx ON case_discussions (visit_id, day, starts_at);
CREATE INDEX case_discussions_inspector_idx ON case_discussions (inspector_id, day);

-- +goose Down
DROP TABLE case_discussions;
DROP TABLE stakeholder_conversations;
DROP TABLE setup_calls;

-- +goose Up
-- The letter of findings of a visit (DOMAIN E.3, B.5): one per visit, from
-- the first draft to publication. Its text lives in numbered versions; the
-- letter row says where it stands and which versions matter (the current
-- one, the one the QAM approved, the one sent as the draft, the final one).
-- The rules for moving between states are in internal/letter.
CREATE TABLE letters (
	id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	visit_id           bigint NOT NULL UNIQUE REFERENCES visits (id) ON DELETE CASCADE,
	-- state covers the whole path, Ofsted's side and Cafcass's: see
	-- letter.State for what each means and letter.Rules for the moves.
	state              text NOT NULL DEFAULT 'drafting' CHECK (state IN (
		'drafting', 'in_qa', 'returned', 'approved', 'in_moderation', 'moderated',
		'draft_sent', 'final_sent', 'on_hold', 'published')),
	-- current_version is the number of the newest version (0: none yet).
	current_version    integer NOT NULL DEFAULT 0,
	-- The QAM's approval, of one version: any later version lapses it.
	approved_version   integer,
	approved_by        bigint REFERENCES users (id),
	approved_at        timestamptz,
	-- priority_action is derived from the current version's findings: a
	-- letter with an area for priority action needs moderation (B.5 L8).
	priority_action    boolean NOT NULL DEFAULT false,
	-- The version moderation agreed (letters with a priority action).
	moderated_version  integer,
	-- The draft sent to Cafcass for comments, frozen (decision 6: its
	-- actual date is recorded as the draft-letter event).
	sent_draft_version integer,
	draft_sent_at      timestamptz,
	draft_sent_by      bigint REFERENCES users (id),
	-- The final letter, sent under embargo.
	final_version      integer,
	final_sent_at      timestamptz,
	final_sent_by      bigint REFERENCES users (id),
	-- Publication hold (a complaint in time, or another reason).
	held_at            timestamptz,
	hold_reason        text NOT NULL DEFAULT '',
	published_at       timestamptz,
	created_at         timestamptz NOT NULL DEFAULT now(),
	updated_at         timestamptz NOT NULL DEFAULT now(),
	-- revision increases with every change to the row, so a stale form
	-- (approving what someone else has since changed) is refused.
	revision           integer NOT NULL DEFAULT 1
);
CREATE INDEX letters_published_idx ON letters (published_at) WHERE state = 'published';

-- Every save of the letter makes a version; none is ever changed.
CREATE TABLE letter_versions (
	id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	letter_id    bigint NOT NULL REFERENCES letters (id) ON DELETE CASCADE,
	number       integer NOT NULL CHECK (number > 0),
	-- sections maps a section code (letter.Section) to its text.
	sections     jsonb NOT NULL DEFAULT '{}',
	-- base_version is the version the author started from: a save whose
	-- base is not the current version is a conflict, never an overwrite.
	base_version integer NOT NULL DEFAULT 0,
	author_id    bigint NOT NULL REFERENCES users (id),
	created_at   timestamptz NOT NULL DEFAULT now(),
	UNIQUE (letter_id, number)
);

-- The structured findings of a version, in order.
CREATE TABLE letter_findings (
	id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	version_id   bigint NOT NULL REFERENCES letter_versions (id) ON DELETE CASCADE,
	position     integer NOT NULL,
	kind         text NOT NULL CHECK (kind IN ('strength', 'improvement', 'priority_action')),
	practice_area text NOT NULL CHECK (practice_area IN ('private_law', 'public_law', 'leaders')),
	text         text NOT NULL CHECK (text <> ''),
	UNIQUE (version_id, position)
);

-- The QAM's comments, each on one section of one version (Ofsted only).
CREATE TABLE letter_qa_comments (
	id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	letter_id   bigint NOT NULL REFERENCES letters (id) ON DELETE CASCADE,
	version     integer NOT NULL,
	section     text NOT NULL,
	comment     text NOT NULL CHECK (comment <> ''),
	by_user     bigint NOT NULL REFERENCES users (id),
	at          timestamptz NOT NULL DEFAULT now(),
	resolved_at timestamptz,
	resolved_by bigint REFERENCES users (id)
);
CREATE INDEX letter_qa_comments_letter_idx ON letter_qa_comments (letter_id, id);

-- Moderation of a letter with a priority action (B.5 L8; Ofsted only).
CREATE TABLE letter_moderations (
	id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	letter_id      bigint NOT NULL REFERENCES letters (id) ON DELETE CASCADE,
	version        integer NOT NULL,
	outcome        text NOT NULL CHECK (outcome IN ('agreed', 'changes_needed')),
	notes          text NOT NULL DEFAULT '',
	-- How and when the CEO was told of changed dates: required when any
	-- date changed (decision 6, B.5 L8).
	ceo_told_method text NOT NULL DEFAULT '' CHECK (ceo_told_method IN ('', 'letter', 'email', 'phone', 'meeting')),
	ceo_told_at    timestamptz,
	by_user        bigint NOT NULL REFERENCES users (id),
	at             timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX letter_moderations_letter_idx ON letter_moderations (letter_id, id);

-- Dates moderation moved (each also set as an override on the visit).
CREATE TABLE letter_moderation_dates (
	moderation_id bigint NOT NULL REFERENCES letter_moderations (id) ON DELETE CASCADE,
	code          text NOT NULL,
	old_day       date,
	new_day       date NOT NULL,
	PRIMARY KEY (moderation_id, code)
);

-- +goose Down
DROP TABLE letter_moderation_dates;
DROP TABLE letter_moderations;
DROP TABLE letter_qa_comments;
DROP TABLE letter_findings;
DROP TABLE letter_versions;
DROP TABLE letters;

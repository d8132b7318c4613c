-- +goose Up
-- Cafcass's side of the letter of findings (DOMAIN decision 6, B.5, B.6, F):
-- comments on the draft and Ofsted's responses, complaints about the final
-- letter, and the published copy the public reads. Views of the draft and
-- final letter by Cafcass are lines of the visit's history (visit_events).

-- Comments on the draft letter sent for factual accuracy. Cafcass keeps
-- them as a draft list (submitted_at NULL) and submits the list once (see
-- letter_comment_submissions); Ofsted then responds to each.
CREATE TABLE letter_comments (
	id           bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	letter_id    bigint NOT NULL REFERENCES letters (id) ON DELETE CASCADE,
	-- version is the draft version commented on (letters.sent_draft_version).
	version      integer NOT NULL,
	section      text NOT NULL,
	about        text NOT NULL CHECK (about IN ('findings', 'letter', 'process')),
	body         text NOT NULL CHECK (body <> ''),
	by_user      bigint NOT NULL REFERENCES users (id),
	at           timestamptz NOT NULL DEFAULT now(),
	updated_at   timestamptz NOT NULL DEFAULT now(),
	submitted_at timestamptz,
	-- late: submitted after the end of the comments window (accepted all
	-- the same).
	late         boolean NOT NULL DEFAULT false,
	response     text NOT NULL DEFAULT '',
	responded_by bigint REFERENCES users (id),
	responded_at timestamptz,
	CHECK ((responded_at IS NULL) = (responded_by IS NULL)),
	CHECK (responded_at IS NULL OR submitted_at IS NOT NULL)
);
CREATE INDEX letter_comments_letter_idx ON letter_comments (letter_id, id);

-- The one submission of a letter's comments: the primary key makes a
-- second submission impossible.
CREATE TABLE letter_comment_submissions (
	letter_id    bigint PRIMARY KEY REFERENCES letters (id) ON DELETE CASCADE,
	submitted_by bigint NOT NULL REFERENCES users (id),
	submitted_at timestamptz NOT NULL DEFAULT now(),
	late         boolean NOT NULL,
	comments     integer NOT NULL CHECK (comments > 0)
);

-- Formal complaints about the final letter. One in time holds publication
-- until Ofsted records its resolution and a new publication date; a late
-- one holds nothing.
CREATE TABLE complaints (
	id                   bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	letter_id            bigint NOT NULL REFERENCES letters (id) ON DELETE CASCADE,
	body                 text NOT NULL CHECK (body <> ''),
	by_user              bigint NOT NULL REFERENCES users (id),
	received_at          timestamptz NOT NULL DEFAULT now(),
	in_time              boolean NOT NULL,
	resolution           text NOT NULL DEFAULT '',
	resolved_by          bigint REFERENCES users (id),
	resolved_at          timestamptz,
	new_publication_date date,
	CHECK ((resolved_at IS NULL) = (resolved_by IS NULL)),
	CHECK (resolved_at IS NULL OR resolution <> ''),
	CHECK (resolved_at IS NULL OR NOT in_time OR new_publication_date IS NOT NULL)
);
CREATE INDEX complaints_letter_idx ON complaints (letter_id, id);

-- The published letters, as the public reads them: a copy of the final
-- version taken when it was published. The public pages read this table
-- and nothing else, so nothing unpublished can reach them.
CREATE TABLE publications (
	letter_id    bigint PRIMARY KEY REFERENCES letters (id) ON DELETE CASCADE,
	slug         text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9-]+$'),
	title        text NOT NULL,
	published_on date NOT NULL,
	-- version is the final version published.
	version      integer NOT NULL,
	-- sections maps a section code to its text, as letter_versions does.
	sections     jsonb NOT NULL,
	-- findings is the version's findings in order: [{kind, area, text}].
	findings     jsonb NOT NULL DEFAULT '[]',
	published_at timestamptz NOT NULL DEFAULT now(),
	-- published_by is NULL when the service published it on its date.
	published_by bigint REFERENCES users (id)
);
CREATE INDEX publications_published_idx ON publications (published_on DESC, letter_id DESC);

-- Action plans (B.6) are request items numbered AP.1 and AP.2, so they use
-- the same upload, status and review as Annex A. due_code names the plan
-- milestone whose date they are due by, instead of a notice-week day
-- (NULL for Annex A items).
ALTER TABLE request_items ADD COLUMN due_code text;

-- +goose Down
ALTER TABLE request_items DROP COLUMN due_code;
DROP TABLE publications;
DROP TABLE complaints;
DROP TABLE letter_comment_submissions;
DROP TABLE letter_comments;

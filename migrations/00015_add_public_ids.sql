-- +goose Up
-- Public ids (issue 10, item 3). Every row a URL names gets a random id
-- beside its integer key, so a URL reveals nothing about how many visits,
-- items or files there are, or which came first. The integer ids stay the
-- primary and foreign keys and never leave the service.
--
-- new_public_id() makes one: 20 characters of Crockford's base 32 in lower
-- case (internal/publicid: Alphabet, Length, Pattern), each the low 5 bits
-- of a byte from gen_random_uuid(), which draws on PostgreSQL's strong
-- random source. Byte 6 of a version 4 UUID holds the version, so it is
-- skipped; byte 8's variant bits are above the 5 used. That is 100 random
-- bits: a collision is not a practical concern, and the unique indexes
-- would refuse one.
-- +goose StatementBegin
CREATE FUNCTION new_public_id() RETURNS text
LANGUAGE sql VOLATILE PARALLEL SAFE AS $$
	SELECT string_agg(substr('0123456789abcdefghjkmnpqrstvwxyz', (get_byte(r.b, i) & 31) + 1, 1), '' ORDER BY n)
	FROM (SELECT uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid()) AS b) AS r,
		unnest(ARRAY[0, 1, 2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]) WITH ORDINALITY AS p(i, n)
$$;
-- +goose StatementEnd

-- Adding a column with a volatile default computes it for each existing
-- row: the backfill.
ALTER TABLE visits ADD COLUMN public_id text NOT NULL DEFAULT new_public_id()
	CONSTRAINT visits_public_id_format CHECK (public_id ~ '^[0-9a-hjkmnp-tv-z]{20}$');
CREATE UNIQUE INDEX visits_public_id_idx ON visits (public_id);

ALTER TABLE request_items ADD COLUMN public_id text NOT NULL DEFAULT new_public_id()
	CONSTRAINT request_items_public_id_format CHECK (public_id ~ '^[0-9a-hjkmnp-tv-z]{20}$');
CREATE UNIQUE INDEX request_items_public_id_idx ON request_items (public_id);

ALTER TABLE item_questions ADD COLUMN public_id text NOT NULL DEFAULT new_public_id()
	CONSTRAINT item_questions_public_id_format CHECK (public_id ~ '^[0-9a-hjkmnp-tv-z]{20}$');
CREATE UNIQUE INDEX item_questions_public_id_idx ON item_questions (public_id);

ALTER TABLE files ADD COLUMN public_id text NOT NULL DEFAULT new_public_id()
	CONSTRAINT files_public_id_format CHECK (public_id ~ '^[0-9a-hjkmnp-tv-z]{20}$');
CREATE UNIQUE INDEX files_public_id_idx ON files (public_id);

ALTER TABLE letter_comments ADD COLUMN public_id text NOT NULL DEFAULT new_public_id()
	CONSTRAINT letter_comments_public_id_format CHECK (public_id ~ '^[0-9a-hjkmnp-tv-z]{20}$');
CREATE UNIQUE INDEX letter_comments_public_id_idx ON letter_comments (public_id);

ALTER TABLE complaints ADD COLUMN public_id text NOT NULL DEFAULT new_public_id()
	CONSTRAINT complaints_public_id_format CHECK (public_id ~ '^[0-9a-hjkmnp-tv-z]{20}$');
CREATE UNIQUE INDEX complaints_public_id_idx ON complaints (public_id);

ALTER TABLE visit_deferrals ADD COLUMN public_id text NOT NULL DEFAULT new_public_id()
	CONSTRAINT visit_deferrals_public_id_format CHECK (public_id ~ '^[0-9a-hjkmnp-tv-z]{20}$');
CREATE UNIQUE INDEX visit_deferrals_public_id_idx ON visit_deferrals (public_id);

ALTER TABLE case_samples ADD COLUMN public_id text NOT NULL DEFAULT new_public_id()
	CONSTRAINT case_samples_public_id_format CHECK (public_id ~ '^[0-9a-hjkmnp-tv-z]{20}$');
CREATE UNIQUE INDEX case_samples_public_id_idx ON case_samples (public_id);

-- +goose Down
ALTER TABLE case_samples DROP COLUMN public_id;
ALTER TABLE visit_deferrals DROP COLUMN public_id;
ALTER TABLE complaints DROP COLUMN public_id;
ALTER TABLE letter_comments DROP COLUMN public_id;
ALTER TABLE files DROP COLUMN public_id;
ALTER TABLE item_questions DROP COLUMN public_id;
ALTER TABLE request_items DROP COLUMN public_id;
ALTER TABLE visits DROP COLUMN public_id;
DROP FUNCTION new_public_id();

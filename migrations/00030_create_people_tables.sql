-- +goose Up
-- People managed in the browser (issue 14): invitations, password resets,
-- the record of every change to a person, and each person's sessions.

-- A person's page is named by a random public id, never the integer key.
ALTER TABLE users ADD COLUMN public_id text NOT NULL DEFAULT new_public_id()
	CONSTRAINT users_public_id_format CHECK (public_id ~ '^[0-9a-hjkmnp-tv-z]{20}$');
CREATE UNIQUE INDEX users_public_id_idx ON users (public_id);
-- password_set_at: when the person chose their password; NULL while an
-- invitation waits (their password_hash is then '', which matches nothing).
-- A user made with a password (the command line, the demo) has it now.
ALTER TABLE users ADD COLUMN password_set_at timestamptz;
UPDATE users SET password_set_at = created_at;
ALTER TABLE users ALTER COLUMN password_set_at SET DEFAULT now();

-- Single-use links sent by email: an invitation (choose your password) or a
-- password reset. Only the SHA-256 of the token in the link is kept.
CREATE TABLE user_tokens (
	id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_id     bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	purpose     text NOT NULL CHECK (purpose IN ('invitation', 'password_reset')),
	token_hash  bytea NOT NULL,
	created_at  timestamptz NOT NULL DEFAULT now(),
	expires_at  timestamptz NOT NULL,
	used_at     timestamptz
);
CREATE UNIQUE INDEX user_tokens_hash_idx ON user_tokens (token_hash);
CREATE INDEX user_tokens_user_idx ON user_tokens (user_id, purpose);

-- Every change to a person (who, when, old and new), for administrators.
-- Append-only, as the triggers below enforce.
CREATE TABLE user_changes (
	id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	changed_at  timestamptz NOT NULL DEFAULT now(),
	user_id     bigint NOT NULL REFERENCES users (id),
	-- changed_by is NULL when the person did it themselves (through a link,
	-- setting up or using their second factor).
	changed_by  bigint REFERENCES users (id),
	action      text NOT NULL,
	old_value   text NOT NULL DEFAULT '',
	new_value   text NOT NULL DEFAULT ''
);
CREATE INDEX user_changes_user_idx ON user_changes (user_id, id DESC);

-- +goose StatementBegin
CREATE FUNCTION user_changes_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'user_changes is append-only: % refused', TG_OP
		USING ERRCODE = 'insufficient_privilege';
END
$$;
-- +goose StatementEnd
CREATE TRIGGER user_changes_no_change BEFORE UPDATE OR DELETE ON user_changes
	FOR EACH ROW EXECUTE FUNCTION user_changes_append_only();
CREATE TRIGGER user_changes_no_truncate BEFORE TRUNCATE ON user_changes
	FOR EACH STATEMENT EXECUTE FUNCTION user_changes_append_only();

-- A signed-in session, as its person sees it on their account page (device,
-- last seen) and can end. The session itself (scs) holds this row's id; a
-- session whose row is gone is ended on its next request.
CREATE TABLE user_sessions (
	id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	public_id     text NOT NULL DEFAULT new_public_id()
		CONSTRAINT user_sessions_public_id_format CHECK (public_id ~ '^[0-9a-hjkmnp-tv-z]{20}$'),
	user_id       bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	user_agent    text NOT NULL DEFAULT '',
	address       text NOT NULL DEFAULT '',
	created_at    timestamptz NOT NULL DEFAULT now(),
	last_seen_at  timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX user_sessions_public_id_idx ON user_sessions (public_id);
CREATE INDEX user_sessions_user_idx ON user_sessions (user_id);

-- +goose Down
DROP TABLE user_sessions;
DROP TABLE user_changes;
DROP FUNCTION user_changes_append_only();
DROP TABLE user_tokens;
ALTER TABLE users DROP COLUMN password_set_at;
ALTER TABLE users DROP COLUMN public_id;

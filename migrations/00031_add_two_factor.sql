-- +goose Up
-- Two-factor authentication with an authenticator app (TOTP, RFC 6238).
-- totp_secret is the base32 key ('' until set up); totp_last_step is the
-- time step of the last code accepted, so a code is never accepted twice.
ALTER TABLE users ADD COLUMN totp_secret text NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN totp_enabled_at timestamptz;
ALTER TABLE users ADD COLUMN totp_last_step bigint NOT NULL DEFAULT 0;

-- Ten single-use recovery codes, shown once; only their SHA-256 is kept.
CREATE TABLE user_recovery_codes (
	id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
	code_hash  bytea NOT NULL,
	used_at    timestamptz
);
CREATE INDEX user_recovery_codes_user_idx ON user_recovery_codes (user_id);

-- +goose Down
DROP TABLE user_recovery_codes;
ALTER TABLE users DROP COLUMN totp_last_step;
ALTER TABLE users DROP COLUMN totp_enabled_at;
ALTER TABLE users DROP COLUMN totp_secret;

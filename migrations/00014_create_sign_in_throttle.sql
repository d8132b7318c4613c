-- +goose Up
-- The sign-in limits' counts (internal/user.SignInRules): one row per
-- account (kind 'account', the email address as typed, lower-cased, so an
-- unknown email counts as a known one does) and one per client address
-- (kind 'address'). Each attempt is counted here, in one statement, before
-- its password is checked. Rows quiet for longer than SIGN_IN_LOCKOUT mean
-- nothing and are pruned by the service.
CREATE TABLE sign_in_throttle (
	kind     text NOT NULL CHECK (kind IN ('account', 'address')),
	key      text NOT NULL,
	failures integer NOT NULL CHECK (failures >= 0),
	last_at  timestamptz NOT NULL,
	PRIMARY KEY (kind, key)
);
CREATE INDEX sign_in_throttle_last_at_idx ON sign_in_throttle (last_at);

-- The failures log it replaces: counted after the password was checked, so
-- parallel attempts all passed.
DROP TABLE sign_in_failures;

-- +goose Down
CREATE TABLE sign_in_failures (
	id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	email      text NOT NULL,
	address    text NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sign_in_failures_email_idx ON sign_in_failures (email, created_at);
CREATE INDEX sign_in_failures_address_idx ON sign_in_failures (address, created_at);
DROP TABLE sign_in_throttle;

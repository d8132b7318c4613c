-- +goose Up
CREATE TABLE users (
	id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	email           text NOT NULL,
	name            text NOT NULL,
	role            text NOT NULL CHECK (role IN ('admin', 'lead_inspector', 'team_inspector', 'qam', 'sao', 'cafcass_ceo', 'cafcass_deputy')),
	password_hash   text NOT NULL,
	active          boolean NOT NULL DEFAULT true,
	created_at      timestamptz NOT NULL DEFAULT now(),
	updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_idx ON users (lower(email));

-- Failed sign-in attempts, by account (email as typed, lower-cased) and by
-- client address, for throttling. Old rows are pruned as new ones arrive.
CREATE TABLE sign_in_failures (
	id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	email      text NOT NULL,
	address    text NOT NULL,
	created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX sign_in_failures_email_idx ON sign_in_failures (email, created_at);
CREATE INDEX sign_in_failures_address_idx ON sign_in_failures (address, created_at);

-- +goose Down
DROP TABLE sign_in_failures;
DROP TABLE users;

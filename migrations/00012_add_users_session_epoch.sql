-- +goose Up
-- session_epoch counts a user's password changes. It is stored in each
-- session at sign-in; a session whose epoch differs from the user's current
-- one is ended, so changing a password signs out every other session.
ALTER TABLE users ADD COLUMN session_epoch integer NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE users DROP COLUMN session_epoch;

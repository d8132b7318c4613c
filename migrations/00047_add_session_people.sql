-- +goose Up
-- Whose a session is, beside its data (issue 16.5): the person and their
-- row in user_sessions, written with the session's data whenever it is
-- (store.SessionStore), so that the statement finding a request's session
-- also reads its person, their epoch and the calendar's version, which
-- every signed-in request needs: one statement where there were two, the
-- largest share of the database's work per page. Sessions written before
-- have neither, and their requests read the person apart, as before, until
-- the session is next written (within a minute of use).
ALTER TABLE sessions ADD COLUMN user_id bigint, ADD COLUMN user_session_id bigint;

-- +goose Down
ALTER TABLE sessions DROP COLUMN user_id, DROP COLUMN user_session_id;

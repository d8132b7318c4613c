-- +goose Up
-- Closure days an administrator adds on top of the bank holidays: they are
-- not working days for any visit's timeline.
CREATE TABLE closure_days (
	day        date PRIMARY KEY,
	reason     text NOT NULL,
	created_by bigint REFERENCES users (id),
	created_at timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE closure_days;

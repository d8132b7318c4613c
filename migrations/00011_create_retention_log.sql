-- +goose Up
-- What the retention job deleted, and when: child-level data and uploaded
-- files are kept for a set period after a visit's letter is published (the
-- CHILD_DATA_RETENTION_DAYS setting), then deleted. One row per visit per
-- run that deleted something; the counts say what went, never the data.
CREATE TABLE retention_log (
	id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	visit_id        bigint NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
	published_at    timestamptz NOT NULL,
	retention_days  integer NOT NULL CHECK (retention_days > 0),
	child_lists     integer NOT NULL DEFAULT 0,
	child_rows      integer NOT NULL DEFAULT 0,
	child_issues    integer NOT NULL DEFAULT 0,
	case_samples    integer NOT NULL DEFAULT 0,
	files           integer NOT NULL DEFAULT 0,
	file_bytes      bigint NOT NULL DEFAULT 0,
	deleted_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX retention_log_visit_idx ON retention_log (visit_id);

-- +goose Down
DROP TABLE retention_log;

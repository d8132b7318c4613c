-- +goose Up
-- Every closure day added or removed, who did it, why, and how many visits'
-- dates moved as a result. closure_days holds only the days closed now; this
-- is their history, which administrators read. Rows are only ever added.
CREATE TABLE closure_day_changes (
	id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	day           date NOT NULL,
	change        text NOT NULL CHECK (change IN ('added', 'removed')),
	-- reason is the closure day's own reason ("Office move").
	reason        text NOT NULL,
	-- why is why it was removed; empty when added.
	why           text NOT NULL DEFAULT '',
	visits_moved  integer NOT NULL DEFAULT 0,
	changed_by    bigint REFERENCES users (id),
	changed_at    timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX closure_day_changes_at_idx ON closure_day_changes (changed_at DESC, id DESC);

-- +goose Down
DROP TABLE closure_day_changes;

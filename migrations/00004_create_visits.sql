-- +goose Up
-- A visit of Cafcass, planned from a procedure template. Its dates are not
-- stored: they are computed from the template, the anchor, the actual events,
-- the overrides and the calendar (bank holidays and closure days), so they
-- follow at once when any of those moves.
CREATE TABLE visits (
	id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	reference        text NOT NULL UNIQUE,
	template_id      text NOT NULL,
	template_version text NOT NULL,
	-- anchor_code is the template step the plan is counted from: 'notice'
	-- (planning forwards) or 'fieldwork' (planning backwards).
	anchor_code      text NOT NULL,
	anchor_date      date NOT NULL,
	priority_action  boolean NOT NULL DEFAULT false,
	status           text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'cancelled')),
	-- notice_given_at is when the notice call was recorded: from then on the
	-- Cafcass users on the visit may see it (DOMAIN decision 9).
	notice_given_at  timestamptz,
	cancelled_at     timestamptz,
	cancel_reason    text NOT NULL DEFAULT '',
	created_by       bigint NOT NULL REFERENCES users (id),
	created_at       timestamptz NOT NULL DEFAULT now(),
	updated_at       timestamptz NOT NULL DEFAULT now(),
	-- version increases with every change, so a stale form cannot overwrite
	-- a newer one.
	version          integer NOT NULL DEFAULT 1
);
CREATE INDEX visits_notice_idx ON visits (notice_given_at) WHERE notice_given_at IS NOT NULL;

-- Who is on a visit, and as what.
CREATE TABLE visit_members (
	visit_id bigint NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
	user_id  bigint NOT NULL REFERENCES users (id),
	role     text NOT NULL CHECK (role IN ('lead_inspector', 'team_inspector', 'qam', 'sao', 'cafcass')),
	PRIMARY KEY (visit_id, user_id, role)
);
CREATE INDEX visit_members_user_idx ON visit_members (user_id, visit_id);

-- What actually happened, by template step.
CREATE TABLE visit_actuals (
	visit_id    bigint NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
	code        text NOT NULL,
	day         date NOT NULL,
	to_day      date,
	at_time     time,
	recorded_by bigint NOT NULL REFERENCES users (id),
	recorded_at timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (visit_id, code)
);

-- Dates set by hand, with a reason. Recomputation never moves them.
CREATE TABLE visit_overrides (
	visit_id bigint NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
	code     text NOT NULL,
	day      date NOT NULL,
	to_day   date,
	reason   text NOT NULL CHECK (reason <> ''),
	set_by   bigint NOT NULL REFERENCES users (id),
	set_at   timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (visit_id, code)
);

-- Scheduling warnings the lead inspector went ahead with, and why.
CREATE TABLE visit_warning_acceptances (
	id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	visit_id    bigint NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
	code        text NOT NULL,
	message     text NOT NULL,
	reason      text NOT NULL CHECK (reason <> ''),
	accepted_by bigint NOT NULL REFERENCES users (id),
	accepted_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX visit_warning_acceptances_visit_idx ON visit_warning_acceptances (visit_id);

-- The visit's history: every change, who made it, when, and the old and new
-- values. Rows are only ever added.
CREATE TABLE visit_events (
	id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	visit_id  bigint NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
	at        timestamptz NOT NULL DEFAULT now(),
	user_id   bigint REFERENCES users (id),
	action    text NOT NULL,
	field     text NOT NULL DEFAULT '',
	old_value text NOT NULL DEFAULT '',
	new_value text NOT NULL DEFAULT '',
	detail    text NOT NULL DEFAULT ''
);
CREATE INDEX visit_events_visit_idx ON visit_events (visit_id, id);

-- Deferral requests and Ofsted's decisions.
CREATE TABLE visit_deferrals (
	id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	visit_id        bigint NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
	requested_by    text NOT NULL,
	requested_on    date NOT NULL,
	reason          text NOT NULL CHECK (reason <> ''),
	recorded_by     bigint NOT NULL REFERENCES users (id),
	recorded_at     timestamptz NOT NULL DEFAULT now(),
	status          text NOT NULL DEFAULT 'requested' CHECK (status IN ('requested', 'granted', 'refused')),
	decided_by      bigint REFERENCES users (id),
	decided_at      timestamptz,
	decision_reason text NOT NULL DEFAULT '',
	old_anchor_code text NOT NULL DEFAULT '',
	old_anchor_date date,
	new_anchor_code text NOT NULL DEFAULT '',
	new_anchor_date date
);
CREATE INDEX visit_deferrals_visit_idx ON visit_deferrals (visit_id);

-- Private calendar subscription tokens (stored hashed), one per user.
CREATE TABLE calendar_tokens (
	user_id    bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
	token_hash bytea NOT NULL UNIQUE,
	created_at timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE calendar_tokens;
DROP TABLE visit_deferrals;
DROP TABLE visit_events;
DROP TABLE visit_warning_acceptances;
DROP TABLE visit_overrides;
DROP TABLE visit_actuals;
DROP TABLE visit_members;
DROP TABLE visits;

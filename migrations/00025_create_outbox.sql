-- +goose Up
-- The outbox (issue 13, item 4). A message is written here in the same
-- transaction as the event that causes it, and delivered later by a
-- scheduled job: sending is never on a request's path, and a mail server
-- that is down loses nothing.
CREATE TABLE outbox_messages (
	id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	public_id      text NOT NULL DEFAULT new_public_id()
		CONSTRAINT outbox_messages_public_id_format CHECK (public_id ~ '^[0-9a-hjkmnp-tv-z]{20}$'),
	created_at     timestamptz NOT NULL DEFAULT now(),
	-- template names the entry in internal/notify's catalogue; kind is that
	-- template's kind when queued: 'action' (cannot be turned off) or
	-- 'information'.
	template       text NOT NULL,
	kind           text NOT NULL CHECK (kind IN ('action', 'information')),
	visit_id       bigint REFERENCES visits (id) ON DELETE SET NULL,
	-- The recipient: a user of the service when known (user_id), and always
	-- the address and name the message went to, as they were when queued.
	user_id        bigint REFERENCES users (id) ON DELETE SET NULL,
	to_address     text NOT NULL,
	to_name        text NOT NULL DEFAULT '',
	subject        text NOT NULL,
	body           text NOT NULL,
	-- queued: waiting for delivery; sent; failed: given up after retries
	-- (an administrator may retry); not_sent: no mail server configured;
	-- digest: held for the recipient's 08:00 digest; digested: went out in
	-- the digest digest_id; skipped: not sent because of the recipient's
	-- preferences, an account no longer active, or a notice withdrawn
	-- before it went (last_error says which).
	status         text NOT NULL DEFAULT 'queued'
		CHECK (status IN ('queued', 'sent', 'failed', 'not_sent', 'digest', 'digested', 'skipped')),
	attempts       integer NOT NULL DEFAULT 0,
	last_error     text NOT NULL DEFAULT '',
	last_attempt_at timestamptz,
	-- next_attempt_at is when a message that failed is tried again (the
	-- delivery job's back-off); NULL means at once.
	next_attempt_at timestamptz,
	sent_at        timestamptz,
	-- digest_id is the digest a held information message went out in.
	digest_id      bigint REFERENCES outbox_messages (id) ON DELETE SET NULL,
	-- An administrator's retry of a failed message.
	retried_at     timestamptz,
	retried_by     bigint REFERENCES users (id) ON DELETE SET NULL,
	-- dedupe_key makes a message at most once (a reminder for one deadline
	-- on one day, the items-submitted message of one working day).
	dedupe_key     text
);
CREATE UNIQUE INDEX outbox_messages_public_id_idx ON outbox_messages (public_id);
CREATE UNIQUE INDEX outbox_messages_dedupe_idx ON outbox_messages (dedupe_key) WHERE dedupe_key IS NOT NULL;
CREATE INDEX outbox_messages_pending_idx ON outbox_messages (id) WHERE status = 'queued';
CREATE INDEX outbox_messages_digest_idx ON outbox_messages (user_id, id) WHERE status = 'digest';
CREATE INDEX outbox_messages_status_idx ON outbox_messages (status, id);
CREATE INDEX outbox_messages_visit_idx ON outbox_messages (visit_id, created_at);

-- +goose Down
DROP TABLE outbox_messages;

-- +goose Up
-- Files uploaded against a request item. The content lives in file_chunks,
-- 1 MiB of bytea per row: plain rows work with any managed PostgreSQL,
-- backups and logical replication, are removed by ON DELETE CASCADE, and
-- can be written and read one chunk at a time (large objects would need
-- lo_unlink on every delete and are not replicated logically).
--
-- A row is written with complete = false, its chunks follow, and only then
-- is it marked complete (with its digest and version) in one transaction.
-- Every query for users reads complete rows only; an upload cut off midway
-- is deleted at once, and any left behind by a crash are swept later.
CREATE TABLE files (
	id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
	visit_id      bigint NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
	item_id       bigint NOT NULL REFERENCES request_items (id) ON DELETE CASCADE,
	-- name is the name as stored, beginning with the item number; it and
	-- the item identify a document across its versions.
	name          text NOT NULL CHECK (name <> ''),
	-- original_name is the name as the browser sent it (sanitised).
	original_name text NOT NULL,
	-- content_type is the type detected from the content, not the one sent.
	content_type  text NOT NULL,
	size          bigint NOT NULL DEFAULT 0 CHECK (size >= 0),
	sha256        bytea CHECK (sha256 IS NULL OR length(sha256) = 32),
	-- version counts the uploads of name on the item, from 1; a new version
	-- replaces the current one, which is kept, marked superseded.
	version       integer NOT NULL DEFAULT 0,
	replaces      bigint REFERENCES files (id),
	superseded_at timestamptz,
	uploaded_by   bigint NOT NULL REFERENCES users (id),
	uploaded_at   timestamptz NOT NULL DEFAULT now(),
	-- Removal is recorded, never a delete.
	removed_at    timestamptz,
	removed_by    bigint REFERENCES users (id),
	complete      boolean NOT NULL DEFAULT false,
	CHECK (NOT complete OR (sha256 IS NOT NULL AND version >= 1))
);
CREATE INDEX files_item_idx ON files (item_id, name, version) WHERE complete;
CREATE INDEX files_visit_idx ON files (visit_id) WHERE complete;
-- One current (not superseded, not removed) version of a name per item.
CREATE UNIQUE INDEX files_current_idx ON files (item_id, name)
	WHERE complete AND superseded_at IS NULL AND removed_at IS NULL;
CREATE UNIQUE INDEX files_version_idx ON files (item_id, name, version) WHERE complete;
CREATE INDEX files_incomplete_idx ON files (uploaded_at) WHERE NOT complete;

CREATE TABLE file_chunks (
	file_id bigint NOT NULL REFERENCES files (id) ON DELETE CASCADE,
	seq     integer NOT NULL CHECK (seq >= 0),
	data    bytea NOT NULL,
	PRIMARY KEY (file_id, seq)
);

-- +goose Down
DROP TABLE file_chunks;
DROP TABLE files;

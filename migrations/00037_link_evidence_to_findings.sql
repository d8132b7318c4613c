-- +goose Up
-- Evidence linked to the letter's findings (issue 17, item 4): the lead
-- inspector links evidence notes to a finding, so each finding shows what it
-- rests on.
--
-- A finding had no identity beyond its position in one version, and every
-- save makes a new version. So each finding gets a public id that the edit
-- form carries from version to version: a finding kept (even reworded or
-- moved) keeps its id, a new finding gets a new one. Links name the letter
-- and that id, not a version, so they survive new versions of the draft; a
-- finding dropped from the current version keeps its links unseen, and they
-- come back only if an older version's finding is restored with its id.
--
-- Findings already saved: the finding at a position is taken to be the same
-- finding in every version of its letter (the best guess without ids).
ALTER TABLE letter_findings ADD COLUMN public_id text;
WITH ids AS (
	SELECT v.letter_id, f.position, new_public_id() AS public_id
	FROM letter_findings f JOIN letter_versions v ON v.id = f.version_id
	GROUP BY v.letter_id, f.position
)
UPDATE letter_findings f SET public_id = ids.public_id
FROM letter_versions v, ids
WHERE v.id = f.version_id AND ids.letter_id = v.letter_id AND ids.position = f.position;
ALTER TABLE letter_findings ALTER COLUMN public_id SET DEFAULT new_public_id(),
	ALTER COLUMN public_id SET NOT NULL,
	ADD CONSTRAINT letter_findings_public_id_format CHECK (public_id ~ '^[0-9a-hjkmnp-tv-z]{20}$'),
	ADD CONSTRAINT letter_findings_version_public_id_key UNIQUE (version_id, public_id);

-- The links: children's data as the notes are (DOMAIN decision 17), so they
-- go with the notes (ON DELETE CASCADE) when the retention purge deletes
-- them; the letter itself stays readable.
CREATE TABLE finding_evidence (
	letter_id  bigint NOT NULL REFERENCES letters (id) ON DELETE CASCADE,
	-- finding_id is letter_findings.public_id, the same in every version.
	finding_id text NOT NULL,
	note_id    bigint NOT NULL REFERENCES evidence_notes (id) ON DELETE CASCADE,
	linked_by  bigint NOT NULL REFERENCES users (id),
	linked_at  timestamptz NOT NULL DEFAULT now(),
	PRIMARY KEY (letter_id, finding_id, note_id)
);
CREATE INDEX finding_evidence_note_idx ON finding_evidence (note_id);

-- +goose Down
DROP TABLE finding_evidence;
ALTER TABLE letter_findings DROP COLUMN public_id;

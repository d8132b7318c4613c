-- The published letter's header and the summary for children and young
-- people (issue 15.7, 17.7). The lead inspector writes the summary on the
-- letter before publication; publishing copies it, with who the letter is
-- addressed to, who signed it and the dates of the visit, into the
-- published copy (the only table the public pages read). None of it is
-- children's data: the retention purge leaves it alone.

-- +goose Up
ALTER TABLE letters
    ADD COLUMN children_summary text NOT NULL DEFAULT ''
        CHECK (char_length(children_summary) <= 1500);

ALTER TABLE publications
    ADD COLUMN visit_from date,
    ADD COLUMN visit_to date,
    ADD COLUMN addressee text NOT NULL DEFAULT '',
    ADD COLUMN addressee_role text NOT NULL DEFAULT '',
    ADD COLUMN signatory text NOT NULL DEFAULT '',
    ADD COLUMN signatory_role text NOT NULL DEFAULT '',
    ADD COLUMN children_summary text NOT NULL DEFAULT '',
    ADD CONSTRAINT publications_visit_dates_check CHECK (visit_from IS NULL OR visit_to >= visit_from);

-- +goose Down
ALTER TABLE publications
    DROP CONSTRAINT publications_visit_dates_check,
    DROP COLUMN children_summary,
    DROP COLUMN signatory_role,
    DROP COLUMN signatory,
    DROP COLUMN addressee_role,
    DROP COLUMN addressee,
    DROP COLUMN visit_to,
    DROP COLUMN visit_from;

ALTER TABLE letters DROP COLUMN children_summary;

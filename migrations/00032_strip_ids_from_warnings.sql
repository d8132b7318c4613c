-- +goose Up
-- Scheduling warnings once named each inspector with their database id
-- ("Leila Lead (#2) is on fieldwork ..."), and the text was kept as it was
-- shown: in the warnings accepted and in the history line that records
-- each. Ids mean nothing to people and are never shown (issue 15.4): they
-- are taken out of the stored text. The names stay.
UPDATE visit_warning_acceptances
SET message = regexp_replace(message, ' \(#[0-9]+\)', '', 'g')
WHERE message ~ ' \(#[0-9]+\)';

UPDATE visit_events
SET detail = regexp_replace(detail, ' \(#[0-9]+\)', '', 'g')
WHERE action = 'Scheduling warning accepted' AND detail ~ ' \(#[0-9]+\)';

-- +goose Down
-- The ids taken out are not needed to read the text, and are not restored.
SELECT 1;

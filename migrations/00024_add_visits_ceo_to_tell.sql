-- +goose Up
-- ceo_to_tell: a closure day moved this visit's dates after notice, and the
-- lead has not yet recorded telling the chief executive in writing (DOMAIN
-- decision 14).
ALTER TABLE visits ADD COLUMN ceo_to_tell boolean NOT NULL DEFAULT false;

-- +goose Down
ALTER TABLE visits DROP COLUMN ceo_to_tell;

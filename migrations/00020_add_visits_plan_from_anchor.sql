-- +goose Up
-- plan_from_anchor: the notice-week dates are counted from the plan anchor
-- although the notice is recorded, because a deferral was granted after
-- notice (DOMAIN decision 11): the recorded notice stays as it happened.
ALTER TABLE visits ADD COLUMN plan_from_anchor boolean NOT NULL DEFAULT false;

-- +goose Down
ALTER TABLE visits DROP COLUMN plan_from_anchor;

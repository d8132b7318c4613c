-- +goose Up
-- How each person wants the information messages (issue 13): each as it
-- happens ('each', the default when a person has no row), gathered in one
-- digest at 08:00 Europe/London on working days ('digest'), or not at all
-- ('off'). Action messages always go, whatever is chosen here.
CREATE TABLE message_preferences (
	user_id     bigint PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
	information text NOT NULL CHECK (information IN ('each', 'digest', 'off')),
	updated_at  timestamptz NOT NULL DEFAULT now()
);

-- +goose Down
DROP TABLE message_preferences;

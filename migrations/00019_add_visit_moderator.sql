-- +goose Up
-- A visit's moderator (DOMAIN decision 14): a quality assurance manager
-- other than the visit's own, who moderates a letter with an area for
-- priority action.
ALTER TABLE visit_members DROP CONSTRAINT visit_members_role_check;
ALTER TABLE visit_members ADD CONSTRAINT visit_members_role_check
	CHECK (role IN ('lead_inspector', 'team_inspector', 'qam', 'moderator', 'sao', 'cafcass'));

-- +goose Down
DELETE FROM visit_members WHERE role = 'moderator';
ALTER TABLE visit_members DROP CONSTRAINT visit_members_role_check;
ALTER TABLE visit_members ADD CONSTRAINT visit_members_role_check
	CHECK (role IN ('lead_inspector', 'team_inspector', 'qam', 'sao', 'cafcass'));

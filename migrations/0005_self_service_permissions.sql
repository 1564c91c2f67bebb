-- Every operation names the permission it needs (issue 13). The self-service operations that any
-- signed-in user could call so far get permissions of their own, granted to the seeded `user` role
-- (and to `admin`, which the seed grants every permission), so nothing changes for signed-in users.
-- Idempotent: on a fresh database the roles do not exist yet and the seed grants these instead.
INSERT INTO "permissions" ("resource", "action", "description") VALUES
  ('profile', 'security', 'Manage own password, email, two-factor and re-authentication'),
  ('profile', 'activity', 'View own audit trail'),
  ('sessions', 'read', 'View own sessions'),
  ('sessions', 'update', 'Record activity of own session'),
  ('sessions', 'delete', 'Revoke own sessions'),
  ('api_keys', 'create', 'Create own API keys'),
  ('api_keys', 'read', 'View own API keys'),
  ('api_keys', 'update', 'Rotate and change own API keys'),
  ('api_keys', 'delete', 'Revoke own API keys'),
  ('notifications', 'read', 'Read own notifications'),
  ('notifications', 'update', 'Mark own notifications read or archived'),
  ('notifications', 'delete', 'Delete own notifications'),
  ('notifications', 'send', 'Send notifications to users and roles')
ON CONFLICT ("resource", "action") DO NOTHING;
--> statement-breakpoint
INSERT INTO "role_permissions" ("role_id", "permission_id")
SELECT r."id", p."id" FROM "roles" r JOIN "permissions" p
  ON (p."resource", p."action") IN (
    ('profile', 'security'), ('profile', 'activity'),
    ('sessions', 'read'), ('sessions', 'update'), ('sessions', 'delete'),
    ('api_keys', 'create'), ('api_keys', 'read'), ('api_keys', 'update'), ('api_keys', 'delete'),
    ('notifications', 'read'), ('notifications', 'update'), ('notifications', 'delete'))
  OR (r."name" = 'admin' AND (p."resource", p."action") = ('notifications', 'send'))
WHERE r."name" IN ('user', 'admin')
ON CONFLICT DO NOTHING;

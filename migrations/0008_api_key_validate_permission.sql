-- POST /api/api-keys/validate needs api_keys:validate, a permission for services (issue 17). The
-- seeded `admin` role holds every permission, so it gets this one too; `user` does not.
-- Idempotent: on a fresh database the roles do not exist yet and the seed grants it instead.
INSERT INTO "permissions" ("resource", "action", "description") VALUES
  ('api_keys', 'validate', 'Validate API keys presented to a service (owner and scopes)')
ON CONFLICT ("resource", "action") DO NOTHING;
--> statement-breakpoint
INSERT INTO "role_permissions" ("role_id", "permission_id")
SELECT r."id", p."id" FROM "roles" r JOIN "permissions" p ON (p."resource", p."action") = ('api_keys', 'validate')
WHERE r."name" = 'admin'
ON CONFLICT DO NOTHING;

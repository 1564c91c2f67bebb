-- Seeded system settings that nothing reads (issue 17): each setting either drives what it names
-- or goes. The token lifetimes are per-deployment variables (ACCESS_TOKEN_TTL, REFRESH_IDLE_TTL,
-- REFRESH_ABSOLUTE_TTL in wrangler.toml), and the API's version is APP_VERSION (GET /api/info,
-- GET /health, meta.version): these rows only contradicted them (3600, 86400, 1.0.0).
-- Idempotent: on a fresh database the seed no longer creates them.
DELETE FROM "system_settings"
WHERE ("category", "key") IN (('security', 'jwt_expiry'), ('security', 'refresh_token_expiry'), ('app', 'version'));

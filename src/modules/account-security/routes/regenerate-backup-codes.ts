import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { noStore } from '../../../lib/cache-control';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { BackupCodesSchema } from '../schemas';
import { regenerateBackupCodes } from '../services/two-factor';

export const regenerateBackupCodesRoute = createRoute({
  method: 'post',
  path: '/api/auth/2fa/backup-codes',
  operationId: 'regenerateBackupCodes',
  tags: ['Account security'],
  summary: 'Replace the two-factor backup codes',
  description: 'Ten new single-use codes, shown only now; the old ones stop working. Needs a fresh proof of identity (403 REAUTHENTICATION_REQUIRED).',
  ...protectedAccess('profile:security', { apiKeys: false }),
  responses: {
    200: jsonContent(successSchema(BackupCodesSchema), 'The new backup codes'),
    ...errorResponses(401, 403, 409, 500, 503),
  },
});

export const regenerateBackupCodesHandler: RouteHandler<typeof regenerateBackupCodesRoute, AppEnv> = async (c) => {
  const codes = await regenerateBackupCodes(serviceContext(c));
  noStore(c);
  return ok(c, codes);
};

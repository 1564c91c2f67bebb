import { createRoute, z, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { ApiError } from '../../../lib/errors';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { checkDatabase } from '../service';

export const HealthSchema = z
  .object({
    status: z.enum(['ok', 'degraded']),
    version: z.string(),
    environment: z.string(),
    timestamp: z.string().openapi({ format: 'date-time' }),
    database: z.object({ status: z.enum(['up', 'down']), latencyMs: z.number() }),
  })
  .openapi('Health');

export const getHealthRoute = createRoute({
  method: 'get',
  path: '/health',
  operationId: 'getHealth',
  tags: ['System'],
  summary: 'Service health',
  description:
    'Version, environment, database reachability and the latency of one database round trip. 503 `SERVICE_UNAVAILABLE` when the database is down; 503 `CONFIGURATION_ERROR` (as for every other route) when a required variable is missing or malformed, naming it in `details`.',
  security: [],
  responses: {
    200: jsonContent(successSchema(HealthSchema), 'The service and its database are up'),
    ...errorResponses(500, 503),
  },
});

export const getHealth: RouteHandler<typeof getHealthRoute, AppEnv> = async (c) => {
  const database = await checkDatabase(c.get('db')());
  const health = {
    status: database.status === 'up' ? ('ok' as const) : ('degraded' as const),
    version: c.env.APP_VERSION,
    environment: c.env.APP_ENV,
    timestamp: new Date().toISOString(),
    database,
  };
  if (database.status === 'down') {
    throw new ApiError('SERVICE_UNAVAILABLE', 'The database is unreachable', { details: health, headers: { 'Retry-After': '5' } });
  }
  return ok(c, health);
};

import { createRoute, z, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent, publicAccess } from '../../../lib/openapi';

export const PongSchema = z
  .object({
    pong: z.literal(true),
    timestamp: z.iso.datetime({ offset: true }),
  })
  .openapi('Pong');

export const pingRoute = createRoute({
  method: 'get',
  path: '/api/ping',
  operationId: 'ping',
  tags: ['System'],
  summary: 'Liveness for uptime checks',
  description:
    'Answers as soon as the Worker runs: no database round trip, no KV read, no authentication, never cached (`Cache-Control: no-store`). ' +
    '`GET /health` also checks the database.',
  ...publicAccess,
  responses: {
    200: jsonContent(successSchema(PongSchema), 'The Worker is up'),
    ...errorResponses(429, 500, 503),
  },
});

export const pingHandler: RouteHandler<typeof pingRoute, AppEnv> = (c) => {
  c.header('Cache-Control', 'no-store');
  return ok(c, { pong: true as const, timestamp: new Date().toISOString() });
};

import { createRoute, z, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { listOutbox } from '../../../lib/mailer';
import { errorResponses, jsonContent, publicAccess } from '../../../lib/openapi';
import { OutboxMessageSchema, OutboxQuerySchema } from '../schemas';

/**
 * Development and tests only: mounted by the app outside production, and hidden from the OpenAPI
 * document (which describes the production API).
 */
export const listOutboxRoute = createRoute({
  method: 'get',
  path: '/api/dev/outbox',
  operationId: 'listOutbox',
  tags: ['Account security'],
  summary: 'Emails held by the development outbox (not in production)',
  description: 'The messages the `outbox` transport stored in KV during the last 24 hours, newest first.',
  hide: true,
  ...publicAccess,
  request: { query: OutboxQuerySchema },
  responses: {
    200: jsonContent(successSchema(z.array(OutboxMessageSchema)), 'Stored messages'),
    ...errorResponses(400, 500),
  },
});

export const listOutboxHandler: RouteHandler<typeof listOutboxRoute, AppEnv> = async (c) => {
  const { to, template, limit } = c.req.valid('query');
  const messages = await listOutbox(c.env.CACHE, { limit, ...(to ? { to } : {}), ...(template ? { template } : {}) });
  return ok(
    c,
    messages.map((m) => ({ ...m, links: [...m.text.matchAll(/https?:\/\/\S+/g)].map((match) => match[0]) })),
  );
};

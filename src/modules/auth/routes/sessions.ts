import { createRoute, z, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { ok, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { recordActivity } from '../services/activity';
import {
  PageViewBodySchema,
  RevokeOthersResultSchema,
  RevokeSessionResultSchema,
  SessionIdParamsSchema,
  UserSessionSchema,
} from '../schemas';
import { listSessions, revokeOtherSessions, revokeSession } from '../services/sessions';

export const listSessionsRoute = createRoute({
  method: 'get',
  path: '/api/auth/sessions',
  operationId: 'listSessions',
  tags: ['Auth'],
  summary: "The caller's active sessions with device and location",
  ...protectedAccess('sessions:read', { apiKeys: false }),
  responses: {
    200: jsonContent(successSchema(z.array(UserSessionSchema)), 'Active sessions, most recently used first'),
    ...errorResponses(401, 500, 503),
  },
});

export const listSessionsHandler: RouteHandler<typeof listSessionsRoute, AppEnv> = async (c) => ok(c, await listSessions(serviceContext(c)));

export const revokeSessionRoute = createRoute({
  method: 'delete',
  path: '/api/auth/sessions/{sessionId}',
  operationId: 'revokeSession',
  tags: ['Auth'],
  summary: 'Revoke one of the caller’s other sessions',
  description: 'The current session cannot be revoked here (400 CANNOT_REVOKE_CURRENT_SESSION: use logout); another user’s session is 404.',
  ...protectedAccess('sessions:delete', { apiKeys: false }),
  request: { params: SessionIdParamsSchema },
  responses: {
    200: jsonContent(successSchema(RevokeSessionResultSchema), 'Revoked'),
    ...errorResponses(400, 401, 404, 500, 503),
  },
});

export const revokeSessionHandler: RouteHandler<typeof revokeSessionRoute, AppEnv> = async (c) =>
  ok(c, await revokeSession(serviceContext(c), c.req.valid('param').sessionId));

export const revokeOtherSessionsRoute = createRoute({
  method: 'delete',
  path: '/api/auth/sessions',
  operationId: 'revokeOtherSessions',
  tags: ['Auth'],
  summary: 'Revoke every session except the current one',
  ...protectedAccess('sessions:delete', { apiKeys: false }),
  responses: {
    200: jsonContent(successSchema(RevokeOthersResultSchema), 'Revoked'),
    ...errorResponses(401, 500, 503),
  },
});

export const revokeOtherSessionsHandler: RouteHandler<typeof revokeOtherSessionsRoute, AppEnv> = async (c) =>
  ok(c, await revokeOtherSessions(serviceContext(c)));

export const recordActivityRoute = createRoute({
  method: 'post',
  path: '/api/auth/activity',
  operationId: 'recordActivity',
  tags: ['Auth'],
  summary: 'Record a page view for the current session',
  description:
    'Queued after the response and written by the activity queue’s consumer; adds no latency. `data` is at most 4096 bytes as JSON ' +
    '(UTF-8), else 400 VALIDATION_ERROR with the detail `body.data` `too_big`, and nothing is recorded.',
  ...protectedAccess('sessions:update', { apiKeys: false }),
  request: { body: { required: true, content: { 'application/json': { schema: PageViewBodySchema } } } },
  responses: {
    202: jsonContent(successSchema(z.object({ recorded: z.boolean() })), 'Accepted'),
    ...errorResponses(400, 401, 413, 415, 500),
  },
});

export const recordActivityHandler: RouteHandler<typeof recordActivityRoute, AppEnv> = async (c) => {
  const body = c.req.valid('json');
  const ctx = serviceContext(c);
  recordActivity(ctx, {
    sessionId: ctx.actor!.sessionId!,
    activityType: 'page_view',
    resource: body.resource,
    method: null,
    statusCode: null,
    durationMs: null,
    ...(body.data ? { data: body.data } : {}),
  });
  return c.json({ success: true as const, data: { recorded: true }, meta: { timestamp: ctx.now.toISOString(), version: c.env.APP_VERSION, requestId: ctx.requestId } }, 202);
};

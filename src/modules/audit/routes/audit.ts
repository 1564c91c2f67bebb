import { createRoute, type RouteHandler } from '@hono/zod-openapi';
import type { AppEnv } from '../../../context';
import { listSchema, ok, okList, successSchema } from '../../../lib/envelope';
import { errorResponses, jsonContent } from '../../../lib/openapi';
import { serviceContext } from '../../../lib/service-context';
import { protectedAccess } from '../../../middleware/access';
import { listAuditLogs, listSecurityEvents, resolveSecurityEvent } from '../queries';
import { AuditLogSchema, AuditQuerySchema, IdParamsSchema, MyActivityQuerySchema, ResolveEventSchema, SecurityEventQuerySchema, SecurityEventSchema } from '../schemas';

export const listAuditLogsRoute = createRoute({
  method: 'get', path: '/api/audit-logs', operationId: 'listAuditLogs', tags: ['Audit'], summary: 'The audit trail (newest first, keyset pagination)',
  description: 'Filters by user, entity, action and date range. Pages are keyset (cursor) based on (created_at, id): each row appears exactly once across pages, also while rows are inserted.',
  ...protectedAccess('system:logs'),
  request: { query: AuditQuerySchema },
  responses: { 200: jsonContent(listSchema(AuditLogSchema), 'A page of audit rows'), ...errorResponses(400, 401, 403, 500, 503) },
});
export const listAuditLogsHandler: RouteHandler<typeof listAuditLogsRoute, AppEnv> = async (c) => {
  const { items, pagination } = await listAuditLogs(serviceContext(c), c.req.valid('query'));
  return okList(c, items, pagination);
};

export const myActivityRoute = createRoute({
  method: 'get', path: '/api/users/me/activity', operationId: 'getMyActivity', tags: ['Audit'], summary: 'Your own audit trail',
  ...protectedAccess('profile:activity'),
  request: { query: MyActivityQuerySchema },
  responses: { 200: jsonContent(listSchema(AuditLogSchema), 'A page of your audit rows'), ...errorResponses(400, 401, 500, 503) },
});
export const myActivityHandler: RouteHandler<typeof myActivityRoute, AppEnv> = async (c) => {
  const ctx = serviceContext(c);
  const { items, pagination } = await listAuditLogs(ctx, { ...c.req.valid('query'), userId: ctx.actor!.userId });
  return okList(c, items, pagination);
};

export const listSecurityEventsRoute = createRoute({
  method: 'get', path: '/api/security-events', operationId: 'listSecurityEvents', tags: ['Audit'], summary: 'Security events (failed logins, suspicious sessions, token reuse)',
  ...protectedAccess('system:logs'),
  request: { query: SecurityEventQuerySchema },
  responses: { 200: jsonContent(listSchema(SecurityEventSchema), 'A page of events'), ...errorResponses(400, 401, 403, 500, 503) },
});
export const listSecurityEventsHandler: RouteHandler<typeof listSecurityEventsRoute, AppEnv> = async (c) => {
  const { items, pagination } = await listSecurityEvents(serviceContext(c), c.req.valid('query'));
  return okList(c, items, pagination);
};

export const resolveSecurityEventRoute = createRoute({
  method: 'post', path: '/api/security-events/{id}/resolve', operationId: 'resolveSecurityEvent', tags: ['Audit'], summary: 'Mark a security event resolved',
  ...protectedAccess('system:logs'),
  request: { params: IdParamsSchema, body: { required: false, content: { 'application/json': { schema: ResolveEventSchema } } } },
  responses: { 200: jsonContent(successSchema(SecurityEventSchema), 'Resolved'), ...errorResponses(400, 401, 403, 404, 413, 415, 500, 503) },
});
export const resolveSecurityEventHandler: RouteHandler<typeof resolveSecurityEventRoute, AppEnv> = async (c) =>
  ok(c, await resolveSecurityEvent(serviceContext(c), c.req.valid('param').id, c.req.valid('json').note));

import { z } from '@hono/zod-openapi';
import { auditActions } from '../../../drizzle';

export { IdParamsSchema } from '../rbac/schemas';

export const AuditLogSchema = z
  .object({
    id: z.uuid(),
    userId: z.uuid().nullable(),
    sessionId: z.uuid().nullable(),
    entityType: z.string(),
    entityId: z.string().nullable(),
    action: z.enum(auditActions),
    description: z.string().nullable(),
    oldValues: z.unknown().nullable(),
    newValues: z.unknown().nullable(),
    ipAddress: z.string().nullable(),
    userAgent: z.string().nullable(),
    source: z.string().nullable(),
    metadata: z.unknown().nullable(),
    createdAt: z.string(),
  })
  .openapi('AuditLog');

const page = {
  cursor: z.string().max(200).optional().openapi({ description: 'From `meta.pagination.nextCursor` of the previous page' }),
  limit: z.coerce.number().int().min(1).max(100).default(50),
};

export const AuditQuerySchema = z.object({
  userId: z.uuid().optional(),
  entityType: z.string().max(100).optional(),
  entityId: z.string().max(255).optional(),
  action: z.enum(auditActions).optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  ...page,
});

export const MyActivityQuerySchema = z.object({ entityType: z.string().max(100).optional(), action: z.enum(auditActions).optional(), ...page });

export const SecurityEventSchema = z
  .object({
    id: z.uuid(),
    userId: z.uuid().nullable(),
    sessionId: z.uuid().nullable(),
    eventType: z.string(),
    severity: z.string(),
    description: z.string(),
    ipAddress: z.string().nullable(),
    userAgent: z.string().nullable(),
    eventData: z.unknown().nullable(),
    resolved: z.boolean(),
    resolvedAt: z.string().nullable(),
    resolvedBy: z.uuid().nullable(),
    createdAt: z.string(),
  })
  .openapi('SecurityEvent');

export const SecurityEventQuerySchema = z.object({
  userId: z.uuid().optional(),
  eventType: z.string().max(50).optional(),
  severity: z.enum(['low', 'medium', 'high', 'critical']).optional(),
  resolved: z.enum(['true', 'false']).transform((v) => v === 'true').optional().openapi({ type: 'string', enum: ['true', 'false'] }),
  ...page,
});

export const ResolveEventSchema = z.strictObject({ note: z.string().max(1000).optional() }).openapi('ResolveSecurityEventRequest');

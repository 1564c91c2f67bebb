import type { ErrorCode } from '../../lib/errors';
import type { ServiceContext } from '../../lib/service-context';
import { auditInsert, securityEventInsert, type AuditAction, type Severity } from './service';

/**
 * Authorization refusals: what a caller tried and was not allowed. Each one leaves an audit row
 * (the attempted action, described as refused) and a security event, written after the response.
 */
const refusalSeverity: Partial<Record<ErrorCode, Severity>> = {
  FORBIDDEN: 'medium',
  API_KEY_NOT_ALLOWED: 'medium',
  SCOPE_NOT_ALLOWED: 'high',
  PERMISSION_ESCALATION: 'high',
  PROTECTED_TARGET: 'high',
  LAST_ADMINISTRATOR: 'high',
  CANNOT_CHANGE_SYSTEM_ROLE: 'medium',
  CANNOT_REMOVE_OWN_ADMIN_ROLE: 'medium',
};

export const isAuthorizationRefusal = (code: ErrorCode) => code in refusalSeverity;

const actionOf = (method: string): AuditAction =>
  method === 'POST' ? 'create' : method === 'PUT' || method === 'PATCH' ? 'update' : method === 'DELETE' ? 'delete' : 'read';

export interface Refusal {
  method: string;
  path: string;
  code: ErrorCode;
  /** The permission the operation requires, if it names one. */
  permission: string | null;
}

/**
 * Records a refusal before the refusal is answered (one round trip, refusals only), so the trail
 * is complete when the caller sees the 403; a failure to record is logged, never surfaced.
 */
export async function recordRefusal(ctx: ServiceContext, refusal: Refusal): Promise<void> {
  const actor = ctx.actor;
  const data = { code: refusal.code, method: refusal.method, path: refusal.path, requiredPermission: refusal.permission, actorType: actor?.type ?? null, apiKeyId: actor?.apiKeyId ?? null };
  await ctx.db
    .batch([
      auditInsert(ctx, { entityType: 'authorization', entityId: refusal.path.slice(0, 255), action: actionOf(refusal.method), description: `Refused (${refusal.code}): ${refusal.method} ${refusal.path}`, metadata: { refused: true, ...data } }),
      securityEventInsert(ctx, {
        userId: actor?.userId ?? null,
        sessionId: actor?.sessionId ?? null,
        eventType: 'authorization_refused',
        severity: refusalSeverity[refusal.code] ?? 'medium',
        description: `${refusal.method} ${refusal.path} refused: ${refusal.code}`,
        data,
      }),
    ])
    .catch((error: unknown) => ctx.logger.error('could not record an authorization refusal', { code: refusal.code, error: String(error) }));
}

import { createRouter } from '../../lib/router';
import * as a from './routes/audit';

export const auditRoutes = createRouter()
  .openapi(a.listAuditLogsRoute, a.listAuditLogsHandler)
  .openapi(a.myActivityRoute, a.myActivityHandler)
  .openapi(a.listSecurityEventsRoute, a.listSecurityEventsHandler)
  .openapi(a.resolveSecurityEventRoute, a.resolveSecurityEventHandler);

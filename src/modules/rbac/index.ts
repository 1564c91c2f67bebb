import { createRouter } from '../../lib/router';
import * as p from './routes/permissions';
import * as r from './routes/roles';

export const rbacRoutes = createRouter()
  .openapi(r.listRolesRoute, r.listRolesHandler)
  .openapi(r.getRoleRoute, r.getRoleHandler)
  .openapi(r.createRoleRoute, r.createRoleHandler)
  .openapi(r.updateRoleRoute, r.updateRoleHandler)
  .openapi(r.deleteRoleRoute, r.deleteRoleHandler)
  .openapi(r.replaceRolePermissionsRoute, r.replaceRolePermissionsHandler)
  .openapi(r.grantRolePermissionsRoute, r.grantRolePermissionsHandler)
  .openapi(r.revokeRolePermissionsRoute, r.revokeRolePermissionsHandler)
  .openapi(p.listPermissionsRoute, p.listPermissionsHandler)
  .openapi(p.createPermissionRoute, p.createPermissionHandler)
  .openapi(p.deletePermissionRoute, p.deletePermissionHandler)
  .openapi(p.assignUserRoleRoute, p.assignUserRoleHandler)
  .openapi(p.revokeUserRoleRoute, p.revokeUserRoleHandler);

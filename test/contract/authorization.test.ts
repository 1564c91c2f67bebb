import { beforeAll, describe, expect, it } from 'vitest';
import { api, createApiKey, registerUser, loginAs, signedInAdmin, userWithPermissions, type ApiResponse } from '../harness';

/*
 * The authorization suite, generated from the OpenAPI document the Worker serves and checked
 * against an independent table (this file, and the README's authorization table): for every
 * protected operation, no credentials is 401; a user holding every permission except the required
 * one is 403; the required permission alone gets past authorization; an API key whose scopes lack
 * it is 403 and one holding it gets past; credentials management refuses API keys even with `*:*`.
 */

/** `alsoNeeds`: permissions the operation checks besides its own for some input (here, an empty body). */
type Access = 'public' | 'signed-in' | { permission: string; apiKeys: boolean; alsoNeeds?: string[] };
const keys = (permission: string, alsoNeeds?: string[]): Access => ({ permission, apiKeys: true, ...(alsoNeeds ? { alsoNeeds } : {}) });
const sessionOnly = (permission: string): Access => ({ permission, apiKeys: false });

/** What every operation needs, written independently of the route definitions. */
const expected: Record<string, Access> = {
  getHealth: 'public',
  getInfo: 'public',
  ping: 'public',
  register: 'public',
  login: 'public',
  refreshTokens: 'public',
  verifyToken: 'public',
  verifyEmail: 'public',
  resendVerification: 'public',
  forgotPassword: 'public',
  resetPassword: 'public',
  verifyResetToken: 'public',
  verifyTwoFactor: 'public',
  setupTwoFactorAtLogin: 'public',
  getPublicSystemSettings: 'public',
  listThemes: 'public',
  getTheme: 'public',
  getAvatarImage: 'public',
  logout: 'signed-in',
  getCurrentUser: 'signed-in',
  getMyPermissions: 'signed-in',
  listSessions: sessionOnly('sessions:read'),
  revokeOtherSessions: sessionOnly('sessions:delete'),
  revokeSession: sessionOnly('sessions:delete'),
  recordActivity: sessionOnly('sessions:update'),
  changePassword: sessionOnly('profile:security'),
  changeEmail: sessionOnly('profile:security'),
  reauthenticate: sessionOnly('profile:security'),
  getTwoFactorStatus: sessionOnly('profile:security'),
  setupTwoFactor: sessionOnly('profile:security'),
  confirmTwoFactor: sessionOnly('profile:security'),
  disableTwoFactor: sessionOnly('profile:security'),
  regenerateBackupCodes: sessionOnly('profile:security'),
  createApiKey: sessionOnly('api_keys:create'),
  listApiKeys: sessionOnly('api_keys:read'),
  getApiKey: sessionOnly('api_keys:read'),
  revokeApiKey: sessionOnly('api_keys:delete'),
  rotateApiKey: sessionOnly('api_keys:update'),
  updateApiKey: sessionOnly('api_keys:update'),
  validateApiKey: keys('api_keys:validate'),
  adminListApiKeys: sessionOnly('users:read'),
  adminRevokeApiKey: sessionOnly('users:update'),
  getNavigation: keys('navigation:view'),
  getUserNavigation: keys('navigation:view'),
  listNavigationItems: keys('navigation:manage'),
  createNavigationItem: keys('navigation:manage'),
  reorderNavigationItems: keys('navigation:manage'),
  updateNavigationItem: keys('navigation:manage'),
  deleteNavigationItem: keys('navigation:manage'),
  setNavigationItemPermissions: keys('navigation:manage'),
  getNavigationPreferences: keys('profile:preferences'),
  resetNavigationPreferences: keys('profile:preferences'),
  updateNavigationPreference: keys('profile:preferences'),
  listSystemSettings: keys('system:settings'),
  createSystemSetting: keys('system:settings'),
  getSystemSetting: keys('system:settings'),
  updateSystemSetting: keys('system:settings'),
  deleteSystemSetting: keys('system:settings'),
  listAllThemes: keys('system:settings'),
  createTheme: keys('system:settings'),
  getManagedTheme: keys('system:settings'),
  updateTheme: keys('system:settings'),
  deleteTheme: keys('system:settings'),
  getProfile: keys('profile:read'),
  updateProfile: keys('profile:update'),
  getPreferences: keys('profile:preferences'),
  updatePreferences: keys('profile:preferences'),
  getSettings: keys('settings:view'),
  updateSettings: keys('settings:update'),
  getThemeSettings: keys('settings:view'),
  updateThemeSettings: keys('settings:theme'),
  getLayoutSettings: keys('settings:view'),
  updateLayoutSettings: keys('settings:update'),
  getNotificationSettings: keys('settings:view'),
  updateNotificationSettings: keys('settings:notifications'),
  // Resetting every group (no `categories`) includes the theme and notifications groups.
  resetSettings: keys('settings:update', ['settings:theme', 'settings:notifications']),
  listUserSettings: keys('settings:view'),
  getUserSetting: keys('settings:view'),
  setUserSetting: keys('settings:update'),
  deleteUserSetting: keys('settings:update'),
  setManagedUserSetting: keys('users:update'),
  releaseManagedUserSetting: keys('users:update'),
  listSettingTemplates: keys('system:settings'),
  createSettingTemplate: keys('system:settings'),
  getSettingTemplate: keys('system:settings'),
  updateSettingTemplate: keys('system:settings'),
  deleteSettingTemplate: keys('system:settings'),
  listRoles: keys('roles:read'),
  createRole: keys('roles:create'),
  getRole: keys('roles:read'),
  updateRole: keys('roles:update'),
  deleteRole: keys('roles:delete'),
  replaceRolePermissions: keys('permissions:assign'),
  grantRolePermissions: keys('permissions:assign'),
  revokeRolePermissions: keys('permissions:assign'),
  listPermissions: keys('permissions:read'),
  createPermission: keys('permissions:assign'),
  deletePermission: keys('permissions:assign'),
  assignUserRole: keys('roles:update'),
  revokeUserRole: keys('roles:update'),
  listAuditLogs: keys('system:logs'),
  getMyActivity: keys('profile:activity'),
  listSecurityEvents: keys('system:logs'),
  resolveSecurityEvent: keys('system:logs'),
  uploadAvatar: keys('profile:avatar'),
  deleteAvatar: keys('profile:avatar'),
  deleteUserAvatar: keys('users:update'),
  listNotifications: keys('notifications:read'),
  sendNotification: keys('notifications:send'),
  getUnreadCount: keys('notifications:read'),
  markAllRead: keys('notifications:update'),
  getNotificationPreferences: keys('settings:view'),
  updateNotificationPreferences: keys('settings:notifications'),
  getNotification: keys('notifications:read'),
  updateNotification: keys('notifications:update'),
  deleteNotification: keys('notifications:delete'),
  listJobs: keys('system:monitor'),
  listUsers: keys('users:read'),
  createUser: keys('users:create'),
  getUser: keys('users:read'),
  updateUser: keys('users:update'),
  deleteUser: keys('users:delete'),
  changeUserStatus: keys('users:update'),
  listUserSessions: keys('users:read'),
  revokeAllUserSessions: keys('users:update'),
  revokeUserSession: keys('users:update'),
  getLoginThrottle: keys('users:read'),
  unlockUser: keys('users:update'),
  restoreUser: keys('users:delete'),
  purgeUser: keys('users:delete'),
};

interface Operation {
  operationId: string;
  method: string;
  path: string;
  security?: unknown[];
  'x-required-permission'?: string;
  'x-api-keys'?: boolean;
}

/** A path with every parameter filled (a well-formed UUID: nothing of that id exists). */
const example = (path: string) => path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');

/** Calls an operation with an empty body where it takes one; auth runs before validation. */
const call = (op: Operation, token?: string): Promise<ApiResponse> =>
  api(example(op.path), { method: op.method, ...(token ? { token } : {}), ...(op.method === 'GET' || op.method === 'DELETE' ? {} : { body: {} }) });

/** Codes that mean "authorization refused", as opposed to anything the operation itself answers. */
const REFUSED = ['UNAUTHORIZED', 'FORBIDDEN', 'API_KEY_NOT_ALLOWED'];
const got = (res: ApiResponse) => `${res.status} ${res.body?.error?.code ?? ''}`;

let operations: Operation[];
let adminToken: string;
let allPermissions: string[];

beforeAll(async () => {
  const served = await api('/api/openapi.json');
  operations = Object.entries((served.body as unknown as { paths: object }).paths as Record<string, Record<string, Omit<Operation, 'method' | 'path'>>>).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ ...op, method: method.toUpperCase(), path })),
  );
  ({ session: { accessToken: adminToken } } = await signedInAdmin());
  const permissions = await api('/api/permissions', { token: adminToken });
  // Every concrete permission; wildcards (`*:*`, `resource:*`) would cover the one left out.
  allPermissions = (permissions.body.data as { name: string }[]).map((p) => p.name).filter((name) => !name.includes('*'));
});

const protectedOps = () => operations.filter((op) => expected[op.operationId] !== 'public');
const guarded = () => operations.filter((op) => typeof expected[op.operationId] === 'object') as (Operation & { 'x-required-permission': string })[];
const needs = (op: Operation) => expected[op.operationId] as { permission: string; apiKeys: boolean; alsoNeeds?: string[] };

/** The operations grouped by the permission they need, with what the permission alone must also bring. */
function byPermission(ops: Operation[]) {
  const groups = new Map<string, { ops: Operation[]; alsoNeeds: string[] }>();
  for (const op of ops) {
    const { permission, alsoNeeds = [] } = needs(op);
    const group = groups.get(permission) ?? { ops: [], alsoNeeds: [] };
    group.ops.push(op);
    group.alsoNeeds.push(...alsoNeeds);
    groups.set(permission, group);
  }
  return groups;
}

describe('authorization of every operation', () => {
  it('matches the independent table: every operation listed, with the permission and API-key access it declares', () => {
    expect(operations.map((op) => op.operationId).sort()).toEqual(Object.keys(expected).sort());
    for (const op of operations) {
      const access = expected[op.operationId]!;
      const name = `${op.method} ${op.path}`;
      if (access === 'public') {
        expect(op.security ?? [], name).toEqual([]);
        continue;
      }
      expect(op.security?.length, name).toBeGreaterThan(0);
      if (access === 'signed-in') {
        expect(op['x-required-permission'], name).toBeUndefined();
        expect(op['x-api-keys'], name).toBe(false);
      } else {
        expect(op['x-required-permission'], name).toBe(access.permission);
        expect(op['x-api-keys'], name).toBe(access.apiKeys);
      }
      expect(JSON.stringify(op.security).includes('apiKeyAuth'), name).toBe(op['x-api-keys'] === true);
    }
  });

  it('answers 401 without credentials on every protected operation', async () => {
    for (const op of protectedOps()) {
      const res = await call(op);
      expect(got(res), `${op.method} ${op.path}`).toBe('401 UNAUTHORIZED');
    }
  });

  it('answers 403 to a user holding every permission except the required one, and lets the required one alone through', async () => {
    // Two users, each with a role of their own whose permissions change per group: a role change
    // reaches their access tokens on the next request (the holders' permission epochs move).
    const without = await userWithPermissions(adminToken, []);
    const only = await userWithPermissions(adminToken, []);
    const setRole = async (roleId: string, permissions: string[]) =>
      expect((await api(`/api/roles/${roleId}/permissions`, { method: 'PUT', token: adminToken, body: { permissions } })).status).toBe(200);
    for (const [permission, { ops, alsoNeeds }] of byPermission(guarded())) {
      await setRole(without.role.id, allPermissions.filter((p) => p !== permission));
      await setRole(only.role.id, [permission, ...alsoNeeds]);
      for (const op of ops) {
        const name = `${op.method} ${op.path} (${permission})`;
        expect(got(await call(op, without.session.accessToken)), name).toBe('403 FORBIDDEN');
        const allowed = await call(op, only.session.accessToken);
        expect(REFUSED.includes(allowed.body?.error?.code), `${name}: ${got(allowed)}`).toBe(false);
      }
    }
  }, 180_000);

  it('answers 403 to an API key whose scopes lack the permission, and lets a key holding it through', async () => {
    for (const [permission, { ops, alsoNeeds }] of byPermission(guarded().filter((op) => needs(op).apiKeys))) {
      const without = await createApiKey(adminToken, allPermissions.filter((p) => p !== permission));
      const only = await createApiKey(adminToken, [permission, ...alsoNeeds]);
      for (const op of ops) {
        const name = `${op.method} ${op.path} (${permission})`;
        expect(got(await call(op, without.key)), name).toBe('403 FORBIDDEN');
        const allowed = await call(op, only.key);
        expect(REFUSED.includes(allowed.body?.error?.code), `${name}: ${got(allowed)}`).toBe(false);
      }
    }
  }, 180_000);

  it('refuses API keys on credentials management and the caller’s own session, even with *:* scopes', async () => {
    const { key } = await createApiKey(adminToken, ['*:*']);
    const sessionOps = protectedOps().filter((op) => expected[op.operationId] === 'signed-in' || !needs(op).apiKeys);
    expect(sessionOps.map((op) => op.operationId)).toEqual(expect.arrayContaining(['createApiKey', 'rotateApiKey', 'listSessions', 'changePassword', 'changeEmail', 'setupTwoFactor', 'reauthenticate']));
    for (const op of sessionOps) {
      expect(got(await call(op, key)), `${op.method} ${op.path}`).toBe('403 API_KEY_NOT_ALLOWED');
    }
  });

  it('lets any signed-in user, whatever their roles, see who they are and what they may do, and sign out', async () => {
    const user = await registerUser();
    const roleless = await userWithPermissions(adminToken, []);
    for (const session of [await loginAs(user.email, user.password), roleless.session]) {
      expect((await api('/api/auth/me', { token: session.accessToken })).status).toBe(200);
      expect((await api('/api/auth/permissions', { token: session.accessToken })).status).toBe(200);
      expect((await api('/api/auth/logout', { method: 'POST', token: session.accessToken, body: {} })).status).toBe(200);
    }
  });
});
